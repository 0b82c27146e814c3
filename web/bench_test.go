package web_test

import (
	"strings"
	"sync/atomic"
	"time"

	"context"
	"fmt"
	"gorm.io/gorm"
	"io"
	"net/http"
	"net/http/cookiejar"
	"testing"

	"github.com/haven-forum/haven/internal/dbtest"
)

// BenchmarkTopicPage measures the topic page through the real router on SQLite, with the
// reader's reading history off (nothing written) and on (one gated write per view).
//
//	go test ./web -run '^$' -bench BenchmarkTopicPage -benchtime 3s
func BenchmarkTopicPage(b *testing.B) {
	for _, history := range []bool{false, true} {
		b.Run(fmt.Sprintf("reading_history=%v", history), func(b *testing.B) {
			t := &testing.T{}
			db := dbtest.SQLite(b)
			a := newApp(t, db)
			a.t = t
			admin := a.admin("bench_admin")
			admin.createGroup("Bench", "bench", "public", false)
			m := a.member("bench_member")
			m.join("bench")
			topic := m.newTopic("bench", "A benchmark topic", "Some text to render.")
			for i := 0; i < 20; i++ {
				m.reply(topic, fmt.Sprintf("reply %d with a little **markdown**", i))
			}
			if history {
				m.post("/privacy/consent", "purpose", "reading_history", "enabled", "true")
			}
			url := fmt.Sprintf("%s/t/%d", a.srv.URL, topic)
			jar := m.http.Jar.(*cookiejar.Jar)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				c := &http.Client{Jar: jar}
				for pb.Next() {
					res, err := c.Get(url)
					if err != nil || res.StatusCode != 200 {
						b.Errorf("GET: %v %v", err, res)
						return
					}
					io.Copy(io.Discard, res.Body)
					res.Body.Close()
				}
			})
			b.StopTimer()
			a.privacy.Flush(context.Background())
			var n int64
			db.Raw(`SELECT COUNT(*) FROM activity_events`).Scan(&n)
			if history != (n > 0) {
				b.Fatalf("reading_history=%v but %d events", history, n)
			}
		})
	}
}

// BenchmarkModQueue10k renders the review queue for an admin with 10,000 pending reports across
// 50 groups (SQLite). The page runs a fixed number of queries (see TestQueueRunsAFixedNumberOfQueries).
//
//	go test ./web -run '^$' -bench BenchmarkModQueue10k -benchtime 3s
func BenchmarkModQueue10k(b *testing.B) {
	t := &testing.T{}
	db := dbtest.SQLite(b)
	a := newApp(t, db)
	admin := a.admin("bench_mod_admin")
	author := a.member("bench_author")
	var authorID int64
	db.Raw(`SELECT id FROM members WHERE username = 'bench_author'`).Scan(&authorID)
	now := time.Now().UTC()
	err := db.Transaction(func(tx *gorm.DB) error {
		for g := 1; g <= 50; g++ {
			var gid int64
			tx.Raw(`INSERT INTO groups (slug, name, visibility, created_at) VALUES (?, ?, 'public', ?) RETURNING id`,
				fmt.Sprintf("bench-%02d", g), fmt.Sprintf("Bench %02d", g), now).Scan(&gid)
			for i := 0; i < 200; i++ {
				var tid, pid int64
				tx.Raw(`INSERT INTO topics (group_id, author_id, title, created_at, last_post_at) VALUES (?, ?, ?, ?, ?) RETURNING id`,
					gid, authorID, fmt.Sprintf("Topic %d-%d", g, i), now, now).Scan(&tid)
				tx.Raw(`INSERT INTO posts (topic_id, author_id, body, created_at) VALUES (?, ?, 'A reported post body.', ?) RETURNING id`,
					tid, authorID, now).Scan(&pid)
				if err := tx.Exec(`INSERT INTO queue_items (group_id, kind, post_id, member_id, at_risk, report_count, created_at)
					VALUES (?, 'report', ?, ?, ?, 1, ?)`, gid, pid, authorID, i%10 == 0, now).Error; err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	_ = author
	url := a.srv.URL + "/mod"
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		p := admin.get("/mod")
		if p.status != 200 || !strings.Contains(p.body, "10000 waiting") {
			b.Fatalf("%s: %d", url, p.status)
		}
	}
}

// BenchmarkReport files reports through the real router on SQLite, 2 clients in parallel, each
// report a new post's first report (so every request writes).
//
//	go test ./web -run '^$' -bench BenchmarkReport -benchtime 2000x
func BenchmarkReport(b *testing.B) {
	t := &testing.T{}
	db := dbtest.SQLite(b)
	a := newApp(t, db)
	a.admin("rep_admin").createGroup("Reports", "reports", "public", false)
	author, reporter := a.member("rep_author"), a.member("rep_reporter")
	author.join("reports")
	topic := author.newTopic("reports", "Many posts", "first")
	var authorID int64
	db.Raw(`SELECT id FROM members WHERE username = 'rep_author'`).Scan(&authorID)
	first := a.firstPostID(topic)
	now := time.Now().UTC()
	db.Transaction(func(tx *gorm.DB) error {
		for i := 0; i < b.N; i++ {
			tx.Exec(`INSERT INTO posts (topic_id, author_id, body, created_at) VALUES (?, ?, 'post', ?)`, topic, authorID, now)
		}
		return nil
	})
	token := reporter.csrf()
	var next atomic.Int64
	next.Store(first)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			id := next.Add(1)
			p := reporter.postRaw(fmt.Sprintf("/p/%d/report", id), token, "reason", "spam", "details", "bench")
			if p.status != http.StatusSeeOther {
				b.Errorf("report: %d", p.status)
				return
			}
		}
	})
}

