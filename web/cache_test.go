package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/haven-forum/haven/internal/dbtest"
	"gorm.io/gorm"
)

// Two instances, each with its own content cache, on one database: an edit, a deletion, a
// moderator's hiding and an account erased with its posts on instance A are gone from the very
// next page instance B serves, though B had the old words cached.
func TestCachedContentChangesOnEveryInstanceAtOnce(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a, b := newApp(t, db), newApp(t, db)
		admin := a.admin("cc_admin")
		admin.createGroup("Sleepless", "sleepless", "public", false)
		admin.join("sleepless")
		alice, erased := a.member("cc_alice"), a.member("cc_erased")
		alice.join("sleepless")
		erased.join("sleepless")
		reader := b.member("cc_reader") // signed up and reading on instance B
		reader.join("sleepless")
		shared := "sleepless nights anxious worries racing thoughts"
		viewed := alice.newTopic("sleepless", "Sleepless nights again", shared)
		words := map[string]int64{}
		for _, w := range []string{"kestreledit", "kestreldelete", "kestrelhide", "kestrelerase"} {
			author := alice
			if w == "kestrelerase" {
				author = erased
			}
			words[w] = author.newTopic("sleepless", "Racing thoughts "+w, shared+" "+w)
		}
		show := func(c *client) string {
			t.Helper()
			p := c.get(fmt.Sprintf("/t/%d", viewed))
			if p.status != http.StatusOK {
				t.Fatalf("topic page: %d", p.status)
			}
			return p.body
		}
		mustContain(t, show(reader), "kestreledit", "kestreldelete", "kestrelhide", "kestrelerase") // now cached on B
		mustContain(t, show(alice), "kestreledit")                                                  // and on A
		if n, _ := b.web.Forum.CachedContent(); n == 0 {
			t.Fatal("instance B cached nothing: the test would prove nothing")
		}

		first := func(w string) int64 { return a.firstPostID(words[w]) }
		steps := []struct {
			word string
			act  func() page
		}{
			{"kestreledit", func() page {
				return alice.post(fmt.Sprintf("/p/%d/edit", first("kestreledit")), "title", "Racing thoughts, said better", "body", shared)
			}},
			{"kestreldelete", func() page { return alice.post(fmt.Sprintf("/p/%d/delete", first("kestreldelete"))) }},
			{"kestrelhide", func() page {
				return admin.post(fmt.Sprintf("/mod/posts/%d/hide", first("kestrelhide")), "reason", "Off topic")
			}},
			{"kestrelerase", func() page {
				return erased.post("/account/delete", "posts", "erase", "password", goodPassword)
			}},
		}
		for _, st := range steps {
			mustContain(t, show(reader), st.word) // still there, from B's cache
			if p := st.act(); p.status != http.StatusSeeOther {
				t.Fatalf("%s: %d\n%s", st.word, p.status, p.body)
			}
			mustNotContain(t, show(reader), st.word)
			mustNotContain(t, show(alice), st.word)
		}
		mustContain(t, show(reader), "Racing thoughts, said better") // related topics still work on B
	})
}

