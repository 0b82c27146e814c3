package forum

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/haven-forum/haven/internal/accounts"
	"github.com/haven-forum/haven/internal/apperr"
	"github.com/haven-forum/haven/internal/erasures"
	"github.com/haven-forum/haven/internal/markdown"
	"github.com/haven-forum/haven/internal/paths"
	"gorm.io/gorm"
)

// Limits on profiles and bookmarks.
const (
	BioMax            = 300 // characters of plain text: a bio is never Markdown, so it holds no link
	ProfilePerPage    = 20
	BookmarksPerPage  = 30
	profileSignInText = "Please log in to see members' profiles."
)

// Profiles is what members show of themselves (a short bio, and whether their post list is
// shown) and the posts each bookmarked: choices a member makes, shown back only to them.
type Profiles struct {
	*shared
	groups *Groups
	posts  *Service
}

// ProfileSettings is what a member chose for their profile.
type ProfileSettings struct {
	Bio       string
	HidePosts bool
	UpdatedAt time.Time // zero: never set
}

// Profile is a member's page as the viewer may see it.
type Profile struct {
	Username    string
	JoinedAt    time.Time // shown as a month
	Bio         string
	IsViewer    bool
	PostsHidden bool // the member hid their post list (their own view still lists it)
	Posts       []ProfilePost
	Page, Pages int
}

// ProfilePost is a post listed on a profile or among bookmarks.
type ProfilePost struct {
	ID             int64
	TopicID        int64
	TopicTitle     string
	GroupName      string
	GroupSlug      string
	AuthorName     string // on bookmarks: who wrote it, by the one rule (authorName)
	ContentWarning string
	BodyHTML       string
	CreatedAt      time.Time
	BookmarkedAt   time.Time
}

// BookmarkPage is one page of the viewer's bookmarks, newest first.
type BookmarkPage struct {
	Posts       []ProfilePost
	Page, Pages int
}

type profileRow struct {
	MemberID  int64 `gorm:"primaryKey"`
	Bio       string
	HidePosts bool
	UpdatedAt time.Time
}

func (profileRow) TableName() string { return "member_profiles" }

func (p *Profiles) settingsOf(ctx context.Context, memberID int64) (ProfileSettings, error) {
	var rows []profileRow
	if err := p.db.WithContext(ctx).Where("member_id = ?", memberID).Find(&rows).Error; err != nil {
		return ProfileSettings{}, fmt.Errorf("forum: unable to read profile: %w", err)
	}
	if len(rows) == 0 {
		return ProfileSettings{}, nil
	}
	return ProfileSettings{Bio: rows[0].Bio, HidePosts: rows[0].HidePosts, UpdatedAt: rows[0].UpdatedAt}, nil
}

// Settings returns the viewer's own profile choices.
func (p *Profiles) Settings(ctx context.Context) (ProfileSettings, error) {
	v, err := requireSignedIn(ctx)
	if err != nil {
		return ProfileSettings{}, err
	}
	return p.settingsOf(ctx, v.ID)
}

// SaveSettings stores the viewer's bio (plain text, trimmed) and whether to hide their post list.
func (p *Profiles) SaveSettings(ctx context.Context, bio string, hidePosts bool) error {
	v, err := requireSignedIn(ctx)
	if err != nil {
		return err
	}
	bio = strings.TrimSpace(strings.ReplaceAll(bio, "\r\n", "\n"))
	if n := utf8.RuneCountInString(bio); n > BioMax {
		return apperr.Invalid(map[string]string{"bio": fmt.Sprintf("A bio is at most %d characters long (this one is %d). Nothing was saved; your text is still here.", BioMax, n)})
	}
	detail := ""
	if hidePosts {
		detail = "hide_posts"
	}
	err = p.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec(`INSERT INTO member_profiles (member_id, bio, hide_posts, updated_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (member_id) DO UPDATE SET bio = excluded.bio, hide_posts = excluded.hide_posts, updated_at = excluded.updated_at`,
			v.ID, bio, hidePosts, p.now()).Error; err != nil {
			return err
		}
		// A restore must not bring back an older bio, nor show a list the member hid since.
		return erasures.RecordDetail(ctx, tx, erasures.ProfileChanged, v.ID, 0, detail)
	})
	if err != nil {
		return fmt.Errorf("forum: unable to save profile: %w", err)
	}
	return nil
}

