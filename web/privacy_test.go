package web_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/haven-forum/haven/internal/dbtest"
	"gorm.io/gorm"
)

func (a *app) eventCount(t *testing.T) int64 {
	t.Helper()
	if err := a.privacy.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	var n int64
	a.db.Raw(`SELECT COUNT(*) FROM activity_events`).Scan(&n)
	return n
}

func TestReadingHistoryThroughTheDashboard(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newApp(t, db)
		a.admin("p_admin").createGroup("Grief", "grief", "public", false)
		m := a.member("p_reader")
		m.join("grief")
		topic := m.newTopic("grief", "First winter", "It's cold without her.")
		dash := m.get("/privacy")
		mustContain(t, dash.body, "Reading history", "Off.", `name="enabled" value="true"`)
		m.get(fmt.Sprintf("/t/%d", topic))
		if n := a.eventCount(t); n != 0 {
			t.Fatalf("%d events with every switch off", n)
		}
		if p := m.post("/privacy/consent", "purpose", "reading_history", "enabled", "true"); p.status != http.StatusSeeOther {
			t.Fatalf("switch on: %d", p.status)
		}
		m.get(fmt.Sprintf("/t/%d", topic))
		list := m.get("/privacy/activity")
		mustContain(t, list.body, "First winter", "Grief", "1 item,")
		// Global Privacy Control: nothing, whatever the switch says; and the dashboard says so.
		req, _ := http.NewRequest(http.MethodGet, a.srv.URL+fmt.Sprintf("/t/%d", topic), nil)
		req.Header.Set("Sec-GPC", "1")
		m.do(req)
		if n := a.eventCount(t); n != 1 {
			t.Errorf("%d events after a GPC request, want 1", n)
		}
		req, _ = http.NewRequest(http.MethodGet, a.srv.URL+"/privacy", nil)
		req.Header.Set("Sec-GPC", "1")
		mustContain(t, m.do(req).body, "Global Privacy Control")
		// Withdraw: holds from the very next request, and offers to erase right there.
		off := m.post("/privacy/consent", "purpose", "reading_history", "enabled", "false")
		mustContain(t, m.get(off.location()).body, "Also erase what it recorded")
		m.get(fmt.Sprintf("/t/%d", topic))
		if n := a.eventCount(t); n != 1 {
			t.Errorf("%d events after withdrawing, want 1", n)
		}
		id := regexp.MustCompile(`/privacy/activity/(\d+)/delete`).FindStringSubmatch(m.get("/privacy/activity").body)
		if id == nil {
			t.Fatal("no delete button for the item")
		}
		if p := m.post("/privacy/activity/" + id[1] + "/delete"); p.status != http.StatusSeeOther {
			t.Fatalf("delete item: %d", p.status)
		}
		if n := a.eventCount(t); n != 0 {
			t.Errorf("%d events after deleting the only one", n)
		}
		mustContain(t, m.get("/privacy").body, "Receipt", "switched <strong>off</strong>", "switched <strong>on</strong>")
	})
}

func TestModeratorsAndAdminsNeverSeeAnotherMembersRecord(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newApp(t, db)
		admin := a.admin("sep_admin")
		admin.createGroup("Support", "support", "public", false)
		mod := a.member("sep_mod")
		admin.post("/admin/groups/support/moderators", "action", "add", "username", "sep_mod")
		m := a.member("sep_member")
		m.join("support")
		topic := m.newTopic("support", "PRIVATE-READING-TITLE", "body")
		m.post("/privacy/consent", "purpose", "reading_history", "enabled", "true")
		m.get(fmt.Sprintf("/t/%d", topic))
		var eventID int64
		var receipt string
		db.Raw(`SELECT id FROM activity_events`).Scan(&eventID)
		db.Raw(`SELECT receipt_id FROM consent_records`).Scan(&receipt)
		for name, c := range map[string]*client{"moderator": mod, "admin": admin} {
			// Every privacy route is the viewer's own: there is no way to name another member.
			if p := c.post("/privacy/activity/" + strconv.FormatInt(eventID, 10) + "/delete"); p.status != http.StatusNotFound {
				t.Errorf("%s deleting another member's event: %d", name, p.status)
			}
			if p := c.get("/privacy/receipts/" + receipt); p.status != http.StatusNotFound {
				t.Errorf("%s reading another member's receipt: %d", name, p.status)
			}
			for _, path := range []string{"/privacy", "/privacy/activity", "/privacy/export", "/admin", "/g/support", "/mod", "/mod/log"} {
				p := c.get(path)
				if strings.Contains(p.body, "PRIVATE-READING-TITLE") && path != "/g/support" {
					t.Errorf("%s sees the member's reading record on %s", name, path)
				}
				if path == "/privacy/activity" && strings.Contains(p.body, "sep_member") {
					t.Errorf("%s sees the member on %s", name, path)
				}
			}
		}
		if n := a.eventCount(t); n != 1 {
			t.Errorf("%d events, want the member's one", n)
		}
	})
}

func TestLogsNeverHoldWhoReadWhat(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newApp(t, db)
		a.admin("log_admin").createGroup("Quiet", "quiet", "public", false)
		m := a.member("log_reader_77")
		m.join("quiet")
		topic := m.newTopic("quiet", "Logged title", "x")
		m.post("/privacy/consent", "purpose", "reading_history", "enabled", "true")
		m.get(fmt.Sprintf("/t/%d", topic))
		m.get(fmt.Sprintf("/p/%d", a.firstPostID(topic)))
		m.get("/search?q=needle-in-log")
		var memberID int64
		db.Raw(`SELECT id FROM members WHERE username = 'log_reader_77'`).Scan(&memberID)
		logs := a.logs.String()
		for _, secret := range []string{"log_reader_77", "127.0.0.1", "needle-in-log", "Logged title",
			fmt.Sprintf("/t/%d", topic), fmt.Sprintf("id=%d", memberID), fmt.Sprintf("=%d ", topic)} {
			if strings.Contains(logs, secret) {
				t.Errorf("the log holds %q", secret)
			}
		}
		if !strings.Contains(logs, "route=/t/:id") {
			t.Errorf("the log lacks the route pattern:\n%s", logs)
		}
	})
}
