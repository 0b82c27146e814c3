package forum_test

import (
	"context"
	"strings"
	"testing"

	"github.com/haven-forum/haven/internal/accounts"
	"github.com/haven-forum/haven/internal/apperr"
	"github.com/haven-forum/haven/internal/dbtest"
	"github.com/haven-forum/haven/internal/forum"
	"gorm.io/gorm"
)

// shown returns a topic's first page as ctx's viewer sees it, mention links and bookmarks included.
func (w *inboxWorld) shown(ctx context.Context, topicID int64) []forum.Post {
	w.t.Helper()
	tp, err := w.forum.Posts.TopicPage(ctx, topicID, 1)
	if err != nil {
		w.t.Fatal(err)
	}
	before := tp.Posts[0].BodyHTML
	posts, err := w.forum.Profiles.ShowPosts(ctx, tp.Posts)
	if err != nil {
		w.t.Fatal(err)
	}
	if tp.Posts[0].BodyHTML != before {
		w.t.Error("ShowPosts changed the posts it was given, which a cache may share")
	}
	return posts
}

func (w *inboxWorld) deleteAccount(ctx context.Context) {
	w.t.Helper()
	v, _ := accounts.ViewerFrom(ctx)
	if err := w.db.Transaction(func(tx *gorm.DB) error { return accounts.Remove(context.Background(), tx, v.ID) }); err != nil {
		w.t.Fatal(err)
	}
}

func code(err error) string {
	if e, ok := apperr.As(err); ok {
		return string(e.Code)
	}
	if err == nil {
		return "nil"
	}
	return err.Error()
}

func TestMentionLinksOnlyMembersWhoExistNow(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newInboxWorld(t, db)
		alice, bob, carol := w.joined("alice", "grief"), w.joined("bob_b", "grief"), w.joined("carol", "grief")
		topic, _ := w.topic(alice, "grief", "Thanks", "Thank you @Bob_B and @nobody_here.\n\n`@bob_b` in code\n\n    @bob_b indented")
		w.reply(carol, topic, forum.PostInput{Body: "Anonymous words for @alice", Anonymous: true})
		posts := w.shown(bob, topic)
		first := posts[0].BodyHTML
		if !strings.Contains(first, `<a href="/u/bob_b" class="mention">@Bob_B</a>`) {
			t.Errorf("an existing member's @name is not linked: %s", first)
		}
		if strings.Contains(first, "/u/nobody_here") || !strings.Contains(first, "@nobody_here") {
			t.Errorf("a name of no member is linked or lost: %s", first)
		}
		if strings.Count(first, "/u/bob_b") != 1 || !strings.Contains(first, "<code>@bob_b</code>") {
			t.Errorf("an @name in code is linked: %s", first)
		}
		anon := posts[1]
		if anon.AuthorName != forum.AnonymousName || strings.Contains(anon.BodyHTML, "/u/carol") || !strings.Contains(anon.BodyHTML, `href="/u/alice"`) {
			t.Errorf("anonymous post: author %q, body %s", anon.AuthorName, anon.BodyHTML)
		}

		w.deleteAccount(bob)
		if got := w.shown(alice, topic)[0].BodyHTML; strings.Contains(got, "/u/bob_b") || !strings.Contains(got, "@Bob_B") {
			t.Errorf("a deleted member's @name still links: %s", got)
		}
	})
}

func TestProfileListsOnlyPostsTheViewerMayRead(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newInboxWorld(t, db)
		alice := w.joined("alice", "grief")
		w.admitTo(alice, "circle", true)
		bob := w.joined("bob_b", "grief")
		dave := w.joined("dave", "circle")
		public, _ := w.topic(alice, "grief", "Open words", "Visible everywhere")
		w.reply(alice, public, forum.PostInput{Body: "Secretly me", Anonymous: true})
		w.topic(alice, "circle", "Circle words", "Only for the circle")
		gone := w.reply(alice, public, forum.PostInput{Body: "Deleted later"})
		if err := w.forum.Posts.DeletePost(alice, gone); err != nil {
			t.Fatal(err)
		}
		hidden := w.reply(alice, public, forum.PostInput{Body: "Hidden by a moderator"})
		held := w.reply(alice, public, forum.PostInput{Body: "Waiting for approval"})
		db.Exec(`UPDATE posts SET hidden_reason = 'off topic' WHERE id = ?`, hidden)
		db.Exec(`UPDATE posts SET held = ? WHERE id = ?`, true, held)

		bodies := func(viewer context.Context) string {
			t.Helper()
			pr, err := w.forum.Profiles.Profile(viewer, "ALICE", 1)
			if err != nil {
				t.Fatal(err)
			}
			var b []string
			for _, p := range pr.Posts {
				b = append(b, p.BodyHTML)
			}
			return strings.Join(b, "|")
		}
		if got := bodies(bob); !strings.Contains(got, "Visible everywhere") || strings.Contains(got, "Only for the circle") {
			t.Errorf("bob (not in the circle) sees %s", got)
		}
		if got := bodies(dave); !strings.Contains(got, "Only for the circle") || !strings.Contains(got, "Visible everywhere") {
			t.Errorf("dave (in the circle) sees %s", got)
		}
		for _, v := range []context.Context{bob, dave, alice} {
			got := bodies(v)
			for _, never := range []string{"Secretly me", "Deleted later", "Hidden by a moderator", "Waiting for approval"} {
				if strings.Contains(got, never) {
					t.Errorf("a profile lists %q: %s", never, got)
				}
			}
		}

		if _, err := w.forum.Profiles.Profile(context.Background(), "alice", 1); code(err) != string(apperr.EUNAUTHORIZED) {
			t.Errorf("a visitor reading a profile: %v", err)
		}
		if _, err := w.forum.Profiles.Profile(bob, "no_such_member", 1); code(err) != string(apperr.ENOTFOUND) {
			t.Errorf("an unknown profile: %v", err)
		}

		if err := w.forum.Profiles.SaveSettings(alice, strings.Repeat("x", forum.BioMax+1), false); code(err) != string(apperr.EINVALID) {
			t.Errorf("an over-long bio: %v", err)
		}
		if err := w.forum.Profiles.SaveSettings(alice, "  I garden.\nSlowly.  ", true); err != nil {
			t.Fatal(err)
		}
		pr, err := w.forum.Profiles.Profile(bob, "alice", 1)
		if err != nil || pr.Bio != "I garden.\nSlowly." || !pr.PostsHidden || len(pr.Posts) != 0 {
			t.Errorf("hidden list as bob: %v %+v", err, pr)
		}
		if got := bodies(alice); !strings.Contains(got, "Visible everywhere") {
			t.Errorf("the member's own view of a hidden list: %s", got)
		}

		w.deleteAccount(alice)
		if _, err := w.forum.Profiles.Profile(bob, "alice", 1); code(err) != string(apperr.ENOTFOUND) {
			t.Errorf("a deleted member's profile: %v", err)
		}
		var left int64
		db.Raw(`SELECT COUNT(*) FROM member_profiles`).Scan(&left)
		if left != 0 {
			t.Errorf("%d profile rows outlive the account", left)
		}
	})
}

