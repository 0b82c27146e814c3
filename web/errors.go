package web

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/haven-forum/haven/internal/apperr"
	"github.com/haven-forum/haven/internal/database"
	"github.com/haven-forum/haven/internal/paths"
	"github.com/haven-forum/haven/views/pages"
	"github.com/labstack/echo/v4"
)

// handleError is the one place an error becomes a status and a page. The member sees only the
// safe message; causes go to the log without member data.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	if e, ok := apperr.As(err); ok && e.Code == apperr.EUNAUTHORIZED && c.Request().Method == http.MethodGet && state(c).viewer == nil {
		setNotice(c, e.Message)
		c.Redirect(http.StatusSeeOther, paths.LogInThen(c.Request().URL.RequestURI()))
		return
	}
	info := classify(err)
	if info.Status >= 500 { // every one, 503s too: a locked or unreachable database must show in the log
		s.logFailure(c, "request failed", err, "status", info.Status)
		s.Metrics.ObserveError(errorCause(err, info.Status))
	}
	if e, ok := apperr.As(err); ok && e.Code == apperr.ERATELIMIT {
		c.Response().Header().Set("Retry-After", fmt.Sprint(int(math.Ceil(e.RetryAfter.Seconds()))))
	}
	if c.Request().Method == http.MethodHead {
		c.NoContent(info.Status)
		return
	}
	if rerr := render(c, info.Status, pages.ErrorPage(s.page(c, info.Heading), info)); rerr != nil {
		c.String(info.Status, info.Message)
	}
}

// errorCause names why a request failed with a 5xx, for the errors metric.
func errorCause(err error, status int) string {
	switch {
	case errors.Is(err, errPanic):
		return "panic"
	case status == http.StatusServiceUnavailable:
		return "unavailable"
	}
	return "internal"
}

func classify(err error) pages.ErrorInfo {
	if errors.Is(err, errBadText) {
		return pages.ErrorInfo{Status: http.StatusUnprocessableEntity, Heading: "Some characters could not be accepted",
			Message: "What you sent contains characters Haven does not accept: invalid text, or invisible control characters (often from copying out of another program). Nothing was saved or searched.",
			Next:    "Go back, remove them or retype that part, and send it again: what you typed is usually still in the form."}
	}
	var he *echo.HTTPError
	if errors.As(err, &he) {
		switch he.Code {
		case http.StatusNotFound, http.StatusMethodNotAllowed:
			return notFound
		case http.StatusRequestEntityTooLarge:
			return pages.ErrorInfo{Status: he.Code, Heading: "That was too large to send",
				Message: "What you sent is larger than Haven accepts.", Next: "Go back, shorten it, and send it again."}
		}
		if he.Code < 500 {
			return pages.ErrorInfo{Status: he.Code, Heading: "That request did not work",
				Message: "Haven could not understand that request.", Next: "Go back and try again."}
		}
	}
	if database.IsUnavailable(err) {
		return unavailable
	}
	if e, ok := apperr.As(err); ok {
		switch e.Code {
		case apperr.ENOTFOUND:
			return notFound
		case apperr.EFORBIDDEN:
			return pages.ErrorInfo{Status: http.StatusForbidden, Heading: "You can't do that here", Message: e.Message, Ends: e.Ends}
		case apperr.EUNAUTHORIZED:
			return pages.ErrorInfo{Status: http.StatusUnauthorized, Heading: "Please log in", Message: e.Message, Next: "Log in and try again."}
		case apperr.EINVALID, apperr.ECONFLICT:
			return pages.ErrorInfo{Status: statusFor(e.Code), Heading: "Something needs fixing", Message: e.Message, Next: "Go back, check what you entered, and try again."}
		case apperr.ERATELIMIT:
			return pages.ErrorInfo{Status: http.StatusTooManyRequests, Heading: "Please wait a little", Message: e.Message,
				Next: "This limit protects accounts from password guessing. Nothing you did was lost."}
		case apperr.EUNAVAILABLE:
			return unavailable
		}
	}
	return pages.ErrorInfo{Status: http.StatusInternalServerError, Heading: "Something went wrong on our side",
		Message: "Sorry: Haven hit a problem it did not expect. It has been noted, without any of your details.",
		Next:    "Please go back and try again in a moment. If it keeps happening, an admin can look at the server log."}
}

func statusFor(code string) int {
	if code == apperr.ECONFLICT {
		return http.StatusConflict
	}
	return http.StatusBadRequest
}

var notFound = pages.ErrorInfo{Status: http.StatusNotFound, Heading: "Page not found",
	Message: "There is nothing here. The link may be old, or the page may have been removed.",
	Next:    "Check the address, or start again from the home page."}

var unavailable = pages.ErrorInfo{Status: http.StatusServiceUnavailable, Heading: "Haven is having trouble right now",
	Message: "Haven cannot reach its database at the moment, so nothing could be saved or shown.",
	Next:    "Please wait a minute and try again. If you were sending something, go back: your text is usually still in the form."}

func (s *Server) handleNotFound(c echo.Context) error { return echo.ErrNotFound }

// logFailure logs err for the operator without anything the request carried: every form,
// query and path value is cut out of the message, since a cause (a driver's error, a %q) may
// quote one, and a log line must not hold what a member typed or looked at.
func (s *Server) logFailure(c echo.Context, msg string, err error, attrs ...any) {
	s.Logger.Error(msg, append(append([]any{"route", c.Path()}, attrs...), "error", redactRequest(c, err.Error()))...)
}

func redactRequest(c echo.Context, text string) string {
	var vals []string
	for _, vs := range c.Request().Form {
		vals = append(vals, vs...)
	}
	for _, vs := range c.Request().URL.Query() {
		vals = append(vals, vs...)
	}
	for _, v := range c.ParamValues() {
		vals = append(vals, v)
		if u, err := url.PathUnescape(v); err == nil {
			vals = append(vals, u)
		}
	}
	sort.Slice(vals, func(i, j int) bool { return len(vals[i]) > len(vals[j]) }) // a value inside another goes after it
	for _, v := range vals {
		if len(v) >= 2 {
			text = strings.ReplaceAll(text, v, "[request value]")
		}
	}
	return text
}
