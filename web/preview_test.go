package web_test

import (
	"fmt"
	"html"
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/haven-forum/haven/internal/dbtest"
	"gorm.io/gorm"
)

// rowCounts counts the rows of every table: a preview must leave each count as it was.
func rowCounts(t *testing.T, db *gorm.DB) map[string]int64 {
	t.Helper()
	var tables []string
	q := `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`
	if db.Dialector.Name() == "sqlite" {
		q = `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`
	}
	if err := db.Raw(q).Scan(&tables).Error; err != nil || len(tables) < 10 {
		t.Fatalf("listing tables: %v (%d)", err, len(tables))
	}
	out := map[string]int64{}
	for _, name := range tables {
		var n int64
		if err := db.Raw(`SELECT COUNT(*) FROM "` + name + `"`).Scan(&n).Error; err != nil {
			t.Fatalf("counting %s: %v", name, err)
		}
		out[name] = n
	}
	return out
}

func sameCounts(t *testing.T, what string, before, after map[string]int64) {
	t.Helper()
	for name, n := range after {
		if before[name] != n {
			t.Errorf("%s: %s went from %d to %d rows", what, name, before[name], n)
		}
	}
}

// A preview shows the post as it would be, sanitized like a post, above a form that keeps every
// field, on all three forms; it saves nothing and uses up nothing, so posting afterwards with the
// same form makes exactly one post.
func TestPreviewRendersKeepsEverythingAndSavesNothing(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newApp(t, db)
		admin := a.admin("pv_admin")
		admin.createGroup("Grief Support", "grief", "public", true)
		ann, ben := a.member("pv_ann"), a.member("pv_ben")
		ann.join("grief")
		ben.join("grief")
		topic := ben.newTopic("grief", "Ben's evenings", "Long ones.")
		for _, form := range []string{"/g/grief/new", fmt.Sprintf("/t/%d", topic), fmt.Sprintf("/p/%d/edit", a.firstPostID(topic))} {
			c := ann
			if form != "/g/grief/new" && form != fmt.Sprintf("/t/%d", topic) {
				c = ben
			}
			mustContain(t, c.get(form).body, `<button type="submit" name="preview" value="1" class="secondary">Preview</button>`)
		}

		attack := "Some **strong** words.\n\n<script>alert(1)</script> <img src=x onerror=alert(2)> [click](javascript:alert(3))"
		checkPreview := func(what string, p page, typed ...string) {
			t.Helper()
			if p.status != http.StatusOK {
				t.Fatalf("%s: status %d\n%s", what, p.status, p.body)
			}
			doc, err := goquery.NewDocumentFromReader(strings.NewReader(p.body))
			if err != nil {
				t.Fatal(err)
			}
			shown, _ := doc.Find("section#preview").Html()
			mustContain(t, shown, `<h2 id="preview-h">Preview: not posted yet</h2>`, "<strong>strong</strong>")
			mustNotContain(t, shown, "<script", "onerror", "javascript:")
			mustNotContain(t, p.body, "<script>alert(1)")
			for _, v := range typed {
				mustContain(t, p.body, v)
			}
		}

		// New topic: title, body, content warning, anonymous and the submit key all come back.
		before := rowCounts(t, db)
		fields := []string{"title", "First winter <b>alone</b>", "body", attack, "content_warning", "loss of a parent",
			"anonymous", "1", "_submit", "pv-key-1"}
		p := ann.post("/g/grief/topics", append(fields, "preview", "1")...)
		checkPreview("new topic", p, `value="First winter &lt;b&gt;alone&lt;/b&gt;"`, "<h3 class=\"preview-title\">First winter &lt;b&gt;alone&lt;/b&gt;</h3>",
			">"+html.EscapeString(attack)+"</textarea>", `value="loss of a parent"`, "Content warning: loss of a parent (open to read)",
			`name="anonymous" value="1" checked`, `name="_submit" value="pv-key-1"`, `<span class="author">Anonymous member</span>`)
		sameCounts(t, "new topic preview", before, rowCounts(t, db))
		first := ann.post("/g/grief/topics", fields...)
		again := ann.post("/g/grief/topics", fields...)
		if first.status != http.StatusSeeOther || again.location() != first.location() {
			t.Errorf("the same form sent twice after a preview: %d %q, then %q", first.status, first.location(), again.location())
		}

		// Reply, quoting a post: the quote and the key come back; nobody is notified.
		quoted := a.firstPostID(topic)
		before = rowCounts(t, db)
		p = ann.post(fmt.Sprintf("/t/%d/replies", topic), "body", attack, "quote_of", fmt.Sprint(quoted), "_submit", "pv-key-2",
			"content_warning", "cw here", "preview", "1")
		checkPreview("reply", p, `name="quote_of" value="`+fmt.Sprint(quoted)+`"`, `name="_submit" value="pv-key-2"`,
			`value="cw here"`, `<span class="author">pv_ann</span>`, "Long ones.")
		sameCounts(t, "reply preview", before, rowCounts(t, db))
		mustNotContain(t, ben.get("/notifications").body, "pv_ann")

		// Edit: the post keeps its text until saved.
		before = rowCounts(t, db)
		p = ben.post(fmt.Sprintf("/p/%d/edit", quoted), "title", "Ben's long evenings", "body", attack, "preview", "1")
		checkPreview("edit", p, `value="Ben&#39;s long evenings"`, ">"+html.EscapeString(attack)+"</textarea>")
		sameCounts(t, "edit preview", before, rowCounts(t, db))
		mustContain(t, ann.get(fmt.Sprintf("/t/%d", topic)).body, "Ben&#39;s evenings", "Long ones.")

		// Someone who may not post gets the refusal a post would get, not a preview.
		outsider := a.member("pv_out")
		if p := outsider.post(fmt.Sprintf("/t/%d/replies", topic), "body", "hi", "preview", "1"); p.status != http.StatusForbidden {
			t.Errorf("preview by a non-member: %d", p.status)
		}
		if p := ann.post(fmt.Sprintf("/p/%d/edit", quoted), "body", "hi", "preview", "1"); p.status != http.StatusForbidden {
			t.Errorf("preview of someone else's edit: %d", p.status)
		}
	})
}

// Words that may mean someone is at risk bring the crisis resources on preview, and nothing is
// put in front of the moderators until the member posts.
func TestPreviewShowsCrisisResourcesAndQueuesNothing(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newApp(t, db)
		a.admin("pvc_admin").createGroup("Grief Support", "grief", "public", false)
		m := a.member("pvc_ann")
		m.join("grief")
		before := rowCounts(t, db)
		p := m.post("/g/grief/topics", "title", "Tonight", "body", "I can't go on. I want to end my life.", "_submit", "pvc-1", "preview", "1")
		if p.status != http.StatusOK {
			t.Fatalf("status %d", p.status)
		}
		mustContain(t, p.body, `id="crisis"`, "Before you post", "Preview: not posted yet", `name="crisis_ack" value="1"`,
			"I can&#39;t go on. I want to end my life.")
		sameCounts(t, "crisis preview", before, rowCounts(t, db))
		var queued int64
		db.Raw(`SELECT COUNT(*) FROM queue_items`).Scan(&queued)
		if queued != 0 {
			t.Errorf("%d queue items after a preview", queued)
		}
	})
}
