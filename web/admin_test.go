package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/haven-forum/haven/internal/dbtest"
	"gorm.io/gorm"
)

// Every route the router has under /admin, walked from the router itself so a new one cannot be
// left out: a visitor is sent to log in, a member and a group's moderator get 404 and change
// nothing, and the admin reaches each one (so the 404s are the check, not a missing group).
func TestEveryAdminRouteRefusesNonAdmins(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newModWorld(t, db)
		w.admin.post("/admin/watched-words", "word", "casino", "action", "flag")
		var wordID int64
		db.Raw(`SELECT id FROM watched_words`).Scan(&wordID)
		if wordID == 0 {
			t.Fatal("the admin could not add a watched word")
		}
		params := map[string]string{":slug": "support", ":username": "mw_r1", ":id": fmt.Sprint(wordID)}
		// Fields that make each admin form valid, so a missing check would show as a change.
		fields := []string{"name", "Renamed", "slug", "renamed", "description", "d", "rules", "r", "visibility", "private",
			"username", "mw_r1", "archived", "1", "visitors_read", "1", "crisis_phrases", "anything at all",
			"word", "lottery", "hold_first_posts", "3", "reason", "r", "days", "1"}

		type route struct{ method, path string }
		var routes []route
		for _, r := range w.a.web.Routes() {
			if r.Path != "/admin" && !strings.HasPrefix(r.Path, "/admin/") || r.Method != http.MethodGet && r.Method != http.MethodPost {
				continue
			}
			path := r.Path
			for _, part := range strings.Split(r.Path, "/") {
				if strings.HasPrefix(part, ":") {
					v, ok := params[part]
					if !ok {
						t.Fatalf("%s %s: no test value for %s; add one above", r.Method, r.Path, part)
					}
					path = strings.Replace(path, part, v, 1)
				}
			}
			routes = append(routes, route{r.Method, path})
		}
		if len(routes) < 11 {
			t.Fatalf("only %d admin routes found: %v", len(routes), routes)
		}

		snapshot := func() string {
			var log, words, held int64
			db.Raw(`SELECT COUNT(*) FROM moderation_log`).Scan(&log)
			db.Raw(`SELECT COUNT(*) FROM watched_words`).Scan(&words)
			db.Raw(`SELECT COUNT(*) FROM groups WHERE archived_at IS NOT NULL OR visibility <> 'public' OR hold_first_posts <> 0`).Scan(&held)
			admin := w.admin.get("/admin").body + w.admin.get("/admin/groups/support").body
			return fmt.Sprint(log, words, held) + csrfInput.ReplaceAllString(admin, "")
		}
		w.admin.get("/admin") // the one-time notice of the word added above
		before := snapshot()
		send := func(c *client, r route) page {
			if r.method == http.MethodGet {
				return c.get(r.path)
			}
			return c.post(r.path, fields...)
		}
		visitor := w.a.client()
		for _, r := range routes {
			what := r.method + " " + r.path
			if p := send(visitor, r); p.status != http.StatusSeeOther || !strings.HasPrefix(p.location(), "/login") {
				t.Errorf("%s as a visitor: %d to %q, want 303 to /login", what, p.status, p.location())
			}
			for role, c := range map[string]*client{"member": w.r1, "moderator": w.mod} {
				if p := send(c, r); p.status != http.StatusNotFound {
					t.Errorf("%s as a %s: %d, want 404", what, role, p.status)
				}
			}
		}
		if after := snapshot(); after != before {
			i := 0
			for i < len(before) && i < len(after) && before[i] == after[i] {
				i++
			}
			t.Errorf("refused admin requests changed what the admin sees, from:\n%s", after[max(0, i-200):min(len(after), i+200)])
		}
		for _, r := range routes {
			if p := send(w.admin, r); p.status == http.StatusNotFound || p.status >= 500 {
				t.Errorf("%s as the admin: %d; the route's test values do not reach it", r.method+" "+r.path, p.status)
			}
		}
	})
}
