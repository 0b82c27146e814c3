package main

// Helpers for the end-to-end tests in e2e_test.go: they start the real program (run) on a free
// port and drive it with a headless Chromium through chromedp. Every page a test shows is checked
// with axe-core (testdata/axe.min.js, vendored; never downloaded) in the light and the dark colour
// scheme, and any serious or critical accessibility violation fails the test.
//
// Chromium is HAVEN_CHROMIUM, else /usr/bin/chromium, else "chromium" on the PATH. Without one the
// tests are skipped, except with CI=true, where they fail.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

const (
	// e2eTestTimeout bounds one whole E2E test: the browser is killed when it ends.
	e2eTestTimeout = 90 * time.Second
	// e2eStepTimeout bounds one step (a navigation, a click, a wait for an element), so that a
	// missing element fails with a clear message instead of using up the whole test's time.
	e2eStepTimeout = 20 * time.Second
)

// e2eLog is a goroutine-safe buffer for the output of the server and of the browser.
type e2eLog struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *e2eLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *e2eLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// tail returns the last n lines of the log.
func (l *e2eLog) tail(n int) string {
	lines := strings.Split(strings.TrimRight(l.String(), "\n"), "\n")
	if len(lines) > n {
		lines = append([]string{fmt.Sprintf("... (%d earlier lines)", len(lines)-n)}, lines[len(lines)-n:]...)
	}
	return strings.Join(lines, "\n")
}

// e2eAccount is an account made with "haven user create" before the server starts.
type e2eAccount struct {
	Username, Password, Role string
}

// e2eApp is a running Haven.
type e2eApp struct {
	URL     string // like http://127.0.0.1:41234, without a trailing slash
	DataDir string
}

// e2eGetenv is the environment the program sees: empty, so the tests never pick up a
// HAVEN_DATABASE_URL or HAVEN_SESSION_KEY from the developer's shell. The session key is made in
// the data directory.
func e2eGetenv(string) string { return "" }

// startE2EApp runs the real program, as main does, on a free port of 127.0.0.1 with its own
// SQLite data directory, after creating the given accounts with "user create". The server is
// stopped (its context cancelled, and run waited for) when the test ends.
func startE2EApp(t *testing.T, accounts ...e2eAccount) *e2eApp {
	t.Helper()
	dir := t.TempDir()
	for _, a := range accounts {
		var out e2eLog
		args := []string{"user", "create", "--username", a.Username, "--role", a.Role, "--data", dir}
		if err := run(context.Background(), args, e2eGetenv, strings.NewReader(a.Password+"\n"), &out, &out); err != nil {
			t.Fatalf("haven user create --username %s: %v\n%s", a.Username, err, out.String())
		}
	}

	ctx, cancel := context.WithCancel(context.Background())
	logs := &e2eLog{}
	stdoutR, stdoutW := io.Pipe()
	finished := make(chan struct{})
	var runErr error
	go func() {
		runErr = run(ctx, []string{"--addr", "127.0.0.1:0", "--data", dir}, e2eGetenv, nil, stdoutW, logs)
		stdoutW.Close()
		close(finished)
	}()
	firstLine := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdoutR)
		for n := 0; sc.Scan(); n++ {
			fmt.Fprintf(logs, "stdout: %s\n", sc.Text())
			if n == 0 {
				firstLine <- sc.Text()
			}
		}
		close(firstLine)
		io.Copy(io.Discard, stdoutR) // never block the server on its stdout
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-finished:
			if runErr != nil {
				t.Errorf("run returned an error after its context was cancelled: %v", runErr)
			}
		case <-time.After(30 * time.Second):
			t.Errorf("run did not return within 30s of its context being cancelled")
		}
		if t.Failed() {
			t.Logf("server output (stdout and log):\n%s", logs.tail(80))
		}
	})

	var line string
	select {
	case l, ok := <-firstLine:
		if !ok {
			<-finished
			t.Fatalf("the server stopped before printing its address: %v\n%s", runErr, logs.String())
		}
		line = l
	case <-finished:
		t.Fatalf("the server stopped before printing its address: %v\n%s", runErr, logs.String())
	case <-time.After(30 * time.Second):
		t.Fatalf("the server printed nothing within 30s\n%s", logs.String())
	}
	const prefix = "Haven is running at "
	rest, ok := strings.CutPrefix(line, prefix)
	if !ok {
		t.Fatalf("first line of output is %q, want it to start with %q", line, prefix)
	}
	addr, _, _ := strings.Cut(rest, " ")
	if u, err := url.Parse(addr); err != nil || u.Scheme != "http" || u.Host == "" {
		t.Fatalf("cannot find the server's URL in %q", line)
	}
	return &e2eApp{URL: strings.TrimSuffix(addr, "/"), DataDir: dir}
}

