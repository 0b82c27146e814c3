package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/haven-forum/haven/internal/dbtest"
	"gorm.io/gorm"
)

// press submits the button at selector on p as a browser would: the form it belongs to (its
// form attribute, or the form around it) with that form's fields and the button's own name and
// value, to the button's formaction or else the form's action.
func (c *client) press(p page, selector string) page {
	c.t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(p.body))
	if err != nil {
		c.t.Fatal(err)
	}
	b := doc.Find(selector)
	if b.Length() != 1 {
		c.t.Fatalf("%d buttons match %s", b.Length(), selector)
	}
	form := b.Closest("form")
	if id, ok := b.Attr("form"); ok {
		form = doc.Find("form#" + id)
	}
	if form.Length() != 1 {
		c.t.Fatalf("the button %s belongs to no form", selector)
	}
	values := url.Values{}
	form.Find("input[name]").Each(func(_ int, in *goquery.Selection) {
		name, _ := in.Attr("name")
		v, _ := in.Attr("value")
		values.Add(name, v)
	})
	if name, ok := b.Attr("name"); ok {
		v, _ := b.Attr("value")
		values.Add(name, v)
	}
	action, _ := form.Attr("action")
	if fa, ok := b.Attr("formaction"); ok {
		action = fa
	}
	req, _ := http.NewRequest(http.MethodPost, c.a.srv.URL+action, strings.NewReader(values.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

// A post's reaction, bookmark and mute buttons share one form and one CSRF field, and each
// still does what it says when pressed in a browser.
func TestPostButtonsShareOneFormAndEachWorks(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newApp(t, db)
		a.admin("pb_admin").createGroup("Buttons", "buttons", "public", false)
		writer, reader := a.member("pb_writer"), a.member("pb_reader")
		writer.join("buttons")
		reader.join("buttons")
		topic := writer.newTopic("buttons", "Small wins", "I went outside today.")
		post := writer.reply(topic, "And again this evening.")
		path := fmt.Sprintf("/t/%d", topic)
		p := reader.get(path)
		doc, _ := goquery.NewDocumentFromReader(strings.NewReader(p.body))
		article := doc.Find(fmt.Sprintf("article#p%d", post))
		if n := article.Find(`input[name="_csrf"]`).Length(); n != 1 {
			t.Errorf("a post carries %d CSRF fields, want 1", n)
		}

		r := reader.press(p, fmt.Sprintf(`#p%d button[value="me_too"]`, post))
		if r.status != http.StatusSeeOther || r.location() != fmt.Sprintf("/p/%d", post) {
			t.Fatalf("react: %d %q", r.status, r.location())
		}
		p = reader.get(path)
		mustContain(t, p.body, `value="me_too" aria-pressed="true">Me too <span class="count">1</span>`)

		if r := reader.press(p, fmt.Sprintf(`#p%d button.bookmark`, post)); r.status != http.StatusSeeOther {
			t.Fatalf("bookmark: %d", r.status)
		}
		p = reader.get(path)
		mustContain(t, p.body, "Bookmarked. Only you see your bookmarks.", "Bookmarked (remove)")
		mustContain(t, reader.get("/bookmarks").body, "And again this evening.")
		// The same button, now "Bookmarked (remove)", takes it away again.
		if r := reader.press(p, fmt.Sprintf(`#p%d button.bookmark`, post)); r.status != http.StatusSeeOther {
			t.Fatalf("remove bookmark: %d", r.status)
		}
		p = reader.get(path)
		mustContain(t, p.body, "Bookmark removed.")
		mustNotContain(t, p.body, "Bookmarked (remove)")
		mustNotContain(t, reader.get("/bookmarks").body, "And again this evening.")

		r = reader.press(p, fmt.Sprintf(`#p%d button.mute`, post))
		if r.status != http.StatusSeeOther || r.location() != fmt.Sprintf("/p/%d", post) {
			t.Fatalf("mute: %d %q, want back to the post", r.status, r.location())
		}
		p = reader.get(path)
		mustContain(t, p.body, "You muted pb_writer.", "A post by a member you muted")
		// Nobody is told: the writer's own page shows no trace of the mute or the bookmark.
		mustNotContain(t, writer.get(path).body, "A post by a member you muted", "Bookmarked")
	})
}
