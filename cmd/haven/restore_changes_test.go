package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/haven-forum/haven/internal/dbtest"
	"github.com/haven-forum/haven/internal/erasures"
)

// changes are what members do before a backup (before) and take back or change after it
// (after): a restore must bring none of the older state back.
type changes struct {
	topic, post int64
}

const realName = "Ottoline Vanderquist"

func (h *changes) before(t *testing.T, base string) {
	t.Helper()
	admin := newFormClient(base)
	admin.logIn(t, "restore_admin", "admin-password-123")
	for _, g := range []string{"grief", "evenings"} {
		send(t, admin, "/admin/groups", "name", g, "slug", g, "description", "About "+g, "rules", "Be kind.", "visibility", "public")
	}
	o := newFormClient(base)
	signUp(t, o, "Ottoline")
	b := newFormClient(base)
	signUp(t, b, "Barnaby")
	for _, u := range []string{"Cuthbert", "Dorcas"} {
		signUp(t, newFormClient(base), u)
	}
	send(t, o, "/g/grief/join")
	send(t, o, "/g/evenings/join")
	send(t, b, "/g/grief/join")
	h.topic = idAfter(t, send(t, o, "/g/grief/topics", "title", "About "+realName, "body", "I am "+realName+" and this is hard.", "_submit", "o1"), "/t/")
	h.post = idAfter(t, send(t, o, fmt.Sprintf("/t/%d/replies", h.topic), "body", "Signed, "+realName+".", "_submit", "o2"), "/p/")
	send(t, b, fmt.Sprintf("/t/%d/replies", h.topic), "body", "I hear you.", "_submit", "b1") // a notification for Ottoline
	send(t, b, fmt.Sprintf("/p/%d/react", h.post), "kind", "hear_you")
	send(t, o, "/account/mutes", "username", "Cuthbert")
	send(t, o, "/account/hidden-warnings", "terms", "spiders")
	send(t, o, fmt.Sprintf("/p/%d/bookmark", h.post), "on", "true")
	send(t, o, "/account/profile", "bio", "I am "+realName+".")
	newFormClient(base).logIn(t, "Ottoline", memberPassword) // another device
}

func (h *changes) after(t *testing.T, base string) {
	t.Helper()
	o := newFormClient(base)
	o.logIn(t, "Ottoline", memberPassword)
	first := h.post - 1 // the topic's opening post, written just before
	send(t, o, fmt.Sprintf("/p/%d/edit", first), "title", "About me", "body", "I am O. and this is hard.")
	send(t, o, fmt.Sprintf("/p/%d/edit", h.post), "body", "Signed, O.")
	b := newFormClient(base)
	b.logIn(t, "Barnaby", memberPassword)
	send(t, b, fmt.Sprintf("/p/%d/react", h.post), "kind", "hear_you") // undone
	send(t, o, "/account/mutes", "username", "Cuthbert", "action", "unmute")
	send(t, o, "/account/mutes", "username", "Dorcas")
	send(t, o, "/account/hidden-warnings", "terms", "snakes")
	send(t, o, "/notifications/settings", "quote", "on", "mention", "on", "join_answered", "on") // replies off
	send(t, o, "/notifications/clear")
	send(t, o, "/g/evenings/leave")
	send(t, o, fmt.Sprintf("/p/%d/bookmark", h.post), "on", "false")
	send(t, o, "/account/profile", "bio", "Gardener.", "hide_posts", "1")
	send(t, o, "/account/logout-everywhere")
}

func (h *changes) checkRestored(t *testing.T, dbURL string) {
	t.Helper()
	rows := map[string]string{
		// Both sessions from before the backup were ended by signing out everywhere.
		`SELECT COUNT(*) FROM sessions s JOIN members m ON m.id = s.member_id WHERE m.username = 'Ottoline'`: "0",
		`SELECT COUNT(*) FROM reactions`: "0",
		`SELECT COUNT(*) FROM member_mutes mm JOIN members m ON m.id = mm.muted_id WHERE m.username = 'Cuthbert'`: "0",
		`SELECT COUNT(*) FROM member_mutes mm JOIN members m ON m.id = mm.muted_id WHERE m.username = 'Dorcas'`:   "1",
		`SELECT COUNT(*) FROM hidden_warnings WHERE term = 'spiders'`:                                             "0",
		`SELECT COUNT(*) FROM hidden_warnings WHERE term = 'snakes'`:                                              "1",
		`SELECT COUNT(*) FROM notification_optouts WHERE kind = 'reply'`:                                          "1",
		`SELECT COUNT(*) FROM notifications n JOIN members m ON m.id = n.member_id WHERE m.username = 'Ottoline'`: "0",
		`SELECT COUNT(*) FROM group_members gm JOIN groups g ON g.id = gm.group_id JOIN members m ON m.id = gm.member_id
			WHERE g.slug = 'evenings' AND m.username = 'Ottoline'`: "0",
		`SELECT COUNT(*) FROM bookmarks`:                                      "0",
		`SELECT COUNT(*) FROM member_profiles WHERE bio LIKE '%Vanderquist%'`: "0",
		`SELECT COUNT(*) FROM member_profiles WHERE hide_posts`:               "1",
	}
	for q, want := range rows {
		if got := fmt.Sprint(countRows(t, dbURL, q)); got != want {
			t.Errorf("after the restore %s gives %s, want %s: a member's change was rolled back", strings.Join(strings.Fields(q), " "), got, want)
		}
	}
	if n := countRows(t, dbURL, fmt.Sprintf(`SELECT COUNT(*) FROM posts WHERE body LIKE '%%Vanderquist%%'`)); n != 0 {
		t.Errorf("%d posts hold the name their author edited away", n)
	}
	srv := startInstance(t, env("HAVEN_DATABASE_URL", dbURL))
	defer srv.stop()
	reader := newFormClient(srv.URL)
	reader.logIn(t, "Barnaby", memberPassword)
	for _, path := range []string{fmt.Sprintf("/t/%d", h.topic), "/g/grief", "/search?q=hard"} {
		if _, page := reader.get(t, path); strings.Contains(page, "Vanderquist") {
			t.Errorf("%s shows the name its author edited away", path)
		}
	}
	if _, page := reader.get(t, "/search?q=Vanderquist"); strings.Contains(page, `href="/p/`) {
		t.Error("search finds posts by the name their author edited away")
	}
	if _, page := reader.get(t, fmt.Sprintf("/t/%d", h.topic)); !strings.Contains(page, "I hear you.") {
		t.Error("a post nobody changed is missing after the restore; the page checks prove nothing")
	}
}

