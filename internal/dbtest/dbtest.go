// Package dbtest gives each test its own real, migrated database: an SQLite file in a temp dir,
// and a fresh PostgreSQL database when HAVEN_TEST_POSTGRES_URL is set. With CI=true a missing
// PostgreSQL fails the test instead of skipping it.
package dbtest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
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

// SQLite opens a migrated database in a new temporary directory.
func SQLite(t testing.TB) *gorm.DB {
	t.Helper()
	return open(t, filepath.Join(t.TempDir(), "haven.db"))
}

// Postgres opens a migrated, freshly created PostgreSQL database, dropped when the test ends.
func Postgres(t testing.TB) *gorm.DB {
	t.Helper()
	return open(t, PostgresURL(t))
}

// PostgresURL creates an empty database for this test and returns its URL.
func PostgresURL(t testing.TB) string {
	t.Helper()
	admin := os.Getenv("HAVEN_TEST_POSTGRES_URL")
	if admin == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("HAVEN_TEST_POSTGRES_URL is not set: CI must run every PostgreSQL test")
		}
		t.Skip("HAVEN_TEST_POSTGRES_URL is not set; skipping the PostgreSQL run")
	}
	ctx := context.Background()
	adminDB, err := database.Open(ctx, admin)
	if err != nil {
		t.Fatalf("dbtest: %v", err)
	}
	b := make([]byte, 6)
	rand.Read(b)
	name := "haven_test_" + hex.EncodeToString(b)
	if err := adminDB.Exec("CREATE DATABASE " + name).Error; err != nil {
		t.Fatalf("dbtest: create database: %v", err)
	}
	t.Cleanup(func() {
		adminDB.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
		database.Close(adminDB)
	})
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatalf("dbtest: HAVEN_TEST_POSTGRES_URL: %v", err)
	}
	u.Path = "/" + name
	return u.String()
}

func open(t testing.TB, dbURL string) *gorm.DB {
	t.Helper()
	ctx := context.Background()
	db, err := database.Open(ctx, dbURL)
	if err != nil {
		t.Fatalf("dbtest: %v", err)
	}
	// Registered before the caller's cleanups, so it runs after them: the database outlives its users.
	t.Cleanup(func() { database.Close(db) })
	if err := database.Migrate(ctx, db); err != nil {
		t.Fatalf("dbtest: %v", err)
	}
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
