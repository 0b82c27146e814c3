package database_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/haven-forum/haven/internal/database"
	"github.com/haven-forum/haven/internal/dbtest"
	"gorm.io/gorm"
)

func TestCheckpointEmptiesTheLog(t *testing.T) {
	path := filepath.Join(t.TempDir(), "haven.db")
	ctx := context.Background()
	db, err := database.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer database.Close(db)
	if err := database.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	secret := "CHECKPOINT-PROBE-" + strings.Repeat("tide", 10)
	db.Exec(`INSERT INTO site_settings (key, value, updated_at) VALUES ('probe', ?, CURRENT_TIMESTAMP)`, secret)
	db.Exec(`DELETE FROM site_settings WHERE key = 'probe'`)
	if info, err := os.Stat(path + "-wal"); err != nil || info.Size() == 0 || !dbtest.FileHas(t, path+"-wal", secret) {
		t.Fatalf("the deleted text is not in the log before the checkpoint; the test proves nothing (%v)", err)
	}
	if err := database.Checkpoint(ctx, db); err != nil {
		t.Fatal(err)
	}
	if info, err := os.Stat(path + "-wal"); err != nil || info.Size() != 0 {
		t.Errorf("the log was not truncated: %v", err)
	}
	for _, f := range []string{path, path + "-wal", path + "-shm"} {
		if dbtest.FileHas(t, f, secret) {
			t.Errorf("deleted text survives the checkpoint in %s", filepath.Base(f))
		}
	}
	// The database works on as before.
	if err := db.Exec(`INSERT INTO site_settings (key, value, updated_at) VALUES ('after', 'x', CURRENT_TIMESTAMP)`).Error; err != nil {
		t.Fatal(err)
	}
}

func TestCheckpointIsANoOpOnPostgres(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		if err := database.Checkpoint(context.Background(), db); err != nil {
			t.Errorf("checkpoint on %s: %v", database.Dialect(db), err)
		}
	})
}
