package main

// End-to-end tests of the forum: groups, topics, replies, reactions, anonymous posts, search and
// the crisis check, driven through Chromium as members use them. Every page shown is checked with
// axe-core by the helpers in e2e_helpers_test.go.

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestE2EChromiumForumJourney follows three people through the forum: an admin makes a public
// group that allows anonymous posts and a private one; river_a starts a topic behind a content
// warning; river_b replies, reacts and replies anonymously; river_a sees the anonymous reply
// without river_b's name anywhere in it, finds the reply with search, and learns nothing of the
// private group's topics.
func TestE2EChromiumForumJourney(t *testing.T) {
	t.Parallel()
	const (
		admin, adminPassword = "haven_admin", "lighthouse keeper 42"
		memberA, passwordA   = "river_a", "a slow river at dawn"
		memberB, passwordB   = "river_b", "a wide river at dusk"
	)
	app := startE2EApp(t,
		e2eAccount{Username: admin, Password: adminPassword, Role: "admin"},
		e2eAccount{Username: memberA, Password: passwordA, Role: "member"},
		e2eAccount{Username: memberB, Password: passwordB, Role: "member"},
	)
	browser := startE2EBrowser(t)

	public := e2eGroup{Name: "Hospital Recovery Circle", Slug: "hospital-recovery", Description: "For the weeks after a stay in hospital.",
		Rules: "Be gentle. **No advice unless asked.**", AllowAnonymous: true}
	private := e2eGroup{Name: "Night Shift Parents", Slug: "night-shift-parents", Description: "Parents who work while others sleep.",
		Private: true}
	const (
		topicTitle   = "Finding calm after the ward"
		topicBody    = "Three weeks home now and the quiet still feels strange."
		topicWarning = "talk of hospital stays"
		// Distinctive words, so that search finds exactly these posts.
		replyWord     = "marmalade"
		replyBody     = "The first mornings back I lived on toast and " + replyWord + ". It does get easier."
		anonWord      = "periwinkle"
		anonBody      = "I never told anyone, but the " + anonWord + " walls of the ward still follow me."
		privateWord   = "lanterns"
		privateTitle  = "Quiet " + privateWord + " at four in the morning"
		privateBody   = "Who else is awake right now?"
		anonymousName = "Anonymous member"
	)

	// The admin makes both groups and appoints river_b to moderate the private one.
	adm := newE2ETab(t, browser, app, "admin")
	e2eLogIn(t, adm, admin, adminPassword)
	e2eCreateGroup(t, adm, public)
	e2eCreateGroup(t, adm, private)
	adm.typeInto(t, "Appoint a moderator (username)", memberB)
	adm.click(t, e2eButton("Appoint"))
	if notice := adm.text(t, `[role="status"]`); notice != "Moderators updated." {
		t.Errorf("after appointing %s the notice reads %q, want \"Moderators updated.\"; the page says:\n%s", memberB, notice, adm.text(t, "main"))
	}
	if mods := adm.text(t, `section[aria-labelledby="mods-h"]`); !strings.Contains(mods, "Remove "+memberB+" as moderator") {
		t.Errorf("the moderators of %s read %q, want %s listed", private.Name, mods, memberB)
	}

	// river_a finds the public group on the home page, joins, and starts a topic behind a
	// content warning.
	a := newE2ETab(t, browser, app, memberA)
	e2eLogIn(t, a, memberA, passwordA)
	if got := a.text(t, fmt.Sprintf(`main a[href="/g/%s"]`, public.Slug)); got != public.Name {
		t.Fatalf("the home page links /g/%s as %q, want the group %q; it lists:\n%s", public.Slug, got, public.Name, a.text(t, "main"))
	}
	a.click(t, e2eLink("//main", public.Name))
	if got := a.text(t, "h1"); got != public.Name {
		t.Fatalf("the group's link led to a page titled %q (%s), want %q", got, a.path(t), public.Name)
	}
	if got := a.text(t, "main .meta"); !strings.Contains(got, "Anonymous posts allowed") {
		t.Errorf("the group's badges read %q, want \"Anonymous posts allowed\"", got)
	}
	a.click(t, e2eButton("Join this group"))
	if notice := a.text(t, `[role="status"]`); !strings.HasPrefix(notice, "Welcome to the group") {
		t.Errorf("after joining the notice reads %q, want \"Welcome to the group…\"", notice)
	}
	a.click(t, e2eLink("//main", "Start a topic"))
	if got := a.text(t, "h1"); got != "New topic in "+public.Name {
		t.Fatalf("\"Start a topic\" led to a page titled %q (%s), want \"New topic in %s\"", got, a.path(t), public.Name)
	}
	if anon := e2eEval[bool](t, a, `!!document.getElementById("f-anonymous")`); !anon {
		t.Errorf("the new-topic form of a group that allows anonymous posts has no anonymous checkbox")
	}
	a.typeInto(t, "Title", topicTitle)
	a.typeInto(t, "Your message", topicBody)
	a.typeInto(t, "Content warning (optional)", topicWarning)

	// Preview first: the post as it would be, above the form with everything kept, nothing posted.
	a.click(t, e2eButton("Preview"))
	if got := a.text(t, "#preview h2"); got != "Preview: not posted yet" {
		t.Fatalf("after Preview the page (%s) has no preview heading (%q); it says:\n%s", a.path(t), got, a.text(t, "main"))
	}
	if got := a.text(t, "#preview .preview-title"); got != topicTitle {
		t.Errorf("the preview's title reads %q, want %q", got, topicTitle)
	}
	if got := a.text(t, "#preview details summary"); !strings.Contains(got, "Content warning: "+topicWarning) {
		t.Errorf("the preview's content warning reads %q, want it folded behind %q", got, topicWarning)
	}
	for label, want := range map[string]string{"Title": topicTitle, "Your message": topicBody, "Content warning (optional)": topicWarning} {
		if f := a.field(t, label); f.Value != want {
			t.Errorf("after Preview the field %q holds %q, want %q kept", label, f.Value, want)
		}
	}
	checkA11y(t, a.ctx) // the preview
	a.visit(t, "/g/"+public.Slug)
	if strings.Contains(a.text(t, "main"), topicTitle) {
		t.Errorf("the group lists %q after a preview: a preview must post nothing", topicTitle)
	}
	a.click(t, e2eLink("//main", "Start a topic"))
	a.typeInto(t, "Title", topicTitle)
	a.typeInto(t, "Your message", topicBody)
	a.typeInto(t, "Content warning (optional)", topicWarning)
	a.click(t, e2eButton("Post the topic"))
	topicID := e2eTopicID(t, a)
	if got := a.text(t, "h1"); got != topicTitle {
		t.Errorf("the new topic's page is titled %q, want %q", got, topicTitle)
	}
	firstPost := e2eEval[string](t, a, `(document.querySelector("article.post") || {}).id || ""`)
	if firstPost == "" {
		t.Fatalf("the new topic's page shows no post; it says:\n%s", a.text(t, "main"))
	}

	// The message is folded behind its warning until the member opens it.
	fold := e2eFoldOf(t, a, firstPost)
	if !fold.Found {
		t.Fatalf("the first post has no <details> for its content warning; it is:\n%s", a.outerHTML(t, "#"+firstPost))
	}
	if want := "Content warning: " + topicWarning; !strings.Contains(fold.Summary, want) {
		t.Errorf("the fold's summary reads %q, want it to contain %q", fold.Summary, want)
	}
	if fold.Open || fold.BodyVisible {
		t.Errorf("before its summary is clicked the fold is open: %v, its message visible: %v; want both false", fold.Open, fold.BodyVisible)
	}
	if strings.Contains(a.text(t, "main"), topicBody) {
		t.Errorf("the message behind the content warning is visible before the warning is opened")
	}
	a.press(t, fmt.Sprintf(`//article[@id=%s]//details/summary`, e2eXPathString(firstPost)))
	fold = e2eFoldOf(t, a, firstPost)
	if !fold.Open || !fold.BodyVisible || !strings.Contains(fold.Body, topicBody) {
		t.Errorf("after clicking the summary the fold is open: %v, its message visible: %v, reading %q; want it open and showing %q",
			fold.Open, fold.BodyVisible, fold.Body, topicBody)
	}
	checkA11y(t, a.ctx) // the topic with the warning open

	// A visitor sees what the community is: the group with its topic count on the home page, and
	// its description and rules with a call to join, never the topic.
	v := newE2ETab(t, browser, app, "visitor")
	v.visit(t, "/")
	if got := v.text(t, "main"); !strings.Contains(got, public.Name) || !strings.Contains(got, "1 topic") || strings.Contains(got, topicTitle) {
		t.Errorf("signed out, the home page reads:\n%s\nwant %q with \"1 topic\", and not %q", got, public.Name, topicTitle)
	}
	v.visit(t, "/g/"+public.Slug)
	if got := v.text(t, "main"); !strings.Contains(got, "Join to read and take part") || strings.Contains(got, topicTitle) {
		t.Errorf("signed out, the group's page reads:\n%s\nwant the call to join and not %q", got, topicTitle)
	}
	checkA11y(t, v.ctx) // the visitor's group page

	// river_b joins, replies, reacts to river_a's post, and replies anonymously.
	b := newE2ETab(t, browser, app, memberB)
	e2eLogIn(t, b, memberB, passwordB)
	b.visit(t, "/g/"+public.Slug)
	b.click(t, e2eButton("Join this group"))
	b.click(t, e2eLink("//main", topicTitle))
	if id := e2eTopicID(t, b); id != topicID {
		t.Fatalf("%s opened the topic link and is on topic %s, want %s", memberB, id, topicID)
	}
	b.typeInto(t, "Your message", replyBody)
	b.click(t, e2eButton("Post reply"))
	reply := e2ePostAnchor(t, b, topicID)

	hearYou := fmt.Sprintf(`//article[@id=%s]//form[contains(@class, "reactions")]%s`, e2eXPathString(firstPost), e2eButton("I hear you"))
	b.click(t, hearYou)
	if r := e2eReactionOf(t, b, firstPost, "hear_you"); r.Pressed != "true" || r.Count != "1" {
		t.Errorf("after reacting \"I hear you\" the button has aria-pressed=%q and count %q, want \"true\" and \"1\"", r.Pressed, r.Count)
	}

	b.typeInto(t, "Your message", anonBody)
	b.press(t, `//label[@for="f-anonymous"]`)
	if !e2eEval[bool](t, b, `document.getElementById("f-anonymous").checked`) {
		t.Fatalf("clicking the label %q did not tick the anonymous checkbox", b.text(t, `label[for="f-anonymous"]`))
	}
	b.click(t, e2eButton("Post reply"))
	anon := e2ePostAnchor(t, b, topicID)
	if got := b.text(t, "#"+anon+"-by"); got != "you (anonymous to others)" {
		t.Errorf("%s sees their anonymous reply signed %q, want \"you (anonymous to others)\"", memberB, got)
	}

	// river_b starts a topic in the private group they moderate.
	b.visit(t, "/g/"+private.Slug)
	b.click(t, e2eLink("//main", "Start a topic"))
	b.typeInto(t, "Title", privateTitle)
	b.typeInto(t, "Your message", privateBody)
	b.click(t, e2eButton("Post the topic"))
	privateTopicID := e2eTopicID(t, b)
	if got := b.text(t, "h1"); got != privateTitle {
		t.Fatalf("%s's new topic in the private group is titled %q, want %q", memberB, got, privateTitle)
	}

	// river_a, on another device, reloads the topic: the anonymous reply names no one.
	a.reload(t)
	if got := a.text(t, "#"+reply+"-by"); got != memberB {
		t.Errorf("%s sees %s's reply signed %q, want %q", memberA, memberB, got, memberB)
	}
	if got := a.text(t, "#"+reply+" .prose"); !strings.Contains(got, replyWord) {
		t.Errorf("%s sees %s's reply as %q, want it to contain %q", memberA, memberB, got, replyWord)
	}
	if r := e2eReactionOf(t, a, firstPost, "hear_you"); r.Pressed != "false" || r.Count != "1" {
		t.Errorf("%s sees the \"I hear you\" button of their post with aria-pressed=%q and count %q, want \"false\" and \"1\"", memberA, r.Pressed, r.Count)
	}
	if got := a.text(t, "#"+anon+"-by"); got != anonymousName {
		t.Errorf("%s sees the anonymous reply signed %q, want %q", memberA, got, anonymousName)
	}
	if got := a.text(t, "#"+anon+" .prose"); !strings.Contains(got, anonWord) {
		t.Errorf("%s sees the anonymous reply as %q, want it to contain %q", memberA, got, anonWord)
	}
	if html := a.outerHTML(t, "#"+anon); strings.Contains(strings.ToLower(html), memberB) {
		t.Errorf("the anonymous reply's <article> names its author %s for %s:\n%s", memberB, memberA, html)
	}
	rest := e2eEval[string](t, a, fmt.Sprintf(`(() => {
		const d = document.documentElement.cloneNode(true);
		d.querySelector(%s).remove();
		return d.outerHTML;
	})()`, e2eJS("#"+reply)))
	if i := strings.Index(strings.ToLower(rest), memberB); i >= 0 {
		t.Errorf("%s's topic page names %s outside their signed reply, near: %q", memberA, memberB, rest[max(0, i-200):min(len(rest), i+100)])
	}

	t.Run("search", func(t *testing.T) {
		a.visit(t, "/")
		a.typeInto(t, "Search the groups you can read", replyWord)
		resp := a.click(t, "//main"+e2eButton("Search"))
		if resp == nil || resp.Status != http.StatusOK {
			t.Fatalf("searching for %q answered %v at %s, want 200 with results (is /search built yet?); the page says:\n%s",
				replyWord, e2eStatus(resp), a.path(t), a.text(t, "main"))
		}
		if p := a.path(t); !strings.HasPrefix(p, "/search?") || !strings.Contains(p, "q="+replyWord) {
			t.Errorf("the home page's search form led to %s, want /search?q=%s", p, replyWord)
		}
		if !e2eLinksTo(t, a, "/p/"+strings.TrimPrefix(reply, "p")) {
			t.Errorf("searching for %q shows no link to %s's reply /p/%s; the page says:\n%s",
				replyWord, memberB, strings.TrimPrefix(reply, "p"), a.text(t, "main"))
		}

		// The anonymous reply is found without its author's name.
		a.visit(t, "/search?q="+anonWord)
		if !e2eLinksTo(t, a, "/p/"+strings.TrimPrefix(anon, "p")) {
			t.Errorf("searching for %q shows no link to the anonymous reply /p/%s; the page says:\n%s",
				anonWord, strings.TrimPrefix(anon, "p"), a.text(t, "main"))
		}
		if main := a.text(t, "main"); !strings.Contains(main, anonymousName) {
			t.Errorf("the search result for the anonymous reply does not say %q; the page says:\n%s", anonymousName, main)
		}
		if html := e2eEval[string](t, a, `document.documentElement.outerHTML`); strings.Contains(strings.ToLower(html), memberB) {
			t.Errorf("the search results for the anonymous reply name its author %s", memberB)
		}
	})

	t.Run("private group", func(t *testing.T) {
		a.visit(t, "/g/"+private.Slug)
		if got := a.text(t, "h1"); got != private.Name {
			t.Errorf("%s, not a member, sees the private group titled %q, want %q", memberA, got, private.Name)
		}
		if main := a.text(t, "main"); !strings.Contains(main, "This is a private group") {
			t.Errorf("%s, not a member, sees the private group page without \"This is a private group\":\n%s", memberA, main)
		}
		if n := e2eEval[int](t, a, `document.evaluate(`+e2eJS(e2eButton("Ask to join"))+`, document, null, XPathResult.ORDERED_NODE_SNAPSHOT_TYPE, null).snapshotLength`); n != 1 {
			t.Errorf("the private group page shows %d \"Ask to join\" buttons to a non-member, want 1", n)
		}
		e2eNotShown(t, a, privateTitle, "the private group's page")

		resp := a.visit(t, "/t/"+privateTopicID)
		if resp == nil || resp.Status != http.StatusNotFound {
			t.Errorf("%s, not a member, opened the private topic /t/%s and got %v, want 404", memberA, privateTopicID, e2eStatus(resp))
		}
		if got := a.text(t, "h1"); got != "Page not found" {
			t.Errorf("the private topic /t/%s is titled %q for a non-member, want \"Page not found\"", privateTopicID, got)
		}
		e2eNotShown(t, a, privateTitle, "the private topic's page")

		a.visit(t, "/")
		e2eNotShown(t, a, privateTitle, "the home page")

		a.visit(t, "/search?q="+privateWord)
		e2eNotShown(t, a, privateTitle, "the search results for "+privateWord)
		if e2eLinksTo(t, a, "/t/"+privateTopicID) {
			t.Errorf("the search results for %q link the private topic /t/%s", privateWord, privateTopicID)
		}
	})
}

