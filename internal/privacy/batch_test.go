package privacy_test

import (
	"context"
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
		stopped := s.StartBatching(runCtx, time.Hour) // only explicit flushes in this test
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
