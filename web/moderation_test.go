package web_test

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/haven-forum/haven/internal/dbtest"
	"gorm.io/gorm"
)

// modWorld is two groups, each with its own moderator, an admin and some members.
type modWorld struct {
	a                  *app
	admin, mod, other  *client // other moderates another group
	author, r1, r2, r3 *client
}

func newModWorld(t *testing.T, db *gorm.DB) *modWorld {
	a := newApp(t, db)
	w := &modWorld{a: a, admin: a.admin("mw_admin")}
	w.admin.createGroup("Support", "support", "public", true)
	w.admin.createGroup("Elsewhere", "elsewhere", "public", false)
	w.mod, w.other = a.member("mw_mod"), a.member("mw_other")
	w.admin.post("/admin/groups/support/moderators", "action", "add", "username", "mw_mod")
	w.admin.post("/admin/groups/elsewhere/moderators", "action", "add", "username", "mw_other")
	w.author, w.r1, w.r2, w.r3 = a.member("mw_author"), a.member("mw_r1"), a.member("mw_r2"), a.member("mw_r3")
	for _, c := range []*client{w.author, w.r1, w.r2, w.r3} {
		c.join("support")
	}
	return w
}

func TestReportsMergeAndAtRiskComesFirst(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newModWorld(t, db)
		spamTopic := w.author.newTopic("support", "Buy my course", "Click here for a cure.")
		spamPost := w.a.firstPostID(spamTopic)
		worry := w.author.newTopic("support", "Heavy weeks", "Everything feels pointless lately.")
		worryPost := w.a.firstPostID(worry)
		if p := w.r1.post(fmt.Sprintf("/p/%d/report", spamPost), "reason", "spam", "details", "selling things"); p.status != http.StatusSeeOther {
			t.Fatalf("report: %d\n%s", p.status, p.body)
		}
		w.r2.post(fmt.Sprintf("/p/%d/report", worryPost), "reason", "harassment")
		w.r3.post(fmt.Sprintf("/p/%d/report", worryPost), "reason", "at_risk", "details", "I'm worried about them")
		w.r3.post(fmt.Sprintf("/p/%d/report", worryPost), "reason", "at_risk") // the same member again: no change
		if p := w.r1.post(fmt.Sprintf("/p/%d/report", worryPost), "reason", "nonsense"); p.status != http.StatusUnprocessableEntity {
			t.Errorf("unknown reason: %d", p.status)
		}
		if p := w.author.post(fmt.Sprintf("/p/%d/report", worryPost), "reason", "other"); p.status != http.StatusBadRequest {
			t.Errorf("reporting one's own post: %d", p.status)
		}
		q := w.mod.get("/mod")
		mustContain(t, q.body, "2 waiting", "Someone may be at risk", "Crisis resources", "2 reports", "I&#39;m worried about them", "selling things")
		if strings.Index(q.body, "Everything feels pointless") > strings.Index(q.body, "Click here for a cure") {
			t.Error("the at-risk item is not first")
		}
		mustNotContain(t, q.body, "mw_r1", "mw_r2", "mw_r3") // moderators never learn who reported
		mustNotContain(t, w.author.get("/notifications").body, "mw_r1", "mw_r3", "report")
	})
}

