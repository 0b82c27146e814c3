package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/haven-forum/haven/internal/dbtest"
	"gorm.io/gorm"
)

func TestProfilesNeedSignInAndNeverNameAnonymousAuthors(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newApp(t, db)
		a.admin("pr_admin").createGroup("Open", "open", "public", true)
		writer, reader := a.member("pr_writer"), a.member("pr_reader")
		writer.join("open")
		reader.join("open")
		topic := writer.newTopic("open", "Named topic", "Named words, hello @pr_reader and @pr_nobody")
		anonTopic := writer.newTopic("open", "Quiet topic", "Anonymous words", "anonymous", "1")
		writer.reply(anonTopic, "Anonymous reply mentioning @pr_reader", "anonymous", "1")
		writer.reply(topic, "Named reply zebrafinch")

		if p := a.client().get("/u/pr_writer"); p.status != http.StatusSeeOther || !strings.HasPrefix(p.location(), "/login?next=%2Fu%2Fpr_writer") {
			t.Errorf("a visitor on a profile: %d %q", p.status, p.location())
		}
		prof := reader.get("/u/pr_writer")
		assertStatus(t, prof, http.StatusOK, "profile")
		mustContain(t, prof.body, "<h1>pr_writer</h1>", "Member since", `<svg class="avatar"`, "Named words", "Named reply zebrafinch",
			`href="/u/pr_reader" class="mention"`)
		mustNotContain(t, prof.body, "Anonymous words", "Anonymous reply", "Quiet topic", "/u/pr_nobody")

		// Topic pages and lists link named authors only.
		named := reader.get(fmt.Sprintf("/t/%d", topic))
		mustContain(t, named.body, `<a href="/u/pr_writer">pr_writer</a>`, `<a href="/u/pr_reader" class="mention">@pr_reader</a>`)
		mustNotContain(t, named.body, `href="/u/pr_nobody"`)
		for _, path := range []string{fmt.Sprintf("/t/%d", anonTopic), "/search?q=anonymous", "/g/open"} {
			body := reader.get(path).body
			if path != "/g/open" {
				mustNotContain(t, body, `href="/u/pr_writer"`)
			}
			mustContain(t, body, "Anonymous member")
		}
		mustContain(t, reader.get("/g/open").body, `by <a href="/u/pr_writer">pr_writer</a>`)
		// The author's own view of their anonymous topic does not link either.
		mustNotContain(t, writer.get(fmt.Sprintf("/t/%d", anonTopic)).body, `<a href="/u/pr_writer">`)

		// The bio and the hide setting.
		if p := writer.post("/account/profile", "bio", strings.Repeat("é", 301)); p.status != http.StatusUnprocessableEntity {
			t.Errorf("an over-long bio: %d", p.status)
		} else {
			mustContain(t, p.body, "at most 300 characters", strings.Repeat("é", 301))
		}
		if p := writer.post("/account/profile", "bio", "I <b>garden</b> @pr_reader", "hide_posts", "1"); p.status != http.StatusSeeOther {
			t.Fatalf("saving the profile: %d", p.status)
		}
		mustContain(t, writer.get("/account").body, "I &lt;b&gt;garden&lt;/b&gt; @pr_reader", `name="hide_posts" value="1" checked`)
		prof = reader.get("/u/pr_writer")
		mustContain(t, prof.body, "I &lt;b&gt;garden&lt;/b&gt; @pr_reader", "chose not to list their posts")
		mustNotContain(t, prof.body, "Named words", "Named reply")
		mustContain(t, writer.get("/u/pr_writer").body, "Named words", "only you see it here", `<a href="/bookmarks">Your bookmarks</a>`)
		mustContain(t, writer.get("/privacy").body, "Your bio: “I &lt;b&gt;garden&lt;/b&gt; @pr_reader”", "Your post list is hidden")

		// A deleted member's profile is gone, with a page that says so.
		if p := writer.post("/account/delete", "posts", "keep", "password", goodPassword); p.status != http.StatusSeeOther {
			t.Fatalf("delete: %d\n%s", p.status, p.body)
		}
		gone := reader.get("/u/pr_writer")
		assertStatus(t, gone, http.StatusNotFound, "a deleted member's profile")
		mustContain(t, gone.body, "There is no member with this name")
		mustNotContain(t, reader.get(fmt.Sprintf("/t/%d", topic)).body, `href="/u/pr_writer"`)
		var left int64
		db.Raw(`SELECT COUNT(*) FROM member_profiles`).Scan(&left)
		if left != 0 {
			t.Errorf("%d profile rows outlive the account", left)
		}
	})
}

