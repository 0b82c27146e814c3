package web_test

import (
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"

	"github.com/haven-forum/haven/internal/dbtest"
	"gorm.io/gorm"
)

// Garbage sent to every route, by a visitor, a member, a moderator and an admin, in every form
// field, the query and the path, never reaches the log (a cause quoting a value is cut) and
// never makes a 500: each handler's error path answers with a status that says what was wrong.
func TestNoRequestValueReachesTheLog(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newModWorld(t, db)
		w.author.newTopic("support", "A topic", "Some words.")
		const marker = "zqxmarker7"
		routes := w.a.everyRoute(map[string]string{":id": marker, ":slug": marker, ":token": marker,
			":username": marker, ":action": marker})
		sort.SliceStable(routes, func(i, j int) bool {
			return !strings.Contains(routes[i].path, "logout") && strings.Contains(routes[j].path, "logout")
		})
		fields := formFields(w.admin, routes)
		// Values that name nothing are refused as such, not as a failure.
		if p := w.r1.post("/privacy/erase", "purpose", marker, "confirm", "yes"); p.status != http.StatusBadRequest {
			t.Errorf("erasing an unknown purpose: %d, want 400", p.status)
		}
		for _, r := range routes {
			for role, c := range map[string]*client{"visitor": w.a.client(), "member": w.r1, "moderator": w.mod, "admin": w.admin} {
				var p page
				if r.method == http.MethodGet {
					p = c.get(r.path + "?q=" + marker + "&page=" + marker + "&group=" + marker + "&kind=" + marker + "&next=/" + marker)
				} else {
					form := []string{}
					for _, f := range fields {
						form = append(form, f, marker)
					}
					p = c.post(r.path, form...)
				}
				if p.status >= 500 {
					t.Errorf("%s as %s: %d", r, role, p.status)
				}
			}
		}
		if strings.Contains(w.a.logs.String(), marker) {
			for _, line := range strings.Split(w.a.logs.String(), "\n") {
				if strings.Contains(line, marker) {
					t.Errorf("a log line holds a sent value: %s", line)
				}
			}
		}
		if strings.Contains(w.a.logs.String(), url.QueryEscape(marker)+"%") {
			t.Error("the log holds an escaped sent value")
		}
	})
}
