package web

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/haven-forum/haven/internal/apperr"
	"github.com/haven-forum/haven/internal/database"
	"github.com/haven-forum/haven/internal/markdown"
	"github.com/haven-forum/haven/internal/paths"
	"github.com/haven-forum/haven/static"
	"github.com/haven-forum/haven/views/components"
	"github.com/haven-forum/haven/views/pages"
	"github.com/labstack/echo/v4"
)

func (s *Server) handleHealthz(c echo.Context) error { return c.String(http.StatusOK, "ok\n") }

func (s *Server) handleReadyz(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), 2*time.Second)
	defer cancel()
	if err := database.Ping(ctx, s.DB); err != nil {
		return c.String(http.StatusServiceUnavailable, "database not answering\n")
	}
	return c.String(http.StatusOK, "ready\n")
}

// handleStatic serves embedded assets under hashed names, cacheable for a year.
func (s *Server) handleStatic(c echo.Context) error {
	a, ok := s.Assets.Lookup(c.Request().URL.Path)
	if !ok {
		return echo.ErrNotFound
	}
	h := c.Response().Header()
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Add("Vary", "Accept-Encoding")
	accepts := acceptedEncodings(c.Request().Header.Get("Accept-Encoding"))
	switch {
	case accepts["br"]:
		h.Set("Content-Encoding", "br")
		return c.Blob(http.StatusOK, a.ContentType, a.Brotli)
	case accepts["gzip"]:
		h.Set("Content-Encoding", "gzip")
		return c.Blob(http.StatusOK, a.ContentType, a.Gzip)
	}
	return c.Blob(http.StatusOK, a.ContentType, a.Body)
}

// acceptedEncodings reads Accept-Encoding: the codings named, without those refused with q=0.
func acceptedEncodings(header string) map[string]bool {
	out := map[string]bool{}
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := strings.ReplaceAll(params, " ", "")
		if name != "" && q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000" {
			out[strings.ToLower(name)] = true
		}
	}
	return out
}

// handleFavicon serves the embedded icon where browsers ask for it.
func (s *Server) handleFavicon(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "public, max-age=86400")
	return c.Blob(http.StatusOK, "image/x-icon", static.Favicon)
}

func (s *Server) handleCrisisShow(c echo.Context) error {
	body, err := s.Settings.CrisisPage(c.Request().Context())
	if err != nil {
		return err
	}
	v := state(c).viewer
	cr := pages.Crisis{Lines: s.helpLines(), HTML: markdown.Render(body), CanEdit: v != nil && v.IsAdmin()}
	cr.Form = components.Form{Values: map[string]string{"body": body}}
	return render(c, http.StatusOK, pages.CrisisPage(s.page(c, "Need help now?"), cr))
}

func (s *Server) handleCrisisSave(c echo.Context) error {
	v := state(c).viewer
	values := formValues(c, "body")
	err := s.Settings.SetCrisisPage(c.Request().Context(), v.IsAdmin(), values["body"])
	if e, ok := apperr.As(err); ok && e.Code == apperr.EINVALID {
		cr := pages.Crisis{Lines: s.helpLines(), HTML: markdown.Render(values["body"]), CanEdit: true, Form: formWith(values, e.Fields)}
		return render(c, http.StatusBadRequest, pages.CrisisPage(s.page(c, "Need help now?"), cr))
	}
	if err != nil {
		return err
	}
	setNotice(c, "The crisis page was saved.")
	return redirect(c, paths.Crisis)
}
