package forum_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/haven-forum/haven/internal/database"
	"github.com/haven-forum/haven/internal/dbtest"
	"github.com/haven-forum/haven/internal/erasures"
	"github.com/haven-forum/haven/internal/forum"
	"github.com/haven-forum/haven/internal/markdown"
	"gorm.io/gorm"
)

type storedHTML struct {
	Body            string
	BodyHTML        string
	BodyHTMLVersion int
}

func storedHTMLOf(t *testing.T, db *gorm.DB, postID int64) storedHTML {
	t.Helper()
	var s storedHTML
	if err := db.Raw(`SELECT body, body_html, body_html_version FROM posts WHERE id = ?`, postID).Scan(&s).Error; err != nil {
		t.Fatal(err)
	}
	return s
}

func storedRulesOf(t *testing.T, db *gorm.DB, slug string) storedHTML {
	t.Helper()
	var s storedHTML
	err := db.Raw(`SELECT rules AS body, rules_html AS body_html, rules_html_version AS body_html_version FROM groups WHERE slug = ?`, slug).Scan(&s).Error
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func shownHTML(t *testing.T, w *searchWorld, ctx context.Context, topicID, postID int64) string {
	t.Helper()
	tp, err := w.forum.Posts.TopicPage(ctx, topicID, 1)
	w.check(err)
	for _, p := range tp.Posts {
		if p.ID == postID {
			return p.BodyHTML
		}
	}
	t.Fatalf("post %d is not on its topic's page", postID)
	return ""
}

// A post's HTML (and a group's rules') is stored when it is written and when it is edited, and is
// exactly what the renderer makes of the Markdown.
func TestPostHTMLIsStoredAsTheRendererMakesIt(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newSearchWorld(t, db)
		topic, first := w.topic(w.alice, "open-circle", forum.PostInput{Title: "Markdown", Body: "**bold** and [a link](https://example.org)"})
		reply := w.reply(w.bob, topic, forum.PostInput{Body: "> quoted\n\n- one\n- two\n\n<script>alert(1)</script>"})
		w.must(w.forum.Posts.EditPost(w.alice, first, forum.PostInput{Title: "Markdown", Body: "_edited_ ![pic](https://x.example/p.png)"}))
		for _, id := range []int64{first, reply} {
			s := storedHTMLOf(t, db, id)
			if want := markdown.Render(s.Body); s.BodyHTML != want || s.BodyHTMLVersion != markdown.Version {
				t.Errorf("post %d stored %q (version %d), want %q (version %d)", id, s.BodyHTML, s.BodyHTMLVersion, want, markdown.Version)
			}
			if got := shownHTML(t, w, w.bob, topic, id); got != s.BodyHTML {
				t.Errorf("post %d shows %q, stored %q", id, got, s.BodyHTML)
			}
		}
		if s := storedHTMLOf(t, db, first); !strings.Contains(s.BodyHTML, "<em>edited</em>") || strings.Contains(s.BodyHTML, "bold") {
			t.Errorf("the edit did not replace the stored HTML: %q", s.BodyHTML)
		}
		w.must(w.forum.Groups.CreateGroup(w.admin, forum.GroupInput{Name: "Rules", Slug: "rules", Rules: "1. *one*", Visibility: forum.Public}))
		w.check(w.forum.Groups.UpdateGroup(w.admin, "open-circle", forum.GroupInput{Name: "Open circle", Rules: "Be **kind**.", Visibility: forum.Public}))
		for _, slug := range []string{"rules", "open-circle"} {
			if r := storedRulesOf(t, db, slug); r.BodyHTML != markdown.Render(r.Body) || r.BodyHTMLVersion != markdown.Version || r.Body == "" {
				t.Errorf("group %s stored %+v", slug, r)
			}
		}
	})
}