func TestHidingAPostAndTheLog(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newModWorld(t, db)
		topic := w.author.newTopic("support", "A heated thread", "Some unkind words about zebrafish.")
		post := w.a.firstPostID(topic)
		w.r1.post(fmt.Sprintf("/p/%d/report", post), "reason", "harassment")
		if p := w.mod.post(fmt.Sprintf("/mod/posts/%d/hide", post), "reason", ""); p.status != http.StatusBadRequest {
			t.Errorf("hiding without a reason: %d", p.status)
		}
		if p := w.other.post(fmt.Sprintf("/mod/posts/%d/hide", post), "reason", "not my group"); p.status != http.StatusForbidden {
			t.Errorf("a moderator of another group hid a post: %d", p.status)
		}
		if p := w.r2.post(fmt.Sprintf("/mod/posts/%d/hide", post), "reason", "vigilante"); p.status != http.StatusForbidden {
			t.Errorf("a member hid a post: %d", p.status)
		}
		if p := w.mod.post(fmt.Sprintf("/mod/posts/%d/hide", post), "reason", "Please keep it kind"); p.status != http.StatusSeeOther {
			t.Fatalf("hide: %d", p.status)
		}
		// The reason is for the author and the moderators, as the hide form says; others see only that it was hidden.
		others := w.r2.get(fmt.Sprintf("/t/%d", topic))
		mustContain(t, others.body, "Hidden by moderators.")
		mustNotContain(t, others.body, "zebrafish", "Please keep it kind")
		mustNotContain(t, w.a.client().get(fmt.Sprintf("/t/%d", topic)).body, "Please keep it kind")
		mustContain(t, w.author.get(fmt.Sprintf("/t/%d", topic)).body, "zebrafish", "Hidden by moderators:", "Please keep it kind")
		mustContain(t, w.mod.get(fmt.Sprintf("/t/%d", topic)).body, "Hidden by moderators:", "Please keep it kind")
		mustNotContain(t, w.other.get(fmt.Sprintf("/t/%d", topic)).body, "Please keep it kind") // another group's moderator
		mustNotContain(t, w.r2.get("/search?q=zebrafish").body, "A heated thread")
		mustContain(t, w.mod.get("/mod").body, "0 waiting")

		log := w.mod.get("/mod/log")
		mustContain(t, log.body, "hide_post", "Please keep it kind", "mw_mod")
		mustNotContain(t, w.other.get("/mod/log").body, "Please keep it kind") // another group's moderator
		mustContain(t, w.admin.get("/mod/log").body, "Please keep it kind")
		for _, c := range []*client{w.r1, w.author} {
			if p := c.get("/mod"); p.status != http.StatusForbidden {
				t.Errorf("a member opened the queue: %d", p.status)
			}
			if p := c.get("/mod/log"); p.status != http.StatusForbidden {
				t.Errorf("a member opened the log: %d", p.status)
			}
		}
		w.mod.post(fmt.Sprintf("/mod/posts/%d/unhide", post), "reason", "They apologised")
		mustContain(t, w.r2.get(fmt.Sprintf("/t/%d", topic)).body, "zebrafish")
	})
}

func TestTwoModeratorsActingOnOneItem(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newModWorld(t, db)
		topic := w.author.newTopic("support", "Odd one", "Hmm.")
		w.r1.post(fmt.Sprintf("/p/%d/report", w.a.firstPostID(topic)), "reason", "other")
		item := regexp.MustCompile(`/mod/reports/(\d+)/dismiss`).FindStringSubmatch(w.mod.get("/mod").body)
		if item == nil {
			t.Fatal("no dismiss form")
		}
		if p := w.mod.post("/mod/reports/"+item[1]+"/dismiss", "reason", "Fine as it is"); p.status != http.StatusSeeOther {
			t.Fatalf("dismiss: %d", p.status)
		}
		p := w.admin.post("/mod/reports/"+item[1]+"/dismiss", "reason", "Also fine")
		if p.status != http.StatusConflict {
			t.Fatalf("second dismiss: %d", p.status)
		}
		mustContain(t, p.body, "Already handled by mw_mod")
		var entries int64
		db.Raw(`SELECT COUNT(*) FROM moderation_log WHERE action = 'dismiss'`).Scan(&entries)
		if entries != 1 {
			t.Errorf("%d dismiss entries, want 1", entries)
		}
	})
}

func TestLockAndPinThroughModerationRoutes(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newModWorld(t, db)
		topic := w.author.newTopic("support", "Heated", "x")
		w.author.newTopic("support", "Newer topic", "y")
		if p := w.other.post(fmt.Sprintf("/mod/topics/%d/lock", topic), "reason", "x", "locked", "true"); p.status != http.StatusForbidden {
			t.Errorf("another group's moderator locked: %d", p.status)
		}
		w.mod.post(fmt.Sprintf("/mod/topics/%d/lock", topic), "reason", "Cooling off", "locked", "true")
		if p := w.r1.post(fmt.Sprintf("/t/%d/replies", topic), "body", "late"); p.status != http.StatusForbidden {
			t.Errorf("reply to a locked topic: %d", p.status)
		}
		w.mod.post(fmt.Sprintf("/mod/topics/%d/pin", topic), "reason", "Important", "pinned", "true")
		list := w.r1.get("/g/support").body
		if strings.Index(list, "Heated") > strings.Index(list, "Newer topic") {
			t.Error("the pinned topic is not first")
		}
		mustContain(t, w.mod.get("/mod/log").body, "lock_topic", "pin_topic", "Cooling off")
	})
}