// Suggestions weigh each topic's reactions of the last week, which each instance caches per
// group: a reaction taken back, and the reactions of an account erased, on instance A stop
// counting on the very next home page instance B serves, though B had the counts cached.
func TestCachedReactionCountsChangeOnEveryInstanceAtOnce(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a, b := newApp(t, db), newApp(t, db)
		admin := a.admin("cr_admin")
		admin.createGroup("Evenings", "evenings", "public", false)
		author, reactor, erased := a.member("cr_author"), a.member("cr_reactor"), a.member("cr_erased")
		for _, c := range []*client{author, reactor, erased} {
			c.join("evenings")
		}
		reader := b.member("cr_reader")
		reader.join("evenings")
		// Both wait for a first reply and are minutes apart at most: one reaction puts the older first.
		older := author.newTopic("evenings", "Quiet evenings falcon", "text")
		author.newTopic("evenings", "Long evenings osprey", "text")
		post := a.firstPostID(older)
		first := func() string {
			t.Helper()
			p := reader.get("/")
			if p.status != http.StatusOK {
				t.Fatalf("home: %d", p.status)
			}
			f, o := strings.Index(p.body, "Quiet evenings falcon"), strings.Index(p.body, "Long evenings osprey")
			if f < 0 || o < 0 {
				t.Fatalf("home does not suggest both topics:\n%s", p.body)
			}
			if f < o {
				return "falcon"
			}
			return "osprey"
		}
		react := func(c *client) {
			t.Helper()
			if p := c.post(fmt.Sprintf("/p/%d/react", post), "kind", "me_too"); p.status != http.StatusSeeOther {
				t.Fatalf("react: %d", p.status)
			}
		}
		if got := first(); got != "osprey" {
			t.Fatalf("without reactions the newer topic comes first, got %s first", got)
		}
		react(reactor)
		if got := first(); got != "falcon" {
			t.Fatalf("a reaction on instance A does not count on B: %s first", got)
		}
		react(reactor) // taken back
		if got := first(); got != "osprey" {
			t.Errorf("a reaction taken back on instance A still counts on B: %s first", got)
		}
		react(erased)
		if got := first(); got != "falcon" { // now cached on B
			t.Fatalf("the reaction to be erased does not count on B: %s first", got)
		}
		if p := erased.post("/account/delete", "posts", "keep", "password", goodPassword); p.status != http.StatusSeeOther {
			t.Fatalf("account deletion: %d\n%s", p.status, p.body)
		}
		if got := first(); got != "osprey" {
			t.Errorf("an erased member's reaction still counts in suggestions on instance B: %s first", got)
		}
	})
}

// The directory's group cards are cached per group on each instance: a group renamed, made
// private or archived, and a new topic counted, on instance A show on the next home page
// instance B serves, though B had the cards cached.
func TestCachedGroupCardsChangeOnEveryInstanceAtOnce(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a, b := newApp(t, db), newApp(t, db)
		admin := a.admin("gc_admin")
		admin.createGroup("Harbour Lights", "harbour", "public", false)
		admin.createGroup("Open Fields", "fields", "public", false)
		writer := a.member("gc_writer")
		writer.join("harbour")
		writer.newTopic("harbour", "First light", "text")
		reader := b.member("gc_reader") // not in any group: sees public cards only
		home := func() string {
			t.Helper()
			p := reader.get("/")
			if p.status != http.StatusOK {
				t.Fatalf("home: %d", p.status)
			}
			return p.body
		}
		mustContain(t, home(), "Harbour Lights", "About Harbour Lights", "1 topic", "Open Fields") // now cached on B
		steps := []struct {
			name      string
			act       func() page
			gone, new []string
		}{
			{"rename", func() page {
				return admin.post("/admin/groups/harbour", "name", "Harbour Beacons", "description", "Kestrelcard words.",
					"rules", "Be kind.", "visibility", "public")
			}, []string{"Harbour Lights", "About Harbour Lights"}, []string{"Harbour Beacons", "Kestrelcard words."}},
			{"new topic", func() page { return writer.post("/g/harbour/topics", "title", "Second light", "body", "text") },
				[]string{"1 topic"}, []string{"2 topics"}},
			{"private", func() page {
				return admin.post("/admin/groups/harbour", "name", "Harbour Beacons", "description", "Kestrelcard words.",
					"rules", "Be kind.", "visibility", "private")
			}, []string{"2 topics"}, nil},
			{"archive", func() page { return admin.post("/admin/groups/fields/archive", "archived", "1") },
				[]string{"Open Fields"}, nil},
		}
		for _, st := range steps {
			if p := st.act(); p.status != http.StatusSeeOther {
				t.Fatalf("%s: %d\n%s", st.name, p.status, p.body)
			}
			body := home()
			mustNotContain(t, body, st.gone...)
			mustContain(t, body, st.new...)
		}
	})
}
