package web_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/haven-forum/haven/internal/dbtest"
	"gorm.io/gorm"
)

// newMarker reads every "N new" marker of a page: the topic it sits with, and its count.
var newMarker = regexp.MustCompile(`<a href="(/t/\d+(?:#unread)?)" class="topic-title">([^<]+)</a>(?:\s*<span class="meta">.*?</span>)?\s*<span class="badge new" data-new-posts="(\d+)">\s*([^<]*?)\s*</span>`)

func markers(body string) map[string]string {
	out := map[string]string{}
	for _, m := range newMarker.FindAllStringSubmatch(body, -1) {
		out[m[2]] = m[3] + ":" + strings.Join(strings.Fields(m[4]), " ")
	}
	return out
}

const readingOffSentence = `“Reading history” is off, so Haven does not mark what is new since you last read.`

// section is the part of body from the element with id to the end of its section.
func section(body, id string) string {
	i := strings.Index(body, `id="`+id+`"`)
	if i < 0 {
		return ""
	}
	rest := body[i:]
	if j := strings.Index(rest, "</section>"); j >= 0 {
		return rest[:j]
	}
	return rest
}

// What is new: counts on every list, continue where you left off, the first unread post, and
// all of it only while reading history is on.
func TestWhatIsNew(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newApp(t, db)
		a.admin("wn_admin").createGroup("Night owls", "owls", "public", false)
		reader, writer := a.member("wn_reader"), a.member("wn_writer")
		reader.join("owls")
		writer.join("owls")
		topic := writer.newTopic("owls", "Awake again at three", "Anyone else awake at three?")
		other := writer.newTopic("owls", "Morning light walks", "Walking at sunrise helps.")

		// Off: no counts anywhere, and one sentence saying how to switch it on.
		for _, path := range []string{"/g/owls", "/", "/search?q=awake"} {
			body := reader.get(path).body
			mustNotContain(t, body, "data-new-posts")
			mustContain(t, body, readingOffSentence, `href="/privacy#purpose-reading_history"`)
		}
		reader.get(fmt.Sprintf("/t/%d", topic))
		if n := count(t, db, `SELECT COUNT(*) FROM read_positions`); n != 0 {
			t.Fatalf("%d read positions stored with reading history off", n)
		}

		consent(reader, "reading_history", true)
		group := reader.get("/g/owls").body
		mustNotContain(t, group, readingOffSentence)
		if got := markers(group); got["Awake again at three"] != "1:new" || got["Morning light walks"] != "1:new" {
			t.Errorf("never-opened topics: %v, want each marked new", got)
		}
		reader.get(fmt.Sprintf("/t/%d", topic))
		if got := markers(reader.get("/g/owls").body); got["Awake again at three"] != "" || got["Morning light walks"] != "1:new" {
			t.Errorf("after reading one topic: %v", got)
		}
		if strings.Contains(reader.get("/").body, "Continue where you left off") {
			t.Error("continue where you left off lists a topic with nothing unread")
		}

		first := writer.reply(topic, "Yes, me too, every night.")
		writer.reply(topic, "It helps to write it down.")
		reader.reply(topic, "Thank you both.") // the reader's own reply is not news to them
		group = reader.get("/g/owls").body
		if got := markers(group)["Awake again at three"]; got != "2:2 new" {
			t.Errorf("after two replies: %q, want 2 new", got)
		}
		home := reader.get("/").body
		cont := section(home, "continue-h")
		mustContain(t, cont, "Continue where you left off", fmt.Sprintf(`href="/t/%d#unread"`, topic))
		if got := markers(cont)["Awake again at three"]; got != "2:2 new" {
			t.Errorf("continue where you left off: %q in\n%s", got, cont)
		}
		search := reader.get("/search?q=awake").body
		mustContain(t, search, `data-new-posts="2"`)
		mustNotContain(t, search, readingOffSentence)

		// The topic page jumps to the first unread post, and reading it clears every marker.
		page := reader.get(fmt.Sprintf("/t/%d", topic)).body
		mustContain(t, page, `href="#unread"`, "Jump to first unread")
		if strings.Count(page, `id="unread"`) != 1 || !regexp.MustCompile(`id="unread">\s*<article class="post" id="p`+fmt.Sprint(first)+`"`).MatchString(page) {
			t.Errorf("the first unread post (%d) does not carry id=\"unread\"", first)
		}
		page = reader.get(fmt.Sprintf("/t/%d", topic)).body
		mustNotContain(t, page, `id="unread"`, "Jump to first unread")
		if got := markers(reader.get("/g/owls").body)["Awake again at three"]; got != "" {
			t.Errorf("after reading the replies: %q", got)
		}
		mustNotContain(t, reader.get("/").body, "Continue where you left off")

		// The dashboard shows the position; switching off erases it at once and every marker goes.
		dash := reader.get("/privacy").body
		mustContain(t, section(dash, "positions-h"), "Awake again at three", fmt.Sprintf(`action="/privacy/read-positions/%d/delete"`, topic))
		mustContain(t, reader.get("/privacy/activity").body, "Where you stopped reading", "Awake again at three")
		writer.reply(topic, "Good night, all.")
		p := reader.post("/privacy/consent", "purpose", "reading_history", "enabled", "false")
		assertStatus(t, p, 303, "switch off")
		mustContain(t, reader.get(p.location()).body, "Where you stopped reading each topic was erased now")
		if n := count(t, db, `SELECT COUNT(*) FROM read_positions`); n != 0 {
			t.Errorf("%d read positions after switching reading history off", n)
		}
		for _, path := range []string{"/g/owls", "/", "/search?q=awake", fmt.Sprintf("/t/%d", topic)} {
			body := reader.get(path).body
			mustNotContain(t, body, "data-new-posts", "Continue where you left off", `id="unread"`)
		}
		mustContain(t, section(reader.get("/privacy").body, "positions-h"), "No read positions are recorded.")
		_ = other
	})
}

