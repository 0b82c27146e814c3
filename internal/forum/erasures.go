package forum

import (
	"context"
	"fmt"
	"strings"

	"github.com/haven-forum/haven/internal/accounts"
	"github.com/haven-forum/haven/internal/erasures"
	"github.com/haven-forum/haven/internal/markdown"
	"gorm.io/gorm"
)

// Reerase erases again, inside tx, a post deleted by its author or removed by a moderator, as
// the erasure list describes it: how a restored backup loses posts deleted after it was taken.
func (s *Service) Reerase(ctx context.Context, tx *gorm.DB, e erasures.Erasure) error {
	if e.Kind != erasures.Post && e.Kind != erasures.PostRemoved {
		return fmt.Errorf("forum: %q is not a post erasure", e.Kind)
	}
	var posts []postRow
	if err := tx.WithContext(ctx).Where("id = ?", e.ObjectID).Find(&posts).Error; err != nil || len(posts) == 0 {
		return err // a post written after the backup is not in it
	}
	p := posts[0]
	first, err := isFirstPost(ctx, tx, p)
	if err != nil {
		return err
	}
	db := tx.WithContext(ctx)
	marker := QuoteRemovedByAuthor
	if e.Kind == erasures.PostRemoved {
		marker = QuoteRemovedByModerator
	}
	if err := s.unquote(ctx, tx, p.ID, p.Body, "", marker); err != nil {
		return err
	}
	if err := db.Exec(`UPDATE posts SET body = '', body_html = '', body_html_version = 0, content_warning = '', deleted_at = COALESCE(deleted_at, ?) WHERE id = ?`,
		e.CreatedAt, p.ID).Error; err != nil {
		return err
	}
	if err := db.Exec(`DELETE FROM post_revisions WHERE post_id = ?`, p.ID).Error; err != nil {
		return err
	}
	if first && e.Kind == erasures.Post {
		if err := db.Exec(`UPDATE topics SET title = ?, content_warning = '' WHERE id = ?`, DeletedTopicTitle, p.TopicID).Error; err != nil {
			return err
		}
	}
	if err := refreshTopics(ctx, tx, p.TopicID); err != nil {
		return err
	}
	return indexPost(ctx, tx, p.ID)
}

// Texts a restore puts where a post's text is older than its author's last edit.
const (
	RedactedBody  = "*This post was changed by its author after the backup it was restored from; its earlier text was removed.*"
	RedactedTitle = "Topic changed by its author"
)

// Rechange re-applies, inside tx, a change a member made to their own content or choices, as
// the erasure list describes it: how a restored backup keeps what members took back. Each
// does nothing where the backup lacks what it names.
func (s *Service) Rechange(ctx context.Context, tx *gorm.DB, e erasures.Erasure) error {
	db := tx.WithContext(ctx)
	switch e.Kind {
	case erasures.PostEdited:
		return s.redact(ctx, db, e.ObjectID)
	case erasures.ReactionRemoved:
		_, err := removeReaction(ctx, db, e.ObjectID, e.MemberID, e.Detail)
		return err
	case erasures.MuteAdded:
		if ok, err := inBackup(ctx, db, e.MemberID, e.ObjectID); err != nil || !ok {
			return err
		}
		return db.Exec(`INSERT INTO member_mutes (member_id, muted_id, created_at) VALUES (?, ?, ?)
			ON CONFLICT (member_id, muted_id) DO NOTHING`, e.MemberID, e.ObjectID, e.CreatedAt).Error
	case erasures.MuteRemoved:
		return db.Exec(`DELETE FROM member_mutes WHERE member_id = ? AND muted_id = ?`, e.MemberID, e.ObjectID).Error
	case erasures.GroupLeft:
		return db.Exec(`DELETE FROM group_members WHERE group_id = ? AND member_id = ?`, e.ObjectID, e.MemberID).Error
	case erasures.NotificationsCleared:
		return db.Exec(`DELETE FROM notifications WHERE member_id = ? AND created_at <= ?`, e.MemberID, e.CreatedAt).Error
	case erasures.NotificationSettings:
		return resetRows(ctx, db, e.MemberID, `DELETE FROM notification_optouts WHERE member_id = ?`,
			`INSERT INTO notification_optouts (member_id, kind) VALUES (?, ?)`, strings.Split(e.Detail, ","))
	case erasures.BookmarkRemoved:
		return db.Exec(`DELETE FROM bookmarks WHERE member_id = ? AND post_id = ?`, e.MemberID, e.ObjectID).Error
	case erasures.ProfileChanged:
		return rechangeProfile(ctx, db, e)
	case erasures.FollowRemoved:
		return db.Exec(`DELETE FROM topic_follows WHERE member_id = ? AND topic_id = ?`, e.MemberID, e.ObjectID).Error
	case erasures.FollowSettings:
		if ok, err := inBackup(ctx, db, e.MemberID); err != nil || !ok {
			return err
		}
		return setFollowReplied(db, e.MemberID, e.Detail == followSettingDetail(true))
	case erasures.HiddenWarnings:
		return resetRows(ctx, db, e.MemberID, `DELETE FROM hidden_warnings WHERE member_id = ?`,
			`INSERT INTO hidden_warnings (member_id, term) VALUES (?, ?)`, strings.Split(e.Detail, "\n"))
	}
	return fmt.Errorf("forum: %q is not a change the forum re-applies", e.Kind)
}

// inBackup reports whether every member named is in the restored database (one who signed up
// after the backup is not).
func inBackup(ctx context.Context, db *gorm.DB, ids ...int64) (bool, error) {
	found, err := accounts.Members(ctx, db, ids)
	return len(found) == len(ids), err
}

// resetRows replaces a member's rows of a setting with values, if the member is in the database.
func resetRows(ctx context.Context, db *gorm.DB, memberID int64, del, ins string, values []string) error {
	if ok, err := inBackup(ctx, db, memberID); err != nil || !ok {
		return err
	}
	if err := db.Exec(del, memberID).Error; err != nil {
		return err
	}
	for _, v := range values {
		if v == "" {
			continue
		}
		if err := db.Exec(ins, memberID, v).Error; err != nil {
			return err
		}
	}
	return nil
}

// redact replaces a post's text (and, for a topic's first post, its title) that is older than
// its author's last edit: the edit is not in the backup, and the older text must not return.
func (s *Service) redact(ctx context.Context, db *gorm.DB, postID int64) error {
	var posts []postRow
	if err := db.Where("id = ? AND deleted_at IS NULL", postID).Find(&posts).Error; err != nil || len(posts) == 0 {
		return err // written after the backup, or deleted since
	}
	p := posts[0]
	first, err := isFirstPost(ctx, db, p)
	if err != nil {
		return err
	}
	if err := s.unquote(ctx, db, p.ID, p.Body, RedactedBody, QuoteChangedByAuthor); err != nil {
		return err
	}
	if err := db.Exec(`UPDATE posts SET body = ?, body_html = ?, body_html_version = ?, content_warning = '' WHERE id = ?`,
		RedactedBody, markdown.Render(RedactedBody), markdown.Version, p.ID).Error; err != nil {
		return err
	}
	if first {
		if err := db.Exec(`UPDATE topics SET title = ?, content_warning = '' WHERE id = ?`, RedactedTitle, p.TopicID).Error; err != nil {
			return err
		}
	}
	if err := refreshTopics(ctx, db, p.TopicID); err != nil {
		return err
	}
	return indexPost(ctx, db, p.ID)
}
