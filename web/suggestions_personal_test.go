package web_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/haven-forum/haven/internal/dbtest"
	"gorm.io/gorm"
)

// suggestionRow is one suggestion as the member sees it: title, reason, where the reason links,
// and whether "Not interested" is offered.
type suggestionRow struct {
	reason, reasonURL string
	dismissable       bool
}

var suggestionItem = regexp.MustCompile(`(?s)<li><a href="/t/(\d+)" class="topic-title">([^<]+)</a>\s*<span class="meta">(?:<a href="([^"]+)">)?([^<]+)(.*?)</li>`)

func suggestionRows(t *testing.T, c *client) map[string]suggestionRow {
	t.Helper()
	body := c.get("/").body
	i := strings.Index(body, `id="recommendations"`)
	if i < 0 {
		return map[string]suggestionRow{}
	}
	section := body[i:]
	section = section[:strings.Index(section, "</section>")]
	out := map[string]suggestionRow{}
	for _, m := range suggestionItem.FindAllStringSubmatch(section, -1) {
		out[m[2]] = suggestionRow{reason: m[4], reasonURL: m[3], dismissable: strings.Contains(m[5], "not-interested")}
	}
	return out
}

func consent(c *client, purpose string, on bool) {
	c.t.Helper()
	p := c.post("/privacy/consent", "purpose", purpose, "enabled", fmt.Sprint(on))
	assertStatus(c.t, p, 303, "consent "+purpose)
}

