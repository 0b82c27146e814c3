package main

import (
	"strings"
	"testing"
)

// A member follows an author's name to their profile (posts they may read, never an anonymous
// one), follows an @mention, bookmarks a post and finds it on their bookmarks, and writes a bio;
// every page they reach passes axe-core (checked on each visit and click).
func TestE2EChromiumProfilesAndBookmarks(t *testing.T) {
	t.Parallel()
	const (
		admin, adminPassword = "garden_admin", "lighthouse keeper 43"
		memberA, passwordA   = "fern_a", "a fern in the shade"
		memberB, passwordB   = "fern_b", "a fern in the sun!"
	)
	app := startE2EApp(t,
		e2eAccount{Username: admin, Password: adminPassword, Role: "admin"},
		e2eAccount{Username: memberA, Password: passwordA, Role: "member"},
		e2eAccount{Username: memberB, Password: passwordB, Role: "member"},
	)
	browser := startE2EBrowser(t)
	adm := newE2ETab(t, browser, app, "admin")
	e2eLogIn(t, adm, admin, adminPassword)
	group := e2eGroup{Name: "Garden Circle", Slug: "garden-circle", Description: "Slow mornings outside.", AllowAnonymous: true}
	e2eCreateGroup(t, adm, group)

	a := newE2ETab(t, browser, app, memberA)
	e2eLogIn(t, a, memberA, passwordA)
	a.visit(t, "/g/"+group.Slug)
	a.click(t, e2eButton("Join this group"))
	a.click(t, e2eLink("//main", "Start a topic"))
	a.typeInto(t, "Title", "Roses in December")
	a.typeInto(t, "Your message", "Thank you @"+memberB+" for the cuttings.")
	a.click(t, e2eButton("Post the topic"))
	topicID := e2eTopicID(t, a)
	a.typeInto(t, "Your message", "A secret about the thorns.")
	a.press(t, `//label[@for="f-anonymous"]`)
	a.click(t, e2eButton("Post reply"))

	b := newE2ETab(t, browser, app, memberB)
	e2eLogIn(t, b, memberB, passwordB)
	b.visit(t, "/t/"+topicID)
	if got := e2eEval[string](t, b, `document.querySelector("main .prose a.mention").getAttribute("href")`); got != "/u/"+memberB {
		t.Errorf("the @mention links to %q, want /u/%s", got, memberB)
	}
	if n := e2eEval[int](t, b, `document.querySelectorAll('main article a[href^="/u/`+memberA+`"]').length`); n != 1 {
		t.Errorf("%d links to %s's profile on the topic page, want 1 (their named post, not the anonymous one)", n, memberA)
	}
	b.click(t, e2eButton("Bookmark"))
	if notice := b.text(t, `[role="status"]`); !strings.HasPrefix(notice, "Bookmarked.") {
		t.Errorf("after bookmarking the notice reads %q", notice)
	}
	b.click(t, e2eLink("//main//article//header", memberA))
	if p := b.path(t); p != "/u/"+memberA {
		t.Fatalf("the author's name led to %s", p)
	}
	main := b.text(t, "main")
	if !strings.Contains(main, "Thank you @"+memberB) || strings.Contains(main, "thorns") {
		t.Errorf("%s's profile lists the wrong posts:\n%s", memberA, main)
	}
	b.visit(t, "/bookmarks")
	if got := b.text(t, "main"); !strings.Contains(got, "Roses in December") {
		t.Errorf("the bookmarks page does not list the bookmarked post:\n%s", got)
	}
	b.visit(t, "/account")
	b.typeInto(t, "A short bio (optional)", "Grows ferns, mostly.")
	b.click(t, e2eButton("Save profile"))
	b.visit(t, "/u/"+memberB)
	if got := b.text(t, ".bio"); got != "Grows ferns, mostly." {
		t.Errorf("the profile's bio reads %q", got)
	}
}
