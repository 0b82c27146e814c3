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

func TestTopicsRepliesEditsAndStableLinks(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newApp(t, db)
		admin := a.admin("flow_admin")
		admin.createGroup("Grief Support", "grief", "public", false)
		ann, ben := a.member("ann"), a.member("ben")
		home := ann.get("/")
		mustContain(t, home.body, `href="/g/grief"`, "Grief Support")
		if p := ann.post("/g/grief/topics", "title", "Hello", "body", "x"); p.status != http.StatusForbidden {
			t.Errorf("posting before joining: %d", p.status)
		}
		ann.join("grief")
		ben.join("grief")
		topic := ann.newTopic("grief", "Sleepless again", "The nights are **long**.")
		p := ben.get(fmt.Sprintf("/t/%d", topic))
		mustContain(t, p.body, "Sleepless again", "<strong>long</strong>", ">ann<")
		reply := ben.reply(topic, "I'm here with you.")
		if p := ben.get(fmt.Sprintf("/p/%d", reply)); p.status != http.StatusFound || p.location() != fmt.Sprintf("/t/%d#p%d", topic, reply) {
			t.Errorf("stable link: %d %q", p.status, p.location())
		}
		mustContain(t, admin.get("/g/grief").body, "Sleepless again", "1 reply")

		// Edit: marked as edited; moderators (admins here) see the earlier version.
		mustNotContain(t, ben.get(fmt.Sprintf("/t/%d", topic)).body, "(edited)")
		mustNotContain(t, admin.get(fmt.Sprintf("/t/%d", topic)).body, "Earlier versions")
		first := a.firstPostID(topic)
		if p := ann.post(fmt.Sprintf("/p/%d/edit", first), "title", "Sleepless, again", "body", "The nights are long and quiet."); p.status != http.StatusSeeOther {
			t.Fatalf("edit: %d\n%s", p.status, p.body)
		}
		p = ben.get(fmt.Sprintf("/t/%d", topic))
		mustContain(t, p.body, "Sleepless, again", "(edited)", "long and quiet")
		mustNotContain(t, p.body, "Earlier versions")
		if n := strings.Count(p.body, "(edited)"); n != 1 {
			t.Errorf("%d posts marked edited after one edit", n)
		}
		if n := strings.Count(admin.get(fmt.Sprintf("/t/%d", topic)).body, "Earlier versions"); n != 1 {
			t.Errorf("a moderator sees %d 'Earlier versions' links after one post was edited", n)
		}
		if p := ben.get(fmt.Sprintf("/p/%d/revisions", first)); p.status != http.StatusForbidden {
			t.Errorf("a member read revisions: %d", p.status)
		}
		revs := admin.get(fmt.Sprintf("/p/%d/revisions", first))
		mustContain(t, revs.body, "The nights are **long**.", "Sleepless again")

		// Delete: the text is gone for everyone, the thread keeps its place.
		if p := ben.post(fmt.Sprintf("/p/%d/delete", reply)); p.status != http.StatusSeeOther {
			t.Fatalf("delete: %d", p.status)
		}
		p = ann.get(fmt.Sprintf("/t/%d", topic))
		mustContain(t, p.body, "Deleted by its author")
		mustNotContain(t, p.body, "here with you")
		var leftover int64
		db.Raw(`SELECT COUNT(*) FROM posts WHERE body LIKE '%here with you%'`).Scan(&leftover)
		if leftover != 0 {
			t.Error("a deleted post's text is still stored")
		}

		// Quote: the reply form comes prefilled.
		q := ben.get(fmt.Sprintf("/t/%d?quote=%d", topic, first))
		mustContain(t, q.body, "&gt; The nights are long and quiet.", fmt.Sprintf(`name="quote_of" value="%d"`, first))
	})
}

