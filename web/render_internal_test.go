package web

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"
)

// A page goes out whole, with its length, or not at all: a component failing halfway leaves
// nothing sent, so the error page can still be shown instead of half a page behind a 200.
func TestRenderSendsAWholePageOrNothing(t *testing.T) {
	t.Parallel()
	e := echo.New()
	page := "<p>" + string(make([]byte, 10_000)) + "</p>" // longer than net/http's 2 kB chunks
	rec := httptest.NewRecorder()
	c := e.NewContext(httptest.NewRequest(http.MethodGet, "/", nil), rec)
	err := render(c, http.StatusOK, templ.ComponentFunc(func(_ context.Context, w io.Writer) error {
		_, err := io.WriteString(w, page)
		return err
	}))
	if err != nil {
		t.Fatal(err)
	}
	if got := rec.Header().Get("Content-Length"); got != strconv.Itoa(len(page)) || rec.Body.String() != page {
		t.Errorf("Content-Length %q and a body of %d bytes; want %d and the page", got, rec.Body.Len(), len(page))
	}

	rec = httptest.NewRecorder()
	c = e.NewContext(httptest.NewRequest(http.MethodGet, "/", nil), rec)
	err = render(c, http.StatusOK, templ.ComponentFunc(func(_ context.Context, w io.Writer) error {
		io.WriteString(w, page)
		return errors.New("a view failed halfway")
	}))
	if err == nil || c.Response().Committed || rec.Body.Len() != 0 {
		t.Errorf("a view failing halfway: error %v, committed %v, %d bytes sent; want the error and nothing sent", err, c.Response().Committed, rec.Body.Len())
	}
}
