package privacy

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/haven-forum/haven/internal/database"
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
func (s *Readers) ReadingHistoryFor(ctx context.Context, memberID int64, purpose string, limit int) ([]Opened, error) {
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
	if err := s.record.Flush(ctx); err != nil {
		return nil, err
	}
	out, err := database.Rows(s.db.WithContext(ctx).Raw(`SELECT topic_id, group_id, created_at FROM activity_events
		WHERE member_id = ? AND kind = ? ORDER BY id DESC LIMIT ?`, memberID, KindTopicOpen, limit),
		func(o *Opened) []any { return []any{&o.TopicID, &o.GroupID, &o.At} })
	if err != nil {
		return nil, fmt.Errorf("privacy: unable to read history: %w", err)
	}
	return out, nil
}

// ContributorsFor lists the members whose consents let their reading history count toward
// purpose now (community signals or insights), among candidates.
func (s *Readers) ContributorsFor(ctx context.Context, purpose string, candidates []int64) ([]int64, error) {
	required, ok := needs[purpose]
	if !ok || purpose == PersonalizedRecommendations {
		return nil, fmt.Errorf("privacy: %q has no contributors", purpose)
	}
	if len(candidates) == 0 {
		return nil, nil
	}
	// A consent row goes with its member's account (ON DELETE CASCADE): having one is existing.
	first, _ := Lookup(required[0])
	q := s.db.WithContext(ctx).Table("consents m").Select("m.member_id").
		Where("m.member_id IN ? AND m.purpose = ? AND m.granted = ? AND m.version = ?", candidates, required[0], true, first.Version)
	for _, key := range required[1:] {
		p, _ := Lookup(key)
		q = q.Where(`EXISTS (SELECT 1 FROM consents c WHERE c.member_id = m.member_id AND c.purpose = ? AND c.granted = ? AND c.version = ?)`,
			key, true, p.Version)
	}
	var ids []int64
	if err := q.Order("m.member_id").Scan(&ids).Error; err != nil {
		return nil, fmt.Errorf("privacy: unable to list contributors: %w", err)
	}
	est, err := s.establishedAmong(ctx, ids)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(ids, func(id int64) bool { return !est[id] }), nil
}

// CoRead is "members who read Seed also read Topic": how many distinct contributing members
// read both, never fewer than K.
type CoRead struct {
	SeedID, TopicID int64
	Contributors    int
}

// Bounds of "members who read this also read", so that its cost follows the seeds, not the size
// of the whole record: per seed, the most recent CoReadersPerSeed contributing readers; of each,
// the topics they opened within CoReadWindow of opening the seed.
const (
	CoReadersPerSeed = 25
	CoReadWindow     = 24 * time.Hour
)