func TestAppealsGoToSomeoneWhoDidNotAct(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newModWorld(t, db)
		topic := w.author.newTopic("support", "Strong words", "Quite strong words here.")
		post := w.a.firstPostID(topic)
		w.mod.post(fmt.Sprintf("/mod/posts/%d/hide", post), "reason", "Too harsh")
		var logID int64
		db.Raw(`SELECT id FROM moderation_log WHERE action = 'hide_post'`).Scan(&logID)
		if p := w.author.post(fmt.Sprintf("/account/moderation/%d/appeal", logID), "text", "I was quoting a song."); p.status != http.StatusSeeOther {
			t.Fatalf("appeal: %d\n%s", p.status, p.body)
		}
		mustNotContain(t, w.mod.get("/mod").body, "I was quoting a song.") // the moderator who acted
		q := w.admin.get("/mod")
		mustContain(t, q.body, "I was quoting a song.", "Appeal of:", "hid a post: Too harsh")
		var item int64
		db.Raw(`SELECT id FROM queue_items WHERE kind = 'appeal'`).Scan(&item)
		if p := w.mod.post(fmt.Sprintf("/mod/reports/%d/dismiss", item), "reason", "No"); p.status != http.StatusForbidden {
			t.Errorf("the acting moderator answered the appeal of their own action: %d", p.status)
		}
		if p := w.admin.post(fmt.Sprintf("/mod/reports/%d/dismiss", item), "reason", "Upheld"); p.status != http.StatusSeeOther {
			t.Errorf("an admin answering the appeal: %d", p.status)
		}
	})
}

func TestSlowModeAndMovingTopics(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newModWorld(t, db)
		topic := w.author.newTopic("support", "Busy thread", "x")
		if p := w.mod.post(fmt.Sprintf("/mod/topics/%d/slow", topic), "reason", "Calm down", "seconds", "42"); p.status != http.StatusBadRequest {
			t.Errorf("odd slow-mode value: %d", p.status)
		}
		w.mod.post(fmt.Sprintf("/mod/topics/%d/slow", topic), "reason", "Calm down", "seconds", "300")
		w.r1.reply(topic, "first reply")
		p := w.r1.post(fmt.Sprintf("/t/%d/replies", topic), "body", "second reply too soon", "_submit", "slow-2")
		if p.status != http.StatusUnprocessableEntity {
			t.Fatalf("second reply in slow mode: %d", p.status)
		}
		mustContain(t, p.body, "slow mode", "second reply too soon")
		w.mod.reply(topic, "moderators are not slowed") // the moderator is a member by appointment
		// Moving needs the moderator of both groups; an admin may.
		if p := w.mod.post(fmt.Sprintf("/mod/topics/%d/move", topic), "reason", "Fits better", "group", "elsewhere"); p.status != http.StatusForbidden {
			t.Errorf("a moderator moved a topic into a group they do not moderate: %d", p.status)
		}
		if p := w.admin.post(fmt.Sprintf("/mod/topics/%d/move", topic), "reason", "Fits better", "group", "elsewhere"); p.status != http.StatusSeeOther {
			t.Fatalf("admin move: %d", p.status)
		}
		mustContain(t, w.r1.get(fmt.Sprintf("/t/%d", topic)).body, `href="/g/elsewhere"`)
		mustContain(t, w.admin.get("/mod/log").body, "set slow mode", "moved a topic")
	})
}

