package database_test

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/haven-forum/haven/internal/database"
	"gorm.io/gorm"
)

func openBench(t *testing.T) *gorm.DB {
	t.Helper()
	db, err := database.Open(context.Background(), filepath.Join(t.TempDir(), "haven.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { database.Close(db) })
	if err := db.Exec(`CREATE TABLE items (id INTEGER PRIMARY KEY, body TEXT NOT NULL)`).Error; err != nil {
		t.Fatal(err)
	}
	return db
}

// While a write transaction is open, reads go on (from the last commit), and a write waits its
// turn in the process, not in SQLite: it gives up when its context ends, and goes ahead once the
// transaction commits.
func TestSQLiteWritesWaitTheirTurnReadsDoNot(t *testing.T) {
	t.Parallel()
	db := openBench(t)
	tx := db.Begin()
	if err := tx.Exec(`INSERT INTO items (body) VALUES ('in the open transaction')`).Error; err != nil {
		t.Fatal(err)
	}
	readCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var n int64
	if err := db.WithContext(readCtx).Raw(`SELECT COUNT(*) FROM items`).Scan(&n).Error; err != nil || n != 0 {
		t.Errorf("a read during a write transaction: %v, %d rows; want the 0 committed", err, n)
	}
	waitCtx, cancelWait := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancelWait()
	err := db.WithContext(waitCtx).Exec(`INSERT INTO items (body) VALUES ('waiting')`).Error
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("a write while another transaction is open: %v; want it to wait in the process until its context ends", err)
	}
	done := make(chan error, 1)
	go func() { done <- db.Exec(`INSERT INTO items (body) VALUES ('after the commit')`).Error }()
	if err := tx.Commit().Error; err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Errorf("the write after the commit: %v", err)
	}
	// INSERT … RETURNING holds the turn while its rows are read, and gives it back after.
	var id int64
	if err := db.Raw(`INSERT INTO items (body) VALUES ('returning') RETURNING id`).Scan(&id).Error; err != nil || id == 0 {
		t.Fatalf("INSERT … RETURNING: %v, id %d", err, id)
	}
	ctx, cancel2 := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel2()
	if err := db.WithContext(ctx).Exec(`DELETE FROM items WHERE id = ?`, id).Error; err != nil {
		t.Errorf("a write after INSERT … RETURNING: %v (its turn was not given back)", err)
	}
	db.Raw(`SELECT COUNT(*) FROM items`).Scan(&n)
	if n != 2 {
		t.Errorf("%d rows, want 2", n)
	}
}

// Many concurrent writers, each a read-then-write transaction, all succeed and none is lost.
func TestSQLiteConcurrentWritersAllCommit(t *testing.T) {
	t.Parallel()
	db := openBench(t)
	db.Exec(`INSERT INTO items (id, body) VALUES (1, '0')`)
	var wg sync.WaitGroup
	errs := make(chan error, 16*10)
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 10 {
				errs <- db.Transaction(func(tx *gorm.DB) error {
					var v int
					if err := tx.Raw(`SELECT CAST(body AS INTEGER) FROM items WHERE id = 1`).Scan(&v).Error; err != nil {
						return err
					}
					return tx.Exec(`UPDATE items SET body = ? WHERE id = 1`, v+1).Error
				})
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("a writer failed: %v", err)
		}
	}
	var v int
	db.Raw(`SELECT CAST(body AS INTEGER) FROM items WHERE id = 1`).Scan(&v)
	if v != 160 {
		t.Errorf("counter %d after 160 increments", v)
	}
}
