package web_test

import (
	"net/http"
	"testing"

	"github.com/haven-forum/haven/internal/dbtest"
	"gorm.io/gorm"
)

func TestNotificationsPage(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newApp(t, db)
		a.admin("site_admin").createGroup("Grief Support", "grief", "public", true)
		stone, river, secret := a.member("stone"), a.member("quiet_river"), a.member("secret_writer")
		for _, c := range []*client{stone, river, secret} {
			c.join("grief")
		}
		topicID := stone.newTopic("grief", "Sleepless again", "Third night in a row.")
		river.reply(topicID, "I know that feeling.")
		secret.reply(topicID, "Me too.", "anonymous", "1")

		p := stone.get("/notifications")
		assertStatus(t, p, http.StatusOK, "GET /notifications")
		mustContain(t, p.body, "quiet_river replied to your topic “Sleepless again”",
			"Anonymous member replied to your topic “Sleepless again”", `name="reply" value="on" checked`)
		mustNotContain(t, p.body, "secret_writer")

		// Unchecked boxes are not sent: this switches replies off and keeps the rest on.
		p = stone.post("/notifications/settings", "quote", "on", "mention", "on", "join_answered", "on")
		if p.status != http.StatusSeeOther || p.location() != "/notifications" {
			t.Fatalf("save settings: %d %q", p.status, p.location())
		}
		p = stone.get("/notifications")
		mustContain(t, p.body, "Your notification settings were saved.", `name="mention" value="on" checked`)
		mustNotContain(t, p.body, `name="reply" value="on" checked`)
		river.reply(topicID, "Are you awake?")
		var n int64
		db.Raw(`SELECT COUNT(*) FROM notifications n JOIN members m ON m.id = n.member_id WHERE m.username = 'stone'`).Scan(&n)
		if n != 2 {
			t.Errorf("%d notifications stored after switching replies off, want the first 2", n)
		}

		p = stone.post("/notifications/clear")
		assertStatus(t, p, http.StatusSeeOther, "clear")
		p = stone.get("/notifications")
		mustContain(t, p.body, "All your notifications were deleted.")
		mustNotContain(t, p.body, "replied to your topic", "Clear all")

		if p := a.client().get("/notifications"); p.status != http.StatusSeeOther {
			t.Errorf("signed out: status %d, want a redirect to log in", p.status)
		}
	})
}
