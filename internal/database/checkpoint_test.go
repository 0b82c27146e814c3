package database_test

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/haven-forum/haven/internal/database"
	"github.com/haven-forum/haven/internal/dbtest"
	"gorm.io/gorm"
)

func TestCheckpointEmptiesTheLog(t *testing.T) {
	t.Parallel()
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
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		if err := database.Checkpoint(context.Background(), db); err != nil {
			t.Errorf("checkpoint on %s: %v", database.Dialect(db), err)
		}
	})
}

// An erasure while another connection holds a read transaction (a long page, a backup, an
// operator's sqlite3) cannot fold the log at once; the folder keeps trying in the background,
// so the erased bytes leave the log within moments of the reader letting go.
func TestLogFolderRetriesWhileAReaderHoldsTheLog(t *testing.T) {
	t.Parallel()
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
	logs := &strings.Builder{}
	var logMu sync.Mutex
	logger := slog.New(slog.NewTextHandler(writerFunc(func(p []byte) (int, error) {
		logMu.Lock()
		defer logMu.Unlock()
		return logs.Write(p)
	}), nil))
	secret := "HELD-READER-PROBE-" + strings.Repeat("brine", 10)
	db.Exec(`INSERT INTO site_settings (key, value, updated_at) VALUES ('probe', ?, CURRENT_TIMESTAMP)`, secret)
	database.Checkpoint(ctx, db) // the row is in the main file; its deletion will be in the log

	reader, err := db.DB()
	if err != nil {
		t.Fatal(err)
	}
	conn, err := reader.Conn(ctx) // a plain deferred transaction, as sqlite3 or a backup opens one
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `BEGIN DEFERRED`); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := conn.QueryRowContext(ctx, `SELECT COUNT(*) FROM site_settings`).Scan(&n); err != nil { // the snapshot is taken
		t.Fatal(err)
	}
	if err := db.Exec(`DELETE FROM site_settings WHERE key = 'probe'`).Error; err != nil {
		t.Fatal(err)
	}
	f := database.NewLogFolder(db, logger)
	f.FirstWait = 100 * time.Millisecond
	if err := f.Fold(ctx); err != nil {
		t.Fatalf("fold: %v", err)
	}
	if !dbtest.FileHas(t, path+"-wal", secret) && !dbtest.FileHas(t, path, secret) {
		t.Fatal("the deleted text left the files while the reader held the log; the test proves nothing")
	}
	time.Sleep(500 * time.Millisecond) // the reader finishes a moment later
	if _, err := conn.ExecContext(ctx, `COMMIT`); err != nil {
		t.Fatal(err)
	}

	deadline := time.Now().Add(5 * time.Second)
	for {
		var left []string
		for _, f := range []string{path, path + "-wal", path + "-shm"} {
			if dbtest.FileHas(t, f, secret) {
				left = append(left, filepath.Base(f))
			}
		}
		if len(left) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("5 s after the reader let go, the deleted text is still in %v", left)
		}
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond)
	logMu.Lock()
	got := logs.String()
	logMu.Unlock()
	if !strings.Contains(got, "retrying in the background") || !strings.Contains(got, "checkpoint completed") {
		t.Errorf("the retry is not logged:\n%s", got)
	}
	if strings.Contains(got, "HELD-READER") {
		t.Errorf("the log carries content:\n%s", got)
	}
}

type writerFunc func([]byte) (int, error)

func (w writerFunc) Write(p []byte) (int, error) { return w(p) }
