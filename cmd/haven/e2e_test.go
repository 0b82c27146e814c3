package main

// End-to-end tests: the real program in a real browser (headless Chromium), asserting only on
// what a member sees. Every page shown is also checked with axe-core (see e2e_helpers_test.go).
// Run them with:
//
//	go test ./cmd/haven -run TestE2EChromium -count=1 -v

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// TestE2EChromiumAccountJourney follows a member from sign-up to signing out a second device:
// sign up, see the recovery codes, log out, log in, log in on a second device (a separate
// browser context, sharing no cookies), and from the first device log out of every other
// device, after which the second device is signed out.
func TestE2EChromiumAccountJourney(t *testing.T) {
	t.Parallel()
	app := startE2EApp(t)
	browser := startE2EBrowser(t)
	const username, password = "quiet_river", "a slow river at dawn"

	phone := newE2ETab(t, browser, app, "first device")

	// Sign up, starting from the home page's header link.
	phone.visit(t, "/")
	phone.click(t, e2eLink("//header", "Sign up"))
	if got := phone.text(t, "h1"); got != "Join Haven" {
		t.Fatalf("the Sign up link led to a page titled %q (%s), want \"Join Haven\"", got, phone.location(t))
	}
	phone.typeInto(t, "Username", username)
	phone.typeInto(t, "Password", password)
	phone.typeInto(t, "Password again", password)
	phone.click(t, e2eButton("Create my account"))

	if got := phone.text(t, "h1"); got != "Your recovery codes" {
		t.Fatalf("after signing up the page is titled %q, want \"Your recovery codes\"; it says:\n%s", got, phone.text(t, "main"))
	}
	if p := phone.path(t); p != "/signup/codes" {
		t.Errorf("the recovery codes are on %s, want the page /signup/codes reached by a redirect", p)
	}
	codes := phone.texts(t, "ol.codes li code")
	if len(codes) != 10 {
		t.Fatalf("the recovery codes page shows %d codes, want 10: %q", len(codes), codes)
	}
	codeShape := regexp.MustCompile(`^[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}$`)
	distinct := map[string]bool{}
	for _, c := range codes {
		if !codeShape.MatchString(c) {
			t.Errorf("recovery code %q does not look like ABCD-EFGH-JKLM-NPQR", c)
		}
		distinct[c] = true
	}
	if len(distinct) != len(codes) {
		t.Errorf("the recovery codes repeat: %q", codes)
	}
	if header := phone.text(t, "header"); !strings.Contains(header, username) || !strings.Contains(header, "Log out") {
		t.Errorf("after signing up the header reads %q, want the username and \"Log out\"", header)
	}

	// A reload does not say "form expired": the codes were shown once, and new ones are on /account.
	phone.reload(t)
	if got := phone.text(t, "main"); !strings.Contains(got, "were shown once") || len(phone.texts(t, "ol.codes li code")) != 0 {
		t.Errorf("reloading the codes page reads %q, want that they were shown once, without codes", got)
	}
	phone.click(t, e2eLink("//main", "Carry on"))
	if got := phone.text(t, "h1"); !strings.Contains(got, "Welcome to Haven") {
		t.Errorf("after saving the codes the page is titled %q, want the welcome screen", got)
	}
	phone.click(t, "//main"+e2eButton("Skip: keep everything off"))
	if got := phone.text(t, "h1"); got != "Welcome, "+username {
		t.Errorf("after saving the codes the new member's page is titled %q, want \"Welcome, %s\" (not \"Welcome back\")", got, username)
	}

	// Log out with the header's button.
	phone.click(t, "//header"+e2eButton("Log out"))
	if notice := phone.text(t, `[role="status"]`); !strings.Contains(notice, "You are logged out") {
		t.Errorf("after logging out the notice reads %q, want \"You are logged out…\"", notice)
	}
	if header := phone.text(t, "header"); strings.Contains(header, username) || !strings.Contains(header, "Log in") {
		t.Errorf("after logging out the header reads %q, want \"Log in\" and not the username", header)
	}

	// Log in again.
	phone.click(t, e2eLink("//header", "Log in"))
	phone.typeInto(t, "Username", username)
	phone.typeInto(t, "Password", password)
	phone.click(t, "//main"+e2eButton("Log in"))
	if got := phone.text(t, "h1"); got != "Welcome back, "+username {
		t.Fatalf("after logging in the page is titled %q (%s), want \"Welcome back, %s\"; it says:\n%s",
			got, phone.location(t), username, phone.text(t, "main"))
	}

	// A second device: its own browser context, so it starts signed out.
	laptop := newE2ETab(t, browser, app, "second device")
	laptop.visit(t, "/account")
	if p := laptop.path(t); !strings.HasPrefix(p, "/login") {
		t.Fatalf("the second device opened /account and is on %s; it shares the first device's cookies, or /account does not ask to log in", p)
	}
	if notice := laptop.text(t, `[role="status"]`); notice != "Please log in to continue." {
		t.Errorf("the log-in page after /account says %q, want \"Please log in to continue.\"", notice)
	}
	laptop.typeInto(t, "Username", username)
	laptop.typeInto(t, "Password", password)
	laptop.click(t, "//main"+e2eButton("Log in"))
	if p := laptop.path(t); p != "/account" {
		t.Fatalf("after logging in, the second device is on %s, want to be sent back to /account", p)
	}
	if got := laptop.text(t, "h1"); got != "Your account" {
		t.Fatalf("the second device's /account is titled %q, want \"Your account\"", got)
	}
	if got := laptop.text(t, "dl.facts dd"); got != username {
		t.Errorf("the second device's account page shows username %q, want %q", got, username)
	}

	// The first device signs out every other device.
	phone.visit(t, "/account")
	phone.click(t, e2eButton("Log out of all other devices"))
	if p := phone.path(t); p != "/account" {
		t.Errorf("after \"Log out of all other devices\" the first device is on %s, want /account", p)
	}
	if notice := phone.text(t, `[role="status"]`); !strings.HasPrefix(notice, "Signed out of 1 other device") {
		t.Errorf("after \"Log out of all other devices\" the notice reads %q, want \"Signed out of 1 other device…\"", notice)
	}
	if header := phone.text(t, "header"); !strings.Contains(header, username) {
		t.Errorf("the first device should still be signed in, but its header reads %q", header)
	}

	// The second device reloads its account page and finds itself signed out.
	laptop.reload(t)
	if p := laptop.path(t); !strings.HasPrefix(p, "/login") {
		t.Errorf("after being signed out elsewhere, reloading /account on the second device shows %s, want the log-in page", p)
	}
	if got := laptop.text(t, "h1"); got != "Log in" {
		t.Errorf("after being signed out elsewhere, the second device's page is titled %q, want \"Log in\"", got)
	}
	if header := laptop.text(t, "header"); strings.Contains(header, username) || !strings.Contains(header, "Log in") {
		t.Errorf("after being signed out elsewhere, the second device's header reads %q, want \"Log in\" and not the username", header)
	}

	// The first device is unaffected.
	phone.visit(t, "/account")
	if got := phone.text(t, "h1"); got != "Your account" {
		t.Errorf("the first device's /account is titled %q after signing out the others, want \"Your account\"", got)
	}
}

