package web_test

import (
	"fmt"
	"net/http"
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
