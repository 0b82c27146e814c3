package database

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"gorm.io/gorm"
)

func openForCache(t *testing.T) *gorm.DB {
	t.Helper()
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "cache.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if sqlDB, err := db.DB(); err == nil {
			sqlDB.Close()
		}
	})
	if err := db.Exec(`CREATE TABLE n (v INTEGER NOT NULL, word TEXT NOT NULL DEFAULT '')`).Error; err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 20; i++ {
		if err := db.Exec(`INSERT INTO n (v, word) VALUES (?, ?)`, i, fmt.Sprintf("w%d", i)).Error; err != nil {
			t.Fatal(err)
		}
	}
	return db
}

// The same statement run again while its first rows are still being read (inside one
// transaction, on one connection) gives both callers their own rows.
func TestKeptStatementInUseIsNotSharedByANestedRun(t *testing.T) {
	t.Parallel()
	db := openForCache(t)
	const q = `SELECT v FROM n WHERE v > ? ORDER BY v`
	err := db.Transaction(func(tx *gorm.DB) error {
		var warm []int
		if err := tx.Raw(q, 0).Scan(&warm).Error; err != nil { // kept now
			return err
		}
		rows, err := tx.Raw(q, 10).Rows()
		if err != nil {
			return err
		}
		defer rows.Close()
		var outer []int
		for rows.Next() {
			var v int
			if err := rows.Scan(&v); err != nil {
				return err
			}
			outer = append(outer, v)
			var inner []int
			if err := tx.Raw(q, 18).Scan(&inner).Error; err != nil {
				return err
			}
			if fmt.Sprint(inner) != "[19 20]" {
				t.Errorf("nested run of the same statement read %v, want [19 20]", inner)
			}
		}
		if fmt.Sprint(outer) != "[11 12 13 14 15 16 17 18 19 20]" {
			t.Errorf("outer rows read %v while the statement ran again inside them", outer)
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
}

// A kept statement is reset after each run: it holds no read transaction open, so a checkpoint
// can empty the WAL; and it follows a change of the schema.
func TestKeptStatementsHoldNoSnapshotAndFollowTheSchema(t *testing.T) {
	t.Parallel()
	db := openForCache(t)
	sqlDB, _ := db.DB()
	sqlDB.SetMaxOpenConns(2)
	for i := 0; i < 3; i++ {
		var n int
		if err := db.Raw(`SELECT COUNT(*) FROM n WHERE v > ?`, i).Scan(&n).Error; err != nil || n != 20-i {
			t.Fatalf("count: %d, %v", n, err)
		}
	}
	if err := db.Exec(`INSERT INTO n (v) VALUES (21)`).Error; err != nil {
		t.Fatal(err)
	}
	var ck struct{ Busy, Log, Checkpointed int }
	if err := db.Raw(`PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&ck).Error; err != nil {
		t.Fatal(err)
	}
	if ck.Busy != 0 || ck.Log != 0 {
		t.Errorf("checkpoint after kept reads: busy %d, %d frames left in the WAL; a kept statement holds a read open", ck.Busy, ck.Log)
	}
	if err := db.Raw(`SELECT * FROM n WHERE v = ?`, 3).Scan(&[]map[string]any{}).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Exec(`ALTER TABLE n ADD COLUMN extra TEXT NOT NULL DEFAULT 'new column'`).Error; err != nil {
		t.Fatal(err)
	}
	var rows []map[string]any
	if err := db.Raw(`SELECT * FROM n WHERE v = ?`, 3).Scan(&rows).Error; err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0]["extra"] != "new column" {
		t.Errorf("a kept SELECT * after ALTER TABLE read %v; want the new column", rows)
	}
}

// More distinct statements than a connection keeps still all run, and the connection keeps at
// most stmtCacheSize of them.
func TestStatementCacheIsBounded(t *testing.T) {
	t.Parallel()
	db := openForCache(t)
	sqlDB, _ := db.DB()
	sqlDB.SetMaxOpenConns(1)
	for i := 0; i < stmtCacheSize+40; i++ {
		var v int
		if err := db.Raw(fmt.Sprintf(`SELECT v + %d FROM n WHERE v = ?`, i), 1).Scan(&v).Error; err != nil || v != 1+i {
			t.Fatalf("statement %d: %d, %v", i, v, err)
		}
	}
	conn, err := sqlDB.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	err = conn.Raw(func(dc any) error {
		c := dc.(*serialConn)
		if c.lru.Len() != stmtCacheSize || len(c.stmts) != stmtCacheSize {
			t.Errorf("the connection keeps %d statements (%d indexed); want %d", c.lru.Len(), len(c.stmts), stmtCacheSize)
		}
		if _, ok := c.stmts[fmt.Sprintf(`SELECT v + %d FROM n WHERE v = ?`, stmtCacheSize+39)]; !ok {
			t.Error("the most recent statement is not kept")
		}
		if _, ok := c.stmts[`SELECT v + 0 FROM n WHERE v = ?`]; ok {
			t.Error("the least recently used statement is still kept")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
