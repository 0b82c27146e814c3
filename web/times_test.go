package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/haven-forum/haven/internal/dbtest"
	"gorm.io/gorm"
)

var rfc3339UTC = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$`)

// A member who chose Europe/Paris reads Paris times in each time's title; the machine-readable
// datetime stays RFC 3339, and a visitor still reads UTC.
func TestTimesAreShownInTheZoneTheMemberChose(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newApp(t, db)
		admin := a.admin("tz_admin")
		admin.createGroup("Grief Support", "grief", "public", false)
		admin.post("/admin/settings", "visitors_read", "1", "crisis_phrases", "suicide")
		ann := a.member("tz_ann")
		ann.join("grief")
		topic := ann.newTopic("grief", "Evenings", "They are long.")
		var created time.Time
		db.Raw(`SELECT created_at FROM posts WHERE id = ?`, a.firstPostID(topic)).Scan(&created)
		paris, _ := time.LoadLocation("Europe/Paris")

		if p := ann.post("/account/time-zone", "time_zone", "Local"); p.status != http.StatusUnprocessableEntity ||
			!strings.Contains(p.body, "Choose a time zone from the list.") {
			t.Fatalf("a zone not on the list: %d", p.status)
		}
		mustContain(t, ann.get("/account").body, `<option value="UTC" selected>`)
		if p := ann.post("/account/time-zone", "time_zone", "Europe/Paris"); p.status != http.StatusSeeOther {
			t.Fatalf("choosing Paris: %d\n%s", p.status, p.body)
		}
		mustContain(t, ann.get("/account").body, `<option value="Europe/Paris" selected>`)

		checkTime := func(who string, c *client, zone *time.Location, name string) {
			t.Helper()
			doc, err := goquery.NewDocumentFromReader(strings.NewReader(c.get(fmt.Sprintf("/t/%d", topic)).body))
			if err != nil {
				t.Fatal(err)
			}
			el := doc.Find("article time").First()
			dt, _ := el.Attr("datetime")
			title, _ := el.Attr("title")
			if !rfc3339UTC.MatchString(dt) || dt != created.UTC().Format(time.RFC3339) {
				t.Errorf("%s: datetime %q, want %s", who, dt, created.UTC().Format(time.RFC3339))
			}
			want := created.In(zone).Format("2 January 2006, 15:04") + " " + name
			if !strings.Contains(title, want) {
				t.Errorf("%s: title %q, want it to hold %q", who, title, want)
			}
			if el.Text() != "just now" {
				t.Errorf("%s: text %q", who, el.Text())
			}
		}
		checkTime("member in Paris", ann, paris, "Europe/Paris")
		checkTime("visitor", a.client(), time.UTC, "UTC")

		var export struct {
			Member struct {
				Settings struct {
					TimeZone string `json:"time_zone"`
				} `json:"settings"`
			} `json:"member"`
		}
		if err := json.Unmarshal([]byte(ann.get("/privacy/export").body), &export); err != nil || export.Member.Settings.TimeZone != "Europe/Paris" {
			t.Errorf("export: time zone %q (%v)", export.Member.Settings.TimeZone, err)
		}
	})
}

// A date or time a reader would see: a clock time, an ISO or written-out date, a relative time.
var printedTime = regexp.MustCompile(`\b\d{1,2}:\d{2}\b|\b\d{4}-\d{2}-\d{2}\b|` +
	`\b\d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\b|` +
	`\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* \d{1,2}\b|` +
	`\b(?:January|February|March|April|May|June|July|August|September|October|November|December) \d{4}\b|` +
	`\bjust now\b|\b\d+ (?:minute|hour)s? ago\b|\byesterday\b`)

// templateCall is a component call printed as text: templ reads "@pkg.Comp(x)" as a call only
// at the start of a line, so one written after text on the same line shows as it is.
var templateCall = regexp.MustCompile(`@[a-z]\w*\.[A-Z]\w*\(|@[A-Z]\w*\(`)

// timesOutsideTimeElements returns the texts of a page that print a date or time outside a
// <time> element, which would show it in no member's zone and with no exact time to read. A
// chart's SVG cannot hold a <time>; the table after it gives the same weeks, and is checked.
func timesOutsideTimeElements(body string) []string {
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		return []string{err.Error()}
	}
	var out []string
	doc.Find("body, body *").Not("time, time *, script, style, textarea, select, option, svg, svg *").Contents().Each(func(_ int, s *goquery.Selection) {
		if goquery.NodeName(s) != "#text" {
			return
		}
		if m := printedTime.FindString(s.Text()); m != "" || templateCall.MatchString(s.Text()) {
			m += templateCall.FindString(s.Text())
			out = append(out, fmt.Sprintf("%q in %q", m, strings.TrimSpace(s.Text())))
		}
	})
	return out
}

// Every page a member, a moderator and a visitor can reach by following links prints dates and
// times only inside <time>: pages added later are walked too.
func TestNoPagePrintsATimeOutsideATimeElement(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newApp(t, db)
		admin := a.admin("walk_admin")
		admin.createGroup("Grief Support", "grief", "public", false)
		admin.createGroup("Quiet Room", "quiet", "private", true)
		ann, ben := a.member("walk_ann"), a.member("walk_ben")
		for _, c := range []*client{ann, ben} {
			c.join("grief")
			c.post("/privacy/consent", "purpose", "reading_history", "enabled", "true")
		}
		ann.post("/account/time-zone", "time_zone", "Asia/Tokyo")
		topic := ann.newTopic("grief", "First winter", "The house is quiet.")
		ben.get(fmt.Sprintf("/t/%d", topic))
		reply := ben.reply(topic, "I know that quiet. @walk_ann")
		ann.reply(topic, "Thank you.", "quote_of", fmt.Sprint(reply))
		ben.post(fmt.Sprintf("/p/%d/report", a.firstPostID(topic)), "reason", "spam", "details", "a test")
		admin.post(fmt.Sprintf("/mod/posts/%d/hide", reply), "reason", "testing the log")
		ben.post(fmt.Sprintf("/p/%d/edit", reply), "body", "I know that quiet, edited.")
		if p := admin.post("/admin/members/walk_ben/suspend", "action", "suspend", "reason", "a test", "days", "1"); p.status != http.StatusSeeOther {
			t.Fatalf("suspend: %d", p.status)
		}
		a.client().signUp("walk_cat") // a member with nothing yet

		for who, c := range map[string]*client{"member": ann, "suspended member": ben, "admin": admin, "visitor": a.client()} {
			seen := map[string]bool{}
			queue := []string{"/", "/privacy", "/account", "/notifications", "/search?q=quiet", "/privacy/activity",
				"/privacy/export?format=html", "/account/moderation", "/mod", "/mod/log", "/admin",
				fmt.Sprintf("/p/%d/revisions", reply), "/g/grief/new"}
			for len(queue) > 0 && len(seen) < 150 {
				path := queue[0]
				queue = queue[1:]
				if seen[path] {
					continue
				}
				seen[path] = true
				p := c.get(path)
				if !strings.HasPrefix(p.header.Get("Content-Type"), "text/html") { // error pages are pages too
					continue
				}
				for _, bad := range timesOutsideTimeElements(p.body) {
					t.Errorf("%s, %s: %s", who, path, bad)
				}
				doc, _ := goquery.NewDocumentFromReader(strings.NewReader(p.body))
				doc.Find("a[href]").Each(func(_ int, s *goquery.Selection) {
					href, _ := s.Attr("href")
					u, err := url.Parse(href)
					if err != nil || u.Host != "" || !strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "/static/") ||
						u.Path == "/privacy/export" && u.RawQuery == "" || strings.HasPrefix(u.Path, "/signup/codes") {
						return
					}
					queue = append(queue, u.Path+map[bool]string{true: "?" + u.RawQuery}[u.RawQuery != ""])
				})
			}
			if len(seen) < 10 {
				t.Errorf("%s: only %d pages walked", who, len(seen))
			}
		}
	})
}
