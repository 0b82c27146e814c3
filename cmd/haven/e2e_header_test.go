package main

import (
	"testing"
)

// TestE2EChromiumPhoneHeader: on a 390 px phone with text at 200%, the header of an admin (who
// has every link) stays compact, "Need help now?" stays in view, and the other links are one tap
// away under "Menu".
func TestE2EChromiumPhoneHeader(t *testing.T) {
	t.Parallel()
	const admin, password = "header_admin", "lighthouse keeper 42"
	app := startE2EApp(t, e2eAccount{Username: admin, Password: password, Role: "admin"})
	browser := startE2EBrowser(t)
	tab := newE2ETab(t, browser, app, "phone")
	e2eLogIn(t, tab, admin, password)
	e2ePhone(t, tab)
	tab.visit(t, "/")
	type header struct {
		Height, Screen float64
		HelpShown      bool
		LinksShown     bool
	}
	measure := func() header {
		return e2eEval[header](t, tab, `(() => { document.documentElement.style.fontSize = "200%";
			const h = document.querySelector("header.site"), help = h.querySelector("a.help");
			const groups = Array.from(h.querySelectorAll("a")).find(a => a.textContent.trim() === "My groups" && a.checkVisibility());
			return {Height: h.getBoundingClientRect().height, Screen: 844,
				HelpShown: help.checkVisibility() && help.getBoundingClientRect().bottom <= window.innerHeight, LinksShown: !!groups}; })()`)
	}
	h := measure()
	t.Logf("header at 200%% text on a 390 px phone: %.0f px", h.Height)
	if h.Height > h.Screen/4 || !h.HelpShown {
		t.Errorf("at 200%% text on a 390 px phone the header is %.0f px of a %.0f px screen (want at most a quarter), \"Need help now?\" in view: %v", h.Height, h.Screen, h.HelpShown)
	}
	if h.LinksShown {
		t.Errorf("the phone header shows every link at once; want them folded under \"Menu\"")
	}
	tab.press(t, `//header//summary[normalize-space(.) = "Menu"]`)
	if h := measure(); !h.LinksShown {
		t.Errorf("after opening \"Menu\" the header's links are not shown")
	}
	tab.click(t, `//header//details//a[normalize-space(.) = "My groups"]`)
	if p := tab.path(t); p != "/groups" {
		t.Errorf("\"My groups\" from the phone menu led to %s", p)
	}
}
