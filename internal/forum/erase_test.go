package forum_test

import (
	"context"
	"testing"
	"time"

	"github.com/haven-forum/haven/internal/accounts"
	"github.com/haven-forum/haven/internal/dbtest"
	"github.com/haven-forum/haven/internal/forum"
	"gorm.io/gorm"
)

// indexed counts the search index's entries that contain word.
func indexed(t *testing.T, db *gorm.DB, word string) int64 {
	t.Helper()
	q := `SELECT COUNT(*) FROM search_posts WHERE search_posts MATCH ?`
	if db.Dialector.Name() == "postgres" {
		q = `SELECT COUNT(*) FROM search_posts WHERE doc @@ plainto_tsquery('english', ?)`
	}
	var n int64
	if err := db.Raw(q, word).Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func memberID(ctx context.Context) int64 { v, _ := accounts.ViewerFrom(ctx); return v.ID }

func (w *searchWorld) erase(ctx context.Context, posts bool) {
	w.t.Helper()
	w.check(w.db.Transaction(func(tx *gorm.DB) error {
		return w.forum.Posts.EraseMember(posts)(context.Background(), tx, memberID(ctx))
	}))
}

func TestEraseMemberErasesEveryPostTheyWrote(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newSearchWorld(t, db)
		topic, first := w.topic(w.alice, "open-circle", forum.PostInput{Title: "Quokkatitle thoughts", Body: "Zebrafinch body text.",
			ContentWarning: "grief"})
		bobsReply := w.reply(w.bob, topic, forum.PostInput{Body: "Bob answers kindly."})
		bobsTopic, _ := w.topic(w.bob, "open-circle", forum.PostInput{Title: "Bob's own topic", Body: "Bob starts."})
		anon := w.reply(w.alice, bobsTopic, forum.PostInput{Body: "Anonymous wombatword.", Anonymous: true})
		edited := w.reply(w.alice, bobsTopic, forum.PostInput{Body: "Draft narwhalword."})
		w.must(w.forum.Posts.EditPost(w.alice, edited, forum.PostInput{Body: "Final okapiword."}))
		gone := w.reply(w.alice, bobsTopic, forum.PostInput{Body: "Deleted before."})
		w.check(w.forum.Posts.DeletePost(w.alice, gone))
		var deletedAt time.Time
		db.Raw(`SELECT deleted_at FROM posts WHERE id = ?`, gone).Scan(&deletedAt)
		for _, word := range []string{"quokkatitle", "zebrafinch", "wombatword", "okapiword"} {
			if indexed(t, db, word) != 1 {
				t.Fatalf("%s is not in the index before erasing; the test proves nothing", word)
			}
		}

		w.erase(w.bob, false) // keeping posts changes nothing here
		w.erase(w.alice, true)
		var posts []struct {
			ID                   int64
			Body, ContentWarning string
			DeletedAt            *time.Time
		}
		db.Raw(`SELECT id, body, content_warning, deleted_at FROM posts WHERE author_id = ? ORDER BY id`, memberID(w.alice)).Scan(&posts)
		if len(posts) != 4 {
			t.Fatalf("%d of alice's posts left, want all 4 kept in their threads", len(posts))
		}
		for _, p := range posts {
			if p.Body != "" || p.ContentWarning != "" || p.DeletedAt == nil {
				t.Errorf("post %d not erased: %+v", p.ID, p)
			}
			if p.ID == gone && !p.DeletedAt.Equal(deletedAt) {
				t.Errorf("an earlier deletion's time changed: %v, was %v", p.DeletedAt, deletedAt)
			}
		}
		var title, warning string
		db.Raw(`SELECT title, content_warning FROM topics WHERE id = ?`, topic).Row().Scan(&title, &warning)
		if title != forum.DeletedTopicTitle || warning != "" {
			t.Errorf("alice's topic: %q, warning %q", title, warning)
		}
		var revisions int64
		db.Raw(`SELECT COUNT(*) FROM post_revisions WHERE post_id IN (?, ?, ?)`, first, anon, edited).Scan(&revisions)
		if revisions != 0 {
			t.Errorf("%d earlier versions of alice's posts survive", revisions)
		}
		for _, word := range []string{"quokkatitle", "zebrafinch", "wombatword", "narwhalword", "okapiword"} {
			if n := indexed(t, db, word); n != 0 {
				t.Errorf("%q is still in the search index (%d entries)", word, n)
			}
		}
		// Bob's posts, in alice's topic and his own, are as they were.
		db.Raw(`SELECT title FROM topics WHERE id = ?`, bobsTopic).Scan(&title)
		if title != "Bob's own topic" || indexed(t, db, "kindly") != 1 || indexed(t, db, "starts") != 1 {
			t.Errorf("bob's content changed: title %q", title)
		}
		page, err := w.forum.Posts.TopicPage(w.bob, topic, 1)
		w.check(err)
		if len(page.Posts) != 2 || !page.Posts[0].Deleted || page.Posts[1].ID != bobsReply || page.Posts[1].Deleted {
			t.Errorf("thread after erasing: %+v", page.Posts)
		}
	})
}
