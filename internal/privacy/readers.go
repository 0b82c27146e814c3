package privacy

import (
	"context"
	"fmt"
	"time"
)

// Readers: the recommendation engine and community insights get behavioural data only through
// these functions. Each takes the purpose it serves and returns only what that purpose covers
// at this moment; nothing else in Haven can read the record.

// Opened is one topic open, as a reader sees it (no row id, nothing to link it back by).
type Opened struct {
	TopicID, GroupID int64
	At               time.Time
}

// needs lists, per reading purpose, every consent that must be on for a member's reading
// history to be read for it.
var needs = map[string][]string{
	PersonalizedRecommendations: {PersonalizedRecommendations, ReadingHistory},
	CommunitySignals:            {CommunitySignals, ReadingHistory},
	CommunityInsights:           {CommunityInsights, ReadingHistory},
}

// ReadingHistoryFor returns a member's topic opens, newest first (at most limit), if and only
// if the member's consents cover reading them for purpose now; otherwise nothing.
func (s *Service) ReadingHistoryFor(ctx context.Context, memberID int64, purpose string, limit int) ([]Opened, error) {
	required, ok := needs[purpose]
	if !ok {
		return nil, fmt.Errorf("privacy: %q does not read the reading history", purpose)
	}
	for _, p := range required {
		on, err := granted(ctx, s.db, memberID, p)
		if err != nil || !on {
			return nil, err
		}
	}
	if err := s.Flush(ctx); err != nil {
		return nil, err
	}
	var out []Opened
	err := s.db.WithContext(ctx).Raw(`SELECT topic_id, group_id, created_at AS at FROM activity_events
		WHERE member_id = ? AND kind = ? ORDER BY id DESC LIMIT ?`, memberID, KindTopicOpen, limit).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("privacy: unable to read history: %w", err)
	}
	return out, nil
}

// ContributorsFor lists the members whose consents let their reading history count toward
// purpose now (community signals or insights), among candidates.
func (s *Service) ContributorsFor(ctx context.Context, purpose string, candidates []int64) ([]int64, error) {
	required, ok := needs[purpose]
	if !ok || purpose == PersonalizedRecommendations {
		return nil, fmt.Errorf("privacy: %q has no contributors", purpose)
	}
	if len(candidates) == 0 {
		return nil, nil
	}
	q := s.db.WithContext(ctx).Table("members m").Select("m.id").Where("m.id IN ?", candidates)
	for _, key := range required {
		p, _ := Lookup(key)
		q = q.Where(`EXISTS (SELECT 1 FROM consents c WHERE c.member_id = m.id AND c.purpose = ? AND c.granted = ? AND c.version = ?)`,
			key, true, p.Version)
	}
	var ids []int64
	if err := q.Order("m.id").Scan(&ids).Error; err != nil {
		return nil, fmt.Errorf("privacy: unable to list contributors: %w", err)
	}
	return ids, nil
}
