package forum

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/haven-forum/haven/internal/apperr"
	"github.com/haven-forum/haven/internal/database"
	"github.com/haven-forum/haven/internal/markdown"
	"golang.org/x/text/unicode/norm"
	"gorm.io/gorm"
)

// Groups is the forum's groups: creating and keeping them (admins), joining, leaving, join
// requests and invites, each group's page of topics, and who may do what in a group (access.go,
// which every other forum service asks).
type Groups struct {
	*shared
}

type groupRow struct {
	ID             int64 `gorm:"primaryKey"`
	Slug           string
	Name           string
	Description    string
	Rules          string
	Visibility     string
	AllowAnonymous bool
	ArchivedAt     *time.Time
	CreatedAt      time.Time
	// RulesHTML is Rules rendered by markdown.Render at RulesHTMLVersion (html.go).
	RulesHTML        string `gorm:"column:rules_html"`
	RulesHTMLVersion int    `gorm:"column:rules_html_version"`
	// Kept on write (counts.go).
	TopicCount, HeldTopicCount, PostCount int
	ContentVersion                        int64
}

func (groupRow) TableName() string { return "groups" }

// Group is a support group as pages show it.
type Group struct {
	ID             int64
	Slug           string
	Name           string
	Description    string
	Rules          string // Markdown, as written
	RulesHTML      string // sanitized
	Visibility     string
	AllowAnonymous bool
	Archived       bool
}

func (r groupRow) group() Group {
	return Group{ID: r.ID, Slug: r.Slug, Name: r.Name, Description: r.Description, Rules: r.Rules,
		RulesHTML: rendered(r.Rules, r.RulesHTML, r.RulesHTMLVersion), Visibility: r.Visibility, AllowAnonymous: r.AllowAnonymous, Archived: r.ArchivedAt != nil}
}

// card is the group without its rules, which no list shows.
func (r groupRow) card() Group {
	return Group{ID: r.ID, Slug: r.Slug, Name: r.Name, Description: r.Description, Visibility: r.Visibility,
		AllowAnonymous: r.AllowAnonymous, Archived: r.ArchivedAt != nil}
}

// Abilities says what the viewer may do in a group; pages show only what is allowed.
type Abilities struct {
	Read, Post, Join, RequestToJoin, Leave, Moderate bool
	Role                                             string // "", "member" or "moderator"
	PendingRequest                                   bool
}

func (a access) abilities() Abilities {
	return Abilities{Read: a.canRead(), Post: a.canPost(), Join: a.canJoin(), RequestToJoin: a.canRequestToJoin() && !a.pending,
		Leave: a.canLeave(), Moderate: a.canModerate(), Role: a.role, PendingRequest: a.pending}
}

// GroupCard is a group in a list: its name and description (no rules), and numbers only for readers.
type GroupCard struct {
	Group
	Abilities
	TopicCount, PostCount int  // 0 unless Counted
	Counted               bool // the viewer may know how many topics (and posts) the group has
}

