package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/haven-forum/haven/internal/dbtest"
	"gorm.io/gorm"
)

// Signed out, the home page shows what the community is: its public groups with their
// descriptions and topic counts, and a call to join; a group's page shows its description and
// rules and asks to join, but no topic or post until an admin lets visitors read.
func TestVisitorsSeeWhatTheCommunityIs(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newApp(t, db)
		admin := a.admin("vc_admin")
		admin.createGroup("Grief Support", "grief", "public", false)
		admin.post("/admin/groups/grief", "name", "Grief Support", "description", "For anyone who lost someone.",
			"rules", "Be **gentle**: no advice unless asked.", "visibility", "public")
		admin.createGroup("Quiet Room", "quiet", "private", false)
		admin.createGroup("Old Room", "old", "public", false)
		m := a.member("vc_ann")
		m.join("grief")
		m.join("old")
		m.newTopic("grief", "The first winter without her", "The house is so quiet at night.")
		m.newTopic("grief", "Anniversaries", "Next week is a year.")
		m.newTopic("old", "An old thread", "Archived words.")
		admin.post("/admin/groups/old/archive", "archived", "1")
		admin.post("/admin/groups/quiet/moderators", "action", "add", "username", "vc_ann")
		m.newTopic("quiet", "A private worry", "Only members read this.")
		visitor := a.client()

		home := visitor.get("/")
		mustContain(t, home.body, `href="/g/grief"`, "Grief Support", "2 topics", `href="/signup"`, "Join Haven")
		mustNotContain(t, home.body, "The first winter without her", "Anniversaries", "Quiet Room", "A private worry")

		group := visitor.get("/g/grief")
		if group.status != http.StatusOK {
			t.Fatalf("a visitor on a public group's page: %d %q", group.status, group.location())
		}
		back := url.QueryEscape("/g/grief")
		mustContain(t, group.body, "<h1>Grief Support</h1>", "Be <strong>gentle</strong>: no advice unless asked.",
			`href="/signup?next=`+back+`"`, `href="/login?next=`+back+`"`, "Join to read and take part")
		mustNotContain(t, group.body, "The first winter without her", "Anniversaries", "The house is so quiet", `href="/t/`)
		for _, path := range []string{"/g/quiet", "/g/old", "/g/nothing-here"} {
			if p := visitor.get(path); p.status != http.StatusSeeOther || strings.Contains(p.body, "A private worry") {
				t.Errorf("a visitor on %s: %d", path, p.status)
			}
		}

		admin.post("/admin/settings", "visitors_read", "1", "crisis_phrases", "suicide")
		group = visitor.get("/g/grief")
		mustContain(t, group.body, "The first winter without her", "Anniversaries")
		mustNotContain(t, group.body, "Join to read and take part")
		mustNotContain(t, visitor.get("/").body, "Quiet Room")
	})
}

// The join call's sign-up link brings the new member back to the group once they are welcomed.
func TestSigningUpFromAGroupComesBackToIt(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newApp(t, db)
		a.admin("vb_admin").createGroup("Grief Support", "grief", "public", false)
		c := a.client()
		mustContain(t, c.get("/signup?next="+url.QueryEscape("/g/grief")).body, `name="next" value="/g/grief"`)
		p := c.post("/signup", "username", "vb_new", "password", goodPassword, "password_confirm", goodPassword, "next", "/g/grief")
		if p.status != http.StatusSeeOther {
			t.Fatalf("sign up: %d\n%s", p.status, p.body)
		}
		c.get("/signup/codes")
		if p := c.post("/welcome", "action", "skip"); p.location() != "/g/grief" {
			t.Errorf("after the welcome: %q, want /g/grief", p.location())
		}
		if p := c.post("/welcome", "action", "skip"); p.location() != "/" {
			t.Errorf("a second welcome: %q, want home", p.location())
		}
		other := a.client()
		other.post("/signup", "username", "vb_evil", "password", goodPassword, "password_confirm", goodPassword, "next", "//evil.example/")
		if p := other.post("/welcome", "action", "skip"); p.location() != "/" {
			t.Errorf("an outside next: %q, want home", p.location())
		}
	})
}
