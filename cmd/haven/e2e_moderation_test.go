package main

// End-to-end test of moderation, driven through Chromium as members and moderators use it: a
// report of someone at risk, the review queue, hiding a post with a reason, the member's own page
// of actions on them, and their appeal. Every page shown is checked with axe-core by the helpers
// in e2e_helpers_test.go.

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestE2EChromiumModerationJourney: member A reports B's post as at-risk (after an older,
// ordinary spam report of C's post); the moderator sees it first in the queue, with the crisis
// resources and without A's name, and hides it with a reason; B still sees their text with the
// reason, A sees only the reason; B finds the action (without the moderator's or A's name) on
// their page of actions and appeals; the appeal reaches the queue. Last, on a 390 px phone, the
// moderation log (with a long reason in it) reflows: no sideways scrolling, one block per entry.
func TestE2EChromiumModerationJourney(t *testing.T) {
	t.Parallel()
	const (
		admin, adminPassword   = "haven_admin", "lighthouse keeper 42"
		moderator, modPassword = "maple_mod", "a maple in the autumn wind"
		memberA, passwordA     = "alder_a", "alders grow by the water"
		memberB, passwordB     = "birch_b", "white birch bark in winter"
		memberC, passwordC     = "cedar_c", "cedar smells of old chests"
		spamTitle              = "Cheap watches for everyone"
		spamBody               = "Buy discount watches at my shop, best prices, follow the link in my profile!"
		topicTitle             = "Giving things away"
		topicBody              = "This week I gave away my guitar and my books. Nothing feels worth keeping anymore."
		reportNote             = "This sounds like a goodbye; please check on them."
		hideReason             = "Hidden while we reach out to you privately; you are not in trouble."
		appealText             = "I am safer now and would like my friends to read this post again."
		atRiskLabel            = "I'm worried about this person"
		spamLabel              = "Spam or advertising"
		queueReasonLabel       = "Reason (goes into the log and to the member)"
		appealLabel            = "Why should it be looked at again?"
		appealSent             = "Your appeal was sent. A moderator who did not take the action will look at it."
		hiddenNotice           = "The post is hidden; its author sees why."
		crisisSummary          = "Crisis resources to share with people at risk"
		crisisDirectory        = "findahelpline.com" // crisis.International's directory
		atRiskBadge            = "Someone may be at risk"
		actionOnMeCSS          = "main ul.mod-actions-on-me > li"
		longReason             = "Advertising is not allowed in support groups; see https://haven.example/guidelines?section=AdvertisingAndSelfPromotionInPeerSupportGroupsWithLinksToShopsAndProfiles and please write to the moderators of Evening Peer Support if you think this was a mistake."
		atRiskItemXPath        = `//main//section[contains(concat(" ", normalize-space(@class), " "), " queue-item ")][contains(concat(" ", normalize-space(@class), " "), " at-risk ")]`
	)
	app := startE2EApp(t,
		e2eAccount{Username: admin, Password: adminPassword, Role: "admin"},
		e2eAccount{Username: moderator, Password: modPassword, Role: "member"},
		e2eAccount{Username: memberA, Password: passwordA, Role: "member"},
		e2eAccount{Username: memberB, Password: passwordB, Role: "member"},
		e2eAccount{Username: memberC, Password: passwordC, Role: "member"},
	)
	browser := startE2EBrowser(t)
	group := e2eGroup{Name: "Evening Peer Support", Slug: "evening-peer-support", Description: "Talk through the day with others."}

	// The admin makes a public group and appoints the moderator.
	adm := newE2ETab(t, browser, app, "admin")
	e2eLogIn(t, adm, admin, adminPassword)
	e2eCreateGroup(t, adm, group)
	adm.typeInto(t, "Appoint a moderator (username)", moderator)
	adm.click(t, e2eButton("Appoint"))
	if notice := adm.text(t, `[role="status"]`); notice != "Moderators updated." {
		t.Fatalf("after appointing %s the notice reads %q, want \"Moderators updated.\"; the page says:\n%s", moderator, notice, adm.text(t, "main"))
	}

	// C posts spam; B posts a worrying topic; A joins.
	c := newE2ETab(t, browser, app, memberC)
	e2eLogIn(t, c, memberC, passwordC)
	spamTopic, spamPost := modE2EJoinAndPost(t, c, group.Slug, spamTitle, spamBody)

	b := newE2ETab(t, browser, app, memberB)
	e2eLogIn(t, b, memberB, passwordB)
	topicID, post := modE2EJoinAndPost(t, b, group.Slug, topicTitle, topicBody)
	postID := strings.TrimPrefix(post, "p")

	a := newE2ETab(t, browser, app, memberA)
	e2eLogIn(t, a, memberA, passwordA)
	a.visit(t, "/g/"+group.Slug)
	a.click(t, e2eButton("Join this group"))

	// First an ordinary report, so that the at-risk one is the newer of the two.
	a.visit(t, "/t/"+spamTopic)
	modE2EReport(t, a, spamPost, spamLabel, "")
	if id := e2eTopicID(t, a); id != spamTopic {
		t.Errorf("after reporting, %s is on topic %s, want back on %s", memberA, id, spamTopic)
	}

	// A reports B's post as at-risk, with a note.
	a.visit(t, "/t/"+topicID)
	modE2EReport(t, a, post, atRiskLabel, reportNote)
	if id := e2eTopicID(t, a); id != topicID {
		t.Errorf("after reporting, %s is on topic %s, want back on %s", memberA, id, topicID)
	}
	if t.Failed() {
		return
	}

	// The moderator sees the at-risk report first, with the crisis resources.
	mod := newE2ETab(t, browser, app, moderator)
	e2eLogIn(t, mod, moderator, modPassword)
	// The header takes the moderator to the queue, saying what waits there (at risk first).
	mod.visit(t, "/groups")
	if got := e2eEval[string](t, mod, `(document.querySelector("header.site a[href='/mod']") || {ariaLabel: ""}).ariaLabel`); got != "Moderation, 1 at risk, 2 waiting" {
		t.Errorf("the header's link to the queue is named %q, want \"Moderation, 1 at risk, 2 waiting\"", got)
	}
	mod.click(t, `//header//a[@href="/mod"]`)
	if got := mod.text(t, "h1"); got != "Review queue" {
		t.Fatalf("/mod is titled %q for the group's moderator, want \"Review queue\"; it says:\n%s", got, mod.text(t, "main"))
	}
	items := modE2EQueue(t, mod)
	if len(items) != 2 {
		t.Fatalf("the queue shows %d items, want 2 (the spam report and the at-risk report):\n%+v", len(items), items)
	}
	if got := mod.text(t, "main h1 + p"); !strings.HasPrefix(got, "2 waiting.") {
		t.Errorf("the queue's summary reads %q, want \"2 waiting. …\"", got)
	}
	first := items[0]
	if !first.AtRisk {
		t.Errorf("the first queue item is not marked at-risk (class %q); the at-risk report must come first, before the older spam report. The items:\n%+v", first.Class, items)
	}
	if !strings.Contains(first.Heading, atRiskBadge) {
		t.Errorf("the first queue item's heading reads %q, want the badge %q", first.Heading, atRiskBadge)
	}
	// The crisis resources are shown once, above the items, not repeated in each.
	if got := mod.text(t, "main > section.crisis"); !strings.HasPrefix(got, crisisSummary) || !strings.Contains(got, crisisDirectory) {
		t.Errorf("the queue's crisis resources read %q, want %q with the help-line directory %q above the items", got, crisisSummary, crisisDirectory)
	}
	if first.Crisis != "" {
		t.Errorf("the at-risk item repeats the crisis resources: %q", first.Crisis)
	}
	if !first.ShowsPost(postID) || !strings.Contains(first.Text, topicBody) {
		t.Errorf("the at-risk item does not show %s's post /p/%s and its text; it reads:\n%s", memberB, postID, first.Text)
	}
	if !strings.Contains(first.Text, atRiskLabel) || !strings.Contains(first.Text, reportNote) {
		t.Errorf("the at-risk item does not show the reason %q and the note %q; it reads:\n%s", atRiskLabel, reportNote, first.Text)
	}
	for _, button := range []string{"Dismiss", "Hide the post", "Delete the post", "Send to the site admins"} {
		if !e2eExists(t, mod, atRiskItemXPath+e2eButton(button)) {
			t.Errorf("the at-risk item has no %q button", button)
		}
	}
	if second := items[1]; second.AtRisk || second.Crisis != "" || !strings.Contains(second.Text, spamLabel) || !second.ShowsPost(strings.TrimPrefix(spamPost, "p")) {
		t.Errorf("the second queue item should be the ordinary report of %s's post /p/%s (%q, not at-risk, no crisis resources); it is %+v",
			memberC, strings.TrimPrefix(spamPost, "p"), spamLabel, second)
	}
	modE2ENotNamed(t, mod, memberA, "the review queue (the reporter)")

	// The moderator hides B's post with a reason.
	modE2ETypeIn(t, mod, atRiskItemXPath, queueReasonLabel, hideReason)
	mod.click(t, atRiskItemXPath+e2eButton("Hide the post"))
	if p := mod.path(t); p != "/mod" {
		t.Errorf("after \"Hide the post\" the moderator is on %s, want /mod", p)
	}
	if notice := mod.text(t, `[role="status"]`); notice != hiddenNotice {
		t.Errorf("after \"Hide the post\" the notice reads %q, want %q; the page says:\n%s", notice, hiddenNotice, mod.text(t, "main"))
	}
	if items := modE2EQueue(t, mod); len(items) != 1 || items[0].AtRisk || !strings.Contains(items[0].Text, spamLabel) {
		t.Errorf("after hiding the post the queue should hold only the spam report; it holds:\n%+v", items)
	}

	// The log records it.
	mod.visit(t, "/mod/log")
	if got := mod.text(t, "h1"); got != "Moderation log" {
		t.Errorf("/mod/log is titled %q, want \"Moderation log\"", got)
	}
	if row := mod.text(t, "main table.log tbody tr"); !strings.Contains(row, hideReason) || !strings.Contains(row, moderator) {
		t.Errorf("the newest line of the moderation log reads %q, want the hiding by %s with the reason %q", row, moderator, hideReason)
	}

	// B sees the reason and still their own text; A sees only that it was hidden.
	wantNote := "Hidden by moderators: " + hideReason
	b.visit(t, "/t/"+topicID)
	if got := b.text(t, "#"+post+" .hidden-note"); got != wantNote {
		t.Errorf("%s sees the note on their hidden post as %q, want %q", memberB, got, wantNote)
	}
	if got := b.text(t, "#"+post+" .prose"); got != topicBody {
		t.Errorf("%s sees their own hidden post's text as %q, want %q", memberB, got, topicBody)
	}
	a.visit(t, "/t/"+topicID)
	if got := a.text(t, "#"+post+" .hidden-note"); got != "Hidden by moderators." {
		t.Errorf("%s sees the note on %s's hidden post as %q, want \"Hidden by moderators.\" without the reason", memberA, memberB, got)
	}
	e2eNotShown(t, a, topicBody, "the topic with the hidden post")
	modE2ENotNamed(t, a, moderator, "the topic with the hidden post")

	// B finds the action on their page, without who took it or who reported, and appeals.
	b.visit(t, "/account/moderation")
	if got := b.text(t, "h1"); got != "Moderation of your posts and account" {
		t.Fatalf("/account/moderation is titled %q, want \"Moderation of your posts and account\"; it says:\n%s", got, b.text(t, "main"))
	}
	actions := b.texts(t, actionOnMeCSS)
	if len(actions) != 1 {
		t.Fatalf("%s's page of actions lists %d actions, want 1 (the hiding):\n%q", memberB, len(actions), actions)
	}
	if want := "A moderator hid your post in " + group.Name; !strings.Contains(actions[0], want) || !strings.Contains(actions[0], "Reason: "+hideReason) {
		t.Errorf("%s's action reads %q, want %q and \"Reason: %s\"", memberB, actions[0], want, hideReason)
	}
	if href := e2eEval[string](t, b, `(document.querySelector("main ul.mod-actions-on-me > li a") || {}).href || ""`); href != app.URL+"/p/"+postID {
		t.Errorf("%s's action links to %q, want the post %s/p/%s", memberB, href, app.URL, postID)
	}
	modE2ENotNamed(t, b, moderator, "the member's page of actions on them (the moderator)")
	modE2ENotNamed(t, b, memberA, "the member's page of actions on them (the reporter)")
	modE2ENotNamed(t, b, admin, "the member's page of actions on them")

	b.press(t, `//main//ul[contains(@class, "mod-actions-on-me")]/li//details/summary[normalize-space(.) = "Appeal"]`)
	checkA11y(t, b.ctx) // with the appeal form open
	b.typeInto(t, appealLabel, appealText)
	b.click(t, e2eButton("Send the appeal"))
	if p := b.path(t); p != "/account/moderation" {
		t.Errorf("after sending the appeal %s is on %s, want /account/moderation", memberB, p)
	}
	if notice := b.text(t, `[role="status"]`); notice != appealSent {
		t.Errorf("after sending the appeal the notice reads %q, want %q; the page says:\n%s", notice, appealSent, b.text(t, "main"))
	}
	if got := b.texts(t, actionOnMeCSS); len(got) != 1 || !strings.Contains(got[0], "You appealed this action.") {
		t.Errorf("after appealing, the action reads %q, want it to say \"You appealed this action.\"", got)
	}
	if e2eExists(t, b, e2eButton("Send the appeal")) {
		t.Errorf("after appealing, the page still offers \"Send the appeal\"; each action can be appealed once")
	}

	// The appeal never reaches the moderator who took the action; it reaches the admin.
	mod.visit(t, "/mod")
	for _, it := range modE2EQueue(t, mod) {
		if strings.HasPrefix(it.Heading, "Appeal in ") {
			t.Errorf("%s sees the appeal of their own action: %+v", mod.name, it)
		}
	}
	for _, tab := range []*e2eTab{adm} {
		tab.visit(t, "/mod")
		items := modE2EQueue(t, tab)
		var appeal *modE2EItem
		for i := range items {
			if strings.HasPrefix(items[i].Heading, "Appeal in "+group.Name) {
				appeal = &items[i]
			}
		}
		if appeal == nil {
			t.Errorf("%s: the queue shows no \"Appeal in %s\" item after %s appealed; it holds:\n%+v", tab.name, group.Name, memberB, items)
			continue
		}
		if appeal.Quote != appealText {
			t.Errorf("%s: the appeal item quotes %q, want %s's appeal %q", tab.name, appeal.Quote, memberB, appealText)
		}
		if !appeal.ShowsPost(postID) || !strings.Contains(appeal.Text, memberB) {
			t.Errorf("%s: the appeal item does not show %s's post /p/%s and name them; it reads:\n%s", tab.name, memberB, postID, appeal.Text)
		}
		if !strings.Contains(appeal.Text, "Appeal of:") || !strings.Contains(appeal.Text, hideReason) {
			t.Errorf("%s: the appeal item does not say which action it appeals; it reads:\n%s", tab.name, appeal.Text)
		}
		if !strings.Contains(appeal.History, hideReason) {
			t.Errorf("%s: the appeal item's earlier actions on %s read %q, want the hiding with its reason %q", tab.name, memberB, appeal.History, hideReason)
		}
		if appeal.AtRisk {
			t.Errorf("%s: the appeal item is marked at-risk", tab.name)
		}
		modE2ENotNamed(t, tab, memberA, "the review queue with the appeal (the reporter)")
	}

	// The moderator locks the spam topic, then hides the spam with a long reason (an unbroken
	// address in it); on a 390 px phone the log reflows with no sideways scrolling (WCAG 1.4.10).
	mod.visit(t, "/t/"+spamTopic)
	mod.press(t, `//main//details/summary[normalize-space(.) = "Moderate this topic"]`)
	mod.typeInto(t, "Reason (for the log)", "Closed: advertising.")
	mod.click(t, e2eButton("Lock"))
	mod.visit(t, "/mod")
	spamItemXPath := fmt.Sprintf(`//main//section[contains(concat(" ", normalize-space(@class), " "), " queue-item ")][.//a[@href=%s]]`,
		e2eXPathString("/p/"+strings.TrimPrefix(spamPost, "p")))
	modE2ETypeIn(t, mod, spamItemXPath, queueReasonLabel, longReason)
	mod.click(t, spamItemXPath+e2eButton("Hide the post"))
	if notice := mod.text(t, `[role="status"]`); notice != hiddenNotice {
		t.Errorf("after hiding the spam the notice reads %q, want %q; the page says:\n%s", notice, hiddenNotice, mod.text(t, "main"))
	}
	e2ePhone(t, mod)
	mod.visit(t, "/mod/log")
	type logLayout struct {
		Rows, Screen, Page int
		LongShown          bool
		Wider              []string // cells reaching past the screen's right edge
		Narrow             []string // cells squeezed into a column, words broken mid-letter
	}
	got := e2eEval[logLayout](t, mod, `(() => {
		const cells = Array.from(document.querySelectorAll("main table.log tbody td"));
		const full = (document.querySelector("main table.log") || document.body).getBoundingClientRect().width;
		return {Rows: document.querySelectorAll("main table.log tbody tr").length, Screen: window.innerWidth,
			Page: document.documentElement.scrollWidth,
			LongShown: cells.some(c => c.textContent.includes(`+e2eJS(longReason)+`)),
			Wider: cells.filter(c => c.getBoundingClientRect().right > window.innerWidth).map(c => c.dataset.label + ": " + c.textContent),
			Narrow: cells.filter(c => c.getBoundingClientRect().width < 0.9 * full).map(c => c.dataset.label + ": " + c.textContent)};
	})()`)
	// A phone browser zooms a page out to fit what overflows, so a wider inner width is sideways overflow too.
	if got.Screen != 390 || got.Page > got.Screen || len(got.Wider) > 0 {
		t.Errorf("on a 390 px phone the moderation log needs %d px (window %d px wide): it does not reflow, so the reader scrolls sideways or the text shrinks; cells past the edge: %q",
			got.Page, got.Screen, got.Wider)
	}
	// Each entry reads as a block, one line per column, not six squeezed columns.
	if len(got.Narrow) > 0 {
		t.Errorf("on a 390 px phone the moderation log squeezes its entries into columns narrower than the log: %q", got.Narrow)
	}
	if got.Rows < 3 || !got.LongShown {
		t.Errorf("the moderation log on the phone shows %d entries (want at least 3: both hidings and the lock), the long reason shown: %v", got.Rows, got.LongShown)
	}
}