// Whatever a member took back or changed after a backup stays so after a restore: an edit that
// removed their real name, an undone reaction, a mute and an unmute, hidden warnings,
// notification settings, cleared notifications, a left group, sessions signed out, a removed
// bookmark, a bio rewritten and a post list hidden.
func TestRestoreKeepsWhatMembersChangedSinceTheBackup(t *testing.T) {
	// Not parallel: it waits on the running server with timed sleeps.
	t.Run("sqlite", func(t *testing.T) {
		dir := t.TempDir()
		live := filepath.Join(dir, "haven.db")
		bak := filepath.Join(t.TempDir(), "backup.db")
		if _, err := runCmd(t, "user", "create", "--data", dir, "--db", live, "--username", "restore_admin", "--role", "admin"); err != nil {
			t.Fatal(err)
		}
		srv := startInstance(t, env("HAVEN_DATABASE_URL", live))
		h := &changes{}
		h.before(t, srv.URL)
		if _, err := runCmd(t, "backup", "--data", dir, "--db", live, "--to", bak); err != nil {
			t.Fatalf("backup: %v", err)
		}
		if len(filesWith(t, bak, "Vanderquist")) == 0 {
			t.Fatal("the name is not in the backup; the test proves nothing")
		}
		h.after(t, srv.URL)
		srv.stop()
		out, err := runCmd(t, "restore", "--data", dir, "--db", live, "--from", bak)
		if err != nil {
			t.Fatalf("restore: %v", err)
		}
		t.Log(strings.TrimSpace(out))
		for _, s := range secrets("Vanderquist", "vanderquist") {
			if files := filesWith(t, live, s); len(files) > 0 {
				t.Errorf("%q, edited away by its author, is back in %v after the restore", s, files)
			}
		}
		h.checkRestored(t, live)
	})
	t.Run("postgres", func(t *testing.T) {
		dbURL := dbtest.PostgresURL(t)
		dir := t.TempDir()
		if _, err := runCmd(t, "user", "create", "--data", dir, "--db", dbURL, "--username", "restore_admin", "--role", "admin"); err != nil {
			t.Fatal(err)
		}
		srv := startInstance(t, env("HAVEN_DATABASE_URL", dbURL))
		h := &changes{}
		h.before(t, srv.URL)
		srv.stop()
		copyURL := templateCopy(t, dbURL) // stands in for pg_dump and pg_restore
		srv = startInstance(t, env("HAVEN_DATABASE_URL", dbURL))
		h.after(t, srv.URL)
		srv.stop()
		list := filepath.Join(dir, "erasures.jsonl")
		if _, err := runCmd(t, "erasures", "export", "--data", dir, "--db", dbURL, "--to", list); err != nil {
			t.Fatal(err)
		}
		if n := countRows(t, copyURL, `SELECT COUNT(*) FROM posts WHERE body LIKE '%Vanderquist%'`); n == 0 {
			t.Fatal("the copy does not hold the name; the test proves nothing")
		}
		if _, err := runCmd(t, "restore", "--data", dir, "--db", copyURL, "--erasures", list); err != nil {
			t.Fatalf("restore --erasures: %v", err)
		}
		time.Sleep(10 * time.Millisecond)
		h.checkRestored(t, copyURL)
	})
}

// Every kind of entry the list can hold has its re-applier, so a new kind of erasure or change
// cannot be forgotten by restore.
func TestEveryKindOnTheErasureListIsReapplied(t *testing.T) {
	t.Parallel()
	db := dbtest.SQLite(t)
	apply := reappliers(db)
	for _, k := range erasures.Kinds {
		if apply[k] == nil {
			t.Errorf("restore does not know how to re-apply %q", k)
		}
	}
}
