package forum_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/haven-forum/haven/internal/accounts"
	"github.com/haven-forum/haven/internal/apperr"
	"github.com/haven-forum/haven/internal/database"
	"github.com/haven-forum/haven/internal/dbtest"
	"github.com/haven-forum/haven/internal/forum"
	"github.com/haven-forum/haven/internal/site"
	"gorm.io/gorm"
)

// searchWorld is a forum with an admin, two members, a public group that allows anonymous
// posts (everyone joined) and a private group (the admin joined).
type searchWorld struct {
	t                 *testing.T
	db                *gorm.DB
	forum             *forum.Forum
	settings          *site.Settings
	admin, alice, bob context.Context
}

func newSearchWorld(t *testing.T, db *gorm.DB) *searchWorld {
	t.Helper()
	settings := site.NewSettings(db)
	w := &searchWorld{t: t, db: db, forum: forum.New(db, settings, nil), settings: settings}
	w.admin = w.member("ada", "admin")
	w.alice = w.member("alice", "member")
	w.bob = w.member("bob", "member")
	w.must(w.forum.Groups.CreateGroup(w.admin, forum.GroupInput{Name: "Open circle", Slug: "open-circle", Visibility: forum.Public, AllowAnonymous: true}))
	w.must(w.forum.Groups.CreateGroup(w.admin, forum.GroupInput{Name: "Quiet room", Slug: "quiet-room", Visibility: forum.Private}))
	for _, ctx := range []context.Context{w.admin, w.alice, w.bob} {
		w.check(w.forum.Groups.Join(ctx, "open-circle"))
	}
	w.check(w.forum.Groups.Join(w.admin, "quiet-room"))
	return w
}

func (w *searchWorld) member(name, role string) context.Context {
	w.t.Helper()
	m, err := accounts.NewService(w.db).Create(context.Background(), name, "long password 123", role)
	w.check(err)
	return accounts.WithViewer(context.Background(), accounts.Viewer{Member: m})
}

func (w *searchWorld) check(err error) {
	w.t.Helper()
	if err != nil {
		w.t.Fatal(err)
	}
}

func (w *searchWorld) must(_ any, err error) { w.t.Helper(); w.check(err) }

// topic starts a topic and returns its id and its first post's id.
func (w *searchWorld) topic(ctx context.Context, slug string, in forum.PostInput) (topicID, postID int64) {
	w.t.Helper()
	topicID, err := w.forum.Posts.CreateTopic(ctx, slug, in)
	w.check(err)
	w.check(w.db.Raw(`SELECT MIN(id) FROM posts WHERE topic_id = ?`, topicID).Scan(&postID).Error)
	return topicID, postID
}

func (w *searchWorld) reply(ctx context.Context, topicID int64, in forum.PostInput) int64 {
	w.t.Helper()
	id, err := w.forum.Posts.Reply(ctx, topicID, in)
	w.check(err)
	return id
}

func (w *searchWorld) search(ctx context.Context, q string) forum.SearchPage {
	w.t.Helper()
	p, err := w.forum.Index.Search(ctx, q, 1)
	if err != nil {
		w.t.Fatalf("search %q: %v", q, err)
	}
	return p
}

func resultIDs(p forum.SearchPage) []int64 {
	var ids []int64
	for _, r := range p.Results {
		ids = append(ids, r.PostID)
	}
	return ids
}

