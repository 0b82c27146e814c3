package forum

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/haven-forum/haven/internal/apperr"
	"github.com/haven-forum/haven/internal/erasures"
	"gorm.io/gorm"
)

// Moderation is what the forum asks of the moderation domain (internal/moderation) while
// members read and post. Moderation imports forum, so the forum sees it only through this.
type Moderation interface {
	// Sanctions says what stops the member posting in the group: a mute or ban there, or a
	// suspension anywhere. It runs for every access decision about a signed-in viewer.
	Sanctions(ctx context.Context, tx *gorm.DB, groupID, memberID int64) (Sanctions, error)
	// Sanctioned is a condition, with its arguments, that holds when Sanctions would find anything
	// for the member in the group aliased g. The forum's group read carries it, so a member with
	// none (nearly everyone) costs no statement of moderation's on each page.
	Sanctioned(memberID int64) (string, []any)
	// WatchedWord returns the strongest watched word in text, if any.
	WatchedWord(ctx context.Context, tx *gorm.DB, text string) (Watched, bool, error)
	// BannedFrom lists the groups the member is banned from.
	BannedFrom(ctx context.Context, tx *gorm.DB, memberID int64) ([]int64, error)
	// Enqueue puts a new post in front of its group's moderators, inside the post's transaction.
	Enqueue(ctx context.Context, tx *gorm.DB, it Queued) error
}

// Sanctions says what stops a member from posting in a group.
type Sanctions struct {
	Muted, Banned, Suspended bool
	Message                  string    // why, for the member
	Until                    time.Time // when the mute or suspension ends; zero: until it is lifted
}

// Refusal is the error a sanctioned member meets, with when the sanction ends.
func (s Sanctions) Refusal() error {
	return &apperr.Error{Code: apperr.EFORBIDDEN, Message: s.Message, Ends: s.Until}
}

// What a watched word does to a post that contains it, strongest first.
const (
	WordBlock = "block" // refuse the post; its author sees why and keeps the text
	WordHold  = "hold"  // publish only after a moderator approves it
	WordFlag  = "flag"  // publish, and put it in the queue
)

// Watched is a watched word found in a post.
type Watched struct{ Word, Action string }

// Why a new post goes to the queue.
const (
	QueueConcern = "concern" // a crisis phrase
	QueueReport  = "report"  // a flagged watched word
	QueueHeld    = "held"    // waiting for approval
)

// Queued is a new post for the moderators' queue.
type Queued struct {
	Kind                      string // QueueConcern, QueueReport or QueueHeld
	GroupID, PostID, AuthorID int64
	Detail                    string
	At                        time.Time // the post's time, on the forum's clock
}

// WithModeration connects the moderation domain to every forum service and returns f
// (moderation.NewService does it).
func (f *Forum) WithModeration(m Moderation) *Forum {
	f.state.mod = moderationLink{m}
	return f
}

// moderationLink asks the connected moderation domain; with none connected (the forum tested
// alone) nobody is sanctioned, no word is watched and nothing can be queued.
type moderationLink struct{ m Moderation }

// Moderated is what the moderation domain reads and changes in the forum: the posts, topics and
// memberships it acts on, each change inside the moderator's transaction.
type Moderated struct {
	*shared
	groups *Groups
	posts  *Service
}

// errNotHeld answers an approval that another moderator got to first.
var errNotHeld = apperr.New(apperr.ECONFLICT, "That post is no longer waiting for approval.")

// errNoModeration stops a post that would need the queue when no moderation is connected.
var errNoModeration = errors.New("forum: no moderation domain is connected to queue the post")

func (l moderationLink) sanctions(ctx context.Context, tx *gorm.DB, groupID, memberID int64) (Sanctions, error) {
	if l.m == nil {
		return Sanctions{}, nil
	}
	return l.m.Sanctions(ctx, tx, groupID, memberID)
}

func (l moderationLink) sanctioned(memberID int64) (string, []any) {
	if l.m == nil {
		return "(0 = 1)", nil
	}
	return l.m.Sanctioned(memberID)
}

func (l moderationLink) watchedWord(ctx context.Context, tx *gorm.DB, text string) (Watched, bool, error) {
	if l.m == nil {
		return Watched{}, false, nil
	}
	return l.m.WatchedWord(ctx, tx, text)
}

