package privacy

import (
	"context"
	"fmt"

	"github.com/haven-forum/haven/internal/erasures"
	"gorm.io/gorm"
)

// Interest is part of the interest profile that suggestions use: derived from the reading
// history, worked out when asked and never stored on its own.
type Interest struct {
	GroupID   int64
	GroupName string
	Opens     int
}

// Interests derives the viewer's interest profile from their reading history: the groups whose
// topics they opened, most first.
func (s *Service) Interests(ctx context.Context) ([]Interest, error) {
	memberID, err := requireMember(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.Flush(ctx); err != nil {
		return nil, err
	}
	var out []Interest
	err = s.db.WithContext(ctx).Raw(`SELECT e.group_id, g.name AS group_name, COUNT(*) AS opens
		FROM activity_events e JOIN groups g ON g.id = e.group_id
		WHERE e.member_id = ? GROUP BY e.group_id, g.name ORDER BY opens DESC, g.name`, memberID).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("privacy: unable to derive interests: %w", err)
	}
	return out, nil
}

// ForgetInterest deletes an interest and the events it was derived from.
func (s *Service) ForgetInterest(ctx context.Context, groupID int64) (int64, error) {
	memberID, err := requireMember(ctx)
	if err != nil {
		return 0, err
	}
	var n int64
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Exec(`DELETE FROM activity_events WHERE member_id = ? AND group_id = ?`, memberID, groupID)
		if n = res.RowsAffected; res.Error != nil || n == 0 {
			return res.Error
		}
		return erasures.Record(ctx, tx, erasures.Interest, memberID, groupID)
	})
	if err != nil {
		return 0, fmt.Errorf("privacy: unable to forget interest: %w", err)
	}
	return n, nil
}

// EventCount counts the viewer's recorded events.
func (s *Service) EventCount(ctx context.Context) (int64, error) {
	memberID, err := requireMember(ctx)
	if err != nil {
		return 0, err
	}
	if err := s.Flush(ctx); err != nil {
		return 0, err
	}
	var n int64
	if err := s.db.WithContext(ctx).Raw(`SELECT COUNT(*) FROM activity_events WHERE member_id = ?`, memberID).Scan(&n).Error; err != nil {
		return 0, fmt.Errorf("privacy: unable to count events: %w", err)
	}
	return n, nil
}

// ErasePurpose deletes what one purpose recorded for the viewer (offered when it is switched off).
func (s *Service) ErasePurpose(ctx context.Context, purpose string) (int64, error) {
	switch purpose {
	case ReadingHistory:
		return s.EraseAll(ctx)
	case PersonalizedRecommendations:
		memberID, err := requireMember(ctx)
		if err != nil {
			return 0, err
		}
		return s.forgetNotInterested(ctx, memberID, 0)
	}
	if _, ok := Lookup(purpose); !ok {
		return 0, fmt.Errorf("privacy: unknown purpose %q", purpose)
	}
	return 0, nil // the other purposes record nothing of their own
}
