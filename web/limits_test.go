package web_test

import (
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/haven-forum/haven/internal/dbtest"
	"github.com/haven-forum/haven/internal/forum"
	"github.com/haven-forum/haven/internal/throttle"
	"github.com/haven-forum/haven/web"
	"gorm.io/gorm"
)

// at40 sends 40 requests at the same moment and returns the statuses they got.
func at40(send func(i int) page) map[int]int {
	var mu sync.Mutex
	got := map[int]int{}
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			p := send(i)
			mu.Lock()
			got[p.status]++
			mu.Unlock()
		}()
	}
	close(start)
	wg.Wait()
	return got
}

// Every limit is counted before the work it guards, so 40 attempts at once against a limit of
// 10 let 10 through and refuse 30: none waits for the others' counts to be written.
func TestNoLimitIsBeatenByConcurrentAttempts(t *testing.T) {
	t.Parallel()
	ten := throttle.Limit{Max: 10, Window: time.Hour}
	many := throttle.Limit{Max: 1000, Window: time.Hour}
	const wrong = "wrong password 1234"
	cases := []struct {
		name   string
		limits func(*web.Limits)
		// attempt returns a request to send 40 times; passed is the status of an attempt let through.
		attempt func(a *app) func(i int) page
		passed  int
	}{
		{"log-in per username", func(l *web.Limits) { l.LoginPerUsername = ten }, func(a *app) func(int) page {
			a.member("target")
			c := a.client()
			tok := c.csrf()
			return func(int) page { return c.postRaw("/login", tok, "username", "target", "password", wrong) }
		}, http.StatusUnauthorized},
		{"log-in per address", func(l *web.Limits) { l.LoginPerAddress = ten }, func(a *app) func(int) page {
			c := a.client()
			tok := c.csrf()
			return func(i int) page {
				return c.postRaw("/login", tok, "username", fmt.Sprint("name", i), "password", wrong)
			}
		}, http.StatusUnauthorized},
		{"sign-up per address", func(l *web.Limits) { l.SignUpPerAddress = ten }, func(a *app) func(int) page {
			c := a.client()
			tok := c.csrf()
			return func(i int) page {
				return c.postRaw("/signup", tok, "username", fmt.Sprint("new", i), "password", "short", "password_confirm", "short")
			}
		}, http.StatusUnprocessableEntity},
		{"recovery", func(l *web.Limits) { l.RecoverPerTarget = ten }, func(a *app) func(int) page {
			a.member("target")
			c := a.client()
			tok := c.csrf()
			return func(int) page {
				return c.postRaw("/recover", tok, "username", "target", "code", "AAAA-AAAA-AAAA-AAAA", "password", goodPassword+"!", "password_confirm", goodPassword+"!")
			}
		}, http.StatusUnprocessableEntity},
		{"password change", func(l *web.Limits) { l.LoginPerUsername = ten }, func(a *app) func(int) page {
			c := a.member("target")
			tok := c.csrf()
			return func(int) page {
				return c.postRaw("/account/password", tok, "current_password", wrong, "password", goodPassword+"!", "password_confirm", goodPassword+"!")
			}
		}, http.StatusUnprocessableEntity},
		{"new recovery codes", func(l *web.Limits) { l.LoginPerUsername = ten }, func(a *app) func(int) page {
			c := a.member("target")
			tok := c.csrf()
			return func(int) page { return c.postRaw("/account/recovery-codes", tok, "codes_password", wrong) }
		}, http.StatusUnprocessableEntity},
		{"account deletion", func(l *web.Limits) { l.LoginPerUsername = ten }, func(a *app) func(int) page {
			c := a.member("target")
			tok := c.csrf()
			return func(int) page { return c.postRaw("/account/delete", tok, "posts", "keep", "password", wrong) }
		}, http.StatusUnprocessableEntity},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
				limits := web.DefaultLimits
				limits.LoginPerUsername, limits.LoginPerAddress, limits.SignUpPerAddress, limits.RecoverPerTarget = many, many, many, many
				tc.limits(&limits)
				a := newApp(t, db, func(d *web.Deps) { d.Limits = limits })
				got := at40(tc.attempt(a))
				if got[tc.passed] != 10 || got[http.StatusTooManyRequests] != 30 {
					t.Errorf("statuses %v: want 10 × %d and 30 × 429", got, tc.passed)
				}
			})
		})
	}
}