func TestReactionsToggleAndShowCountsOnly(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newApp(t, db)
		a.admin("r_admin").createGroup("Anxiety", "anxiety", "public", false)
		ann, ben, cat := a.member("r_ann"), a.member("r_ben"), a.member("r_cat")
		for _, c := range []*client{ann, ben, cat} {
			c.join("anxiety")
		}
		topic := ann.newTopic("anxiety", "Panic at work", "It happened again today.")
		post := a.firstPostID(topic)
		ben.post(fmt.Sprintf("/p/%d/react", post), "kind", "hear_you")
		cat.post(fmt.Sprintf("/p/%d/react", post), "kind", "hear_you")
		cat.post(fmt.Sprintf("/p/%d/react", post), "kind", "strength")
		cat.post(fmt.Sprintf("/p/%d/react", post), "kind", "strength") // toggled off again
		if p := cat.post(fmt.Sprintf("/p/%d/react", post), "kind", "like"); p.status != http.StatusBadRequest {
			t.Errorf("unknown reaction: %d", p.status)
		}
		p := ann.get(fmt.Sprintf("/t/%d", topic))
		hear := regexp.MustCompile(`value="hear_you" aria-pressed="false">I hear you <span class="count">2</span>`)
		if !hear.MatchString(p.body) {
			t.Errorf("author does not see 2 'I hear you':\n%s", p.body)
		}
		mustNotContain(t, p.body, `value="strength" aria-pressed="false">Sending strength <span`)
		mine := ben.get(fmt.Sprintf("/t/%d", topic))
		mustContain(t, mine.body, `value="hear_you" aria-pressed="true"`)
		// Who reacted is never shown: only counts.
		section := p.body[strings.Index(p.body, `class="reactions"`):]
		mustNotContain(t, section[:strings.Index(section, "</form>")], "r_ben", "r_cat")
	})
}

func TestAnonymousPostsHideTheirAuthor(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newApp(t, db)
		admin := a.admin("anon_admin")
		admin.createGroup("Recovery", "recovery", "public", true)
		admin.createGroup("Plain", "plain", "public", false)
		writer, reader := a.member("hidden_writer"), a.member("curious_reader")
		writer.join("recovery")
		writer.join("plain")
		reader.join("recovery")
		topic := writer.newTopic("recovery", "Day 30 today", "Thirty days without a drink.", "anonymous", "1")
		reply := writer.reply(topic, "Still going strong @curious_reader", "anonymous", "1")
		for _, path := range []string{"/g/recovery", fmt.Sprintf("/t/%d", topic), "/notifications", "/search?q=Thirty", "/"} {
			p := reader.get(path)
			mustNotContain(t, p.body, "hidden_writer")
			if strings.Contains(p.location(), "hidden_writer") {
				t.Errorf("%s redirects with the author's name", path)
			}
		}
		mustContain(t, reader.get(fmt.Sprintf("/t/%d", topic)).body, "Anonymous member")
		own := writer.get(fmt.Sprintf("/t/%d", topic))
		mustContain(t, own.body, "you (anonymous to others)")
		// No mute button could give the author away either.
		mustNotContain(t, reader.get(fmt.Sprintf("/t/%d", topic)).body, `name="username" value="hidden_writer"`)
		_ = reply
		if p := writer.post("/g/plain/topics", "title", "Anon here?", "body", "x", "anonymous", "1"); p.status != http.StatusUnprocessableEntity {
			t.Errorf("anonymous post in a group that does not allow it: %d", p.status)
		}
	})
}

func TestCrisisPhraseShowsResourcesFirst(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newApp(t, db)
		admin := a.admin("crisis_admin")
		admin.createGroup("Depression", "depression", "public", false)
		m := a.member("struggling")
		m.join("depression")
		fields := []string{"title", "Tonight", "body", "I want to die and I don't know who to tell.", "_submit", "crisis-form"}
		p := m.post("/g/depression/topics", fields...)
		if p.status != http.StatusOK {
			t.Fatalf("crisis check: %d", p.status)
		}
		mustContain(t, p.body, "Before you post", "emergency", "Post it anyway", `name="crisis_ack" value="1"`, "I want to die and I don&#39;t know who to tell.")
		var n int64
		db.Raw(`SELECT COUNT(*) FROM posts`).Scan(&n)
		if n != 0 {
			t.Fatalf("the post was published before the member chose to")
		}
		p = m.post("/g/depression/topics", append(fields, "crisis_ack", "1")...)
		if p.status != http.StatusSeeOther {
			t.Fatalf("publish anyway: %d", p.status)
		}
		var concern bool
		db.Raw(`SELECT crisis_concern FROM posts`).Scan(&concern)
		if !concern {
			t.Error("the post is not marked for moderator care")
		}
		topicPath := p.location()
		mustContain(t, admin.get(topicPath).body, "Marked for moderator care")
		other := a.member("peer")
		mustNotContain(t, other.get(topicPath).body, "Marked for moderator care")
	})
}