// Directory lists every group whose card the viewer may see, members' groups first. Its
// numbers are the counts kept on write: the cost follows the number of groups, not of posts.
// The viewer's place in each group is read on every call; the cards themselves (name,
// description, counts) come from the content cache, per group and content version.
func (s *Groups) Directory(ctx context.Context) ([]GroupCard, error) {
	type row struct {
		G       groupRow
		Role    string
		Pending bool
	}
	v, signedIn := viewer(ctx)
	// Scanned by hand: this runs on every home page, and reflection cost as much as the query.
	rows, err := database.Rows(s.db.WithContext(ctx).Raw(`SELECT g.id, g.content_version, COALESCE(gm.role, '') AS role,
			EXISTS (SELECT 1 FROM join_requests jr WHERE jr.group_id = g.id AND jr.member_id = ?) AS pending
		FROM groups g LEFT JOIN group_members gm ON gm.group_id = g.id AND gm.member_id = ?
		ORDER BY CASE WHEN gm.role IS NULL THEN 1 ELSE 0 END, g.name`, v.ID, v.ID),
		func(r *row) []any { return []any{&r.G.ID, &r.G.ContentVersion, &r.Role, &r.Pending} })
	if err != nil {
		return nil, fmt.Errorf("forum: unable to list groups: %w", err)
	}
	cards := make([]*groupRow, len(rows))
	for i := range rows {
		cards[i] = &rows[i].G
	}
	if err := s.groupCards(ctx, cards); err != nil {
		return nil, err
	}
	visitorsRead, err := s.visitorsRead(ctx, signedIn)
	if err != nil {
		return nil, err
	}
	var out []GroupCard
	for _, r := range rows {
		a := access{group: r.G, viewer: v, signedIn: signedIn, role: r.Role, pending: r.Pending, visitorsRead: visitorsRead}
		if !a.canSeeCard() || (a.archived() && !a.isMember() && !a.isAdmin()) {
			continue
		}
		card := GroupCard{Group: r.G.card(), Abilities: a.abilities()}
		if a.canSeeOutline() {
			card.TopicCount, card.PostCount, card.Counted = r.G.TopicCount, r.G.PostCount, true
		}
		out = append(out, card)
	}
	return out, nil
}

// groupCards fills in each group's card (what a directory shows of it) from the content cache,
// reading those it misses in one statement. Each row holds the group's id and content version,
// read before: a card read after it is at least that new.
func (s *Groups) groupCards(ctx context.Context, groups []*groupRow) error {
	var missing []int64
	for _, g := range groups {
		if c, ok := s.cache.get(cacheKey{kind: cacheCard, group: g.ID, version: g.ContentVersion}); ok {
			*g = c.(groupRow)
		} else {
			missing = append(missing, g.ID)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	cards, err := database.Rows(s.db.WithContext(ctx).Raw(`SELECT id, slug, name, description, visibility, allow_anonymous,
			archived_at, topic_count, post_count, content_version FROM groups WHERE id IN ?`, missing),
		func(g *groupRow) []any {
			return []any{&g.ID, &g.Slug, &g.Name, &g.Description, &g.Visibility, &g.AllowAnonymous, &g.ArchivedAt,
				&g.TopicCount, &g.PostCount, &g.ContentVersion}
		})
	if err != nil {
		return fmt.Errorf("forum: unable to read groups: %w", err)
	}
	byID := make(map[int64]groupRow, len(cards))
	for _, c := range cards {
		byID[c.ID] = c
		s.cache.put(cacheKey{kind: cacheCard, group: c.ID, version: c.ContentVersion}, c, 200+len(c.Name)+len(c.Description))
	}
	for _, g := range groups {
		if c, ok := byID[g.ID]; ok {
			*g = c
		}
	}
	return nil
}

// GroupInput is what an admin fills in for a group.
type GroupInput struct {
	Name, Slug, Description, Rules, Visibility string
	AllowAnonymous                             bool
}

var slugPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// SlugFrom makes a group's address from its name: "Grief & Loss" → "grief-loss", "Café Été" →
// "cafe-ete". Letters that have no plain Latin form are left out; "" if too little is left.
func SlugFrom(name string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range norm.NFD.String(strings.ToLower(name)) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			hyphen = false
		case unicode.Is(unicode.Mn, r): // the accent of a decomposed letter
		default:
			hyphen = true
		}
	}
	slug := b.String()
	for len(slug) > SlugMax {
		i := strings.LastIndexByte(slug[:SlugMax+1], '-')
		if i < 0 {
			slug = slug[:SlugMax]
			break
		}
		slug = slug[:i]
	}
	if len(slug) < 3 {
		return ""
	}
	return slug
}

