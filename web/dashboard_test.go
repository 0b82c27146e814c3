package web_test

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/haven-forum/haven/internal/dbtest"
	"gorm.io/gorm"
)

var erasePost = regexp.MustCompile(`<form method="post" action="/privacy/erase"`)

// No erase button erases on one click: each leads to a page that says exactly what will go, by
// kind, and only that page's button erases.
func TestEraseAsksFirstWithCounts(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newApp(t, db)
		a.admin("e_admin").createGroup("Grief", "grief", "public", false)
		m := a.member("e_reader")
		m.join("grief")
		one := m.newTopic("grief", "First winter", "Cold.")
		two := m.newTopic("grief", "Second spring", "Warmer.")
		m.post("/privacy/consent", "purpose", "reading_history", "enabled", "true")
		m.get(fmt.Sprintf("/t/%d", one))
		m.get(fmt.Sprintf("/t/%d", two))
		if n := a.eventCount(t); n != 2 {
			t.Fatalf("%d events, want 2", n)
		}
		off := m.post("/privacy/consent", "purpose", "reading_history", "enabled", "false")
		dash := m.get(off.location()).body
		if erasePost.MatchString(dash) {
			t.Error("the dashboard has a form that erases on one click")
		}
		mustContain(t, dash, `action="/privacy/erase"`, "Also erase what it recorded…", "Erase everything recorded and inferred…")

		// A one-click POST (an old form, a stray request) only leads to the confirmation.
		p := m.post("/privacy/erase", "purpose", "reading_history")
		if p.status != http.StatusSeeOther || p.location() != "/privacy/erase?purpose=reading_history" {
			t.Fatalf("erase without confirming: %d %q", p.status, p.location())
		}
		if n := a.eventCount(t); n != 2 {
			t.Fatalf("%d events after an unconfirmed erase, want 2", n)
		}
		confirm := m.get(p.location())
		mustContain(t, confirm.body, "Erase what “Reading history” recorded?", "<strong>2</strong> topics you opened",
			"<strong>1</strong> group inferred from them as your interest", "Yes, erase 3 items", `name="confirm" value="yes"`, `href="/privacy">No, keep everything`)
		all := m.get("/privacy/erase")
		mustContain(t, all.body, "Erase everything recorded and inferred?", "<strong>2</strong> topics you opened")

		done := m.post("/privacy/erase", "purpose", "reading_history", "confirm", "yes")
		if done.status != http.StatusSeeOther || done.location() != "/privacy" {
			t.Fatalf("confirmed erase: %d %q", done.status, done.location())
		}
		if n := a.eventCount(t); n != 0 {
			t.Errorf("%d events after the confirmed erase", n)
		}
		mustContain(t, m.get("/privacy/erase").body, "There is nothing of this kind in your record right now.")
		if p := m.get("/privacy/erase?purpose=nonsense"); p.status != http.StatusBadRequest {
			t.Errorf("an unknown purpose: %d", p.status)
		}
	})
}

