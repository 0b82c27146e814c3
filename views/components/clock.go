package components

import (
	"context"
	"fmt"
	"time"
)

// Clock is what a page's times are shown against: the reader's time zone and the moment the
// page is rendered, so every time on one page agrees.
type Clock struct {
	Zone *time.Location
	Now  time.Time
}

type clockKey struct{}

// WithClock carries the reader's clock to every Time on the page.
func WithClock(ctx context.Context, c Clock) context.Context {
	return context.WithValue(ctx, clockKey{}, c)
}

// ClockFrom returns the reader's clock: UTC and the current time when none was set (signed out).
func ClockFrom(ctx context.Context) Clock {
	c, _ := ctx.Value(clockKey{}).(Clock)
	if c.Zone == nil {
		c.Zone = time.UTC
	}
	if c.Now.IsZero() {
		c.Now = time.Now()
	}
	return c
}

// Relative says when t was (or will be) as people say it: "just now", "5 minutes ago",
// "3 hours ago", "yesterday", then a date, "3 Dec", with the year when it is not this year's.
func Relative(t, now time.Time, zone *time.Location) string {
	d := now.Sub(t)
	future := d < 0
	if future {
		d = -d
	}
	unit := func(n int, one string) string {
		s := fmt.Sprintf("%d %s", n, one)
		if n != 1 {
			s += "s"
		}
		if future {
			return "in " + s
		}
		return s + " ago"
	}
	lt, ln := t.In(zone), now.In(zone)
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return unit(int(d/time.Minute), "minute")
	case d < 24*time.Hour:
		return unit(int(d/time.Hour), "hour")
	case !future && sameDay(lt, ln.AddDate(0, 0, -1)):
		return "yesterday"
	case future && sameDay(lt, ln.AddDate(0, 0, 1)):
		return "tomorrow"
	case lt.Year() == ln.Year():
		return lt.Format("2 Jan")
	}
	return lt.Format("2 Jan 2006")
}

// exactLayout is the full local time (then its zone), for the title a reader hovers or a screen
// reader asks for.
const exactLayout = "Monday 2 January 2006, 15:04"

func zoneName(z *time.Location) string {
	if z.String() == "UTC" || z.String() == "" {
		return "UTC"
	}
	return z.String()
}

func sameDay(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return ay == by && am == bm && ad == bd
}
