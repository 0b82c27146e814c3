package main

// End-to-end test of the privacy dashboard, driven through Chromium as a member uses it: the
// reading-history switch, the activity record, deleting and erasing it, the export, and Global
// Privacy Control. Every page shown is checked with axe-core by the helpers in
// e2e_helpers_test.go.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// TestE2EChromiumPrivacyJourney: a member who signed up through the UI finds every switch off,
// switches reading history on, sees the topic they open listed, deletes it; switches it off and
// on again, opens two topics, erases everything; the export then holds no activity. On a
// second device whose browser sends Global Privacy Control, opening a topic records nothing,
// although the switch is on.
func TestE2EChromiumPrivacyJourney(t *testing.T) {
	t.Parallel()
	const (
		admin, adminPassword = "haven_admin", "lighthouse keeper 42"
		member, password     = "quiet_reader", "reading by the window"
		history              = "reading_history" // privacy.ReadingHistory
	)
	app := startE2EApp(t, e2eAccount{Username: admin, Password: adminPassword, Role: "admin"})
	browser := startE2EBrowser(t)
	group := e2eGroup{Name: "Slow Mornings", Slug: "slow-mornings", Description: "For mornings that take their time."}
	titles := []string{"Tea before anything else", "A walk around the block", "Letters I never sent"}

	// The admin makes a public group and starts three topics in it.
	adm := newE2ETab(t, browser, app, "admin")
	e2eLogIn(t, adm, admin, adminPassword)
	e2eCreateGroup(t, adm, group)
	adm.visit(t, "/g/"+group.Slug)
	adm.click(t, e2eButton("Join this group"))
	var topics []string
	for _, title := range titles {
		topics = append(topics, e2eStartTopic(t, adm, group.Slug, title))
	}
	topicA, topicB, topicC := topics[0], topics[1], topics[2]

	// The member signs up, passes the welcome screen without choosing, and joins the group.
	tab := newE2ETab(t, browser, app, member)
	e2eSignUp(t, tab, member, password)
	tab.visit(t, "/g/"+group.Slug)
	tab.click(t, e2eButton("Join this group"))

	step1 := t.Run("switch on, open a topic, delete it from the record", func(t *testing.T) {
		tab.visit(t, "/privacy")
		if got := tab.text(t, "h1"); got != "Your privacy" {
			t.Fatalf("/privacy is titled %q for a member, want \"Your privacy\"; it says:\n%s", got, tab.text(t, "main"))
		}
		states := e2eSwitchStates(t, tab)
		if _, ok := states[history]; !ok {
			t.Fatalf("the dashboard has no card #purpose-%s; its switches: %v", history, states)
		}
		for key, state := range states {
			if state != "Off." {
				t.Errorf("a new member's switch %q reads %q, want \"Off.\" (nothing is on until the member says yes)", key, state)
			}
		}
		if e2eGPCNoticeShown(t, tab) {
			t.Errorf("the dashboard shows the Global Privacy Control notice to a browser that sends no Sec-GPC")
		}
		if n := e2eRecordCount(t, tab); n != 0 {
			t.Errorf("a new member's dashboard counts %d items in the record, want 0", n)
		}

		e2eSwitch(t, tab, history, "Reading history", true)
		tab.visit(t, "/g/"+group.Slug)
		tab.click(t, e2eLink("//main", titles[0]))
		if id := e2eTopicID(t, tab); id != topicA {
			t.Fatalf("the link %q led to topic %s, want %s", titles[0], id, topicA)
		}

		tab.visit(t, "/privacy")
		if n := e2eRecordCount(t, tab); n != 1 {
			t.Errorf("after opening one topic (and its group's page) the dashboard counts %d items, want 1", n)
		}
		tab.click(t, e2eLink("//main", "See, filter and delete them"))
		if p := tab.path(t); p != "/privacy/activity" {
			t.Fatalf("\"See, filter and delete them\" led to %s, want /privacy/activity", p)
		}
		if got := e2eActivity(t, tab); !slices.Equal(got, titles[:1]) {
			t.Fatalf("/privacy/activity lists %q, want only the opened topic %q", got, titles[0])
		}

		tab.click(t, e2eActivityDelete(titles[0]))
		if p := tab.path(t); p != "/privacy/activity" {
			t.Errorf("after \"Delete this item\" the member is on %s, want /privacy/activity", p)
		}
		if notice := tab.text(t, `p.notice[role="status"]`); notice != "Deleted from your record." {
			t.Errorf("after \"Delete this item\" the notice reads %q, want \"Deleted from your record.\"", notice)
		}
		if got := e2eActivity(t, tab); len(got) != 0 {
			t.Errorf("after deleting the only item /privacy/activity lists %q, want nothing", got)
		}
		// Where the member stopped reading that topic is part of the record too, deleted on its own.
		if got := tab.text(t, `section[aria-labelledby="positions-h"]`); !strings.Contains(got, titles[0]) {
			t.Errorf("/privacy/activity does not list the read position in %q; it reads %q", titles[0], got)
		}
		tab.click(t, fmt.Sprintf(`//section[@aria-labelledby="positions-h"]//button[@aria-label=%s]`,
			e2eXPathString("Delete where you stopped reading “"+titles[0]+"”")))
		if main := tab.text(t, "main"); !strings.Contains(main, "Nothing is recorded.") {
			t.Errorf("the empty /privacy/activity does not say \"Nothing is recorded.\":\n%s", main)
		}
	})
	if !step1 {
		return
	}

	step2 := t.Run("switch off and on, open two topics, erase everything", func(t *testing.T) {
		tab.visit(t, "/privacy")
		e2eSwitch(t, tab, history, "Reading history", false)
		erase := fmt.Sprintf(`//div[@id="purpose-%s"]%s`, history, e2eButton("Also erase what it recorded…"))
		if !e2eExists(t, tab, erase) {
			t.Errorf("after switching off %q its card offers no \"Also erase what it recorded\"; it reads:\n%s", "Reading history", tab.text(t, "#purpose-"+history))
		}
		e2eSwitch(t, tab, history, "Reading history", true)
		if e2eExists(t, tab, erase) {
			t.Errorf("after switching %q on again its card still offers \"Also erase what it recorded\"", "Reading history")
		}

		tab.visit(t, "/t/"+topicA)
		tab.visit(t, "/t/"+topicB)
		tab.visit(t, "/privacy/activity")
		if got, want := e2eActivity(t, tab), []string{titles[1], titles[0]}; !slices.Equal(got, want) {
			t.Fatalf("after opening two topics /privacy/activity lists %q, want %q (newest first)", got, want)
		}

		tab.visit(t, "/privacy")
		if n := e2eRecordCount(t, tab); n != 2 {
			t.Errorf("the dashboard counts %d items in the record, want 2", n)
		}
		if inferred := tab.text(t, `section[aria-labelledby="inferred-h"]`); !strings.Contains(inferred, group.Name) {
			t.Errorf("with two topics of %q in the record, \"What we inferred\" reads %q, want the interest shown with its source", group.Name, inferred)
		}
		var opened []json.RawMessage
		if err := json.Unmarshal(e2eExport(t, tab)["activity"], &opened); err != nil || len(opened) != 2 {
			t.Errorf("before erasing, the export's \"activity\" holds %d items (%v), want the 2 opened topics", len(opened), err)
		}
		tab.click(t, e2eButton("Erase everything recorded and inferred…"))
		// One click never erases: the confirmation says exactly what will go.
		if p := tab.path(t); p != "/privacy/erase" {
			t.Errorf("the erase button led to %s, want the confirmation /privacy/erase", p)
		}
		if got := tab.text(t, "main ul.erase-kinds"); !strings.Contains(got, "2 topics you opened") || !strings.Contains(got, "1 group inferred from them as your interest") ||
			!strings.Contains(got, "2 read positions (where you stopped reading each topic)") {
			t.Errorf("the erase confirmation lists %q, want 2 topics opened, their 2 read positions and 1 inferred interest", got)
		}
		tab.click(t, e2eButton("Yes, erase 5 items"))
		if p := tab.path(t); p != "/privacy" {
			t.Errorf("after erasing the member is on %s, want /privacy", p)
		}
		if notice := tab.text(t, `p.notice[role="status"]`); !strings.HasPrefix(notice, "Erased") || !strings.Contains(notice, "4 recorded items") {
			t.Errorf("after erasing the notice reads %q, want \"Erased: 4 recorded items…\" (2 opens, 2 read positions)", notice)
		}
		if n := e2eRecordCount(t, tab); n != 0 {
			t.Errorf("after erasing the dashboard counts %d items, want 0", n)
		}
		if inferred := tab.text(t, `section[aria-labelledby="inferred-h"]`); !strings.Contains(inferred, "Nothing is inferred about you.") {
			t.Errorf("after erasing \"What we inferred\" reads %q, want \"Nothing is inferred about you.\"", inferred)
		}
		tab.visit(t, "/privacy/activity")
		if got := e2eActivity(t, tab); len(got) != 0 {
			t.Errorf("after erasing /privacy/activity lists %q, want nothing", got)
		}
	})
	if !step2 {
		return
	}

	t.Run("export", func(t *testing.T) {
		tab.visit(t, "/privacy")
		if href := e2eEval[string](t, tab, `(Array.from(document.querySelectorAll("main a")).find(a => a.textContent.trim() === "download it as one JSON file") || {}).href || ""`); href != app.URL+"/privacy/export" {
			t.Errorf("the dashboard's \"download it as one JSON file\" links to %q, want %s/privacy/export", href, app.URL)
		}
		doc := e2eExport(t, tab)
		if activity, ok := doc["activity"]; !ok || !bytes.Equal(e2eCompactJSON(t, activity), []byte("[]")) {
			t.Errorf("after erasing, the export's \"activity\" is %s (present: %v), want an empty array []", activity, ok)
		}
		consents, ok := doc["consents"]
		switch string(e2eCompactJSON(t, consents)) {
		case "", "null", "[]", "{}":
			t.Errorf("the export's \"consents\" is %s (present: %v), want the member's consents (current switches and their history)", consents, ok)
		}
	})

	t.Run("global privacy control", func(t *testing.T) {
		gpc := newE2ETab(t, browser, app, "GPC browser")
		e2eSendGPC(t, gpc)

		// The policy is public.
		resp := gpc.visit(t, "/privacy/policy")
		if resp == nil || resp.Status != http.StatusOK {
			t.Errorf("GET /privacy/policy signed out answered %v, want 200", e2eStatus(resp))
		}
		if h1 := gpc.text(t, "h1"); !strings.Contains(strings.ToLower(h1), "privacy") {
			t.Errorf("/privacy/policy is titled %q, want a privacy heading", h1)
		}

		e2eLogIn(t, gpc, member, password)
		gpc.visit(t, "/privacy")
		if !e2eGPCNoticeShown(t, gpc) {
			t.Errorf("with Sec-GPC: 1 the dashboard shows no Global Privacy Control notice; it says:\n%s", gpc.text(t, "main"))
		}
		if state := e2eSwitchStates(t, gpc)[history]; state != "On." {
			t.Logf("reading history reads %q on the GPC device; switching it on", state)
			e2eSwitch(t, gpc, history, "Reading history", true)
		}

		gpc.visit(t, "/t/"+topicC)
		if got := gpc.text(t, "h1"); got != titles[2] {
			t.Fatalf("the GPC device opened /t/%s and sees a page titled %q, want %q", topicC, got, titles[2])
		}
		gpc.visit(t, "/privacy")
		if n := e2eRecordCount(t, gpc); n != 0 {
			t.Errorf("after opening a topic with Global Privacy Control the dashboard counts %d items, want 0", n)
		}
		gpc.visit(t, "/privacy/activity")
		if got := e2eActivity(t, gpc); len(got) != 0 {
			t.Errorf("after opening a topic with Global Privacy Control /privacy/activity lists %q, want nothing", got)
		}

		// The same open without GPC is recorded: the switch is on, so only GPC kept the record empty.
		tab.visit(t, "/t/"+topicC)
		tab.visit(t, "/privacy/activity")
		if got := e2eActivity(t, tab); !slices.Equal(got, titles[2:]) {
			t.Errorf("opening the topic without Global Privacy Control lists %q, want %q; the GPC check above proves nothing", got, titles[2:])
		}
	})
}

