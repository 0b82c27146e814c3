package forum

import (
	"context"
	"fmt"
	"slices"
	"sort"

	"github.com/haven-forum/haven/internal/accounts"
	"gorm.io/gorm"
)

// The functions here are how other domains read groups, topics and posts: they take the
// caller's handle or transaction and ids, so no other package names the forum's tables.
// They check no one's access: the caller has decided what its viewer may see.

// names are usernames read from accounts; of(id) is nil for no one or a former member.
type names map[int64]string

func usernames(ctx context.Context, db *gorm.DB, ids []int64) (names, error) {
	m, err := accounts.Usernames(ctx, db, ids)
	return names(m), err
}

// sortedUsernames names the members among ids from accounts, alphabetically.
func sortedUsernames(ctx context.Context, db *gorm.DB, ids []int64) ([]string, error) {
	who, err := accounts.Usernames(ctx, db, ids)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(who))
	for _, name := range who {
		out = append(out, name)
	}
	sort.Strings(out)
	return out, nil
}

func (n names) of(id *int64) *string {
	if id == nil {
		return nil
	}
	if name, ok := n[*id]; ok {
		return &name
	}
	return nil
}

func deref0(id *int64) int64 {
	if id == nil {
		return 0
	}
	return *id
}

// GroupRef is a group's name and address.
type GroupRef struct{ Name, Slug string }

// GroupRefs returns the names and slugs of the groups among ids.
func GroupRefs(ctx context.Context, db *gorm.DB, ids []int64) (map[int64]GroupRef, error) {
	out := map[int64]GroupRef{}
	if len(ids) == 0 {
		return out, nil
	}
	for chunk := range slices.Chunk(ids, lookupChunk) {
		var rows []struct {
			ID         int64
			Name, Slug string
		}
		if err := db.WithContext(ctx).Raw(`SELECT id, name, slug FROM groups WHERE id IN ?`, chunk).Scan(&rows).Error; err != nil {
			return nil, fmt.Errorf("forum: unable to read groups: %w", err)
		}
		for _, r := range rows {
			out[r.ID] = GroupRef{Name: r.Name, Slug: r.Slug}
		}
	}
	return out, nil
}

// lookupChunk bounds the ids bound in one statement, well under every database's limit.
const lookupChunk = 1000

// TopicRef is a topic's title and group, as they are now.
type TopicRef struct {
	Title   string
	GroupID int64
}

// TopicRefs returns the titles and groups of the topics among ids.
func TopicRefs(ctx context.Context, db *gorm.DB, ids []int64) (map[int64]TopicRef, error) {
	out := map[int64]TopicRef{}
	for chunk := range slices.Chunk(ids, lookupChunk) {
		var rows []struct {
			ID      int64
			Title   string
			GroupID int64
		}
		if err := db.WithContext(ctx).Raw(`SELECT id, title, group_id FROM topics WHERE id IN ?`, chunk).Scan(&rows).Error; err != nil {
			return nil, fmt.Errorf("forum: unable to read topics: %w", err)
		}
		for _, r := range rows {
			out[r.ID] = TopicRef{Title: r.Title, GroupID: r.GroupID}
		}
	}
	return out, nil
}

// PostContext is a post with what a moderator reads around it.
type PostContext struct {
	TopicID      int64
	TopicTitle   string
	Body         string // Markdown
	BodyHTML     string // Body rendered
	PreviousBody string // the post before it in the thread
	PreviousHTML string // PreviousBody rendered
	AuthorID     int64
	Anonymous    bool
	Hidden       bool
}

// PostContexts returns the posts among ids with their topic's title and the post before each.
func PostContexts(ctx context.Context, db *gorm.DB, ids []int64) (map[int64]PostContext, error) {
	out := map[int64]PostContext{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct {
		ID int64
		PostContext
		HTMLVersion, PreviousHTMLVersion int
	}
	err := db.WithContext(ctx).Raw(`SELECT p.id, p.topic_id, COALESCE(t.title, '') AS topic_title, p.body, COALESCE(p.author_id, 0) AS author_id,
			p.anonymous, (p.hidden_reason IS NOT NULL) AS hidden, p.body_html, p.body_html_version AS html_version,
			COALESCE(pp.body, '') AS previous_body, COALESCE(pp.body_html, '') AS previous_html,
			COALESCE(pp.body_html_version, 0) AS previous_html_version
		FROM posts p LEFT JOIN topics t ON t.id = p.topic_id
		LEFT JOIN posts pp ON pp.id = (SELECT MAX(b.id) FROM posts b WHERE b.topic_id = p.topic_id AND b.id < p.id)
		WHERE p.id IN ?`, ids).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("forum: unable to read posts: %w", err)
	}
	for _, r := range rows {
		c := r.PostContext
		c.BodyHTML = postRow{Body: c.Body, BodyHTML: c.BodyHTML, BodyHTMLVersion: r.HTMLVersion}.html()
		c.PreviousHTML = postRow{Body: c.PreviousBody, BodyHTML: c.PreviousHTML, BodyHTMLVersion: r.PreviousHTMLVersion}.html()
		out[r.ID] = c
	}
	return out, nil
}

