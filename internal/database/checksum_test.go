package database_test

import (
	"context"
	"strings"
	"testing"

	"github.com/haven-forum/haven/internal/database"
	"github.com/haven-forum/haven/internal/dbtest"
	"github.com/haven-forum/haven/migrations"
	"gorm.io/gorm"
)

type appliedRow struct {
	Version  int
	Checksum *string
}

func applied(t *testing.T, db *gorm.DB) []appliedRow {
	t.Helper()
	var rows []appliedRow
	if err := db.Raw(`SELECT version, checksum FROM schema_migrations ORDER BY version`).Scan(&rows).Error; err != nil {
		t.Fatal(err)
	}
	return rows
}

// Each applied migration keeps its file's checksum; a database whose applied migration no
// longer matches its file is refused, by name, before anything else runs.
func TestMigrationChecksumsRefuseAChangedFile(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		list, err := migrations.For(database.Dialect(db))
		if err != nil {
			t.Fatal(err)
		}
		rows := applied(t, db)
		if len(rows) != len(list) {
			t.Fatalf("%d applied, %d files", len(rows), len(list))
		}
		for i, r := range rows {
			if r.Checksum == nil || *r.Checksum != database.Checksum(list[i]) || len(*r.Checksum) != 64 {
				t.Errorf("version %d: checksum %v, want the file's %s", r.Version, r.Checksum, database.Checksum(list[i]))
			}
		}
		if err := database.Migrate(ctx, db); err != nil {
			t.Fatalf("migrating again with unchanged files: %v", err)
		}

		// The file of version 3 "changed": what was recorded is not what the file says now.
		db.Exec(`UPDATE schema_migrations SET checksum = ? WHERE version = 3`, strings.Repeat("0", 64))
		err = database.Migrate(ctx, db)
		if err == nil || !strings.Contains(err.Error(), "migration 0003_search changed after it was applied") {
			t.Fatalf("Migrate with a changed migration: %v; want a refusal naming 0003_search", err)
		}
		db.Exec(`UPDATE schema_migrations SET checksum = ? WHERE version = 3`, database.Checksum(list[2]))
		if err := database.Migrate(ctx, db); err != nil {
			t.Errorf("after the file is restored: %v", err)
		}
	})
}

// A database migrated before checksums were kept gets them at its next start: the checksum
// migration runs, and every version gets its file's checksum.
func TestMigrationChecksumsAreFilledInOnUpgrade(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		list, _ := migrations.For(database.Dialect(db))
		var at int
		for _, m := range list {
			if m.Name == "migration_checksums" {
				at = m.Version
			}
		}
		if at == 0 {
			t.Fatal("no migration_checksums migration")
		}
		// Back to the schema before it: no column, and the checksum migration not applied.
		if err := db.Exec(`ALTER TABLE schema_migrations DROP COLUMN checksum`).Error; err != nil {
			t.Fatal(err)
		}
		db.Exec(`DELETE FROM schema_migrations WHERE version = ?`, at)
		if err := database.Migrate(ctx, db); err != nil {
			t.Fatalf("upgrading: %v", err)
		}
		for i, r := range applied(t, db) {
			if r.Checksum == nil || *r.Checksum != database.Checksum(list[i]) {
				t.Errorf("version %d after the upgrade: checksum %v", r.Version, r.Checksum)
			}
		}
	})
}
