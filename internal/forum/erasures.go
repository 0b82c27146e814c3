package forum

import (
	"context"
	"fmt"

	"github.com/haven-forum/haven/internal/erasures"
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
	first, err := s.isFirstPost(ctx, tx, p)
	if err != nil {
		return err
	}
	db := tx.WithContext(ctx)
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
	return s.indexPost(ctx, tx, p.ID)
}