// Profile returns a member's profile with page (from 1) of their non-anonymous posts the
// viewer may read, newest first, in a fixed number of queries. Only members see profiles.
func (p *Profiles) Profile(ctx context.Context, username string, page int) (Profile, error) {
	v, ok := viewer(ctx)
	if !ok {
		return Profile{}, apperr.New(apperr.EUNAUTHORIZED, profileSignInText)
	}
	m, found, err := accounts.Named(ctx, p.db, username)
	if err != nil {
		return Profile{}, err
	}
	if !found {
		return Profile{}, apperr.New(apperr.ENOTFOUND, "There is no member with this name. The account may have been deleted, and with it everything it showed here.")
	}
	set, err := p.settingsOf(ctx, m.ID)
	if err != nil {
		return Profile{}, err
	}
	out := Profile{Username: m.Username, JoinedAt: m.CreatedAt, Bio: set.Bio, IsViewer: v.ID == m.ID, PostsHidden: set.HidePosts, Page: 1, Pages: 1}
	if set.HidePosts && !out.IsViewer {
		return out, nil
	}
	readable, err := p.groups.ReadableGroupIDs(ctx)
	if err != nil {
		return out, err
	}
	// Never an anonymous post; never one the topic page would not show everyone (deleted, hidden,
	// held, or in a topic that waits for approval or is folded by the viewer's hidden warnings).
	where := ` FROM posts p JOIN topics t ON t.id = p.topic_id JOIN groups g ON g.id = t.group_id
		WHERE p.author_id = ? AND NOT p.anonymous` + listable + `
		AND NOT EXISTS (SELECT 1 FROM hidden_warnings h WHERE h.member_id = ? AND t.content_warning <> ''
			AND LOWER(t.content_warning) LIKE '%' || h.term || '%')`
	args := []any{m.ID, readable, v.ID}
	out.Posts, out.Page, out.Pages, err = p.listPosts(ctx, where, "p.id DESC", args, page, ProfilePerPage, false)
	return out, err
}

// listable keeps the posts anyone who can read their group sees on its topic page.
const listable = ` AND t.group_id IN ? AND p.deleted_at IS NULL AND p.hidden_reason IS NULL AND NOT p.held AND t.deleted_at IS NULL
		AND NOT EXISTS (SELECT 1 FROM posts hp WHERE hp.topic_id = t.id AND hp.held
			AND hp.id = (SELECT MIN(fp.id) FROM posts fp WHERE fp.topic_id = t.id))`

// listPosts runs a count and a page of posts over from (FROM … WHERE …), then names authors
// (when withAuthors) and links @names: four queries whatever the page holds.
func (p *Profiles) listPosts(ctx context.Context, from, order string, args []any, page, perPage int, withAuthors bool) ([]ProfilePost, int, int, error) {
	db := p.db.WithContext(ctx)
	var total int64
	if err := db.Raw(`SELECT COUNT(*)`+from, args...).Scan(&total).Error; err != nil {
		return nil, 1, 1, fmt.Errorf("forum: unable to count posts: %w", err)
	}
	pages := max(1, int((total+int64(perPage)-1)/int64(perPage)))
	page = clampPage(page, pages)
	var rows []struct {
		P            postRow `gorm:"embedded"`
		TopicTitle   string
		GroupName    string
		GroupSlug    string
		BookmarkedAt *time.Time
	}
	sel := `SELECT p.*, t.title AS topic_title, g.name AS group_name, g.slug AS group_slug`
	if strings.Contains(from, "bookmarks b") {
		sel += `, b.created_at AS bookmarked_at`
	}
	err := db.Raw(sel+from+` ORDER BY `+order+` LIMIT ? OFFSET ?`, append(args, perPage, (page-1)*perPage)...).Scan(&rows).Error
	if err != nil {
		return nil, page, pages, fmt.Errorf("forum: unable to list posts: %w", err)
	}
	var who names
	if withAuthors {
		ids := make([]int64, len(rows))
		for i, r := range rows {
			ids[i] = deref0(r.P.AuthorID)
		}
		if who, err = usernames(ctx, p.db, ids); err != nil {
			return nil, page, pages, err
		}
	}
	v, _ := viewer(ctx)
	a := access{viewer: v, signedIn: true}
	out := make([]ProfilePost, len(rows))
	for i, r := range rows {
		out[i] = ProfilePost{ID: r.P.ID, TopicID: r.P.TopicID, TopicTitle: r.TopicTitle, GroupName: r.GroupName, GroupSlug: r.GroupSlug,
			ContentWarning: r.P.ContentWarning, BodyHTML: r.P.html(), CreatedAt: r.P.CreatedAt}
		if withAuthors {
			out[i].AuthorName = authorName(a, r.P.AuthorID, r.P.Anonymous, who.of(r.P.AuthorID))
		}
		if r.BookmarkedAt != nil {
			out[i].BookmarkedAt = *r.BookmarkedAt
		}
	}
	htmls := make([]*string, len(out))
	for i := range out {
		htmls[i] = &out[i].BodyHTML
	}
	return out, page, pages, linkMentions(ctx, p.db, htmls)
}