// HTML an older renderer made (or none, from before the column) is never shown: pages render the
// post body or the group's rules afresh, and RenderStale stores the new HTML once.
func TestPostHTMLFromAnOlderRendererIsRenderedAgain(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newSearchWorld(t, db)
		topic, first := w.topic(w.alice, "open-circle", forum.PostInput{Title: "Old HTML", Body: "Fresh **words**."})
		never := w.reply(w.bob, topic, forum.PostInput{Body: "Written before the column."})
		gone := w.reply(w.bob, topic, forum.PostInput{Body: "Soon deleted."})
		w.check(w.forum.Posts.DeletePost(w.bob, gone))
		w.check(db.Exec(`UPDATE posts SET body_html = '<p>old renderer</p>', body_html_version = ? WHERE id = ?`, markdown.Version-1, first).Error)
		w.check(db.Exec(`UPDATE posts SET body_html = '', body_html_version = 0 WHERE id = ?`, never).Error)
		w.check(w.forum.Groups.UpdateGroup(w.admin, "open-circle", forum.GroupInput{Name: "Open circle", Rules: "Be **kind**.", Visibility: forum.Public}))
		w.check(db.Exec(`UPDATE groups SET rules_html = '<p>old rules</p>', rules_html_version = 0 WHERE slug = 'open-circle'`).Error)
		if g, err := w.forum.Groups.Group(w.bob, "open-circle"); err != nil || g.RulesHTML != markdown.Render("Be **kind**.") {
			t.Errorf("the group's rules show %q (%v), want a fresh render", g.RulesHTML, err)
		}
		ctxs, err := forum.PostContexts(context.Background(), db, []int64{never})
		w.check(err)
		if got, want := ctxs[never].PreviousHTML, markdown.Render("Fresh **words**."); got != want {
			t.Errorf("the moderator's view of the post before shows %q, want %q", got, want)
		}

		for _, id := range []int64{first, never} {
			if got, want := shownHTML(t, w, w.bob, topic, id), markdown.Render(storedHTMLOf(t, db, id).Body); got != want {
				t.Errorf("post %d shows %q, want a fresh render %q", id, got, want)
			}
		}
		if s := storedHTMLOf(t, db, first); s.BodyHTMLVersion == markdown.Version {
			t.Fatal("a page view wrote the HTML; only RenderStale and writes of the body may")
		}
		n, err := w.forum.Posts.RenderStale(context.Background())
		w.check(err)
		if n != 3 {
			t.Errorf("RenderStale stored %d, want 2 posts and 1 group's rules (the deleted post has nothing to render)", n)
		}
		if rules := storedRulesOf(t, db, "open-circle"); rules.BodyHTML != markdown.Render(rules.Body) || rules.BodyHTMLVersion != markdown.Version {
			t.Errorf("the group's rules after the pass: %+v", rules)
		}
		for _, id := range []int64{first, never} {
			if s := storedHTMLOf(t, db, id); s.BodyHTML != markdown.Render(s.Body) || s.BodyHTMLVersion != markdown.Version {
				t.Errorf("post %d after the pass: %+v", id, s)
			}
		}
		if n, err := w.forum.Posts.RenderStale(context.Background()); err != nil || n != 0 {
			t.Errorf("a second pass stored %d (%v), want 0", n, err)
		}
	})
}

// Every way a post's words are taken back leaves them in no column of any table: deleted by its
// author, removed by a moderator, erased with the account, erased again on restore, and a body
// rewritten by a statement that does not know about the HTML (the database empties it).
func TestTakenBackPostWordsAreInNoColumn(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newSearchWorld(t, db)
		topic, _ := w.topic(w.bob, "open-circle", forum.PostInput{Title: "Bob's topic", Body: "Bob starts."})
		words := map[string]int64{}
		for _, word := range []string{"authordeleted", "moderatorremoved", "accounterased", "restoreerased", "rewrittenelsewhere"} {
			words[word] = w.reply(w.alice, topic, forum.PostInput{Body: "Some **" + word + "** words."})
		}
		for word := range words {
			if cols := columnsHolding(t, db, word); len(cols) < 2 {
				t.Fatalf("%s is in %v before; the body and its HTML should both hold it", word, cols)
			}
		}
		gone := func(word string) {
			t.Helper()
			if cols := columnsHolding(t, db, word); len(cols) > 0 {
				t.Errorf("%q is still in %v", word, cols)
			}
		}
		w.check(w.forum.Posts.DeletePost(w.alice, words["authordeleted"]))
		gone("authordeleted")
		w.check(db.Transaction(func(tx *gorm.DB) error {
			return w.forum.Moderated.RemovePost(context.Background(), tx, forum.ModPost{ID: words["moderatorremoved"], TopicID: topic}, "spam")
		}))
		gone("moderatorremoved")
		w.check(db.Transaction(func(tx *gorm.DB) error {
			return w.forum.Posts.Reerase(context.Background(), tx, erasures.Erasure{Kind: erasures.Post, ObjectID: words["restoreerased"], CreatedAt: time.Now()})
		}))
		gone("restoreerased")
		w.check(db.Exec(`UPDATE posts SET body = 'redacted' WHERE id = ?`, words["rewrittenelsewhere"]).Error)
		gone("rewrittenelsewhere")
		if s := storedHTMLOf(t, db, words["rewrittenelsewhere"]); s.BodyHTMLVersion == markdown.Version {
			t.Errorf("a rewritten body kept its HTML's version: %+v", s)
		}
		w.check(db.Transaction(func(tx *gorm.DB) error {
			return w.forum.Posts.EraseMember(true)(context.Background(), tx, memberID(w.alice))
		}))
		gone("accounterased")
	})
}