func (in GroupInput) validate() map[string]string {
	f := map[string]string{}
	if n := utf8.RuneCountInString(strings.TrimSpace(in.Name)); n < 3 || n > GroupNameMax {
		f["name"] = fmt.Sprintf("A group name is 3 to %d characters long.", GroupNameMax)
	}
	if len(in.Slug) < 3 || len(in.Slug) > SlugMax || !slugPattern.MatchString(in.Slug) {
		f["slug"] = fmt.Sprintf("The address is 3 to %d lowercase letters, digits and single hyphens, like grief-support.", SlugMax)
	}
	if utf8.RuneCountInString(in.Description) > DescriptionMax {
		f["description"] = fmt.Sprintf("The description is at most %d characters long.", DescriptionMax)
	}
	if utf8.RuneCountInString(in.Rules) > RulesMax {
		f["rules"] = fmt.Sprintf("The rules are at most %d characters long.", RulesMax)
	}
	if in.Visibility != Public && in.Visibility != Private {
		f["visibility"] = "Choose public or private."
	}
	return f
}

func requireAdmin(ctx context.Context) error {
	v, ok := viewer(ctx)
	if !ok || !v.IsAdmin() {
		return apperr.New(apperr.EFORBIDDEN, "Only site admins can do that.")
	}
	return nil
}

// CreateGroup makes a group; admins only.
func (s *Groups) CreateGroup(ctx context.Context, in GroupInput) (Group, error) {
	if err := requireAdmin(ctx); err != nil {
		return Group{}, err
	}
	in.Name = strings.TrimSpace(in.Name)
	if in.Slug = strings.TrimSpace(in.Slug); in.Slug == "" {
		in.Slug = SlugFrom(in.Name)
	}
	if f := in.validate(); len(f) > 0 {
		return Group{}, apperr.Invalid(f)
	}
	row := groupRow{Slug: in.Slug, Name: in.Name, Description: in.Description, Rules: in.Rules, Visibility: in.Visibility,
		AllowAnonymous: in.AllowAnonymous, CreatedAt: s.now(), RulesHTML: markdown.Render(in.Rules), RulesHTMLVersion: markdown.Version}
	err := s.db.WithContext(ctx).Create(&row).Error
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return Group{}, apperr.Conflict(map[string]string{"slug": "Another group already has that address."})
	}
	if err != nil {
		return Group{}, fmt.Errorf("forum: unable to create group: %w", err)
	}
	return row.group(), nil
}