func sameResults(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestSearchFindsTitlesAndBodiesAndRanksTitlesFirst(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newSearchWorld(t, db)
		light, first := w.topic(w.alice, "open-circle", forum.PostInput{Title: "The lighthouse at night", Body: "I walk along the shore every evening."})
		// More mentions in a shorter text, and newer: only the title's weight puts the first post ahead.
		reply := w.reply(w.bob, light, forum.PostInput{Body: "Lighthouse, lighthouse: the lighthouse kept me going."})
		_, sleep := w.topic(w.bob, "open-circle", forum.PostInput{Title: "Cannot rest", Body: "Lying awake, thinking of the ocean and of sleep."})

		p := w.search(w.bob, "lighthouse")
		if want := []int64{first, reply}; !sameResults(resultIDs(p), want) || p.Total != 2 || p.Pages != 1 {
			t.Fatalf("lighthouse: posts %v (total %d, pages %d), want %v with the title match first", resultIDs(p), p.Total, p.Pages, want)
		}
		top := p.Results[0]
		if top.TopicID != light || top.TopicTitle != "The lighthouse at night" || top.GroupSlug != "open-circle" ||
			top.GroupName != "Open circle" || top.AuthorName != "alice" || top.CreatedAt.IsZero() {
			t.Errorf("first result: %+v", top)
		}
		if !strings.Contains(top.TitleHTML, "<mark>lighthouse</mark>") {
			t.Errorf("title not highlighted: %q", top.TitleHTML)
		}
		if !strings.Contains(p.Results[1].SnippetHTML, "<mark>Lighthouse</mark>") || p.Results[1].TitleHTML != "The lighthouse at night" {
			t.Errorf("reply: title %q, snippet %q", p.Results[1].TitleHTML, p.Results[1].SnippetHTML)
		}
		if got := w.search(w.bob, "shore"); !sameResults(resultIDs(got), []int64{first}) {
			t.Errorf("a body word finds %v, want %v", resultIDs(got), []int64{first})
		}
		if got := w.search(w.bob, "  Ocean   SLEEP "); !sameResults(resultIDs(got), []int64{sleep}) || got.Query != "Ocean   SLEEP" {
			t.Errorf("every word must match: %v (query %q)", resultIDs(got), got.Query)
		}
		if got := w.search(w.bob, "lighthouse ocean"); got.Total != 0 || len(got.Results) != 0 {
			t.Errorf("words from different posts matched one post: %v", resultIDs(got))
		}
		if got := w.search(w.bob, "walking evenings"); !sameResults(resultIDs(got), []int64{first}) {
			t.Errorf("word forms (stemming) do not match: %v", resultIDs(got))
		}
	})
}

func TestSearchEscapesWhatMembersWrote(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newSearchWorld(t, db)
		w.topic(w.alice, "open-circle", forum.PostInput{Title: `<img src=x onerror=alert(1)> lantern`,
			Body: "<script>alert('lantern')</script> a lantern & a \"quote\" \uE000fake mark\uE001 <b>bold</b>"})
		p := w.search(w.bob, "lantern")
		if len(p.Results) != 1 {
			t.Fatalf("%d results", len(p.Results))
		}
		r := p.Results[0]
		for _, html := range []string{r.TitleHTML, r.SnippetHTML} {
			if strings.Contains(html, "<script") || strings.Contains(html, "<img") || strings.Contains(html, "<b>") ||
				strings.ContainsAny(html, "\uE000\uE001") {
				t.Errorf("unescaped text: %q", html)
			}
			if strings.Count(html, "<mark>") != strings.Count(html, "</mark>") || strings.Count(html, "<") != 2*strings.Count(html, "<mark>") {
				t.Errorf("marks unbalanced or other tags: %q", html)
			}
		}
		// PostgreSQL's headline drops tag-like text; SQLite's snippet keeps it, escaped.
		if !strings.Contains(r.SnippetHTML, "<mark>lantern</mark>") || !strings.Contains(r.SnippetHTML, "&amp;") ||
			(strings.Contains(r.SnippetHTML, "script") && !strings.Contains(r.SnippetHTML, "&lt;script&gt;")) {
			t.Errorf("snippet: %q", r.SnippetHTML)
		}
		if !strings.Contains(r.TitleHTML, "&lt;img") || !strings.Contains(r.TitleHTML, "<mark>lantern</mark>") {
			t.Errorf("title: %q", r.TitleHTML)
		}
	})
}

func TestSearchNeverRevealsPrivateGroups(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newSearchWorld(t, db)
		_, open := w.topic(w.alice, "open-circle", forum.PostInput{Title: "Flowers", Body: "Marigolds on the windowsill."})
		_, secret := w.topic(w.admin, "quiet-room", forum.PostInput{Title: "Confidential marigold", Body: "Only for the quiet room: hydrangea."})

		check := func(who string, ctx context.Context, q string, want []int64) {
			t.Helper()
			p := w.search(ctx, q)
			if !sameResults(resultIDs(p), want) || p.Total != len(want) {
				t.Errorf("%s searching %q: posts %v, total %d; want %v", who, q, resultIDs(p), p.Total, want)
			}
			for _, r := range p.Results {
				if r.GroupSlug == "quiet-room" && who != "admin" && who != "invited" {
					t.Errorf("%s sees %+v", who, r)
				}
			}
		}
		check("bob", w.bob, "marigold", []int64{open})
		check("bob", w.bob, "hydrangea", nil)
		check("bob", w.bob, "confidential", nil)
		check("admin", w.admin, "marigold", []int64{secret, open})

		token, err := w.forum.Groups.CreateInvite(w.admin, "quiet-room")
		w.check(err)
		w.must(w.forum.Groups.AcceptInvite(w.bob, token))
		check("invited", w.bob, "hydrangea", []int64{secret})
		w.check(w.forum.Groups.Leave(w.bob, "quiet-room"))
		check("bob after leaving", w.bob, "hydrangea", nil)

		// Signed-out visitors: asked to log in, unless admins let them read public groups.
		visitor := context.Background()
		if _, err := w.forum.Index.Search(visitor, "marigold", 1); apperr.Code(err) != apperr.EUNAUTHORIZED {
			t.Errorf("visitor while reading is off: %v", err)
		}
		w.check(w.settings.SetVisitorsReadPublicGroups(w.admin, true, true))
		check("visitor", visitor, "marigold", []int64{open})
		check("visitor", visitor, "hydrangea", nil)
	})
}

