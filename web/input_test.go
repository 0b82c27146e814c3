package web_test

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/haven-forum/haven/internal/dbtest"
	"gorm.io/gorm"
)

// route is one registered route with its parameters filled in.
type route struct{ method, path string }

func (r route) String() string { return r.method + " " + r.path }

// everyRoute lists the router's GET and POST routes, walked from the router itself so a new
// one cannot be left out, with each :param replaced from params.
func (a *app) everyRoute(params map[string]string) []route {
	a.t.Helper()
	var out []route
	for _, r := range a.web.Routes() {
		if r.Method != http.MethodGet && r.Method != http.MethodPost || strings.Contains(r.Path, "*") {
			continue
		}
		path := r.Path
		for _, part := range strings.Split(r.Path, "/") {
			if strings.HasPrefix(part, ":") {
				v, ok := params[part]
				if !ok {
					a.t.Fatalf("%s %s: no test value for %s; add one", r.Method, r.Path, part)
				}
				path = strings.Replace(path, part, v, 1)
			}
		}
		out = append(out, route{r.Method, path})
	}
	if len(out) < 60 {
		a.t.Fatalf("only %d routes found", len(out))
	}
	return out
}

var fieldName = regexp.MustCompile(`name="([a-z_]+)"`)

// formFields collects the name of every field on the pages a signed-in admin can open.
func formFields(c *client, routes []route) []string {
	seen := map[string]bool{}
	var names []string
	for _, r := range routes {
		if r.method != http.MethodGet || r.path == "/privacy/export" {
			continue
		}
		for _, m := range fieldName.FindAllStringSubmatch(c.get(r.path).body, -1) {
			if n := m[1]; !seen[n] && n != "_csrf" {
				seen[n] = true
				names = append(names, n)
			}
		}
	}
	return names
}

// Text Haven must not store, as a browser would never send it: invalid UTF-8, NUL and other
// control characters (tab, line feed and carriage return are text).
var badText = map[string]string{
	"NUL":          "before\x00after",
	"invalid":      "caf\xe9 au lait",
	"lone byte":    "\xff",
	"bell":         "ring\x07",
	"escape":       "\x1b[31mred",
	"delete":       "del\x7f",
	"C1 control":   "next\u0085line",
	"vertical tab": "a\vb",
}

// Every route refuses such text in any form field, in the query and in the path, with one
// clear 422 and nothing stored: one boundary for every handler.
func TestEveryRouteRefusesTextItCannotStore(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newModWorld(t, db)
		topic := w.author.newTopic("support", "A topic", "Some words.")
		params := map[string]string{":id": fmt.Sprint(w.a.firstPostID(topic)), ":slug": "support", ":token": "tok",
			":username": "mw_r1", ":action": "warn"}
		routes := w.a.everyRoute(params)
		fields := formFields(w.admin, routes)
		if len(fields) < 30 {
			t.Fatalf("only %d form fields found: %v", len(fields), fields)
		}
		count := func() string {
			var n [4]int64
			for i, table := range []string{"posts", "topics", "members", "moderation_log"} {
				db.Raw(`SELECT COUNT(*) FROM ` + table).Scan(&n[i])
			}
			return fmt.Sprint(n)
		}
		before := count()
		tok := w.admin.csrf()
		for kind, bad := range badText {
			for _, r := range routes {
				var p page
				if r.method == http.MethodGet {
					p = w.admin.get(r.path + "?q=" + url.QueryEscape(bad) + "&page=1")
				} else {
					form := []string{}
					for _, f := range fields {
						form = append(form, f, bad)
					}
					p = w.admin.postRaw(r.path, tok, form...)
				}
				if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, "characters Haven does not accept") {
					t.Errorf("%s with %s: status %d, want the 422 page", r, kind, p.status)
				}
			}
			if p := w.admin.get("/g/" + url.PathEscape(bad)); p.status != http.StatusUnprocessableEntity {
				t.Errorf("a path with %s: %d, want 422", kind, p.status)
			}
		}
		if after := count(); after != before {
			t.Errorf("rows changed from %s to %s", before, after)
		}
		// Tabs, line breaks and any language are text, and go through.
		good := "Line one\r\n\tindented, naïve café, 日本語, emoji 🌱"
		id := w.author.reply(topic, good)
		var stored string
		db.Raw(`SELECT body FROM posts WHERE id = ?`, id).Scan(&stored)
		if stored != good {
			t.Errorf("stored %q, want %q", stored, good)
		}
		if p := w.r1.get("/search?q=" + url.QueryEscape("naïve café")); p.status != http.StatusOK {
			t.Errorf("a search in plain text: %d", p.status)
		}
	})
}

// A body over the limit is refused with 413 on every route, whether its length was announced
// or it came in chunks of unknown length.
func TestLargeBodiesAreRefusedEvenChunked(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newModWorld(t, db)
		topic := w.author.newTopic("support", "A topic", "Some words.")
		routes := w.a.everyRoute(map[string]string{":id": fmt.Sprint(topic), ":slug": "support", ":token": "tok",
			":username": "mw_r1", ":action": "warn"})
		tok := w.author.csrf()
		big := func() string { return "_csrf=" + tok + "&body=" + strings.Repeat("a", 10<<20) }
		for _, r := range routes {
			if r.method != http.MethodPost {
				continue
			}
			for _, chunked := range []bool{false, true} {
				var body io.Reader = strings.NewReader(big())
				if chunked {
					body = io.MultiReader(body) // no length known: sent chunked
				}
				req, _ := http.NewRequest(http.MethodPost, w.a.srv.URL+r.path, body)
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				if p := w.author.do(req); p.status != http.StatusRequestEntityTooLarge {
					t.Errorf("%s with 10 MB (chunked %v): %d, want 413", r, chunked, p.status)
				}
			}
		}
		var n int64
		db.Raw(`SELECT COUNT(*) FROM posts WHERE topic_id = ?`, topic).Scan(&n)
		if n != 1 {
			t.Errorf("%d posts in the topic, want only the first", n)
		}
	})
}

// The form token is read only from the form body or a header: one in a URL leaks through logs,
// history and Referer, so it does not count.
func TestFormTokenIsNotTakenFromTheQuery(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newApp(t, db)
		c := a.member("query_token")
		tok := c.csrf()
		req, _ := http.NewRequest(http.MethodPost, a.srv.URL+"/account/logout-everywhere?_csrf="+url.QueryEscape(tok), strings.NewReader(""))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if p := c.do(req); p.status != http.StatusForbidden {
			t.Errorf("token in the query: %d, want 403", p.status)
		}
		req, _ = http.NewRequest(http.MethodPost, a.srv.URL+"/account/logout-everywhere", strings.NewReader(""))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-CSRF-Token", tok)
		if p := c.do(req); p.status != http.StatusSeeOther {
			t.Errorf("token in the header: %d, want 303", p.status)
		}
		if p := c.postRaw("/account/logout-everywhere", tok); p.status != http.StatusSeeOther {
			t.Errorf("token in the form: %d, want 303", p.status)
		}
	})
}
