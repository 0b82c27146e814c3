package web_test

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/haven-forum/haven/internal/database"
	"github.com/haven-forum/haven/internal/dbtest"
	"gorm.io/gorm"
)

// references lists every "table.column" that can hold a member's id, except the moderation
// record and the erasure list, which keep their ids without foreign keys on purpose (the
// erasure list so that a restored backup loses the account again).
func references(t *testing.T, db *gorm.DB) []string {
	t.Helper()
	q := `SELECT m.name || '.' || p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p
		WHERE m.type = 'table' AND p.name IN ?`
	if database.Dialect(db) == "postgres" {
		q = `SELECT table_name || '.' || column_name FROM information_schema.columns
			WHERE table_schema = 'public' AND column_name IN ?`
	}
	var cols []string
	if err := db.Raw(q, []string{"member_id", "author_id", "actor_id", "created_by", "muted_id", "target_member_id"}).Scan(&cols).Error; err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, c := range cols {
		if !strings.HasPrefix(c, "moderation_log.") && !strings.HasPrefix(c, "erasures.") {
			out = append(out, c)
		}
	}
	return out
}

// leftovers names each table.column that still holds memberID.
func leftovers(t *testing.T, db *gorm.DB, memberID int64) []string {
	t.Helper()
	var out []string
	for _, ref := range references(t, db) {
		table, col, _ := strings.Cut(ref, ".")
		if n := count(t, db, `SELECT COUNT(*) FROM `+table+` WHERE `+col+` = ?`, memberID); n > 0 {
			out = append(out, fmt.Sprintf("%s (%d)", ref, n))
		}
	}
	return out
}

func memberIDOf(t *testing.T, db *gorm.DB, username string) int64 {
	t.Helper()
	var id int64
	db.Raw(`SELECT id FROM members WHERE username = ?`, username).Scan(&id)
	if id == 0 {
		t.Fatalf("no member %s", username)
	}
	return id
}

// busyMember gives a member something in every table that can name them.
func busyMember(a *app, admin *client, name string) (c *client, topic, peers, anon int64) {
	a.t.Helper()
	c = a.member(name)
	peer := a.member(name + "_peer")
	for _, m := range []*client{c, peer} {
		m.join("grief")
	}
	c.post("/g/quiet/request", "message", "Let me in")
	c.post("/privacy/consent", "purpose", "reading_history", "enabled", "true")
	c.post("/privacy/retention", "retention_days", "30")
	c.post("/notifications/settings", "reply", "on")
	c.post("/account/mutes", "action", "mute", "username", name+"_peer")
	c.post("/account/hidden-warnings", "terms", "pregnancy")
	topic = c.newTopic("grief", "My hard week", "It was a hard week.", "content_warning", "loss")
	peers = peer.newTopic("grief", "Peer's topic", "Peer writes.")
	c.get(fmt.Sprintf("/t/%d", peers))
	anon = c.reply(peers, "Said anonymously.", "anonymous", "1")
	edited := c.reply(peers, "A first draft.")
	c.post(fmt.Sprintf("/p/%d/edit", edited), "body", "A second draft.")
	c.post(fmt.Sprintf("/p/%d/react", a.firstPostID(peers)), "kind", "me_too")
	peer.reply(topic, "Peer answers @"+name+".")
	c.get("/notifications") // marks them read: a notifications_seen row
	c.post(fmt.Sprintf("/t/%d/follow", peers), "follow", "true")
	c.post("/account/follow-replies") // switched off: a reply_follow_optouts row
	peer.post("/account/mutes", "action", "mute", "username", name)
	admin.post(fmt.Sprintf("/p/%d/reveal", anon), "reason", "Safety check")
	return c, topic, peers, anon
}

