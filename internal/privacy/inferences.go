package privacy

import (
	"context"
	"fmt"
	"sort"

	"github.com/haven-forum/haven/internal/apperr"
	"github.com/haven-forum/haven/internal/erasures"
	"github.com/haven-forum/haven/internal/forum"
	"gorm.io/gorm"
)

// Interest is the inference “Interested in <group>” that the reading-history purpose names:
// worked out from the reading history when asked, never stored on its own, shown on the
// dashboard and in the export.
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
	var counted []Interest
	err = s.db.WithContext(ctx).Raw(`SELECT group_id, COUNT(*) AS opens FROM activity_events
		WHERE member_id = ? GROUP BY group_id`, memberID).Scan(&counted).Error
	if err != nil {
		return nil, fmt.Errorf("privacy: unable to derive interests: %w", err)
	}
	ids := make([]int64, len(counted))
	for i, c := range counted {
		ids[i] = c.GroupID
	}
	groups, err := forum.GroupRefs(ctx, s.db, ids)
	if err != nil {
		return nil, err
	}
	out := []Interest{}
	for _, c := range counted {
		if g, ok := groups[c.GroupID]; ok {
			c.GroupName = g.Name
			out = append(out, c)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Opens != out[j].Opens {
			return out[i].Opens > out[j].Opens
		}
		return out[i].GroupName < out[j].GroupName
	})
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
	memberID, err := s.Reading.flushedMember(ctx)
	if err != nil {
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
		return 0, apperr.New(apperr.EINVALID, "There is no such purpose to erase.")
	}
	return 0, nil // the other purposes record nothing of their own
}
