package components_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/haven-forum/haven/views/components"
)

func TestRelativeTimeAtItsBoundaries(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 6, 15, 30, 0, 0, time.UTC)
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		ago  time.Duration
		zone *time.Location
		want string
	}{
		{0, time.UTC, "just now"},
		{59 * time.Second, time.UTC, "just now"},
		{-30 * time.Second, time.UTC, "just now"}, // a clock a little ahead
		{time.Minute, time.UTC, "1 minute ago"},
		{5*time.Minute + 59*time.Second, time.UTC, "5 minutes ago"},
		{59 * time.Minute, time.UTC, "59 minutes ago"},
		{time.Hour, time.UTC, "1 hour ago"},
		{3 * time.Hour, time.UTC, "3 hours ago"},
		{23*time.Hour + 59*time.Minute, time.UTC, "23 hours ago"},
		{24 * time.Hour, time.UTC, "yesterday"},                // 5 Dec 15:30
		{39*time.Hour + 30*time.Minute, time.UTC, "yesterday"}, // 5 Dec 00:00
		{39*time.Hour + 31*time.Minute, time.UTC, "4 Dec"},     // 4 Dec 23:59
		{39*time.Hour + 31*time.Minute, paris, "yesterday"},    // 5 Dec 00:59 in Paris
		{339 * 24 * time.Hour, time.UTC, "1 Jan"},              // still 2026
		{340 * 24 * time.Hour, time.UTC, "31 Dec 2025"},        // another year
		{15*time.Hour + 31*time.Minute, paris, "15 hours ago"}, // under a day: hours, whatever the zone
		{-3 * time.Hour, time.UTC, "in 3 hours"},               // the end of a sanction
		{-30 * time.Hour, time.UTC, "tomorrow"},
		{-60 * 24 * time.Hour, time.UTC, "4 Feb 2027"},
	}
	for _, c := range cases {
		if got := components.Relative(now.Add(-c.ago), now, c.zone); got != c.want {
			t.Errorf("%v before, in %s: %q, want %q", c.ago, c.zone, got, c.want)
		}
	}
}

func TestTimeShowsTheReadersZoneInItsTitleAndUTCForMachines(t *testing.T) {
	t.Parallel()
	paris, _ := time.LoadLocation("Europe/Paris")
	at := time.Date(2026, 12, 6, 3, 5, 0, 0, time.UTC)
	var b strings.Builder
	ctx := components.WithClock(context.Background(), components.Clock{Zone: paris, Now: at.Add(3 * time.Hour)})
	if err := components.Time(at).Render(ctx, &b); err != nil {
		t.Fatal(err)
	}
	want := `<time datetime="2026-12-06T03:05:00Z" title="Sunday 6 December 2026, 04:05 Europe/Paris">3 hours ago</time>`
	if b.String() != want {
		t.Errorf("got  %s\nwant %s", b.String(), want)
	}
	b.Reset()
	if err := components.Time(at).Render(context.Background(), &b); err != nil { // a visitor: UTC
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), `title="Sunday 6 December 2026, 03:05 UTC"`) {
		t.Errorf("signed out: %s", b.String())
	}
}

// Every time on every page renders through Time: what one costs (a topic page shows 20 to 40).
func BenchmarkTime(b *testing.B) {
	paris, _ := time.LoadLocation("Europe/Paris")
	at := time.Date(2026, 12, 6, 3, 5, 0, 0, time.UTC)
	ctx := components.WithClock(context.Background(), components.Clock{Zone: paris, Now: at.Add(3 * time.Hour)})
	var sb strings.Builder
	for b.Loop() {
		sb.Reset()
		if err := components.Time(at).Render(ctx, &sb); err != nil {
			b.Fatal(err)
		}
	}
}