func TestAccountDeleteFormRefusesAndDeletesNothing(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newApp(t, db)
		c := a.member("del_careful")
		p := c.get("/account/delete")
		mustContain(t, p.body, `action="/account/delete"`, `name="posts" value="erase"`, `name="posts" value="keep"`,
			`name="password"`, "cannot be undone", `href="/privacy/export"`)
		for _, tc := range []struct {
			fields []string
			field  string
		}{
			{[]string{"posts", "erase", "password", "wrong password!"}, "That is not your password"},
			{[]string{"posts", "keep"}, "That is not your password"},
			{[]string{"posts", "everything", "password", goodPassword}, "Choose whether to erase your posts"},
			{[]string{"password", goodPassword}, "Choose whether to erase your posts"},
		} {
			p := c.post("/account/delete", tc.fields...)
			assertStatus(t, p, http.StatusUnprocessableEntity, fmt.Sprint(tc.fields))
			mustContain(t, p.body, tc.field, `aria-invalid="true"`)
			mustNotContain(t, p.body, goodPassword, "wrong password!")
		}
		if p := c.post("/account/delete", "posts", "keep", "password", "wrong password!"); !strings.Contains(p.body, `value="keep" checked`) {
			t.Error("the choice was not kept after a wrong password")
		}
		if n := count(t, db, `SELECT COUNT(*) FROM members WHERE username = 'del_careful'`); n != 1 {
			t.Fatal("a refused deletion deleted the member")
		}
		assertStatus(t, c.get("/account"), http.StatusOK, "still signed in")
		if p := a.client().get("/account/delete"); p.status != http.StatusSeeOther {
			t.Errorf("a visitor's delete page: %d", p.status)
		}
	})
}

func TestAccountDeleteErasesEverythingAndEndsEverySession(t *testing.T) {
	t.Parallel()
	for _, posts := range []string{"erase", "keep"} {
		t.Run(posts, func(t *testing.T) {
			dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
				a := newApp(t, db)
				admin := a.admin("del_admin")
				admin.createGroup("Grief", "grief", "public", true)
				admin.createGroup("Quiet", "quiet", "private", false)
				name := "del_" + posts
				c, topic, peers, _ := busyMember(a, admin, name)
				elsewhere := a.client()
				elsewhere.logIn(name, goodPassword)
				id := memberIDOf(t, db, name)
				if got := leftovers(t, db, id); len(got) < 12 {
					t.Fatalf("the member is in only %v; the test proves little", got)
				}
				logged := count(t, db, `SELECT COUNT(*) FROM moderation_log`)

				start := time.Now()
				p := c.post("/account/delete", "posts", posts, "password", goodPassword)
				t.Logf("deletion answered in %v", time.Since(start))
				if p.status != http.StatusSeeOther || p.location() != "/" {
					t.Fatalf("delete: %d %q\n%s", p.status, p.location(), p.body)
				}
				home := c.get("/")
				mustContain(t, home.body, "Your account was deleted", `href="/login"`)
				mustNotContain(t, home.body, name)
				for _, b := range []*client{c, elsewhere} {
					if p := b.get("/account"); p.status != http.StatusSeeOther {
						t.Errorf("a session outlived the account: /account gives %d", p.status)
					}
				}
				if got := leftovers(t, db, id); len(got) > 0 {
					t.Errorf("rows still name the deleted member: %v", got)
				}
				if n := count(t, db, `SELECT COUNT(*) FROM members WHERE username = ?`, name); n != 0 {
					t.Error("the member row survives")
				}
				if n := count(t, db, `SELECT COUNT(*) FROM moderation_log`); n != logged {
					t.Errorf("the moderation record has %d entries, had %d", n, logged)
				}
				if p := a.client().logIn(name, goodPassword); p.status != http.StatusUnauthorized {
					t.Errorf("log-in after deletion: %d", p.status)
				}

				reader := a.member("del_reader_" + posts)
				page := reader.get(fmt.Sprintf("/t/%d", topic))
				mustContain(t, page.body, "Peer answers")
				kept := count(t, db, `SELECT COUNT(*) FROM posts WHERE body <> '' AND deleted_at IS NULL AND author_id IS NULL`)
				if posts == "erase" {
					mustContain(t, page.body, "Topic deleted by its author")
					mustNotContain(t, page.body, "It was a hard week", "My hard week")
					if kept != 0 || count(t, db, `SELECT COUNT(*) FROM post_revisions`) != 0 {
						t.Errorf("%d posts kept their text after erasing", kept)
					}
					if p := reader.get("/search?q=draft"); strings.Contains(p.body, "second draft") {
						t.Error("an erased post is still found by search")
					}
				} else {
					mustContain(t, page.body, "My hard week", "It was a hard week", "former member")
					mustContain(t, reader.get(fmt.Sprintf("/t/%d", peers)).body, "Said anonymously.", "Anonymous member",
						"A second draft.", "former member")
					if kept != 3 {
						t.Errorf("%d of the 3 posts kept as a former member's", kept)
					}
				}
				// The username is free again.
				a.member(name)
			})
		})
	}
}