// e2eSignUp signs up through the sign-up page, passes the recovery codes, and skips the welcome
// screen's privacy choices if there is one (checking that none is ticked in advance).
func e2eSignUp(t *testing.T, tab *e2eTab, username, password string) {
	t.Helper()
	tab.visit(t, "/signup")
	tab.typeInto(t, "Username", username)
	tab.typeInto(t, "Password", password)
	tab.typeInto(t, "Password again", password)
	tab.click(t, e2eButton("Create my account"))
	if got := tab.text(t, "h1"); got != "Your recovery codes" {
		t.Fatalf("after signing up the page is titled %q, want \"Your recovery codes\"; it says:\n%s", got, tab.text(t, "main"))
	}
	tab.click(t, e2eLink("//main", "I have saved my codes"))
	if p := tab.path(t); p != "/welcome" {
		t.Logf("no welcome screen yet: \"I have saved my codes\" ended on %s (%q); its checks are skipped", p, tab.text(t, "h1"))
		return
	}
	boxes := e2eEval[[]bool](t, tab, `Array.from(document.querySelectorAll('main input[type="checkbox"]'), b => b.checked)`)
	if len(boxes) == 0 {
		t.Errorf("the welcome screen has no checkboxes for the purposes; it says:\n%s", tab.text(t, "main"))
	}
	if slices.Contains(boxes, true) {
		t.Errorf("the welcome screen ticks %v in advance, want every purpose unticked until the member ticks it", boxes)
	}
	tab.click(t, `//main//*[(self::button or self::a) and starts-with(normalize-space(.), "Skip")]`)
	if notice := tab.text(t, `p.notice[role="status"]`); !strings.Contains(notice, "nothing is recorded") {
		t.Errorf("after skipping the welcome screen the notice reads %q, want it to say nothing is recorded", notice)
	}
}