// TestE2EChromiumCrisisCheck: a reply with a crisis phrase first shows its author the crisis
// resources, without posting; "Post it anyway" then posts it, and its moderators (not its
// author) see it marked for care.
func TestE2EChromiumCrisisCheck(t *testing.T) {
	t.Parallel()
	const (
		admin, adminPassword = "haven_admin", "lighthouse keeper 42"
		member, password     = "still_water", "still water runs deep"
		topicTitle           = "Long evenings"
		phrase               = "hurt myself" // one of site.DefaultCrisisPhrases
		replyBody            = "Some evenings I worry I might " + phrase + " and I don't know who to tell."
	)
	app := startE2EApp(t,
		e2eAccount{Username: admin, Password: adminPassword, Role: "admin"},
		e2eAccount{Username: member, Password: password, Role: "member"},
	)
	browser := startE2EBrowser(t)
	group := e2eGroup{Name: "Evening Check-in", Slug: "evening-check-in", Description: "Say how your day went."}

	adm := newE2ETab(t, browser, app, "admin")
	e2eLogIn(t, adm, admin, adminPassword)
	e2eCreateGroup(t, adm, group)

	tab := newE2ETab(t, browser, app, member)
	e2eLogIn(t, tab, member, password)
	tab.visit(t, "/g/"+group.Slug)
	tab.click(t, e2eButton("Join this group"))
	tab.click(t, e2eLink("//main", "Start a topic"))
	tab.typeInto(t, "Title", topicTitle)
	tab.typeInto(t, "Your message", "Checking in for the week.")
	tab.click(t, e2eButton("Post the topic"))
	topicID := e2eTopicID(t, tab)

	// On a phone, 390 px wide: the answer must be on the first screen, not under the thread.
	for i := range 4 {
		tab.typeInto(t, "Your message", fmt.Sprintf("An ordinary evening, number %d. Tea, a walk, an early night.", i))
		tab.click(t, e2eButton("Post reply"))
	}
	e2ePhone(t, tab)
	tab.typeInto(t, "Your message", replyBody)
	resp := tab.click(t, e2eButton("Post reply"))
	if resp == nil || resp.Status != http.StatusOK {
		t.Errorf("a reply with a crisis phrase was answered %v, want 200 with the crisis resources", e2eStatus(resp))
	}
	first := e2eEval[struct {
		Top      float64 `json:"top"`
		Height   float64 `json:"height"`
		Focused  string  `json:"focused"`
		Wide     float64 `json:"wide"`
		Tel      bool    `json:"tel"`
		PostsTop float64 `json:"postsTop"`
	}](t, tab, `(() => { const s = document.querySelector("section.crisis"), r = s.getBoundingClientRect();
		return {top: r.top, height: window.innerHeight, focused: document.activeElement.id, wide: document.documentElement.scrollWidth,
			tel: !!s.querySelector('a[href^="tel:"], a[href^="https://findahelpline.com"]'),
			postsTop: document.querySelector("ol.posts").getBoundingClientRect().top}; })()`)
	if first.Top < -1 || first.Top > first.Height/2 || first.PostsTop < first.Top { // -1: a focused section may sit a subpixel above the top
		t.Errorf("on a 390 px phone the crisis section starts at %.0f px of a %.0f px screen (posts at %.0f px); want it in the first half of the first screen, above the posts",
			first.Top, first.Height, first.PostsTop)
	}
	if first.Focused != "crisis" {
		t.Errorf("after the crisis check the focus is on #%s, want it moved to the crisis section", first.Focused)
	}
	if first.Wide > 390 || !first.Tel {
		t.Errorf("the crisis answer is %.0f px wide on a 390 px screen (want no sideways scrolling), help line link: %v", first.Wide, first.Tel)
	}
	if got := tab.text(t, "#crisis-h"); !strings.HasPrefix(got, "Before you post") {
		t.Fatalf("a reply with %q shows the heading %q, want \"Before you post…\"; the page says:\n%s", phrase, got, tab.text(t, "main"))
	}
	if got := tab.text(t, "section.crisis"); !strings.Contains(got, "Your words have not been posted yet") {
		t.Errorf("the crisis resources read %q, want them to say the words are not posted yet", got)
	}
	if got := tab.text(t, "ol.posts"); strings.Contains(got, phrase) {
		t.Errorf("the topic already shows the reply before \"Post it anyway\":\n%s", got)
	}
	if f := tab.field(t, "Your message"); f.Value != replyBody {
		t.Errorf("the reply form holds %q after the crisis check, want the typed %q kept", f.Value, replyBody)
	}
	if n := len(tab.texts(t, "ol.posts article.post")); n != 5 {
		t.Errorf("before \"Post it anyway\" the topic shows %d posts, want 5", n)
	}

	tab.click(t, e2eButton("Post it anyway"))
	post := e2ePostAnchor(t, tab, topicID)
	if got := tab.text(t, "#"+post+" .prose"); got != replyBody {
		t.Errorf("after \"Post it anyway\" the reply reads %q, want %q", got, replyBody)
	}
	if got := tab.text(t, "section.crisis"); got != "" {
		t.Errorf("after posting, the crisis resources are still shown: %q", got)
	}
	if got := tab.text(t, "#"+post+" .concern"); got != "" {
		t.Errorf("the author sees their own post marked %q, want the mark shown to moderators only", got)
	}

	adm.visit(t, "/t/"+topicID)
	if got := adm.text(t, "#"+post+" .concern"); !strings.Contains(got, "Marked for moderator care") {
		t.Errorf("the admin sees the reply's mark as %q, want \"Marked for moderator care…\"", got)
	}
}

