package web_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/haven-forum/haven/internal/accounts"
	"github.com/haven-forum/haven/internal/dbtest"
	"github.com/haven-forum/haven/web"
	"gorm.io/gorm"
)

func TestStateChangingRequestsNeedTheFormToken(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newApp(t, db)
		victim := a.client()
		victim.signUp("victim")
		for _, tc := range []struct{ name, token string }{{"missing", ""}, {"forged", "not-the-token"}} {
			p := victim.postRaw("/account/logout-everywhere", tc.token)
			if p.status != http.StatusForbidden {
				t.Errorf("%s token: %d, want 403", tc.name, p.status)
			}
			mustContain(t, p.body, "This form has expired")
		}
		// A browser that says the form came from another site is refused even with a token.
		req, _ := http.NewRequest(http.MethodPost, a.srv.URL+"/logout", strings.NewReader("_csrf="+victim.csrf()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		if p := victim.do(req); p.status != http.StatusForbidden {
			t.Errorf("cross-site post: %d, want 403", p.status)
		}
		mustContain(t, victim.get("/").body, "Welcome, victim") // still signed in
		// Sign-up and log-in are protected too (login CSRF).
		if p := a.client().postRaw("/login", "", "username", "victim", "password", goodPassword); p.status != http.StatusForbidden {
			t.Errorf("log-in without token: %d", p.status)
		}
		if p := a.client().postRaw("/signup", "", "username", "other", "password", goodPassword, "password_confirm", goodPassword); p.status != http.StatusForbidden {
			t.Errorf("sign-up without token: %d", p.status)
		}
	})
}

// remoteResource is anything that would make the browser fetch from, or send a form to, another
// origin; a plain link elsewhere (a help-line directory) is fetched only if the member follows it.
var remoteResource = regexp.MustCompile(`(?i)(src|action|srcset|poster|data)="(https?:)?//|<(link|image|use)[^>]*href="(https?:)?//`)

// outsideLink is a link to another origin: it must not tell that origin where the member came from.
var outsideLink = regexp.MustCompile(`(?i)<a [^>]*href="(https?:)?//[^>]*>`)

func TestEveryPageIsSelfContainedAndHardened(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newApp(t, db)
		c := a.client()
		c.signUp("header_check")
		for _, path := range []string{"/", "/account", "/crisis", "/privacy", "/no-such-page"} {
			p := c.get(path)
			h := p.header
			for name, want := range map[string]string{
				"X-Content-Type-Options": "nosniff",
				"Referrer-Policy":        "no-referrer",
				"Cache-Control":          "no-store",
			} {
				if got := h.Get(name); got != want {
					t.Errorf("%s: %s = %q, want %q", path, name, got, want)
				}
			}
			csp := h.Get("Content-Security-Policy")
			for _, want := range []string{"default-src 'none'", "frame-ancestors 'none'", "script-src 'self'", "style-src 'self'"} {
				if !strings.Contains(csp, want) {
					t.Errorf("%s: CSP %q lacks %q", path, csp, want)
				}
			}
			if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "http") {
				t.Errorf("%s: CSP allows inline code or another origin: %q", path, csp)
			}
			mustContain(t, p.body, `<meta name="robots" content="noindex`, `href="/crisis"`, `href="/privacy"`)
			if m := remoteResource.FindString(p.body); m != "" {
				t.Errorf("%s refers to another origin: %s", path, m)
			}
			for _, m := range outsideLink.FindAllString(p.body, -1) {
				if !strings.Contains(m, `rel="noreferrer"`) {
					t.Errorf("%s links elsewhere without rel=noreferrer: %s", path, m)
				}
			}
			if strings.Contains(p.body, "<script") || strings.Contains(p.body, " style=") || strings.Contains(p.body, "<style") {
				t.Errorf("%s has inline script or style, which the CSP forbids", path)
			}
		}
	})
}