// Read positions can be deleted one by one or all at once, go with erase-all, and a topic
// whose first unread post is on a later page links there.
func TestReadPositionsDeleteAndLaterPages(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newApp(t, db)
		a.admin("rp_admin").createGroup("Carers", "carers", "public", false)
		reader, writer := a.member("rp_reader"), a.member("rp_writer")
		reader.join("carers")
		writer.join("carers")
		long := writer.newTopic("carers", "A long conversation", "Let's talk.")
		short := writer.newTopic("carers", "A short one", "Brief.")
		consent(reader, "reading_history", true)
		reader.get(fmt.Sprintf("/t/%d", long))
		reader.get(fmt.Sprintf("/t/%d", short))
		var writerID int64
		db.Raw(`SELECT id FROM members WHERE username = 'rp_writer'`).Scan(&writerID)
		for i := 0; i < 60; i++ { // straight into the table: sixty replies through the router would be slow
			db.Exec(`INSERT INTO posts (topic_id, author_id, body, created_at) VALUES (?, ?, ?, CURRENT_TIMESTAMP)`, long, writerID, fmt.Sprintf("reply %d", i))
		}
		db.Exec(`UPDATE topics SET reply_count = 60 WHERE id = ?`, long)
		// Page 1 holds 50 posts: the opening post and 49 replies, all but the first unread. Reading
		// page 2 first leaves the first unread post on page 1.
		page2 := reader.get(fmt.Sprintf("/t/%d?page=2", long)).body
		if !strings.Contains(page2, fmt.Sprintf(`href="/t/%d#unread"`, long)) {
			t.Errorf("page 2 does not link to the first unread post on page 1")
		}
		mustNotContain(t, page2, `id="unread"`)
		// Now read to the end; a new reply lands on page 2, and page 1 links there.
		db.Exec(`INSERT INTO posts (topic_id, author_id, body, created_at) VALUES (?, ?, 'one more', CURRENT_TIMESTAMP)`, long, writerID)
		db.Exec(`UPDATE topics SET reply_count = 61 WHERE id = ?`, long)
		if page1 := reader.get(fmt.Sprintf("/t/%d", long)).body; !strings.Contains(page1, fmt.Sprintf(`href="/t/%d?page=2#unread"`, long)) {
			t.Errorf("page 1 does not link to the first unread post on page 2")
		}

		// One position deleted: that topic is new again, the other stays read.
		p := reader.post(fmt.Sprintf("/privacy/read-positions/%d/delete", short))
		assertStatus(t, p, 303, "delete one position")
		got := markers(reader.get("/g/carers").body)
		if got["A short one"] != "1:new" {
			t.Errorf("after deleting its position: %v", got)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM erasures WHERE kind = 'read_position'`); n != 1 {
			t.Errorf("%d erasure-list entries", n)
		}
		if p := reader.post("/privacy/read-positions/999999/delete"); p.status != 404 {
			t.Errorf("deleting a position that is not there: %d", p.status)
		}
		assertStatus(t, reader.post("/privacy/read-positions/delete"), 303, "delete all positions")
		if n := count(t, db, `SELECT COUNT(*) FROM read_positions`); n != 0 {
			t.Errorf("%d read positions after deleting all", n)
		}
		reader.get(fmt.Sprintf("/t/%d", short))
		erase := reader.get("/privacy/erase?purpose=").body
		mustContain(t, erase, "read position (where you stopped reading a topic)")
		assertStatus(t, reader.post("/privacy/erase", "confirm", "yes"), 303, "erase all")
		if n := count(t, db, `SELECT COUNT(*) FROM read_positions`); n != 0 {
			t.Errorf("%d read positions after erasing everything", n)
		}
	})
}

// Invariant 6: a moderator or admin never sees a member's read positions: their pages show
// their own markers (or none), whatever the member read.
func TestStaffNeverSeeReadPositions(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newApp(t, db)
		admin := a.admin("st_admin")
		admin.createGroup("Grief", "grief", "public", false)
		mod := a.member("st_mod")
		mod.join("grief")
		admin.post("/admin/groups/grief/moderators", "username", "st_mod", "action", "add")
		reader, writer := a.member("st_reader"), a.member("st_writer")
		reader.join("grief")
		writer.join("grief")
		topic := writer.newTopic("grief", "Missing my dad", "It has been a year.")
		consent(reader, "reading_history", true)
		reader.get(fmt.Sprintf("/t/%d", topic))
		writer.reply(topic, "Thinking of you.")
		if got := markers(reader.get("/g/grief").body)["Missing my dad"]; got != "1:1 new" {
			t.Fatalf("the reader's own marker: %q", got)
		}
		for _, staff := range []*client{admin, mod} {
			body := staff.get("/g/grief").body
			mustNotContain(t, body, "data-new-posts", "1 new")
			for _, path := range []string{"/privacy", "/privacy/activity", "/mod", "/mod/log", fmt.Sprintf("/t/%d", topic)} {
				mustNotContain(t, staff.get(path).body, "st_reader", `id="unread"`)
			}
			consent(staff, "reading_history", true)
			if got := markers(staff.get("/g/grief").body)["Missing my dad"]; got != "2:new" {
				t.Errorf("staff see %q, want their own: never opened, so new", got)
			}
			mustNotContain(t, section(staff.get("/privacy").body, "positions-h"), "Missing my dad")
		}
	})
}
