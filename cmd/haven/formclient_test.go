package main

// formClient is a member's browser without JavaScript, for the tests that drive Haven over HTTP
// (several instances, crashes): a cookie jar, no redirects followed, and the CSRF token of the
// last page it saw, sent with every form.

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

var csrfField = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

type formClient struct {
	base    string
	http    *http.Client
	csrf    string
	backend string // X-Test-Backend of the last answer, where a test proxy set it
}

func newFormClient(base string) *formClient {
	jar, _ := cookiejar.New(nil)
	return &formClient{base: base, http: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// do sends one request and reads the whole answer; a transport error is returned, not fatal.
func (c *formClient) do(ctx context.Context, method, path string, form url.Values) (status int, location, body string, err error) {
	var rd io.Reader
	if form != nil {
		rd = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return 0, "", "", err
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	res, err := c.http.Do(req)
	if err != nil {
		return 0, "", "", err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return 0, "", "", err
	}
	if m := csrfField.FindSubmatch(b); m != nil {
		c.csrf = string(m[1])
	}
	c.backend = res.Header.Get("X-Test-Backend")
	return res.StatusCode, res.Header.Get("Location"), string(b), nil
}

// get fetches a page and fails the test on a transport error.
func (c *formClient) get(t testing.TB, path string) (int, string) {
	t.Helper()
	status, _, body, err := c.do(context.Background(), http.MethodGet, path, nil)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	return status, body
}

// post sends a form (name, value, …) with the CSRF token and returns the status and Location.
func (c *formClient) post(t testing.TB, path string, kv ...string) (int, string) {
	t.Helper()
	status, loc, _, err := c.do(context.Background(), http.MethodPost, path, c.form(kv...))
	if err != nil {
		t.Fatalf("POST %s: %v", path, err)
	}
	return status, loc
}

func (c *formClient) form(kv ...string) url.Values {
	f := url.Values{"_csrf": {c.csrf}}
	for i := 0; i+1 < len(kv); i += 2 {
		f.Set(kv[i], kv[i+1])
	}
	return f
}

// logIn signs in through the form and fails the test unless it worked.
func (c *formClient) logIn(t testing.TB, username, password string) {
	t.Helper()
	c.get(t, "/login")
	if status, loc := c.post(t, "/login", "username", username, "password", password); status != http.StatusSeeOther {
		t.Fatalf("log in as %s: %d %s", username, status, loc)
	}
}

// mustPost posts a form and fails the test unless the answer is a redirect; it returns the target.
func (c *formClient) mustPost(t testing.TB, path string, kv ...string) string {
	t.Helper()
	status, loc := c.post(t, path, kv...)
	if status != http.StatusSeeOther {
		t.Fatalf("POST %s: %d, want 303", path, status)
	}
	return loc
}

// idAfter reads the number at the end of a redirect target like /t/12 or /p/34#p34.
func idAfter(t testing.TB, loc, prefix string) int64 {
	t.Helper()
	var id int64
	if _, err := fmt.Sscanf(strings.TrimPrefix(loc, prefix), "%d", &id); err != nil || !strings.HasPrefix(loc, prefix) {
		t.Fatalf("redirect %q is not %s<id>", loc, prefix)
	}
	return id
}