// e2eChromium finds the browser: HAVEN_CHROMIUM, else /usr/bin/chromium, else chromium on the
// PATH. Without one it skips the test, or fails it when CI=true (CI must run every test).
func e2eChromium(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("HAVEN_CHROMIUM"); p != "" {
		path, err := exec.LookPath(p)
		if err != nil {
			t.Fatalf("HAVEN_CHROMIUM=%q is not an executable: %v", p, err)
		}
		return path
	}
	for _, p := range []string{"/usr/bin/chromium", "chromium"} {
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	const msg = "no Chromium for the end-to-end tests: set HAVEN_CHROMIUM, or install it (apt-get install chromium)"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg + "; CI=true, so this fails instead of skipping")
	}
	t.Skip(msg)
	return ""
}

// startE2EBrowser starts a headless Chromium with a fresh profile and returns its root
// context. The browser is killed when the test ends or after e2eTestTimeout, whichever comes
// first. Open tabs with newE2ETab; each has its own cookies.
func startE2EBrowser(t *testing.T) context.Context {
	t.Helper()
	exe := e2eChromium(t)

	timeout := e2eTestTimeout
	if deadline, ok := t.Deadline(); ok {
		if left := time.Until(deadline) - 10*time.Second; left < timeout {
			timeout = left
		}
	}
	ctx, cancelTimeout := context.WithTimeout(context.Background(), timeout)
	t.Cleanup(cancelTimeout)

	// Our own profile directory, removed after the browser has exited (cleanups run last in,
	// first out). Chromium's helper processes can linger a moment, so removal is retried, and a
	// leftover directory in the temp dir does not fail the test.
	profile, err := os.MkdirTemp("", "haven-e2e-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		for i := 0; i < 10; i++ {
			if err = os.RemoveAll(profile); err == nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
		t.Logf("could not remove the browser profile %s: %v", profile, err)
	})

	browserOut := &e2eLog{}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(1280, 900),
		chromedp.CombinedOutput(browserOut),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(cancelAlloc) // also waits for the browser process to exit
	browserCtx, cancelBrowser := chromedp.NewContext(allocCtx)
	t.Cleanup(cancelBrowser)
	t.Cleanup(func() {
		if out := e2eChromiumOutput(browserOut.String()); t.Failed() && out != "" {
			t.Logf("Chromium output:\n%s", out)
		}
	})
	if err := chromedp.Do(browserCtx); err != nil { // starts the browser
		t.Fatalf("cannot start Chromium (%s): %v\n%s", exe, err, e2eChromiumOutput(browserOut.String()))
	}
	return browserCtx
}

// e2eChromiumOutput is the last lines of Chromium's output, without the noise it always makes
// in a container (no D-Bus) and that Debian's launcher script prints.
func e2eChromiumOutput(out string) string {
	var keep []string
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if line != "" && !strings.Contains(line, "dbus/") && !strings.Contains(line, "unexpected operator") {
			keep = append(keep, line)
		}
	}
	if len(keep) > 40 {
		keep = append([]string{fmt.Sprintf("... (%d earlier lines)", len(keep)-40)}, keep[len(keep)-40:]...)
	}
	return strings.Join(keep, "\n")
}

// e2eTab is one tab in its own browser context: a separate "device" that shares no cookies or
// storage with any other e2eTab.
type e2eTab struct {
	name string // for failure messages, e.g. "phone"
	ctx  context.Context
	base string // the app's URL
}