// e2eStartTopic starts a topic in the group and returns its ID.
func e2eStartTopic(t *testing.T, tab *e2eTab, slug, title string) string {
	t.Helper()
	tab.visit(t, "/g/"+slug+"/new")
	tab.typeInto(t, "Title", title)
	tab.typeInto(t, "Your message", "Some thoughts about "+strings.ToLower(title)+".")
	tab.click(t, e2eButton("Post the topic"))
	id := e2eTopicID(t, tab)
	if got := tab.text(t, "h1"); got != title {
		t.Fatalf("%s: the new topic's page is titled %q, want %q", tab.name, got, title)
	}
	return id
}

// e2eSwitchStates maps each purpose's key to the state its card reads, e.g. "On." or "Off.".
func e2eSwitchStates(t *testing.T, tab *e2eTab) map[string]string {
	t.Helper()
	return e2eEval[map[string]string](t, tab, `Object.fromEntries(Array.from(document.querySelectorAll('[id^="purpose-"]'),
		c => [c.id.slice("purpose-".length), (c.querySelector(".state") || {innerText: ""}).innerText.trim()]))`)
}

// e2eSwitch presses the switch of the purpose on the dashboard and checks the notice and the
// card's new state.
func e2eSwitch(t *testing.T, tab *e2eTab, key, title string, on bool) {
	t.Helper()
	verb, state, notice := "Switch off", "Off.", fmt.Sprintf("“%s” is off", title)
	if on {
		verb, state, notice = "Switch on", "On.", fmt.Sprintf("“%s” is on", title)
	}
	tab.click(t, fmt.Sprintf(`//div[@id="purpose-%s"]%s`, key, e2eButton(fmt.Sprintf("%s “%s”", verb, title))))
	if got := tab.text(t, `p.notice[role="status"]`); !strings.HasPrefix(got, notice) {
		t.Errorf("after %q the notice reads %q, want %q…", verb+" “"+title+"”", got, notice)
	}
	if got := e2eSwitchStates(t, tab)[key]; got != state {
		t.Errorf("after %q the card reads %q, want %q", verb+" “"+title+"”", got, state)
	}
}

