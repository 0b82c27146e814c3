package throttle

import (
	"context"
	"testing"
	"time"

	"github.com/haven-forum/haven/internal/apperr"
	"github.com/haven-forum/haven/internal/dbtest"
	"gorm.io/gorm"
)

func TestWindowsCountAndExpire(t *testing.T) {
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
		if err := th.Check(ctx, "other", lim); err != nil {
			t.Errorf("another key is limited: %v", err)
		}
		now = now.Add(time.Minute)
		if err := th.Check(ctx, "k", lim); err != nil {
			t.Errorf("the next window still limited: %v", err)
		}
		var stored []string
		db.Raw(`SELECT bucket FROM throttle_hits`).Scan(&stored)
		for _, b := range stored {
			if b == "k" {
				t.Error("the raw key was stored")
			}
		}
		if err := th.Purge(ctx, now); err != nil {
			t.Fatal(err)
		}
		var n int64
		db.Raw(`SELECT COUNT(*) FROM throttle_hits`).Scan(&n)
		if n != 0 {
			t.Errorf("%d windows left after purge", n)
		}
	})
}
