package main

// End-to-end test of what is new for a member, which Haven shows only while "Reading history" is on.

import (
	"fmt"
	"strings"
	"testing"
)

// TestE2EChromiumWhatIsNew: dawn_a switches "Reading history" on and reads dawn_b's topic; dawn_b
// previews a reply (nothing is posted) and posts it; dawn_a's home page shows "1 new" and
// "Continue where you left off", whose link lands on the reply carrying id="unread", as does the
// topic page's "Jump to first unread"; dawn_a switches reading history off, and every marker goes
// and the dashboard's record is empty once the topics opened are erased too. axe-core checks each page.
func TestE2EChromiumWhatIsNew(t *testing.T) {
	t.Parallel()
	const (
		admin, adminPassword = "dawn_admin", "a lighthouse at dawn 42"
		memberA, passwordA   = "dawn_a", "the first light on water"
		memberB, passwordB   = "dawn_b", "the last light on hills"
		title                = "Waking before the alarm"
		replyBody            = "Me too: I make tea and sit by the window until it is light."
	)
	app := startE2EApp(t,
		e2eAccount{Username: admin, Password: adminPassword, Role: "admin"},
		e2eAccount{Username: memberA, Password: passwordA, Role: "member"},
		e2eAccount{Username: memberB, Password: passwordB, Role: "member"},
	)
	browser := startE2EBrowser(t)
	group := e2eGroup{Name: "Early Risers", Slug: "early-risers", Description: "For those awake before dawn."}
	adm := newE2ETab(t, browser, app, "admin")
	e2eLogIn(t, adm, admin, adminPassword)
	e2eCreateGroup(t, adm, group)

	a, b := newE2ETab(t, browser, app, memberA), newE2ETab(t, browser, app, memberB)
	for _, m := range []struct {
		tab            *e2eTab
		name, password string
	}{{a, memberA, passwordA}, {b, memberB, passwordB}} {
		e2eLogIn(t, m.tab, m.name, m.password)
		m.tab.visit(t, "/g/"+group.Slug)
		m.tab.click(t, e2eButton("Join this group"))
	}
	topic := e2eStartTopic(t, b, group.Slug, title)

	// Off: no markers, and a sentence linking to the switch.
	a.visit(t, "/g/"+group.Slug)
	if n := e2eEval[int](t, a, `document.querySelectorAll("[data-new-posts]").length`); n != 0 {
		t.Errorf("with reading history off the group page shows %d markers", n)
	}
	if !e2eExists(t, a, `//main//p[contains(., "“Reading history” is off")]/a[@href="/privacy#purpose-reading_history"]`) {
		t.Errorf("with reading history off the group page does not say how to switch it on; it reads:\n%s", a.text(t, "main"))
	}

	a.visit(t, "/privacy")
	e2eSwitch(t, a, "reading_history", "Reading history", true)
	a.visit(t, "/g/"+group.Slug)
	if got := a.text(t, "[data-new-posts]"); got != "new" {
		t.Errorf("a topic never opened is marked %q, want \"new\"", got)
	}
	a.visit(t, "/t/"+topic)
	a.click(t, e2eButton("Follow this topic"))
	if got := a.text(t, "#follow button"); got != "Unfollow this topic" {
		t.Fatalf("after following, the topic's button reads %q", got)
	}
	if got := e2eEval[string](t, a, `document.querySelector('a[href="/notifications"][aria-label]').getAttribute("aria-label")`); got != "Notifications, 0 unread" {
		t.Errorf("before any reply the header's notifications link is labelled %q", got)
	}

	// dawn_b previews a reply: the page shows it rendered, and nothing is posted.
	b.visit(t, "/t/"+topic)
	b.typeInto(t, "Your message", replyBody)
	b.click(t, e2eButton("Preview"))
	if got := b.text(t, "#preview"); !strings.Contains(got, "Preview: not posted yet") || !strings.Contains(got, "sit by the window") {
		t.Fatalf("after Preview the page (%s) shows no preview of the reply; it reads:\n%s", b.path(t), b.text(t, "main"))
	}
	if f := b.field(t, "Your message"); f.Value != replyBody {
		t.Errorf("after Preview the reply field holds %q, want what was typed", f.Value)
	}
	a.visit(t, "/")
	if n := e2eEval[int](t, a, `document.querySelectorAll("[data-new-posts]").length`); n != 0 {
		t.Errorf("after a preview only, dawn_a's home shows %d markers: a preview must post nothing", n)
	}
	b.click(t, e2eButton("Post reply"))

	// dawn_a's home: one new post, the topic to continue, and one unread notification in the
	// header (a reply in a topic dawn_a follows).
	a.visit(t, "/")
	if got := e2eEval[string](t, a, `document.querySelector('a[href="/notifications"][aria-label]').getAttribute("aria-label")`); got != "Notifications, 1 unread" {
		t.Errorf("after dawn_b's reply the header's notifications link is labelled %q, want \"Notifications, 1 unread\"", got)
	}
	if got := a.text(t, `a[href="/notifications"][aria-label] .count`); got != "1" {
		t.Errorf("the header shows %q unread notifications, want 1", got)
	}
	if got := a.text(t, `section[aria-labelledby="continue-h"] h2`); got != "Continue where you left off" {
		t.Fatalf("dawn_a's home has no \"Continue where you left off\" (%q); it reads:\n%s", got, a.text(t, "main"))
	}
	if got := a.text(t, `section[aria-labelledby="continue-h"] [data-new-posts="1"]`); got != "1 new" {
		t.Errorf("the topic to continue is marked %q, want \"1 new\"", got)
	}
	a.click(t, e2eLink(`//section[@aria-labelledby="continue-h"]`, title))
	if got := e2eEval[string](t, a, `location.hash`); got != "#unread" {
		t.Errorf("the topic to continue led to %s%s, want its first unread post (#unread)", a.path(t), got)
	}
	if got := a.text(t, "#unread"); !strings.Contains(got, "sit by the window") {
		t.Errorf("the post carrying id=\"unread\" reads %q, want dawn_b's reply", got)
	}
	if got := a.text(t, `main a[href="#unread"]`); got != "Jump to first unread" {
		t.Errorf("the topic page's link to the first unread post reads %q", got)
	}
	a.click(t, e2eLink("//main", "Jump to first unread"))
	if got := e2eEval[string](t, a, `location.hash`); got != "#unread" {
		t.Errorf("\"Jump to first unread\" went to %q, want #unread", got)
	}

	// Read now: the markers go. Then dawn_b replies again and dawn_a switches reading history off.
	a.visit(t, "/")
	if e2eExists(t, a, `//*[@data-new-posts]`) || strings.Contains(a.text(t, "main"), "Continue where you left off") {
		t.Errorf("after reading the reply dawn_a's home still shows what is new:\n%s", a.text(t, "main"))
	}
	b.visit(t, "/t/"+topic)
	b.typeInto(t, "Your message", "And a second cup.")
	b.click(t, e2eButton("Post reply"))
	a.visit(t, "/privacy")
	if got := a.text(t, `section[aria-labelledby="positions-h"]`); !strings.Contains(got, title) {
		t.Errorf("the dashboard's read positions read %q, want %q listed", got, title)
	}
	a.click(t, fmt.Sprintf(`//div[@id="purpose-reading_history"]%s`, e2eButton("Switch off “Reading history”")))
	if got := a.text(t, `p.notice[role="status"]`); !strings.Contains(got, "Where you stopped reading each topic was erased now") {
		t.Errorf("switching reading history off says %q, want it to say the read positions were erased", got)
	}
	for _, path := range []string{"/", "/g/" + group.Slug, "/t/" + topic} {
		a.visit(t, path)
		if e2eExists(t, a, `//*[@data-new-posts or @id="unread"]`) || strings.Contains(a.text(t, "main"), "Continue where you left off") ||
			strings.Contains(a.text(t, "main"), "Jump to first unread") {
			t.Errorf("with reading history off %s still shows what is new:\n%s", path, a.text(t, "main"))
		}
	}
	a.visit(t, "/privacy")
	if got := a.text(t, `section[aria-labelledby="positions-h"]`); !strings.Contains(got, "No read positions are recorded.") {
		t.Errorf("after switching off the read positions read %q", got)
	}
	// The opens stay until erased; then the record is empty.
	a.click(t, e2eButton("Erase everything recorded and inferred…"))
	a.click(t, `//main//button[starts-with(normalize-space(.), "Yes, erase")]`)
	if n := e2eRecordCount(t, a); n != 0 {
		t.Errorf("after erasing the dashboard counts %d items in the record, want 0", n)
	}
	a.visit(t, "/privacy/activity")
	if got := a.text(t, "main"); !strings.Contains(got, "Nothing is recorded.") {
		t.Errorf("after erasing /privacy/activity reads:\n%s", got)
	}
}
