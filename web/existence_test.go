package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/haven-forum/haven/internal/dbtest"
	"gorm.io/gorm"
)

var pageTitle = regexp.MustCompile(`<title>[^<]*</title>`)

// seen is what a response tells about the thing asked for: its status, where it redirects and
// the page's title, with the id taken out so the answers about two ids can be compared.
func seen(p page, id int64) string {
	loc, _ := url.QueryUnescape(p.location())
	loc = regexp.MustCompile(`(^|\D)`+fmt.Sprint(id)+`(\D|$)`).ReplaceAllString(loc, "${1}ID${2}")
	return fmt.Sprint(p.status, " ", loc, " ", pageTitle.FindString(p.body))
}

// A post or topic someone may not see (held for approval, or in a private group they are not
// in), and a moderators' queue item, answer every route exactly as an id that never existed does, for a visitor, a member
// of the group and a member of another: no status, redirect or page tells it is there, and
// nothing can be done to it (reported, reacted to, quoted, edited).
func TestHiddenPostsAnswerLikeMissingOnes(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newModWorld(t, db)
		w.admin.post("/admin/watched-words", "word", "casino", "action", "hold")
		w.admin.createGroup("Secret", "secret", "private", false)
		w.admin.join("secret")
		topic := w.author.newTopic("support", "Open topic", "Some words.")
		w.author.post(fmt.Sprintf("/t/%d/replies", topic), "body", "Try the casino", "_submit", "held-reply")
		heldTopic := w.author.post("/g/support/topics", "title", "Casino night", "body", "At the casino", "_submit", "held-topic")
		var heldReply, heldTopicID int64
		db.Raw(`SELECT id FROM posts WHERE held AND topic_id = ?`, topic).Scan(&heldReply)
		db.Raw(`SELECT id FROM topics WHERE title = 'Casino night'`).Scan(&heldTopicID)
		if heldReply == 0 || heldTopicID == 0 {
			t.Fatalf("nothing held (%d, %d): %d", heldReply, heldTopicID, heldTopic.status)
		}
		secretTopic := w.admin.newTopic("secret", "Private topic", "Private words.")
		posts := map[string]int64{"held reply": heldReply, "held opening post": w.a.firstPostID(heldTopicID), "private post": w.a.firstPostID(secretTopic)}
		topics := map[string]int64{"held topic": heldTopicID, "private topic": secretTopic}
		var maxID, item int64
		db.Raw(`SELECT MAX(id) FROM posts`).Scan(&maxID)
		ghost := maxID + 1000
		db.Raw(`SELECT MIN(id) FROM queue_items`).Scan(&item)
		items := map[string]int64{"queue item": item}

		fields := []string{"reason", "spam", "details", "worrying", "kind", "hear_you", "body", "Edited words.", "title", "A title",
			"_submit", "twin", "back", "post"}
		send := func(c *client, r route, id int64) page {
			path := strings.Replace(r.path, "{id}", fmt.Sprint(id), 1)
			if r.method == http.MethodGet {
				return c.get(path + "?quote=" + fmt.Sprint(id))
			}
			return c.post(path, fields...)
		}
		for _, r := range w.a.everyRoute(map[string]string{":id": "{id}", ":slug": "support", ":token": "t", ":username": "mw_author", ":action": "warn"}) {
			var hidden map[string]int64
			switch {
			case strings.HasPrefix(r.path, "/p/") || strings.HasPrefix(r.path, "/mod/posts/"):
				hidden = posts
			case strings.HasPrefix(r.path, "/t/") || strings.HasPrefix(r.path, "/mod/topics/") || strings.HasPrefix(r.path, "/suggestions/"):
				hidden = topics
			case strings.HasPrefix(r.path, "/mod/reports/"):
				hidden = items
			}
			for what, id := range hidden {
				for role, c := range map[string]*client{"visitor": w.a.client(), "member": w.r1, "member elsewhere": w.other} {
					got, want := seen(send(c, r, id), id), seen(send(c, r, ghost), ghost)
					if got != want {
						t.Errorf("%s %s as %s: answers %s", r, what, role, firstDifference(got, want))
					}
				}
			}
		}
		// A private group's pages, to a visitor, are those of a group that does not exist.
		for _, r := range w.a.everyRoute(map[string]string{":id": "1", ":slug": "{slug}", ":token": "t", ":username": "mw_author", ":action": "warn"}) {
			if !strings.Contains(r.path, "{slug}") {
				continue
			}
			visitor := w.a.client()
			at := func(slug string) page {
				path := strings.Replace(r.path, "{slug}", slug, 1)
				if r.method == http.MethodGet {
					return visitor.get(path)
				}
				return visitor.post(path, fields...)
			}
			got, want := seen(at("secret"), 0), seen(at("no-such-group"), 0)
			got = strings.ReplaceAll(got, "secret", "SLUG")
			want = strings.ReplaceAll(want, "no-such-group", "SLUG")
			if got != want {
				t.Errorf("%s for a private group as a visitor: answers %s", r, firstDifference(got, want))
			}
		}
		var reports, reactions int64
		db.Raw(`SELECT COUNT(*) FROM reports`).Scan(&reports)
		db.Raw(`SELECT COUNT(*) FROM reactions`).Scan(&reactions)
		if reports+reactions != 0 {
			t.Errorf("%d reports and %d reactions on posts the reporter cannot see", reports, reactions)
		}
	})
}

