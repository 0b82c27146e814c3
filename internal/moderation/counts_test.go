package moderation

import (
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/haven-forum/haven/internal/accounts"
	"github.com/haven-forum/haven/internal/dbtest"
	"github.com/haven-forum/haven/internal/forum"
	"github.com/haven-forum/haven/internal/site"
	"gorm.io/gorm"
)

// recounted is what the stored counts must be, computed here from the rows by plain SQL,
// independently of the forum's own Check.
func recounted(t *testing.T, db *gorm.DB) (groups map[int64][3]int, topics map[int64][4]int64) {
	t.Helper()
	var gs []struct{ ID, Topics, Held, Posts int64 }
	err := db.Raw(`SELECT g.id,
			(SELECT COUNT(*) FROM topics t WHERE t.group_id = g.id AND t.deleted_at IS NULL
				AND NOT (SELECT p.held FROM posts p WHERE p.topic_id = t.id ORDER BY p.id LIMIT 1)) AS topics,
			(SELECT COUNT(*) FROM topics t WHERE t.group_id = g.id AND t.deleted_at IS NULL
				AND (SELECT p.held FROM posts p WHERE p.topic_id = t.id ORDER BY p.id LIMIT 1)) AS held,
			(SELECT COUNT(*) FROM posts p JOIN topics t ON t.id = p.topic_id WHERE t.group_id = g.id AND t.deleted_at IS NULL
				AND p.deleted_at IS NULL AND p.hidden_reason IS NULL AND NOT p.held
				AND NOT (SELECT f.held FROM posts f WHERE f.topic_id = t.id ORDER BY f.id LIMIT 1)) AS posts
		FROM groups g`).Scan(&gs).Error
	if err != nil {
		t.Fatal(err)
	}
	groups = map[int64][3]int{}
	for _, g := range gs {
		groups[g.ID] = [3]int{int(g.Topics), int(g.Held), int(g.Posts)}
	}
	var ts []struct {
		ID, Replies, LastID, LastAuthor int64
	}
	err = db.Raw(`SELECT t.id, (SELECT COUNT(*) FROM posts p WHERE p.topic_id = t.id) - 1 AS replies,
			COALESCE((SELECT MAX(p.id) FROM posts p WHERE p.topic_id = t.id AND p.deleted_at IS NULL AND p.hidden_reason IS NULL AND NOT p.held), 0) AS last_id,
			COALESCE((SELECT CASE WHEN p.anonymous THEN NULL ELSE p.author_id END FROM posts p WHERE p.id =
				(SELECT MAX(q.id) FROM posts q WHERE q.topic_id = t.id AND q.deleted_at IS NULL AND q.hidden_reason IS NULL AND NOT q.held)), 0) AS last_author
		FROM topics t`).Scan(&ts).Error
	if err != nil {
		t.Fatal(err)
	}
	topics = map[int64][4]int64{}
	for _, x := range ts {
		topics[x.ID] = [4]int64{x.Replies, x.LastID, x.LastAuthor}
	}
	return groups, topics
}

func stored(t *testing.T, db *gorm.DB) (groups map[int64][3]int, topics map[int64][4]int64) {
	t.Helper()
	var gs []struct{ ID, TopicCount, HeldTopicCount, PostCount int64 }
	if err := db.Raw(`SELECT id, topic_count, held_topic_count, post_count FROM groups`).Scan(&gs).Error; err != nil {
		t.Fatal(err)
	}
	groups = map[int64][3]int{}
	for _, g := range gs {
		groups[g.ID] = [3]int{int(g.TopicCount), int(g.HeldTopicCount), int(g.PostCount)}
	}
	var ts []struct{ ID, ReplyCount, LastPostID, LastPostAuthorID int64 }
	err := db.Raw(`SELECT id, reply_count, COALESCE(last_post_id, 0) AS last_post_id, COALESCE(last_post_author_id, 0) AS last_post_author_id
		FROM topics`).Scan(&ts).Error
	if err != nil {
		t.Fatal(err)
	}
	topics = map[int64][4]int64{}
	for _, x := range ts {
		topics[x.ID] = [4]int64{x.ReplyCount, x.LastPostID, x.LastPostAuthorID}
	}
	return groups, topics
}

