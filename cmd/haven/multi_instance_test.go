package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/haven-forum/haven/internal/database"
	"github.com/haven-forum/haven/internal/dbtest"
	"gorm.io/gorm"
)

// instance is one Haven (run, in this process) of several sharing a database.
type instance struct {
	URL  string
	stop func() // cancels run and waits for it: to the other instances, the holder is gone
}

// startInstance runs the real program on a free port with its own data directory and its own
// background jobs, and stops it when the test ends if the test has not.
func startInstance(t *testing.T, getenv func(string) string) *instance {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := run(ctx, []string{"--addr", "127.0.0.1:0", "--data", t.TempDir()}, getenv, nil, pw, io.Discard)
		pw.CloseWithError(err)
		done <- err
	}()
	urlc := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			if m := servingLine.FindStringSubmatch(sc.Text()); m != nil {
				urlc <- m[1]
			}
		}
	}()
	stop := sync.OnceFunc(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("run returned %v at shutdown", err)
			}
		case <-time.After(20 * time.Second):
			t.Error("an instance did not shut down")
		}
	})
	t.Cleanup(stop)
	select {
	case u := <-urlc:
		return &instance{URL: u, stop: stop}
	case err := <-done:
		t.Fatalf("run ended before serving: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("an instance did not start")
	}
	return nil
}

// roundRobin is the load balancer: each request goes to the next backend in turn, and the
// answer says which one served it (X-Test-Backend: a or b).
type roundRobin struct {
	mu      sync.Mutex
	next    int
	proxies []*httputil.ReverseProxy
}

func newRoundRobin(t *testing.T, backends ...string) (*roundRobin, string) {
	rr := &roundRobin{}
	for i, b := range backends {
		u, err := url.Parse(b)
		if err != nil {
			t.Fatal(err)
		}
		p := httputil.NewSingleHostReverseProxy(u)
		name := string(rune('a' + i))
		p.ModifyResponse = func(res *http.Response) error { res.Header.Set("X-Test-Backend", name); return nil }
		rr.proxies = append(rr.proxies, p)
	}
	srv := httptest.NewServer(rr)
	t.Cleanup(srv.Close)
	return rr, srv.URL
}

func (rr *roundRobin) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rr.mu.Lock()
	p := rr.proxies[rr.next%len(rr.proxies)]
	rr.next++
	rr.mu.Unlock()
	p.ServeHTTP(w, r)
}

// then makes backend i ("a" is 0) serve the next request; the turns go on from there.
func (rr *roundRobin) then(i int) {
	rr.mu.Lock()
	rr.next = i
	rr.mu.Unlock()
}

const multiPassword = "a long enough password 7"