// AnonymousPosts returns which of the posts among ids are anonymous.
func AnonymousPosts(ctx context.Context, db *gorm.DB, ids []int64) (map[int64]bool, error) {
	return anonymousAmong(ctx, db, "posts", ids)
}

// AnonymousTopics returns which of the topics among ids were started anonymously.
func AnonymousTopics(ctx context.Context, db *gorm.DB, ids []int64) (map[int64]bool, error) {
	return anonymousAmong(ctx, db, "topics", ids)
}

func anonymousAmong(ctx context.Context, db *gorm.DB, table string, ids []int64) (map[int64]bool, error) {
	out := map[int64]bool{}
	for chunk := range slices.Chunk(ids, lookupChunk) {
		var anon []int64
		if err := db.WithContext(ctx).Raw(`SELECT id FROM `+table+` WHERE id IN ? AND anonymous`, chunk).Scan(&anon).Error; err != nil {
			return nil, fmt.Errorf("forum: unable to read %s: %w", table, err)
		}
		for _, id := range anon {
			out[id] = true
		}
	}
	return out, nil
}

// PostAuthor returns who wrote a post (0 for a former member), and whether the post exists.
func PostAuthor(ctx context.Context, db *gorm.DB, postID int64) (int64, bool, error) {
	var rows []struct{ AuthorID int64 }
	if err := db.WithContext(ctx).Raw(`SELECT COALESCE(author_id, 0) AS author_id FROM posts WHERE id = ?`, postID).Scan(&rows).Error; err != nil {
		return 0, false, fmt.Errorf("forum: unable to read a post: %w", err)
	}
	if len(rows) == 0 {
		return 0, false, nil
	}
	return rows[0].AuthorID, true, nil
}

// GroupRole returns what the member is to the group: "", RoleMember or RoleModerator.
func GroupRole(ctx context.Context, db *gorm.DB, groupID, memberID int64) (string, error) {
	var roles []string
	err := db.WithContext(ctx).Raw(`SELECT role FROM group_members WHERE group_id = ? AND member_id = ?`, groupID, memberID).Scan(&roles).Error
	if err != nil {
		return "", fmt.Errorf("forum: unable to read membership: %w", err)
	}
	if len(roles) == 0 {
		return "", nil
	}
	return roles[0], nil
}

// GroupModerators lists a group's moderators, lowest id first.
func GroupModerators(ctx context.Context, db *gorm.DB, groupID int64) ([]int64, error) {
	var ids []int64
	err := db.WithContext(ctx).Raw(`SELECT member_id FROM group_members WHERE group_id = ? AND role = ? ORDER BY member_id`, groupID, RoleModerator).Scan(&ids).Error
	if err != nil {
		return nil, fmt.Errorf("forum: unable to list moderators: %w", err)
	}
	return ids, nil
}

// ActiveAtLeast returns those of ids with at least n visible posts and reactions together.
func ActiveAtLeast(ctx context.Context, db *gorm.DB, ids []int64, n int) ([]int64, error) {
	if n <= 0 {
		return ids, nil
	}
	var out []int64
	for start := 0; start < len(ids); start += 1000 {
		part := ids[start:min(start+1000, len(ids))]
		var got []int64
		err := db.WithContext(ctx).Raw(`SELECT m FROM (
				SELECT author_id AS m FROM posts WHERE author_id IN ? AND deleted_at IS NULL AND hidden_reason IS NULL AND NOT held
				UNION ALL SELECT member_id FROM reactions WHERE member_id IN ?) x
			GROUP BY m HAVING COUNT(*) >= ? ORDER BY m`, part, part, n).Scan(&got).Error
		if err != nil {
			return nil, fmt.Errorf("forum: unable to count activity: %w", err)
		}
		out = append(out, got...)
	}
	return out, nil
}
