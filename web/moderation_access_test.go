package web_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/haven-forum/haven/internal/dbtest"
	"gorm.io/gorm"
)

// Every moderation route × member, moderator of this group, moderator of another group, admin
// and suspended member: the status each gets, and that refused actions change nothing.
func TestModerationAuthorizationMatrix(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newModWorld(t, db)
		suspended := w.a.member("mw_suspended")
		suspended.join("support")
		target := w.a.member("mw_target")
		target.join("support")
		roles := []struct {
			name string
			c    *client
		}{{"member", w.r1}, {"moderator", w.mod}, {"other-moderator", w.other}, {"admin", w.admin}, {"suspended", suspended}}
		w.admin.post("/admin/members/mw_suspended/suspend", "reason", "test", "days", "forever")
		suspended.logIn("mw_suspended", goodPassword)
		type want struct{ member, mod, other, admin, susp int }
		const ok, redir, forbidden, missing = http.StatusOK, http.StatusSeeOther, http.StatusForbidden, http.StatusNotFound
		for _, role := range roles {
			topic := w.author.newTopic("support", "Matrix topic for "+role.name, "Body for "+role.name, "anonymous", "1")
			post := w.a.firstPostID(topic)
			w.r2.post(fmt.Sprintf("/p/%d/report", post), "reason", "spam")
			var item int64
			db.Raw(`SELECT id FROM queue_items WHERE post_id = ? AND status = 'pending'`, post).Scan(&item)
			routes := []struct {
				what string
				do   func(c *client) page
				want want
			}{
				{"GET /mod", func(c *client) page { return c.get("/mod") }, want{forbidden, ok, ok, ok, forbidden}},
				{"GET /mod/log", func(c *client) page { return c.get("/mod/log") }, want{forbidden, ok, ok, ok, forbidden}},
				{"GET insights", func(c *client) page { return c.get("/g/support/insights") }, want{forbidden, ok, forbidden, ok, forbidden}},
				{"reveal", func(c *client) page { return c.post(fmt.Sprintf("/p/%d/reveal", post), "reason", "r") }, want{forbidden, ok, forbidden, ok, forbidden}},
				{"lock", func(c *client) page {
					return c.post(fmt.Sprintf("/mod/topics/%d/lock", topic), "reason", "r", "locked", "true")
				}, want{forbidden, redir, forbidden, redir, forbidden}},
				{"pin", func(c *client) page {
					return c.post(fmt.Sprintf("/mod/topics/%d/pin", topic), "reason", "r", "pinned", "true")
				}, want{forbidden, redir, forbidden, redir, forbidden}},
				{"warn member", func(c *client) page {
					return c.post("/mod/groups/support/members/mw_target/warn", "reason", "r")
				}, want{forbidden, redir, forbidden, redir, forbidden}},
				{"hide", func(c *client) page { return c.post(fmt.Sprintf("/mod/posts/%d/hide", post), "reason", "r") }, want{forbidden, redir, forbidden, redir, forbidden}},
				{"unhide", func(c *client) page { return c.post(fmt.Sprintf("/mod/posts/%d/unhide", post), "reason", "r") }, want{forbidden, redir, forbidden, redir, forbidden}},
				{"dismiss", func(c *client) page {
					return c.post(fmt.Sprintf("/mod/reports/%d/dismiss", item), "reason", "r")
				}, want{missing, http.StatusConflict, missing, http.StatusConflict, missing}}, // hide handled it; the queue is not there for others
				{"delete", func(c *client) page { return c.post(fmt.Sprintf("/mod/posts/%d/delete", post), "reason", "r") }, want{forbidden, redir, forbidden, redir, forbidden}},
				{"suspend", func(c *client) page {
					return c.post("/admin/members/mw_target/suspend", "reason", "r", "days", "1")
				}, want{missing, missing, missing, redir, missing}},
			}
			for _, rt := range routes {
				before := logCount(t, db)
				p := rt.do(role.c)
				expected := map[string]int{"member": rt.want.member, "moderator": rt.want.mod, "other-moderator": rt.want.other,
					"admin": rt.want.admin, "suspended": rt.want.susp}[role.name]
				if p.status != expected {
					t.Errorf("%s as %s: %d, want %d", rt.what, role.name, p.status, expected)
				}
				if p.status >= 400 && logCount(t, db) != before {
					t.Errorf("%s as %s was refused but wrote to the log", rt.what, role.name)
				}
			}
			if role.name == "admin" {
				w.admin.post("/admin/members/mw_target/suspend", "action", "lift", "reason", "done")
			}
		}
		// A suspended member cannot post by any route.
		topic := w.author.newTopic("support", "Still open", "x")
		for what, p := range map[string]page{
			"topic": suspended.post("/g/support/topics", "title", "From a suspended member", "body", "x"),
			"reply": suspended.post(fmt.Sprintf("/t/%d/replies", topic), "body", "x"),
			"react": suspended.post(fmt.Sprintf("/p/%d/react", w.a.firstPostID(topic)), "kind", "hear_you"),
		} {
			if p.status != http.StatusForbidden {
				t.Errorf("suspended member's %s: %d", what, p.status)
			}
		}
	})
}

func logCount(t *testing.T, db *gorm.DB) int64 {
	t.Helper()
	var n int64
	db.Raw(`SELECT COUNT(*) FROM moderation_log`).Scan(&n)
	return n
}
