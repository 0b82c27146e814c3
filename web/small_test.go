package web_test

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
	"github.com/haven-forum/haven/internal/dbtest"
	"gorm.io/gorm"
)

// The browser's own request for /favicon.ico finds an icon.
func TestFaviconIsServed(t *testing.T) {
	t.Parallel()
	a := newApp(t, dbtest.SQLite(t))
	p := a.client().get("/favicon.ico")
	if p.status != http.StatusOK || p.header.Get("Content-Type") != "image/x-icon" || !strings.HasPrefix(p.body, "\x00\x00\x01\x00") {
		t.Fatalf("favicon: %d %q, %d bytes", p.status, p.header.Get("Content-Type"), len(p.body))
	}
}

// HEAD answers as GET would, without a body, on every kind of route; and a HEAD of a topic is
// no visit for the reading history.
func TestHeadAnswersLikeGet(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newApp(t, db)
		a.admin("head_admin").createGroup("Open", "open", "public", false)
		m := a.member("head_member")
		m.join("open")
		topic := m.newTopic("open", "A topic", "Words.")
		m.post("/privacy/consent", "purpose", "reading_history", "enabled", "true")
		css := regexp.MustCompile(`href="(/static/css/[^"]+)"`).FindStringSubmatch(m.get("/").body)[1]
		for _, path := range []string{"/healthz", "/readyz", "/", "/crisis", "/favicon.ico", css, fmt.Sprintf("/t/%d", topic), "/privacy"} {
			get := m.get(path)
			req, _ := http.NewRequest(http.MethodHead, a.srv.URL+path, nil)
			head := m.do(req)
			if head.status != get.status || head.body != "" || head.header.Get("Content-Type") != get.header.Get("Content-Type") {
				t.Errorf("HEAD %s: %d %q with %d bytes; GET: %d %q", path, head.status, head.header.Get("Content-Type"), len(head.body), get.status, get.header.Get("Content-Type"))
			}
		}
		before := a.eventCount(t)
		req, _ := http.NewRequest(http.MethodHead, a.srv.URL+fmt.Sprintf("/t/%d", topic), nil)
		m.do(req)
		if after := a.eventCount(t); after != before {
			t.Errorf("a HEAD of a topic was recorded as an open: %d → %d", before, after)
		}
		mustContain(t, a.logs.String(), "method=HEAD route=/healthz status=200")
	})
}

// The stylesheet goes out compressed (brotli, else gzip) to browsers that say they take it, and
// as it is to others; pages are never compressed (their CSRF token would sit beside text an
// attacker chooses: BREACH).
func TestStaticAssetsArePrecompressed(t *testing.T) {
	t.Parallel()
	a := newApp(t, dbtest.SQLite(t))
	c := a.client()
	css := regexp.MustCompile(`href="(/static/css/[^"]+)"`).FindStringSubmatch(c.get("/").body)[1]
	plain := c.get(css)
	fetch := func(path, accept string) (*http.Response, []byte) {
		req, _ := http.NewRequest(http.MethodGet, a.srv.URL+path, nil)
		req.Header.Set("Accept-Encoding", accept)
		res, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res, b
	}
	res, body := fetch(css, "gzip, deflate, br, zstd")
	if res.Header.Get("Content-Encoding") != "br" || !strings.Contains(res.Header.Get("Vary"), "Accept-Encoding") {
		t.Fatalf("br: %q, Vary %q", res.Header.Get("Content-Encoding"), res.Header.Get("Vary"))
	}
	if got, _ := io.ReadAll(brotli.NewReader(bytes.NewReader(body))); string(got) != plain.body || len(body) >= len(plain.body)/2 {
		t.Errorf("brotli: %d bytes for %d, decoded equal: %v", len(body), len(plain.body), string(got) == plain.body)
	}
	res, body = fetch(css, "gzip, br;q=0")
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if res.Header.Get("Content-Encoding") != "gzip" || err != nil {
		t.Fatalf("gzip: %q %v", res.Header.Get("Content-Encoding"), err)
	}
	if got, _ := io.ReadAll(zr); string(got) != plain.body {
		t.Error("gzip: the stylesheet decoded differs")
	}
	if res, _ := fetch(css, "identity"); res.Header.Get("Content-Encoding") != "" {
		t.Errorf("identity: %q", res.Header.Get("Content-Encoding"))
	}
	if res, _ := fetch("/", "gzip, br"); res.Header.Get("Content-Encoding") != "" {
		t.Errorf("a page went out compressed (%q): BREACH could read its CSRF token", res.Header.Get("Content-Encoding"))
	}
}

// /groups goes from its h1 straight to h2 for each group: no level is skipped.
func TestMyGroupsHeadingsDoNotSkipALevel(t *testing.T) {
	t.Parallel()
	a := newApp(t, dbtest.SQLite(t))
	a.admin("h_admin").createGroup("Grief", "grief", "public", false)
	m := a.member("h_member")
	m.join("grief")
	for _, path := range []string{"/groups", "/"} {
		levels := regexp.MustCompile(`<h([1-6])`).FindAllStringSubmatch(m.get(path).body, -1)
		prev := 0
		for _, l := range levels {
			n := int(l[1][0] - '0')
			if n > prev+1 {
				t.Errorf("%s jumps from h%d to h%d", path, prev, n)
			}
			prev = n
		}
	}
	mustContain(t, m.get("/groups").body, `<h2 class="card-title"><a href="/g/grief">Grief</a></h2>`)
}