// newE2ETab opens a tab in a new, isolated browser context of the browser.
func newE2ETab(t *testing.T, browser context.Context, app *e2eApp, name string) *e2eTab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)                        // closes the tab and disposes of its browser context
	if err := chromedp.Do(ctx); err != nil { // opens the tab now, outside any step's timeout
		t.Fatalf("%s: cannot open a tab: %v", name, err)
	}
	return &e2eTab{name: name, ctx: ctx, base: app.URL}
}

// step returns a context for one step of the tab.
func (tb *e2eTab) step() (context.Context, context.CancelFunc) {
	return context.WithTimeout(tb.ctx, e2eStepTimeout)
}

// visit opens the path (or full URL) in the tab, waits for the page, and checks its
// accessibility. It returns the response of the page.
func (tb *e2eTab) visit(t *testing.T, path string) *network.Response {
	t.Helper()
	u := path
	if strings.HasPrefix(path, "/") {
		u = tb.base + path
	}
	return visit(t, tb.ctx, u)
}

// visit navigates to url, waits for the body, and checks the page with checkA11y.
func visit(t *testing.T, ctx context.Context, url string) *network.Response {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, e2eStepTimeout)
	defer cancel()
	resp, err := chromedp.Run(sctx, chromedp.NavigateResponse(url))
	if err != nil {
		t.Fatalf("opening %s: %v", url, err)
	}
	if err := chromedp.Do(sctx, chromedp.WaitReady(chromedp.CSS("body"))); err != nil {
		t.Fatalf("waiting for the page %s: %v", url, err)
	}
	checkA11y(t, ctx)
	return resp
}

// reload reloads the page, as the member pressing F5 would, and checks the page it ends on.
func (tb *e2eTab) reload(t *testing.T) *network.Response {
	t.Helper()
	ctx, cancel := tb.step()
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, page.Reload, page.ReloadParams{})
		return err
	}))
	if err != nil {
		t.Fatalf("%s: reloading %s: %v", tb.name, tb.location(t), err)
	}
	tb.settled(t)
	return resp
}

// click clicks the element that the XPath expression finds (see e2eButton and e2eLink), waits
// for the page that loads, and checks its accessibility.
func (tb *e2eTab) click(t *testing.T, xpath string) *network.Response {
	t.Helper()
	ctx, cancel := tb.step()
	defer cancel()
	from := tb.location(t)
	// The first match in the page: the header's links are in the page twice (one list for wide
	// screens, one folded under "Menu" for phones), and only one is shown at a time.
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.Search("("+xpath+")[1]")))
	if err != nil {
		t.Fatalf("%s: clicking %s on %s: %v", tb.name, xpath, from, err)
	}
	tb.settled(t)
	return resp
}

// settled waits for the body of the page that has loaded and checks its accessibility.
func (tb *e2eTab) settled(t *testing.T) {
	t.Helper()
	ctx, cancel := tb.step()
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.WaitReady(chromedp.CSS("body"))); err != nil {
		t.Fatalf("%s: waiting for the page: %v", tb.name, err)
	}
	checkA11y(t, tb.ctx)
}

// typeInto types text into the input whose <label> reads label, as a member would: it clicks
// nothing, but focuses the field and sends key presses. Finding the field by its label also
// checks that the label is tied to it.
func (tb *e2eTab) typeInto(t *testing.T, label, text string) {
	t.Helper()
	ctx, cancel := tb.step()
	defer cancel()
	xpath := fmt.Sprintf(`//*[self::input or self::textarea][@id = //label[normalize-space(.) = %s]/@for]`, e2eXPathString(label))
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.Search(xpath), text)); err != nil {
		t.Fatalf("%s: typing into the field labelled %q on %s: %v", tb.name, label, tb.location(t), err)
	}
}

// e2eButton is the XPath of a button with this visible text.
func e2eButton(text string) string {
	return fmt.Sprintf(`//button[normalize-space(.) = %s]`, e2eXPathString(text))
}

// e2eLink is the XPath of a link with this visible text; within is an XPath prefix such as
// "//header" to pick one of several links with the same text, or "".
func e2eLink(within, text string) string {
	return fmt.Sprintf(`%s//a[normalize-space(.) = %s]`, within, e2eXPathString(text))
}

// e2eXPathString quotes s as an XPath 1.0 string literal (which has no escapes).
func e2eXPathString(s string) string {
	if !strings.Contains(s, `"`) {
		return `"` + s + `"`
	}
	return `'` + s + `'`
}

