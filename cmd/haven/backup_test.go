package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/haven-forum/haven/internal/database"
	"github.com/haven-forum/haven/internal/dbtest"
)

// send posts a form with a fresh CSRF token, as a browser does after loading a page.
func send(t *testing.T, c *formClient, path string, kv ...string) string {
	t.Helper()
	if status, _ := c.get(t, "/login"); status == http.StatusSeeOther { // signed in
		c.get(t, "/account")
	}
	return c.mustPost(t, path, kv...)
}

func runCmd(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out strings.Builder
	err := run(context.Background(), args, env(), strings.NewReader("admin-password-123\n"), &out, io.Discard)
	return out.String(), err
}

// secrets are the bytes that must not come back: whole, and without the first three letters
// (the search index stores a term after the letters it shares with the one before it).
func secrets(words ...string) []string {
	var out []string
	for _, w := range words {
		out = append(out, w, w[3:])
	}
	return out
}

// filesWith names the database files (main, log, shared memory) that hold s.
func filesWith(t *testing.T, path, s string) []string {
	var out []string
	for _, f := range []string{path, path + "-wal", path + "-shm"} {
		if dbtest.FileHas(t, f, s) {
			out = append(out, filepath.Base(f))
		}
	}
	return out
}

func signUp(t *testing.T, c *formClient, username string) {
	t.Helper()
	c.get(t, "/signup")
	if status, _ := c.post(t, "/signup", "username", username, "password", memberPassword, "password_confirm", memberPassword); status != http.StatusSeeOther {
		t.Fatalf("sign up %s: %d", username, status)
	}
	c.get(t, "/signup/codes") // the codes, and the new session's form token
}

// history is a small forum and its erasures: written before a backup (setUp) and after it
// (erase), so the test can check that a restore erases again what erase erased.
type history struct {
	topic, postB int64
}

const memberPassword = "correct horse battery"

func setUp(t *testing.T, base string) history {
	t.Helper()
	admin := newFormClient(base)
	admin.logIn(t, "restore_admin", "admin-password-123")
	send(t, admin, "/admin/groups", "name", "Grief", "slug", "grief", "description", "About grief", "rules", "Be kind.", "visibility", "public")
	send(t, admin, "/g/grief/join")
	topic := idAfter(t, send(t, admin, "/g/grief/topics", "title", "Evenings", "body", "Admin's steady words.", "_submit", "s1"), "/t/")

	a := newFormClient(base)
	signUp(t, a, "Zephyrine_Quillfeather")
	send(t, a, "/g/grief/join")
	send(t, a, "/g/grief/topics", "title", "xylocarpnik evening", "body", "vorpalbrook is how I feel", "_submit", "a1")

	b := newFormClient(base)
	signUp(t, b, "Marigold_Thistlewick")
	send(t, b, "/g/grief/join")
	send(t, b, "/privacy/consent", "purpose", "reading_history", "enabled", "true")
	b.get(t, fmt.Sprintf("/t/%d", topic))
	postB := idAfter(t, send(t, b, fmt.Sprintf("/t/%d/replies", topic), "body", "snorkelbrag and more", "_submit", "b1"), "/p/")
	send(t, b, fmt.Sprintf("/t/%d/replies", topic), "body", "Marigold's reply stays.", "_submit", "b2")
	if _, page := b.get(t, "/privacy/activity"); !strings.Contains(page, "Evenings") { // reading the record writes the queued opens first
		t.Fatalf("B's topic open is not in their record; the erasure checks prove nothing:\n%s", page)
	}
	return history{topic: topic, postB: postB}
}

// erase: A deletes their account with their posts, B erases their reading history and deletes
// one post.
func (h history) erase(t *testing.T, base string) {
	t.Helper()
	a := newFormClient(base)
	a.logIn(t, "Zephyrine_Quillfeather", memberPassword)
	send(t, a, "/account/delete", "posts", "erase", "password", memberPassword)
	b := newFormClient(base)
	b.logIn(t, "Marigold_Thistlewick", memberPassword)
	send(t, b, "/privacy/consent", "purpose", "reading_history", "enabled", "false")
	send(t, b, "/privacy/erase", "confirm", "yes")
	send(t, b, fmt.Sprintf("/p/%d/delete", h.postB))
}

