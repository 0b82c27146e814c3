// Package week splits time into the calendar weeks (Monday 00:00 UTC to the next) that weekly
// community figures are counted in, so that every package counting them agrees on the bounds.
package week

import (
	"fmt"
	"strings"
	"time"
)

// Length is one week.
const Length = 7 * 24 * time.Hour

// Starts returns the starts of the n weeks ending with the week that holds now, oldest first.
func Starts(n int, now time.Time) []time.Time {
	day := now.UTC().Truncate(24 * time.Hour)
	current := day.AddDate(0, 0, -((int(day.Weekday()) + 6) % 7)) // back to Monday
	out := make([]time.Time, n)
	for i := range out {
		out[i] = current.AddDate(0, 0, 7*(i-n+1))
	}
	return out
}

// Of returns the index in starts of the week holding t, or -1 if t is outside them all.
func Of(t time.Time, starts []time.Time) int {
	for i := len(starts) - 1; i >= 0; i-- {
		if !t.Before(starts[i]) {
			if t.Before(starts[i].Add(Length)) {
				return i
			}
			return -1
		}
	}
	return -1
}

// Index is an SQL expression giving the index in starts of the week that column falls in, with
// its arguments; the query itself must keep column within [starts[0], starts[0] + n weeks).
// It is plain CASE, the same on SQLite and PostgreSQL.
func Index(column string, starts []time.Time) (string, []any) {
	var b strings.Builder
	b.WriteString("CASE")
	args := make([]any, 0, len(starts))
	for i, s := range starts[1:] {
		fmt.Fprintf(&b, " WHEN %s < ? THEN %d", column, i)
		args = append(args, s)
	}
	fmt.Fprintf(&b, " ELSE %d END", len(starts)-1)
	return b.String(), args
}
