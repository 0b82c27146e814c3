// Package jobs runs periodic background work once per period across every Haven instance
// sharing a database: an instance takes a lease in the job_leases table before running, and a
// crashed holder's lease simply runs out.
package jobs

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// TryLease takes the lease on name for period if nobody holds it now, and reports whether this
// holder got it. Holding it means: run the job now; nobody else will until the period is over.
func TryLease(ctx context.Context, db *gorm.DB, name, holder string, period time.Duration, now time.Time) (bool, error) {
	var got []string
	err := db.WithContext(ctx).Raw(`INSERT INTO job_leases (name, holder, expires_at, last_run_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at, last_run_at = excluded.last_run_at
		WHERE job_leases.expires_at <= ?
		RETURNING holder`, name, holder, now.Add(period), now, now).Scan(&got).Error
	if err != nil {
		return false, fmt.Errorf("jobs: unable to take lease %s: %w", name, err)
	}
	return len(got) == 1 && got[0] == holder, nil
}

// Job is periodic work.
type Job struct {
	Name   string
	Period time.Duration
	Run    func(ctx context.Context) error
}

// Runner checks its jobs every tick and runs those whose lease it wins.
type Runner struct {
	DB     *gorm.DB
	Holder string // unique per process
	Jobs   []Job
	Tick   time.Duration
	OnErr  func(job string, err error)
}

// Start runs Loop in its own goroutine. The returned stop ends it and waits for the job in
// progress to return, so no purge or VACUUM outlives the database it works on: call stop before
// closing the database.
func (r *Runner) Start(ctx context.Context) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		r.Loop(ctx)
	}()
	return func() {
		cancel()
		<-done
	}
}

// Loop runs until ctx ends.
func (r *Runner) Loop(ctx context.Context) {
	t := time.NewTicker(r.Tick)
	defer t.Stop()
	for {
		r.RunDue(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// RunDue runs every job whose lease this runner wins now.
func (r *Runner) RunDue(ctx context.Context) {
	for _, j := range r.Jobs {
		ok, err := TryLease(ctx, r.DB, j.Name, r.Holder, j.Period, time.Now().UTC())
		if err == nil && ok {
			err = j.Run(ctx)
		}
		if err != nil && ctx.Err() == nil && r.OnErr != nil {
			r.OnErr(j.Name, err)
		}
	}
}
