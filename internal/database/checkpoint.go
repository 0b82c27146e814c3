package database

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"gorm.io/gorm"
)

// errReaderHeld means a reader kept using pages the checkpoint had to fold.
var errReaderHeld = errors.New("database: checkpoint incomplete: a reader held the log")

// Checkpoint folds SQLite's write-ahead log into the database file and truncates the log, so
// the pages an erasure overwrote leave the log now rather than at the next automatic
// checkpoint. It waits (up to the busy timeout) for readers still using older pages. On
// PostgreSQL it does nothing: there, dead rows go at the next VACUUM.
func Checkpoint(ctx context.Context, db *gorm.DB) error {
	return checkpoint(ctx, db, 0)
}

// checkpoint runs one truncating checkpoint; with wait > 0 it waits at most that long for
// readers instead of the connection's busy timeout.
func checkpoint(ctx context.Context, db *gorm.DB, wait time.Duration) error {
	if Dialect(db) != "sqlite" {
		return nil
	}
	var busy, logFrames, done int
	err := db.WithContext(ctx).Connection(func(conn *gorm.DB) error {
		if wait > 0 {
			if err := conn.Exec(fmt.Sprintf(`PRAGMA busy_timeout = %d`, wait.Milliseconds())).Error; err != nil {
				return err
			}
			defer conn.Exec(fmt.Sprintf(`PRAGMA busy_timeout = %d`, busyTimeout.Milliseconds()))
		}
		return conn.Raw(`PRAGMA wal_checkpoint(TRUNCATE)`).Row().Scan(&busy, &logFrames, &done)
	})
	if err != nil {
		return fmt.Errorf("database: unable to checkpoint: %w", err)
	}
	if busy != 0 {
		return fmt.Errorf("%w (%d of %d frames copied)", errReaderHeld, done, logFrames)
	}
	return nil
}

// LogFolder folds SQLite's log after each erasure. When a reader (a long page, a backup, an
// operator's sqlite3) holds the log, it keeps trying in the background until the fold
// completes or RetryFor has passed since the last erasure, so erased bytes leave the log
// within moments of the reader finishing instead of at some later erasure or shutdown.
type LogFolder struct {
	db        *gorm.DB
	logger    *slog.Logger
	FirstWait time.Duration // how long the erasing request waits for readers
	RetryFor  time.Duration // how long background retries go on
	MaxPause  time.Duration // the longest pause between two retries

	mu       sync.Mutex
	deadline time.Time // zero while no retry runs
}

// NewLogFolder returns a folder for db that logs (never content) to logger.
func NewLogFolder(db *gorm.DB, logger *slog.Logger) *LogFolder {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &LogFolder{db: db, logger: logger, FirstWait: time.Second, RetryFor: 15 * time.Minute, MaxPause: 2 * time.Second}
}

// Fold folds the log now if it can; if a reader holds it, Fold returns at once and the fold
// is retried in the background. It returns an error only when the checkpoint itself failed.
func (f *LogFolder) Fold(ctx context.Context) error {
	if Dialect(f.db) != "sqlite" {
		return nil
	}
	err := checkpoint(context.WithoutCancel(ctx), f.db, f.FirstWait)
	if !errors.Is(err, errReaderHeld) {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	running := !f.deadline.IsZero()
	f.deadline = time.Now().Add(f.RetryFor) // a new erasure extends the bound
	if !running {
		f.logger.Warn("checkpoint incomplete: a reader holds the log; retrying in the background")
		go f.retry()
	}
	return nil
}

// retry checkpoints with growing pauses until a checkpoint completes or the deadline passes.
func (f *LogFolder) retry() {
	pause, tries := 50*time.Millisecond, 0
	for {
		time.Sleep(pause)
		tries++
		err := checkpoint(context.Background(), f.db, pause)
		f.mu.Lock()
		expired := time.Now().After(f.deadline)
		if err == nil || !errors.Is(err, errReaderHeld) || expired {
			f.deadline = time.Time{}
			f.mu.Unlock()
			switch {
			case err == nil:
				f.logger.Info("checkpoint completed in the background", "attempts", tries)
			case expired && errors.Is(err, errReaderHeld):
				f.logger.Error("checkpoint still incomplete: gave up retrying; the log is folded at the next erasure or shutdown", "attempts", tries)
			default:
				f.logger.Error("checkpoint failed", "attempts", tries, "error", err.Error())
			}
			return
		}
		f.mu.Unlock()
		pause = min(pause*2, f.MaxPause)
	}
}
