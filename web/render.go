package web

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/a-h/templ"
	"github.com/haven-forum/haven/internal/accounts"
	"github.com/haven-forum/haven/internal/moderation"
	"github.com/haven-forum/haven/internal/paths"
	"github.com/haven-forum/haven/views/components"
	"github.com/haven-forum/haven/views/layout"
	"github.com/labstack/echo/v4"
)

// render writes a templ component as the response, its times shown in the reader's zone. The
// page is rendered whole before anything is sent: one write with its length rather than a
// chunked write (a system call) every 4 kB, and an error mid-page becomes the error page, not
// half a page with status 200.
func render(c echo.Context, status int, comp templ.Component) error {
	buf := pageBuffers.Get().(*bytes.Buffer)
	defer func() {
		if buf.Cap() <= maxPooledPage {
			buf.Reset()
			pageBuffers.Put(buf)
		}
	}()
	if err := comp.Render(components.WithClock(c.Request().Context(), clock(state(c).viewer)), buf); err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, echo.MIMETextHTMLCharsetUTF8)
	h.Set(echo.HeaderContentLength, strconv.Itoa(buf.Len()))
	c.Response().WriteHeader(status)
	_, err := c.Response().Write(buf.Bytes())
	return err
}

// pageBuffers holds the buffers pages are rendered into; one grown past maxPooledPage (a rare
// huge page) is left to the collector rather than kept.
var pageBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

const maxPooledPage = 1 << 20

// clock is what a reader's times are shown against: their chosen zone (UTC signed out), now.
func clock(v *accounts.Viewer) components.Clock {
	zone := accounts.Location(accounts.DefaultTimeZone)
	if v != nil {
		zone = accounts.Location(v.TimeZone)
	}
	return components.Clock{Zone: zone, Now: time.Now()}
}

// page fills in the frame for a view: who is signed in, the CSRF token, and any one-time notice.
func (s *Server) page(c echo.Context, title string) layout.Page {
	st := state(c)
	p := layout.Page{Title: title, CSSPath: s.Assets.Path("css/haven.css")}
	token, _ := st.session.Values["csrf"].(string)
	p.CSRF = maskCSRF(token)
	if st.viewer != nil {
		p.Viewer = &layout.Viewer{Username: st.viewer.Username, IsAdmin: st.viewer.IsAdmin()}
		p.Viewer.New, _ = st.session.Values["new_member"].(bool)
		s.headerCounts(c, p.Viewer)
	}
	if n, _ := st.session.Values["notice"].(string); n != "" {
		p.Notice = n
		p.NoticeAt, _ = st.session.Values["notice_at"].(string)
		delete(st.session.Values, "notice")
		delete(st.session.Values, "notice_at")
		st.dirty = true
	}
	return p
}

// formValues reads exactly the named fields: a form binds only what it names.
func formValues(c echo.Context, names ...string) map[string]string {
	v := make(map[string]string, len(names))
	for _, n := range names {
		v[n] = c.FormValue(n)
	}
	return v
}

// formWith returns a form that keeps what was typed (never passwords) and the field errors.
func formWith(values map[string]string, errs map[string]string) components.Form {
	kept := make(map[string]string, len(values))
	for k, v := range values {
		if !strings.Contains(k, "password") {
			kept[k] = v
		}
	}
	return components.Form{Values: kept, Errors: errs}
}

// safeNext returns next if it points inside the site, else "/". Refuses "//host", "/\host" and
// anything with a scheme, so a log-in link can never send a member elsewhere.
func safeNext(next string) string {
	if next == "" || next[0] != '/' || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") ||
		strings.ContainsAny(next, "\r\n\t") {
		return paths.Home
	}
	return next
}

func redirect(c echo.Context, to string) error { return c.Redirect(http.StatusSeeOther, to) }

// headerCounts fills in the header's count of unread notifications and, for moderators and
// admins, the link to the queue. A failed count shows none rather than failing the page.
func (s *Server) headerCounts(c echo.Context, v *layout.Viewer) {
	ctx := c.Request().Context()
	h, err := s.Inbox.Header(ctx)
	if err != nil {
		s.Logger.WarnContext(ctx, "counts for the header failed", "err", err)
	}
	v.Unread = h.Unread
	scope := moderation.ScopeOf(*state(c).viewer, h.Moderates)
	if scope.All || len(scope.GroupIDs) > 0 {
		v.Waiting, v.AtRisk, err = s.Moderation.Waiting(ctx, scope)
		v.Moderates = err == nil
		if err != nil {
			s.Logger.WarnContext(ctx, "queue count for the header failed", "err", err)
		}
	}
}