// fileApp runs Haven on an SQLite file the test can read, and returns the file's path.
func fileApp(t *testing.T) (*app, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "haven.db")
	ctx := context.Background()
	db, err := database.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { database.Close(db) })
	if err := database.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	return newApp(t, db), path
}

// inFiles names the database files (main, log, shared memory) that contain s.
func inFiles(t *testing.T, path, s string) []string {
	t.Helper()
	var out []string
	for _, f := range []string{path, path + "-wal", path + "-shm"} {
		if dbtest.FileHas(t, f, s) {
			out = append(out, filepath.Base(f))
		}
	}
	return out
}

// needles are what must leave the files: each word whole and, since the search index stores a
// term after the first letters it shares with the term before it, also without its first three.
func needles(words ...string) []string {
	var out []string
	for _, w := range words {
		out = append(out, w, w[3:])
	}
	return out
}

// With SQLite, once a deletion is acknowledged, none of the erased bytes remain in the database
// file, its log or the search index: secure_delete zeroes them where they were, and the
// checkpoint after the deletion folds the log in and truncates it.
func TestDeletedAccountLeavesNoBytesInTheSQLiteFiles(t *testing.T) {
	t.Parallel()
	for _, posts := range []string{"erase", "keep"} {
		t.Run(posts, func(t *testing.T) {
			a, path := fileApp(t)
			admin := a.admin("bytes_admin")
			admin.createGroup("Grief", "grief", "public", true)
			peer := a.member("bytes_peer")
			peer.join("grief")
			peersTopic := peer.newTopic("grief", "Evenings", "Peer's steady words.")

			name := "Zephyrine_Quillfeather_" + posts[:1] // mixed case: the lower-cased key is stored too
			c := a.member(name)
			c.join("grief")
			c.post("/privacy/consent", "purpose", "reading_history", "enabled", "true")
			c.get(fmt.Sprintf("/t/%d", peersTopic))
			// Words the search index's stemmer leaves whole, so the index holds exactly these bytes.
			topic := c.newTopic("grief", "xylocarpnik evening", "vorpalbrook is how I feel", "content_warning", "jabberwockyx")
			c.reply(peersTopic, "snorkelbrag and more")
			c.reply(peersTopic, "quibbleflunk said quietly", "anonymous", "1")
			draft := c.reply(peersTopic, "gloamingfrost at first")
			c.post(fmt.Sprintf("/p/%d/edit", draft), "body", "tarnwhistly in the end")
			peer.reply(topic, "Peer's answer stays.")

			secrets := needles(name, strings.ToLower(name))
			postWords := needles("xylocarpnik", "vorpalbrook", "jabberwockyx", "snorkelbrag", "quibbleflunk", "gloamingfrost", "tarnwhistly")
			if posts == "erase" {
				secrets = append(secrets, postWords...)
			}
			for _, s := range append(secrets, postWords...) {
				if len(inFiles(t, path, s)) == 0 {
					t.Fatalf("%q is not in the files before the deletion; the test proves nothing", s)
				}
			}

			start := time.Now()
			if p := c.post("/account/delete", "posts", posts, "password", goodPassword); p.status != http.StatusSeeOther {
				t.Fatalf("delete: %d\n%s", p.status, p.body)
			}
			t.Logf("deletion and checkpoint answered in %v", time.Since(start))
			// No further checkpoint here: the one the deletion ran must have been enough.
			for _, s := range secrets {
				if files := inFiles(t, path, s); len(files) > 0 {
					t.Errorf("%q survives the deletion in %v", s, files)
				}
			}
			if posts == "keep" {
				if len(inFiles(t, path, "vorpalbrook is how I feel")) == 0 {
					t.Error("a kept post's text is gone")
				}
				mustContain(t, peer.get(fmt.Sprintf("/t/%d", topic)).body, "former member", "vorpalbrook")
			}
			if len(inFiles(t, path, "Peer's answer stays.")) == 0 {
				t.Error("another member's post is gone from the file; the scan is not reading what it should")
			}
		})
	}
}