func TestBookmarksArePrivateExportedAndErased(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newApp(t, db)
		admin := a.admin("bm_admin")
		admin.createGroup("Open", "open", "public", false)
		admin.createGroup("Closed", "closed", "private", false)
		admin.post("/admin/groups/closed/moderators", "action", "add", "username", "bm_admin")
		owner, other := a.member("bm_owner"), a.member("bm_other")
		owner.join("open")
		topic := owner.newTopic("open", "Keep this", "Words worth keeping")
		post := a.firstPostID(topic)
		secret := a.firstPostID(admin.newTopic("closed", "Closed topic", "Closed words"))

		p := owner.post(fmt.Sprintf("/p/%d/bookmark", post), "on", "true")
		if p.status != http.StatusSeeOther || p.location() != fmt.Sprintf("/p/%d", post) {
			t.Fatalf("bookmark: %d %q", p.status, p.location())
		}
		page := owner.get(fmt.Sprintf("/t/%d", topic))
		mustContain(t, page.body, "Bookmarked. Only you see your bookmarks.", `aria-pressed="true"`, "Bookmarked (remove)")
		mustContain(t, owner.get("/bookmarks").body, "Words worth keeping", "Remove bookmark")
		mustNotContain(t, other.get("/bookmarks").body, "Words worth keeping")
		mustNotContain(t, other.get(fmt.Sprintf("/t/%d", topic)).body, "Bookmarked (remove)")
		if p := other.post(fmt.Sprintf("/p/%d/bookmark", secret), "on", "true"); p.status != http.StatusNotFound {
			t.Errorf("bookmarking a post one cannot read: %d", p.status)
		}
		if p := a.client().post(fmt.Sprintf("/p/%d/bookmark", post), "on", "true"); p.status != http.StatusSeeOther || !strings.HasPrefix(p.location(), "/login") {
			t.Errorf("a visitor bookmarking: %d %q", p.status, p.location())
		}
		if p := a.client().get("/bookmarks"); p.status != http.StatusSeeOther {
			t.Errorf("a visitor on /bookmarks: %d", p.status)
		}
		if p := owner.post(fmt.Sprintf("/p/%d/bookmark", post), "on", "maybe"); p.status != http.StatusBadRequest && p.status != http.StatusUnprocessableEntity {
			t.Errorf("on=maybe: %d", p.status)
		}

		doc := owner.export()
		marks := doc.items(t, "bookmarks")
		if len(marks) != 1 || marks[0]["post_id"] != float64(post) {
			t.Errorf("export bookmarks: %v", marks)
		}
		mustContain(t, owner.get("/privacy").body, fmt.Sprintf("A bookmark of post #%d", post))
		mustContain(t, string(other.export().doc["bookmarks"]), "[]")

		// Removing from the list returns to the list.
		if p := owner.post(fmt.Sprintf("/p/%d/bookmark", post), "on", "false", "back", "bookmarks"); p.location() != "/bookmarks" {
			t.Errorf("remove from the list goes to %q", p.location())
		}
		mustContain(t, owner.get("/bookmarks").body, "Bookmark removed.", "You have no bookmarks")

		owner.post(fmt.Sprintf("/p/%d/bookmark", post), "on", "true")
		if p := owner.post("/account/delete", "posts", "keep", "password", goodPassword); p.status != http.StatusSeeOther {
			t.Fatalf("delete: %d", p.status)
		}
		var left int64
		db.Raw(`SELECT COUNT(*) FROM bookmarks`).Scan(&left)
		if left != 0 {
			t.Errorf("%d bookmarks outlive the account", left)
		}
	})
}