// The queue is compact: one reason field per item, the sanctions folded away, and the crisis
// resources once at the top rather than in every item.
func TestQueueIsCompact(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newModWorld(t, db)
		risk := w.author.newTopic("support", "Tonight", "I want to end my life.", "crisis_ack", "1")
		other := w.r1.newTopic("support", "Second", "Just words.")
		w.r2.post(fmt.Sprintf("/p/%d/report", w.a.firstPostID(other)), "reason", "spam")
		third := w.r3.newTopic("support", "Third", "More words.")
		w.r2.post(fmt.Sprintf("/p/%d/report", w.a.firstPostID(third)), "reason", "spam")
		_ = risk
		q := w.admin.get("/mod")
		doc, err := goquery.NewDocumentFromReader(strings.NewReader(q.body))
		if err != nil {
			t.Fatal(err)
		}
		items := doc.Find("section.queue-item")
		if items.Length() != 3 {
			t.Fatalf("%d items in the queue, want 3", items.Length())
		}
		items.Each(func(i int, it *goquery.Selection) {
			if n := it.Find(`[name="reason"]`).Length(); n != 1 {
				t.Errorf("item %d has %d reason fields, want 1", i, n)
			}
			if n := it.Find(".crisis, .helplines").Length(); n != 0 {
				t.Errorf("item %d repeats the crisis resources", i)
			}
			it.Find(`button[formaction*="/members/"], button[formaction*="/suspend"]`).Each(func(_ int, b *goquery.Selection) {
				if b.Closest("details").Length() == 0 {
					t.Errorf("item %d: sanction %q is not folded away", i, b.Text())
				}
			})
		})
		if n := doc.Find("#queue-crisis-h").Length(); n != 1 {
			t.Errorf("the crisis resources are on the queue %d times, want once", n)
		}
		if doc.Find("#queue-crisis-h").Closest("section").Next().Is("section.queue-item") == false {
			t.Error("the crisis resources are not above the items")
		}
		// The one reason serves the member actions too.
		form := items.Eq(0).Find("form")
		item, _ := form.Find(`[name="item"]`).Attr("value")
		warn, _ := form.Find(`button[formaction$="/warn"]`).Attr("formaction")
		p := w.admin.post(warn, "reason", "Checking in with you", "item", item, "hours", "24", "back", "queue")
		if p.status != http.StatusSeeOther || p.location() != "/mod" {
			t.Fatalf("warn from the queue: %d %q\n%s", p.status, p.location(), p.body)
		}
	})
}

// Moderators and admins reach the queue from every page's header, with what is waiting (people at
// risk first); members who moderate nothing see no such link.
func TestHeaderLinksModeratorsToTheQueue(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newModWorld(t, db)
		mustContain(t, w.mod.get("/").body, `href="/mod" class="mod-link" aria-label="Moderation, 0 waiting"`)
		mustNotContain(t, w.author.get("/").body, `href="/mod"`)
		w.author.newTopic("support", "Tonight", "I want to end my life.", "crisis_ack", "1")
		plain := w.r1.newTopic("support", "Second", "Just words.")
		w.r2.post(fmt.Sprintf("/p/%d/report", w.a.firstPostID(plain)), "reason", "spam")
		for _, c := range []*client{w.mod, w.admin} {
			mustContain(t, c.get("/groups").body, `aria-label="Moderation, 1 at risk, 2 waiting"`)
		}
		mustContain(t, w.other.get("/").body, `aria-label="Moderation, 0 waiting"`) // another group's moderator
		mustNotContain(t, w.r1.get("/").body, `href="/mod"`)
	})
}

// The header's two counts come from one statement with a row per moderated group: a moderator of
// several groups sees each count once and whole, each change on the very next page, and the link
// goes the moment they stop moderating.
func TestHeaderCountsForAModeratorOfSeveralGroups(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newModWorld(t, db)
		w.admin.post("/admin/groups/elsewhere/moderators", "action", "add", "username", "mw_mod")
		w.mod.join("elsewhere")
		w.author.join("elsewhere")
		topic := w.author.newTopic("support", "Followed", "Words.")
		w.mod.post(fmt.Sprintf("/t/%d/follow", topic), "follow", "true")
		mustContain(t, w.mod.get("/").body, `aria-label="Moderation, 0 waiting"`, `aria-label="Notifications, 0 unread"`)
		w.r1.reply(topic, "A reply the moderator is told of.")
		mustContain(t, w.mod.get("/").body, `aria-label="Notifications, 1 unread"`, `aria-label="Moderation, 0 waiting"`)
		for i, slug := range []string{"elsewhere", "support"} {
			plain := w.author.newTopic(slug, "Report me "+slug, "Just words.")
			w.r2.post(fmt.Sprintf("/p/%d/report", w.a.firstPostID(plain)), "reason", "spam")
			mustContain(t, w.mod.get(fmt.Sprintf("/t/%d", topic)).body, fmt.Sprintf(`aria-label="Moderation, %d waiting"`, i+1),
				`aria-label="Notifications, 1 unread"`)
		}
		mustContain(t, w.other.get("/").body, `aria-label="Moderation, 1 waiting"`) // elsewhere's only
		for _, slug := range []string{"support", "elsewhere"} {
			w.admin.post("/admin/groups/"+slug+"/moderators", "action", "remove", "username", "mw_mod")
		}
		p := w.mod.get("/g/support")
		mustNotContain(t, p.body, `href="/mod"`)
		mustContain(t, p.body, `aria-label="Notifications, 1 unread"`)
	})
}