// columnsHolding names each table.column whose text contains word, in every table but the
// search index's own (its erasure has its own tests).
func columnsHolding(t *testing.T, db *gorm.DB, word string) []string {
	t.Helper()
	q := `SELECT m.name AS tbl, p.name AS col FROM sqlite_master m JOIN pragma_table_info(m.name) p
		WHERE m.type = 'table' AND m.name NOT LIKE 'search_posts%' AND m.name NOT LIKE 'sqlite_%'
		AND (p.type LIKE '%TEXT%' OR p.type = '')`
	if database.Dialect(db) == "postgres" {
		q = `SELECT table_name AS tbl, column_name AS col FROM information_schema.columns
			WHERE table_schema = 'public' AND data_type = 'text' AND table_name NOT LIKE 'search_posts%'`
	}
	var cols []struct{ Tbl, Col string }
	if err := db.Raw(q).Scan(&cols).Error; err != nil {
		t.Fatal(err)
	}
	if len(cols) < 20 {
		t.Fatalf("only %d text columns found", len(cols))
	}
	var out []string
	for _, c := range cols {
		var n int64
		err := db.Raw(fmt.Sprintf(`SELECT COUNT(*) FROM %s WHERE LOWER(%s) LIKE ?`, c.Tbl, c.Col), "%"+word+"%").Scan(&n).Error
		if err != nil {
			t.Fatalf("%s.%s: %v", c.Tbl, c.Col, err)
		}
		if n > 0 {
			out = append(out, c.Tbl+"."+c.Col)
		}
	}
	return out
}

// BenchmarkTopicPageHTML reads a page of 50 posts of everyday Markdown with the HTML stored, and
// with it stale (every body rendered on the view, as before the column).
//
//	go test ./internal/forum -run '^$' -bench BenchmarkTopicPageHTML -benchtime 2s
func BenchmarkTopicPageHTML(b *testing.B) {
	t := &testing.T{}
	db := dbtest.SQLite(b)
	w := newSearchWorld(t, db)
	body := strings.Repeat("Some days are **hard**, and that is _fine_. I read [this page](https://example.org/help) twice.\n\n", 3) +
		"> what you said last week\n\n- sleep\n- walk\n- call someone\n\n`small steps`"
	topic, _ := w.topic(w.alice, "open-circle", forum.PostInput{Title: "Bench", Body: body})
	for i := 0; i < forum.PostsPerPage-1; i++ {
		w.reply(w.bob, topic, forum.PostInput{Body: fmt.Sprintf("%d. %s", i, body)})
	}
	for _, stale := range []bool{false, true} {
		b.Run(fmt.Sprintf("stale=%v", stale), func(b *testing.B) {
			if stale {
				db.Exec(`UPDATE posts SET body_html_version = 0`)
			}
			for i := 0; i < b.N; i++ {
				if tp, err := w.forum.Posts.TopicPage(w.bob, topic, 1); err != nil || len(tp.Posts) != forum.PostsPerPage {
					b.Fatalf("%v, %d posts", err, len(tp.Posts))
				}
			}
		})
	}
}