// Posting limits and slow mode are counted inside the writing transaction: 40 replies or
// topics at once publish no more than the limit allows.
func TestConcurrentRepliesKeepPostingLimits(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		limits := forum.DefaultPostLimits
		ten := throttle.Limit{Max: 10, Window: time.Hour}
		limits.Replies, limits.NewReplies, limits.Topics, limits.NewTopics = ten, ten, ten, ten
		a := newApp(t, db, func(d *web.Deps) { d.Forum.WithPostLimits(d.SessionKey, limits) })
		admin := a.admin("pl_admin")
		admin.createGroup("Support", "support", "public", false)
		admin.join("support")
		ann := a.member("pl_ann")
		ann.join("support")
		rate := admin.newTopic("support", "Rate", "x")
		slow := admin.newTopic("support", "Slow", "x")
		if p := admin.post(fmt.Sprintf("/mod/topics/%d/slow", slow), "reason", "Calm down", "seconds", "300"); p.status != http.StatusSeeOther {
			t.Fatalf("slow mode: %d", p.status)
		}
		ben := a.member("pl_ben")
		ben.join("support")
		for _, tc := range []struct {
			who   *client
			topic int64
			want  int64
		}{{ann, rate, 10}, {ben, slow, 1}} {
			tok := tc.who.csrf()
			at40(func(i int) page {
				return tc.who.postRaw(fmt.Sprintf("/t/%d/replies", tc.topic), tok, "body", fmt.Sprint("reply ", i), "_submit", fmt.Sprint(tc.topic, "-", i))
			})
			var n int64
			db.Raw(`SELECT COUNT(*) FROM posts WHERE topic_id = ? AND author_id <> (SELECT author_id FROM topics WHERE id = ?)`, tc.topic, tc.topic).Scan(&n)
			if n != tc.want {
				t.Errorf("topic %d: %d replies published, want %d", tc.topic, n, tc.want)
			}
		}
		cat := a.member("pl_cat")
		cat.join("support")
		tok := cat.csrf()
		at40(func(i int) page {
			return cat.postRaw("/g/support/topics", tok, "title", fmt.Sprint("Topic ", i), "body", "x", "_submit", fmt.Sprint("t-", i))
		})
		var n int64
		db.Raw(`SELECT COUNT(*) FROM topics WHERE title LIKE 'Topic %'`).Scan(&n)
		if n != 10 {
			t.Errorf("%d topics published, want 10", n)
		}
	})
}

// Log-ins beyond what the password-hash slots can take in a short wait are told to come back
// (429 with Retry-After), not queued without end and not a 500.
func TestLogInsBeyondTheHashSlotsAreAskedToComeBack(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newApp(t, db, func(d *web.Deps) { d.Accounts.WithHashLimit(1, time.Millisecond) })
		c := a.client()
		tok := c.csrf()
		var mu sync.Mutex
		busy, wrong := 0, 0
		var wg sync.WaitGroup
		for i := range 20 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				p := c.postRaw("/login", tok, "username", fmt.Sprint("crowd", i), "password", "wrong password 1234")
				mu.Lock()
				defer mu.Unlock()
				switch {
				case p.status == http.StatusTooManyRequests && p.header.Get("Retry-After") != "":
					busy++
					mustContain(t, p.body, "Haven is busy checking other passwords")
				case p.status == http.StatusUnauthorized:
					wrong++
				default:
					t.Errorf("log-in %d: status %d, Retry-After %q", i, p.status, p.header.Get("Retry-After"))
				}
			}()
		}
		wg.Wait()
		if busy == 0 || wrong == 0 {
			t.Errorf("%d asked to come back and %d checked; want some of each", busy, wrong)
		}
	})
}