// TestTwoInstancesPostgresBehaveAsOne runs two Haven processes' worth of servers (each with its
// own background jobs) on one PostgreSQL database and one session key, behind a round-robin
// proxy, and checks that a member cannot tell them apart.
func TestTwoInstancesPostgresBehaveAsOne(t *testing.T) {
	// Not parallel: it watches leases pass between instances with waits timed against the job tick.
	dbURL := dbtest.PostgresURL(t)
	getenv := env("HAVEN_DATABASE_URL", dbURL, "HAVEN_SESSION_KEY", strings.Repeat("s", 40), "HAVEN_JOB_TICK", "100ms")
	if err := run(context.Background(), []string{"user", "create", "--username", "admin", "--role", "admin", "--data", t.TempDir()},
		getenv, strings.NewReader(multiPassword+"\n"), io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	db, err := database.Open(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { database.Close(db) })

	// A starts alone, so the first lease on the purge job is A's.
	a := startInstance(t, getenv)
	first := waitLease(t, db, func(l lease) bool { return l.Holder != "" })
	b := startInstance(t, getenv)
	rr, base := newRoundRobin(t, a.URL, b.URL)

	topic := makeGroupAndTopic(t, rr, base)
	t.Run("sign up on one, log in on the other", func(t *testing.T) {
		c := newFormClient(base)
		c.get(t, "/signup")
		rr.then(1)
		if status, _ := c.post(t, "/signup", "username", "rowan", "password", multiPassword, "password_confirm", multiPassword); status != http.StatusSeeOther || c.backend != "b" {
			t.Fatalf("sign up on b: %d (served by %s)", status, c.backend)
		}
		c.get(t, "/signup/codes") // the codes, and the new session's form token
		c.mustPost(t, "/logout")
		rr.then(1)
		c.get(t, "/login")
		if status, loc := c.post(t, "/login", "username", "rowan", "password", multiPassword); status != http.StatusSeeOther || c.backend != "a" {
			t.Fatalf("log in on a: %d %s (served by %s)", status, loc, c.backend)
		}
		signedInOnBoth(t, rr, c, true)
	})

	t.Run("CSRF tokens from one are accepted by the other", func(t *testing.T) {
		c := newFormClient(base)
		c.logIn(t, "rowan", multiPassword)
		rr.then(0)
		c.get(t, "/privacy") // the token now in hand was rendered by a
		rr.then(1)
		if status, _ := c.post(t, "/privacy/retention", "retention_days", "90"); status != http.StatusSeeOther || c.backend != "b" {
			t.Errorf("a form from a posted to b: %d (served by %s), want 303", status, c.backend)
		}
		rr.then(1)
		c.get(t, "/privacy")
		rr.then(0)
		if status, _ := c.post(t, "/privacy/retention", "retention_days", "30"); status != http.StatusSeeOther || c.backend != "a" {
			t.Errorf("a form from b posted to a: %d (served by %s), want 303", status, c.backend)
		}
	})

	t.Run("log out everywhere on one ends the session on the other", func(t *testing.T) {
		laptop, phone := newFormClient(base), newFormClient(base)
		laptop.logIn(t, "rowan", multiPassword)
		phone.logIn(t, "rowan", multiPassword)
		signedInOnBoth(t, rr, laptop, true)
		rr.then(0)
		phone.get(t, "/account")
		phone.mustPost(t, "/account/logout-everywhere")
		if phone.backend != "b" {
			t.Fatalf("log-out everywhere was served by %s", phone.backend)
		}
		signedInOnBoth(t, rr, laptop, false)
		signedInOnBoth(t, rr, phone, true)
	})

	t.Run("a consent switched off on one stops recording on the other at once", func(t *testing.T) {
		c := newFormClient(base)
		c.logIn(t, "rowan", multiPassword)
		c.get(t, "/privacy")
		rr.then(0)
		c.mustPost(t, "/privacy/consent", "purpose", "reading_history", "enabled", "true")
		rr.then(1)
		if status, _ := c.get(t, topic); status != http.StatusOK || c.backend != "b" {
			t.Fatalf("GET %s: %d on %s", topic, status, c.backend)
		}
		// b writes topic opens in batches: a sees the open once b's batch is written.
		waitFor(t, "the open on b in the export", func() bool { return exportedOpens(t, c) == 1 })
		c.get(t, "/privacy")
		rr.then(0)
		c.mustPost(t, "/privacy/consent", "purpose", "reading_history", "enabled", "false")
		for range 4 { // the very next opens, on b then a then b then a
			c.get(t, topic)
		}
		time.Sleep(500 * time.Millisecond) // ten batch periods
		for range 2 {
			if n := exportedOpens(t, c); n != 1 {
				t.Errorf("export on %s lists %d topic opens, want the 1 from before the switch", c.backend, n)
			}
		}
	})

	t.Run("an erasure on one covers the opens the other has not written yet", func(t *testing.T) {
		c := newFormClient(base)
		c.logIn(t, "rowan", multiPassword)
		c.get(t, "/privacy")
		rr.then(0)
		c.mustPost(t, "/privacy/consent", "purpose", "reading_history", "enabled", "true")
		c.get(t, topic)                                   // b queues the open for its next batch…
		c.mustPost(t, "/privacy/erase", "confirm", "yes") // …and a erases everything before or after b writes it
		if c.backend != "a" {
			t.Fatalf("the erasure was served by %s", c.backend)
		}
		time.Sleep(500 * time.Millisecond)
		for range 2 {
			if n := exportedOpens(t, c); n != 0 {
				t.Errorf("export on %s lists %d topic opens after erasing everything", c.backend, n)
			}
		}
	})

	t.Run("notifications and the moderation queue agree", func(t *testing.T) {
		adm, c := newFormClient(base), newFormClient(base)
		adm.logIn(t, "admin", multiPassword)
		c.logIn(t, "rowan", multiPassword)
		c.get(t, "/g/night-owls")
		c.mustPost(t, "/g/night-owls/join")
		c.get(t, topic)
		rr.then(0)
		loc := c.mustPost(t, topic+"/replies", "body", "Up too. Warm milk helps me.", "_submit", "two-instances-reply")
		if c.backend != "a" {
			t.Fatalf("the reply was served by %s", c.backend)
		}
		reply := idAfter(t, loc, "/p/")
		rr.then(1)
		if _, body := adm.get(t, "/notifications"); adm.backend != "b" || !strings.Contains(body, "rowan replied to your topic “Awake again”") {
			t.Errorf("the topic's author on %s does not see the reply made on a", adm.backend)
		}
		rr.then(1)
		adm.get(t, fmt.Sprintf("/p/%d/report", reply))
		if loc := adm.mustPost(t, fmt.Sprintf("/p/%d/report", reply), "reason", "harassment", "details", "checking both instances"); adm.backend != "a" {
			t.Fatalf("the report was served by %s (%s)", adm.backend, loc)
		}
		rr.then(1)
		if _, body := adm.get(t, "/mod"); adm.backend != "b" || !strings.Contains(body, "checking both instances") {
			t.Errorf("the review queue on %s does not list the report made on a", adm.backend)
		}
	})

	t.Run("rate limits are shared", func(t *testing.T) {
		c := newFormClient(base)
		c.get(t, "/login")
		for i := range 10 { // the limit per username is 10 in 15 minutes: 5 wrong guesses on each
			c.post(t, "/login", "username", "admin", "password", "wrong guess "+strconv.Itoa(i))
		}
		c.get(t, "/login")
		if status, _ := c.post(t, "/login", "username", "admin", "password", multiPassword); status != http.StatusTooManyRequests {
			t.Errorf("the 11th log-in after 10 wrong guesses spread over two instances: %d, want 429", status)
		}
	})

	t.Run("the purge job runs once per period, and is taken over when its holder dies", func(t *testing.T) {
		// Both instances have tried every 100ms for a while: the first period's run is still A's only.
		time.Sleep(500 * time.Millisecond)
		if now := currentLease(t, db); now != first {
			t.Fatalf("the purge lease changed within its period: %+v, then %+v", first, now)
		}
		// The period ends with both alive: exactly one of them runs it again.
		expireLease(t, db)
		second := waitLease(t, db, func(l lease) bool { return l.LastRunAt.After(first.LastRunAt) })
		time.Sleep(500 * time.Millisecond)
		if now := currentLease(t, db); now != second {
			t.Fatalf("the purge ran twice in one period: %+v, then %+v", second, now)
		}
		// Whoever holds it dies: a is stopped (b survives, or the other way round), and the
		// survivor takes the next period.
		survivor := b
		if second.Holder != first.Holder {
			survivor = a
			b.stop()
		} else {
			a.stop()
		}
		expireLease(t, db)
		third := waitLease(t, db, func(l lease) bool { return l.LastRunAt.After(second.LastRunAt) })
		if third.Holder == second.Holder {
			t.Fatalf("the dead holder %s still runs the job", second.Holder)
		}
		if status, _, _, err := newFormClient(survivor.URL).do(context.Background(), http.MethodGet, "/healthz", nil); err != nil || status != 200 {
			t.Errorf("the survivor answers %d, %v", status, err)
		}
	})
}

// makeGroupAndTopic has the admin make a public group with one topic and returns its path.
func makeGroupAndTopic(t *testing.T, rr *roundRobin, base string) string {
	t.Helper()
	adm := newFormClient(base)
	adm.logIn(t, "admin", multiPassword)
	adm.get(t, "/admin")
	adm.mustPost(t, "/admin/groups", "name", "Night Owls", "slug", "night-owls", "description", "For the sleepless.",
		"rules", "Be kind.", "visibility", "public")
	adm.mustPost(t, "/g/night-owls/join")
	loc := adm.mustPost(t, "/g/night-owls/topics", "title", "Awake again", "body", "Anyone else up?", "_submit", "first-topic")
	return "/t/" + strconv.FormatInt(idAfter(t, loc, "/t/"), 10)
}

// signedInOnBoth checks, on a and then on b, whether the client is signed in.
func signedInOnBoth(t *testing.T, rr *roundRobin, c *formClient, want bool) {
	t.Helper()
	rr.then(0)
	for range 2 {
		status, _ := c.get(t, "/account")
		if got := status == http.StatusOK; got != want {
			t.Errorf("on instance %s: signed in %v, want %v (GET /account: %d)", c.backend, got, want, status)
		}
	}
}

// exportedOpens counts the topic opens in the member's own export.
func exportedOpens(t *testing.T, c *formClient) int {
	t.Helper()
	status, body := c.get(t, "/privacy/export")
	var doc struct{ Activity []json.RawMessage }
	if err := json.Unmarshal([]byte(body), &doc); status != http.StatusOK || err != nil {
		t.Fatalf("export: %d %v", status, err)
	}
	return len(doc.Activity)
}

type lease struct {
	Holder    string
	LastRunAt time.Time
}

func currentLease(t *testing.T, db *gorm.DB) lease {
	t.Helper()
	var ls []lease
	if err := db.Raw(`SELECT holder, last_run_at FROM job_leases WHERE name = 'retention_purge'`).Scan(&ls).Error; err != nil {
		t.Fatal(err)
	}
	if len(ls) == 0 {
		return lease{}
	}
	ls[0].LastRunAt = ls[0].LastRunAt.UTC()
	return ls[0]
}

// expireLease ends the purge job's period now, as ten minutes passing would.
func expireLease(t *testing.T, db *gorm.DB) {
	t.Helper()
	if err := db.Exec(`UPDATE job_leases SET expires_at = ? WHERE name = 'retention_purge'`, time.Now().UTC().Add(-time.Second)).Error; err != nil {
		t.Fatal(err)
	}
}

func waitLease(t *testing.T, db *gorm.DB, ok func(lease) bool) lease {
	t.Helper()
	var l lease
	waitFor(t, "the purge lease", func() bool { l = currentLease(t, db); return ok(l) })
	return l
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	for end := time.Now().Add(10 * time.Second); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
		if ok() {
			return
		}
	}
	t.Fatalf("waited 10s for %s", what)
}
