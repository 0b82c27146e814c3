package forum

import (
	"context"
	"errors"
	"fmt"

	"github.com/haven-forum/haven/internal/apperr"
	"github.com/haven-forum/haven/internal/moderation"
	"gorm.io/gorm"
)

// RevealAuthor tells a moderator of the post's group who wrote an anonymous post. Every reveal
// is written to the moderation record, with the reason, in the same transaction.
func (s *Service) RevealAuthor(ctx context.Context, postID int64, reason string) (string, error) {
	reason, err := moderation.CheckReason(reason)
	if err != nil {
		return "", err
	}
	var p postRow
	if err := s.db.WithContext(ctx).Take(&p, postID).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return "", errNotReadable
		}
		return "", fmt.Errorf("forum: unable to find post: %w", err)
	}
	_, g, _, err := s.topicAccess(ctx, p.TopicID)
	if err != nil {
		return "", err
	}
	if err := s.requireModerator(ctx, g); err != nil {
		return "", err
	}
	if !p.Anonymous {
		return "", apperr.New(apperr.EINVALID, "That post is not anonymous.")
	}
	v, _ := viewer(ctx)
	name := FormerMember
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		e := moderation.Entry{ActorID: v.ID, GroupID: g.ID, Action: moderation.ActionRevealAuthor, TargetKind: "post", TargetID: p.ID, Reason: reason}
		if p.AuthorID != nil {
			e.TargetMemberID = *p.AuthorID
			var names []string
			if err := tx.Raw(`SELECT username FROM members WHERE id = ?`, *p.AuthorID).Scan(&names).Error; err != nil {
				return err
			}
			if len(names) > 0 {
				name = names[0]
			}
		}
		return moderation.Append(ctx, tx, e)
	})
	if err != nil {
		return "", fmt.Errorf("forum: unable to reveal author: %w", err)
	}
	return name, nil
}