func TestResubmittedFormMakesOnePost(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newApp(t, db)
		a.admin("dup_admin").createGroup("Caregivers", "care", "public", false)
		m := a.member("double_clicker")
		m.join("care")
		fields := []string{"title", "Tired", "body", "So tired.", "_submit", "same-form"}
		one := m.post("/g/care/topics", fields...)
		two := m.post("/g/care/topics", fields...)
		if one.location() == "" || one.location() != two.location() {
			t.Fatalf("two submissions went to %q and %q", one.location(), two.location())
		}
		topic := topicLocation.FindStringSubmatch(one.location())[1]
		r1 := m.post("/t/"+topic+"/replies", "body", "Me again", "_submit", "reply-form")
		r2 := m.post("/t/"+topic+"/replies", "body", "Me again", "_submit", "reply-form")
		if r1.location() != r2.location() {
			t.Errorf("reply twice: %q vs %q", r1.location(), r2.location())
		}
		var topics, posts int64
		db.Raw(`SELECT COUNT(*) FROM topics`).Scan(&topics)
		db.Raw(`SELECT COUNT(*) FROM posts`).Scan(&posts)
		if topics != 1 || posts != 2 {
			t.Errorf("%d topics and %d posts, want 1 and 2", topics, posts)
		}
	})
}

func TestBadPostsKeepTheTextAndSaveNothing(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newApp(t, db)
		admin := a.admin("bad_admin")
		admin.createGroup("Illness", "illness", "public", false)
		m := a.member("typist")
		m.join("illness")
		long := strings.Repeat("word ", 4001) // 20,005 characters
		cases := []struct{ name, title, body, warning, message string }{
			{"empty title", "", "my text survives", "", "A title is 3 to 150"},
			{"long title", strings.Repeat("t", 151), "my text survives", "", "A title is 3 to 150"},
			{"empty body", "A fine title", "   ", "", "Write something"},
			{"long body", "A fine title", long, "", "at most 20000 characters"},
			{"long warning", "A fine title", "my text survives", strings.Repeat("w", 101), "at most 100 characters"},
		}
		for _, tc := range cases {
			p := m.post("/g/illness/topics", "title", tc.title, "body", tc.body, "content_warning", tc.warning)
			if p.status != http.StatusUnprocessableEntity {
				t.Errorf("%s: %d", tc.name, p.status)
			}
			mustContain(t, p.body, tc.message)
			if strings.TrimSpace(tc.body) != "" {
				mustContain(t, p.body, strings.TrimSpace(tc.body)[:10])
			}
		}
		topic := m.newTopic("illness", "Good title", "Good body")
		if p := m.post(fmt.Sprintf("/t/%d/replies", topic), "body", ""); p.status != http.StatusUnprocessableEntity {
			t.Errorf("empty reply: %d", p.status)
		}
		db.Exec(`UPDATE topics SET locked = TRUE WHERE id = ?`, topic)
		p := m.post(fmt.Sprintf("/t/%d/replies", topic), "body", "after the lock")
		assertStatus(t, p, http.StatusForbidden, "reply to a locked topic")
		mustContain(t, p.body, "locked")
		admin.post("/admin/groups/illness/archive", "archived", "1")
		p = m.post("/g/illness/topics", "title", "After archive", "body", "x")
		assertStatus(t, p, http.StatusForbidden, "post in an archived group")
		mustContain(t, p.body, "archived")
		if p := m.get("/g/no-such-group"); p.status != http.StatusNotFound {
			t.Errorf("unknown group: %d", p.status)
		}
		if p := m.get("/t/999999"); p.status != http.StatusNotFound {
			t.Errorf("unknown topic: %d", p.status)
		}
		var posts int64
		db.Raw(`SELECT COUNT(*) FROM posts`).Scan(&posts)
		if posts != 1 {
			t.Errorf("%d posts stored, want 1", posts)
		}
	})
}