// modE2EJoinAndPost joins the group as the tab's member and starts a topic; it returns the
// topic's ID and its first post's element id ("pID").
func modE2EJoinAndPost(t *testing.T, tab *e2eTab, slug, title, body string) (topicID, post string) {
	t.Helper()
	tab.visit(t, "/g/"+slug)
	tab.click(t, e2eButton("Join this group"))
	tab.click(t, e2eLink("//main", "Start a topic"))
	tab.typeInto(t, "Title", title)
	tab.typeInto(t, "Your message", body)
	tab.click(t, e2eButton("Post the topic"))
	topicID = e2eTopicID(t, tab)
	if got := tab.text(t, "h1"); got != title {
		t.Fatalf("%s: the new topic's page is titled %q, want %q; it says:\n%s", tab.name, got, title, tab.text(t, "main"))
	}
	post = e2eEval[string](t, tab, `(document.querySelector("article.post") || {}).id || ""`)
	if post == "" {
		t.Fatalf("%s: the new topic's page shows no post", tab.name)
	}
	return topicID, post
}

// modE2EReport follows the "Report" link of the post (element id "pID") on the topic the tab
// shows, chooses the reason by its label, adds the note if any, and sends the report.
func modE2EReport(t *testing.T, tab *e2eTab, post, reason, note string) {
	t.Helper()
	tab.click(t, fmt.Sprintf(`//article[@id=%s]%s`, e2eXPathString(post), e2eLink("", "Report")))
	if p, want := tab.path(t), "/p/"+strings.TrimPrefix(post, "p")+"/report"; p != want {
		t.Fatalf("%s: the post's \"Report\" link led to %s, want %s", tab.name, p, want)
	}
	if got := tab.text(t, "h1"); got != "Report a post" {
		t.Fatalf("%s: the report form is titled %q, want \"Report a post\"", tab.name, got)
	}
	tab.press(t, fmt.Sprintf(`//main//label[normalize-space(.) = %s]`, e2eXPathString(reason)))
	checked := e2eEval[string](t, tab, `(document.querySelector('input[name="reason"]:checked') || {}).id || ""`)
	label := e2eEval[string](t, tab, fmt.Sprintf(`(document.querySelector('label[for=' + JSON.stringify(%s) + ']') || {textContent: ""}).textContent.trim()`, e2eJS(checked)))
	if label != reason {
		t.Fatalf("%s: after clicking the label %q the checked reason is %q (%q)", tab.name, reason, checked, label)
	}
	if note != "" {
		tab.typeInto(t, "Anything the moderators should know (optional)", note)
	}
	tab.click(t, e2eButton("Send the report"))
	// Back at the post, with the thanks beside it and in view, not at the top of the thread.
	if notice := tab.text(t, `article.post .notice[role="status"]`); notice != "Thank you for reporting this post. The moderators will look at it; the member will not learn who reported them." {
		t.Errorf("%s: after sending the report the notice beside the post reads %q; the page says:\n%s", tab.name, notice, tab.text(t, "main"))
	}
	if inView := e2eEval[bool](t, tab, `(() => { const n = document.querySelector("article.post .notice"); if (!n) return false;
		const r = n.getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight; })()`); !inView {
		t.Errorf("%s: after sending the report the thanks are not in view", tab.name)
	}
}

