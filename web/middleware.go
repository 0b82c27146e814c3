package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/gorilla/sessions"
	"github.com/haven-forum/haven/internal/accounts"
	"github.com/haven-forum/haven/internal/apperr"
	"github.com/haven-forum/haven/internal/paths"
	"github.com/haven-forum/haven/internal/privacy"
	"github.com/labstack/echo/v4"
)

// logRequests writes one line per request: method, route pattern, status and duration, and
// counts it for /metrics under the same labels. Never the path, query, form, address or who
// asked: a log line must not say who read what.
func (s *Server) logRequests(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err) // render the error page now, so the status logged is the one sent
		}
		route := c.Path()
		if route == "" || route == "/*" {
			route = "unmatched"
		}
		s.Logger.Info("request", "method", method(c), "route", route,
			"status", c.Response().Status, "ms", time.Since(start).Milliseconds())
		s.Metrics.ObserveRequest(method(c), route, c.Response().Status, time.Since(start))
		return nil
	}
}

// recoverPanics turns a panic into the calm 500 page. The panic's value may hold member data,
// and a stack's argument words may be ids, so only the stack's functions and lines are logged.
func (s *Server) recoverPanics(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) (err error) {
		defer func() {
			if r := recover(); r != nil {
				if r == http.ErrAbortHandler {
					panic(r)
				}
				s.Logger.Error("panic", "route", c.Path(), "stack", stackWithoutArguments(debug.Stack()))
				err = errPanic
			}
		}()
		return next(c)
	}
}

var errPanic = errors.New("web: panic in handler")

// stackWithoutArguments keeps a stack's functions, files and lines: each function line's
// trailing argument list, "(0xc000123?, {0x2a, ...})", becomes "(…)".
func stackWithoutArguments(stack []byte) string {
	lines := strings.Split(string(stack), "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, "\t") || !strings.HasSuffix(l, ")") {
			continue
		}
		depth := 0
		for j := len(l) - 1; j >= 0; j-- {
			switch l[j] {
			case ')', '}':
				depth++
			case '(', '{':
				depth--
			}
			if depth == 0 {
				lines[i] = l[:j] + "(…)"
				break
			}
		}
	}
	return strings.Join(lines, "\n")
}

const contentSecurityPolicy = "default-src 'none'; style-src 'self'; img-src 'self'; script-src 'self'; " +
	"form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// securityHeaders sets the headers every response carries. Pages are never stored by caches:
// nearly every page shows something of the member's own.
func (s *Server) securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=(), browsing-topics=()")
		h.Set("X-Robots-Tag", "noindex, nofollow")
		if s.SecureCookies {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		h.Set("Cache-Control", "no-store")
		return next(c)
	}
}

// requestState is what the session middleware learned about a request.
type requestState struct {
	session *sessions.Session
	viewer  *accounts.Viewer
	dirty   bool // the cookie must be written
}

const stateKey = "haven.state"

func state(c echo.Context) *requestState {
	if st, ok := c.Get(stateKey).(*requestState); ok {
		return st
	}
	return &requestState{session: sessions.NewSession(nil, "")}
}

