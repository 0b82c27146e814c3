package privacy

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"gorm.io/gorm"
)

// Topic opens are written in small batches rather than one write per page view, so a member
// with reading history on costs the topic page almost nothing (SQLite has one writer, and each
// synchronous commit is a disk flush). The gate still holds at the moment of writing: the batch
// statement writes an event only if its member's consent is on then and the member has not
// erased their record since the event. A withdrawal or an erasure therefore also cancels events
// still waiting; only events of members whose consent was on when they opened the topic ever
// wait, for at most one interval, in this process's memory.

type pendingEvent struct {
	memberID, topicID, groupID int64
	lastPostID                 int64 // the highest post shown: the read position (0: none)
	at                         time.Time
}

type batcher struct {
	mu      sync.Mutex
	pending []pendingEvent
	flushMu sync.Mutex // one flush at a time, in order
	logger  *slog.Logger
	dropped atomic.Uint64
	pause   func(try int) // between tries of a failed write
}

// maxPending bounds the queue: past it, the request that adds an event writes the batch itself.
const maxPending = 5000

// writeTries bounds the tries of one batch write; between them the writer pauses 100 ms, then
// 400 ms, long enough for a locked database or a failed-over connection to come back.
const writeTries = 3

func retryPause(try int) { time.Sleep(100 * time.Millisecond << (2 * (try - 1))) }

// StartBatching makes RecordTopicOpen queue events and writes them every interval until ctx
// ends, then writes what is left. Without it, every event is written at once. A batch that
// still fails after its tries is dropped, and logger says how many events went (never whose).
func (s *Service) StartBatching(ctx context.Context, interval time.Duration, logger *slog.Logger) <-chan struct{} {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	s.batch = &batcher{logger: logger, pause: retryPause}
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				s.Flush(context.WithoutCancel(ctx))
				return
			case <-t.C:
				s.Flush(ctx)
			}
		}
	}()
	return stopped
}

// DroppedTopicOpens counts the queued topic opens whose write failed after every try.
func (s *Service) DroppedTopicOpens() uint64 {
	if s.batch == nil {
		return 0
	}
	return s.batch.dropped.Load()
}

func (s *Service) enqueue(ctx context.Context, e pendingEvent) error {
	s.batch.mu.Lock()
	s.batch.pending = append(s.batch.pending, e)
	full := len(s.batch.pending) >= maxPending
	s.batch.mu.Unlock()
	if full {
		return s.Flush(ctx)
	}
	return nil
}

// Flush writes every queued event now, through the gate. Readers call it first, so a member
// always sees their latest topic open. The queue holds other members' events too, so the write
// is not cut short when the caller's context ends (a reader leaving, or shutdown).
// flushFor makes sure every open and position queued for member is written: it flushes the
// queue only when it holds one of theirs (a list page of a member whose reading history is off,
// or who opened nothing lately, then writes nothing of others'), and otherwise waits for a flush
// under way, which may hold theirs.
func (s *Service) flushFor(ctx context.Context, memberID int64) error {
	if s.batch == nil {
		return nil
	}
	s.batch.mu.Lock()
	mine := slices.ContainsFunc(s.batch.pending, func(e pendingEvent) bool { return e.memberID == memberID })
	s.batch.mu.Unlock()
	if mine {
		return s.Flush(ctx)
	}
	s.batch.flushMu.Lock() // only to wait for a flush under way
	defer s.batch.flushMu.Unlock()
	return nil
}

func (s *Service) Flush(ctx context.Context) error {
	if s.batch == nil {
		return nil
	}
	ctx = context.WithoutCancel(ctx)
	s.batch.flushMu.Lock()
	defer s.batch.flushMu.Unlock()
	s.batch.mu.Lock()
	events := s.batch.pending
	s.batch.pending = nil
	s.batch.mu.Unlock()
	var failed error
	for len(events) > 0 {
		n := min(len(events), 200) // 4 values a row: well under any bound-parameter limit
		if err := s.writeBatch(ctx, events[:n]); err != nil {
			s.batch.dropped.Add(uint64(n))
			s.batch.logger.Error("topic opens dropped", "events", n, "tries", writeTries, "error", err.Error())
			failed = cmp.Or(failed, err)
		}
		events = events[n:]
	}
	return failed
}

// writeBatch writes one batch, trying again a bounded number of times.
func (s *Service) writeBatch(ctx context.Context, events []pendingEvent) error {
	var err error
	for try := 1; try <= writeTries; try++ {
		if _, err = s.writeGated(ctx, s.db, events); err == nil {
			return nil
		}
		if try < writeTries {
			s.batch.logger.Warn("topic opens not written; trying again", "events", len(events), "try", try, "error", err.Error())
			s.batch.pause(try)
		}
	}
	return err
}