// linkMentions links, in place, each @name in htmls to the profile of the member of that name
// now: one query for them all. A name whose account was deleted stays plain text.
func linkMentions(ctx context.Context, db *gorm.DB, htmls []*string) error {
	var keys []string
	seen := map[string]bool{}
	for _, h := range htmls {
		for _, k := range markdown.MentionKeys(*h) {
			if !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
	}
	if len(keys) == 0 {
		return nil
	}
	members, err := accounts.UsernamesByKey(ctx, db, keys)
	if err != nil {
		return err
	}
	for _, h := range htmls {
		*h = markdown.LinkMentions(*h, members, paths.Profile)
	}
	return nil
}

// ShowPosts returns a copy of a page of posts prepared for the viewer: @names of members who
// exist now link to their profiles. A copy, so that posts shared with other readers (a cache)
// are never changed. One query whatever the page holds (none without a mention).
func (p *Profiles) ShowPosts(ctx context.Context, shared []Post) ([]Post, error) {
	posts := slices.Clone(shared)
	htmls := make([]*string, len(posts))
	for i := range posts {
		htmls[i] = &posts[i].BodyHTML
	}
	if err := linkMentions(ctx, p.db, htmls); err != nil {
		return nil, err
	}
	return posts, nil
}

// SetBookmark adds (on) or removes a bookmark of the viewer's on a post. Only a post the viewer
// may read now can be added; removing always works, even when they can no longer read it.
func (p *Profiles) SetBookmark(ctx context.Context, postID int64, on bool) error {
	v, err := requireSignedIn(ctx)
	if err != nil {
		return err
	}
	if !on {
		err := p.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			res := tx.Exec(`DELETE FROM bookmarks WHERE member_id = ? AND post_id = ?`, v.ID, postID)
			if res.Error != nil || res.RowsAffected == 0 {
				return res.Error
			}
			return erasures.Record(ctx, tx, erasures.BookmarkRemoved, v.ID, postID)
		})
		if err != nil {
			return fmt.Errorf("forum: unable to remove bookmark: %w", err)
		}
		return nil
	}
	post, _, _, a, err := p.posts.visiblePost(ctx, postID)
	if err != nil {
		return err
	}
	if post.DeletedAt != nil || (post.HiddenReason != nil && !a.canModerate() && deref0(post.AuthorID) != v.ID) {
		return apperr.New(apperr.EINVALID, "This post was deleted or hidden, so it cannot be bookmarked.")
	}
	err = p.db.WithContext(ctx).Exec(`INSERT INTO bookmarks (member_id, post_id, created_at) VALUES (?, ?, ?)
		ON CONFLICT (member_id, post_id) DO NOTHING`, v.ID, postID, p.now()).Error
	if err != nil {
		return fmt.Errorf("forum: unable to bookmark: %w", err)
	}
	return nil
}

// Bookmarks returns page (from 1) of the viewer's bookmarks, newest first. A post the viewer can
// no longer read (left the group, or deleted, hidden or held since) is left out of the list,
// not deleted: it is listed again if it becomes readable, and the export still names it.
func (p *Profiles) Bookmarks(ctx context.Context, page int) (BookmarkPage, error) {
	v, err := requireSignedIn(ctx)
	if err != nil {
		return BookmarkPage{}, err
	}
	readable, err := p.groups.ReadableGroupIDs(ctx)
	if err != nil {
		return BookmarkPage{}, err
	}
	from := ` FROM bookmarks b JOIN posts p ON p.id = b.post_id JOIN topics t ON t.id = p.topic_id JOIN groups g ON g.id = t.group_id
		WHERE b.member_id = ?` + listable
	var out BookmarkPage
	out.Posts, out.Page, out.Pages, err = p.listPosts(ctx, from, "b.created_at DESC, b.post_id DESC", []any{v.ID, readable}, page, BookmarksPerPage, true)
	return out, err
}

// OwnBookmark is one of a member's bookmarks, for their export and dashboard.
type OwnBookmark struct {
	PostID, TopicID int64
	CreatedAt       time.Time
}

// BookmarksOf returns every bookmark of memberID, oldest first: part of their export.
func (p *Profiles) BookmarksOf(ctx context.Context, memberID int64) ([]OwnBookmark, error) {
	var rows []OwnBookmark
	err := p.db.WithContext(ctx).Raw(`SELECT b.post_id, p.topic_id, b.created_at FROM bookmarks b JOIN posts p ON p.id = b.post_id
		WHERE b.member_id = ? ORDER BY b.created_at, b.post_id`, memberID).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("forum: unable to read bookmarks: %w", err)
	}
	return rows, nil
}

// SettingsOf returns memberID's profile choices: part of their export.
func (p *Profiles) SettingsOf(ctx context.Context, memberID int64) (ProfileSettings, error) {
	return p.settingsOf(ctx, memberID)
}

// rechangeProfile re-applies, after a restore, a member's later change of their profile: the
// bio the backup holds is older than the member's last word, so it goes; the hide choice stays.
func rechangeProfile(ctx context.Context, db *gorm.DB, e erasures.Erasure) error {
	return db.WithContext(ctx).Exec(`UPDATE member_profiles SET bio = '', hide_posts = ? WHERE member_id = ?`,
		e.Detail == "hide_posts", e.MemberID).Error
}

// ProfileName returns the username whose profile an author's shown name (authorName's) links
// to, or "" for a name that is no member's: "Anonymous member", a former member, or "you
// (anonymous to others)". Each of those has a space, which no username may hold.
func ProfileName(shown string) string {
	if accounts.ValidateUsername(shown) != "" {
		return ""
	}
	return shown
}
