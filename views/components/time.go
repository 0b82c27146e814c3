package components

import (
	"context"
	"io"
	"time"

	"github.com/a-h/templ"
)

// Time shows a moment as people read it ("3 hours ago"), in the reader's time zone, with the
// exact time in its title and RFC 3339 for machines. Every time on every page goes through it
// (fifty on a long topic page), so it is written by hand into one buffer: templ wraps each value
// it writes in fmt.Sprint, two allocations a value, and each Format made a string of its own.
func Time(t time.Time) templ.Component {
	return templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		c := ClockFrom(ctx)
		b := make([]byte, 0, 160)
		b = append(b, `<time datetime="`...)
		b = t.UTC().AppendFormat(b, time.RFC3339) // for machines: RFC 3339, in UTC
		b = append(b, `" title="`...)
		b = t.In(c.Zone).AppendFormat(b, exactLayout)
		b = append(b, ' ')
		b = append(b, templ.EscapeString(zoneName(c.Zone))...)
		b = append(b, `">`...)
		b = append(b, templ.EscapeString(Relative(t, c.Now, c.Zone))...)
		b = append(b, `</time>`...)
		_, err := w.Write(b)
		return err
	})
}