// writeGated writes events whose member's reading-history consent is on now and who has not
// erased their record since the event, and moves those members' read positions forward, in one
// transaction whose two statements each carry the same gate.
func (s *Service) writeGated(ctx context.Context, db *gorm.DB, events []pendingEvent) (int64, error) {
	var n int64
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if tx.Dialector.Name() == "postgres" {
			// Give way rather than deadlock: an account deletion locks the member before their
			// consents, this write the other way round. Failing first (well before PostgreSQL's
			// one-second deadlock check) lets the deletion through; the retry then finds no consent.
			if err := tx.Exec(`SET LOCAL lock_timeout = '300ms'`).Error; err != nil {
				return err
			}
			// Lock the consents in a statement of their own: an erase-all that held them has then
			// committed, and the writes below (each a fresh snapshot) see its erased_before.
			members := make([]int64, 0, len(events))
			for _, e := range events {
				members = append(members, e.memberID)
			}
			if err := tx.Exec(`SELECT 1 FROM consents WHERE member_id IN ? AND purpose = ? FOR SHARE`, members, ReadingHistory).Error; err != nil {
				return err
			}
		}
		var err error
		if n, err = writeOpens(tx, events); err != nil {
			return err
		}
		return writeReadPositions(tx, events)
	})
	if err != nil {
		return 0, fmt.Errorf("privacy: unable to write topic opens: %w", err)
	}
	return n, nil
}

// gate is the consent gate on the rows of a VALUES list v whose first column is the member and
// whose time column is at: the member's reading-history consent is on now, for the current
// wording, and they have not erased their record since. It returns the SQL and its arguments.
func gate(dialect, at string) (string, []any) {
	p, _ := Lookup(ReadingHistory)
	lock := ""
	if dialect == "postgres" {
		// Share-lock the consent row for the transaction: a withdrawal racing this write waits for
		// it, or, if it came first, this statement sees the withdrawn row and writes nothing.
		lock = " FOR SHARE OF c"
	}
	return `EXISTS (SELECT 1 FROM consents c WHERE c.member_id = v.column1 AND c.purpose = ? AND c.granted = ? AND c.version = ?` + lock + `)
		AND NOT EXISTS (SELECT 1 FROM privacy_settings ps WHERE ps.member_id = v.column1 AND ps.erased_before >= ` + at + `)`,
		[]any{ReadingHistory, true, p.Version}
}

// values is a VALUES list of n rows of the given column types (PostgreSQL needs them spelt out:
// VALUES has no column types to infer from).
func values(dialect string, n int, types ...string) string {
	cols := make([]string, len(types))
	for i, t := range types {
		cols[i] = "?"
		if dialect == "postgres" {
			cols[i] = "?::" + t
		}
	}
	row := "(" + strings.Join(cols, ", ") + ")"
	return "(VALUES " + strings.TrimSuffix(strings.Repeat(row+", ", n), ", ") + ") AS v"
}

func writeOpens(tx *gorm.DB, events []pendingEvent) (int64, error) {
	dialect := tx.Dialector.Name()
	args := make([]any, 0, len(events)*4+5)
	for _, e := range events {
		args = append(args, e.memberID, e.topicID, e.groupID, e.at)
	}
	cond, condArgs := gate(dialect, "v.column4")
	q := `INSERT INTO activity_events (member_id, kind, topic_id, group_id, created_at)
		SELECT v.column1, '` + KindTopicOpen + `', v.column2, v.column3, v.column4
		FROM ` + values(dialect, len(events), "bigint", "bigint", "bigint", "timestamptz") + `
		WHERE ` + cond
	res := tx.Exec(q, append(args, condArgs...)...)
	return res.RowsAffected, res.Error
}

// writeReadPositions moves each member's position in each topic to the highest post they were
// shown, never back, behind the same gate as the opens.
func writeReadPositions(tx *gorm.DB, events []pendingEvent) error {
	dialect := tx.Dialector.Name()
	var args []any
	rows := 0
	for _, e := range events {
		if e.lastPostID > 0 {
			args = append(args, e.memberID, e.topicID, e.lastPostID, e.at)
			rows++
		}
	}
	if rows == 0 {
		return nil
	}
	cond, condArgs := gate(dialect, "v.column4")
	greatest := "MAX"
	if dialect == "postgres" {
		greatest = "GREATEST"
	}
	// Grouped: one statement may not update the same row twice.
	q := `INSERT INTO read_positions (member_id, topic_id, last_read_post_id, read_at)
		SELECT v.column1, v.column2, MAX(v.column3), MAX(v.column4)
		FROM ` + values(dialect, rows, "bigint", "bigint", "bigint", "timestamptz") + `
		WHERE ` + cond + `
		GROUP BY v.column1, v.column2
		ON CONFLICT (member_id, topic_id) DO UPDATE SET
			last_read_post_id = ` + greatest + `(read_positions.last_read_post_id, excluded.last_read_post_id),
			read_at = excluded.read_at`
	return tx.Exec(q, append(args, condArgs...)...).Error
}