func TestSearchFollowsEditsAndDeletions(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newSearchWorld(t, db)
		topic, first := w.topic(w.alice, "open-circle", forum.PostInput{Title: "Morning routine", Body: "I drink chamomile tea."})
		w.must(w.forum.Posts.EditPost(w.alice, first, forum.PostInput{Title: "Evening routine", Body: "I drink peppermint tea."}))
		for q, want := range map[string][]int64{"chamomile": nil, "morning": nil, "peppermint": {first}, "evening": {first}} {
			if got := resultIDs(w.search(w.bob, q)); !sameResults(got, want) {
				t.Errorf("after the edit %q finds %v, want %v", q, got, want)
			}
		}

		reply := w.reply(w.alice, topic, forum.PostInput{Body: "My zzquokkazucchini bread recipe."})
		if got := resultIDs(w.search(w.bob, "zzquokkazucchini")); !sameResults(got, []int64{reply}) {
			t.Fatalf("new reply not found: %v", got)
		}
		w.check(w.forum.Posts.DeletePost(w.alice, reply))
		w.check(w.forum.Posts.DeletePost(w.alice, first))
		for _, q := range []string{"zzquokkazucchini", "peppermint", "evening", "deleted"} {
			if p := w.search(w.bob, q); p.Total != 0 || len(p.Results) != 0 {
				t.Errorf("%q still finds %v after deletion", q, resultIDs(p))
			}
		}
		var left int64
		w.check(db.Raw(`SELECT COUNT(*) FROM search_posts WHERE body LIKE ? OR body LIKE ? OR title LIKE ?`,
			"%zucchini%", "%peppermint%", "%routine%").Scan(&left).Error)
		if left != 0 {
			t.Errorf("%d index rows still hold deleted text", left)
		}
	})
}

