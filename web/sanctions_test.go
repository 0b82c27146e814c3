package web_test

import (
	"fmt"
	"net/http"
	"regexp"
	"testing"
	"time"

	"github.com/haven-forum/haven/internal/dbtest"
	"gorm.io/gorm"
)

func memberID(t *testing.T, db *gorm.DB, username string) int64 {
	t.Helper()
	var id int64
	if err := db.Raw(`SELECT id FROM members WHERE username = ?`, username).Scan(&id).Error; err != nil || id == 0 {
		t.Fatalf("member %s: %v", username, err)
	}
	return id
}

// postingRefused checks that a member can neither start a topic, reply nor react, and is told why.
func postingRefused(t *testing.T, c *client, slug string, topic, post int64, why ...string) {
	t.Helper()
	for what, p := range map[string]page{
		"topic": c.post("/g/"+slug+"/topics", "title", "Still here", "body", "Hello again", "_submit", randomKey()),
		"reply": c.post(fmt.Sprintf("/t/%d/replies", topic), "body", "Me again", "_submit", randomKey()),
		"react": c.post(fmt.Sprintf("/p/%d/react", post), "kind", "hear_you"),
	} {
		if p.status != http.StatusForbidden {
			t.Errorf("%s: status %d, want 403", what, p.status)
			continue
		}
		mustContain(t, p.body, why...)
	}
}

func TestMuteStopsPostingUntilItEnds(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newModWorld(t, db)
		topic := w.r1.newTopic("support", "Long week", "It has been a long week.")
		post := w.a.firstPostID(topic)
		for _, bad := range [][]string{
			{"mute", "reason", "Cooling off", "hours", "0"},
			{"mute", "reason", "Cooling off", "hours", "721"},
			{"mute", "reason", "Cooling off"},
			{"mute", "reason", "  ", "hours", "24"},
			{"shout", "reason", "Cooling off"},
		} {
			p := w.mod.post("/mod/groups/support/members/mw_author/"+bad[0], bad[1:]...)
			if p.status != http.StatusBadRequest {
				t.Errorf("%v: status %d, want 400", bad, p.status)
			}
		}
		mustContain(t, w.mod.post("/mod/groups/support/members/mw_author/shout", "reason", "x").body, "Haven does not know the action")
		if n := count(t, db, `SELECT COUNT(*) FROM group_sanctions`) + count(t, db, `SELECT COUNT(*) FROM moderation_log`); n != 0 {
			t.Fatalf("refused actions left %d rows", n)
		}

		p := w.mod.post("/mod/groups/support/members/mw_author/mute", "reason", "Cooling off after the argument", "hours", "24")
		if p.status != http.StatusSeeOther || p.location() != "/mod" {
			t.Fatalf("mute: %d %q\n%s", p.status, p.location(), p.body)
		}
		postingRefused(t, w.author, "support", topic, post, "A moderator muted you in this group: Cooling off after the argument", "You can still read",
			"It ends <time datetime=")
		assertStatus(t, w.author.get(fmt.Sprintf("/t/%d", topic)), http.StatusOK, "a muted member reads")
		w.r1.reply(topic, "Others still post") // only the muted member is stopped

		db.Exec(`UPDATE group_sanctions SET until = ? WHERE kind = 'mute'`, time.Now().UTC().Add(-time.Minute))
		w.author.newTopic("support", "Back again", "Thanks for waiting.")
		w.author.reply(topic, "Sorry about earlier.")
		if p := w.mod.post("/mod/groups/support/members/mw_author/unmute", "reason", "Over"); p.status != http.StatusConflict {
			t.Errorf("unmute after the mute ended: %d", p.status)
		}
	})
}

func TestBanRemovesAndStopsRejoiningAndPosting(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newModWorld(t, db)
		topic := w.r1.newTopic("support", "Anyone around", "Evening all.")
		post := w.a.firstPostID(topic)
		if p := w.mod.post("/mod/groups/support/members/mw_author/ban", "reason", "Repeated harassment", "back", "group"); p.status != http.StatusSeeOther || p.location() != "/g/support" {
			t.Fatalf("ban: %d %q\n%s", p.status, p.location(), p.body)
		}
		author := memberID(t, db, "mw_author")
		if n := count(t, db, `SELECT COUNT(*) FROM group_members WHERE member_id = ?`, author); n != 0 {
			t.Errorf("a banned member is still in the group")
		}
		rejoin := w.author.post("/g/support/join")
		assertStatus(t, rejoin, http.StatusForbidden, "a banned member rejoins")
		postingRefused(t, w.author, "support", topic, post)
		w.author.join("elsewhere") // a ban is for one group

		assertStatus(t, w.mod.post("/mod/groups/support/members/mw_author/unban", "reason", "Apologised"), http.StatusSeeOther, "unban")
		w.author.join("support")
		w.author.reply(topic, "I am sorry.")

		assertStatus(t, w.mod.post("/mod/groups/support/members/mw_author/remove", "reason", "Asked to leave"), http.StatusSeeOther, "remove")
		if n := count(t, db, `SELECT COUNT(*) FROM group_members gm JOIN groups g ON g.id = gm.group_id WHERE g.slug = 'support' AND member_id = ?`, author); n != 0 {
			t.Error("a removed member is still in the group")
		}
		assertStatus(t, w.mod.post("/mod/groups/support/members/mw_author/remove", "reason", "Again"), http.StatusConflict, "remove twice")
	})
}

