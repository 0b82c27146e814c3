package database

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"

	"github.com/libtnb/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// BackupTo writes an online, consistent copy of an SQLite database to path with VACUUM INTO:
// one read transaction, so writers carry on; only live rows are copied, never free pages that
// held erased data. The file is created owner-only and must not exist yet; the caller syncs it.
func BackupTo(ctx context.Context, db *gorm.DB, path string) error {
	if Dialect(db) != "sqlite" {
		return errors.New("database: an online copy is made only of SQLite; use pg_dump for PostgreSQL")
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("database: unable to create the backup: %w", err)
	}
	f.Close()
	if err := db.WithContext(ctx).Exec(`VACUUM INTO ?`, path).Error; err != nil {
		os.Remove(path)
		return fmt.Errorf("database: unable to back up: %w", err)
	}
	return nil
}

// LockExclusive takes an exclusive lock on an SQLite file at once, or fails with ErrInUse
// while any other connection (a running Haven) has it open: in WAL mode each open connection
// holds a shared lock on the file for as long as it is open. release gives the lock back.
func LockExclusive(ctx context.Context, path string) (release func(), err error) {
	dsn := "file:" + path + "?_pragma=busy_timeout(0)&_pragma=locking_mode(EXCLUSIVE)"
	db, err := gorm.Open(sqlite.Open(dsn), &gorm.Config{Logger: logger.Discard})
	if err != nil { // the dialector reads the SQLite version at once, so a lock held elsewhere can show here
		if IsUnavailable(err) {
			return nil, ErrInUse
		}
		return nil, fmt.Errorf("database: %w", err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, fmt.Errorf("database: %w", err)
	}
	sqlDB.SetMaxOpenConns(1) // the lock belongs to one connection
	if err := db.WithContext(ctx).Exec(`BEGIN EXCLUSIVE; COMMIT`).Error; err != nil {
		sqlDB.Close()
		if IsUnavailable(err) {
			return nil, ErrInUse
		}
		return nil, fmt.Errorf("database: unable to lock: %w", err)
	}
	return sync.OnceFunc(func() { sqlDB.Close() }), nil
}

// ErrInUse means another process has the SQLite file open.
var ErrInUse = errors.New("database: the database file is in use by another process (is Haven still running?)")