// The record lists one line per topic and day, grouped under each day, each delete button named
// by what it deletes; a range deletes what the filter shows, recorded in that time.
func TestActivityListGroupsAndDeletesByRange(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newApp(t, db)
		admin := a.admin("r_admin")
		admin.createGroup("Grief", "grief", "public", false)
		admin.createGroup("Sleep", "sleep", "public", false)
		m := a.member("r_reader")
		m.join("grief")
		m.join("sleep")
		year := m.newTopic("grief", "A year today", "Still here.")
		rest := m.newTopic("sleep", "Rest", "Sleep well.")
		m.post("/privacy/consent", "purpose", "reading_history", "enabled", "true")
		for range 3 {
			m.get(fmt.Sprintf("/t/%d", year))
		}
		m.get(fmt.Sprintf("/t/%d", rest))
		if n := a.eventCount(t); n != 4 {
			t.Fatalf("%d events, want 4", n)
		}
		// An older open, from last month, in the other group.
		db.Exec(`UPDATE activity_events SET created_at = ? WHERE id = (SELECT MIN(id) FROM activity_events)`, time.Now().Add(-30*24*time.Hour))
		p := m.get("/privacy/activity")
		doc, err := goquery.NewDocumentFromReader(strings.NewReader(p.body))
		if err != nil {
			t.Fatal(err)
		}
		days := doc.Find("main section[aria-labelledby^='day-']")
		if days.Length() != 2 {
			t.Fatalf("%d days, want 2 (today and last month)", days.Length())
		}
		if h := days.First().Find("h2").Length(); h != 1 {
			t.Errorf("a day has %d headings", h)
		}
		var names []string
		doc.Find("ul.activity button").Each(func(_ int, b *goquery.Selection) {
			label, _ := b.Attr("aria-label")
			names = append(names, label)
		})
		want := []string{"Delete: opened “Rest”", "Delete: opened “A year today” (2 times)", "Delete: opened “A year today”"}
		if strings.Join(names, "|") != strings.Join(want, "|") {
			t.Errorf("delete buttons are named %q, want %q", names, want)
		}
		mustContain(t, p.body, "2 times, last at")

		// Deleting the grouped line deletes both its opens.
		form := doc.Find("ul.activity li").Eq(1).Find("form")
		action, _ := form.Attr("action")
		also, _ := form.Find(`[name="also"]`).Attr("value")
		if d := m.post(action, "also", also); d.status != http.StatusSeeOther {
			t.Fatalf("delete a line: %d", d.status)
		}
		if n := a.eventCount(t); n != 2 {
			t.Fatalf("%d events after deleting a line of 2, want 2", n)
		}
		// By range, within the filter: today's opens in Sleep go; last month's stays.
		var sleepID int64
		db.Raw(`SELECT id FROM groups WHERE slug = 'sleep'`).Scan(&sleepID)
		d := m.post("/privacy/activity/delete", "range", "today", "group", fmt.Sprint(sleepID), "kind", "")
		if d.status != http.StatusSeeOther || d.location() != fmt.Sprintf("/privacy/activity?group=%d", sleepID) {
			t.Fatalf("delete by range: %d %q", d.status, d.location())
		}
		if n := a.eventCount(t); n != 1 {
			t.Fatalf("%d events after deleting today's in Sleep, want 1", n)
		}
		mustContain(t, m.get(d.location()).body, "Deleted 1 recorded item from your record.")
		if d := m.post("/privacy/activity/delete", "range", "week"); d.status != http.StatusSeeOther || a.eventCount(t) != 1 {
			t.Errorf("the last 7 days deleted last month's open: %d, %d left", d.status, a.eventCount(t))
		}
		if d := m.post("/privacy/activity/delete", "range", "all"); d.status != http.StatusSeeOther || a.eventCount(t) != 0 {
			t.Errorf("any time left %d events", a.eventCount(t))
		}
		if d := m.post("/privacy/activity/delete", "range", "forever-ish"); d.status != http.StatusBadRequest {
			t.Errorf("an unknown range: %d", d.status)
		}
	})
}

// The export and each consent receipt can be read as a page, with the JSON one click away; the
// page shows what the JSON holds.
func TestExportAndReceiptsReadAsPages(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newApp(t, db)
		m := a.member("html_reader")
		m.post("/privacy/consent", "purpose", "reading_history", "enabled", "true")
		dash := m.get("/privacy").body
		mustContain(t, dash, `href="/privacy/export?format=html"`, `href="/privacy/export" download`)
		page := m.get("/privacy/export?format=html")
		if page.status != http.StatusOK || !strings.HasPrefix(page.header.Get("Content-Type"), "text/html") {
			t.Fatalf("export page: %d %q", page.status, page.header.Get("Content-Type"))
		}
		mustContain(t, page.body, "<h1>Everything Haven holds about you</h1>", "html_reader", "Reading history", `href="/privacy/export" download`)
		if page.header.Get("Content-Disposition") != "" {
			t.Errorf("the export page is sent as a download: %q", page.header.Get("Content-Disposition"))
		}
		m2 := receiptPage.FindStringSubmatch(dash)
		if m2 == nil {
			t.Fatalf("no readable receipt link on the dashboard:\n%s", dash)
		}
		r := m.get(m2[1] + "?format=html")
		mustContain(t, r.body, "<h1>Consent receipt</h1>", "Consent receipt ID", "Haven test", "Consent timestamp</dt><dd><time datetime=\"", " UTC\">just now</time></dd>", fmt.Sprintf(`href="%s" download`, m2[1]))
		if j := m.get(m2[1]); !strings.HasPrefix(j.header.Get("Content-Type"), "application/json") {
			t.Errorf("the receipt's JSON: %q", j.header.Get("Content-Type"))
		}
		if other := a.member("html_other").get(m2[1] + "?format=html"); other.status != http.StatusNotFound {
			t.Errorf("another member read the receipt page: %d", other.status)
		}
	})
}

