package privacy_test

import (
	"context"
	"log/slog"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/haven-forum/haven/internal/dbtest"
	"github.com/haven-forum/haven/internal/privacy"
	"gorm.io/gorm"
)

// Batched writing keeps the gate: what waits in the queue is written only if consent is still
// on when it is written and the member has not erased since.
func TestBatchedOpensStillPassTheGate(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		s := privacy.NewService(db, privacy.ControllerInfo{})
		ctx, g, topic := fixture(t, db, "batched")
		runCtx, stop := context.WithCancel(context.Background())
		stopped := s.StartBatching(runCtx, time.Hour, nil) // only explicit flushes in this test
		s.SetConsent(ctx, privacy.ReadingHistory, true, privacy.MethodDashboard)

		s.RecordTopicOpen(ctx, topic, g)
		if n := events(t, db); n != 0 {
			t.Fatalf("%d events before the flush; the queue is not in use", n)
		}
		if n := must(s.EventCount(ctx)); n != 1 {
			t.Errorf("the member does not see their latest open: %d", n)
		}

		s.RecordTopicOpen(ctx, topic, g)
		s.SetConsent(ctx, privacy.ReadingHistory, false, privacy.MethodDashboard)
		s.Flush(context.Background())
		if n := events(t, db); n != 1 {
			t.Errorf("a queued open was written after the withdrawal: %d events", n)
		}

		s.SetConsent(ctx, privacy.ReadingHistory, true, privacy.MethodDashboard)
		s.RecordTopicOpen(ctx, topic, g)
		time.Sleep(5 * time.Millisecond) // the erasure comes strictly after the open
		if _, err := s.EraseAll(ctx); err != nil {
			t.Fatal(err)
		}
		s.Flush(context.Background())
		if n := events(t, db); n != 0 {
			t.Errorf("a queued open came back after the erasure: %d events", n)
		}

		s.RecordTopicOpen(privacy.WithGPC(ctx), topic, g)
		time.Sleep(5 * time.Millisecond)
		s.RecordTopicOpen(ctx, topic, g)
		stop()
		<-stopped // stopping writes what is left
		if n := events(t, db); n != 1 {
			t.Errorf("%d events after shutdown, want the one open made after the erasure (not the GPC one)", n)
		}
	})
}

// A batch write that fails is tried again, and one that keeps failing is dropped after a bounded
// number of tries: counted, and logged with how many events went, never whose.
func TestFailedBatchWritesAreRetriedThenCounted(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		s := privacy.NewService(db, privacy.ControllerInfo{})
		ctx, g, topic := fixture(t, db, "retried_reader")
		logs := &lockedBuffer{}
		runCtx, stop := context.WithCancel(context.Background())
		stopped := s.StartBatching(runCtx, time.Hour, slog.New(slog.NewTextHandler(logs, nil)))
		t.Cleanup(func() { stop(); <-stopped })
		must(s.SetConsent(ctx, privacy.ReadingHistory, true, privacy.MethodDashboard))
		rename := func(from, to string) {
			t.Helper()
			if err := db.Exec(`ALTER TABLE ` + from + ` RENAME TO ` + to).Error; err != nil {
				t.Fatal(err)
			}
		}

		// The table is gone for the first try and back for the second: nothing is lost.
		rename("activity_events", "activity_events_away")
		pauses := 0
		privacy.SetRetryPause(s, func(int) {
			if pauses++; pauses == 1 {
				rename("activity_events_away", "activity_events")
			}
		})
		s.RecordTopicOpen(ctx, topic, g)
		s.RecordTopicOpen(ctx, topic, g)
		if err := s.Flush(context.Background()); err != nil {
			t.Fatalf("a write that failed once: %v", err)
		}
		if n := events(t, db); n != 2 || pauses != 1 || s.DroppedTopicOpens() != 0 {
			t.Errorf("after one failed try: %d events, %d pauses, %d dropped; want 2, 1, 0", n, pauses, s.DroppedTopicOpens())
		}
		if !strings.Contains(logs.String(), "trying again") {
			t.Errorf("the failed try is not logged:\n%s", logs)
		}

		// Gone for every try: the batch is dropped, counted and logged.
		rename("activity_events", "activity_events_away")
		pauses = 0
		privacy.SetRetryPause(s, func(int) { pauses++ })
		for range 3 {
			s.RecordTopicOpen(ctx, topic, g)
		}
		if err := s.Flush(context.Background()); err == nil {
			t.Error("a write that failed every try reported no error")
		}
		rename("activity_events_away", "activity_events")
		if pauses != privacy.WriteTries-1 || s.DroppedTopicOpens() != 3 {
			t.Errorf("%d pauses and %d dropped; want %d and 3", pauses, s.DroppedTopicOpens(), privacy.WriteTries-1)
		}
		if !regexp.MustCompile(`msg="topic opens dropped" events=3 tries=3 error=`).MatchString(logs.String()) {
			t.Errorf("the drop is not logged:\n%s", logs)
		}
		// Only these keys: no member, topic or group, and no time of an open.
		allowed := map[string]bool{"time": true, "level": true, "msg": true, "events": true, "tries": true, "try": true, "error": true}
		for _, m := range regexp.MustCompile(`(?:^| )(\w+)=`).FindAllStringSubmatch(logs.String(), -1) {
			if !allowed[m[1]] {
				t.Errorf("the log has a %s:\n%s", m[1], logs)
			}
		}
		if strings.Contains(logs.String(), "retried_reader") {
			t.Errorf("the log names the member:\n%s", logs)
		}
		if err := s.Flush(context.Background()); err != nil || events(t, db) != 2 {
			t.Errorf("after the drop: %v, %d events; want the 2 written before", err, events(t, db))
		}
	})
}

type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
