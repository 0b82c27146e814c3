package web_test

import (
	"fmt"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/haven-forum/haven/internal/dbtest"
	"gorm.io/gorm"
)

// Lowering the retention erases the events older than it, like any other erasure: the log is
// folded and truncated before the member is told, so the deleted rows are in no file.
func TestLoweringRetentionFoldsTheLog(t *testing.T) {
	t.Parallel()
	a, path := fileApp(t)
	a.admin("ret_admin").createGroup("Grief", "grief", "public", false)
	m := a.member("ret_reader")
	m.join("grief")
	topic := m.newTopic("grief", "Old evenings", "Some words.")
	m.post("/privacy/consent", "purpose", "reading_history", "enabled", "true")
	m.get(fmt.Sprintf("/t/%d", topic))
	if n := a.eventCount(t); n != 1 {
		t.Fatalf("%d events recorded, want 1", n)
	}
	a.db.Exec(`UPDATE activity_events SET created_at = ?`, time.Now().UTC().Add(-60*24*time.Hour))
	if p := m.post("/privacy/retention", "retention_days", "30"); p.status != http.StatusSeeOther {
		t.Fatalf("retention: %d", p.status)
	}
	if n := a.eventCount(t); n != 0 {
		t.Fatalf("%d events older than the retention are left", n)
	}
	if fi, err := os.Stat(path + "-wal"); err == nil && fi.Size() != 0 {
		t.Errorf("the log holds %d bytes after the retention erased events: it was not folded", fi.Size())
	}
}

// The dashboard says in words everything else Haven holds about the member: their sign-in,
// the automatic at-risk flag on their posts, queue items about them, sanctions with their
// end, the reports they filed with their text, their appeals, what they did as a moderator
// and the erasure list.
func TestDashboardSaysEverythingElseHeld(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		t.Parallel()
		a := newApp(t, db)
		a.admin("held_admin").createGroup("Grief", "grief", "public", false)
		other := a.member("held_other")
		other.join("grief")
		topic := other.newTopic("grief", "Evenings", "The evenings are long.")
		m := a.member("held_member")
		m.join("grief")
		mine := m.reply(topic, "Me too.")
		if p := m.post(fmt.Sprintf("/p/%d/report", a.firstPostID(topic)), "reason", "other", "details", "Worried about them"); p.status != http.StatusSeeOther {
			t.Fatalf("report: %d\n%s", p.status, p.body)
		}
		db.Exec(`UPDATE posts SET crisis_concern = ? WHERE id = ?`, true, mine)
		var g, memberID int64
		db.Raw(`SELECT id FROM groups WHERE slug = 'grief'`).Scan(&g)
		db.Raw(`SELECT id FROM members WHERE username = 'held_member'`).Scan(&memberID)
		until := time.Date(2031, 3, 4, 5, 6, 0, 0, time.UTC)
		db.Exec(`INSERT INTO group_sanctions (group_id, member_id, kind, until, created_at) VALUES (?, ?, 'mute', ?, ?)`, g, memberID, until, time.Now().UTC())
		m.post("/notifications/clear")

		dash := m.get("/privacy")
		mustContain(t, dash.body, "Everything else Haven holds about you", "Your sign-in", "A session signed in <time datetime=",
			"recovery codes left", fmt.Sprintf("Your post #%d is flagged as possibly at risk.", mine),
			fmt.Sprintf("Post #%d, <time datetime=", a.firstPostID(topic)), "Worried about them",
			"Muted in Grief since", `until <time datetime="2031-03-04T05:06:00Z" title="Tuesday 4 March 2031, 05:06 UTC">4 Mar 2031</time>`, "notifications cleared",
			"You have not appealed anything.", "Nothing: you have not moderated.")
		mustNotContain(t, other.get("/privacy").body, "Worried about them")
	})
}

// Every inference the dashboard shows is named by the text of the purpose it comes from, in
// the policy and on the switch the member turned on.
func TestEveryInferenceIsNamedByItsPurpose(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		t.Parallel()
		a := newApp(t, db)
		a.admin("inf_admin").createGroup("Grief", "grief", "public", false)
		m := a.member("inf_reader")
		m.join("grief")
		topic := m.newTopic("grief", "Winter", "Cold.")
		m.post("/privacy/consent", "purpose", "reading_history", "enabled", "true")
		m.get(fmt.Sprintf("/t/%d", topic))
		a.eventCount(t)
		dash := m.get("/privacy").body
		labels := regexp.MustCompile(`(Interested in) Grief`).FindAllStringSubmatch(dash, -1)
		if len(labels) == 0 {
			t.Fatal("the dashboard shows no inference; the test proves nothing")
		}
		policy := m.get("/privacy/policy").body
		for _, l := range labels {
			named := "“" + l[1] + " &lt;group&gt;”"
			if !strings.Contains(policy, named) || !strings.Contains(dash, named) {
				t.Errorf("the inference %q is not named by a purpose text (%s) in the policy and on the switch", l[0], named)
			}
		}
	})
}