// e2eGroup is a group made through the admin page.
type e2eGroup struct {
	Name, Slug, Description, Rules string
	Private, AllowAnonymous        bool
}

// e2eCreateGroup fills in the admin page's "Create a group" form as an admin and ends on the
// new group's admin page.
func e2eCreateGroup(t *testing.T, tab *e2eTab, g e2eGroup) {
	t.Helper()
	tab.visit(t, "/admin")
	if got := tab.text(t, "h1"); got != "Site admin" {
		t.Fatalf("%s: /admin is titled %q, want \"Site admin\"", tab.name, got)
	}
	tab.typeInto(t, "Name", g.Name)
	tab.typeInto(t, "Address", g.Slug)
	tab.typeInto(t, "Description", g.Description)
	if g.Rules != "" {
		tab.typeInto(t, "Rules (Markdown)", g.Rules)
	}
	if g.Private {
		tab.press(t, `//label[starts-with(normalize-space(.), "Private:")]`)
	}
	if g.AllowAnonymous {
		tab.press(t, `//label[starts-with(normalize-space(.), "Members may post anonymously")]`)
	}
	got := e2eEval[struct {
		Private bool `json:"private"`
		Anon    bool `json:"anon"`
	}](t, tab, `({private: document.getElementById("f-vis-private").checked, anon: document.getElementById("f-allow_anonymous").checked})`)
	if got.Private != g.Private || got.Anon != g.AllowAnonymous {
		t.Fatalf("%s: the group form has private=%v, anonymous=%v after clicking their labels, want %v, %v",
			tab.name, got.Private, got.Anon, g.Private, g.AllowAnonymous)
	}
	tab.click(t, e2eButton("Create the group"))
	if p := tab.path(t); p != "/admin/groups/"+g.Slug {
		t.Fatalf("%s: creating the group %q ended on %s, want /admin/groups/%s; the page says:\n%s", tab.name, g.Name, p, g.Slug, tab.text(t, "main"))
	}
	if notice := tab.text(t, `[role="status"]`); !strings.Contains(notice, "was created") {
		t.Errorf("%s: after creating %q the notice reads %q, want \"…was created…\"", tab.name, g.Name, notice)
	}
}