func TestStaticAssetsAreHashedAndCachedLong(t *testing.T) {
	t.Parallel()
	a := newApp(t, dbtest.SQLite(t))
	c := a.client()
	css := regexp.MustCompile(`href="(/static/css/haven\.[0-9a-f]{12}\.css)"`).FindStringSubmatch(c.get("/").body)
	if css == nil {
		t.Fatal("no hashed stylesheet link on the home page")
	}
	p := c.get(css[1])
	if p.status != 200 || !strings.Contains(p.header.Get("Cache-Control"), "immutable") || !strings.HasPrefix(p.header.Get("Content-Type"), "text/css") {
		t.Fatalf("stylesheet: %d %q %q", p.status, p.header.Get("Cache-Control"), p.header.Get("Content-Type"))
	}
	mustContain(t, p.body, "prefers-color-scheme: dark")
	if p := c.get("/static/css/haven.css"); p.status != http.StatusNotFound {
		t.Errorf("unhashed name served: %d", p.status)
	}
}

func TestNotFoundAndTooLargeGetTheirPages(t *testing.T) {
	t.Parallel()
	a := newApp(t, dbtest.SQLite(t))
	c := a.client()
	p := c.get("/definitely/not/here")
	if p.status != http.StatusNotFound {
		t.Fatalf("unknown route: %d", p.status)
	}
	mustContain(t, p.body, "Page not found", "home page")

	big := strings.Repeat("x", 2<<20)
	p = c.post("/signup", "username", "big", "password", big, "password_confirm", big)
	if p.status != http.StatusRequestEntityTooLarge {
		t.Fatalf("2 MiB body: %d, want 413", p.status)
	}
	mustContain(t, p.body, "too large")
}

func TestDatabaseOutageGives503NotACrash(t *testing.T) {
	t.Parallel()
	db := dbtest.SQLite(t)
	a := newApp(t, db, withMetrics)
	c := a.client()
	if p := c.get("/readyz"); p.status != http.StatusOK {
		t.Fatalf("readyz with a database: %d", p.status)
	}
	sqlDB, _ := db.DB()
	sqlDB.Close()
	if p := c.get("/readyz"); p.status != http.StatusServiceUnavailable {
		t.Errorf("readyz without a database: %d, want 503", p.status)
	}
	if p := c.get("/healthz"); p.status != http.StatusOK {
		t.Errorf("healthz (process up) without a database: %d, want 200", p.status)
	}
	p := c.get("/crisis")
	if p.status != http.StatusServiceUnavailable {
		t.Fatalf("a page that needs the database: %d, want 503", p.status)
	}
	mustContain(t, p.body, "try again")
	// Logged and counted, like every 5xx.
	logs := a.logs.String()
	if !regexp.MustCompile(`msg="request failed" route=/crisis status=503 error=`).MatchString(logs) ||
		!strings.Contains(logs, "msg=request method=GET route=/crisis status=503") {
		t.Errorf("the 503 is not in the log:\n%s", logs)
	}
	if got := series(c.get("/metrics").body, `haven_http_errors_total{cause="unavailable"}`); got != 1 {
		t.Errorf(`haven_http_errors_total{cause="unavailable"} = %v, want 1`, got)
	}
}

func TestPanicGivesCalm500(t *testing.T) {
	t.Parallel()
	db := dbtest.SQLite(t)
	a := newApp(t, db, withMetrics, func(d *web.Deps) { d.Accounts = nil }) // any signed-in request now panics
	c := a.client()
	p := c.get("/signup")
	mustContain(t, p.body, "Join Haven") // pages that don't need accounts still work
	p = c.post("/signup", "username", "boom", "password", goodPassword, "password_confirm", goodPassword)
	if p.status != http.StatusInternalServerError {
		t.Fatalf("panic: %d, want 500", p.status)
	}
	mustContain(t, p.body, "Something went wrong on our side")
	mustNotContain(t, p.body, "goroutine", "nil pointer")
	logs := a.logs.String()
	if !strings.Contains(logs, "msg=panic route=/signup") {
		t.Error("the panic was not logged")
	}
	// The request itself is logged and counted as the 500 it became (recover sits inside the logger).
	if !strings.Contains(logs, "msg=request method=POST route=/signup status=500") {
		t.Errorf("the panicking request has no request log line:\n%s", logs)
	}
	body := c.get("/metrics").body
	if got := series(body, `haven_http_requests_total{method="POST",route="/signup",status="5xx"}`); got != 1 {
		t.Errorf("the panicking request is not counted as a 5xx: %v", got)
	}
	if got := series(body, `haven_http_errors_total{cause="panic"}`); got != 1 {
		t.Errorf(`haven_http_errors_total{cause="panic"} = %v, want 1`, got)
	}
	// The stack names functions and lines, never the arguments' words (ids) or the form.
	if strings.Contains(logs, "boom") || regexp.MustCompile(`\(0x[0-9a-f]+`).MatchString(logs) {
		t.Errorf("the panic's log holds an argument or the form:\n%s", logs)
	}
	if !strings.Contains(logs, "web.(*Server)") {
		t.Errorf("the panic's stack lost its functions:\n%s", logs)
	}
}