// bannedFrom lists the groups the member is banned from, never empty (0 is no group) so that
// NOT IN reads the same on every database.
func (l moderationLink) bannedFrom(ctx context.Context, tx *gorm.DB, memberID int64) ([]int64, error) {
	ids := []int64{0}
	if l.m == nil {
		return ids, nil
	}
	banned, err := l.m.BannedFrom(ctx, tx, memberID)
	return append(ids, banned...), err
}

func (l moderationLink) enqueue(ctx context.Context, tx *gorm.DB, it Queued) error {
	if l.m == nil {
		return errNoModeration
	}
	return l.m.Enqueue(ctx, tx, it)
}

// ModPost is a post as a moderator acts on it.
type ModPost struct {
	ID, TopicID, GroupID int64
	AuthorID             int64 // 0 for a former member
	Anonymous, Deleted   bool
}

// ModTopic is a topic as a moderator acts on it.
type ModTopic struct {
	ID, GroupID int64
	AuthorID    int64 // 0 for a former member
}

// PostToModerate loads a post and its group for a viewer who may read it (whether they may
// moderate it is RequireModerator's question).
func (s *Moderated) PostToModerate(ctx context.Context, postID int64) (ModPost, error) {
	p, _, g, _, err := s.posts.visiblePost(ctx, postID)
	if err != nil {
		return ModPost{}, err
	}
	return ModPost{ID: p.ID, TopicID: p.TopicID, GroupID: g.ID, AuthorID: authorOf(p), Anonymous: p.Anonymous, Deleted: p.DeletedAt != nil}, nil
}

// TopicToModerate loads a topic for a viewer who may read it.
func (s *Moderated) TopicToModerate(ctx context.Context, topicID int64) (ModTopic, error) {
	t, g, _, err := s.groups.topicAccess(ctx, topicID)
	if err != nil {
		return ModTopic{}, err
	}
	return ModTopic{ID: t.ID, GroupID: g.ID, AuthorID: authorOfTopic(t)}, nil
}

// GroupIDBySlug returns a group's id, or the error that hides it.
func (s *Moderated) GroupIDBySlug(ctx context.Context, slug string) (int64, error) {
	g, err := s.groups.groupBySlug(ctx, s.db, slug)
	return g.ID, err
}

// RequireModerator returns an error unless the viewer moderates the group (or is an admin).
func (s *Moderated) RequireModerator(ctx context.Context, groupID int64) error {
	g, err := s.groups.groupByID(ctx, s.db, groupID)
	if err != nil {
		return err
	}
	return s.groups.requireModerator(ctx, g)
}

// ModeratedGroupIDs lists the groups the member moderates.
func (s *Moderated) ModeratedGroupIDs(ctx context.Context, memberID int64) ([]int64, error) {
	var ids []int64
	err := s.db.WithContext(ctx).Raw(`SELECT group_id FROM group_members WHERE member_id = ? AND role = ?`, memberID, RoleModerator).Scan(&ids).Error
	if err != nil {
		return nil, fmt.Errorf("forum: unable to list moderated groups: %w", err)
	}
	return ids, nil
}

// SetPostHidden hides a post from everyone but its author and the moderators, with the reason
// they see, or shows it again (reason ""), inside a moderator's transaction.
func (s *Moderated) SetPostHidden(ctx context.Context, tx *gorm.DB, postID int64, reason string) error {
	var value any
	if reason != "" {
		value = reason
	}
	if err := tx.WithContext(ctx).Exec(`UPDATE posts SET hidden_reason = ? WHERE id = ?`, value, postID).Error; err != nil {
		return err
	}
	if err := refreshPostTopics(ctx, tx, postID); err != nil {
		return err
	}
	return indexPost(ctx, tx, postID)
}

// RemovePost removes a post's text and earlier versions for good, inside a moderator's transaction.
func (s *Moderated) RemovePost(ctx context.Context, tx *gorm.DB, p ModPost, reason string) error {
	var body string
	if err := tx.WithContext(ctx).Raw(`SELECT body FROM posts WHERE id = ?`, p.ID).Scan(&body).Error; err != nil {
		return err
	}
	if err := s.posts.unquote(ctx, tx, p.ID, body, "", QuoteRemovedByModerator); err != nil {
		return err
	}
	if err := tx.WithContext(ctx).Exec(`UPDATE posts SET body = '', body_html = '', body_html_version = 0, content_warning = '', deleted_at = ?, hidden_reason = ? WHERE id = ?`,
		s.now(), reason, p.ID).Error; err != nil {
		return err
	}
	if err := tx.WithContext(ctx).Exec(`DELETE FROM post_revisions WHERE post_id = ?`, p.ID).Error; err != nil {
		return err
	}
	if err := erasures.Record(ctx, tx, erasures.PostRemoved, p.AuthorID, p.ID); err != nil {
		return err
	}
	if err := refreshTopics(ctx, tx, p.TopicID); err != nil {
		return err
	}
	return indexPost(ctx, tx, p.ID)
}