// e2eLogIn logs in through the log-in page and checks that it worked.
func e2eLogIn(t *testing.T, tab *e2eTab, username, password string) {
	t.Helper()
	tab.visit(t, "/login")
	tab.typeInto(t, "Username", username)
	tab.typeInto(t, "Password", password)
	tab.click(t, "//main"+e2eButton("Log in"))
	if got := tab.text(t, "h1"); got != "Welcome back, "+username {
		t.Fatalf("%s: after logging in the page is titled %q (%s), want \"Welcome back, %s\"", tab.name, got, tab.path(t), username)
	}
}

var e2eTopicPath = regexp.MustCompile(`^/t/([0-9]+)$`)

// e2eTopicID is the ID of the topic the tab shows, failing the test if it shows none.
func e2eTopicID(t *testing.T, tab *e2eTab) string {
	t.Helper()
	p := tab.path(t)
	m := e2eTopicPath.FindStringSubmatch(p)
	if m == nil {
		t.Fatalf("%s: expected a topic page, but is on %s, which says:\n%s", tab.name, p, tab.text(t, "main"))
	}
	return m[1]
}

// e2ePostAnchor is the post the tab was just sent to (the "pID" of /t/TOPIC#pID, where a new
// post's link /p/ID leads), failing the test unless it is on the topic and the post is shown.
func e2ePostAnchor(t *testing.T, tab *e2eTab, topicID string) string {
	t.Helper()
	if id := e2eTopicID(t, tab); id != topicID {
		t.Fatalf("%s: expected to be on topic %s, but is on topic %s", tab.name, topicID, id)
	}
	hash := strings.TrimPrefix(e2eEval[string](t, tab, `location.hash`), "#")
	if !regexp.MustCompile(`^p[0-9]+$`).MatchString(hash) {
		t.Fatalf("%s: after posting the URL is %s, want it to end in #pID; the page says:\n%s", tab.name, tab.location(t), tab.text(t, "main"))
	}
	if !e2eEval[bool](t, tab, fmt.Sprintf(`!!document.querySelector("article.post#%s")`, hash)) {
		t.Fatalf("%s: the topic does not show the new post #%s", tab.name, hash)
	}
	return hash
}

