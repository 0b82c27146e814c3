package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/haven-forum/haven/internal/database"
	"github.com/haven-forum/haven/internal/demo"
	"gorm.io/gorm"
)

const (
	crashClients = 16
	crashRounds  = 5
	crashMost    = 55                     // replies a client writes at most: under the hourly reply limit of 60
	crashPace    = 120 * time.Millisecond // between one client's replies, so the load lasts through every round
)

// TestCrashDurabilityOfReplies: 16 members post replies while the server is SIGKILLed five
// times (and, on PostgreSQL, the database crashes once too). Every reply acknowledged with a
// redirect is there exactly once, a reply retried with its form's submit key is never stored
// twice, and the database checks clean.
func TestCrashDurabilityOfReplies(t *testing.T) {
	// Parallel: what it asserts (all or nothing, acknowledged = stored) holds at any pace; a busier
	// machine only moves where the kills land, and the kills step until the work is done.
	t.Parallel()
	bin := buildHaven(t)
	t.Run("sqlite", func(t *testing.T) {
		dir := t.TempDir()
		db := crashReplies(t, bin, dir, filepath.Join(dir, "haven.db"), nil)
		var result []string
		if err := db.Raw("PRAGMA integrity_check").Scan(&result).Error; err != nil || len(result) != 1 || result[0] != "ok" {
			t.Errorf("PRAGMA integrity_check: %v %q", err, result)
		}
	})
	t.Run("postgres", func(t *testing.T) {
		pg := startPGCluster(t)
		crashReplies(t, bin, t.TempDir(), pg.url("haven"), pg)
		pg.amcheck()
	})
}

// crashReplies runs the rounds and checks the replies; it returns the database, opened after
// the server's last stop.
func crashReplies(t *testing.T, bin, dir, dbURL string, pg *pgCluster) *gorm.DB {
	genArgs := []string{"--members", fmt.Sprint(crashClients), "--topics", "40", "--posts-per-topic", "2", "--seed", "3"}
	generate(t, dir, dbURL, genArgs...)
	topics := replyTopics(t, dbURL)
	srv := newHavenProc(t, bin, "--data", dir, "--db", dbURL)
	srv.start()

	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	clients := make([]*crashClient, crashClients)
	for i := range clients {
		name, topic := fmt.Sprintf("member%05d", i+1), topics[i%len(topics)]
		c := &crashClient{fc: newFormClient(srv.url()), name: name, topic: topic.ID, acked: map[string]int64{}, failedAt: map[string]time.Time{}}
		c.fc.logIn(t, name, demo.GenPassword)
		c.fc.get(t, "/g/"+topic.Slug)
		c.fc.mustPost(t, "/g/"+topic.Slug+"/join")
		if status, _ := c.fc.get(t, fmt.Sprintf("/t/%d", c.topic)); status != http.StatusOK {
			t.Fatalf("%s cannot open topic %d: %d", name, c.topic, status)
		}
		clients[i] = c
	}
	var finishing atomic.Bool
	var wg sync.WaitGroup
	for _, c := range clients {
		wg.Add(1)
		go func() { defer wg.Done(); c.post(ctx, &finishing) }()
	}
	var kills []string
	for round := 1; round <= crashRounds; round++ {
		after := 300*time.Millisecond + rand.N(700*time.Millisecond)
		time.Sleep(after)
		kills = append(kills, after.Round(time.Millisecond).String())
		if pg != nil && round == 3 {
			pg.crash() // the database goes first, mid-transaction for some
			srv.kill()
			pg.start()
			kills[len(kills)-1] += " (and pg_ctl stop -m immediate)"
		} else {
			srv.kill()
		}
		srv.start()
	}
	finishing.Store(true) // no new replies; the unacknowledged ones are sent again with their keys
	wg.Wait()
	srv.kill() // the last stop is a crash too: the checks below run on a recovered database
	if ctx.Err() != nil {
		t.Fatal("the clients did not finish within 90s")
	}
	db, err := database.Open(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { database.Close(db) })
	checkReplies(t, db, clients, kills)
	return db
}