func TestContentWarningsFoldAndCanBeHidden(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newApp(t, db)
		a.admin("cw_admin").createGroup("Loss", "loss", "public", false)
		m, reader := a.member("cw_writer"), a.member("cw_reader")
		m.join("loss")
		topic := m.newTopic("loss", "About the funeral", "Details of the day.", "content_warning", "death of a parent")
		p := reader.get(fmt.Sprintf("/t/%d", topic))
		mustContain(t, p.body, `<details class="cw"><summary>Content warning: death of a parent`)
		mustContain(t, reader.get("/g/loss").body, "About the funeral", "CW: death of a parent")
		reader.post("/account/hidden-warnings", "terms", "Death of a parent, gore")
		mustNotContain(t, reader.get("/g/loss").body, "About the funeral")
		mustContain(t, reader.get("/account").body, "death of a parent, gore")
		mustContain(t, m.get("/g/loss").body, "About the funeral") // only the reader's own choice
	})
}

func TestMutedMembersFoldAwayUnnoticed(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newApp(t, db)
		a.admin("mute_admin").createGroup("Parents", "parents", "public", false)
		loud, me := a.member("loud_one"), a.member("quiet_me")
		loud.join("parents")
		me.join("parents")
		topic := loud.newTopic("parents", "My opinion", "Everyone should do as I do.")
		if p := me.post("/account/mutes", "username", "loud_one", "action", "mute"); p.status != http.StatusSeeOther {
			t.Fatalf("mute: %d", p.status)
		}
		p := me.get(fmt.Sprintf("/t/%d", topic))
		mustContain(t, p.body, `<details class="muted"><summary>A post by a member you muted`)
		mustContain(t, me.get("/g/parents").body, "A topic by a member you muted")
		mustNotContain(t, loud.get(fmt.Sprintf("/t/%d", topic)).body, "muted")
		mustNotContain(t, loud.get("/notifications").body, "quiet_me")
		me.post("/account/mutes", "username", "loud_one", "action", "unmute")
		mustNotContain(t, me.get(fmt.Sprintf("/t/%d", topic)).body, "A post by a member you muted")
		if p := me.post("/account/mutes", "username", "quiet_me", "action", "mute"); p.status != http.StatusUnprocessableEntity {
			t.Errorf("muting oneself: %d", p.status)
		}
	})
}

func TestPrivateGroupJoinByRequestAndInvite(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newApp(t, db)
		admin := a.admin("priv_admin")
		admin.createGroup("Loss Circle", "circle", "private", false)
		mod := a.member("circle_mod")
		admin.post("/admin/groups/circle/moderators", "action", "add", "username", "circle_mod")
		topic := mod.newTopic("circle", "Circle welcome", "Welcome, all.")
		asker := a.member("asker")
		p := asker.get("/g/circle")
		mustContain(t, p.body, "Loss Circle", "Ask to join", "only its members can see its topics")
		mustNotContain(t, p.body, "Circle welcome")
		if p := asker.post("/g/circle/join"); p.status != http.StatusForbidden {
			t.Errorf("joining a private group directly: %d", p.status)
		}
		asker.post("/g/circle/request", "message", "I lost my dad in May.")
		mustContain(t, asker.get("/g/circle").body, "waiting for a moderator")
		modPage := mod.get("/g/circle")
		mustContain(t, modPage.body, "asker", "I lost my dad in May.")
		id := regexp.MustCompile(`/g/circle/requests/(\d+)`).FindStringSubmatch(modPage.body)
		if id == nil {
			t.Fatal("no request form for the moderator")
		}
		other := a.member("not_a_mod")
		if p := other.post("/g/circle/requests/"+id[1], "decision", "approve"); p.status != http.StatusNotFound {
			t.Errorf("a non-member answered a request: %d", p.status)
		}
		if p := mod.post("/g/circle/requests/"+id[1], "decision", "approve"); p.status != http.StatusSeeOther {
			t.Fatalf("approve: %d", p.status)
		}
		if p := mod.post("/g/circle/requests/"+id[1], "decision", "approve"); p.status != http.StatusConflict {
			t.Errorf("answering twice: %d", p.status)
		}
		mustContain(t, asker.get(fmt.Sprintf("/t/%d", topic)).body, "Welcome, all.")

		inv := mod.post("/g/circle/invites")
		link := regexp.MustCompile(`/invite/[A-Za-z0-9_-]+`).FindString(inv.body)
		if link == "" {
			t.Fatalf("no invite link shown:\n%s", inv.body)
		}
		guest := a.member("guest")
		if p := guest.post(link); p.status != http.StatusSeeOther || p.location() != "/g/circle" {
			t.Fatalf("accept invite: %d %q", p.status, p.location())
		}
		mustContain(t, guest.get(fmt.Sprintf("/t/%d", topic)).body, "Welcome, all.")
		if p := guest.post("/invite/not-a-real-token"); p.status != http.StatusNotFound {
			t.Errorf("bogus invite: %d", p.status)
		}
		// Leaving a private group ends access at once.
		guest.post("/g/circle/leave")
		if p := guest.get(fmt.Sprintf("/t/%d", topic)); p.status != http.StatusNotFound {
			t.Errorf("after leaving: %d", p.status)
		}
	})
}

