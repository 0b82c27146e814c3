package forum

import (
	"context"
	"fmt"
	"html"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/haven-forum/haven/internal/apperr"
	"gorm.io/gorm"
)

// Search reads the index in search_posts (SQLite FTS5 or a PostgreSQL tsvector with a GIN index),
// kept up to date by indexPost inside every transaction that writes a post. Queries are never
// stored or logged; results are filtered in SQL to the groups the viewer may read, so neither
// rows nor totals reveal anything from other groups.

// The index never holds these private-use characters, so in a snippet they can only be the
// database's match markers: the snippet is HTML-escaped, then they become <mark> and </mark>.
const (
	markOpen  = "\uE000"
	markClose = "\uE001"
)

var stripMarks = strings.NewReplacer(markOpen, "", markClose, "")

// Index is full-text search over the posts the viewer may read. The index itself is written by
// indexPost inside each transaction that changes a post.
type Index struct {
	*shared
	groups *Groups
}

// SearchResult is one matching post, as the viewer may see it.
type SearchResult struct {
	PostID, TopicID      int64
	TopicTitle           string
	TitleHTML            string // the title, escaped, with matched words in <mark>
	GroupName, GroupSlug string
	SnippetHTML          string // escaped text around the matches, with <mark>; empty when ContentWarning is set
	ContentWarning       string // the post's (or its topic's) warning: show it instead of any text
	AuthorName           string
	CreatedAt            time.Time
}

// SearchPage is one page of results, best first.
type SearchPage struct {
	Query   string
	Results []SearchResult
	Page    int
	Pages   int
	Total   int
}

// Search finds live posts in the groups the viewer may read that contain every word of q,
// and returns page (from 1) of them, ranked, title matches first.
func (s *Index) Search(ctx context.Context, q string, page int) (SearchPage, error) {
	q = strings.TrimSpace(q)
	if n := utf8.RuneCountInString(q); n > SearchQueryMax {
		msg := fmt.Sprintf("A search is at most %d characters long (this one is %d). Nothing was searched.", SearchQueryMax, n)
		return SearchPage{}, &apperr.Error{Code: apperr.EINVALID, Message: msg, Fields: map[string]string{"q": msg}}
	}
	groups, err := s.groups.ReadableGroupIDs(ctx)
	if err != nil {
		return SearchPage{}, err
	}
	if _, signedIn := viewer(ctx); !signedIn && len(groups) == 0 {
		return SearchPage{}, errSignInToRead
	}
	out := SearchPage{Query: q, Page: 1, Pages: 1}
	terms := searchTerms(q)
	if len(terms) == 0 || len(groups) == 0 {
		return out, nil
	}
	d := searchDialects[s.db.Dialector.Name()]
	args := map[string]any{"query": d.query(terms), "groups": groups, "open": markOpen, "close": markClose}
	matches := ` FROM ` + d.from + ` JOIN topics t ON t.id = p.topic_id
		WHERE ` + d.match + ` AND t.group_id IN @groups AND p.deleted_at IS NULL AND t.deleted_at IS NULL`
	var total int64
	if err := s.db.WithContext(ctx).Raw(`SELECT COUNT(*)`+matches, args).Scan(&total).Error; err != nil {
		return out, fmt.Errorf("forum: unable to count search results: %w", err)
	}
	out.Total = int(total)
	out.Pages = max(1, (out.Total+SearchPerPage-1)/SearchPerPage)
	out.Page = clampPage(page, out.Pages)
	if total == 0 {
		return out, nil
	}
	args["limit"], args["offset"] = SearchPerPage, (out.Page-1)*SearchPerPage
	// Rank every match, then mark up only the page's rows (SQLite would otherwise make a
	// snippet for every match before sorting).
	var rows []searchRow
	err = s.db.WithContext(ctx).Raw(`SELECT p.id AS post_id, p.topic_id, t.title AS topic_title, g.name AS group_name,
			g.slug AS group_slug, p.author_id, p.anonymous, p.created_at,
			p.content_warning AS post_warning, t.content_warning AS topic_warning, `+d.marks+`
		FROM (SELECT p.id AS post_id, `+d.score+` AS score`+matches+`
			ORDER BY score DESC, p.id DESC LIMIT @limit OFFSET @offset) r
		CROSS JOIN `+d.index+` JOIN posts p ON p.id = r.post_id JOIN topics t ON t.id = p.topic_id
		JOIN groups g ON g.id = t.group_id
		WHERE `+d.lookup+`
		ORDER BY r.score DESC, r.post_id DESC`, args).Scan(&rows).Error
	if err != nil {
		return out, fmt.Errorf("forum: unable to search: %w", err)
	}
	authors := make([]int64, len(rows))
	for i, r := range rows {
		authors[i] = deref0(r.AuthorID)
	}
	who, err := usernames(ctx, s.db, authors)
	if err != nil {
		return out, err
	}
	v, signedIn := viewer(ctx)
	a := access{viewer: v, signedIn: signedIn} // authorName needs only who is looking
	for _, r := range rows {
		r.Username = who.of(r.AuthorID)
		out.Results = append(out.Results, r.result(a))
	}
	return out, nil
}

