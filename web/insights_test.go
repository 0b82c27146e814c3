package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/haven-forum/haven/internal/dbtest"
	"github.com/haven-forum/haven/internal/throttle"
	"github.com/haven-forum/haven/web"
	"gorm.io/gorm"
)

// Community insights are for the group's moderators and admins; everyone else is answered as on
// any other moderator-only page of a group.
func TestInsightsOnlyForTheGroupsModerators(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newModWorld(t, db)
		w.admin.createGroup("Hidden room", "hidden-room", "private", false)
		topic := w.author.newTopic("support", "Long nights", "I cannot sleep.")
		w.r1.reply(topic, "Me neither, you are not alone.")

		for who, c := range map[string]*client{"moderator": w.mod, "admin": w.admin} {
			p := c.get("/g/support/insights")
			assertStatus(t, p, http.StatusOK, who)
			mustContain(t, p.body, "<h1>Community insights</h1>", "<svg", `role="img"`, "<title id=\"topics-t\">", "<desc id=",
				`<table class="figures">`, "<caption>The numbers: New topics and replies</caption>", "Readers per topic",
				"Share of readers who reply", "only members who switched on both", "counted when the week ends")
			mustNotContain(t, p.body, "style=", "<script")
		}
		// This week's post figures are there: one topic, one reply.
		p := w.mod.get("/g/support/insights")
		if !strings.Contains(p.body, `<th scope="row">`) || !strings.Contains(p.body, "(this week, so far)</th><td>1</td><td>1</td>") {
			t.Errorf("this week's new topics and replies are not 1 and 1:\n%s", p.body)
		}
		for who, c := range map[string]*client{"member": w.r1, "moderator of another group": w.other} {
			p := c.get("/g/support/insights")
			assertStatus(t, p, http.StatusForbidden, who)
			mustNotContain(t, p.body, "<svg", "Readers per topic")
		}
		p = w.a.client().get("/g/support/insights")
		if p.status != http.StatusSeeOther || !strings.HasPrefix(p.location(), "/login") {
			t.Errorf("signed out: %d %q, want a redirect to log in", p.status, p.location())
		}
		// A private group a member cannot read does not show that it exists.
		p = w.r1.get("/g/hidden-room/insights")
		assertStatus(t, p, http.StatusNotFound, "a private group's insights for a non-member")
		assertStatus(t, w.mod.get("/g/no-such-group/insights"), http.StatusNotFound, "an unknown group")

		// The group's page links to them for moderators only.
		link := `href="/g/support/insights"`
		mustContain(t, w.mod.get("/g/support").body, link)
		mustContain(t, w.admin.get("/g/support").body, link)
		mustNotContain(t, w.r1.get("/g/support").body, link)
		mustNotContain(t, w.other.get("/g/support").body, link)
	})
}

// Reading figures count five consenting members without naming any of them, and a withdrawal
// takes one out at once.
func TestInsightsReadingFiguresNameNoOne(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newApp(t, db, func(d *web.Deps) { d.Limits.SignUpPerAddress = throttle.Limit{Max: 100, Window: time.Hour} })
		admin := a.admin("iq_admin")
		admin.createGroup("Support", "support", "public", false)
		mod := a.member("iq_mod")
		admin.post("/admin/groups/support/moderators", "action", "add", "username", "iq_mod")
		author := a.member("iq_author")
		author.join("support")
		topic := author.newTopic("support", "Small wins", "Tell me one good thing from today.")
		var readers []*client
		for i := range 5 {
			c := a.member(fmt.Sprintf("quiet_reader_%d", i))
			c.post("/privacy/consent", "purpose", "reading_history", "enabled", "true")
			c.post("/privacy/consent", "purpose", "community_insights", "enabled", "true")
			assertStatus(t, c.get(fmt.Sprintf("/t/%d", topic)), http.StatusOK, "reading the topic")
			readers = append(readers, c)
		}
		// A member who keeps a reading history but did not opt in to statistics.
		bystander := a.member("quiet_bystander")
		bystander.post("/privacy/consent", "purpose", "reading_history", "enabled", "true")
		bystander.get(fmt.Sprintf("/t/%d", topic))

		// This week is never counted while it goes on.
		p := mod.get("/g/support/insights")
		mustNotContain(t, p.body, "<td>5.0</td>")
		// Move the readings into last week (the page flushes pending readings first).
		waitForEvents(t, db, 6)
		db.Exec(`UPDATE activity_events SET created_at = ?`, time.Now().UTC().Add(-7*24*time.Hour))
		p = mod.get("/g/support/insights")
		if !strings.Contains(p.body, "<td>5.0</td>") {
			t.Errorf("five consenting readers of one topic last week: no 5.0 readers per topic\n%s", p.body)
		}
		mustContain(t, p.body, `<td class="suppressed">hidden: fewer than 5 members</td>`) // nobody replied
		mustNotContain(t, p.body, "quiet_reader", "quiet_bystander")

		// One of them withdraws: four remain, and the figure is hidden at once.
		readers[2].post("/privacy/consent", "purpose", "community_insights", "enabled", "false")
		p = mod.get("/g/support/insights")
		mustNotContain(t, p.body, "<td>5.0</td>", "<td>4.0</td>", "quiet_reader")
	})
}

// waitForEvents waits until the batched topic opens reach the record.
func waitForEvents(t *testing.T, db *gorm.DB, n int64) {
	t.Helper()
	var got int64
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if db.Raw(`SELECT COUNT(*) FROM activity_events`).Scan(&got); got == n {
			return
		}
	}
	t.Fatalf("%d topic opens recorded, want %d", got, n)
}