// After many random creates, replies, edits, deletions, hides, approvals, moves and erasures,
// every count kept on write equals a recomputation from the rows, and Check finds nothing to fix.
func TestCountsKeptOnWriteMatchARecount(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := forum.New(db, site.NewSettings(db), nil)
		s := NewService(db, f)
		rng := rand.New(rand.NewPCG(13, 13))
		as := func(name, role string) context.Context {
			m, err := accounts.NewService(db).Create(context.Background(), name, "long password 123", role)
			if err != nil {
				t.Fatal(err)
			}
			return accounts.WithViewer(context.Background(), accounts.Viewer{Member: m})
		}
		admin := as("count_admin", "admin")
		slugs := []string{"first-group", "second-group", "third-group"}
		for _, slug := range slugs {
			if _, err := f.Groups.CreateGroup(admin, forum.GroupInput{Name: slug, Slug: slug, Visibility: forum.Public, AllowAnonymous: true}); err != nil {
				t.Fatal(err)
			}
			if err := f.Groups.Join(admin, slug); err != nil {
				t.Fatal(err)
			}
		}
		if err := f.Groups.SetHoldFirstPosts(admin, "second-group", 2); err != nil {
			t.Fatal(err)
		}
		var members []context.Context
		made := 0
		newMember := func() {
			made++
			ctx := as(fmt.Sprintf("counter%d", made), "member")
			for _, slug := range slugs {
				if err := f.Groups.Join(ctx, slug); err != nil {
					t.Fatal(err)
				}
			}
			members = append(members, ctx)
		}
		for range 4 {
			newMember()
		}
		var topics, posts []int64
		pick := func(ids []int64) int64 { return ids[rng.IntN(len(ids))] }
		author := func(postID int64) context.Context {
			var id int64
			db.Raw(`SELECT COALESCE(author_id, 0) FROM posts WHERE id = ?`, postID).Scan(&id)
			for _, m := range members {
				if v, _ := accounts.ViewerFrom(m); v.ID == id {
					return m
				}
			}
			return nil
		}
		done := map[string]int{}
		for step := 0; step < 220; step++ {
			m := members[rng.IntN(len(members))]
			in := forum.PostInput{Title: fmt.Sprintf("Topic %d", step), Body: fmt.Sprintf("words %d", step), Anonymous: rng.IntN(4) == 0}
			var err error
			action := rng.IntN(14)
			if len(topics) == 0 {
				action = 0
			}
			switch action {
			case 0, 1:
				var id int64
				if id, err = f.Posts.CreateTopic(m, slugs[rng.IntN(len(slugs))], in); err == nil {
					topics = append(topics, id)
					var first int64
					db.Raw(`SELECT MIN(id) FROM posts WHERE topic_id = ?`, id).Scan(&first)
					posts = append(posts, first)
				}
			case 2, 3, 4:
				var id int64
				if id, err = f.Posts.Reply(m, pick(topics), in); err == nil {
					posts = append(posts, id)
				}
			case 5:
				p := pick(posts)
				if a := author(p); a != nil {
					_, err = f.Posts.EditPost(a, p, in)
				}
			case 6:
				if p := pick(posts); author(p) != nil {
					err = f.Posts.DeletePost(author(p), p)
				}
			case 7:
				err = s.HidePost(admin, pick(posts), "off topic", rng.IntN(3) > 0)
			case 8:
				err = s.DeletePost(admin, pick(posts), "removed")
			case 9:
				var held []int64
				db.Raw(`SELECT id FROM posts WHERE held AND deleted_at IS NULL`).Scan(&held)
				if len(held) > 0 {
					err = s.ApprovePost(admin, pick(held), "fine")
				}
			case 10:
				err = s.MoveTopic(admin, pick(topics), slugs[rng.IntN(len(slugs))], "belongs there")
			case 12, 13:
				_, err = f.Posts.React(m, pick(posts), forum.ReactionKinds[rng.IntN(2)].Key)
			case 11:
				if rng.IntN(3) > 0 {
					continue
				}
				{
					i := rng.IntN(len(members))
					v, _ := accounts.ViewerFrom(members[i])
					err = db.Transaction(func(tx *gorm.DB) error {
						return accounts.Remove(context.Background(), tx, v.ID, f.Posts.EraseMember(rng.IntN(2) == 0))
					})
					if err != nil {
						t.Fatalf("erasing a member: %v", err)
					}
					members = append(members[:i], members[i+1:]...)
					newMember()
				}
			}
			if err != nil {
				done["refused"]++ // a refusal (already in that group, not held any more, …) is activity too
				continue
			}
			done[fmt.Sprint(action)]++
		}
		t.Logf("actions: %v", done)
		var held, hidden, deleted int64
		db.Raw(`SELECT COUNT(*) FROM posts WHERE held`).Scan(&held)
		db.Raw(`SELECT COUNT(*) FROM posts WHERE hidden_reason IS NOT NULL AND deleted_at IS NULL`).Scan(&hidden)
		db.Raw(`SELECT COUNT(*) FROM posts WHERE deleted_at IS NOT NULL`).Scan(&deleted)
		var erased, kept int64
		db.Raw(`SELECT COUNT(*) FROM posts WHERE author_id IS NULL AND deleted_at IS NOT NULL AND body = ''`).Scan(&erased)
		db.Raw(`SELECT COUNT(*) FROM posts WHERE author_id IS NULL AND body <> ''`).Scan(&kept)
		if held == 0 || hidden == 0 || deleted == 0 || erased == 0 || kept == 0 {
			t.Fatalf("the activity left %d held, %d hidden, %d deleted, %d erased and %d former members' posts: the test proves too little",
				held, hidden, deleted, erased, kept)
		}
		wantG, wantT := recounted(t, db)
		gotG, gotT := stored(t, db)
		for id, want := range wantG {
			if gotG[id] != want {
				t.Errorf("group %d stores topics, held topics, posts = %v; the rows say %v", id, gotG[id], want)
			}
		}
		for id, want := range wantT {
			if gotT[id] != want {
				t.Errorf("topic %d stores replies, last post, last author = %v; the rows say %v", id, gotT[id], want)
			}
		}
		var reactions []struct {
			TopicID   int64
			CreatedAt time.Time
		}
		db.Raw(`SELECT p.topic_id, r.created_at FROM reactions r JOIN posts p ON p.id = r.post_id`).Scan(&reactions)
		wantDays := map[[2]int64]int64{}
		for _, r := range reactions {
			wantDays[[2]int64{r.TopicID, r.CreatedAt.UTC().Unix() / 86400}]++
		}
		var days []struct{ TopicID, Day, N int64 }
		db.Raw(`SELECT topic_id, day, n FROM topic_reaction_days`).Scan(&days)
		gotDays := map[[2]int64]int64{}
		for _, d := range days {
			gotDays[[2]int64{d.TopicID, d.Day}] = d.N
		}
		if len(reactions) == 0 || !maps.Equal(wantDays, gotDays) {
			t.Errorf("reactions per topic and day: stored %v, the %d reactions say %v", gotDays, len(reactions), wantDays)
		}
		fixed, err := f.Check(context.Background())
		if err != nil || len(fixed) > 0 {
			t.Errorf("Check after the activity: %v, %v; want nothing to repair", fixed, err)
		}
	})
}