// eval evaluates a JavaScript expression in the page and decodes its result.
func e2eEval[T any](t *testing.T, tb *e2eTab, js string) T {
	t.Helper()
	ctx, cancel := tb.step()
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("%s: evaluating %s: %v", tb.name, js, err)
	}
	return v
}

// location is the page's URL.
func (tb *e2eTab) location(t *testing.T) string {
	t.Helper()
	ctx, cancel := tb.step()
	defer cancel()
	u, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatalf("%s: reading the URL: %v", tb.name, err)
	}
	return u
}

// path is the path and query of the page's URL, e.g. "/login?next=%2Faccount".
func (tb *e2eTab) path(t *testing.T) string {
	t.Helper()
	return e2eEval[string](t, tb, `location.pathname + location.search`)
}

// text is the visible text (innerText) of the first element matching the CSS selector, or ""
// when there is none.
func (tb *e2eTab) text(t *testing.T, css string) string {
	t.Helper()
	return e2eEval[string](t, tb, fmt.Sprintf(`(() => { const e = document.querySelector(%s); return e ? e.innerText.trim() : "" })()`, e2eJS(css)))
}

// texts is the visible text of every element matching the CSS selector.
func (tb *e2eTab) texts(t *testing.T, css string) []string {
	t.Helper()
	return e2eEval[[]string](t, tb, fmt.Sprintf(`Array.from(document.querySelectorAll(%s), e => e.innerText.trim())`, e2eJS(css)))
}

// e2eField is what a member (and a screen reader) can learn about a form field.
type e2eField struct {
	Found       bool   `json:"found"`
	Type        string `json:"type"`
	Value       string `json:"value"`
	Invalid     bool   `json:"invalid"`     // aria-invalid="true"
	Description string `json:"description"` // text of the elements named by aria-describedby
}

// field describes the field whose <label> reads label.
func (tb *e2eTab) field(t *testing.T, label string) e2eField {
	t.Helper()
	return e2eEval[e2eField](t, tb, fmt.Sprintf(`(() => {
		const l = Array.from(document.querySelectorAll("label")).find(l => l.textContent.trim() === %s);
		const f = l && l.htmlFor && document.getElementById(l.htmlFor);
		if (!f) return {found: false, type: "", value: "", invalid: false, description: ""};
		const ids = (f.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
		const description = ids.map(id => { const d = document.getElementById(id); return d ? d.textContent.trim() : ""; }).join(" ");
		return {found: true, type: f.type, value: f.value, invalid: f.getAttribute("aria-invalid") === "true", description};
	})()`, e2eJS(label)))
}