// A post moderators hid takes no reactions: not from its page, not from a hand-made request.
func TestHiddenPostsTakeNoReactions(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newModWorld(t, db)
		topic := w.author.newTopic("support", "A heated thread", "Something unkind.")
		post := w.a.firstPostID(topic)
		reply := w.r1.reply(topic, "A kind reply.")
		if p := w.mod.post(fmt.Sprintf("/mod/posts/%d/hide", post), "reason", "Please keep it kind"); p.status != http.StatusSeeOther {
			t.Fatalf("hide: %d", p.status)
		}
		page := w.r2.get(fmt.Sprintf("/t/%d", topic)).body
		mustNotContain(t, page, fmt.Sprintf(`action="/p/%d/react"`, post), fmt.Sprintf(`?quote=%d`, post))
		mustContain(t, page, fmt.Sprintf(`action="/p/%d/react"`, reply))
		if p := w.r2.post(fmt.Sprintf("/p/%d/react", post), "kind", "hear_you"); p.status != http.StatusForbidden {
			t.Errorf("a reaction on a hidden post: %d", p.status)
		}
		var n int64
		db.Raw(`SELECT COUNT(*) FROM reactions WHERE post_id = ?`, post).Scan(&n)
		if n != 0 {
			t.Errorf("%d reactions stored on a hidden post", n)
		}
		if p := w.r2.post(fmt.Sprintf("/p/%d/react", reply), "kind", "hear_you"); p.status != http.StatusSeeOther {
			t.Errorf("a reaction on a visible post: %d", p.status)
		}
	})
}

// Visitors reading public groups see no member-only buttons that would lead to a sign-in page.
func TestVisitorsSeeNoMemberOnlyActions(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newModWorld(t, db)
		w.admin.post("/admin/settings", "visitors_read", "1", "crisis_phrases", "")
		topic := w.author.newTopic("support", "Open words", "Anyone may read this.")
		visitor := w.a.client().get(fmt.Sprintf("/t/%d", topic))
		if visitor.status != http.StatusOK {
			t.Fatalf("visitor: %d", visitor.status)
		}
		mustContain(t, visitor.body, "Anyone may read this.")
		mustNotContain(t, visitor.body, "Mute mw_author", `action="/account/mutes"`, "/react\"", "/report\"")
		mustContain(t, w.r1.get(fmt.Sprintf("/t/%d", topic)).body, "Mute mw_author")
	})
}

// An admin who leaves the address empty gets one made from the group's name.
func TestGroupAddressFromName(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newApp(t, db)
		admin := a.admin("slug_admin")
		for name, want := range map[string]string{"Grief & Loss": "/g/grief-loss", "  Café Été  ": "/g/cafe-ete"} {
			p := admin.post("/admin/groups", "name", name, "slug", "", "description", "About it", "rules", "Be kind.", "visibility", "public")
			if p.status != http.StatusSeeOther {
				t.Fatalf("create %q without an address: %d\n%s", name, p.status, p.body)
			}
			if got := admin.get(want); got.status != http.StatusOK {
				t.Errorf("%q: %s answers %d", name, want, got.status)
			}
		}
		p := admin.post("/admin/groups", "name", "Grief & Loss", "slug", "", "description", "Again", "visibility", "public")
		if p.status != http.StatusConflict && p.status != http.StatusUnprocessableEntity && p.status != http.StatusBadRequest {
			t.Errorf("a second group with the same derived address: %d", p.status)
		}
		mustContain(t, p.body, "Another group already has that address.", "Grief &amp; Loss")
	})
}