// On SQLite the index's own storage must let go of deleted words too: FTS5 keeps them in its
// segments until they are merged, so deleting a post compacts the index.
func TestSearchDeletedWordsLeaveTheSQLiteFile(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "haven.db")
	ctx := context.Background()
	db, err := database.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := database.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	w := newSearchWorld(t, db)
	topic, _ := w.topic(w.alice, "open-circle", forum.PostInput{Title: "Keeping going", Body: "Plain words that stay."})
	secret := "zzsecretwordqx"
	reply := w.reply(w.alice, topic, forum.PostInput{Body: "Something I regret: " + secret + " and more."})
	w.reply(w.bob, topic, forum.PostInput{Body: "Another reply that stays."})
	w.check(db.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`).Error)
	if !dbtest.FileHas(t, path, secret) {
		t.Fatal("the word never reached the file; the test proves nothing")
	}
	w.check(w.forum.Posts.DeletePost(w.alice, reply))
	if err := database.Close(db); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{path, path + "-wal"} {
		if dbtest.FileHas(t, f, secret) {
			t.Errorf("a deleted post's word survives in %s", filepath.Base(f))
		}
	}
}

func TestSearchKeepsAnonymousAuthorsHidden(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newSearchWorld(t, db)
		topic, _ := w.topic(w.bob, "open-circle", forum.PostInput{Title: "Things we carry", Body: "Share if you like."})
		w.reply(w.alice, topic, forum.PostInput{Body: "A juniper confession.", Anonymous: true})
		w.topic(w.alice, "open-circle", forum.PostInput{Title: "Juniper again", Body: "Also anonymous.", Anonymous: true})
		for who, ctx := range map[string]context.Context{"bob": w.bob, "admin": w.admin} {
			p := w.search(ctx, "juniper")
			if len(p.Results) != 2 {
				t.Fatalf("%s: %d results", who, len(p.Results))
			}
			for _, r := range p.Results {
				if r.AuthorName != forum.AnonymousName || strings.Contains(strings.ToLower(r.TitleHTML+r.SnippetHTML), "alice") {
					t.Errorf("%s sees %+v", who, r)
				}
			}
		}
		if p := w.search(w.bob, "alice"); p.Total != 0 {
			t.Errorf("searching the author's name finds %v", resultIDs(p))
		}
		for _, r := range w.search(w.alice, "juniper").Results {
			if r.AuthorName != "you (anonymous to others)" {
				t.Errorf("the author sees %q", r.AuthorName)
			}
		}
	})
}

func TestSearchShowsContentWarningsInsteadOfText(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newSearchWorld(t, db)
		topic, _ := w.topic(w.alice, "open-circle", forum.PostInput{Title: "Hard news", Body: "The willow fell.", ContentWarning: "loss"})
		w.reply(w.bob, topic, forum.PostInput{Body: "Sorry about the willow."})
		p := w.search(w.bob, "willow")
		if len(p.Results) != 2 {
			t.Fatalf("%d results", len(p.Results))
		}
		for _, r := range p.Results {
			if r.ContentWarning != "loss" || r.SnippetHTML != "" {
				t.Errorf("warning %q, snippet %q", r.ContentWarning, r.SnippetHTML)
			}
		}
	})
}

func TestSearchTreatsSyntaxAsPlainWords(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newSearchWorld(t, db)
		_, lantern := w.topic(w.alice, "open-circle", forum.PostInput{Title: "Small lights", Body: "A paper lantern for the garden."})
		hostile := []string{`"unbalanced`, `a*`, `NEAR(`, `NEAR(a b`, `-`, `title:x`, `body:lantern`, `lantern OR`, `AND`,
			`NOT`, `(`, `)`, `^`, `*`, `"`, `""`, `'`, `\`, `:`, `{title}: x`, `a + b`, `!`, `&`, `|`, `<->`, `:*`,
			`lantern -garden`, "\x00", "\uE000", `%`, `_`, `?`, `$1`, `@query`}
		for _, q := range hostile {
			if _, err := w.forum.Index.Search(w.bob, q, 1); err != nil {
				t.Errorf("search %q: %v", q, err)
			}
		}
		for _, q := range []string{`"lantern`, `lantern*`, `lantern)`, `(lantern)`, `-lantern`, `LANTERN:`} {
			if got := resultIDs(w.search(w.bob, q)); !sameResults(got, []int64{lantern}) {
				t.Errorf("%q finds %v, want the lantern post", q, got)
			}
		}
	})
}

func TestSearchLimitsAndPages(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newSearchWorld(t, db)
		topic, _ := w.topic(w.alice, "open-circle", forum.PostInput{Title: "Daily check-in", Body: "How is everyone's pebble today?"})
		for range forum.SearchPerPage + 4 {
			w.reply(w.bob, topic, forum.PostInput{Body: "My pebble is fine."})
		}
		total := forum.SearchPerPage + 5
		for _, c := range []struct{ page, want, results int }{{1, 1, forum.SearchPerPage}, {2, 2, 5}, {99, 2, 5}, {-3, 1, forum.SearchPerPage}} {
			p, err := w.forum.Index.Search(w.bob, "pebble", c.page)
			w.check(err)
			if p.Total != total || p.Pages != 2 || p.Page != c.want || len(p.Results) != c.results {
				t.Errorf("page %d: total %d, pages %d, page %d, %d results", c.page, p.Total, p.Pages, p.Page, len(p.Results))
			}
		}

		if p := w.search(w.bob, "   "); p.Total != 0 || len(p.Results) != 0 || p.Query != "" || p.Pages != 1 {
			t.Errorf("empty search: %+v", p)
		}
		w.search(w.bob, strings.Repeat("é", forum.SearchQueryMax))
		_, err := w.forum.Index.Search(w.bob, strings.Repeat("é", forum.SearchQueryMax+1), 1)
		var e *apperr.Error
		if !errors.As(err, &e) || e.Code != apperr.EINVALID || !strings.Contains(e.Fields["q"], "at most 200 characters") {
			t.Errorf("over-long query: %v", err)
		}
	})
}
