package web_test

import (
	"context"
	"fmt"
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