var erased = secrets("Zephyrine_Quillfeather", "zephyrine_quillfeather", "xylocarpnik", "vorpalbrook", "snorkelbrag")

func countRows(t *testing.T, dbURL, q string) int64 {
	t.Helper()
	db, err := database.Open(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer database.Close(db)
	var n int64
	if err := db.Raw(q).Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// checkRestored starts Haven on the restored database and checks what members see and what
// the tables hold.
func (h history) checkRestored(t *testing.T, dbURL string) {
	t.Helper()
	if n := countRows(t, dbURL, `SELECT COUNT(*) FROM members WHERE username_key = 'zephyrine_quillfeather'`); n != 0 {
		t.Errorf("the deleted account is back: %d rows", n)
	}
	q := `SELECT COUNT(*) FROM activity_events e JOIN members m ON m.id = e.member_id WHERE m.username_key = 'marigold_thistlewick'`
	if n := countRows(t, dbURL, q); n != 0 {
		t.Errorf("the erased reading history is back: %d events", n)
	}
	srv := startInstance(t, env("HAVEN_DATABASE_URL", dbURL))
	defer srv.stop()
	reader := newFormClient(srv.URL)
	reader.logIn(t, "Marigold_Thistlewick", memberPassword)
	status, page := reader.get(t, fmt.Sprintf("/t/%d", h.topic))
	if status != http.StatusOK {
		t.Fatalf("the topic after the restore: %d", status)
	}
	for _, s := range []string{"snorkelbrag", "Zephyrine"} {
		if strings.Contains(page, s) {
			t.Errorf("the restored topic page shows %q", s)
		}
	}
	if !strings.Contains(page, "Marigold&#39;s reply stays.") && !strings.Contains(page, "Marigold's reply stays.") {
		t.Errorf("a post nobody erased is missing after the restore:\n%s", page)
	}
	reader.get(t, "/privacy/activity") // reading the record writes the queued topic opens first
	if n := countRows(t, dbURL, q); n != 0 {
		t.Errorf("reading history is recorded again after the restore (%d events): the withdrawn consent came back", n)
	}
	if _, found := reader.get(t, "/search?q=steady"); !strings.Contains(found, "Evenings") {
		t.Error("search does not find a post nobody erased; the next check proves nothing")
	}
	if _, found := reader.get(t, "/search?q=vorpalbrook"); strings.Contains(found, "xylocarpnik") {
		t.Error("search finds an erased post after the restore")
	}
	send(t, reader, "/privacy/erase", "confirm", "yes") // the list carries on after the entries copied into it
}

func TestBackupAndRestoreNeverBringErasedDataBack(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	live := filepath.Join(dir, "haven.db")
	bak := filepath.Join(t.TempDir(), "backup.db")
	if _, err := runCmd(t, "user", "create", "--data", dir, "--db", live, "--username", "restore_admin", "--role", "admin"); err != nil {
		t.Fatal(err)
	}
	srv := startInstance(t, env("HAVEN_DATABASE_URL", live))
	h := setUp(t, srv.URL)

	out, err := runCmd(t, "backup", "--data", dir, "--db", live, "--to", bak) // online: the server keeps serving
	if err != nil {
		t.Fatalf("backup: %v", err)
	}
	t.Log(strings.TrimSpace(out))
	if fi, err := os.Stat(bak); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("backup file: %v, mode %v; want 0600", err, fi.Mode().Perm())
	}
	for _, s := range erased {
		if len(filesWith(t, bak, s)) == 0 {
			t.Fatalf("%q is not in the backup; the test proves nothing", s)
		}
	}
	if _, err := runCmd(t, "backup", "--data", dir, "--db", live, "--to", bak); err == nil || !strings.Contains(err.Error(), "--to") {
		t.Errorf("a second backup over the first: %v; want a refusal naming --to", err)
	}

	h.erase(t, srv.URL)
	_, err = runCmd(t, "restore", "--data", dir, "--db", live, "--from", bak)
	if err == nil || !strings.Contains(err.Error(), "in use") {
		t.Fatalf("restore while Haven runs: %v; want a refusal", err)
	}
	srv.stop()

	out, err = runCmd(t, "restore", "--data", dir, "--db", live, "--from", bak)
	if err != nil {
		t.Fatalf("restore: %v", err)
	}
	t.Log(strings.TrimSpace(out))
	if !strings.Contains(out, "re-applied 4 erasures") {
		t.Errorf("restore said %q; want 4 entries re-applied (account, consent, record, post)", out)
	}
	for _, s := range erased {
		if files := filesWith(t, live, s); len(files) > 0 {
			t.Errorf("%q is back in %v after the restore", s, files)
		}
	}
	if len(filesWith(t, live, "Marigold_Thistlewick")) == 0 {
		t.Error("a member who erased only their record is gone; the scan is not reading what it should")
	}
	h.checkRestored(t, live)

	// A second restore of the same backup re-applies the list kept in the restored database:
	// the four copied into it and the one made after the first restore.
	out, err = runCmd(t, "restore", "--data", dir, "--db", live, "--from", bak)
	if err != nil || !strings.Contains(out, "re-applied 5 erasures") {
		t.Errorf("second restore: %v %q", err, out)
	}
}

// On PostgreSQL the backup is pg_dump's: here a template copy stands in for dump and restore,
// and haven restore --erasures re-applies the exported list to it.
func TestRestoreReappliesAnExportedListOnPostgres(t *testing.T) {
	t.Parallel()
	dbURL := dbtest.PostgresURL(t)
	dir := t.TempDir()
	if _, err := runCmd(t, "user", "create", "--data", dir, "--db", dbURL, "--username", "restore_admin", "--role", "admin"); err != nil {
		t.Fatal(err)
	}
	srv := startInstance(t, env("HAVEN_DATABASE_URL", dbURL))
	h := setUp(t, srv.URL)
	srv.stop()
	if _, err := runCmd(t, "backup", "--data", dir, "--db", dbURL, "--to", filepath.Join(dir, "x")); err == nil ||
		!strings.Contains(err.Error(), "pg_dump") {
		t.Errorf("backup on PostgreSQL: %v; want it to name pg_dump", err)
	}
	copyURL := templateCopy(t, dbURL)

	srv = startInstance(t, env("HAVEN_DATABASE_URL", dbURL))
	h.erase(t, srv.URL)
	srv.stop()
	list := filepath.Join(dir, "erasures.jsonl")
	if _, err := runCmd(t, "erasures", "export", "--data", dir, "--db", dbURL, "--to", list); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(list)
	for _, s := range erased {
		if strings.Contains(string(b), s) {
			t.Errorf("the exported erasure list holds %q", s)
		}
	}
	if n := countRows(t, copyURL, `SELECT COUNT(*) FROM members WHERE username_key = 'zephyrine_quillfeather'`); n != 1 {
		t.Fatalf("the copy does not hold the account (%d); the test proves nothing", n)
	}
	out, err := runCmd(t, "restore", "--data", dir, "--db", copyURL, "--erasures", list)
	if err != nil || !strings.Contains(out, "re-applied 4 erasures") {
		t.Fatalf("restore --erasures: %v %q", err, out)
	}
	h.checkRestored(t, copyURL)
}

// templateCopy copies a PostgreSQL database that nobody is connected to.
func templateCopy(t *testing.T, dbURL string) string {
	t.Helper()
	u, _ := url.Parse(dbURL)
	name := strings.TrimPrefix(u.Path, "/")
	admin, err := database.Open(context.Background(), os.Getenv("HAVEN_TEST_POSTGRES_URL"))
	if err != nil {
		t.Fatal(err)
	}
	defer database.Close(admin)
	if err := admin.Exec(fmt.Sprintf("CREATE DATABASE %s_copy TEMPLATE %s", name, name)).Error; err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if admin, err := database.Open(context.Background(), os.Getenv("HAVEN_TEST_POSTGRES_URL")); err == nil {
			admin.Exec(fmt.Sprintf("DROP DATABASE IF EXISTS %s_copy WITH (FORCE)", name))
			database.Close(admin)
		}
	})
	u.Path = "/" + name + "_copy"
	return u.String()
}