func TestBookmarksArePrivateAndFollowReadability(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newInboxWorld(t, db)
		alice := w.joined("alice", "grief")
		w.admitTo(alice, "circle", true)
		bob := w.joined("bob_b", "grief")
		dave := w.joined("dave", "circle")
		_, open := w.topic(alice, "grief", "Open", "An open post")
		_, closed := w.topic(alice, "circle", "Closed", "A circle post")

		if err := w.forum.Profiles.SetBookmark(bob, closed, true); code(err) != string(apperr.ENOTFOUND) {
			t.Errorf("bookmarking a post bob cannot read: %v", err)
		}
		if err := w.forum.Profiles.SetBookmark(context.Background(), open, true); code(err) != string(apperr.EUNAUTHORIZED) {
			t.Errorf("a visitor bookmarking: %v", err)
		}
		for _, id := range []int64{open, closed} {
			if err := w.forum.Profiles.SetBookmark(dave, id, true); err != nil && id == closed {
				t.Fatal(err)
			}
		}
		if err := w.forum.Profiles.SetBookmark(bob, open, true); err != nil {
			t.Fatal(err)
		}
		list := func(ctx context.Context) []int64 {
			t.Helper()
			bp, err := w.forum.Profiles.Bookmarks(ctx, 1)
			if err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for _, p := range bp.Posts {
				ids = append(ids, p.ID)
			}
			return ids
		}
		if got := list(bob); len(got) != 1 || got[0] != open {
			t.Errorf("bob's bookmarks: %v", got)
		}
		if got := list(alice); len(got) != 0 {
			t.Errorf("alice sees bookmarks she never made: %v", got)
		}
		if got := list(dave); len(got) != 2 {
			t.Errorf("dave's bookmarks: %v", got)
		}
		if posts := w.shown(bob, mustTopicOf(t, db, open)); !posts[0].Bookmarked {
			t.Error("the topic page does not show bob's bookmark")
		}
		if posts := w.shown(alice, mustTopicOf(t, db, open)); posts[0].Bookmarked {
			t.Error("the topic page shows bob's bookmark to alice")
		}
		// Removing someone else's bookmark is not a thing: it removes only one's own.
		if err := w.forum.Profiles.SetBookmark(alice, open, false); err != nil {
			t.Fatal(err)
		}
		if got := list(bob); len(got) != 1 {
			t.Errorf("alice's removal touched bob's bookmark: %v", got)
		}

		if err := w.forum.Groups.Leave(dave, "circle"); err != nil {
			t.Fatal(err)
		}
		if got := list(dave); len(got) != 1 || got[0] != open {
			t.Errorf("after leaving the circle, dave's list shows %v", got)
		}
		v, _ := accounts.ViewerFrom(dave)
		own, err := w.forum.Profiles.BookmarksOf(context.Background(), v.ID)
		if err != nil || len(own) != 2 {
			t.Errorf("dave's export holds %v (%v), want both bookmarks", own, err)
		}

		if err := w.forum.Profiles.SetBookmark(bob, open, false); err != nil {
			t.Fatal(err)
		}
		if got := list(bob); len(got) != 0 {
			t.Errorf("a removed bookmark is listed: %v", got)
		}
		var entries int64
		db.Raw(`SELECT COUNT(*) FROM erasures WHERE kind = 'bookmark_removed' AND object_id = ?`, open).Scan(&entries)
		if entries != 1 {
			t.Errorf("%d erasure-list entries for the removed bookmark, want 1 (a restore must not bring it back)", entries)
		}

		w.deleteAccount(dave)
		var left int64
		db.Raw(`SELECT COUNT(*) FROM bookmarks WHERE member_id = ?`, v.ID).Scan(&left)
		if left != 0 {
			t.Errorf("%d bookmarks outlive the account", left)
		}
	})
}

func mustTopicOf(t *testing.T, db *gorm.DB, postID int64) int64 {
	t.Helper()
	var id int64
	if err := db.Raw(`SELECT topic_id FROM posts WHERE id = ?`, postID).Scan(&id).Error; err != nil {
		t.Fatal(err)
	}
	return id
}