// checkReplies finds every acknowledged reply once, under the id its redirect named, and no
// other test reply.
func checkReplies(t *testing.T, db *gorm.DB, clients []*crashClient, kills []string) {
	var acked, attempts, down, refused, lostAnswers int
	for _, c := range clients {
		for _, u := range c.unexpected {
			t.Errorf("%s: unexpected answer %s", c.name, u)
		}
		for key, id := range c.acked {
			var rows []struct {
				ID        int64
				CreatedAt time.Time
			}
			if err := db.Raw(`SELECT id, created_at FROM posts WHERE body = ?`, "crash reply "+key).Scan(&rows).Error; err != nil {
				t.Fatal(err)
			}
			if len(rows) != 1 || rows[0].ID != id {
				t.Errorf("reply %s was acknowledged as post %d; the database has %+v", key, id, rows)
				continue
			}
			if f, ok := c.failedAt[key]; ok && rows[0].CreatedAt.Before(f) {
				lostAnswers++ // stored by a try whose answer the crash lost; the retry got it back
			}
		}
		acked += len(c.acked)
		attempts, down, refused = attempts+c.attempts, down+c.down, refused+c.refused
	}
	var stored int64
	db.Raw(`SELECT COUNT(*) FROM posts WHERE body LIKE 'crash reply %'`).Scan(&stored)
	if stored != int64(acked) {
		t.Errorf("%d test replies stored, %d acknowledged", stored, acked)
	}
	if acked < crashClients {
		t.Errorf("only %d replies acknowledged: the test did not load the server", acked)
	}
	t.Logf("%d replies acknowledged, %d stored (each once), %d of them stored before a retry with the same key; %d POSTs, of which %d found the server down and %d got a 5xx; killed after %s",
		acked, stored, lostAnswers, attempts, down, refused, strings.Join(kills, ", "))
}

// crashClient is one member posting replies in a loop, each with its own key in the text and
// as the form's submit key; an answer lost to a crash is sent again with the same key.
type crashClient struct {
	fc                      *formClient
	name                    string
	topic                   int64
	acked                   map[string]int64     // key → post id in the redirect
	failedAt                map[string]time.Time // key → when its last unanswered try began
	attempts, down, refused int
	unexpected              []string
}

func (c *crashClient) post(ctx context.Context, finishing *atomic.Bool) {
	path := fmt.Sprintf("/t/%d/replies", c.topic)
	key, n := "", 0
	for ctx.Err() == nil {
		if key == "" {
			if finishing.Load() || n == crashMost {
				return
			}
			n++
			key = fmt.Sprintf("%s-%03d", c.name, n)
			time.Sleep(crashPace)
		}
		c.attempts++
		began := time.Now()
		status, loc, _, err := c.fc.do(ctx, http.MethodPost, path, c.fc.form("body", "crash reply "+key, "_submit", key))
		var id int64
		switch {
		case err != nil: // killed mid-request, or not up yet: same key again
			c.down++
			c.failedAt[key] = began
			time.Sleep(20 * time.Millisecond)
		case status >= 500: // the database is restarting
			c.refused++
			c.failedAt[key] = began
			time.Sleep(50 * time.Millisecond)
		case status == http.StatusSeeOther && strings.HasPrefix(loc, "/p/"):
			fmt.Sscanf(loc, "/p/%d", &id)
			c.acked[key], key = id, ""
		default:
			c.unexpected = append(c.unexpected, fmt.Sprintf("%d %s for %s", status, loc, key))
			key = ""
		}
	}
}

// generate fills an empty database with haven gen.
func generate(t *testing.T, dir, dbURL string, args ...string) {
	t.Helper()
	var out e2eLog
	if err := run(context.Background(), append([]string{"gen", "--data", dir, "--db", dbURL}, args...), env(), nil, &out, &out); err != nil {
		t.Fatalf("haven gen: %v\n%s", err, out.String())
	}
}

// replyTopic is an open topic in a public group, for the client to join and reply to.
type replyTopic struct {
	ID   int64
	Slug string
}

// replyTopics lists open topics in public groups, the first of each group first, so the
// clients spread over the groups.
func replyTopics(t *testing.T, dbURL string) []replyTopic {
	t.Helper()
	var topics []replyTopic
	withDB(t, dbURL, func(db *gorm.DB) error {
		return db.Raw(`SELECT MIN(t.id) AS id, g.slug FROM topics t JOIN groups g ON g.id = t.group_id
			WHERE g.visibility = 'public' AND t.locked = ? AND t.deleted_at IS NULL GROUP BY g.slug ORDER BY g.slug`, false).Scan(&topics).Error
	})
	if len(topics) == 0 {
		t.Fatal("haven gen made no open topic in a public group")
	}
	return topics
}

// TestCrashDuringAccountDeletion kills the server at later and later moments of a large account
// deletion (thousands of posts to erase, tens of thousands of recorded topic opens): after each
// crash the member's data is all there or all gone, never part of it.
func TestCrashDuringAccountDeletion(t *testing.T) {
	// Parallel: what it asserts (all or nothing, acknowledged = stored) holds at any pace; a busier
	// machine only moves where the kills land, and the kills step until the work is done.
	t.Parallel()
	bin := buildHaven(t)
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		crashErasure(t, bin, dir, filepath.Join(dir, "haven.db"))
	})
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		pg := startPGCluster(t)
		crashErasure(t, bin, t.TempDir(), pg.url("haven"))
	})
}

