package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/haven-forum/haven/internal/database"
	"github.com/haven-forum/haven/internal/dbtest"
)

func env(kv ...string) func(string) string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) string { return m[k] }
}

var servingLine = regexp.MustCompile(`Haven is running at (http://\S+)`)

// startProgram runs the real program on a free port and returns its URL and what it printed.
func startProgram(t *testing.T, args []string, getenv func(string) string) (string, *strings.Builder) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := run(ctx, append([]string{"--addr", "127.0.0.1:0"}, args...), getenv, nil, pw, io.Discard)
		pw.CloseWithError(err)
		done <- err
	}()
	printed := &strings.Builder{}
	urlc := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			printed.WriteString(sc.Text() + "\n")
			if m := servingLine.FindStringSubmatch(sc.Text()); m != nil {
				urlc <- m[1]
			}
		}
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("run returned %v at shutdown", err)
			}
		case <-time.After(20 * time.Second):
			t.Error("the server did not shut down")
		}
	})
	select {
	case u := <-urlc:
		return u, printed
	case err := <-done:
		t.Fatalf("run ended before serving: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("the server did not start")
	}
	return "", nil
}

func TestRunServesOnBothDatabases(t *testing.T) {
	t.Parallel()
	dbtest.EachURL(t, func(t *testing.T, dbURL string) {
		dir := t.TempDir()
		base, printed := startProgram(t, []string{"--data", dir, "--db", dbURL}, env())
		for path, want := range map[string]int{"/healthz": 200, "/readyz": 200, "/": 200, "/login": 200, "/nowhere": 404} {
			res, err := http.Get(base + path)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != want {
				t.Errorf("GET %s: %d, want %d", path, res.StatusCode, want)
			}
		}
		if !strings.Contains(printed.String(), "user create --username NAME --role admin") {
			t.Errorf("start-up did not say how to create the first admin:\n%s", printed)
		}
		st, err := os.Stat(filepath.Join(dir, "session.key"))
		if err != nil || st.Mode().Perm() != 0o600 {
			t.Errorf("session key file: %v, mode %v; want mode 0600", err, st)
		}
	})
}

func TestRunDefaultsToSQLiteInTheDataDir(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "fresh", "data")
	startProgram(t, nil, env("HAVEN_DATA_DIR", dir, "HAVEN_SESSION_KEY", strings.Repeat("k", 40)))
	st, err := os.Stat(filepath.Join(dir, "haven.db"))
	if err != nil {
		t.Fatalf("no haven.db in the data directory: %v", err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("haven.db mode %v, want 0600 (it holds members' data)", st.Mode().Perm())
	}
	if _, err := os.Stat(filepath.Join(dir, "session.key")); !errors.Is(err, os.ErrNotExist) {
		t.Error("a session key file was written although HAVEN_SESSION_KEY was given")
	}
}

func TestBadSettingsEndWithOneLineNamingTheSetting(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "a-file")
	os.WriteFile(file, []byte("x"), 0o600)
	cases := []struct {
		name    string
		args    []string
		getenv  func(string) string
		setting string
	}{
		{"data dir is a file", []string{"--data", filepath.Join(file, "sub")}, env(), "--data"},
		{"malformed base URL", []string{"--data", t.TempDir(), "--base-url", "ftp://x"}, env(), "--base-url"},
		{"malformed base URL from env", []string{"--data", t.TempDir()}, env("HAVEN_BASE_URL", "not a url"), "--base-url"},
		{"unreachable database", []string{"--data", t.TempDir(), "--db", "postgres://haven@127.0.0.1:1/haven?connect_timeout=2"}, env(), "--db"},
		{"malformed database URL", []string{"--data", t.TempDir(), "--db", "mysql://x/y"}, env(), "--db"},
		{"bad address", []string{"--data", t.TempDir(), "--addr", "nonsense"}, env(), "--addr"},
		{"short session key", []string{"--data", t.TempDir()}, env("HAVEN_SESSION_KEY", "short"), "HAVEN_SESSION_KEY"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			args := append([]string{"--addr", "127.0.0.1:0"}, tc.args...)
			err := run(ctx, args, tc.getenv, nil, io.Discard, io.Discard)
			if err == nil {
				t.Fatal("run accepted a bad setting")
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, tc.setting) || strings.Contains(msg, "\n") || strings.Contains(msg, "goroutine") {
				t.Errorf("message %q should be one line starting with %s", msg, tc.setting)
			}
		})
	}
}