var (
	e2eActivityHeader = regexp.MustCompile(`^([0-9]+) items?, newest first\.`)
	e2eRecordHeader   = regexp.MustCompile(`^([0-9]+) items? in your record\.`)
)

// e2eActivity is the topic titles /privacy/activity lists, newest first. It also checks that
// the header's count agrees, and that each item can be deleted.
func e2eActivity(t *testing.T, tab *e2eTab) []string {
	t.Helper()
	if p := tab.path(t); !strings.HasPrefix(p, "/privacy/activity") {
		t.Fatalf("%s: expected /privacy/activity, but is on %s", tab.name, p)
	}
	titles := tab.texts(t, "main ul.activity > li > span > a")
	header := tab.text(t, "main h1 + p")
	m := e2eActivityHeader.FindStringSubmatch(header)
	if m == nil {
		t.Errorf("%s: /privacy/activity begins %q, want \"N items, newest first.\"", tab.name, header)
	} else if m[1] != strconv.Itoa(len(titles)) {
		t.Errorf("%s: /privacy/activity says %q but lists %d items: %q", tab.name, header, len(titles), titles)
	}
	if n := len(tab.texts(t, "main ul.activity > li button")); n != len(titles) {
		t.Errorf("%s: /privacy/activity lists %d items but has %d \"Delete this item\" buttons", tab.name, len(titles), n)
	}
	return titles
}