// UpdateGroup edits a group; admins only. The address (slug) stays as it was.
func (s *Groups) UpdateGroup(ctx context.Context, slug string, in GroupInput) error {
	if err := requireAdmin(ctx); err != nil {
		return err
	}
	in.Slug = slug
	in.Name = strings.TrimSpace(in.Name)
	if f := in.validate(); len(f) > 0 {
		return apperr.Invalid(f)
	}
	res := s.db.WithContext(ctx).Model(&groupRow{}).Where("slug = ?", slug).Updates(map[string]any{
		"name": in.Name, "description": in.Description, "rules": in.Rules, "rules_html": markdown.Render(in.Rules),
		"rules_html_version": markdown.Version, "visibility": in.Visibility, "allow_anonymous": in.AllowAnonymous,
		"content_version": gorm.Expr("content_version + 1")})
	if res.Error != nil {
		return fmt.Errorf("forum: unable to update group: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return errNotReadable
	}
	return nil
}

// SetArchived archives a group (read-only, hidden from the directory) or restores it; admins only.
func (s *Groups) SetArchived(ctx context.Context, slug string, archived bool) error {
	if err := requireAdmin(ctx); err != nil {
		return err
	}
	var at any
	if archived {
		at = s.now()
	}
	res := s.db.WithContext(ctx).Model(&groupRow{}).Where("slug = ?", slug).Updates(map[string]any{"archived_at": at,
		"content_version": gorm.Expr("content_version + 1")})
	if res.Error != nil {
		return fmt.Errorf("forum: unable to archive group: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return errNotReadable
	}
	return nil
}

// AllGroups lists every group, archived too, for the admin page.
func (s *Groups) AllGroups(ctx context.Context) ([]Group, error) {
	if err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	var rows []groupRow
	if err := s.db.WithContext(ctx).Order("name").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("forum: unable to list groups: %w", err)
	}
	out := make([]Group, len(rows))
	for i, r := range rows {
		out[i] = r.group()
	}
	return out, nil
}

// Group returns one group's details for its admin form.
func (s *Groups) Group(ctx context.Context, slug string) (Group, error) {
	g, err := s.groupBySlug(ctx, s.db, slug)
	if err != nil {
		return Group{}, err
	}
	if _, err := s.readable(ctx, s.db, g); err != nil {
		return Group{}, err
	}
	return g.group(), nil
}

// SetModerator appoints (or removes) a group moderator by username; admins only. A new
// moderator becomes a member of the group if they were not.
func (s *Groups) SetModerator(ctx context.Context, slug, username string, on bool) error {
	if err := requireAdmin(ctx); err != nil {
		return err
	}
	g, err := s.groupBySlug(ctx, s.db, slug)
	if err != nil {
		return err
	}
	memberID, err := memberIDByUsername(ctx, s.db, username)
	if err != nil {
		return err
	}
	role := RoleMember
	if on {
		role = RoleModerator
	}
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec(`DELETE FROM join_requests WHERE group_id = ? AND member_id = ?`, g.ID, memberID).Error; err != nil {
			return err
		}
		return tx.Exec(`INSERT INTO group_members (group_id, member_id, role, joined_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (group_id, member_id) DO UPDATE SET role = excluded.role`, g.ID, memberID, role, s.now()).Error
	})
}

// Moderators lists the usernames of a group's moderators.
func (s *Groups) Moderators(ctx context.Context, slug string) ([]string, error) {
	var ids []int64
	err := s.db.WithContext(ctx).Raw(`SELECT gm.member_id FROM group_members gm
		JOIN groups g ON g.id = gm.group_id WHERE g.slug = ? AND gm.role = ?`, slug, RoleModerator).Scan(&ids).Error
	if err != nil {
		return nil, fmt.Errorf("forum: unable to list moderators: %w", err)
	}
	return sortedUsernames(ctx, s.db, ids)
}

// SetHoldFirstPosts sets how many of each member's first posts in a group wait for a
// moderator's approval (0 turns it off); site admins only.
func (s *Groups) SetHoldFirstPosts(ctx context.Context, slug string, n int) error {
	if v, ok := viewer(ctx); !ok || !v.IsAdmin() {
		return errNotReadable
	}
	if n < 0 || n > HoldFirstPostsMax {
		return apperr.Invalid(map[string]string{"hold_first_posts": fmt.Sprintf("Enter a number from 0 to %d.", HoldFirstPostsMax)})
	}
	g, err := s.groupBySlug(ctx, s.db, slug)
	if err != nil {
		return err
	}
	if err := s.db.WithContext(ctx).Exec(`UPDATE groups SET hold_first_posts = ? WHERE id = ?`, n, g.ID).Error; err != nil {
		return fmt.Errorf("forum: unable to set held first posts: %w", err)
	}
	return nil
}

// HoldFirstPosts returns a group's setting, for the admin page; site admins only.
func (s *Groups) HoldFirstPosts(ctx context.Context, slug string) (int, error) {
	if v, ok := viewer(ctx); !ok || !v.IsAdmin() {
		return 0, errNotReadable
	}
	var n []int
	if err := s.db.WithContext(ctx).Raw(`SELECT hold_first_posts FROM groups WHERE slug = ?`, slug).Scan(&n).Error; err != nil {
		return 0, fmt.Errorf("forum: unable to read held first posts: %w", err)
	}
	if len(n) == 0 {
		return 0, errNotReadable
	}
	return n[0], nil
}