// e2eJS quotes s as a JavaScript string literal.
func e2eJS(s string) string {
	b, err := json.Marshal(s)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// --- accessibility ---------------------------------------------------------------------------

var axeSource = sync.OnceValues(func() (string, error) {
	b, err := os.ReadFile(filepath.Join("testdata", "axe.min.js"))
	return string(b), err
})

type axeNode struct {
	Target  string `json:"target"`
	HTML    string `json:"html"`
	Summary string `json:"summary"`
}

type axeViolation struct {
	ID      string    `json:"id"`
	Impact  string    `json:"impact"`
	Help    string    `json:"help"`
	HelpURL string    `json:"helpUrl"`
	Nodes   []axeNode `json:"nodes"`
}

const axeRun = `axe.run(document, {resultTypes: ["violations"]}).then(r => r.violations.map(v => ({
	id: v.id, impact: v.impact || "", help: v.help, helpUrl: v.helpUrl,
	nodes: v.nodes.map(n => ({target: n.target.map(String).join(" "), html: n.html, summary: n.failureSummary || ""}))
})))`

// checkA11y runs axe-core on the page in the tab of ctx, once with the light and once with the
// dark colour scheme (Haven's CSS has both), and fails the test for every violation with
// impact "serious" or "critical", listing the rule, its help and each element. Moderate and
// minor findings are only logged.
func checkA11y(t *testing.T, ctx context.Context) {
	t.Helper()
	where, results, err := runAxe(ctx)
	if err != nil {
		t.Fatalf("axe on %s: %v", where, err)
	}
	for _, r := range results {
		var bad, minor []string
		for _, v := range r.Violations {
			if !v.serious() {
				minor = append(minor, fmt.Sprintf("%s [%s] on %d element(s)", v.ID, v.Impact, len(v.Nodes)))
				continue
			}
			var b strings.Builder
			fmt.Fprintf(&b, "  - %s [%s]: %s (%s)", v.ID, v.Impact, v.Help, v.HelpURL)
			for _, n := range v.Nodes {
				fmt.Fprintf(&b, "\n      %s: %s\n        %s", n.Target, n.HTML, strings.Join(strings.Fields(n.Summary), " "))
			}
			bad = append(bad, b.String())
		}
		if len(bad) > 0 {
			t.Errorf("axe: %d serious or critical accessibility violation(s) on %s (%s colour scheme):\n%s",
				len(bad), where, r.Scheme, strings.Join(bad, "\n"))
		}
		if len(minor) > 0 {
			t.Logf("axe: moderate or minor findings on %s (%s colour scheme), not failing: %s", where, r.Scheme, strings.Join(minor, "; "))
		}
	}
}

func (v axeViolation) serious() bool { return v.Impact == "serious" || v.Impact == "critical" }

// axeResult is what axe found with one colour scheme.
type axeResult struct {
	Scheme     string // "light" or "dark"
	Violations []axeViolation
}

// runAxe injects axe-core into the page of ctx (if it is not there yet) and runs it with the
// light and then the dark colour scheme emulated. The dark result lists only the elements that
// the light one did not already report for the same rule. where is the page's URL.
//
// The page's Content-Security-Policy forbids injected scripts, but Runtime.evaluate from the
// DevTools protocol is not subject to it, so the CSP stays in force while axe runs: the page
// is checked as members see it.
func runAxe(ctx context.Context) (where string, results []axeResult, err error) {
	src, err := axeSource()
	if err != nil {
		return "", nil, fmt.Errorf("reading the vendored axe-core: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	where, err = chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		return "", nil, fmt.Errorf("reading the URL: %w", err)
	}
	loaded, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`typeof window.axe === "object"`))
	if err != nil {
		return where, nil, err
	}
	if !loaded {
		if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](src+"\n;undefined")); err != nil {
			return where, nil, fmt.Errorf("injecting axe.min.js: %w", err)
		}
	}
	defer func() { // leave the tab with the browser's own colour scheme
		if _, rerr := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{}); rerr != nil && err == nil {
			err = fmt.Errorf("resetting the colour scheme: %w", rerr)
		}
	}()

	seen := map[string]bool{} // rule and element
	for _, scheme := range []string{"light", "dark"} {
		params := emulation.SetEmulatedMediaParams{Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}}}
		if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, params); err != nil {
			return where, nil, fmt.Errorf("emulating the %s colour scheme: %w", scheme, err)
		}
		q := fmt.Sprintf(`matchMedia("(prefers-color-scheme: %s)").matches`, scheme)
		if ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](q)); err != nil || !ok {
			return where, nil, fmt.Errorf("the %s colour scheme is not in effect (%v)", scheme, err)
		}
		violations, err := chromedp.Run(ctx, chromedp.Evaluate[[]axeViolation](axeRun, chromedp.EvalAwaitPromise))
		if err != nil {
			return where, nil, fmt.Errorf("running axe (%s colour scheme): %w", scheme, err)
		}
		r := axeResult{Scheme: scheme}
		for _, v := range violations {
			var nodes []axeNode
			for _, n := range v.Nodes {
				if key := v.ID + "\x00" + n.Target; !seen[key] {
					seen[key] = true
					nodes = append(nodes, n)
				}
			}
			if len(nodes) > 0 {
				v.Nodes = nodes
				r.Violations = append(r.Violations, v)
			}
		}
		results = append(results, r)
	}
	return where, results, nil
}

// e2ePhone makes the tab a 390 px wide phone screen (844 px tall), as an iPhone 14 in portrait.
func e2ePhone(t *testing.T, tb *e2eTab) {
	t.Helper()
	ctx, cancel := tb.step()
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile)); err != nil {
		t.Fatalf("%s: cannot emulate a phone: %v", tb.name, err)
	}
}
