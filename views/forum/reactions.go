package forumview

import (
	"context"
	"io"
	"strconv"

	"github.com/a-h/templ"
)

// reactionButtons writes a post's reaction buttons, as the templ markup would, by hand: four to
// a post and fifty posts to a page, and templ wraps each value it writes in fmt.Sprint (two
// allocations), which made these buttons a tenth of a long topic page's CPU.
func reactionButtons(rs []Reaction) templ.Component {
	return templ.ComponentFunc(func(_ context.Context, w io.Writer) error {
		var buf [16]byte
		for _, r := range rs {
			pressed := "false"
			if r.Mine {
				pressed = "true"
			}
			parts := [...]string{`<button name="kind" value="`, templ.EscapeString(r.Kind), `" aria-pressed="`, pressed, `">`,
				templ.EscapeString(r.Label), " "}
			for _, s := range parts {
				if _, err := io.WriteString(w, s); err != nil {
					return err
				}
			}
			if r.Count > 0 {
				if _, err := io.WriteString(w, `<span class="count">`); err != nil {
					return err
				}
				if _, err := w.Write(strconv.AppendInt(buf[:0], int64(r.Count), 10)); err != nil {
					return err
				}
				if _, err := io.WriteString(w, `</span>`); err != nil {
					return err
				}
			}
			if _, err := io.WriteString(w, `</button>`); err != nil {
				return err
			}
		}
		return nil
	})
}
