package web_test

import (
	"fmt"
	"testing"

	"github.com/haven-forum/haven/internal/dbtest"
	"github.com/haven-forum/haven/web"
	"gorm.io/gorm"
)

// A profile and the bookmarks page run as many queries for a member with 2 posts or bookmarks
// as for one with a full page, @mentions and authors included.
func TestProfileAndBookmarksRunAFixedNumberOfQueries(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		counter := &queryCounter{}
		counted := db.Session(&gorm.Session{Logger: counter})
		a := newApp(t, counted, func(d *web.Deps) { d.DB = counted })
		a.admin("pq_admin").createGroup("Open", "open", "public", true)
		few, many := a.member("pq_few"), a.member("pq_many")
		few.join("open")
		many.join("open")
		topic := few.newTopic("open", "A topic", "Hello @pq_many")
		few.reply(topic, "Second, for @pq_few")
		var posts []int64
		for i := 0; i < 40; i++ {
			posts = append(posts, many.reply(topic, fmt.Sprintf("Reply %d to @pq_few and @pq_many and @pq_gone%d", i, i)))
		}
		for i, id := range posts {
			many.post(fmt.Sprintf("/p/%d/bookmark", id), "on", "true")
			if i < 2 {
				few.post(fmt.Sprintf("/p/%d/bookmark", id), "on", "true")
			}
		}
		measure := func(c *client, path string) int64 {
			c.get(path) // warm: the session cookie is settled
			before := counter.n.Load()
			if p := c.get(path); p.status != 200 {
				t.Fatalf("%s: %d", path, p.status)
			}
			return counter.n.Load() - before
		}
		if f, m := measure(few, "/u/pq_few"), measure(few, "/u/pq_many"); f != m {
			t.Errorf("a profile with 2 posts runs %d queries, one with a full page %d", f, m)
		} else {
			t.Logf("/u/:username: %d queries", m)
		}
		if f, m := measure(few, "/bookmarks"), measure(many, "/bookmarks"); f != m {
			t.Errorf("/bookmarks with 2 runs %d queries, with a full page %d", f, m)
		} else {
			t.Logf("/bookmarks: %d queries", m)
		}
	})
}
