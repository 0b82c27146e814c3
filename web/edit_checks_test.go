package web_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/haven-forum/haven/internal/dbtest"
	"gorm.io/gorm"
)

// An edit passes every check a new post passes: a blocked word refuses it (the text kept, the
// post unchanged), a held word sends it back to the queue and out of sight until approved
// (again after every held edit), a flagged word and a crisis phrase put it before the moderators.
// Replies and a topic's title and opening alike.
func TestEditsPassTheChecksANewPostPasses(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newModWorld(t, db)
		for word, action := range map[string]string{"casino": "block", "lottery": "hold", "raffle": "flag"} {
			if p := w.admin.post("/admin/watched-words", "word", word, "action", action); p.status != http.StatusSeeOther {
				t.Fatalf("watched word %s: %d", word, p.status)
			}
		}
		topic := w.author.newTopic("support", "Evenings", "A quiet opening.")
		opening := w.a.firstPostID(topic)
		reply := w.author.reply(topic, "A normal reply.")
		queued := func(post int64, kind string) int64 {
			var n int64
			db.Raw(`SELECT COUNT(*) FROM queue_items WHERE post_id = ? AND kind = ? AND status = 'pending'`, post, kind).Scan(&n)
			return n
		}
		edit := func(post int64, fields ...string) page {
			t.Helper()
			return w.author.post(fmt.Sprintf("/p/%d/edit", post), fields...)
		}
		thread := func() string { return w.r1.get(fmt.Sprintf("/t/%d", topic)).body }

		for _, tc := range []struct {
			name   string
			post   int64
			fields []string
		}{
			{"reply", reply, []string{"body", "Try the casino tonight."}},
			{"opening", opening, []string{"title", "Evenings", "body", "Try the casino tonight."}},
			{"title", opening, []string{"title", "Casino evenings", "body", "A quiet opening."}},
		} {
			p := edit(tc.post, tc.fields...)
			assertStatus(t, p, http.StatusUnprocessableEntity, "a blocked word in the "+tc.name)
			mustContain(t, p.body, "which isn&#39;t allowed here", "asino")
			mustNotContain(t, thread(), "asino")
		}

		// Flagged: published, and in the queue.
		assertStatus(t, edit(reply, "body", "Anyone for the raffle?"), http.StatusSeeOther, "a flagged word")
		mustContain(t, thread(), "Anyone for the raffle?")
		if queued(reply, "report") != 1 {
			t.Error("a flagged edit is not in the queue")
		}

		// Held: out of sight and out of search until approved, and held again on the next edit.
		for round := 1; round <= 2; round++ {
			text := fmt.Sprintf("Lottery tickets, round %d.", round)
			p := edit(reply, "body", text)
			assertStatus(t, p, http.StatusSeeOther, "a held word")
			mustContain(t, w.author.get("/account").body, "waits for a moderator")
			mustNotContain(t, thread(), text, "raffle")
			mustNotContain(t, w.r1.get("/search?q=lottery").body, "Lottery tickets")
			assertStatus(t, w.r1.get(fmt.Sprintf("/p/%d", reply)), http.StatusNotFound, "the held reply's link")
			mustContain(t, w.author.get(fmt.Sprintf("/t/%d", topic)).body, text) // its author still sees it
			if queued(reply, "held") != 1 {
				t.Fatalf("round %d: the held edit is not in the queue", round)
			}
			if p := w.mod.post(fmt.Sprintf("/mod/posts/%d/approve", reply), "reason", "Fine"); p.status != http.StatusSeeOther {
				t.Fatalf("approve: %d", p.status)
			}
			mustContain(t, thread(), text)
		}

		// A held word in the opening hides the whole topic again.
		assertStatus(t, edit(opening, "title", "Lottery evenings", "body", "A quiet opening."), http.StatusSeeOther, "a held title")
		assertStatus(t, w.r1.get(fmt.Sprintf("/t/%d", topic)), http.StatusNotFound, "a topic whose opening is held again")
		w.mod.post(fmt.Sprintf("/mod/posts/%d/approve", opening), "reason", "Fine")

		// A crisis phrase: the same gentle check as a new post, then the moderators are asked to look in.
		p := edit(reply, "body", "I want to end my life.")
		assertStatus(t, p, http.StatusOK, "a crisis phrase")
		mustContain(t, p.body, "Before you post", `name="crisis_ack" value="1"`, "I want to end my life.")
		if queued(reply, "concern") != 0 {
			t.Error("queued before the member chose to post")
		}
		assertStatus(t, edit(reply, "body", "I want to end my life.", "crisis_ack", "1"), http.StatusSeeOther, "posting anyway")
		var concern bool
		db.Raw(`SELECT crisis_concern FROM posts WHERE id = ?`, reply).Scan(&concern)
		if !concern || queued(reply, "concern") != 1 {
			t.Errorf("the edit with a crisis phrase: flagged %v, %d queue items", concern, queued(reply, "concern"))
		}
	})
}