// BenchmarkGroupPage measures a group page of 30 topics (20 posts each) through the real router
// on SQLite for two readers of the same group, one with reading history off (no counts) and one
// with it on ("N new" on every row: half the topics opened, each with replies since). Requests
// alternate between the two, so that a machine busy with other work slows both alike; it
// reports each one's requests per second and on/off, which issue 14 asks to stay above 0.9.
//
//	go test ./web -run '^$' -bench BenchmarkGroupPage -benchtime 2000x -count 3
func BenchmarkGroupPage(b *testing.B) {
	t := &testing.T{}
	db := dbtest.SQLite(b)
	a := newApp(t, db)
	a.t = t
	a.admin("gp_admin").createGroup("Bench", "bench", "public", false)
	off, on, writer := a.member("gp_off"), a.member("gp_on"), a.member("gp_writer")
	for _, c := range []*client{off, on, writer} {
		c.join("bench")
	}
	var writerID int64
	db.Raw(`SELECT id FROM members WHERE username = 'gp_writer'`).Scan(&writerID)
	topics := make([]int64, 30)
	for i := range topics {
		topics[i] = writer.newTopic("bench", fmt.Sprintf("Bench topic %d", i), "Opening post.")
	}
	addReplies := func(n int) {
		db.Transaction(func(tx *gorm.DB) error {
			for _, id := range topics {
				for j := 0; j < n; j++ {
					tx.Exec(`INSERT INTO posts (topic_id, author_id, body, created_at) VALUES (?, ?, 'reply', ?)`, id, writerID, time.Now().UTC())
				}
				tx.Exec(`UPDATE topics SET reply_count = reply_count + ? WHERE id = ?`, n, id)
			}
			return nil
		})
	}
	addReplies(15)
	on.post("/privacy/consent", "purpose", "reading_history", "enabled", "true")
	for _, id := range topics[:15] {
		on.get(fmt.Sprintf("/t/%d", id))
	}
	addReplies(4)
	for c, want := range map[*client]bool{off: false, on: true} {
		if p := c.get("/g/bench"); p.status != 200 || strings.Contains(p.body, "data-new-posts") != want {
			b.Fatalf("status %d, counts shown %v, want %v", p.status, !want, want)
		}
	}
	url := a.srv.URL + "/g/bench"
	get := func(c *http.Client) time.Duration {
		start := time.Now()
		res, err := c.Get(url)
		if err != nil || res.StatusCode != 200 {
			b.Fatalf("GET: %v %v", err, res)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		return time.Since(start)
	}
	offClient, onClient := &http.Client{Jar: off.http.Jar}, &http.Client{Jar: on.http.Jar}
	var offTime, onTime time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if i%2 == 0 { // each goes first half the time
			offTime += get(offClient)
			onTime += get(onClient)
		} else {
			onTime += get(onClient)
			offTime += get(offClient)
		}
	}
	b.ReportMetric(float64(b.N)/offTime.Seconds(), "off-req/s")
	b.ReportMetric(float64(b.N)/onTime.Seconds(), "on-req/s")
	b.ReportMetric(offTime.Seconds()/onTime.Seconds(), "on/off")
}
