package web_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/haven-forum/haven/internal/dbtest"
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

// The number of queries a page makes must not grow with what it shows.
func TestPagesRunAFixedNumberOfQueries(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		counter := &queryCounter{}
		counted := db.Session(&gorm.Session{Logger: counter})
		a := newApp(t, counted, func(d *web.Deps) { d.DB = counted })
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
		pairs := [][2]string{
			{fmt.Sprintf("/t/%d", small), fmt.Sprintf("/t/%d", big)},
			{"/g/small", "/g/big"},
			{"/search?q=small", "/search?q=big"},
			{"/", "/"},
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
				few, many := measure(pair[0]), measure(pair[1])
				if few != many {
					t.Errorf("reading history %v: %s runs %d queries but %s runs %d: the count grows with what is shown", history, pair[0], few, pair[1], many)
				}
				t.Logf("reading history %v: %s: %d queries", history, pair[1], many)
			}
		}
	})
}

// The queue runs the same number of queries with 3 items waiting as with 60 across many groups.
func TestQueueRunsAFixedNumberOfQueries(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		counter := &queryCounter{}
		counted := db.Session(&gorm.Session{Logger: counter})
		a := newApp(t, counted, func(d *web.Deps) { d.DB = counted })
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