// CoReadFor returns, for the viewer's suggestions, topics read by the same members as the
// seeds, counting only members whose "Help suggest topics to others" and reading-history
// consents are on now, and only pairs that at least K distinct such members support. The viewer
// never counts; their "Personalized suggestions" consent must be on. Nothing is precomputed: a
// contributor who withdraws, erases, whose events expire or who deletes their account stops
// counting in the same transaction that removes their consent or their events, so the result is
// exactly what it would be had they never contributed.
func (s *Readers) CoReadFor(ctx context.Context, viewerID int64, seeds []int64, limit int) ([]CoRead, error) {
	if len(seeds) == 0 {
		return nil, nil
	}
	if on, err := granted(ctx, s.db, viewerID, PersonalizedRecommendations); err != nil || !on {
		return nil, err
	}
	if err := s.record.Flush(ctx); err != nil {
		return nil, err
	}
	cs, _ := Lookup(CommunitySignals)
	rh, _ := Lookup(ReadingHistory)
	contributes := func(member string) (string, []any) {
		return `EXISTS (SELECT 1 FROM consents c WHERE c.member_id = ` + member + ` AND c.purpose = ? AND c.granted = ? AND c.version = ?)
			AND EXISTS (SELECT 1 FROM consents c WHERE c.member_id = ` + member + ` AND c.purpose = ? AND c.granted = ? AND c.version = ?)`,
			[]any{CommunitySignals, true, cs.Version, ReadingHistory, true, rh.Version}
	}
	// Who read each seed: its most recent contributing readers, all seeds in one statement, each
	// walking its topic's index from the newest and stopping at CoReadersPerSeed.
	cond, condArgs := contributes("e.member_id")
	type reader struct {
		SeedID, MemberID int64
		At               time.Time
	}
	parts := make([]string, len(seeds))
	var args []any
	for i, seed := range seeds {
		parts[i] = fmt.Sprintf(`SELECT * FROM (SELECT e.topic_id AS seed_id, e.member_id, e.created_at AS at FROM activity_events e
			WHERE e.topic_id = ? AND e.member_id <> ? AND %s ORDER BY e.created_at DESC, e.id DESC LIMIT ?) AS s%d`, cond, i)
		args = append(append(append(args, seed, viewerID), condArgs...), CoReadersPerSeed)
	}
	readers, err := database.Rows(s.db.WithContext(ctx).Raw(strings.Join(parts, " UNION ALL "), args...),
		func(r *reader) []any { return []any{&r.SeedID, &r.MemberID, &r.At} })
	if err != nil {
		return nil, fmt.Errorf("privacy: unable to count co-reading: %w", err)
	}
	// Only established contributors count: fresh accounts cannot make up the K around one member.
	ids := make([]int64, len(readers))
	for i, r := range readers {
		ids[i] = r.MemberID
	}
	est, err := s.establishedAmong(ctx, ids)
	if err != nil {
		return nil, err
	}
	readers = slices.DeleteFunc(readers, func(r reader) bool { return !est[r.MemberID] })
	row := "(?, ?, ?, ?)"
	if s.db.Dialector.Name() == "postgres" {
		row = "(?::bigint, ?::bigint, ?::timestamptz, ?::timestamptz)" // VALUES has no column types to infer from
	}
	rows := make([]string, 0, len(readers))
	window := make([]any, 0, 4*len(readers))
	for _, r := range readers {
		window = append(window, r.SeedID, r.MemberID, r.At.Add(-CoReadWindow), r.At.Add(CoReadWindow))
		rows = append(rows, row)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	// What they read around then, counted per distinct contributor (consents checked again in
	// this statement, so a withdrawal in between is honoured).
	cond, condArgs = contributes("v.column2")
	args = append(window, seeds)
	args = append(args, condArgs...)
	args = append(args, K, limit)
	out, err := database.Rows(s.db.WithContext(ctx).Raw(`SELECT v.column1 AS seed_id, o.topic_id, COUNT(DISTINCT o.member_id) AS contributors
		FROM (VALUES `+strings.Join(rows, ", ")+`) AS v
		JOIN activity_events o ON o.member_id = v.column2 AND o.created_at >= v.column3 AND o.created_at <= v.column4
		WHERE o.topic_id NOT IN ? AND `+cond+`
		GROUP BY v.column1, o.topic_id
		HAVING COUNT(DISTINCT o.member_id) >= ?
		ORDER BY contributors DESC, o.topic_id, seed_id LIMIT ?`, args...),
		func(c *CoRead) []any { return []any{&c.SeedID, &c.TopicID, &c.Contributors} })
	if err != nil {
		return nil, fmt.Errorf("privacy: unable to count co-reading: %w", err)
	}
	return out, nil
}

// ErasedBefore returns when the member last erased everything (the zero time if never): their
// own suggestions may use nothing they did before then, not even their posts and reactions,
// which stay in the forum but no longer say anything about them.
func (s *Readers) ErasedBefore(ctx context.Context, memberID int64) (time.Time, error) {
	var at []time.Time
	err := s.db.WithContext(ctx).Raw(`SELECT erased_before FROM privacy_settings WHERE member_id = ? AND erased_before IS NOT NULL`,
		memberID).Scan(&at).Error
	if err != nil {
		return time.Time{}, fmt.Errorf("privacy: unable to read erasure time: %w", err)
	}
	if len(at) == 0 {
		return time.Time{}, nil
	}
	return at[0], nil
}
