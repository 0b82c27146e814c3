package web_test

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/haven-forum/haven/internal/dbtest"
	"gorm.io/gorm"
)

func (c *client) head(path string) page {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodHead, c.a.srv.URL+path, nil)
	return c.do(req)
}

var notificationsLink = regexp.MustCompile(`<a href="/notifications" aria-label="([^"]*)">\s*Notifications\s*(?:<span class="count">(\d+)</span>)?`)

// unread reads the header's notifications link on the home page: its label and shown count.
func (c *client) unread() (label, shown string) {
	c.t.Helper()
	m := notificationsLink.FindStringSubmatch(c.get("/").body)
	if m == nil {
		c.t.Fatal("no notifications link in the header")
	}
	return m[1], m[2]
}

func TestFollowButtonAndFollowingList(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newApp(t, db)
		admin := a.admin("site_admin")
		admin.createGroup("Grief Support", "grief", "public", false)
		admin.createGroup("Quiet Circle", "circle", "private", false)
		stone, river := a.member("stone"), a.member("quiet_river")
		stone.join("grief")
		topicID := stone.newTopic("grief", "Sleepless again", "Third night.")
		topic := fmt.Sprintf("/t/%d", topicID)

		p := river.get(topic)
		mustContain(t, p.body, `action="`+topic+`/follow"`, `name="follow" value="true"`, "Follow this topic")
		p = river.post(topic+"/follow", "follow", "true")
		if p.status != http.StatusSeeOther || p.location() != topic+"#follow" {
			t.Fatalf("follow: %d %q", p.status, p.location())
		}
		p = river.get(topic)
		mustContain(t, p.body, `name="follow" value="false"`, "Unfollow this topic")
		// The confirmation shows beside the button, once.
		if i, j := strings.Index(p.body, `id="follow"`), strings.Index(p.body, "You follow this topic: a reply in it will notify you."); i < 0 || j < i || j-i > 800 {
			t.Errorf("the confirmation is not beside the button (%d, %d)", i, j)
		}
		mustNotContain(t, river.get(topic).body, "You follow this topic: a reply")

		p = river.get("/account/following")
		assertStatus(t, p, http.StatusOK, "following list")
		mustContain(t, p.body, `href="`+topic+`"`, "Sleepless again", "Grief Support", "You follow 1 topic.", `name="from" value="following"`)
		p = river.post(topic+"/follow", "follow", "false", "from", "following")
		if p.status != http.StatusSeeOther || p.location() != "/account/following" {
			t.Fatalf("unfollow from the list: %d %q", p.status, p.location())
		}
		p = river.get("/account/following")
		mustContain(t, p.body, "You no longer follow that topic.", "You do not follow any topic.")
		mustNotContain(t, p.body, "Sleepless again")

		// Bad input, signed out, CSRF, and a topic one cannot read.
		assertStatus(t, river.post(topic+"/follow", "follow", "maybe"), http.StatusBadRequest, "follow=maybe")
		if p := a.client().postRaw(topic+"/follow", "", "follow", "true"); p.status == http.StatusSeeOther && p.location() == topic+"#follow" {
			t.Error("a signed-out POST without a token followed")
		}
		assertStatus(t, river.postRaw(topic+"/follow", "wrong", "follow", "true"), http.StatusForbidden, "bad CSRF token")
		admin.join("circle")
		secretID := admin.newTopic("circle", "Circle only", "Members only.")
		assertStatus(t, river.post(fmt.Sprintf("/t/%d/follow", secretID), "follow", "true"), http.StatusNotFound, "follow an unreadable topic")
		mustNotContain(t, a.client().get(topic).body, "Follow this topic")

		// "Follow topics I reply to" at /account.
		mustContain(t, river.get("/account").body, `name="follow_replies" value="on" checked`, `href="/account/following"`)
		p = river.post("/account/follow-replies")
		if p.status != http.StatusSeeOther || !strings.HasPrefix(p.location(), "/account") {
			t.Fatalf("switch off: %d %q", p.status, p.location())
		}
		p = river.get("/account")
		mustContain(t, p.body, "Replying to a topic no longer follows it.")
		mustNotContain(t, p.body, `name="follow_replies" value="on" checked`)
		river.join("grief")
		river.reply(topicID, "Me too.")
		mustContain(t, river.get(topic).body, "Follow this topic")
		river.post("/account/follow-replies", "follow_replies", "on")
		river.reply(topicID, "Still me.")
		mustContain(t, river.get(topic).body, "Unfollow this topic")
	})
}

