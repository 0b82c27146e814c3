package database_test

import (
	"context"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/haven-forum/haven/internal/database"
	"github.com/haven-forum/haven/internal/dbtest"
	"github.com/haven-forum/haven/migrations"
	"gorm.io/gorm"
)

// schema lists "table.column" for every column the migrations made. The search index (search_*)
// is built differently on each database (FTS5 or tsvector) and is left out.
func schema(t *testing.T, db *gorm.DB) []string {
	t.Helper()
	var cols []string
	var q string
	if database.Dialect(db) == "sqlite" {
		q = `SELECT m.name || '.' || p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p
			WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE 'search_%'`
	} else {
		q = `SELECT table_name || '.' || column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name NOT LIKE 'search_%'`
	}
	if err := db.Raw(q).Scan(&cols).Error; err != nil {
		t.Fatal(err)
	}
	sort.Strings(cols)
	return cols
}

func TestMigrationsGiveTheSameSchemaOnBothDatabases(t *testing.T) {
	t.Parallel()
	got := map[string][]string{}
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		got[database.Dialect(db)] = schema(t, db)
		if len(got[database.Dialect(db)]) < 10 {
			t.Fatalf("only %d columns: %v", len(got[database.Dialect(db)]), got)
		}
		// Applying again changes nothing and fails nothing.
		if err := database.Migrate(context.Background(), db); err != nil {
			t.Fatal(err)
		}
		v, _ := database.Version(context.Background(), db)
		list, _ := migrations.For(database.Dialect(db))
		if v != len(list) {
			t.Errorf("version %d after migrating, want %d", v, len(list))
		}
	})
	if len(got) == 2 && strings.Join(got["sqlite"], ",") != strings.Join(got["postgres"], ",") {
		t.Errorf("schemas differ:\nsqlite:   %v\npostgres: %v", got["sqlite"], got["postgres"])
	}
}

func TestSQLiteRunsDurableAndErasing(t *testing.T) {
	t.Parallel()
	db, err := database.Open(context.Background(), filepath.Join(t.TempDir(), "haven.db")) // as the program opens it
	if err != nil {
		t.Fatal(err)
	}
	defer database.Close(db)
	for pragma, want := range map[string]string{
		"journal_mode": "wal", "foreign_keys": "1", "synchronous": "2", "secure_delete": "1",
	} {
		var got string
		db.Raw("PRAGMA " + pragma).Scan(&got)
		if got != want {
			t.Errorf("PRAGMA %s = %q, want %q", pragma, got, want)
		}
	}
	var timeout int
	db.Raw("PRAGMA busy_timeout").Scan(&timeout)
	if timeout < 1000 {
		t.Errorf("busy_timeout %d ms", timeout)
	}
}

// Deleted bytes must not survive in the file: secure_delete overwrites them, and a checkpoint
// (as at shutdown) folds the WAL in and truncates it.
func TestSQLiteDeletedBytesLeaveTheFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "haven.db")
	ctx := context.Background()
	db, err := database.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := database.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	secret := "UNIQUE-SECRET-" + strings.Repeat("grief", 20)
	db.Exec(`INSERT INTO site_settings (key, value, updated_at) VALUES ('probe', ?, CURRENT_TIMESTAMP)`, secret)
	db.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`)
	if !dbtest.FileHas(t, path, secret) {
		t.Fatal("the probe never reached the file; the test proves nothing")
	}
	db.Exec(`DELETE FROM site_settings WHERE key = 'probe'`)
	if err := database.Close(db); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{path, path + "-wal", path + "-shm"} {
		if dbtest.FileHas(t, f, secret) {
			t.Errorf("deleted text survives in %s", filepath.Base(f))
		}
	}
}

func TestIsUnavailable(t *testing.T) {
	t.Parallel()
	db := dbtest.SQLite(t)
	sqlDB, _ := db.DB()
	sqlDB.Close()
	err := db.Exec("SELECT 1").Error
	if !database.IsUnavailable(err) {
		t.Errorf("a closed database is not reported unavailable: %v", err)
	}
	if database.IsUnavailable(gorm.ErrRecordNotFound) {
		t.Error("record-not-found reported as an outage")
	}
}