// Muting answers the same whether or not the name belongs to a member, and is rate-limited,
// so it cannot be used to list who is here; so do logging in and recovery.
func TestNamesDoNotTellWhoExists(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newApp(t, db)
		a.member("someone_real")
		c := a.member("curious")
		real := c.post("/account/mutes", "username", "someone_real")
		realNotice := notice(c.get("/account").body)
		missing := c.post("/account/mutes", "username", "nobody_here")
		missingNotice := notice(c.get("/account").body)
		if real.status != missing.status || real.location() != missing.location() || realNotice != missingNotice {
			t.Errorf("muting a member: %d %q %q; a name nobody has: %d %q %q", real.status, real.location(), realNotice,
				missing.status, missing.location(), missingNotice)
		}
		limited := false
		for i := range 40 {
			if p := c.post("/account/mutes", "username", fmt.Sprint("probe_", i)); p.status == http.StatusTooManyRequests {
				limited = true
				break
			}
		}
		if !limited {
			t.Error("40 names tried without a limit")
		}
		// The other forms that take a name answer alike too (sign-up's "taken" is the one that
		// must tell, and it is limited per address).
		visitor := a.client()
		for _, form := range [][]string{
			{"/login", "password", "wrong password 1234"},
			{"/recover", "code", "AAAA-BBBB-CCCC-DDDD", "password", goodPassword + "!", "password_confirm", goodPassword + "!"},
		} {
			at := func(name string) string {
				p := visitor.post(form[0], append([]string{"username", name}, form[1:]...)...)
				return strings.ReplaceAll(csrfInput.ReplaceAllString(fmt.Sprint(p.status, p.location(), p.body), ""), name, "NAME")
			}
			if got, want := at("someone_real"), at("nobody_here"); got != want {
				t.Errorf("%s answers %s", form[0], firstDifference(got, want))
			}
		}
	})
}

var noticePattern = regexp.MustCompile(`(?s)<p class="notice"[^>]*>(.*?)</p>`)

func notice(body string) string {
	if m := noticePattern.FindStringSubmatch(body); m != nil {
		return m[1]
	}
	return ""
}

func firstDifference(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := range min(len(g), len(w)) {
		if g[i] != w[i] {
			return fmt.Sprintf("%.200q where a missing one answers %.200q", g[i], w[i])
		}
	}
	return fmt.Sprintf("%d lines where a missing one answers %d", len(g), len(w))
}