func TestSanctionsOutsideTheirGroupsAreForbidden(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newModWorld(t, db)
		w.admin.post("/admin/groups/support/moderators", "action", "add", "username", "mw_r3")
		for _, tc := range []struct {
			who  *client
			path string
		}{
			{w.other, "/mod/groups/support/members/mw_author/ban"}, // moderates another group
			{w.r1, "/mod/groups/support/members/mw_author/ban"},    // moderates nothing
			{w.mod, "/mod/groups/support/members/mw_mod/mute"},     // themself
			{w.mod, "/mod/groups/support/members/mw_admin/mute"},   // an admin
			{w.mod, "/mod/groups/support/members/mw_r3/ban"},       // a fellow moderator
		} {
			p := tc.who.post(tc.path, "reason", "Because", "hours", "5")
			if p.status != http.StatusForbidden {
				t.Errorf("%s: status %d, want 403", tc.path, p.status)
			}
		}
		if n := count(t, db, `SELECT COUNT(*) FROM group_sanctions`) + count(t, db, `SELECT COUNT(*) FROM moderation_log`); n != 0 {
			t.Fatalf("forbidden actions left %d rows", n)
		}
		assertStatus(t, w.mod.post("/mod/groups/support/members/nobody_here/warn", "reason", "x"), http.StatusBadRequest, "unknown member")
		// An admin can act on a moderator.
		assertStatus(t, w.admin.post("/mod/groups/support/members/mw_r3/mute", "reason", "Heated", "hours", "2"), http.StatusSeeOther, "admin mutes a moderator")
	})
}