func TestHeaderUnreadCountAndMarkingRead(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newApp(t, db)
		a.admin("site_admin").createGroup("Grief Support", "grief", "public", false)
		stone, river, fern := a.member("stone"), a.member("quiet_river"), a.member("fern")
		for _, c := range []*client{stone, river, fern} {
			c.join("grief")
		}
		topicID := stone.newTopic("grief", "Sleepless again", "Third night.")
		river.post(fmt.Sprintf("/t/%d/follow", topicID), "follow", "true")
		if label, shown := river.unread(); label != "Notifications, 0 unread" || shown != "" {
			t.Errorf("nothing yet: %q, count %q", label, shown)
		}
		fern.reply(topicID, "Same here.")
		fern.reply(topicID, "@quiet_river are you awake?")
		if label, shown := river.unread(); label != "Notifications, 2 unread" || shown != "2" {
			t.Errorf("two replies: %q, count %q", label, shown)
		}
		if label, shown := fern.unread(); label != "Notifications, 0 unread" || shown != "" {
			t.Errorf("the replier: %q, count %q", label, shown)
		}

		// A HEAD is answered but marks nothing read.
		assertStatus(t, river.head("/notifications"), http.StatusOK, "HEAD /notifications")
		if label, _ := river.unread(); label != "Notifications, 2 unread" {
			t.Errorf("after a HEAD: %q", label)
		}
		p := river.get("/notifications")
		mustContain(t, p.body, `aria-label="Notifications, 0 unread"`, `<span class="badge">New</span>`,
			"fern replied in “Sleepless again”, a topic you follow", "fern mentioned you in “Sleepless again”")
		if label, shown := river.unread(); label != "Notifications, 0 unread" || shown != "" {
			t.Errorf("after opening /notifications: %q, count %q", label, shown)
		}
		mustNotContain(t, river.get("/notifications").body, `<span class="badge">New</span>`)

		// Only what the inbox would show is counted: a muted author's reply is not.
		fern.reply(topicID, "Once more.")
		river.post("/account/mutes", "action", "mute", "username", "fern")
		if label, _ := river.unread(); label != "Notifications, 0 unread" {
			t.Errorf("a notification from a member muted since: %q", label)
		}
		stone.reply(topicID, "Thank you both.")
		if label, shown := river.unread(); label != "Notifications, 1 unread" || shown != "1" {
			t.Errorf("one more: %q, count %q", label, shown)
		}
	})
}

func TestFollowsGoWithTheAccount(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newApp(t, db)
		a.admin("site_admin").createGroup("Grief Support", "grief", "public", false)
		stone, river := a.member("stone"), a.member("leaving_river")
		stone.join("grief")
		topicID := stone.newTopic("grief", "Sleepless again", "Third night.")
		river.post(fmt.Sprintf("/t/%d/follow", topicID), "follow", "true")

		p := river.get("/privacy/export")
		mustContain(t, p.body, `"followed_topics":[`, fmt.Sprintf(`{"topic_id":%d,"followed_at":"`, topicID), `"follow_topics_i_reply_to":"on"`)
		p = river.get("/privacy")
		mustContain(t, p.body, "Topics you follow", "1 topic you follow")

		id := memberIDOf(t, db, "leaving_river")
		p = river.post("/account/delete", "posts", "keep", "password", goodPassword)
		assertStatus(t, p, http.StatusSeeOther, "delete the account")
		var n int64
		db.Raw(`SELECT COUNT(*) FROM topic_follows WHERE member_id = ?`, id).Scan(&n)
		if n != 0 {
			t.Errorf("%d follows left after the account was deleted", n)
		}
	})
}
