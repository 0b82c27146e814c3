package web_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/haven-forum/haven/internal/dbtest"
	"github.com/haven-forum/haven/internal/forum"
	"github.com/haven-forum/haven/internal/site"
	"github.com/haven-forum/haven/web"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// queryCounter is a gorm logger that counts every statement run.
type queryCounter struct{ n atomic.Int64 }

func (q *queryCounter) LogMode(logger.LogLevel) logger.Interface      { return q }
func (q *queryCounter) Info(context.Context, string, ...interface{})  {}
func (q *queryCounter) Warn(context.Context, string, ...interface{})  {}
func (q *queryCounter) Error(context.Context, string, ...interface{}) {}
func (q *queryCounter) Trace(context.Context, time.Time, func() (string, int64), error) {
	q.n.Add(1)
}

// countedApp is an app whose every statement the counter counts.
func countedApp(t *testing.T, db *gorm.DB) (*app, *queryCounter) {
	counter := &queryCounter{}
	counted := db.Session(&gorm.Session{Logger: counter})
	return newApp(t, counted, func(d *web.Deps) { d.DB = counted }), counter
}

// The number of queries a page makes must not grow with what it shows.
func TestPagesRunAFixedNumberOfQueries(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a, counter := countedApp(t, db)
		a.admin("q_admin").createGroup("Small", "small", "public", false)
		a.admin("q_admin2").createGroup("Big", "big", "public", false)
		m := a.member("q_member")
		m.join("small")
		m.join("big")
		small := m.newTopic("small", "Few posts", "one")
		big := m.newTopic("big", "Many posts", "one")
		for i := 0; i < 3; i++ {
			m.reply(small, fmt.Sprintf("small reply %d @q_member", i))
			m.newTopic("small", fmt.Sprintf("small topic %d", i), "x")
		}
		others := make([]*client, 5)
		for i := range others {
			others[i] = a.member(fmt.Sprintf("q_other%d", i))
			others[i].join("big")
		}
		for i := 0; i < 45; i++ {
			id := others[i%5].reply(big, fmt.Sprintf("big reply %d @q_other%d @q_nobody%d", i, i%5, i)) // @names linked at read time
			others[(i+1)%5].post(fmt.Sprintf("/p/%d/react", id), "kind", "me_too")
			m.newTopic("big", fmt.Sprintf("big topic %d", i), "x")
		}
		// The page's own queries: the least of three loads, since topic opens queued by earlier
		// loads are written in the background (through the same counted database) at any moment.
		measure := func(path string) int64 {
			m.get(path) // warm: the session cookie is settled
			least := int64(-1)
			for range 3 {
				a.privacy.Flush(context.Background())
				before := counter.n.Load()
				if p := m.get(path); p.status != 200 {
					t.Fatalf("%s: %d", path, p.status)
				}
				if n := counter.n.Load() - before; least < 0 || n < least {
					least = n
				}
			}
			return least
		}
		// Each pair with the most statements its page may run: the session, the header's counts and
		// the viewer's consents are one statement each, whatever the page.
		pairs := []struct {
			few, many string
			most      int64
		}{
			{fmt.Sprintf("/t/%d", small), fmt.Sprintf("/t/%d", big), 7},
			{"/g/small", "/g/big", 5},
			{"/search?q=small", "/search?q=big", 7},
			{"/", "/", 7},
		}
		// With reading history on, what is new is counted for the whole list at once; some of
		// the topics opened (read positions), some not.
		for _, history := range []bool{false, true} {
			if history {
				m.post("/privacy/consent", "purpose", "reading_history", "enabled", "true")
				others[0].join("small")
				m.get(fmt.Sprintf("/t/%d", small))
				m.get(fmt.Sprintf("/t/%d", big))
				others[0].reply(small, "new to the member")
				others[0].reply(big, "new to the member")
			}
			for _, pair := range pairs {
				few, many := measure(pair.few), measure(pair.many)
				if few != many {
					t.Errorf("reading history %v: %s runs %d queries but %s runs %d: the count grows with what is shown", history, pair.few, few, pair.many, many)
				}
				if many > pair.most {
					t.Errorf("reading history %v: %s runs %d queries, more than its %d", history, pair.many, many, pair.most)
				}
				t.Logf("reading history %v: %s: %d queries", history, pair.many, many)
			}
		}
	})
}

