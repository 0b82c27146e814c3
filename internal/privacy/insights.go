package privacy

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/haven-forum/haven/internal/accounts"
	"github.com/haven-forum/haven/internal/forum"
	"github.com/haven-forum/haven/internal/week"
)

// Reading figures for a group's moderators (community insights). They count only members whose
// consents cover community insights now, never the group's moderators or site admins (who read
// everything, and who would otherwise know their own part of a figure), and only weeks that are
// over, so a figure cannot be watched changing as one member reads. A figure resting on fewer
// than K members is withheld here: no value below K, and no member id, ever leaves this file.

// Figure is one aggregate, or the mark that it was withheld.
type Figure struct {
	Value  float64
	Hidden bool // it would rest on fewer than K members
}

// WeekReading is one week of a group's reading figures.
type WeekReading struct {
	Start time.Time
	Open  bool // the week is not over, so nothing is counted yet
	// ReadersPerTopic: distinct counted members per topic they opened, on average (to 0.1).
	ReadersPerTopic Figure
	// ReplyShare: of the counted members who opened a topic, the share who also replied in the
	// group that week (0 to 1, to 0.01). Withheld unless the repliers are K members or more too,
	// since replies are public and a handful of them would tell whose consents are on.
	ReplyShare Figure
}

// GroupReadingFigures returns the reading figures of the n weeks ending with the one holding
// now, oldest first. The caller decides who may see them (the group's moderators and admins).
func (s *Readers) GroupReadingFigures(ctx context.Context, groupID int64, n int, now time.Time) ([]WeekReading, error) {
	if n < 1 {
		return nil, nil
	}
	starts := week.Starts(n, now)
	out := make([]WeekReading, n)
	for i := range out {
		closed := i < n-1
		out[i] = WeekReading{Start: starts[i], Open: !closed, ReadersPerTopic: Figure{Hidden: closed}, ReplyShare: Figure{Hidden: closed}}
	}
	if n == 1 {
		return out, nil
	}
	if err := s.record.Flush(ctx); err != nil {
		return nil, err
	}
	closed := starts[:n-1]
	skip, err := s.uncounted(ctx, groupID, closed)
	if err != nil {
		return nil, err
	}
	read, err := s.readersByWeek(ctx, groupID, closed, skip)
	if err != nil {
		return nil, err
	}
	replied, err := s.repliersByWeek(ctx, groupID, closed, skip)
	if err != nil {
		return nil, err
	}
	for i, r := range read {
		if r.Readers < K {
			continue
		}
		out[i].ReadersPerTopic = Figure{Value: math.Round(10*float64(r.Pairs)/float64(r.Topics)) / 10}
		if replied[i] >= K {
			out[i].ReplyShare = Figure{Value: math.Round(100*float64(replied[i])/float64(r.Readers)) / 100}
		}
	}
	return out, nil
}

type weekReaders struct{ Pairs, Topics, Readers int }

// uncounted are the readers whose opens never count in a group's insights: the site's admins,
// the group's moderators, and readers in those weeks who are not established (0 stands for no
// one, so NOT IN reads the same everywhere).
func (s *Readers) uncounted(ctx context.Context, groupID int64, starts []time.Time) ([]int64, error) {
	admins, err := accounts.AdminIDs(ctx, s.db)
	if err != nil {
		return nil, err
	}
	mods, err := forum.GroupModerators(ctx, s.db, groupID)
	if err != nil {
		return nil, err
	}
	var readers []int64
	err = s.db.WithContext(ctx).Raw(`SELECT DISTINCT member_id FROM activity_events WHERE group_id = ? AND created_at >= ? AND created_at < ?`,
		groupID, starts[0], starts[len(starts)-1].Add(week.Length)).Scan(&readers).Error
	if err != nil {
		return nil, fmt.Errorf("privacy: unable to list readers: %w", err)
	}
	est, err := s.establishedAmong(ctx, readers)
	if err != nil {
		return nil, err
	}
	out := append(append([]int64{0}, admins...), mods...)
	for _, id := range readers {
		if !est[id] {
			out = append(out, id)
		}
	}
	return out, nil
}

// countedOpens selects, per week of starts, each distinct (member, topic) open in a group (of a
// topic still there and not deleted) by members who count: both consents of community insights
// on at their current version, and not among uncounted.
func countedOpens(groupID int64, starts []time.Time, uncounted []int64) (string, []any) {
	idx, args := week.Index("e.created_at", starts)
	q := `SELECT DISTINCT ` + idx + ` AS w, e.member_id, e.topic_id FROM activity_events e JOIN topics t ON t.id = e.topic_id
		WHERE e.kind = ? AND e.group_id = ? AND t.group_id = e.group_id AND t.deleted_at IS NULL AND e.created_at >= ? AND e.created_at < ?
			AND e.member_id NOT IN ?`
	args = append(args, KindTopicOpen, groupID, starts[0], starts[len(starts)-1].Add(week.Length), uncounted)
	for _, key := range needs[CommunityInsights] {
		p, _ := Lookup(key)
		q += ` AND EXISTS (SELECT 1 FROM consents c WHERE c.member_id = e.member_id AND c.purpose = ? AND c.granted = ? AND c.version = ?)`
		args = append(args, key, true, p.Version)
	}
	return q, args
}

func (s *Readers) readersByWeek(ctx context.Context, groupID int64, starts []time.Time, skip []int64) ([]weekReaders, error) {
	opens, args := countedOpens(groupID, starts, skip)
	var rows []struct{ W, Pairs, Topics, Readers int }
	err := s.db.WithContext(ctx).Raw(`SELECT w, COUNT(*) AS pairs, COUNT(DISTINCT topic_id) AS topics, COUNT(DISTINCT member_id) AS readers
		FROM (`+opens+`) o GROUP BY w`, args...).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("privacy: unable to count readers: %w", err)
	}
	out := make([]weekReaders, len(starts))
	for _, r := range rows {
		out[r.W] = weekReaders{Pairs: r.Pairs, Topics: r.Topics, Readers: r.Readers}
	}
	return out, nil
}

// repliersByWeek counts, per week, the counted readers who also replied in the group that week
// (a visible reply: not deleted, hidden or held, and not a topic's opening post).
func (s *Readers) repliersByWeek(ctx context.Context, groupID int64, starts []time.Time, skip []int64) ([]int, error) {
	opens, args := countedOpens(groupID, starts, skip)
	idx, idxArgs := week.Index("p.created_at", starts)
	args = append(args, idxArgs...)
	args = append(args, groupID, starts[0], starts[len(starts)-1].Add(week.Length))
	var rows []struct{ W, N int }
	err := s.db.WithContext(ctx).Raw(`SELECT o.w, COUNT(DISTINCT o.member_id) AS n FROM (`+opens+`) o
		JOIN (SELECT DISTINCT `+idx+` AS w, p.author_id FROM posts p JOIN topics t ON t.id = p.topic_id
			WHERE t.group_id = ? AND t.deleted_at IS NULL AND p.created_at >= ? AND p.created_at < ?
				AND p.deleted_at IS NULL AND p.hidden_reason IS NULL AND NOT p.held
				AND p.id > (SELECT MIN(p1.id) FROM posts p1 WHERE p1.topic_id = t.id)) r
		ON r.w = o.w AND r.author_id = o.member_id
		GROUP BY o.w`, args...).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("privacy: unable to count repliers: %w", err)
	}
	out := make([]int, len(starts))
	for _, r := range rows {
		out[r.W] = r.N
	}
	return out, nil
}