// e2eFold is what a member can see of a post's content-warning fold.
type e2eFold struct {
	Found       bool   `json:"found"`
	Open        bool   `json:"open"`
	Summary     string `json:"summary"`
	Body        string `json:"body"`
	BodyVisible bool   `json:"bodyVisible"`
}

// e2eFoldOf describes the <details> of the post with this element id.
func e2eFoldOf(t *testing.T, tab *e2eTab, postID string) e2eFold {
	t.Helper()
	return e2eEval[e2eFold](t, tab, fmt.Sprintf(`(() => {
		const d = document.querySelector("#" + %s + " details");
		if (!d) return {found: false, open: false, summary: "", body: "", bodyVisible: false};
		const s = d.querySelector("summary"), b = d.querySelector(".prose");
		return {found: true, open: d.open, summary: s ? s.innerText.trim() : "", body: b ? b.innerText.trim() : "",
			bodyVisible: !!b && b.checkVisibility()};
	})()`, e2eJS(postID)))
}

// e2eReaction is the state of one reaction button.
type e2eReaction struct {
	Pressed string `json:"pressed"`
	Count   string `json:"count"`
}

func e2eReactionOf(t *testing.T, tab *e2eTab, postID, kind string) e2eReaction {
	t.Helper()
	return e2eEval[e2eReaction](t, tab, fmt.Sprintf(`(() => {
		const b = document.querySelector("#" + %s + ' form.reactions button[value="' + %s + '"]');
		if (!b) return {pressed: "(no button)", count: ""};
		const c = b.querySelector(".count");
		return {pressed: b.getAttribute("aria-pressed") || "", count: c ? c.textContent.trim() : ""};
	})()`, e2eJS(postID), e2eJS(kind)))
}