// e2eActivityDelete is the XPath of the delete button of the item for the topic, found by its
// accessible name, which says what it deletes.
func e2eActivityDelete(title string) string {
	return fmt.Sprintf(`//main//ul[contains(@class, "activity")]/li//button[@aria-label = %s]`, e2eXPathString("Delete: opened “"+title+"”"))
}

// e2eRecordCount is the number of items the dashboard says are in the member's record.
func e2eRecordCount(t *testing.T, tab *e2eTab) int {
	t.Helper()
	text := tab.text(t, `section[aria-labelledby="record-h"] p`)
	m := e2eRecordHeader.FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("%s: the dashboard's \"What we recorded\" reads %q, want \"N items in your record.\"", tab.name, text)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// e2eGPCNoticeShown reports whether the page announces that Global Privacy Control is honoured.
func e2eGPCNoticeShown(t *testing.T, tab *e2eTab) bool {
	t.Helper()
	return slices.ContainsFunc(tab.texts(t, `main [role="status"]`), func(s string) bool {
		return strings.Contains(s, "Global Privacy Control")
	})
}

// e2eExists reports whether the XPath expression finds an element on the page.
func e2eExists(t *testing.T, tab *e2eTab, xpath string) bool {
	t.Helper()
	return e2eEval[bool](t, tab, fmt.Sprintf(`!!document.evaluate(%s, document, null, XPathResult.FIRST_ORDERED_NODE_TYPE, null).singleNodeValue`, e2eJS(xpath)))
}

// e2eSendGPC makes every request of the tab carry Sec-GPC: 1, as a browser with Global Privacy
// Control switched on does.
func e2eSendGPC(t *testing.T, tab *e2eTab) {
	t.Helper()
	ctx, cancel := tab.step()
	defer cancel()
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatalf("%s: enabling the network domain: %v", tab.name, err)
	}
	headers := network.SetExtraHTTPHeadersParams{Headers: network.Headers{"Sec-GPC": "1"}}
	if _, err := chromedp.Call(ctx, network.SetExtraHTTPHeaders, headers); err != nil {
		t.Fatalf("%s: setting Sec-GPC: %v", tab.name, err)
	}
}

// e2eExport downloads the member's export, checks that it is a JSON attachment, and returns its
// sections. It is fetched with the tab's own session: the pages' CSP (default-src 'none') rightly
// forbids fetch() from within them, and a download is awkward to catch in chromedp.
func e2eExport(t *testing.T, tab *e2eTab) map[string]json.RawMessage {
	t.Helper()
	exp := e2eDownload(t, tab, "/privacy/export")
	if exp.Status != http.StatusOK {
		t.Fatalf("%s: GET /privacy/export answered %d, want 200 with a JSON attachment (is the export built yet?)", tab.name, exp.Status)
	}
	if ct := exp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("%s: the export's Content-Type is %q, want application/json", tab.name, ct)
	}
	if cd := exp.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment") {
		t.Errorf("%s: the export's Content-Disposition is %q, want an attachment", tab.name, cd)
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(exp.Body, &doc); err != nil {
		t.Fatalf("%s: the export is not a JSON object: %v\n%.500s", tab.name, err, exp.Body)
	}
	return doc
}

// e2eFile is a response fetched outside the page.
type e2eFile struct {
	Status int
	Header http.Header
	Body   []byte
}

// e2eDownload fetches the path with the tab's cookies, as a download started from the tab
// would, without following redirects.
func e2eDownload(t *testing.T, tab *e2eTab, path string) e2eFile {
	t.Helper()
	ctx, cancel := tab.step()
	defer cancel()
	jar, err := chromedp.Call(ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{tab.base + "/"}})
	if err != nil {
		t.Fatalf("%s: reading the cookies: %v", tab.name, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, tab.base+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range jar.Cookies {
		req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
	}
	client := &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s: GET %s: %v", tab.name, path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s: reading GET %s: %v", tab.name, path, err)
	}
	return e2eFile{Status: resp.StatusCode, Header: resp.Header, Body: body}
}

// e2eCompactJSON is raw without insignificant space ("" when raw is empty).
func e2eCompactJSON(t *testing.T, raw json.RawMessage) []byte {
	t.Helper()
	if len(raw) == 0 {
		return nil
	}
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		t.Fatalf("compacting %s: %v", raw, err)
	}
	return b.Bytes()
}