// PublishHeld publishes a post held for approval, inside a moderator's transaction: it joins the
// search index and its notifications go out as if it had just been posted.
func (s *Moderated) PublishHeld(ctx context.Context, tx *gorm.DB, postID int64) error {
	res := tx.WithContext(ctx).Exec(`UPDATE posts SET held = FALSE WHERE id = ? AND held AND deleted_at IS NULL`, postID)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return errNotHeld
	}
	if err := indexPost(ctx, tx, postID); err != nil {
		return err
	}
	var p postRow
	if err := tx.WithContext(ctx).Take(&p, postID).Error; err != nil {
		return err
	}
	if err := refreshTopics(ctx, tx, p.TopicID); err != nil {
		return err
	}
	var t topicRow
	if err := tx.WithContext(ctx).Take(&t, p.TopicID).Error; err != nil {
		return err
	}
	ev := PostEvent{PostID: p.ID, TopicID: t.ID, GroupID: t.GroupID, AuthorID: authorOf(p), Anonymous: p.Anonymous, Body: p.Body,
		TopicAuthorID: authorOfTopic(t)}
	if p.QuoteOf != nil {
		var quoted []int64
		err := tx.WithContext(ctx).Raw(`SELECT author_id FROM posts WHERE id = ? AND deleted_at IS NULL AND author_id IS NOT NULL`, *p.QuoteOf).Scan(&quoted).Error
		if err != nil {
			return err
		}
		if len(quoted) > 0 {
			ev.QuotedAuthorID = quoted[0]
		}
	}
	return s.posts.afterPost(ctx, tx, ev)
}

// SetTopicFlag locks/unlocks ("locked") or pins/unpins ("pinned") a topic, inside a moderator's
// transaction.
func (s *Moderated) SetTopicFlag(ctx context.Context, tx *gorm.DB, topicID int64, flag string, on bool) error {
	if flag != "locked" && flag != "pinned" {
		return fmt.Errorf("forum: unknown topic flag %q", flag)
	}
	if err := tx.WithContext(ctx).Exec(`UPDATE topics SET `+flag+` = ? WHERE id = ?`, on, topicID).Error; err != nil {
		return err
	}
	return bumpTopicGroup(ctx, tx, topicID)
}

// SetSlowMode makes members wait seconds between replies in a topic (0: off), inside a
// moderator's transaction.
func (s *Moderated) SetSlowMode(ctx context.Context, tx *gorm.DB, topicID int64, seconds int) error {
	return tx.WithContext(ctx).Exec(`UPDATE topics SET slow_mode_seconds = ? WHERE id = ?`, seconds, topicID).Error
}

// MoveTopic moves a topic to another group, inside a moderator's transaction.
func (s *Moderated) MoveTopic(ctx context.Context, tx *gorm.DB, topicID, groupID int64) error {
	return moveTopic(ctx, tx, topicID, groupID)
}

// RemoveFromGroup ends a membership, inside a moderator's transaction; false when there was none.
func (s *Moderated) RemoveFromGroup(ctx context.Context, tx *gorm.DB, groupID, memberID int64) (bool, error) {
	res := tx.WithContext(ctx).Exec(`DELETE FROM group_members WHERE group_id = ? AND member_id = ?`, groupID, memberID)
	return res.RowsAffected > 0, res.Error
}

// ShutOut ends a membership and any request to join, for a ban, inside a moderator's transaction.
func (s *Moderated) ShutOut(ctx context.Context, tx *gorm.DB, groupID, memberID int64) error {
	if err := tx.WithContext(ctx).Exec(`DELETE FROM group_members WHERE group_id = ? AND member_id = ?`, groupID, memberID).Error; err != nil {
		return err
	}
	return tx.WithContext(ctx).Exec(`DELETE FROM join_requests WHERE group_id = ? AND member_id = ?`, groupID, memberID).Error
}

func authorOf(p postRow) int64 {
	if p.AuthorID == nil {
		return 0
	}
	return *p.AuthorID
}

func authorOfTopic(t topicRow) int64 {
	if t.AuthorID == nil {
		return 0
	}
	return *t.AuthorID
}