// The personal layer: only with "Personalized suggestions" on; reasons name what the member did
// and link to that item on the dashboard; reading history counts only while it is on; "Not
// interested" hides a topic, is listed and deletable; erasing everything starts afresh.
func TestPersonalSuggestions(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newApp(t, db)
		t.Cleanup(func() {
			if t.Failed() {
				t.Log(a.logs.String())
			}
		})
		admin := a.admin("ps_admin")
		admin.createGroup("Sleep and rest", "sleep", "public", false)
		me, writer := a.member("ps_me"), a.member("ps_writer")
		me.join("sleep")
		writer.join("sleep")
		sleepless := writer.newTopic("sleep", "Sleepless nights and racing thoughts", "Insomnia keeps me awake, racing thoughts at night, exhausted every morning.")
		insomnia := writer.newTopic("sleep", "Insomnia again: racing thoughts at night", "Another night awake with racing thoughts and insomnia. Exhausted.")
		garden := writer.newTopic("sleep", "Gardening in the evening helps me unwind", "Watering tomatoes and weeding the garden before bed calms me.")
		writer.newTopic("sleep", "Tomatoes and weeding: my garden routine", "Weeding tomatoes in the garden every evening.")
		writer.newTopic("sleep", "Weighted blankets", "Has anyone tried a weighted blanket for anxiety?")

		// Off: the general layer, no "Not interested", reasons link nowhere.
		before := suggestionRows(t, me)
		if len(before) == 0 {
			t.Fatal("no suggestions at all")
		}
		for title, r := range before {
			if r.dismissable || r.reasonURL != "" || !strings.Contains(r.reason, "in Sleep and rest") {
				t.Errorf("personalization off, but %q shows %+v", title, r)
			}
		}
		// A reaction while off changes nothing.
		me.post(fmt.Sprintf("/p/%d/react", a.firstPostID(sleepless)), "kind", "hear_you")
		if got := suggestionRows(t, me); fmt.Sprint(got) != fmt.Sprint(before) {
			t.Errorf("personalization off, but a reaction changed suggestions:\n%v\n%v", before, got)
		}

		// On: the reaction shapes the next page load, with its reason linking to the dashboard.
		consent(me, "personalized_recommendations", true)
		got := suggestionRows(t, me)
		r := got["Insomnia again: racing thoughts at night"]
		if r.reason != "Because you reacted in “Sleepless nights and racing thoughts”" || r.reasonURL != fmt.Sprintf("/privacy#signal-%d", sleepless) || !r.dismissable {
			t.Errorf("insomnia suggestion: %+v (all %v)", r, got)
		}
		if _, ok := got["Sleepless nights and racing thoughts"]; ok {
			t.Error("suggested a topic the member already reacted in")
		}
		dash := me.get("/privacy").body
		mustContain(t, dash, fmt.Sprintf(`id="signal-%d"`, sleepless), "You reacted in")

		// Reading history: off, opening a topic does nothing; on, it counts; off again, it stops at once.
		me.get(fmt.Sprintf("/t/%d", garden))
		if r := suggestionRows(t, me)["Tomatoes and weeding: my garden routine"]; strings.Contains(r.reason, "you read") {
			t.Errorf("reading history off, but: %+v", r)
		}
		consent(me, "reading_history", true)
		me.get(fmt.Sprintf("/t/%d", garden))
		r = suggestionRows(t, me)["Tomatoes and weeding: my garden routine"]
		if r.reason != "Because you read “Gardening in the evening helps me unwind”" {
			t.Errorf("after reading the garden topic: %+v", r)
		}
		consent(me, "reading_history", false)
		got = suggestionRows(t, me)
		if r := got["Tomatoes and weeding: my garden routine"]; strings.Contains(r.reason, "you read") {
			t.Errorf("reading history switched off, still used: %+v", r)
		}
		if _, ok := got["Gardening in the evening helps me unwind"]; !ok {
			t.Errorf("the read topic should be suggestible again once the history is not used: %v", got)
		}
		mustNotContain(t, me.get("/privacy").body, fmt.Sprintf(`id="signal-%d"`, garden))

		// Not interested: gone at once, listed on the dashboard, deletable (and then back).
		p := me.post(fmt.Sprintf("/suggestions/%d/not-interested", insomnia))
		assertStatus(t, p, 303, "not interested")
		// Back where the member was, the confirmation beside the suggestions rather than above the page.
		if home := me.get(p.location()).body; !regexp.MustCompile(`<section id="recommendations"[^>]*><h2[^>]*>Suggested for you</h2>\s*<p class="notice" role="status">“Insomnia again`).MatchString(home) {
			t.Errorf("the “not interested” confirmation is not beside the suggestions:\n%s", home)
		}
		if _, ok := suggestionRows(t, me)["Insomnia again: racing thoughts at night"]; ok {
			t.Error("still suggested after “Not interested”")
		}
		dash = me.get("/privacy").body
		mustContain(t, dash, "Not interested in “Insomnia again: racing thoughts at night”")
		mustContain(t, me.get("/privacy/export").body, `"kind":"not_interested"`)
		assertStatus(t, me.post(fmt.Sprintf("/privacy/inferences/not-interested/%d/delete", insomnia)), 303, "delete choice")
		if _, ok := suggestionRows(t, me)["Insomnia again: racing thoughts at night"]; !ok {
			t.Error("not suggested again after deleting the choice")
		}
		// Someone else's topic in a group the member cannot read cannot be marked (nor named).
		admin.createGroup("Closed", "closed", "private", false)
		admin.join("closed")
		secret := admin.newTopic("closed", "A private matter", "x")
		assertStatus(t, me.post(fmt.Sprintf("/suggestions/%d/not-interested", secret)), 404, "not interested in an unreadable topic")
		mustNotContain(t, me.get("/privacy").body, "A private matter")

		// Erase everything: the choice goes and suggestions start afresh (the general ones).
		me.post(fmt.Sprintf("/suggestions/%d/not-interested", insomnia))
		assertStatus(t, me.post("/privacy/erase", "confirm", "yes"), 303, "erase")
		got = suggestionRows(t, me)
		for title, r := range got {
			if r.reasonURL != "" || strings.HasPrefix(r.reason, "Because") {
				t.Errorf("after erasing everything, %q still personal: %+v", title, r)
			}
		}
		if _, ok := got["Insomnia again: racing thoughts at night"]; !ok {
			t.Errorf("the erased “not interested” still hides the topic: %v", got)
		}
		mustNotContain(t, me.get("/privacy").body, "Not interested in", `id="signal-`)

		// Switching personalization off leaves "not interested" unused but listed, with an offer to erase it.
		me.post(fmt.Sprintf("/suggestions/%d/not-interested", insomnia))
		consent(me, "personalized_recommendations", false)
		if _, ok := suggestionRows(t, me)["Insomnia again: racing thoughts at night"]; !ok {
			t.Error("personalization off, but “not interested” still applied")
		}
		p = me.post(fmt.Sprintf("/suggestions/%d/not-interested", garden))
		assertStatus(t, p, 400, "not interested while off")
		mustContain(t, p.body, "personalized suggestions, which are off: nothing was recorded")
		assertStatus(t, me.post("/privacy/erase", "purpose", "personalized_recommendations", "confirm", "yes"), 303, "erase purpose")
		mustNotContain(t, me.get("/privacy").body, "Not interested in")
	})
}
