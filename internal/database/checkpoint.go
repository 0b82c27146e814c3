package database

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// Checkpoint folds SQLite's write-ahead log into the database file and truncates the log, so
// the pages an erasure overwrote leave the log now rather than at the next automatic
// checkpoint. It waits (up to the busy timeout) for readers still using older pages. On
// PostgreSQL it does nothing: there, dead rows go at the next VACUUM.
func Checkpoint(ctx context.Context, db *gorm.DB) error {
	if Dialect(db) != "sqlite" {
		return nil
	}
	var busy, logFrames, done int
	err := db.WithContext(ctx).Raw(`PRAGMA wal_checkpoint(TRUNCATE)`).Row().Scan(&busy, &logFrames, &done)
	if err != nil {
		return fmt.Errorf("database: unable to checkpoint: %w", err)
	}
	if busy != 0 {
		return fmt.Errorf("database: checkpoint incomplete: a reader held the log (%d of %d frames copied)", done, logFrames)
	}
	return nil
}