func TestSuspendEndsSessionsAndStopsPostingEverywhere(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newModWorld(t, db)
		w.author.join("elsewhere")
		topic := w.r1.newTopic("support", "Quiet night", "Anyone up?")
		post := w.a.firstPostID(topic)
		assertStatus(t, w.mod.post("/admin/members/mw_author/suspend", "reason", "Spam", "days", "7"), http.StatusNotFound, "a moderator suspends")
		assertStatus(t, w.admin.post("/admin/members/mw_author/suspend", "reason", "Spam", "days", "0"), http.StatusBadRequest, "0 days")
		assertStatus(t, w.admin.post("/admin/members/mw_author/suspend", "reason", "Spam", "days", "9", "action", "explode"), http.StatusBadRequest, "unknown action")
		assertStatus(t, w.admin.post("/admin/members/mw_admin/suspend", "reason", "Spam", "days", "9"), http.StatusForbidden, "an admin suspends themself")
		if n := count(t, db, `SELECT COUNT(*) FROM suspensions`); n != 0 {
			t.Fatalf("%d suspensions after refused requests", n)
		}

		p := w.admin.post("/admin/members/mw_author/suspend", "reason", "Selling things to members", "days", "forever")
		if p.status != http.StatusSeeOther {
			t.Fatalf("suspend: %d\n%s", p.status, p.body)
		}
		author := memberID(t, db, "mw_author")
		if n := count(t, db, `SELECT COUNT(*) FROM sessions WHERE member_id = ?`, author); n != 0 {
			t.Errorf("%d sessions left after a suspension", n)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM suspensions WHERE member_id = ? AND until IS NULL`, author); n != 1 {
			t.Errorf("suspension for good not stored")
		}
		if p := w.author.get("/account"); p.status != http.StatusSeeOther {
			t.Errorf("the old session still works: %d", p.status)
		}
		w.author.logIn("mw_author", goodPassword)
		postingRefused(t, w.author, "support", topic, post, "An admin suspended your account", "Selling things to members")
		p = w.author.post("/g/elsewhere/topics", "title", "Buy now", "body", "Cheap", "_submit", randomKey())
		assertStatus(t, p, http.StatusForbidden, "a suspended member posts in another group")

		assertStatus(t, w.admin.post("/admin/members/mw_author/suspend", "action", "lift", "reason", "Appeal accepted"), http.StatusSeeOther, "lift")
		w.author.reply(topic, "Thanks for having me back.")
		assertStatus(t, w.admin.post("/admin/members/mw_author/suspend", "action", "lift", "reason", "Again"), http.StatusConflict, "lift twice")
		var actions []string
		db.Raw(`SELECT action FROM moderation_log WHERE target_member_id = ? ORDER BY id`, author).Scan(&actions)
		if fmt.Sprint(actions) != "[suspend unsuspend]" {
			t.Errorf("log: %v", actions)
		}
	})
}

var dismissLink = regexp.MustCompile(`/mod/reports/(\d+)/dismiss`)

func TestWarnShowsOnTheMembersOwnPageWithoutWhoActedOrReported(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newModWorld(t, db)
		topic := w.author.newTopic("support", "Rant", "Everyone here is useless.")
		w.r1.post(fmt.Sprintf("/p/%d/report", w.a.firstPostID(topic)), "reason", "harassment")
		m := dismissLink.FindStringSubmatch(w.mod.get("/mod").body)
		if m == nil {
			t.Fatal("no item in the queue")
		}
		p := w.mod.post("/mod/groups/support/members/mw_author/warn", "reason", "Please keep it kind", "item", m[1])
		if p.status != http.StatusSeeOther {
			t.Fatalf("warn: %d\n%s", p.status, p.body)
		}
		again := w.admin.post("/mod/groups/support/members/mw_author/warn", "reason", "Second warning", "item", m[1])
		assertStatus(t, again, http.StatusConflict, "acting on a handled item")
		mustContain(t, again.body, "Already handled by mw_mod")
		if n := count(t, db, `SELECT COUNT(*) FROM moderation_log`); n != 1 {
			t.Errorf("%d log entries, want 1", n)
		}

		page := w.author.get("/account/moderation")
		mustContain(t, page.body, "A moderator warned you in Support", "Please keep it kind", "Appeal")
		mustNotContain(t, page.body, "mw_mod", "mw_r1", "harassment")
		mustNotContain(t, w.r1.get("/account/moderation").body, "Please keep it kind")
	})
}

func TestAppealOnceGoesToAnotherModerator(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newModWorld(t, db)
		w.admin.post("/admin/groups/support/moderators", "action", "add", "username", "mw_r3")
		w.mod.post("/mod/groups/support/members/mw_author/mute", "reason", "Cooling off", "hours", "12")
		var logID int64
		db.Raw(`SELECT id FROM moderation_log WHERE action = 'mute'`).Scan(&logID)
		path := fmt.Sprintf("/account/moderation/%d/appeal", logID)

		assertStatus(t, w.r1.post(path, "text", "Not fair"), http.StatusNotFound, "someone else's entry")
		empty := w.author.post(path, "text", "  ")
		assertStatus(t, empty, http.StatusUnprocessableEntity, "an empty appeal")
		mustContain(t, empty.body, "Say why the action should be looked at again")
		if p := w.author.post(path, "text", "I was defending someone"); p.status != http.StatusSeeOther {
			t.Fatalf("appeal: %d\n%s", p.status, p.body)
		}
		var item struct {
			AssignedTo, AppealLogID, MemberID int64
			Detail                            string
		}
		db.Raw(`SELECT assigned_to, appeal_log_id, member_id, detail FROM queue_items WHERE kind = 'appeal'`).Scan(&item)
		if item.AssignedTo != memberID(t, db, "mw_r3") || item.AppealLogID != logID || item.Detail != "I was defending someone" ||
			item.MemberID != memberID(t, db, "mw_author") {
			t.Errorf("appeal item: %+v", item)
		}
		second := w.author.post(path, "text", "Please?")
		assertStatus(t, second, http.StatusConflict, "a second appeal")
		mustContain(t, second.body, "already appealed")
		if n := count(t, db, `SELECT COUNT(*) FROM queue_items WHERE kind = 'appeal'`); n != 1 {
			t.Errorf("%d appeal items", n)
		}
		mustContain(t, w.author.get("/account/moderation").body, "You appealed this action")
		mustContain(t, w.r3.get("/mod").body, "Appeal in Support", "I was defending someone")
	})
}

func TestEscalateSendsAPostToTheAdmins(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newModWorld(t, db)
		topic := w.author.newTopic("support", "Cheap pills", "Message me for pills.")
		post := w.a.firstPostID(topic)
		w.r1.post(fmt.Sprintf("/p/%d/report", post), "reason", "spam")
		path := fmt.Sprintf("/mod/posts/%d/escalate", post)
		assertStatus(t, w.other.post(path, "reason", "Look"), http.StatusForbidden, "a moderator of another group")
		assertStatus(t, w.mod.post(path, "reason", " "), http.StatusBadRequest, "no reason")
		if n := count(t, db, `SELECT COUNT(*) FROM queue_items WHERE kind = 'escalation'`); n != 0 {
			t.Fatalf("%d escalations after refused requests", n)
		}
		if p := w.mod.post(path, "reason", "Looks like a dealer"); p.status != http.StatusSeeOther {
			t.Fatalf("escalate: %d\n%s", p.status, p.body)
		}
		mustContain(t, w.admin.get("/mod").body, "Escalated to admins", "Looks like a dealer")
		if n := count(t, db, `SELECT COUNT(*) FROM queue_items WHERE kind = 'report' AND status = 'pending'`); n != 0 {
			t.Errorf("the report stays pending after escalation")
		}
		assertStatus(t, w.mod.post(path, "reason", "Again"), http.StatusConflict, "escalate twice")
		if n := count(t, db, `SELECT COUNT(*) FROM moderation_log WHERE action = 'escalate'`); n != 1 {
			t.Errorf("%d escalate entries", n)
		}
		mustContain(t, w.author.get("/account/moderation").body, "A moderator asked the site admins to look at your post")
	})
}