// modE2EItem is what a moderator sees of one queue item.
type modE2EItem struct {
	Class   string   `json:"class"`
	AtRisk  bool     `json:"atRisk"`
	Heading string   `json:"heading"`
	Text    string   `json:"text"`
	Quote   string   `json:"quote"`
	History string   `json:"history"` // the text of "Earlier actions…", folded or not
	Crisis  string   `json:"crisis"`
	Links   []string `json:"links"`
}

// ShowsPost reports whether the item links to the post /p/ID.
func (it modE2EItem) ShowsPost(id string) bool {
	for _, l := range it.Links {
		if l == "/p/"+id {
			return true
		}
	}
	return false
}

// modE2EQueue lists the queue items of /mod in the order the page shows them.
func modE2EQueue(t *testing.T, tab *e2eTab) []modE2EItem {
	t.Helper()
	return e2eEval[[]modE2EItem](t, tab, `Array.from(document.querySelectorAll("main section.queue-item"), s => {
		const h = s.querySelector("h2"), q = s.querySelector(":scope > blockquote"), d = s.querySelector(".crisis");
		const past = Array.from(s.querySelectorAll("details")).find(x => (x.querySelector("summary") || {textContent: ""}).textContent.trim().startsWith("Earlier actions"));
		return {
			class: s.className, atRisk: s.classList.contains("at-risk"),
			heading: h ? h.innerText.trim() : "", text: s.innerText, quote: q ? q.innerText.trim() : "",
			history: past ? past.textContent.replace(/\s+/g, " ").trim() : "",
			crisis: d ? d.innerText.trim() : "",
			links: Array.from(s.querySelectorAll("a[href]"), a => new URL(a.getAttribute("href"), location.href).pathname),
		};
	})`)
}

// modE2ETypeIn types text into the field labelled label inside the element that within (an
// XPath) finds, for pages where several items have a field with the same label. As with
// typeInto, finding the field by its label also checks that the label is tied to it.
func modE2ETypeIn(t *testing.T, tab *e2eTab, within, label, text string) {
	t.Helper()
	ctx, cancel := tab.step()
	defer cancel()
	xpath := fmt.Sprintf(`(%s//*[self::input or self::textarea][@id = //label[normalize-space(.) = %s]/@for])[1]`, within, e2eXPathString(label))
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.Search(xpath), text)); err != nil {
		t.Fatalf("%s: typing into the field labelled %q in %s on %s: %v", tab.name, label, within, tab.location(t), err)
	}
}

// modE2ENotNamed fails the test if the page's HTML names the member anywhere.
func modE2ENotNamed(t *testing.T, tab *e2eTab, username, where string) {
	t.Helper()
	html := strings.ToLower(e2eEval[string](t, tab, `document.documentElement.outerHTML`))
	if i := strings.Index(html, strings.ToLower(username)); i >= 0 {
		t.Errorf("%s: %s names %s, near: %q", tab.name, where, username, html[max(0, i-150):min(len(html), i+100)])
	}
}