func TestPaginationAndPostLinks(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newApp(t, db)
		a.admin("page_admin").createGroup("Busy", "busy", "public", false)
		m := a.member("prolific")
		m.join("busy")
		topic := m.newTopic("busy", "Long thread", "post number 1")
		var last int64
		for i := 2; i <= 52; i++ {
			last = m.reply(topic, fmt.Sprintf("post number %d", i))
		}
		p := m.get(fmt.Sprintf("/t/%d", topic))
		mustContain(t, p.body, "post number 50", "Page 1 of 2")
		mustNotContain(t, p.body, "post number 51<")
		if p := m.get(fmt.Sprintf("/p/%d", last)); p.location() != fmt.Sprintf("/t/%d?page=2#p%d", topic, last) {
			t.Errorf("last post link: %q", p.location())
		}
		mustContain(t, m.get(fmt.Sprintf("/t/%d?page=2", topic)).body, "post number 52")
		for i := 0; i < 31; i++ {
			m.newTopic("busy", fmt.Sprintf("Topic %02d", i), "x")
		}
		g := m.get("/g/busy")
		mustContain(t, g.body, "Page 1 of 2", "Topic 30")
		if strings.Count(g.body, `class="topic-title"`) != 30 {
			t.Errorf("%d topics on page 1, want 30", strings.Count(g.body, `class="topic-title"`))
		}
	})
}

func TestModeratorsRevealAnonymousAuthorsOnTheRecord(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newApp(t, db)
		admin := a.admin("rev_admin")
		admin.createGroup("Recovery", "rec", "public", true)
		mod, writer, peer := a.member("rev_mod"), a.member("rev_writer"), a.member("rev_peer")
		admin.post("/admin/groups/rec/moderators", "action", "add", "username", "rev_mod")
		writer.join("rec")
		peer.join("rec")
		topic := writer.newTopic("rec", "Relapsed", "I slipped last night.", "anonymous", "1")
		post := a.firstPostID(topic)
		page := mod.get(fmt.Sprintf("/t/%d", topic))
		mustContain(t, page.body, "Anonymous member", "Reveal the author")
		mustNotContain(t, page.body, "rev_writer")
		mustNotContain(t, peer.get(fmt.Sprintf("/t/%d", topic)).body, "Reveal the author")
		if p := peer.post(fmt.Sprintf("/p/%d/reveal", post), "reason", "curious"); p.status != http.StatusForbidden {
			t.Errorf("a member revealed an author: %d", p.status)
		}
		if p := mod.post(fmt.Sprintf("/p/%d/reveal", post), "reason", " "); p.status != http.StatusBadRequest {
			t.Errorf("reveal without a reason: %d", p.status)
		}
		var logged int64
		db.Raw(`SELECT COUNT(*) FROM moderation_log`).Scan(&logged)
		if logged != 0 {
			t.Fatalf("%d log entries before any reveal", logged)
		}
		p := mod.post(fmt.Sprintf("/p/%d/reveal", post), "reason", "They wrote about being unsafe")
		mustContain(t, p.body, "rev_writer", "moderation record")
		var entry struct {
			Action, Reason string
			TargetID       int64
		}
		db.Raw(`SELECT action, reason, target_id FROM moderation_log`).Scan(&entry)
		if entry.Action != "reveal_author" || entry.Reason != "They wrote about being unsafe" || entry.TargetID != post {
			t.Errorf("log entry %+v", entry)
		}
	})
}
