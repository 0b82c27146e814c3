package privacy

import (
	"context"
	"fmt"
	"time"

	"github.com/haven-forum/haven/internal/apperr"
	"github.com/haven-forum/haven/internal/erasures"
	"github.com/haven-forum/haven/internal/forum"
	"gorm.io/gorm"
)

// NotInterested is a topic the member said they are not interested in: a negative signal for
// their own suggestions, shown and deletable on their dashboard.
type NotInterested struct {
	TopicID    int64
	TopicTitle string
	GroupName  string
	CreatedAt  time.Time
}

// MarkNotInterested records that the viewer is not interested in a topic, only while their
// "Personalized suggestions" consent is on: the consent is checked in the writing statement.
func (s *Service) MarkNotInterested(ctx context.Context, topicID int64) error {
	memberID, err := requireMember(ctx)
	if err != nil {
		return err
	}
	if GPC(ctx) {
		return apperr.New(apperr.EINVALID, "Your browser sends Global Privacy Control, so Haven records nothing about you, not even this choice.")
	}
	p, _ := Lookup(PersonalizedRecommendations)
	lock := ""
	if s.db.Dialector.Name() == "postgres" {
		lock = " FOR SHARE"
	}
	res := s.db.WithContext(ctx).Exec(`INSERT INTO not_interested (member_id, topic_id, created_at)
		SELECT c.member_id, ?, ? FROM consents c
		WHERE c.member_id = ? AND c.purpose = ? AND c.granted = ? AND c.version = ?`+lock+`
		ON CONFLICT (member_id, topic_id) DO NOTHING`,
		topicID, s.now(), memberID, PersonalizedRecommendations, true, p.Version)
	if res.Error != nil {
		return fmt.Errorf("privacy: unable to record not interested: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		if on, err := grantedNow(ctx, s.db, memberID, PersonalizedRecommendations); err != nil || on {
			return err // already marked
		}
		return apperr.New(apperr.EINVALID, "“Not interested” is part of personalized suggestions, which are off: nothing was recorded.")
	}
	return nil
}

// NotInterestedList lists the viewer's "not interested" choices, newest first.
func (s *Service) NotInterestedList(ctx context.Context) ([]NotInterested, error) {
	memberID, err := requireMember(ctx)
	if err != nil {
		return nil, err
	}
	return notInterestedOf(ctx, s.db, memberID)
}

func notInterestedOf(ctx context.Context, db *gorm.DB, memberID int64) ([]NotInterested, error) {
	var marked []NotInterested
	err := db.WithContext(ctx).Raw(`SELECT topic_id, created_at FROM not_interested
		WHERE member_id = ? ORDER BY created_at DESC, topic_id DESC`, memberID).Scan(&marked).Error
	if err != nil {
		return nil, fmt.Errorf("privacy: unable to list not interested: %w", err)
	}
	ids := make([]int64, len(marked))
	for i, m := range marked {
		ids[i] = m.TopicID
	}
	topics, err := forum.TopicRefs(ctx, db, ids)
	if err != nil {
		return nil, err
	}
	groupIDs := make([]int64, 0, len(topics))
	for _, t := range topics {
		groupIDs = append(groupIDs, t.GroupID)
	}
	groups, err := forum.GroupRefs(ctx, db, groupIDs)
	if err != nil {
		return nil, err
	}
	var out []NotInterested
	for _, m := range marked {
		t, ok := topics[m.TopicID]
		g, found := groups[t.GroupID]
		if ok && found {
			m.TopicTitle, m.GroupName = t.Title, g.Name
			out = append(out, m)
		}
	}
	return out, nil
}

// ForgetNotInterested deletes one "not interested" choice of the viewer's.
func (s *Service) ForgetNotInterested(ctx context.Context, topicID int64) error {
	memberID, err := requireMember(ctx)
	if err != nil {
		return err
	}
	_, err = s.forgetNotInterested(ctx, memberID, topicID)
	return err
}

// forgetNotInterested deletes one choice (topicID 0: all of them) and lists the erasure, in one
// transaction.
func (s *Service) forgetNotInterested(ctx context.Context, memberID, topicID int64) (int64, error) {
	var deleted int64
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		q, args := `DELETE FROM not_interested WHERE member_id = ?`, []any{memberID}
		if topicID != 0 {
			q, args = q+` AND topic_id = ?`, append(args, topicID)
		}
		res := tx.Exec(q, args...)
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error
		}
		deleted = res.RowsAffected
		return erasures.Record(ctx, tx, erasures.NotInterested, memberID, topicID)
	})
	if err != nil {
		return 0, fmt.Errorf("privacy: unable to delete not interested: %w", err)
	}
	if deleted == 0 && topicID != 0 {
		return 0, apperr.New(apperr.ENOTFOUND, "That choice is not in your record (it may already be deleted).")
	}
	return deleted, nil
}

// NotInterestedFor returns the topics a member marked "not interested", if and only if their
// "Personalized suggestions" consent is on now; otherwise nothing.
func (s *Readers) NotInterestedFor(ctx context.Context, memberID int64) ([]int64, error) {
	if on, err := granted(ctx, s.db, memberID, PersonalizedRecommendations); err != nil || !on {
		return nil, err
	}
	var ids []int64
	err := s.db.WithContext(ctx).Raw(`SELECT topic_id FROM not_interested WHERE member_id = ? ORDER BY topic_id`, memberID).Scan(&ids).Error
	if err != nil {
		return nil, fmt.Errorf("privacy: unable to read not interested: %w", err)
	}
	return ids, nil
}
