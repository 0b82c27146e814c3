package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/haven-forum/haven/internal/dbtest"
	"gorm.io/gorm"
)

func TestSearchPage(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newApp(t, db)
		admin := a.admin("search_admin")
		admin.createGroup("Open circle", "open-circle", "public", false)
		admin.createGroup("Quiet room", "quiet-room", "private", false)
		admin.join("quiet-room")
		writer, reader := a.member("search_writer"), a.member("search_reader")
		writer.join("open-circle")
		topic := writer.newTopic("open-circle", "Tidepools <b>at dawn</b>", "Watching the water settle. <script>alert(1)</script>")
		reply := writer.reply(topic, "The tidepools remind me to breathe.")
		secret := admin.newTopic("quiet-room", "Tidepools in private", "A note about the harbour.")

		p := reader.get("/search?q=tidepools")
		assertStatus(t, p, http.StatusOK, "search")
		mustContain(t, p.body, `role="search"`, `value="tidepools"`, "2 posts found", "search_writer", "Open circle",
			fmt.Sprintf(`href="/p/%d"`, a.firstPostID(topic)), fmt.Sprintf(`href="/p/%d"`, reply),
			"<mark>Tidepools</mark> &lt;b&gt;at dawn&lt;/b&gt;", "The <mark>tidepools</mark> remind me")
		mustNotContain(t, p.body, "<b>at dawn", "<script>alert", "quiet-room", "Quiet room", "in private", "harbour",
			fmt.Sprintf(`/p/%d"`, a.firstPostID(secret)), fmt.Sprintf(`/t/%d"`, secret))
		mustNotContain(t, reader.get("/search?q=harbour").body, "in private", "harbour</", "1 post found")
		mustContain(t, admin.get("/search?q=harbour").body, "Tidepools in private", "1 post found")

		// A content warning stands in for the text.
		writer.newTopic("open-circle", "Paper lanterns", "Words behind the warning.", "content_warning", "loss")
		p = reader.get("/search?q=lanterns")
		mustContain(t, p.body, "Content warning: loss. Open the post to read it.")
		mustNotContain(t, p.body, "behind the warning")

		// No query: just the form.
		p = reader.get("/search")
		assertStatus(t, p, http.StatusOK, "empty search")
		mustContain(t, p.body, `<form method="get" action="/search" role="search"`, `<label for="f-q">`, `autocomplete="off"`)
		mustNotContain(t, p.body, "found")

		long := strings.Repeat("tidepools ", 21)
		p = reader.get("/search?q=" + url.QueryEscape(long))
		assertStatus(t, p, http.StatusBadRequest, "over-long search")
		mustContain(t, p.body, "A search is at most 200 characters long", `aria-invalid="true"`)
		mustNotContain(t, p.body, "found", "/p/")

		for _, q := range []string{`"unbalanced`, `NEAR(`, `-`, `title:x`, `a*`, `tidepools OR`, `(`} {
			assertStatus(t, reader.get("/search?q="+url.QueryEscape(q)), http.StatusOK, "search for "+q)
		}

		// Pages keep the query.
		for range 19 {
			writer.reply(topic, "More tidepools.")
		}
		p = reader.get("/search?q=tidepools")
		mustContain(t, p.body, "21 posts found", `href="/search?q=tidepools&amp;page=2"`)
		mustContain(t, reader.get("/search?q=tidepools&page=2").body, "Page 2 of 2", "<mark>tidepools</mark>")

		// Signed-out visitors are asked to log in while visitors cannot read; the query is left behind.
		p = a.client().get("/search?q=tidepools")
		if p.status != http.StatusSeeOther || p.location() != "/login?next=%2Fsearch" {
			t.Errorf("visitor: %d to %q", p.status, p.location())
		}
		// Queries are not logged.
		mustNotContain(t, a.logs.String(), "tidepools", "harbour", "unbalanced")
	})
}