var receiptPage = regexp.MustCompile(`href="(/privacy/receipts/[0-9a-f-]{36})\?format=html"`)

// After sign-up the recovery codes come from a GET page (303), shown once: a reload says where to
// make new ones instead of "form expired"; the new member is welcomed, not welcomed back.
func TestRecoveryCodesShownOnceAfterARedirect(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newApp(t, db)
		c := a.client()
		p := c.post("/signup", "username", "new_here", "password", goodPassword, "password_confirm", goodPassword)
		if p.status != http.StatusSeeOther || p.location() != "/signup/codes" {
			t.Fatalf("sign-up: %d %q", p.status, p.location())
		}
		// A HEAD (a link checker, a prefetching proxy) must not use up the one showing.
		head, _ := http.NewRequest(http.MethodHead, c.a.srv.URL+"/signup/codes", nil)
		if h := c.do(head); h.status != http.StatusOK {
			t.Fatalf("HEAD of the codes page: %d", h.status)
		}
		first := c.get("/signup/codes")
		if codes := recoveryCodes(first.body); len(codes) != 10 {
			t.Fatalf("%d codes on the page", len(codes))
		}
		again := c.get("/signup/codes")
		if again.status != http.StatusOK || len(recoveryCodes(again.body)) != 0 {
			t.Fatalf("reload: %d, %d codes", again.status, len(recoveryCodes(again.body)))
		}
		mustContain(t, again.body, "were shown once", `href="/account"`)
		mustNotContain(t, again.body, "expired")
		mustContain(t, c.get("/").body, "<h1>Welcome, new_here</h1>")
		c.post("/logout")
		c.logIn("new_here", goodPassword)
		mustContain(t, c.get("/").body, "<h1>Welcome back, new_here</h1>")
		if p := a.client().get("/signup/codes"); p.status != http.StatusSeeOther {
			t.Errorf("a visitor on the codes page: %d", p.status)
		}
	})
}

// After muting from a topic, reporting a post or flipping a switch, the member comes back to what
// they acted on, and the confirmation is beside it, not at the top of a long page.
func TestConfirmationsSitBesideWhatWasActedOn(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newApp(t, db)
		a.admin("n_admin").createGroup("Grief", "grief", "public", false)
		writer, reader := a.member("n_writer"), a.member("n_reader")
		writer.join("grief")
		reader.join("grief")
		topic := writer.newTopic("grief", "A long thread", "The first post.")
		var post int64
		for i := range 6 {
			post = writer.reply(topic, fmt.Sprintf("Reply %d.", i))
		}
		beside := func(c *client, location, id, want string) {
			t.Helper()
			p := c.get(location)
			if p.status == http.StatusFound { // a post's link: to its page and anchor
				p = c.get(p.location())
			}
			doc, err := goquery.NewDocumentFromReader(strings.NewReader(p.body))
			if err != nil {
				t.Fatal(err)
			}
			notice := doc.Find(`#` + id + ` .notice[role="status"]`)
			if !strings.Contains(notice.Text(), want) {
				t.Errorf("the notice %q is not inside #%s; the page's notices: %q", want, id, doc.Find(".notice").Text())
			}
			if doc.Find("main > .notice").Length() != 0 {
				t.Errorf("the notice is also at the top of the page")
			}
		}
		m := reader.post("/account/mutes", "username", "n_writer", "action", "mute", "post", fmt.Sprint(post))
		if m.status != http.StatusSeeOther || m.location() != fmt.Sprintf("/p/%d", post) {
			t.Fatalf("mute from a topic: %d %q", m.status, m.location())
		}
		beside(reader, m.location(), fmt.Sprint("p", post), "You muted n_writer.")
		reader.post("/account/mutes", "username", "n_writer", "action", "unmute")
		reader.get("/account")

		r := reader.post(fmt.Sprintf("/p/%d/report", post), "reason", "spam")
		if r.status != http.StatusSeeOther {
			t.Fatalf("report: %d", r.status)
		}
		beside(reader, r.location(), fmt.Sprint("p", post), "Thank you for reporting this post.")

		s := reader.post("/privacy/consent", "purpose", "reading_history", "enabled", "true")
		beside(reader, s.location(), "purpose-reading_history", "“Reading history” is on.")
		// From the account page, muting still answers there, at the top.
		if p := reader.post("/account/mutes", "username", "n_writer", "action", "mute"); p.location() != "/account" {
			t.Errorf("mute from the account page went to %q", p.location())
		}
	})
}
