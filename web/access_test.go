package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/haven-forum/haven/internal/dbtest"
	"gorm.io/gorm"
)

// The authorization matrix: every role × every kind of group × every forum route, checking the
// status and that nothing of a group reaches someone who may not read it.
func TestAuthorizationMatrix(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newApp(t, db)
		admin := a.admin("matrix_admin")
		type groupCase struct {
			slug, visibility string
			archived         bool
			topic, post      int64
			secrets          []string
		}
		groups := []*groupCase{{slug: "open-group", visibility: "public"}, {slug: "closed-group", visibility: "private"},
			{slug: "old-group", visibility: "public", archived: true}}
		admin.createGroup("Other group", "other-group", "public", false)
		roles := map[string]*client{
			"visitor": a.client(), "member": a.member("m_member"), "nonmember": a.member("m_nonmember"),
			"moderator": a.member("m_moderator"), "othermod": a.member("m_othermod"), "admin": admin,
		}
		admin.post("/admin/groups/other-group/moderators", "action", "add", "username", "m_othermod")
		for _, g := range groups {
			admin.createGroup("Group "+g.slug, g.slug, g.visibility, false)
			author := a.member("author_" + strings.ReplaceAll(g.slug, "-", "_"))
			admin.post("/admin/groups/"+g.slug+"/moderators", "action", "add", "username", "m_moderator")
			admin.post("/admin/groups/"+g.slug+"/moderators", "action", "add", "username", author.name())
			admin.post("/admin/groups/"+g.slug+"/moderators", "action", "add", "username", "m_member")
			// m_member and the author are plain members: appointing then removing leaves membership.
			admin.post("/admin/groups/"+g.slug+"/moderators", "action", "remove", "username", "m_member")
			admin.post("/admin/groups/"+g.slug+"/moderators", "action", "remove", "username", author.name())
			title, body := "SECRETTITLE"+g.slug, "SECRETBODY"+g.slug
			g.topic = author.newTopic(g.slug, title, body)
			g.post = a.firstPostID(g.topic)
			author.post(fmt.Sprintf("/p/%d/edit", g.post), "title", title, "body", body+" edited")
			g.secrets = []string{title, body, author.name()}
			if g.archived {
				admin.post("/admin/groups/"+g.slug+"/archive", "archived", "1")
			}
		}

		readers := func(g *groupCase, role string) bool {
			switch role {
			case "visitor":
				return false
			case "nonmember", "othermod":
				return g.visibility == "public"
			}
			return true
		}
		posters := func(g *groupCase, role string) bool {
			return !g.archived && (role == "member" || role == "moderator")
		}
		moderates := func(role string) bool { return role == "moderator" || role == "admin" }

		for _, g := range groups {
			for role, c := range roles {
				read, post := readers(g, role), posters(g, role)
				// want returns the status for a route: visitors are sent to log in, non-readers
				// see nothing (404), readers who may not act are refused (403).
				want := func(allowed int, ok bool) int {
					switch {
					case role == "visitor":
						return http.StatusSeeOther
					case !read:
						return http.StatusNotFound
					case !ok:
						return http.StatusForbidden
					}
					return allowed
				}
				groupPageStatus := http.StatusOK // a live public group shows visitors its outline, never its topics
				switch {
				case role == "visitor" && (g.visibility != "public" || g.archived):
					groupPageStatus = http.StatusSeeOther
				case role != "visitor" && !read && g.archived:
					groupPageStatus = http.StatusNotFound
				}
				checks := []struct {
					what string
					p    page
					want int
				}{
					{"GET group", c.get("/g/" + g.slug), groupPageStatus},
					{"GET topic", c.get(fmt.Sprintf("/t/%d", g.topic)), want(http.StatusOK, true)},
					{"GET post link", c.get(fmt.Sprintf("/p/%d", g.post)), want(http.StatusFound, true)},
					{"GET revisions", c.get(fmt.Sprintf("/p/%d/revisions", g.post)), want(http.StatusOK, moderates(role))},
					{"GET edit someone else's post", c.get(fmt.Sprintf("/p/%d/edit", g.post)), want(0, false)},
					{"POST edit someone else's post", c.post(fmt.Sprintf("/p/%d/edit", g.post), "title", "HIJACK", "body", "HIJACK"), want(0, false)},
					{"POST delete someone else's post", c.post(fmt.Sprintf("/p/%d/delete", g.post)), want(0, false)},
					{"POST reply", c.post(fmt.Sprintf("/t/%d/replies", g.topic), "body", "a reply from "+role), want(http.StatusSeeOther, post)},
					{"POST react", c.post(fmt.Sprintf("/p/%d/react", g.post), "kind", "hear_you"), want(http.StatusSeeOther, post)},
				}
				newTopic := c.post("/g/"+g.slug+"/topics", "title", "A topic by "+role, "body", "hello")
				wantNew := want(http.StatusSeeOther, post)
				if !read && role != "visitor" && !g.archived && g.visibility == "private" {
					wantNew = http.StatusNotFound
				}
				checks = append(checks, struct {
					what string
					p    page
					want int
				}{"POST new topic", newTopic, wantNew})
				for _, ch := range checks {
					if ch.p.status != ch.want {
						t.Errorf("%s in %s as %s: %d, want %d", ch.what, g.slug, role, ch.p.status, ch.want)
					}
					if !read {
						for _, secret := range g.secrets {
							if strings.Contains(ch.p.body, secret) || strings.Contains(ch.p.location(), secret) {
								t.Errorf("%s in %s as %s leaks %q", ch.what, g.slug, role, secret)
							}
						}
					}
				}
				// Lists never leak either.
				for _, path := range []string{"/", "/groups", "/notifications", "/search?q=" + g.secrets[0]} {
					p := c.get(path)
					body := strings.ReplaceAll(p.body, `value="`+g.secrets[0]+`"`, "") // the viewer's own query, echoed in the search box
					for _, secret := range g.secrets[:2] {
						if !read && strings.Contains(body, secret) {
							t.Errorf("%s as %s leaks %q from %s", path, role, secret, g.slug)
						}
					}
				}
			}
			var hijacked int64
			db.Raw(`SELECT COUNT(*) FROM posts WHERE body LIKE '%HIJACK%'`).Scan(&hijacked)
			if hijacked > 0 {
				t.Errorf("someone edited another member's post")
			}
		}
	})
}

func (c *client) name() string {
	c.t.Helper()
	m := regexp_username.FindStringSubmatch(c.get("/account").body)
	if m == nil {
		c.t.Fatal("not signed in")
	}
	return m[1]
}
