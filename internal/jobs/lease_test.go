package jobs

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/haven-forum/haven/internal/dbtest"
	"gorm.io/gorm"
)

func TestOneHolderPerPeriodAndTakeOverAfterACrash(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		var wins atomic.Int32
		var wg sync.WaitGroup
		for _, holder := range []string{"instance-a", "instance-b", "instance-c", "instance-d"} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ok, err := TryLease(ctx, db, "purge", holder, time.Hour, now)
				if err != nil {
					t.Error(err)
				}
				if ok {
					wins.Add(1)
				}
			}()
		}
		wg.Wait()
		if wins.Load() != 1 {
			t.Fatalf("%d instances took the same lease at once", wins.Load())
		}
		if ok, _ := TryLease(ctx, db, "purge", "instance-b", time.Hour, now.Add(59*time.Minute)); ok {
			t.Error("a lease was taken before the period ended")
		}
		// The holder crashed; when its period ends another instance takes over.
		if ok, _ := TryLease(ctx, db, "purge", "instance-b", time.Hour, now.Add(61*time.Minute)); !ok {
			t.Error("no take-over after the lease ran out")
		}
		if ok, _ := TryLease(ctx, db, "other-job", "instance-a", time.Hour, now); !ok {
			t.Error("leases of different jobs interfere")
		}
	})
}

func TestRunnersRunEachJobOncePerPeriod(t *testing.T) {
	t.Parallel()
	db := dbtest.SQLite(t)
	var runs atomic.Int32
	job := Job{Name: "count", Period: time.Hour, Run: func(context.Context) error { runs.Add(1); return nil }}
	a := &Runner{DB: db, Holder: "a", Jobs: []Job{job}}
	b := &Runner{DB: db, Holder: "b", Jobs: []Job{job}}
	for i := 0; i < 3; i++ {
		a.RunDue(context.Background())
		b.RunDue(context.Background())
	}
	if runs.Load() != 1 {
		t.Errorf("the job ran %d times in one period, want 1", runs.Load())
	}
}

// Stopping the runner waits for the job in progress: when stop returns, the job has returned,
// so it cannot touch a database closed after.
func TestStopWaitsForTheJobInProgress(t *testing.T) {
	t.Parallel()
	db := dbtest.SQLite(t)
	started := make(chan struct{})
	var finished atomic.Bool
	job := Job{Name: "slow", Period: time.Hour, Run: func(ctx context.Context) error {
		close(started)
		<-ctx.Done() // cancelled by stop
		time.Sleep(50 * time.Millisecond)
		// Still usable here: stop has not returned, so the caller has not closed it.
		if err := db.Exec(`SELECT 1`).Error; err != nil {
			t.Errorf("the database was closed under a running job: %v", err)
		}
		finished.Store(true)
		return nil
	}}
	r := &Runner{DB: db, Holder: "a", Jobs: []Job{job}, Tick: time.Hour}
	stop := r.Start(context.Background())
	<-started
	stop()
	if !finished.Load() {
		t.Error("stop returned while the job was still running")
	}
}
