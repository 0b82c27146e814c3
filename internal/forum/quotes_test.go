package forum_test

import (
	"context"
	"strings"
	"testing"

	"github.com/haven-forum/haven/internal/dbtest"
	"github.com/haven-forum/haven/internal/forum"
	"gorm.io/gorm"
)

// quoteOf writes a reply by ctx quoting post, with the quote as the reply form gives it.
func (w *searchWorld) quoteOf(ctx context.Context, topic, post int64, own string) int64 {
	w.t.Helper()
	q, err := w.forum.Posts.QuoteText(ctx, post)
	w.check(err)
	return w.reply(ctx, topic, forum.PostInput{Body: q + own, QuoteOf: post})
}

func (w *searchWorld) body(id int64) string {
	var b string
	w.check(w.db.Raw(`SELECT body FROM posts WHERE id = ?`, id).Scan(&b).Error)
	return b
}

// A quote keeps nothing its author took back: when the quoted post is deleted by its author,
// erased with their account, removed by a moderator, or edited so the quoted words are gone,
// the quote in the quoting post (its text, earlier versions and search entry) becomes a marker;
// the quoting member's own words stay.
func TestQuotesOfErasedOrEditedTextBecomeAMarker(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		erase  func(w *searchWorld, post int64)
		marker string
	}{
		{"deleted by its author", func(w *searchWorld, post int64) { w.check(w.forum.Posts.DeletePost(w.alice, post)) }, forum.QuoteRemovedByAuthor},
		{"account erased", func(w *searchWorld, post int64) { w.erase(w.alice, true) }, forum.QuoteRemovedByAuthor},
		{"edited away", func(w *searchWorld, post int64) {
			w.must(w.forum.Posts.EditPost(w.alice, post, forum.PostInput{Body: "Someone dear left us in March.\nWe miss her."}))
		}, forum.QuoteChangedByAuthor},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
				t.Parallel()
				w := newSearchWorld(t, db)
				topic, _ := w.topic(w.bob, "open-circle", forum.PostInput{Title: "Who we lost", Body: "Tell us."})
				post := w.reply(w.alice, topic, forum.PostInput{Body: "Grandmother Philippa Gorringe left us in March.\nWe miss her."})
				quoting := w.quoteOf(w.bob, topic, post, "Sending love to you.")
				other := w.quoteOf(w.admin, topic, post, "Thinking of you.")
				w.must(w.forum.Posts.EditPost(w.admin, other, forum.PostInput{Body: w.body(other) + " Truly."})) // a revision holds the quote
				if indexed(t, db, "gorringe") != 3 || !strings.Contains(w.body(quoting), "Gorringe") {
					t.Fatal("the quote is not in the quoting posts and the index; the test proves nothing")
				}

				tc.erase(w, post)
				for _, id := range []int64{quoting, other} {
					b := w.body(id)
					if strings.Contains(b, "Gorringe") || !strings.Contains(b, tc.marker) {
						t.Errorf("quoting post %d after the quoted text went: %q; want the marker %q", id, b, tc.marker)
					}
				}
				if !strings.Contains(w.body(quoting), "Sending love to you.") {
					t.Error("the quoting member's own words were lost")
				}
				var n int64
				db.Raw(`SELECT COUNT(*) FROM posts WHERE body_html LIKE '%Gorringe%'`).Scan(&n)
				if n != 0 {
					t.Errorf("%d posts keep the quoted words in their stored HTML", n)
				}
				db.Raw(`SELECT COUNT(*) FROM post_revisions WHERE body LIKE '%Gorringe%' AND post_id IN ?`, []int64{quoting, other}).Scan(&n)
				if n != 0 {
					t.Errorf("%d earlier versions of quoting posts keep the quote", n)
				}
				if got := indexed(t, db, "gorringe"); got != 0 {
					t.Errorf("the search index finds the quoted words in %d posts", got)
				}
				if p := w.search(w.bob, "Gorringe"); len(p.Results) != 0 {
					t.Errorf("search results still show the quoted words: %v", resultIDs(p))
				}
			})
		})
	}
}

// An edit that keeps the quoted words leaves quotes of them alone.
func TestQuotesOfTextStillThereStay(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		t.Parallel()
		w := newSearchWorld(t, db)
		topic, _ := w.topic(w.bob, "open-circle", forum.PostInput{Title: "Evenings", Body: "Tell us."})
		post := w.reply(w.alice, topic, forum.PostInput{Body: "The evenings are the hardest part for me."})
		quoting := w.quoteOf(w.bob, topic, post, "Same here.")
		w.must(w.forum.Posts.EditPost(w.alice, post, forum.PostInput{Body: "The evenings are the hardest part for me.\n\nMornings too."}))
		if b := w.body(quoting); !strings.Contains(b, "> The evenings are the hardest part for me.") {
			t.Errorf("a quote of words still in the post was replaced: %q", b)
		}
	})
}
