package web_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/haven-forum/haven/internal/accounts"
	"github.com/haven-forum/haven/internal/forum"
	"github.com/haven-forum/haven/internal/moderation"
	"github.com/haven-forum/haven/internal/privacy"
	"github.com/haven-forum/haven/internal/recommend"
	"github.com/haven-forum/haven/internal/site"
	"github.com/haven-forum/haven/internal/throttle"
	"github.com/haven-forum/haven/static"
	"github.com/haven-forum/haven/web"
	"gorm.io/gorm"
)

// syncBuffer collects log output from concurrent requests.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// app is a running Haven on a real database, reached through the real router.
type app struct {
	t       *testing.T
	db      *gorm.DB
	srv     *httptest.Server
	web     *web.Server
	logs    *syncBuffer
	accts   *accounts.Service
	privacy *privacy.Service
	limits  web.Limits
}

type option func(*web.Deps)

// newPrivacy counts every account toward community figures: the established-contributor rule
// has its own tests in internal/privacy.
func newPrivacy(db *gorm.DB) *privacy.Service {
	p := privacy.NewService(db, privacy.ControllerInfo{Name: "Haven test"})
	p.Established = privacy.Established{}
	return p
}

func newApp(t *testing.T, db *gorm.DB, opts ...option) *app {
	t.Helper()
	assets, err := static.Load()
	if err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	key := []byte("test-session-key-0123456789abcdef0123456789")
	settings := site.NewSettings(db)
	inbox := forum.NewInbox(db)
	d := web.Deps{
		DB: db, Accounts: accounts.NewService(db), Settings: settings, Forum: forum.New(db, settings, inbox), Inbox: inbox,
		Privacy:  newPrivacy(db),
		Throttle: throttle.New(db, key), Assets: assets,
		Logger: slog.New(slog.NewTextHandler(logs, nil)), SessionKey: key, Limits: web.DefaultLimits,
	}
	d.Recommend = recommend.New(d.Forum.Reads, d.Privacy)
	d.Moderation = moderation.NewService(db, d.Forum)
	for _, o := range opts {
		o(&d)
	}
	// Topic opens are batched as in production.
	batchCtx, stop := context.WithCancel(context.Background())
	stopped := d.Privacy.StartBatching(batchCtx, 20*time.Millisecond, d.Logger)
	handler := web.New(d)
	srv := httptest.NewServer(handler)
	t.Cleanup(func() { srv.Close(); stop(); <-stopped })
	return &app{t: t, db: db, srv: srv, web: handler, logs: logs, accts: d.Accounts, privacy: d.Privacy, limits: d.Limits}
}

// client is one browser: its own cookie jar, no automatic redirects so tests see them.
type client struct {
	t    *testing.T
	a    *app
	http *http.Client
}

func (a *app) client() *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: a.t, a: a, http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

// page is a response read whole.
type page struct {
	status int
	header http.Header
	body   string
}

func (p page) location() string { return p.header.Get("Location") }

func (c *client) do(req *http.Request) page {
	c.t.Helper()
	res, err := c.http.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return page{status: res.StatusCode, header: res.Header, body: string(b)}
}

func (c *client) get(path string) page {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.a.srv.URL+path, nil)
	return c.do(req)
}

var csrfInput = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// csrf returns the token a form on a page of the site carries.
func (c *client) csrf() string {
	c.t.Helper()
	p := c.get("/login")
	if p.status == http.StatusSeeOther { // signed in: the log-in page sends us on
		p = c.get("/account")
	}
	m := csrfInput.FindStringSubmatch(p.body)
	if m == nil {
		c.t.Fatalf("no _csrf field on the page:\n%s", p.body)
	}
	return m[1]
}

// post sends a form as the browser would, with the CSRF token from the page.
func (c *client) post(path string, fields ...string) page {
	c.t.Helper()
	return c.postRaw(path, c.csrf(), fields...)
}

func (c *client) postRaw(path, csrf string, fields ...string) page {
	c.t.Helper()
	form := url.Values{}
	if csrf != "" {
		form.Set("_csrf", csrf)
	}
	for i := 0; i+1 < len(fields); i += 2 {
		form.Add(fields[i], fields[i+1])
	}
	req, _ := http.NewRequest(http.MethodPost, c.a.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

const goodPassword = "correct horse battery"

// signUp creates an account through the form and returns the recovery codes shown.
func (c *client) signUp(username string) []string {
	c.t.Helper()
	p := c.post("/signup", "username", username, "password", goodPassword, "password_confirm", goodPassword)
	if p.status != http.StatusSeeOther || p.location() != "/signup/codes" {
		c.t.Fatalf("sign-up of %s: status %d %q\n%s", username, p.status, p.location(), p.body)
	}
	p = c.get(p.location())
	if p.status != http.StatusOK || !strings.Contains(p.body, "Your recovery codes") {
		c.t.Fatalf("recovery codes of %s: status %d\n%s", username, p.status, p.body)
	}
	return recoveryCodes(p.body)
}

var codePattern = regexp.MustCompile(`<code>([A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4})</code>`)

func recoveryCodes(body string) []string {
	var out []string
	for _, m := range codePattern.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

func (c *client) logIn(username, password string) page {
	c.t.Helper()
	return c.post("/login", "username", username, "password", password)
}

func mustContain(t *testing.T, body string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("page does not contain %q:\n%s", w, body)
		}
	}
}

func mustNotContain(t *testing.T, body string, unwanted ...string) {
	t.Helper()
	for _, w := range unwanted {
		if strings.Contains(body, w) {
			t.Errorf("page contains %q but must not:\n%s", w, body)
		}
	}
}
