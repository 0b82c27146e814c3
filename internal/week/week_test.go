package week_test

import (
	"testing"
	"time"

	"github.com/haven-forum/haven/internal/week"
)

func TestStartsAreMondaysEndingWithTheCurrentWeek(t *testing.T) {
	t.Parallel()
	day := func(d, h int) time.Time { return time.Date(2026, 11, d, h, 0, 0, 0, time.UTC) }
	for _, now := range []time.Time{day(23, 0), day(25, 12), day(29, 23)} { // Monday, Wednesday, Sunday
		got := week.Starts(3, now)
		want := []time.Time{day(9, 0), day(16, 0), day(23, 0)}
		for i := range want {
			if !got[i].Equal(want[i]) {
				t.Errorf("Starts(3, %v) = %v, want %v", now, got, want)
				break
			}
		}
		if i := week.Of(now, got); i != 2 {
			t.Errorf("Of(%v) = %d, want 2", now, i)
		}
	}
	starts := week.Starts(2, day(25, 12))
	for at, want := range map[time.Time]int{day(15, 23): -1, day(16, 0): 0, day(22, 23): 0, day(23, 0): 1, day(30, 0): -1} {
		if got := week.Of(at, starts); got != want {
			t.Errorf("Of(%v) = %d, want %d", at, got, want)
		}
	}
	// A time zone other than UTC still counts UTC weeks.
	if got := week.Starts(1, time.Date(2026, 11, 23, 0, 30, 0, 0, time.FixedZone("X", 2*3600)))[0]; !got.Equal(day(16, 0)) {
		t.Errorf("00:30 on Monday at UTC+2 is Sunday in UTC, in the week of 16 Nov; got %v", got)
	}
}

func TestIndexNamesEachWeek(t *testing.T) {
	t.Parallel()
	starts := week.Starts(3, time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC))
	sql, args := week.Index("x.at", starts)
	if want := "CASE WHEN x.at < ? THEN 0 WHEN x.at < ? THEN 1 ELSE 2 END"; sql != want || len(args) != 2 ||
		args[0] != starts[1] || args[1] != starts[2] {
		t.Errorf("Index = %q %v", sql, args)
	}
}