// memberData is what an account deletion with "erase my posts" removes.
type memberData struct {
	Account, Posts, Events, Sessions int64
}

func crashErasure(t *testing.T, bin, dir, dbURL string) {
	generate(t, dir, dbURL, "--members", "2", "--topics", "150", "--posts-per-topic", "20", "--events", "20000", "--seed", "5")
	var id int64
	var name string
	full := withDB(t, dbURL, func(db *gorm.DB) memberData {
		db.Raw(`SELECT member_id FROM activity_events GROUP BY member_id ORDER BY COUNT(*) DESC LIMIT 1`).Scan(&id)
		db.Raw(`SELECT username FROM members WHERE id = ?`, id).Scan(&name)
		return dataOf(db, id)
	})
	full.Sessions = 1 // each try below signs in first
	if full.Posts < 1000 || full.Events < 10000 {
		t.Fatalf("generated too little to erase: %+v", full)
	}
	srv := newHavenProc(t, bin, "--data", dir, "--db", dbURL)
	srv.start()
	// A wrong password costs the deletion's password check and nothing else: kills later than
	// that land in the erasure.
	c := newFormClient(srv.url())
	c.logIn(t, name, demo.GenPassword)
	c.get(t, "/account/delete")
	start := time.Now()
	if status, _ := c.post(t, "/account/delete", "posts", "erase", "password", "not the password"); status != http.StatusUnprocessableEntity {
		t.Fatalf("deletion with a wrong password: %d", status)
	}
	check := time.Since(start)
	var log []string
	midway := 0
	for delay := check + 10*time.Millisecond; delay < check+20*time.Second; delay += 100 * time.Millisecond {
		c := newFormClient(srv.url())
		c.logIn(t, name, demo.GenPassword)
		c.get(t, "/account/delete")
		answered := make(chan string, 1)
		start := time.Now()
		go func() {
			status, loc, _, err := c.do(context.Background(), http.MethodPost, "/account/delete", c.form("posts", "erase", "password", demo.GenPassword))
			if err != nil {
				answered <- ""
				return
			}
			answered <- fmt.Sprintf("%d %s after %s", status, loc, time.Since(start).Round(time.Millisecond))
		}()
		time.Sleep(delay)
		srv.kill()
		got := <-answered
		now := withDB(t, dbURL, func(db *gorm.DB) memberData { return dataOf(db, id) })
		switch now {
		case full:
			if got != "" {
				t.Fatalf("the deletion answered %s but nothing was deleted", got)
			}
			midway++
			log = append(log, fmt.Sprintf("killed at %s: all there", delay.Round(time.Millisecond)))
		case memberData{}:
			log = append(log, fmt.Sprintf("killed at %s: all gone (%s)", delay.Round(time.Millisecond), or(got, "no answer")))
			if midway == 0 {
				t.Errorf("no kill landed between the password check (%s) and the end of the erasure", check.Round(time.Millisecond))
			}
			t.Logf("%d posts and %d topic opens of one member; password check %s; %s", full.Posts, full.Events,
				check.Round(time.Millisecond), strings.Join(log, "; "))
			return
		default:
			t.Fatalf("killed at %s (%s): part of the deletion survived the crash: %+v, before %+v", delay, or(got, "no answer"), now, full)
		}
		srv.start()
	}
	t.Fatalf("the deletion never finished: %s", strings.Join(log, "; "))
}

func or(s, otherwise string) string {
	if s == "" {
		return otherwise
	}
	return s
}

// dataOf counts what the member has: the account, posts with text, topic opens and sessions.
func dataOf(db *gorm.DB, id int64) memberData {
	var d memberData
	db.Raw(`SELECT (SELECT COUNT(*) FROM members WHERE id = ?) AS account,
		(SELECT COUNT(*) FROM posts WHERE author_id = ? AND body <> '') AS posts,
		(SELECT COUNT(*) FROM activity_events WHERE member_id = ?) AS events,
		(SELECT COUNT(*) FROM sessions WHERE member_id = ?) AS sessions`, id, id, id, id).Scan(&d)
	d.Sessions = min(d.Sessions, 1) // each try signs in afresh: "some" is what matters
	return d
}

// withDB opens the database while no server runs, calls fn and closes it.
func withDB[T any](t *testing.T, dbURL string, fn func(*gorm.DB) T) T {
	t.Helper()
	db, err := database.Open(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer database.Close(db)
	return fn(db)
}