// TestE2EChromiumSignUpShortPassword: a sign-up with a too-short password shows the form again
// with the error next to the password field, keeps the typed username and not the password;
// fixing the password then creates the account.
func TestE2EChromiumSignUpShortPassword(t *testing.T) {
	t.Parallel()
	app := startE2EApp(t)
	browser := startE2EBrowser(t)
	const username, short, good = "calm_harbor", "tiny-pw", "harbor lights at night"

	tab := newE2ETab(t, browser, app, "browser")
	tab.visit(t, "/signup")
	tab.typeInto(t, "Username", username)
	tab.typeInto(t, "Password", short)
	tab.typeInto(t, "Password again", short)
	resp := tab.click(t, e2eButton("Create my account"))

	if resp == nil || resp.Status != http.StatusUnprocessableEntity {
		t.Errorf("a short password was answered with %v, want status 422", e2eStatus(resp))
	}
	if p := tab.path(t); p != "/signup" {
		t.Errorf("after a short password the browser is on %s, want /signup", p)
	}
	if got := tab.text(t, "h1"); got != "Join Haven" {
		t.Fatalf("after a short password the page is titled %q, want the sign-up form (\"Join Haven\"); it says:\n%s", got, tab.text(t, "main"))
	}
	if alert := tab.text(t, `[role="alert"]`); !strings.Contains(alert, "Please check the highlighted fields") {
		t.Errorf("the error summary reads %q, want \"Please check the highlighted fields…\"", alert)
	}

	user := tab.field(t, "Username")
	if !user.Found || user.Value != username {
		t.Errorf("the Username field holds %q (found: %v), want the typed %q kept", user.Value, user.Found, username)
	}
	pw := tab.field(t, "Password")
	if !pw.Found || pw.Type != "password" || pw.Value != "" {
		t.Errorf("the Password field is %+v, want an empty password field: the typed password must not be sent back", pw)
	}
	if !pw.Invalid || !strings.Contains(pw.Description, "at least 10 characters") {
		t.Errorf("the Password field is %+v, want aria-invalid and a description that says \"at least 10 characters\"", pw)
	}
	if again := tab.field(t, "Password again"); !again.Found || again.Value != "" {
		t.Errorf("the Password again field holds %q (found: %v), want it empty", again.Value, again.Found)
	}
	if html := e2eEval[string](t, tab, `document.documentElement.outerHTML`); strings.Contains(html, short) {
		t.Errorf("the re-rendered page contains the typed password %q", short)
	}
	if header := tab.text(t, "header"); strings.Contains(header, username) || !strings.Contains(header, "Log in") {
		t.Errorf("after a refused sign-up the header reads %q, want \"Log in\" (not signed in)", header)
	}

	// Fix the password; the kept username is used.
	tab.typeInto(t, "Password", good)
	tab.typeInto(t, "Password again", good)
	tab.click(t, e2eButton("Create my account"))
	if got := tab.text(t, "h1"); got != "Your recovery codes" {
		t.Fatalf("after fixing the password the page is titled %q, want \"Your recovery codes\"; it says:\n%s", got, tab.text(t, "main"))
	}
	if header := tab.text(t, "header"); !strings.Contains(header, username) {
		t.Errorf("after signing up the header reads %q, want the kept username %q", header, username)
	}
}