func TestRequestLogsCarryNoIdentity(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newApp(t, db)
		c := a.client()
		c.signUp("secret_name_42")
		c.get("/account?tab=private-query-value")
		c.post("/account/password", "current_password", "wrong-form-value", "password", "x", "password_confirm", "y")
		c.logIn("secret_name_42", "bad-password-value")
		c.get("/login?next=/private/path/value")
		var id int64
		db.Raw(`SELECT id FROM members`).Scan(&id)
		logs := a.logs.String()
		if !strings.Contains(logs, "route=/account") || !strings.Contains(logs, "status=") {
			t.Fatalf("request log lacks route or status:\n%s", logs)
		}
		for _, secret := range []string{"secret_name_42", "127.0.0.1", "private-query-value", "wrong-form-value",
			"bad-password-value", "/private/path", "member", "session", "user"} {
			if strings.Contains(strings.ToLower(logs), strings.ToLower(secret)) {
				t.Errorf("the request log holds %q:\n%s", secret, logs)
			}
		}
	})
}

func TestCrisisPageAdminsEdit(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newApp(t, db)
		visitor := a.client()
		p := visitor.get("/crisis")
		mustContain(t, p.body, "emergency", "helpline")
		mustNotContain(t, p.body, "Edit this page")

		member := a.client()
		member.signUp("plain_member")
		if p := member.post("/crisis", "body", "hijacked"); p.status != http.StatusForbidden {
			t.Errorf("a member saved the crisis page: %d", p.status)
		}
		if _, err := a.accts.Create(t.Context(), "site_admin", goodPassword, accounts.RoleAdmin); err != nil {
			t.Fatal(err)
		}
		admin := a.client()
		admin.logIn("site_admin", goodPassword)
		mustContain(t, admin.get("/crisis").body, "Edit this page")
		if p := admin.post("/crisis", "body", ""); p.status != http.StatusBadRequest {
			t.Errorf("empty crisis page: %d", p.status)
		}
		text := "## Local help\n\nCall **0800 123 456** any time. <script>alert(1)</script>"
		if p := admin.post("/crisis", "body", text); p.status != http.StatusSeeOther {
			t.Fatalf("save: %d", p.status)
		}
		p = visitor.get("/crisis")
		mustContain(t, p.body, "<strong>0800 123 456</strong>", "Local help")
		mustNotContain(t, p.body, "<script>alert(1)</script>", "hijacked")
	})
}

func TestSecureCookiesOverHTTPS(t *testing.T) {
	t.Parallel()
	a := newApp(t, dbtest.SQLite(t), func(d *web.Deps) { d.SecureCookies = true })
	res, err := http.Get(a.srv.URL + "/login")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	var found bool
	for _, ck := range res.Cookies() {
		if ck.Name == "__Host-haven" {
			found = true
			if !ck.Secure || !ck.HttpOnly || ck.Path != "/" || ck.Domain != "" || ck.SameSite != http.SameSiteLaxMode {
				t.Errorf("session cookie flags: %+v", ck)
			}
		}
	}
	if !found {
		t.Errorf("no __Host- session cookie over HTTPS; got %v", res.Header["Set-Cookie"])
	}
	if res.Header.Get("Strict-Transport-Security") == "" {
		t.Error("no HSTS over HTTPS")
	}
}
