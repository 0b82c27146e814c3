package privacy

import (
	"context"
	"fmt"
)

// ErasePreview is what an erase would remove, by kind, so the member can confirm knowing exactly.
type ErasePreview struct {
	TopicOpens    int64 // events in the reading history
	ReadPositions int64 // where the member stopped reading each topic
	Interests     int   // groups inferred from those events
	NotInterested int64 // "not interested" choices on suggestions
}

// Total is how many items would go.
func (p ErasePreview) Total() int64 {
	return p.TopicOpens + p.ReadPositions + int64(p.Interests) + p.NotInterested
}

// PreviewErase counts what ErasePurpose(purpose) would remove, or EraseAll when purpose is "".
func (s *Service) PreviewErase(ctx context.Context, purpose string) (ErasePreview, error) {
	var p ErasePreview
	memberID, err := requireMember(ctx)
	if err != nil {
		return p, err
	}
	all := purpose == "" || purpose == ReadingHistory
	if _, ok := Lookup(purpose); !ok && purpose != "" {
		return p, fmt.Errorf("privacy: unknown purpose %q", purpose)
	}
	if all {
		if p.TopicOpens, err = s.EventCount(ctx); err != nil {
			return p, err
		}
		interests, err := s.Interests(ctx)
		if err != nil {
			return p, err
		}
		p.Interests = len(interests)
		if p.ReadPositions, err = s.Reading.ReadPositionCount(ctx); err != nil {
			return p, err
		}
	}
	if all || purpose == PersonalizedRecommendations {
		err := s.db.WithContext(ctx).Raw(`SELECT COUNT(*) FROM not_interested WHERE member_id = ?`, memberID).Scan(&p.NotInterested).Error
		if err != nil {
			return p, fmt.Errorf("privacy: unable to count choices: %w", err)
		}
	}
	return p, nil
}