// TestE2EChromiumPages opens each page, signed out and as an admin, and checks what it shows;
// visit runs axe-core on each.
func TestE2EChromiumPages(t *testing.T) {
	t.Parallel()
	const admin, adminPassword = "harbor_admin", "lighthouse keeper 42"
	app := startE2EApp(t, e2eAccount{Username: admin, Password: adminPassword, Role: "admin"})
	browser := startE2EBrowser(t)
	tab := newE2ETab(t, browser, app, "browser")

	for _, p := range []struct {
		name, path, h1 string
		status         int
	}{
		{"home", "/", "A quiet place to be heard", http.StatusOK},
		{"crisis", "/crisis", "Need help now?", http.StatusOK},
		{"privacy", "/privacy", "Privacy", http.StatusOK},
		{"log in", "/login", "Log in", http.StatusOK},
		{"sign up", "/signup", "Join Haven", http.StatusOK},
		{"recover", "/recover", "Reset your password with a recovery code", http.StatusOK},
		{"not found", "/no/such/page", "Page not found", http.StatusNotFound},
	} {
		t.Run(p.name, func(t *testing.T) {
			resp := tab.visit(t, p.path)
			if resp == nil || resp.Status != int64(p.status) {
				t.Errorf("GET %s answered %v, want %d", p.path, e2eStatus(resp), p.status)
			}
			if got := tab.text(t, "h1"); got != p.h1 {
				t.Errorf("GET %s is titled %q, want %q", p.path, got, p.h1)
			}
		})
	}

	t.Run("wrong password", func(t *testing.T) {
		tab.visit(t, "/login")
		tab.typeInto(t, "Username", admin)
		tab.typeInto(t, "Password", "not the password")
		tab.click(t, "//main"+e2eButton("Log in"))
		if alert := tab.text(t, `[role="alert"]`); !strings.Contains(alert, "do not match an account") {
			t.Errorf("a wrong password shows %q, want \"…do not match an account.\"", alert)
		}
		if f := tab.field(t, "Username"); f.Value != admin {
			t.Errorf("after a wrong password the Username field holds %q, want %q", f.Value, admin)
		}
	})

	t.Run("admin", func(t *testing.T) {
		tab.visit(t, "/login")
		tab.typeInto(t, "Username", admin)
		tab.typeInto(t, "Password", adminPassword)
		tab.click(t, "//main"+e2eButton("Log in"))
		if got := tab.text(t, "h1"); got != "Welcome back, "+admin {
			t.Fatalf("after logging in as admin the page is titled %q", got)
		}
		tab.visit(t, "/crisis")
		if got := tab.text(t, "#edit-h"); got != "Edit this page (admins)" {
			t.Errorf("an admin's crisis page has edit heading %q, want \"Edit this page (admins)\"", got)
		}
		tab.visit(t, "/account")
		if facts := tab.text(t, "dl.facts"); !strings.Contains(facts, "Site admin") {
			t.Errorf("an admin's account page lists %q, want the role \"Site admin\"", facts)
		}
	})
}