// The queue runs the same number of queries with 3 items waiting as with 60 across many groups.
func TestQueueRunsAFixedNumberOfQueries(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a, counter := countedApp(t, db)
		admin := a.admin("qq_admin")
		author, reporter := a.member("qq_author"), a.member("qq_reporter")
		measure := func() int64 {
			admin.get("/mod")
			before := counter.n.Load()
			if p := admin.get("/mod"); p.status != 200 {
				t.Fatalf("/mod: %d", p.status)
			}
			return counter.n.Load() - before
		}
		report := func(slug string, i int) {
			topic := author.newTopic(slug, fmt.Sprintf("Topic %s %d", slug, i), "text")
			reason := []string{"spam", "at_risk", "other"}[i%3]
			reporter.post(fmt.Sprintf("/p/%d/report", a.firstPostID(topic)), "reason", reason, "details", "note")
		}
		admin.createGroup("Group zero", "group-0", "public", false)
		author.join("group-0")
		for i := 0; i < 3; i++ {
			report("group-0", i)
		}
		few := measure()
		for gi := 1; gi <= 5; gi++ {
			slug := fmt.Sprintf("group-%d", gi)
			admin.createGroup("Group "+slug, slug, "public", false)
			author.join(slug)
			for i := 0; i < 12; i++ {
				report(slug, i)
			}
		}
		many := measure()
		if few != many {
			t.Errorf("the queue runs %d queries with 3 items and %d with 63", few, many)
		}
		t.Logf("/mod: %d queries", many)
	})
}

// grow adds topics of postsEach posts (and a reaction on each) to a group, written directly as
// haven gen does, then lets the forum store the counts it keeps on write.
func grow(t *testing.T, db *gorm.DB, slug string, topics, postsEach int, authors []int64) []int64 {
	t.Helper()
	var group int64
	if err := db.Raw(`SELECT id FROM groups WHERE slug = ?`, slug).Scan(&group).Error; err != nil || group == 0 {
		t.Fatalf("group %s: %v", slug, err)
	}
	now := time.Now().UTC()
	var ids []int64
	err := db.Transaction(func(tx *gorm.DB) error {
		for i := 0; i < topics; i++ {
			var topic int64
			at := now.Add(-time.Duration(topics-i) * time.Minute)
			err := tx.Raw(`INSERT INTO topics (group_id, author_id, title, content_warning, created_at, last_post_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
				group, authors[i%len(authors)], fmt.Sprintf("Grown topic %d about sleep and worry", i), []string{"", "", "grief"}[i%3], at, at).Scan(&topic).Error
			if err != nil {
				return err
			}
			for j := 0; j < postsEach; j++ {
				var post int64
				if err := tx.Raw(`INSERT INTO posts (topic_id, author_id, anonymous, body, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id`,
					topic, authors[(i+j)%len(authors)], j%4 == 3, fmt.Sprintf("Post %d of topic %d: sleep comes slowly, worry fast.", j, i), at).Scan(&post).Error; err != nil {
					return err
				}
				if err := tx.Exec(`INSERT INTO reactions (post_id, member_id, kind, created_at) VALUES (?, ?, 'me_too', ?)`,
					post, authors[(i+j+1)%len(authors)], at).Error; err != nil {
					return err
				}
			}
			ids = append(ids, topic)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := forum.New(db, site.NewSettings(db), nil).Check(context.Background()); err != nil {
		t.Fatal(err)
	}
	return ids
}

// Home, a group page and a topic page run as many queries with 3 topics as with 300 (and as
// many groups), and a topic page as many with 1 post as with 60 (two pages), signed in.
func TestPagesRunAFixedNumberOfQueriesAtEverySize(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a, counter := countedApp(t, db)
		admin := a.admin("qs_admin")
		m := a.member("qs_member")
		var authors []int64
		for i := 0; i < 4; i++ {
			a.member(fmt.Sprintf("qs_other%d", i))
			var id int64
			db.Raw(`SELECT id FROM members WHERE username = ?`, fmt.Sprintf("qs_other%d", i)).Scan(&id)
			authors = append(authors, id)
		}
		measure := func(path string) int64 {
			t.Helper()
			m.get(path) // warm: the session cookie is settled
			before := counter.n.Load()
			if p := m.get(path); p.status != 200 {
				t.Fatalf("%s: %d", path, p.status)
			}
			return counter.n.Load() - before
		}
		counts := map[string][]int64{}
		groups, topics := 0, 0
		for _, size := range []int{3, 30, 300} {
			for groups < size/30+1 {
				slug := fmt.Sprintf("sizes-%d", groups)
				admin.createGroup(fmt.Sprintf("Sizes %d", groups), slug, "public", true)
				m.join(slug)
				groups++
			}
			grow(t, db, "sizes-0", size-topics, 2, authors)
			topics = size
			counts["/"] = append(counts["/"], measure("/"))
			counts["/g/sizes-0"] = append(counts["/g/sizes-0"], measure("/g/sizes-0"))
			counts["/g/sizes-0?page=2"] = append(counts["/g/sizes-0?page=2"], measure("/g/sizes-0?page=2"))
		}
		for _, posts := range []int{1, 10, 60} {
			id := grow(t, db, "sizes-0", 1, posts, authors)[0]
			counts["/t/N"] = append(counts["/t/N"], measure(fmt.Sprintf("/t/%d", id)))
			counts["/t/N?page=2"] = append(counts["/t/N?page=2"], measure(fmt.Sprintf("/t/%d?page=2", id)))
		}
		for path, n := range counts {
			for _, c := range n[1:] {
				if c != n[0] {
					t.Errorf("%s runs %v queries as the forum grows: the count must not grow with it", path, n)
					break
				}
			}
			t.Logf("%s: %v queries", path, n)
		}
	})
}
