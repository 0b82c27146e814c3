package web_test

import (
	"fmt"
	"html"
	"net/http"
	"testing"
	"time"

	"github.com/haven-forum/haven/internal/dbtest"
	"github.com/haven-forum/haven/internal/forum"
	"github.com/haven-forum/haven/internal/throttle"
	"github.com/haven-forum/haven/web"
	"gorm.io/gorm"
)

func TestWatchedWordsAdminRoutesAndBlock(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newApp(t, db)
		admin := a.admin("ww_admin")
		admin.createGroup("Grief Support", "grief", "public", false)
		ann := a.member("ww_ann")
		ann.join("grief")

		assertStatus(t, ann.post("/admin/watched-words", "word", "casino", "action", "block"), http.StatusNotFound, "a member adds a word")
		p := admin.post("/admin/watched-words", "word", "  Online CASINO ", "action", "block")
		if p.status != http.StatusSeeOther || p.location() != "/admin" {
			t.Fatalf("add: %d %q\n%s", p.status, p.location(), p.body)
		}
		var id int64
		db.Raw(`SELECT id FROM watched_words WHERE word = 'online casino' AND action = 'block'`).Scan(&id)
		if id == 0 {
			t.Fatal("the word was not stored")
		}
		p = admin.post("/admin/watched-words", "word", "online casino", "action", "flag")
		assertStatus(t, p, http.StatusUnprocessableEntity, "a duplicate word")
		mustContain(t, p.body, "is already on the list", `value="online casino"`, "Stop watching")
		assertStatus(t, admin.post("/admin/watched-words", "word", "spam", "action", "ban"), http.StatusUnprocessableEntity, "an unknown action")

		// A blocked post is refused with the reason on the body field and the text kept.
		p = ann.post("/g/grief/topics", "title", "Tonight", "body", "Try my online\ncasino link", "_submit", randomKey())
		assertStatus(t, p, http.StatusUnprocessableEntity, "a post with a blocked word")
		mustContain(t, p.body, html.EscapeString("Your post contains “online casino”, which isn't allowed here. Your text is kept below: edit it and post again."),
			"Try my online\ncasino link", `value="Tonight"`)
		var posts int64
		db.Raw(`SELECT COUNT(*) FROM posts`).Scan(&posts)
		if posts != 0 {
			t.Errorf("%d posts stored after a block", posts)
		}

		assertStatus(t, ann.post(fmt.Sprintf("/admin/watched-words/%d/delete", id)), http.StatusNotFound, "a member deletes a word")
		p = admin.post(fmt.Sprintf("/admin/watched-words/%d/delete", id))
		if p.status != http.StatusSeeOther || p.location() != "/admin" {
			t.Fatalf("delete: %d %q", p.status, p.location())
		}
		ann.newTopic("grief", "Tonight", "Try my online casino link")
	})
}

func TestHoldFirstPostsAndApproveThroughTheRoutes(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newApp(t, db)
		admin := a.admin("hold_admin")
		admin.createGroup("Grief Support", "grief", "public", false)
		ann, ben := a.member("hold_ann"), a.member("hold_ben")
		ann.join("grief")
		topic := ann.newTopic("grief", "Sleepless", "The nights are long.")

		assertStatus(t, ann.post("/admin/groups/grief/hold", "hold_first_posts", "1"), http.StatusNotFound, "a member sets holding")
		p := admin.post("/admin/groups/grief/hold", "hold_first_posts", "fifty")
		assertStatus(t, p, http.StatusUnprocessableEntity, "a non-number")
		mustContain(t, p.body, "Enter a number from 0 to 50.", `value="fifty"`)
		p = admin.post("/admin/groups/grief/hold", "hold_first_posts", "1")
		if p.status != http.StatusSeeOther || p.location() != "/admin/groups/grief" {
			t.Fatalf("hold: %d %q\n%s", p.status, p.location(), p.body)
		}

		ben.join("grief")
		held := ben.reply(topic, "Marigold evenings help me.")
		mustNotContain(t, ann.get(fmt.Sprintf("/t/%d", topic)).body, "Marigold evenings")
		mustNotContain(t, ann.get("/search?q=marigold").body, "Marigold evenings")
		mustContain(t, ben.get(fmt.Sprintf("/t/%d", topic)).body, "Marigold evenings")
		mustContain(t, admin.get("/mod").body, "Post waiting for approval", "Marigold evenings")

		approve := fmt.Sprintf("/mod/posts/%d/approve", held)
		assertStatus(t, ann.post(approve, "reason", "looks fine"), http.StatusNotFound, "a member approves a post held from her sight")
		assertStatus(t, admin.post(approve), http.StatusBadRequest, "approval without a reason")
		p = admin.post(approve, "reason", "Welcome, ben")
		if p.status != http.StatusSeeOther || p.location() != "/mod" {
			t.Fatalf("approve: %d %q\n%s", p.status, p.location(), p.body)
		}
		mustContain(t, ann.get(fmt.Sprintf("/t/%d", topic)).body, "Marigold evenings")
		mustContain(t, ann.get("/search?q=marigold").body, "Marigold")
		mustContain(t, ann.get("/notifications").body, "hold_ben")
		mustContain(t, admin.get("/mod/log").body, "approve_post", "Welcome, ben")
		mustNotContain(t, admin.get("/mod").body, "Post waiting for approval")
		assertStatus(t, admin.post(approve, "reason", "again"), http.StatusConflict, "approving twice")

		// With one post published, the next goes out at once.
		ben.reply(topic, "Thank you all.")
		mustContain(t, ann.get(fmt.Sprintf("/t/%d", topic)).body, "Thank you all.")
	})
}

func TestRateLimitOnTopicsKeepsTheText(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		limits := forum.DefaultPostLimits
		limits.NewTopics = throttle.Limit{Max: 2, Window: time.Hour}
		a := newApp(t, db, func(d *web.Deps) { d.Forum.WithPostLimits(d.SessionKey, limits) })
		a.admin("rl_admin").createGroup("Grief Support", "grief", "public", false)
		ann := a.member("rl_ann")
		ann.join("grief")
		topic := ann.newTopic("grief", "A topic", "Some text.")
		ann.newTopic("grief", "Another topic", "Some text.")
		p := ann.post("/g/grief/topics", "title", "A third topic", "body", "Words I do not want to lose.", "_submit", randomKey())
		assertStatus(t, p, http.StatusUnprocessableEntity, "a topic over the limit")
		mustContain(t, p.body, html.EscapeString("You're posting faster than Haven allows for now (new accounts have lower limits). Please try again in "),
			"Your text is kept.", "Words I do not want to lose.", `value="A third topic"`)
		ann.reply(topic, "Replies have their own limit.")
	})
}