// e2eStatus describes a response's status for a failure message.
func e2eStatus(resp *network.Response) string {
	if resp == nil {
		return "no response"
	}
	return fmt.Sprintf("%d %s", resp.Status, resp.StatusText)
}

// TestE2EChromiumAxeSelfTest makes sure the accessibility gate is not vacuous: on a page with
// known faults, served under a CSP as strict as Haven's, runAxe must report them, and the dark
// colour scheme pass must find a contrast fault that exists only in dark mode.
func TestE2EChromiumAxeSelfTest(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self'")
		switch r.URL.Path {
		case "/":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, `<!DOCTYPE html><html><head><meta charset="utf-8"><title>axe self-test</title>
<link rel="stylesheet" href="/s.css"></head><body><main><h1>Self-test</h1>
<img src="/picture.png">
<p class="faint">Faint in both colour schemes.</p>
<p class="dark-only">Faint only in the dark colour scheme.</p>
</main></body></html>`)
		case "/s.css":
			w.Header().Set("Content-Type", "text/css")
			fmt.Fprint(w, `body { background: #fff; color: #111; }
.faint { color: #c8c8c8; }
@media (prefers-color-scheme: dark) { body { background: #222; } .faint { color: #444; } .dark-only { color: #3a3a3a; } }`)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	browser := startE2EBrowser(t)
	tab := newE2ETab(t, browser, &e2eApp{URL: srv.URL}, "browser")

	ctx, cancel := tab.step()
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/"), chromedp.WaitReady(chromedp.CSS("body"))); err != nil {
		t.Fatal(err)
	}
	_, results, err := runAxe(tab.ctx)
	if err != nil {
		t.Fatal(err)
	}
	found := func(scheme, rule, target string) bool {
		for _, r := range results {
			if r.Scheme != scheme {
				continue
			}
			for _, v := range r.Violations {
				if v.ID != rule || !v.serious() {
					continue
				}
				for _, n := range v.Nodes {
					if strings.Contains(n.Target, target) {
						return true
					}
				}
			}
		}
		return false
	}
	for _, want := range []struct{ scheme, rule, target string }{
		{"light", "html-has-lang", "html"},
		{"light", "image-alt", "img"},
		{"light", "color-contrast", "faint"},
		{"dark", "color-contrast", "dark-only"},
	} {
		if !found(want.scheme, want.rule, want.target) {
			t.Errorf("axe did not report %s on %q in the %s colour scheme; results: %+v", want.rule, want.target, want.scheme, results)
		}
	}
	for _, unwanted := range []struct{ scheme, rule, target string }{
		{"light", "color-contrast", "dark-only"}, // fine in light
		{"dark", "image-alt", "img"},             // already reported in light
	} {
		if found(unwanted.scheme, unwanted.rule, unwanted.target) {
			t.Errorf("axe reported %s on %q in the %s colour scheme, which it should not; results: %+v", unwanted.rule, unwanted.target, unwanted.scheme, results)
		}
	}
}