// searchRow is a matching post with the marked-up title and snippet from the database.
type searchRow struct {
	PostID, TopicID            int64
	TopicTitle                 string
	GroupName, GroupSlug       string
	AuthorID                   *int64
	Anonymous                  bool
	Username                   *string `gorm:"-"` // from accounts
	CreatedAt                  time.Time
	PostWarning, TopicWarning  string
	TitleMarked, SnippetMarked string
}

func (r searchRow) result(a access) SearchResult {
	res := SearchResult{PostID: r.PostID, TopicID: r.TopicID, TopicTitle: r.TopicTitle, TitleHTML: html.EscapeString(r.TopicTitle),
		GroupName: r.GroupName, GroupSlug: r.GroupSlug, AuthorName: authorName(a, r.AuthorID, r.Anonymous, r.Username),
		CreatedAt: r.CreatedAt, ContentWarning: r.PostWarning}
	// Only a topic's first post carries the title; use its marks only if the index has the live title.
	if r.TitleMarked != "" && stripMarks.Replace(r.TitleMarked) == r.TopicTitle {
		res.TitleHTML = markedHTML(r.TitleMarked)
	}
	if res.ContentWarning == "" {
		res.ContentWarning = r.TopicWarning
	}
	if res.ContentWarning == "" {
		res.SnippetHTML = markedHTML(r.SnippetMarked)
	}
	return res
}

// markedHTML escapes text from the index and turns the match markers into <mark> elements.
func markedHTML(s string) string {
	return strings.NewReplacer(markOpen, "<mark>", markClose, "</mark>").Replace(html.EscapeString(s))
}

// searchTerms splits a query into words; pieces without a letter or digit (bare operators,
// quotes, dashes) are dropped. Every word must match: nothing the member types is syntax.
func searchTerms(q string) []string {
	var terms []string
	for _, f := range strings.Fields(stripMarks.Replace(q)) {
		if strings.IndexFunc(f, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsNumber(r) }) >= 0 {
			terms = append(terms, f)
		}
	}
	return terms
}

// searchDialect is the part of a search that differs between SQLite FTS5 and PostgreSQL.
type searchDialect struct {
	from   string // the index joined to posts p
	match  string // the index rows matching @query
	score  string // higher is better
	index  string // the index again, to mark up one page of results r
	lookup string // r's row in that index
	marks  string // title_marked and snippet_marked, with @open and @close around matches
	query  func(terms []string) string
}