func randomString(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("web: no randomness: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// loadSession reads the session cookie, finds who is signed in (server-side, so a session ended
// anywhere ends here at once), and makes sure a CSRF token exists.
func (s *Server) loadSession(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		sess, err := s.cookies.Get(c.Request(), s.cookie)
		if err != nil { // tampered or from an old key: start afresh
			sess, _ = s.cookies.New(c.Request(), s.cookie)
		}
		st := &requestState{session: sess}
		c.Set(stateKey, st)
		c.Response().Before(func() {
			if st.dirty {
				if err := st.session.Save(c.Request(), c.Response().Writer); err != nil {
					s.Logger.Error("session cookie not saved", "route", c.Path())
				}
			}
		})
		if token, _ := sess.Values["sid"].(string); token != "" {
			v, err := s.Accounts.ViewerBySession(c.Request().Context(), token)
			switch {
			case err == nil:
				st.viewer = &v
				// The consents are read at most once per request, by its first check (privacy.WithConsentMemo).
				c.SetRequest(c.Request().WithContext(privacy.WithConsentMemo(accounts.WithViewer(c.Request().Context(), v))))
			case apperr.Code(err) == apperr.ENOTFOUND: // ended elsewhere
				delete(sess.Values, "sid")
				st.dirty = true
			default:
				return err
			}
		}
		if tok, _ := sess.Values["csrf"].(string); tok == "" {
			sess.Values["csrf"] = randomString(32)
			st.dirty = true
		}
		return next(c)
	}
}

// checkCSRF refuses a state-changing request unless its _csrf field (or X-CSRF-Token header)
// matches the token in the member's session cookie, and refuses any that a browser says came
// from another site.
func (s *Server) checkCSRF(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		switch c.Request().Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			return next(c)
		}
		expired := &apperr.Error{Code: apperr.EFORBIDDEN,
			Message: "This form has expired or did not come from Haven. Go back, reload the page and send it again; what you typed is usually still in the form."}
		if c.Request().Header.Get("Sec-Fetch-Site") == "cross-site" {
			return expired
		}
		want, _ := state(c).session.Values["csrf"].(string)
		got := c.Request().PostFormValue("_csrf") // never the query string: a URL ends up in logs and Referer headers
		if got == "" {
			got = c.Request().Header.Get("X-CSRF-Token")
		}
		if want == "" || subtle.ConstantTimeCompare([]byte(want), []byte(unmaskCSRF(got))) != 1 {
			return expired
		}
		return next(c)
	}
}

// maskCSRF returns the session's token as a page carries it: a fresh random pad and the token
// XORed with it, so no two responses carry the same bytes. A page compressed on its way (by a
// proxy) then gives an attacker who reflects guesses into it nothing to match (BREACH).
func maskCSRF(token string) string {
	if token == "" {
		return ""
	}
	pad := make([]byte, len(token))
	if _, err := rand.Read(pad); err != nil {
		panic("web: no randomness: " + err.Error())
	}
	out := make([]byte, 2*len(token))
	copy(out, pad)
	for i := range len(token) {
		out[len(token)+i] = pad[i] ^ token[i]
	}
	return base64.RawURLEncoding.EncodeToString(out)
}

// unmaskCSRF undoes maskCSRF. Only a masked token unmasks to the session's: the bare token (which
// no page shows) and anything else do not match.
func unmaskCSRF(got string) string {
	b, err := base64.RawURLEncoding.DecodeString(got)
	if err != nil || len(b) == 0 || len(b)%2 != 0 {
		return got
	}
	n := len(b) / 2
	out := make([]byte, n)
	for i := range n {
		out[i] = b[i] ^ b[n+i]
	}
	return string(out)
}

// requireMember sends a signed-out visitor to the log-in page, and back here afterwards.
func (s *Server) requireMember(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if state(c).viewer != nil {
			return next(c)
		}
		target := paths.LogIn
		if c.Request().Method == http.MethodGet {
			target = paths.LogInThen(c.Request().URL.RequestURI())
		}
		setNotice(c, "Please log in to continue.")
		return c.Redirect(http.StatusSeeOther, target)
	}
}

// setNotice keeps a one-time message for the next page.
func setNotice(c echo.Context, msg string) { setNoticeAt(c, msg, "") }

// setNoticeAt keeps a one-time message for the next page, to show beside the element with id at
// (what the member acted on; the redirect's #anchor), or at the top when at is "".
func setNoticeAt(c echo.Context, msg, at string) {
	st := state(c)
	st.session.Values["notice"] = msg
	st.session.Values["notice_at"] = at
	st.dirty = true
}

// startSession signs the member in on a fresh session: a new server-side session and a new
// CSRF token, so nothing from before the log-in carries over (no fixation).
func (s *Server) startSession(c echo.Context, memberID int64) error {
	token, err := s.Accounts.StartSession(c.Request().Context(), memberID)
	if err != nil {
		return err
	}
	st := state(c)
	if old, _ := st.session.Values["sid"].(string); old != "" {
		s.Accounts.EndSession(c.Request().Context(), old)
	}
	st.session.Values = map[any]any{"sid": token, "csrf": randomString(32)}
	st.dirty = true
	v, err := s.Accounts.ViewerBySession(c.Request().Context(), token)
	if err != nil {
		return err
	}
	st.viewer = &v // the page that answers this request already shows the member signed in
	c.SetRequest(c.Request().WithContext(accounts.WithViewer(c.Request().Context(), v)))
	return nil
}
