package forum

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// DeletedTopicTitle replaces the title of a topic whose first post its author deleted.
const DeletedTopicTitle = "Topic deleted by its author"

// EraseMember returns the forum's part of deleting an account, to run inside that transaction.
// With erasePosts, every post the member wrote (anonymous ones too) loses its text, warning,
// earlier versions and search entry, as if they had deleted each one, and topics they started
// lose their titles; the posts stay in their threads as deleted so replies still make sense.
// Without it the posts stay as they are, and the members row's foreign keys turn their author
// into a former member. Either way the member's memberships, requests, reactions, mutes,
// settings and notifications go with the members row (ON DELETE CASCADE).
func (s *Service) EraseMember(erasePosts bool) func(ctx context.Context, tx *gorm.DB, memberID int64) error {
	return func(ctx context.Context, tx *gorm.DB, memberID int64) error {
		if err := uncountMemberReactions(ctx, tx, memberID); err != nil {
			return err
		}
		// A kept post's submit key starts with its author's id: it would link the posts of a
		// former member together.
		for _, q := range []string{`UPDATE posts SET submit_key = NULL WHERE author_id = ?`, `UPDATE topics SET submit_key = NULL WHERE author_id = ?`} {
			if err := tx.WithContext(ctx).Exec(q, memberID).Error; err != nil {
				return fmt.Errorf("forum: unable to clear submit keys: %w", err)
			}
		}
		if !erasePosts {
			// Their name leaves every page of the groups they wrote in.
			err := tx.WithContext(ctx).Exec(`UPDATE groups SET content_version = content_version + 1 WHERE id IN (SELECT DISTINCT t.group_id
				FROM topics t JOIN posts p ON p.topic_id = t.id WHERE p.author_id = ?)`, memberID).Error
			if err != nil {
				return fmt.Errorf("forum: unable to mark groups changed: %w", err)
			}
			return nil
		}
		if err := s.erasePosts(ctx, tx.WithContext(ctx), memberID); err != nil {
			return fmt.Errorf("forum: unable to erase posts: %w", err)
		}
		return nil
	}
}

func (s *Service) erasePosts(ctx context.Context, tx *gorm.DB, memberID int64) error {
	err := tx.Exec(`UPDATE topics SET title = ?, content_warning = '' WHERE id IN (SELECT p.topic_id FROM posts p
		WHERE p.author_id = ? AND p.id = (SELECT MIN(f.id) FROM posts f WHERE f.topic_id = p.topic_id))`,
		DeletedTopicTitle, memberID).Error
	if err != nil {
		return err
	}
	var texts []struct {
		ID   int64
		Body string
	}
	if err := tx.Raw(`SELECT id, body FROM posts WHERE author_id = ? AND body <> ''`, memberID).Scan(&texts).Error; err != nil {
		return err
	}
	for _, p := range texts {
		if err := s.unquote(ctx, tx, p.ID, p.Body, "", QuoteRemovedByAuthor); err != nil {
			return err
		}
	}
	err = tx.Exec(`DELETE FROM post_revisions WHERE post_id IN (SELECT id FROM posts WHERE author_id = ?)`, memberID).Error
	if err != nil {
		return err
	}
	err = tx.Exec(`UPDATE posts SET body = '', body_html = '', body_html_version = 0, content_warning = '', crisis_concern = FALSE, deleted_at = COALESCE(deleted_at, ?)
		WHERE author_id = ?`, s.now(), memberID).Error
	if err != nil {
		return err
	}
	var ids []int64 // 8 bytes a post: small even for the most prolific member
	if err := tx.Raw(`SELECT id FROM posts WHERE author_id = ?`, memberID).Scan(&ids).Error; err != nil {
		return err
	}
	for _, id := range ids {
		if _, err := unindexPost(ctx, tx, id); err != nil {
			return err
		}
	}
	return refreshTopicSet(ctx, tx, `SELECT topic_id FROM posts WHERE author_id = ?`, memberID)
}
