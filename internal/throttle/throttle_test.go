package throttle

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/haven-forum/haven/internal/apperr"
	"github.com/haven-forum/haven/internal/dbtest"
	"gorm.io/gorm"
)

func TestWindowsCountAndExpire(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		now := time.Date(2026, 1, 1, 10, 0, 0, 0, time.UTC)
		th := New(db, []byte("secret"))
		th.now = func() time.Time { return now }
		lim := Limit{Max: 2, Window: time.Minute}
		for i := 0; i < 2; i++ {
			if err := th.Hit(ctx, "k", lim); err != nil {
				t.Fatalf("hit %d: %v", i, err)
			}
		}
		err := th.Hit(ctx, "k", lim)
		if e, ok := apperr.As(err); !ok || e.Code != apperr.ERATELIMIT || e.RetryAfter != time.Minute {
			t.Fatalf("third hit: %v", err)
		}
		if err := th.Hit(ctx, "other", lim); err != nil {
			t.Errorf("another key is limited: %v", err)
		}
		now = now.Add(time.Minute)
		if err := th.Hit(ctx, "k", lim); err != nil {
			t.Errorf("the next window still limited: %v", err)
		}
		var stored []string
		db.Raw(`SELECT bucket FROM throttle_hits`).Scan(&stored)
		for _, b := range stored {
			if b == "k" {
				t.Error("the raw key was stored")
			}
		}
		if err := th.Purge(ctx, now.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		var n int64
		db.Raw(`SELECT COUNT(*) FROM throttle_hits`).Scan(&n)
		if n != 0 {
			t.Errorf("%d windows left after purge", n)
		}
	})
}

// Attempts made at the same moment are each counted before any of them is let through, so no
// more than the limit pass however many arrive together.
func TestConcurrentAttemptsNeverPassTheLimit(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		th := New(db, []byte("secret"))
		lim := Limit{Max: 10, Window: time.Hour}
		var passed, limited atomic.Int32
		var wg sync.WaitGroup
		for range 40 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				err := th.Hit(ctx, "login-user:target", lim)
				switch apperr.Code(err) {
				case apperr.ERATELIMIT:
					limited.Add(1)
				case apperr.EINTERNAL:
					if err == nil {
						passed.Add(1)
					} else {
						t.Error(err)
					}
				}
			}()
		}
		wg.Wait()
		if passed.Load() != 10 || limited.Load() != 30 {
			t.Errorf("%d attempts passed and %d were limited, want 10 and 30", passed.Load(), limited.Load())
		}
	})
}

// An attempt given back (a log-in that succeeded) no longer counts, and only once.
func TestGivenBackAttemptsDoNotCount(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		th := New(db, []byte("secret"))
		lim := Limit{Max: 2, Window: time.Hour}
		tk, err := th.Take(ctx, "k", lim)
		if err != nil {
			t.Fatal(err)
		}
		for range 3 {
			if err := tk.Give(ctx); err != nil {
				t.Fatal(err)
			}
		}
		for i := range 2 {
			if err := th.Hit(ctx, "k", lim); err != nil {
				t.Fatalf("hit %d after giving back: %v", i, err)
			}
		}
		if err := th.Hit(ctx, "k", lim); apperr.Code(err) != apperr.ERATELIMIT {
			t.Errorf("third hit: %v, want the limit (a count given back more than once went below zero)", err)
		}
	})
}
