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

var hostile = []string{
	`<script>alert("x")</script>`,
	`<img src=x onerror=alert(1)>`,
	`"><svg onload=alert(1)>`,
	`![track](https://tracker.example/pixel.gif)`,
	`[click me](javascript:alert(1))`,
	`<iframe src="https://evil.example/"></iframe>`,
	`<a href="https://evil.example" onmouseover="alert(1)">x</a>`,
	`<style>@import url(https://evil.example/x.css)</style>`,
	`<link rel=stylesheet href=https://evil.example/x.css>`,
	`<object data="https://evil.example/x.swf"></object>`,
	"```\n</code><script>alert(1)</script>\n```",
	`<form action="https://evil.example"><button>go</button></form>`,
	`<meta http-equiv="refresh" content="0;url=https://evil.example">`,
	`<base href="https://evil.example/">`,
	// @mentions: a link is made only by Haven, after the sanitizer, from a marker it checks.
	`@xss_reader<script>alert(1)</script>`,
	`@xss_reader" onmouseover="alert(1)`,
	`[@xss_reader](javascript:alert(1))`,
	`<span data-mention="xss_reader" onclick="alert(1)">@xss_reader</span>`,
	`<span data-mention='x" onclick="alert(1)'>@xss_reader</span> **@xss_reader**<img src=x onerror=alert(1)>`,
}

// avatarTag is the one inline SVG a page may hold: the generated avatar on a profile, which no
// member text reaches (its initials and colour come from the username, escaped).
var avatarTag = regexp.MustCompile(`^<svg class="avatar" width="64" height="64" viewBox="0 0 64 64" aria-hidden="true" focusable="false">$`)

// What no element in a page's main content may be once member text is in it: executable code, an
// event handler, or anything that loads from another origin. Text that merely reads like a tag
// is escaped (&lt;script&gt;) and so is not an element.
var tagPattern = regexp.MustCompile(`<[a-zA-Z][^>]*>`)

func dangerousTags(body string) []string {
	start, end := strings.Index(body, "<main"), strings.Index(body, "</main>")
	if start < 0 || end < start {
		return []string{"no <main> element"}
	}
	var bad []string
	for _, tag := range tagPattern.FindAllString(body[start:end], -1) {
		if avatarTag.MatchString(tag) {
			continue
		}
		for _, re := range dangerous {
			if re.MatchString(tag) {
				bad = append(bad, tag)
			}
		}
	}
	return bad
}

var dangerous = []*regexp.Regexp{
	regexp.MustCompile(`(?i)<script`),
	regexp.MustCompile(`(?i)<(img|svg|iframe|object|embed|style|link|meta|base|video|audio|source)[\s>/]`),
	regexp.MustCompile(`(?i)\son[a-z]+\s*=`),
	regexp.MustCompile(`(?i)(href|src|action)\s*=\s*["']?\s*javascript:`),
	regexp.MustCompile(`(?i)(src|data|action|poster)\s*=\s*["']?(https?:)?//`),
	regexp.MustCompile(`(?i)<form[^>]+action="https?:`),
}

func TestHostileTextNeverBecomesCode(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newApp(t, db)
		admin := a.admin("xss_admin")
		admin.createGroup("Open", "open", "public", true)
		writer, reader := a.member("xss_writer"), a.member("xss_reader")
		writer.join("open")
		var topics []int64
		for i, h := range hostile {
			topic := writer.newTopic("open", fmt.Sprintf("T%d %s", i, h), "Body: "+h, "content_warning", "cw "+h[:min(len(h), 90)])
			writer.reply(topic, "Reply: "+h+"\n\n> "+h)
			topics = append(topics, topic)
		}
		// The group description and rules are Markdown too.
		admin.post("/admin/groups/open", "name", "Open", "description", hostile[0], "rules", hostile[1]+"\n\n"+hostile[3], "visibility", "public")
		writer.post("/account/profile", "bio", hostile[0]+hostile[1]+hostile[len(hostile)-1])
		pages := []string{"/", "/g/open", "/search?q=alert", "/notifications", "/u/xss_writer", "/bookmarks"}
		for _, id := range topics {
			pages = append(pages, fmt.Sprintf("/t/%d", id))
			reader.post(fmt.Sprintf("/p/%d/bookmark", a.firstPostID(id)), "on", "true")
		}
		for _, path := range pages {
			p := reader.get(path)
			if p.status != http.StatusOK {
				t.Errorf("%s: %d", path, p.status)
			}
			for _, tag := range dangerousTags(p.body) {
				t.Errorf("%s contains %s", path, tag)
			}
		}
		edit := writer.get(fmt.Sprintf("/p/%d/edit", a.firstPostID(topics[0])))
		for _, tag := range dangerousTags(edit.body) {
			t.Errorf("edit form contains %s", tag)
		}
		// The text itself is kept, shown as text.
		mustContain(t, reader.get(fmt.Sprintf("/t/%d", topics[0])).body, "&lt;script&gt;alert(")
		// An @name of a member is linked, and only as Haven makes the link.
		last := reader.get(fmt.Sprintf("/t/%d", topics[len(topics)-1])).body
		mustContain(t, last, `<a href="/u/xss_reader" class="mention">@xss_reader</a>`)
		mustNotContain(t, last, `data-mention='x`, `onclick="`)
		mustContain(t, reader.get("/u/xss_writer").body, "&lt;script&gt;alert(")
	})
}

func TestVisitorsReadPublicGroupsOnlyWhenAllowed(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newApp(t, db)
		admin := a.admin("vis_admin")
		admin.createGroup("Public", "public-one", "public", false)
		admin.createGroup("Private", "private-one", "private", false)
		mod := a.member("vis_mod")
		admin.post("/admin/groups/public-one/moderators", "action", "add", "username", "vis_mod")
		admin.post("/admin/groups/private-one/moderators", "action", "add", "username", "vis_mod")
		pub := mod.newTopic("public-one", "Open words", "Anyone may read this.")
		priv := mod.newTopic("private-one", "Closed words", "Members only.")
		visitor := a.client()
		if p := visitor.get(fmt.Sprintf("/t/%d", pub)); p.status != http.StatusSeeOther {
			t.Fatalf("visitor, setting off: %d", p.status)
		}
		// The public group's card shows (what the community is), never its topics or a private group.
		mustContain(t, visitor.get("/").body, `href="/g/public-one"`)
		mustNotContain(t, visitor.get("/").body, "Open words", "private-one", "Closed words")
		mustNotContain(t, visitor.get("/g/public-one").body, "Open words", "Anyone may read this.")
		admin.post("/admin/settings", "visitors_read", "1", "crisis_phrases", "suicide")
		mustContain(t, visitor.get(fmt.Sprintf("/t/%d", pub)).body, "Anyone may read this.")
		mustContain(t, visitor.get("/").body, `href="/g/public-one"`)
		mustNotContain(t, visitor.get("/").body, "private-one", "Closed words")
		if p := visitor.get(fmt.Sprintf("/t/%d", priv)); p.status != http.StatusSeeOther {
			t.Errorf("visitor reading a private topic: %d", p.status)
		}
		if p := visitor.post(fmt.Sprintf("/t/%d/replies", pub), "body", "drive-by"); p.status != http.StatusSeeOther || p.location() != "/login" {
			t.Errorf("visitor replying: %d %q", p.status, p.location())
		}
	})
}
