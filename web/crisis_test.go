package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/haven-forum/haven/internal/dbtest"
	"github.com/haven-forum/haven/web"
	"gorm.io/gorm"
)

func region(code string) option { return func(d *web.Deps) { d.CrisisRegion = code } }

// before fails unless first appears in body, and before second.
func before(t *testing.T, body, first, second string) {
	t.Helper()
	i, j := strings.Index(body, first), strings.Index(body, second)
	if i < 0 || j < 0 || i > j {
		t.Errorf("%q (at %d) must come before %q (at %d)", first, i, second, j)
	}
}

// A refused or crisis-checked reply comes back with the message first, focus on it, and the
// member's words in the form right below; not two screens under the thread.
func TestRefusedReplyPutsTheMessageFirst(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newApp(t, db, region("uk"))
		a.admin("first_admin").createGroup("Depression", "depression", "public", false)
		m := a.member("first_member")
		m.join("depression")
		topic := m.newTopic("depression", "A long week", "Some days are heavy.")
		for i := range 5 {
			m.reply(topic, fmt.Sprintf("Reply number %d in a long thread.", i))
		}
		words := "I'm going to hurt myself tonight."
		p := m.post(fmt.Sprintf("/t/%d/replies", topic), "body", words, "_submit", "k1")
		if p.status != http.StatusOK {
			t.Fatalf("crisis check: %d", p.status)
		}
		before(t, p.body, `id="crisis"`, `class="post"`)
		before(t, p.body, `id="crisis"`, `<textarea`)
		mustContain(t, p.body, `tabindex="-1" autofocus`, `href="tel:116123"`, "Samaritans", "I&#39;m going to hurt myself tonight.</textarea>", "Post it anyway")
		if strings.Count(p.body, "autofocus") != 1 {
			t.Errorf("%d elements ask for focus, want one", strings.Count(p.body, "autofocus"))
		}

		p = m.post(fmt.Sprintf("/t/%d/replies", topic), "body", "   ", "_submit", "k2")
		if p.status != http.StatusUnprocessableEntity {
			t.Fatalf("empty reply: %d", p.status)
		}
		before(t, p.body, `id="error-summary"`, `class="post"`)
		mustContain(t, p.body, `id="error-summary" role="alert" tabindex="-1" autofocus`, "Write something before posting.")

		// A new topic's refusal does the same on its own page.
		p = m.post("/g/depression/topics", "title", "", "body", "Kept text", "_submit", "k3")
		before(t, p.body, `id="error-summary"`, `<form method="post" action="/g/depression/topics"`)
		mustContain(t, p.body, "Kept text</textarea>")
	})
}

// Only the author speaking about themself, now, goes to the queue as at risk; a loss, a mention
// under a content warning, or the past is published without the prompt, with help offered quietly.
func TestCrisisMatcherQueuesOnlyPresentRisk(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newApp(t, db)
		admin := a.admin("risk_admin")
		admin.createGroup("Grief & Loss", "grief", "public", false)
		m := a.member("risk_member")
		m.join("grief")
		grief := m.post("/g/grief/topics", "title", "Two years", "body", "My brother died by suicide two years ago.", "_submit", "g1")
		if grief.status != http.StatusSeeOther {
			t.Fatalf("a loss was held for the crisis prompt: %d\n%s", grief.status, grief.body)
		}
		mustContain(t, m.get(grief.location()).body, "Need help now?” at the top of every page lists help lines")
		cw := m.post("/g/grief/topics", "title", "What helped", "body", "Talking about self-harm with my counsellor helped me stop, years ago.",
			"content_warning", "mentions of self-harm", "_submit", "g2")
		if cw.status != http.StatusSeeOther {
			t.Fatalf("a mention under a content warning was held: %d", cw.status)
		}
		var n int64
		db.Raw(`SELECT COUNT(*) FROM posts WHERE crisis_concern`).Scan(&n)
		if n != 0 {
			t.Errorf("%d mentions were marked for moderator care", n)
		}
		mustNotContain(t, admin.get("/mod").body, "Someone may be at risk")

		risk := []string{"title", "Tonight", "body", "I can't go on. I want to end my life.", "_submit", "g3"}
		if p := m.post("/g/grief/topics", risk...); p.status != http.StatusOK || !strings.Contains(p.body, "Before you post") {
			t.Fatalf("present risk was not met with the help lines first: %d", p.status)
		}
		if p := m.post("/g/grief/topics", append(risk, "crisis_ack", "1")...); p.status != http.StatusSeeOther {
			t.Fatalf("post it anyway: %d", p.status)
		}
		mustContain(t, admin.get("/mod").body, "Someone may be at risk")
	})
}

// The crisis page lists real help lines for the --crisis-region, each a tel: link, and an
// international directory by default.
func TestCrisisPageListsTheRegionsHelpLines(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		p := newApp(t, db).client().get("/crisis")
		mustContain(t, p.body, `href="https://findahelpline.com"`, "Find the help line in your country")
		us := newApp(t, db, region("us")).client().get("/crisis")
		mustContain(t, us.body, "988 Suicide &amp; Crisis Lifeline", `href="tel:988"`, `href="sms:988"`, `href="tel:911"`)
		before(t, us.body, `href="tel:988"`, "About this forum")
		de := newApp(t, db, region("de")).client().get("/crisis")
		mustContain(t, de.body, `href="tel:08001110111"`, `href="tel:112"`)
	})
}