var searchDialects = map[string]searchDialect{
	"sqlite": {
		from:   `search_posts JOIN posts p ON p.id = search_posts.rowid`,
		match:  `search_posts MATCH @query`,
		score:  `-bm25(search_posts, 10.0, 1.0)`, // a word in the title counts ten times one in the body
		index:  `search_posts`,
		lookup: `search_posts.rowid = r.post_id AND search_posts MATCH @query`,
		marks: `highlight(search_posts, 0, @open, @close) AS title_marked,
			snippet(search_posts, 1, @open, @close, '…', 32) AS snippet_marked`,
		// Each word becomes a quoted FTS5 string (quotes doubled), so no operator, column filter,
		// prefix or NEAR group can be formed; strings side by side must all match.
		query: func(terms []string) string {
			quoted := make([]string, len(terms))
			for i, t := range terms {
				quoted[i] = `"` + strings.ReplaceAll(t, `"`, `""`) + `"`
			}
			return strings.Join(quoted, " ")
		},
	},
	"postgres": {
		from:   `search_posts sp JOIN posts p ON p.id = sp.post_id`,
		match:  `sp.doc @@ plainto_tsquery('english', @query)`,
		score:  `ts_rank(sp.doc, plainto_tsquery('english', @query))`, // title words carry weight A, body words B
		index:  `search_posts sp`,
		lookup: `sp.post_id = r.post_id`,
		marks: `CASE WHEN sp.title = '' THEN '' ELSE ts_headline('english', sp.title, plainto_tsquery('english', @query),
				'HighlightAll=true, StartSel=' || @open || ', StopSel=' || @close) END AS title_marked,
			ts_headline('english', sp.body, plainto_tsquery('english', @query),
				'MaxWords=32, MinWords=16, ShortWord=0, MaxFragments=2, FragmentDelimiter=" … ", StartSel=' || @open || ', StopSel=' || @close) AS snippet_marked`,
		// plainto_tsquery ignores punctuation and operators and ANDs the words.
		query: func(terms []string) string { return strings.Join(terms, " ") },
	},
}

// indexPost brings the search index up to date with one post, from its current row: a live post
// is (re)indexed, with its topic's title if it is the first post; a deleted one leaves the index.
func indexPost(ctx context.Context, tx *gorm.DB, postID int64) error {
	var rows []struct {
		Body, Title string
		Live, First bool
	}
	err := tx.WithContext(ctx).Raw(`SELECT p.body, t.title, (p.deleted_at IS NULL AND t.deleted_at IS NULL AND p.hidden_reason IS NULL AND NOT p.held) AS live,
			(p.id = (SELECT MIN(f.id) FROM posts f WHERE f.topic_id = p.topic_id)) AS first
		FROM posts p JOIN topics t ON t.id = p.topic_id WHERE p.id = ?`, postID).Scan(&rows).Error
	if err != nil {
		return fmt.Errorf("forum: unable to read post for the search index: %w", err)
	}
	if _, err := unindexPost(ctx, tx, postID); err != nil {
		return err
	}
	if len(rows) == 0 || !rows[0].Live {
		return nil
	}
	title := ""
	if rows[0].First {
		title = stripMarks.Replace(rows[0].Title)
	}
	ins := `INSERT INTO search_posts (rowid, title, body) VALUES (?, ?, ?)`
	if isPostgres(tx) {
		ins = `INSERT INTO search_posts (post_id, title, body) VALUES (?, ?, ?)`
	}
	if err := tx.WithContext(ctx).Exec(ins, postID, title, stripMarks.Replace(rows[0].Body)).Error; err != nil {
		return fmt.Errorf("forum: unable to index post: %w", err)
	}
	return nil
}

// unindexPost removes a post's entry, reporting whether there was one.
func unindexPost(ctx context.Context, tx *gorm.DB, postID int64) (bool, error) {
	del := `DELETE FROM search_posts WHERE rowid = ?`
	if isPostgres(tx) {
		del = `DELETE FROM search_posts WHERE post_id = ?`
	}
	res := tx.WithContext(ctx).Exec(del, postID)
	if res.Error != nil {
		return false, fmt.Errorf("forum: unable to remove post from the search index: %w", res.Error)
	}
	return res.RowsAffected > 0, nil
}

func isPostgres(db *gorm.DB) bool { return db.Dialector.Name() == "postgres" }