// e2eLinksTo reports whether the page's main content links to path (exactly, or with a query
// or fragment).
func e2eLinksTo(t *testing.T, tab *e2eTab, path string) bool {
	t.Helper()
	return e2eEval[bool](t, tab, fmt.Sprintf(`Array.from(document.querySelectorAll("main a[href]")).some(a => {
		const u = new URL(a.getAttribute("href"), location.href);
		return u.origin === location.origin && u.pathname === %s;
	})`, e2eJS(path)))
}

// e2eNotShown fails the test if the page's HTML (not only its visible text) contains s.
func e2eNotShown(t *testing.T, tab *e2eTab, s, where string) {
	t.Helper()
	html := e2eEval[string](t, tab, `document.documentElement.outerHTML`)
	if strings.Contains(html, s) {
		t.Errorf("%s: %s contains %q, which it must not show", tab.name, where, s)
	}
}

// outerHTML is the HTML of the first element matching the CSS selector, or "".
func (tb *e2eTab) outerHTML(t *testing.T, css string) string {
	t.Helper()
	return e2eEval[string](t, tb, fmt.Sprintf(`(document.querySelector(%s) || {}).outerHTML || ""`, e2eJS(css)))
}

// press clicks the element that the XPath expression finds when the click loads no page (a
// checkbox's label, a <summary>), then waits for the page to settle.
func (tb *e2eTab) press(t *testing.T, xpath string) {
	t.Helper()
	ctx, cancel := tb.step()
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.Search("("+xpath+")[1]")), chromedp.Evaluate[chromedp.Void](
		`new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r())))`, chromedp.EvalAwaitPromise)); err != nil {
		t.Fatalf("%s: clicking %s on %s: %v", tb.name, xpath, tb.location(t), err)
	}
}
