package web

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
)

// A failure whose cause quotes what the request carried is logged without it.
func TestLogFailureCutsRequestValues(t *testing.T) {
	t.Parallel()
	req := httptest.NewRequest(http.MethodPost, "/g/secret-slug/x?q=query-words", strings.NewReader("body=typed+text&n=7"))
	req.Header.Set(echo.HeaderContentType, echo.MIMEApplicationForm)
	req.ParseForm()
	e := echo.New()
	c := e.NewContext(req, httptest.NewRecorder())
	c.SetParamNames("slug")
	c.SetParamValues("secret-slug")
	got := redactRequest(c, errors.New(`forum: no group "secret-slug" for "typed text" (query-words)`).Error())
	for _, v := range []string{"secret-slug", "typed text", "query-words"} {
		if strings.Contains(got, v) {
			t.Errorf("%q kept in %q", v, got)
		}
	}
	if !strings.HasPrefix(got, "forum: no group") {
		t.Errorf("the rest of the message was lost: %q", got)
	}
}
