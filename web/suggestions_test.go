package web_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/haven-forum/haven/internal/dbtest"
	"gorm.io/gorm"
)

var suggestionLink = regexp.MustCompile(`<a href="/t/(\d+)" class="topic-title">([^<]+)</a>\s*<span class="meta">(?:<a href="([^"]+)">)?([^<]+)`)

func suggestions(t *testing.T, c *client) map[string]string {
	t.Helper()
	body := c.get("/").body
	i := strings.Index(body, `id="recommendations"`)
	if i < 0 {
		return nil
	}
	section := body[i:]
	section = section[:strings.Index(section, "</section>")]
	out := map[string]string{}
	for _, m := range suggestionLink.FindAllStringSubmatch(section, -1) {
		out[m[2]] = m[4]
	}
	return out
}

// The non-personal layer: from the member's groups only, waiting topics first, never their own,
// never muted authors, hidden or held posts, hidden warnings, or other groups; the same for two
// members with the same groups whatever they read.
func TestNonPersonalSuggestions(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newApp(t, db)
		admin := a.admin("sg_admin")
		admin.createGroup("Grief", "grief", "public", true)
		admin.createGroup("Other", "other", "public", false)
		admin.createGroup("Closed", "closed", "private", false)
		me, twin, writer, muted, stranger := a.member("sg_me"), a.member("sg_twin"), a.member("sg_writer"), a.member("sg_muted"), a.member("sg_stranger")
		for _, c := range []*client{me, twin, writer, muted} {
			c.join("grief")
		}
		stranger.join("other")
		admin.post("/admin/groups/closed/moderators", "action", "add", "username", "sg_stranger")
		answered := writer.newTopic("grief", "Answered already", "x")
		me.reply(answered, "I hear you")
		waiting := writer.newTopic("grief", "Nobody answered yet", "x")
		anon := writer.newTopic("grief", "An anonymous one", "x", "anonymous", "1")
		writer.newTopic("grief", "Behind a warning", "x", "content_warning", "graphic details")
		mutedTopic := muted.newTopic("grief", "By someone I muted", "x")
		me.newTopic("grief", "My own topic", "x")
		stranger.newTopic("other", "In a group I am not in", "x")
		stranger.newTopic("closed", "In a private group", "x")
		hidden := writer.newTopic("grief", "Hidden by a moderator", "x")
		admin.post(fmt.Sprintf("/mod/posts/%d/hide", a.firstPostID(hidden)), "reason", "off topic")
		me.post("/account/mutes", "username", "sg_muted", "action", "mute")
		me.post("/account/hidden-warnings", "terms", "graphic")
		_, _, _ = waiting, anon, mutedTopic

		got := suggestions(t, me)
		if got["Nobody answered yet"] != "Waiting for a first reply in Grief" {
			t.Errorf("waiting topic: %q (all: %v)", got["Nobody answered yet"], got)
		}
		if got["Answered already"] != "Recent, supportive activity in Grief" {
			t.Errorf("answered topic: %q", got["Answered already"])
		}
		for _, never := range []string{"My own topic", "By someone I muted", "Behind a warning", "In a group I am not in",
			"In a private group", "Hidden by a moderator"} {
			if _, ok := got[never]; ok {
				t.Errorf("suggested %q", never)
			}
		}
		body := me.get("/").body
		mustNotContain(t, body[strings.Index(body, `id="recommendations"`):], "sg_writer") // never an author, anonymous or not
		// Two members with the same groups get the same non-personal suggestions, whatever they read.
		twin.get(fmt.Sprintf("/t/%d", answered))
		twinGot := suggestions(t, twin)
		if twinGot["Nobody answered yet"] != got["Nobody answered yet"] || len(twinGot) == 0 {
			t.Errorf("twin sees %v, I see %v", twinGot, got)
		}
		mustContain(t, me.get("/suggestions/how").body, "Without personal data", "halves every 3 days", "count twice as much",
			"at least 5 different members", "“Personalized suggestions”: off")
	})
}

func TestRelatedTopicsByContentOnly(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newApp(t, db)
		a.admin("rel_admin").createGroup("Sleep", "sleep", "public", false)
		a.admin("rel_admin2").createGroup("Elsewhere", "elsewhere2", "public", false)
		w, r1, r2 := a.member("rel_writer"), a.member("rel_reader1"), a.member("rel_reader2")
		for _, c := range []*client{w, r1, r2} {
			c.join("sleep")
		}
		w.join("elsewhere2")
		topic := w.newTopic("sleep", "Insomnia every night", "Insomnia keeps me awake; melatonin did nothing for my insomnia.")
		w.newTopic("sleep", "Melatonin and insomnia", "Has melatonin helped anyone with insomnia?")
		w.newTopic("sleep", "Gardening on weekends", "Planting tomatoes this spring.")
		w.newTopic("elsewhere2", "Insomnia elsewhere", "Insomnia melatonin insomnia.")
		hidden := w.newTopic("sleep", "Insomnia hidden", "Insomnia melatonin.")
		a.db.Exec(`UPDATE posts SET hidden_reason = 'x' WHERE id = ?`, a.firstPostID(hidden))
		related := func(c *client) string {
			body := c.get(fmt.Sprintf("/t/%d", topic)).body
			i := strings.Index(body, `id="related-h"`)
			if i < 0 {
				return ""
			}
			return body[i : i+strings.Index(body[i:], "</section>")]
		}
		one, two := related(r1), related(r2)
		if !strings.Contains(one, "Melatonin and insomnia") {
			t.Fatalf("related: %q", one)
		}
		for _, no := range []string{"Gardening", "Insomnia elsewhere", "Insomnia hidden", "Insomnia every night"} {
			if strings.Contains(one, no) {
				t.Errorf("related lists %q", no)
			}
		}
		r2.get(fmt.Sprintf("/t/%d", hidden)) // what a reader does changes nothing
		if one != two {
			t.Errorf("related differs between readers:\n%s\n%s", one, two)
		}
	})
}
