package forum

import (
	"context"

	"github.com/haven-forum/haven/internal/apperr"
	"github.com/haven-forum/haven/internal/moderation"
	"gorm.io/gorm"
)

// ApprovePost publishes a post held for approval: it joins the search index, its notifications
// go out as if it had just been posted, and its queue items close. Rejecting is ModDeletePost.
func (s *Service) ApprovePost(ctx context.Context, postID int64, reason string) error {
	p, t, g, _, err := s.postForModeration(ctx, postID)
	if err != nil {
		return err
	}
	e := moderation.Entry{Action: moderation.ActionApprovePost, TargetKind: "post", TargetID: p.ID, TargetMemberID: authorOf(p)}
	return s.moderate(ctx, g, reason, e, func(tx *gorm.DB) error {
		res := tx.Exec(`UPDATE posts SET held = FALSE WHERE id = ? AND held AND deleted_at IS NULL`, p.ID)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return apperr.New(apperr.ECONFLICT, "That post is no longer waiting for approval.")
		}
		v, _ := viewer(ctx)
		if err := moderation.ResolvePost(ctx, tx, p.ID, v.ID, moderation.ActionApprovePost, s.now()); err != nil {
			return err
		}
		if err := s.indexPost(ctx, tx, p.ID); err != nil {
			return err
		}
		ev := PostEvent{PostID: p.ID, TopicID: t.ID, GroupID: g.ID, AuthorID: authorOf(p), Anonymous: p.Anonymous, Body: p.Body,
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
		return s.afterPost(ctx, tx, ev)
	})
}
