package web

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"
	"github.com/labstack/gommon/bytes"
)

// errTooLarge is a body over the limit, however it was sent (with a length or chunked).
var errTooLarge = echo.NewHTTPError(http.StatusRequestEntityTooLarge)

// errBadText is the one answer to text Haven will not take (422, mapped in errors.go).
var errBadText = errors.New("web: invalid UTF-8 or a control character in the request")

// cappedBody is a request body that knows when it went past the limit.
type cappedBody struct {
	io.ReadCloser
	over bool
}

func (b *cappedBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		b.over = true
	}
	return n, err
}

// readInput is the form boundary for every route: it reads the whole body under the size
// limit (413 past it, chunked or not), parses the form and query once, and refuses any text
// field, query value or path that is not valid UTF-8 or holds control characters (422), so no
// handler ever sees such text and no database is asked to store it.
func (s *Server) readInput(next echo.HandlerFunc) echo.HandlerFunc {
	limit, err := bytes.Parse(s.Limits.BodyLimit)
	if err != nil || limit <= 0 {
		panic("web: invalid body limit " + s.Limits.BodyLimit)
	}
	return func(c echo.Context) error {
		req := c.Request()
		if req.ContentLength > limit {
			return errTooLarge
		}
		body := &cappedBody{ReadCloser: http.MaxBytesReader(c.Response(), req.Body, limit)}
		req.Body = body
		_, err := c.FormParams()
		if err == nil && !body.over { // not a form: still read, so a large body is refused here too
			_, err = io.Copy(io.Discard, body)
		}
		switch {
		case body.over:
			return errTooLarge
		case err != nil:
			return echo.NewHTTPError(http.StatusBadRequest)
		}
		if !cleanText(req.URL.Path) {
			return errBadText
		}
		for k, vs := range req.Form {
			if !cleanText(k) {
				return errBadText
			}
			for _, v := range vs {
				if !cleanText(v) {
					return errBadText
				}
			}
		}
		return next(c)
	}
}

// cleanText reports whether s is valid UTF-8 without control characters other than tab,
// line feed and carriage return (C0, DEL and C1 all refused: NUL alone breaks PostgreSQL).
func cleanText(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	return strings.IndexFunc(s, func(r rune) bool {
		return (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || (r >= 0x7f && r <= 0x9f)
	}) < 0
}