func TestFlagsWinOverEnvironment(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	base, _ := startProgram(t, []string{"--data", dir}, env("HAVEN_DATA_DIR", filepath.Join(dir, "not-this"), "HAVEN_ADDR", "127.0.0.1:1"))
	if strings.HasSuffix(base, ":1") {
		t.Error("the environment's address won over --addr")
	}
	if _, err := os.Stat(filepath.Join(dir, "haven.db")); err != nil {
		t.Errorf("--data did not win over HAVEN_DATA_DIR: %v", err)
	}
}

func TestHelpListsEverySetting(t *testing.T) {
	t.Parallel()
	var out strings.Builder
	err := run(context.Background(), []string{"--help"}, env(), nil, &out, io.Discard)
	if !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("--help returned %v", err)
	}
	for _, want := range []string{"-addr", "HAVEN_ADDR", "-data", "HAVEN_DATA_DIR", "-db", "HAVEN_DATABASE_URL",
		"-base-url", "HAVEN_BASE_URL", "HAVEN_SESSION_KEY", "127.0.0.1:8080"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("--help does not mention %s:\n%s", want, out.String())
		}
	}
}

func TestUserCreateAndMigrate(t *testing.T) {
	t.Parallel()
	dbtest.EachURL(t, func(t *testing.T, dbURL string) {
		dir := t.TempDir()
		ctx := context.Background()
		var out strings.Builder
		if err := run(ctx, []string{"migrate", "--data", dir, "--db", dbURL}, env(), nil, &out, io.Discard); err != nil {
			t.Fatal(err)
		}
		if !regexp.MustCompile(`schema is at version [1-9]`).MatchString(out.String()) {
			t.Errorf("migrate said: %q", out.String())
		}
		out.Reset()
		err := run(ctx, []string{"user", "create", "--username", "first_admin", "--role", "admin", "--data", dir, "--db", dbURL},
			env(), strings.NewReader("a long admin password\n"), &out, io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(out.String(), "a long admin password") {
			t.Error("a password read from standard input was printed")
		}
		out.Reset()
		err = run(ctx, []string{"user", "create", "--username", "generated", "--data", dir, "--db", dbURL}, env(), strings.NewReader(""), &out, io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		m := regexp.MustCompile(`Password \(shown once.*\): (\S+)`).FindStringSubmatch(out.String())
		if m == nil || len(m[1]) < 16 {
			t.Fatalf("no generated password printed: %q", out.String())
		}
		err = run(ctx, []string{"user", "create", "--username", "x", "--data", dir, "--db", dbURL}, env(), strings.NewReader("a long admin password\n"), io.Discard, io.Discard)
		if err == nil || !strings.HasPrefix(err.Error(), "--username") {
			t.Errorf("a bad username gave %v", err)
		}

		// The admin can log in to the running program, and the start-up no longer asks for one.
		base, printed := startProgram(t, []string{"--data", dir, "--db", dbURL}, env())
		if strings.Contains(printed.String(), "No admin yet") {
			t.Error("start-up asks for an admin although one exists")
		}
		if code := logInStatus(t, base, "first_admin", "a long admin password"); code != http.StatusSeeOther {
			t.Errorf("admin log-in: %d", code)
		}
		if code := logInStatus(t, base, "generated", m[1]); code != http.StatusSeeOther {
			t.Errorf("log-in with the generated password: %d", code)
		}
	})
}

// Haven does not start on a database whose applied migration no longer matches its file.
func TestStartRefusesAChangedMigration(t *testing.T) {
	t.Parallel()
	dbtest.EachURL(t, func(t *testing.T, dbURL string) {
		dir := t.TempDir()
		ctx := context.Background()
		if err := run(ctx, []string{"migrate", "--data", dir, "--db", dbURL}, env(), nil, io.Discard, io.Discard); err != nil {
			t.Fatal(err)
		}
		db, err := database.Open(ctx, dbURL)
		if err != nil {
			t.Fatal(err)
		}
		err = db.Exec(`UPDATE schema_migrations SET checksum = ? WHERE version = 2`, strings.Repeat("f", 64)).Error
		database.Close(db)
		if err != nil {
			t.Fatal(err)
		}
		err = run(ctx, []string{"--addr", "127.0.0.1:0", "--data", dir, "--db", dbURL}, env("HAVEN_SESSION_KEY", strings.Repeat("k", 40)), nil, io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), "migration 0002_forum changed after it was applied") {
			t.Errorf("start on a changed migration: %v; want a refusal naming 0002_forum", err)
		}
	})
}
