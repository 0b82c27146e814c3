// Package dbtest gives each test its own real, migrated database: an SQLite file in a temp dir,
// and a fresh PostgreSQL database when HAVEN_TEST_POSTGRES_URL is set. With CI=true a missing
// PostgreSQL fails the test instead of skipping it.
package dbtest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"

	"github.com/haven-forum/haven/internal/database"
	"gorm.io/gorm"
)

// Each runs fn as subtests "sqlite" and "postgres", each on its own fresh database.
func Each(t *testing.T, fn func(t *testing.T, db *gorm.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, Postgres(t)) })
}

// EachURL is Each for tests that open the database themselves (the whole program).
func EachURL(t *testing.T, fn func(t *testing.T, dbURL string)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, filepath.Join(t.TempDir(), "haven.db")) })
	t.Run("postgres", func(t *testing.T) { fn(t, PostgresURL(t)) })
}

// SQLite opens a migrated database in a new temporary directory: a copy of a template migrated
// once, opened with synchronous=NORMAL (no test here survives a power cut; the crash tests run
// the real program, which keeps FULL).
func SQLite(t testing.TB) *gorm.DB {
	t.Helper()
	path := filepath.Join(t.TempDir(), "haven.db")
	if err := sqliteCopy(path); err != nil {
		t.Fatal(err)
	}
	return open(t, path, database.SynchronousNormal())
}

// Postgres opens a migrated, freshly created PostgreSQL database, dropped when the test ends.
func Postgres(t testing.TB) *gorm.DB {
	t.Helper()
	return open(t, pgDatabase(t, true))
}

// PostgresURL creates an empty database for this test and returns its URL.
func PostgresURL(t testing.TB) string {
	t.Helper()
	return pgDatabase(t, false)
}

func pgDatabase(t testing.TB, migrated bool) string {
	t.Helper()
	if os.Getenv("HAVEN_TEST_POSTGRES_URL") == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("HAVEN_TEST_POSTGRES_URL is not set: CI must run every PostgreSQL test")
		}
		t.Skip("HAVEN_TEST_POSTGRES_URL is not set; skipping the PostgreSQL run")
	}
	b := make([]byte, 6)
	rand.Read(b)
	name := "haven_test_" + hex.EncodeToString(b)
	if err := pgCreate(context.Background(), name, migrated); err != nil {
		t.Fatalf("dbtest: create database: %v", err)
	}
	t.Cleanup(func() {
		if admin, err := pgAdmin(); err == nil {
			admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
		}
	})
	return pgURL(name)
}

func open(t testing.TB, dbURL string, opts ...database.Option) *gorm.DB {
	t.Helper()
	ctx := context.Background()
	db, err := database.Open(ctx, dbURL, opts...)
	if err != nil {
		t.Fatalf("dbtest: %v", err)
	}
	// Registered before the caller's cleanups, so it runs after them: the database outlives its users.
	t.Cleanup(func() { database.Close(db) })
	return db
}

// FileHas reports whether the file at path holds s (a missing file holds nothing): the check
// behind every "erased bytes are gone from the database files" test.
func FileHas(t testing.TB, path, s string) bool {
	t.Helper()
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return false
	}
	if err != nil {
		t.Fatal(err)
	}
	return bytes.Contains(b, []byte(s))
}
