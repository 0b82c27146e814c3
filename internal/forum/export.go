package forum

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// What a member wrote and did in the forum, read one row at a time for their export. Each
// function returns only the member's own rows, and never names the author of anyone else's
// anonymous post.

// OwnPost is one of the member's posts, anonymous ones included.
type OwnPost struct {
	ID, TopicID    int64
	GroupName      string
	FirstPost      bool
	Title          string // the topic's title, when this post started it
	Anonymous      bool
	Body           string
	ContentWarning string
	CreatedAt      time.Time
	EditedAt       *time.Time
	DeletedAt      *time.Time
	Revisions      []Revision // earlier versions, oldest first
	CrisisConcern  bool       // flagged by the automatic crisis-phrase check
	Held           bool       // waiting for a moderator's approval
	HiddenReason   *string    // hidden or removed by a moderator, with their reason
}

// EachPost calls fn with each of the member's posts, oldest first, with its earlier versions.
func (s *Reads) EachPost(ctx context.Context, memberID int64, fn func(OwnPost) error) error {
	type row struct {
		ID, TopicID                 int64
		GroupName, TopicTitle       string
		FirstPost, Anonymous        bool
		Body, ContentWarning        string
		CreatedAt                   time.Time
		EditedAt, DeletedAt         *time.Time
		CrisisConcern, Held         bool
		HiddenReason                *string
		RevisionID                  *int64
		RevisionTitle, RevisionBody *string
		RevisionWarning             *string
		RevisedAt                   *time.Time
	}
	var cur OwnPost
	flush := func() error {
		if cur.ID == 0 {
			return nil
		}
		return fn(cur)
	}
	err := eachRow(ctx, s.db, func(r row) error {
		if r.ID != cur.ID {
			if err := flush(); err != nil {
				return err
			}
			cur = OwnPost{ID: r.ID, TopicID: r.TopicID, GroupName: r.GroupName, FirstPost: r.FirstPost, Anonymous: r.Anonymous,
				Body: r.Body, ContentWarning: r.ContentWarning, CreatedAt: r.CreatedAt, EditedAt: r.EditedAt, DeletedAt: r.DeletedAt,
				CrisisConcern: r.CrisisConcern, Held: r.Held, HiddenReason: r.HiddenReason}
			if r.FirstPost {
				cur.Title = r.TopicTitle
			}
		}
		if r.RevisionID != nil {
			cur.Revisions = append(cur.Revisions, Revision{Title: deref(r.RevisionTitle), Body: deref(r.RevisionBody),
				ContentWarning: deref(r.RevisionWarning), ReplacedAt: *r.RevisedAt})
		}
		return nil
	}, `SELECT p.id, p.topic_id, g.name AS group_name, t.title AS topic_title,
			(p.id = (SELECT MIN(f.id) FROM posts f WHERE f.topic_id = p.topic_id)) AS first_post,
			p.anonymous, p.body, p.content_warning, p.created_at, p.edited_at, p.deleted_at,
			p.crisis_concern, p.held, p.hidden_reason,
			r.id AS revision_id, r.title AS revision_title, r.body AS revision_body,
			r.content_warning AS revision_warning, r.created_at AS revised_at
		FROM posts p JOIN topics t ON t.id = p.topic_id JOIN groups g ON g.id = t.group_id
		LEFT JOIN post_revisions r ON r.post_id = p.id
		WHERE p.author_id = ? ORDER BY p.id, r.id`, memberID)
	if err == nil {
		err = flush()
	}
	if err != nil {
		return fmt.Errorf("forum: unable to read posts: %w", err)
	}
	return nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// OwnReaction is a reaction the member gave.
type OwnReaction struct {
	PostID    int64
	Kind      string
	CreatedAt time.Time
}

// EachReaction calls fn with each reaction the member gave, oldest first.
func (s *Reads) EachReaction(ctx context.Context, memberID int64, fn func(OwnReaction) error) error {
	err := eachRow(ctx, s.db, fn, `SELECT post_id, kind, created_at FROM reactions WHERE member_id = ?
		ORDER BY created_at, post_id, kind`, memberID)
	if err != nil {
		return fmt.Errorf("forum: unable to read reactions: %w", err)
	}
	return nil
}

// Membership is a group the member belongs to, or asked to join.
type Membership struct {
	GroupName, GroupSlug string
	Status               string // RoleMember, RoleModerator, or "requested"
	Since                time.Time
	Message              string // the note sent with a join request
}

// EachMembership calls fn with each group the member is in, then each join request waiting.
func (s *Reads) EachMembership(ctx context.Context, memberID int64, fn func(Membership) error) error {
	err := eachRow(ctx, s.db, fn, `SELECT g.name AS group_name, g.slug AS group_slug, gm.role AS status, gm.joined_at AS since
		FROM group_members gm JOIN groups g ON g.id = gm.group_id WHERE gm.member_id = ? ORDER BY gm.joined_at, g.id`, memberID)
	if err == nil {
		err = eachRow(ctx, s.db, fn, `SELECT g.name AS group_name, g.slug AS group_slug, 'requested' AS status,
				jr.created_at AS since, jr.message
			FROM join_requests jr JOIN groups g ON g.id = jr.group_id WHERE jr.member_id = ? ORDER BY jr.id`, memberID)
	}
	if err != nil {
		return fmt.Errorf("forum: unable to read memberships: %w", err)
	}
	return nil
}

// OwnNotification is one notification in the member's inbox, as stored.
type OwnNotification struct {
	Kind      string
	Actor     string // who did it as the inbox names them; "" for join answers
	GroupName string
	TopicID   *int64
	PostID    *int64
	Detail    string
	Read      bool // shown when the member last opened their inbox
	CreatedAt time.Time
}

// EachNotification calls fn with each of the member's notifications, oldest first. The actor
// of an anonymous post is "Anonymous member", exactly as the inbox shows it.
func (n *Inbox) EachNotification(ctx context.Context, memberID int64, fn func(OwnNotification) error) error {
	type row struct {
		ID              int64
		Kind, Detail    string
		GroupName       *string
		TopicID, PostID *int64
		ActorID         *int64
		Anonymous       bool
		CreatedAt       time.Time
	}
	var actors []int64 // the few who notified the member, named from accounts before the rows stream
	err := n.db.WithContext(ctx).Raw(`SELECT DISTINCT actor_id FROM notifications WHERE member_id = ? AND actor_id IS NOT NULL`, memberID).Scan(&actors).Error
	if err != nil {
		return fmt.Errorf("forum: unable to read notifications: %w", err)
	}
	who, err := usernames(ctx, n.db, actors)
	if err != nil {
		return err
	}
	seen, err := seenUpTo(ctx, n.db, memberID)
	if err != nil {
		return err
	}
	err = eachRow(ctx, n.db, func(r row) error {
		out := OwnNotification{Kind: r.Kind, GroupName: deref(r.GroupName), TopicID: r.TopicID, PostID: r.PostID,
			Detail: r.Detail, Read: r.ID <= seen, CreatedAt: r.CreatedAt}
		if r.Kind != NotifyJoinAnswered {
			name := who.of(r.ActorID)
			if r.Anonymous {
				name = nil
			}
			out.Actor = exportedActor(r.Anonymous, name)
		}
		return fn(out)
	}, `SELECT n.id, n.kind, n.detail, g.name AS group_name, n.topic_id, n.post_id, n.created_at, n.actor_id,
			COALESCE(p.anonymous, FALSE) AS anonymous
		FROM notifications n LEFT JOIN groups g ON g.id = n.group_id LEFT JOIN posts p ON p.id = n.post_id
		WHERE n.member_id = ? ORDER BY n.id`, memberID)
	if err != nil {
		return fmt.Errorf("forum: unable to read notifications: %w", err)
	}
	return nil
}

// exportedActor follows actorName, without the sentence's capital "A".
func exportedActor(anonymous bool, username *string) string {
	if !anonymous && username == nil {
		return FormerMember
	}
	return actorName(anonymous, username)
}

// eachRow runs a query and hands fn one scanned row at a time.
func eachRow[T any](ctx context.Context, db *gorm.DB, fn func(T) error, query string, args ...any) error {
	rows, err := db.WithContext(ctx).Raw(query, args...).Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var v T
		if err := db.ScanRows(rows, &v); err != nil {
			return err
		}
		if err := fn(v); err != nil {
			return err
		}
	}
	return rows.Err()
}

// GroupNames returns the names of the groups with these ids.
func (s *Reads) GroupNames(ctx context.Context, ids []int64) (map[int64]string, error) {
	out := map[int64]string{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct {
		ID   int64
		Name string
	}
	if err := s.db.WithContext(ctx).Raw(`SELECT id, name FROM groups WHERE id IN ?`, ids).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("forum: unable to read group names: %w", err)
	}
	for _, r := range rows {
		out[r.ID] = r.Name
	}
	return out, nil
}

// Invite is a group invitation link the member made as a moderator (never its token).
type Invite struct {
	GroupID              int64
	CreatedAt, ExpiresAt time.Time
}

// InvitesBy returns the invitations the member made, oldest first.
func (s *Reads) InvitesBy(ctx context.Context, memberID int64) ([]Invite, error) {
	var out []Invite
	err := s.db.WithContext(ctx).Raw(`SELECT group_id, created_at, expires_at FROM group_invites WHERE created_by = ? ORDER BY id`,
		memberID).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("forum: unable to read invites: %w", err)
	}
	return out, nil
}
