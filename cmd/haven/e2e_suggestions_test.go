package main

// End-to-end test of personalized suggestions in Chromium: switching them on, a reaction that
// shapes the next page load with its reason linking to the dashboard, "Not interested", and
// erasing everything. Every page shown is checked with axe-core by the helpers.

import (
	"fmt"
	"strings"
	"testing"
)

type e2eSuggestion struct {
	Title, Reason, Href string
	Dismiss             bool
}

func e2eSuggestions(t *testing.T, tab *e2eTab) map[string]e2eSuggestion {
	t.Helper()
	list := e2eEval[[]e2eSuggestion](t, tab, `Array.from(document.querySelectorAll('#recommendations li'), li => ({
		Title: li.querySelector('a.topic-title').innerText.trim(),
		Reason: li.querySelector('.meta').innerText.trim(),
		Href: (li.querySelector('.meta a') || {getAttribute: () => ""}).getAttribute('href') || "",
		Dismiss: !!li.querySelector('button[aria-label^="Not interested"]')}))`)
	out := map[string]e2eSuggestion{}
	for _, s := range list {
		out[s.Title] = s
	}
	return out
}

// TestE2EChromiumPersonalSuggestions: a member sees general suggestions, switches on
// personalized suggestions, reacts in a topic and on the next page load is suggested a similar
// topic "because you reacted in" it, the reason linking to that item of the dashboard; "Not
// interested" removes the suggestion; erasing everything brings back the general suggestions.
func TestE2EChromiumPersonalSuggestions(t *testing.T) {
	t.Parallel()
	const (
		admin, adminPassword = "haven_admin", "lighthouse keeper 42"
		member, password     = "night_owl", "stars over the harbour"
		related              = "Sleepless nights and racing thoughts"
	)
	app := startE2EApp(t, e2eAccount{Username: admin, Password: adminPassword, Role: "admin"})
	browser := startE2EBrowser(t)
	group := e2eGroup{Name: "Rest and Sleep", Slug: "rest-and-sleep", Description: "For nights that go on too long."}

	adm := newE2ETab(t, browser, app, "admin")
	e2eLogIn(t, adm, admin, adminPassword)
	e2eCreateGroup(t, adm, group)
	adm.visit(t, "/g/"+group.Slug)
	adm.click(t, e2eButton("Join this group"))
	sleepless := e2eStartTopic(t, adm, group.Slug, "Sleepless nights again")
	e2eStartTopic(t, adm, group.Slug, related)
	e2eStartTopic(t, adm, group.Slug, "Baking bread together")

	tab := newE2ETab(t, browser, app, member)
	e2eSignUp(t, tab, member, password)
	tab.visit(t, "/g/"+group.Slug)
	tab.click(t, e2eButton("Join this group"))

	tab.visit(t, "/")
	general := e2eSuggestions(t, tab)
	if len(general) != 3 {
		t.Fatalf("with personalization off, %d suggestions (%v), want the group's 3 topics", len(general), general)
	}
	for title, s := range general {
		if s.Dismiss || s.Href != "" || s.Reason != "Waiting for a first reply in Rest and Sleep" {
			t.Errorf("personalization off, %q shows %+v, want the general reason, no link and no “Not interested”", title, s)
		}
	}

	tab.visit(t, "/privacy")
	e2eSwitch(t, tab, "personalized_recommendations", "Personalized suggestions", true)
	tab.visit(t, "/t/"+sleepless)
	tab.click(t, `(//form[contains(@class, "reactions")]//button[@value="hear_you"])[1]`)

	tab.visit(t, "/")
	got := e2eSuggestions(t, tab)
	s, ok := got[related]
	wantReason := "Because you reacted in “Sleepless nights again”"
	if !ok || s.Reason != wantReason || s.Href != "/privacy#signal-"+sleepless || !s.Dismiss {
		t.Fatalf("after reacting, %q is suggested as %+v (present: %v), want reason %q linking to /privacy#signal-%s with “Not interested”; all: %v",
			related, s, ok, wantReason, sleepless, got)
	}
	if _, ok := got["Sleepless nights again"]; ok {
		t.Errorf("the topic the member reacted in is still suggested")
	}
	tab.click(t, fmt.Sprintf(`//section[@id="recommendations"]//a[@href=%s]`, e2eXPathString(s.Href)))
	if p := tab.path(t); p != "/privacy" {
		t.Errorf("the reason's link led to %s, want /privacy", p)
	}
	if item := tab.text(t, "#signal-"+sleepless); !strings.Contains(item, "You reacted in") || !strings.Contains(item, "Sleepless nights again") {
		t.Errorf("the dashboard item the reason links to reads %q", item)
	}

	tab.visit(t, "/")
	tab.click(t, fmt.Sprintf(`//button[@aria-label=%s]`, e2eXPathString("Not interested in “"+related+"”")))
	if notice := tab.text(t, `p.notice[role="status"]`); !strings.Contains(notice, "won't be suggested again") {
		t.Errorf("after “Not interested” the notice reads %q", notice)
	}
	if _, ok := e2eSuggestions(t, tab)[related]; ok {
		t.Errorf("%q is still suggested after “Not interested”", related)
	}
	tab.visit(t, "/privacy")
	if !strings.Contains(tab.text(t, "main"), "Not interested in “"+related+"”") {
		t.Errorf("the dashboard does not list the “Not interested” choice")
	}

	tab.click(t, e2eButton("Erase everything recorded and inferred…"))
	if got := tab.text(t, "main ul.erase-kinds"); !strings.Contains(got, "1 “not interested” choice on suggestions") {
		t.Errorf("the erase confirmation lists %q, want the one “not interested” choice counted", got)
	}
	tab.click(t, `//button[starts-with(normalize-space(.), "Yes, erase")]`)
	tab.visit(t, "/")
	after := e2eSuggestions(t, tab)
	if _, ok := after[related]; !ok {
		t.Errorf("after erasing everything, %q (hidden by the erased choice) is not suggested: %v", related, after)
	}
	for title, s := range after {
		if s.Href != "" || strings.HasPrefix(s.Reason, "Because") || !strings.HasSuffix(s.Reason, "in Rest and Sleep") {
			t.Errorf("after erasing everything, %q is suggested as %+v, want the general reason", title, s)
		}
	}
}
