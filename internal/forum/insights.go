package forum

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/haven-forum/haven/internal/week"
)

// Community insights from posts: what every moderator of the group can read anyway, counted per
// calendar week. Only what members can see now counts: deleted posts, posts hidden by a
// moderator and posts still held for approval are left out, as are topics whose opening post is
// any of those (and replies in them). Reading-based figures come from internal/privacy.

// WeekActivity is one week of a group's posts.
type WeekActivity struct {
	Start     time.Time
	NewTopics int
	Replies   int
	// Of the topics started this week: those someone other than their author has replied to,
	// and the median wait for that first reply.
	Answered         int
	MedianFirstReply time.Duration
	// Of the topics started this week that are at least a day old: how many had no reply from
	// someone else within 24 hours.
	DayOld, NoReplyInADay int
	Reactions             map[string]int // per reaction kind, by when the reaction was given
}

// Insights is a group's weekly activity, oldest week first; the last week is still going on.
type Insights struct {
	Group Group
	Now   time.Time
	Weeks []WeekActivity
}

// visibleTopics are one group's topics that members see (the topic and its opening post are
// visible), with the id of the opening post. The opening post is looked up per topic, never
// joined on a computed id: PostgreSQL would hash the whole posts table for that.
const visibleTopics = `(SELECT t.id, t.author_id, t.created_at, (SELECT MIN(p1.id) FROM posts p1 WHERE p1.topic_id = t.id) AS first_id
		FROM topics t WHERE t.group_id = ? AND t.deleted_at IS NULL
			AND (SELECT CASE WHEN fp.deleted_at IS NULL AND fp.hidden_reason IS NULL AND NOT fp.held THEN 1 ELSE 0 END
				FROM posts fp WHERE fp.topic_id = t.id ORDER BY fp.id LIMIT 1) = 1)`

// postsOfGroup joins each post p to its visible topic t; visibleInGroup keeps the posts members
// see.
const (
	postsOfGroup   = `posts p JOIN ` + visibleTopics + ` t ON t.id = p.topic_id`
	visibleInGroup = `p.deleted_at IS NULL AND p.hidden_reason IS NULL AND NOT p.held`
)

// GroupInsights returns the last n weeks of a group's activity, for its moderators and admins.
func (s *Reads) GroupInsights(ctx context.Context, slug string, n int) (Insights, error) {
	g, err := s.groups.groupBySlug(ctx, s.db, slug)
	if err != nil {
		return Insights{}, err
	}
	if err := s.groups.requireModerator(ctx, g); err != nil {
		return Insights{}, err
	}
	out := Insights{Group: g.group(), Now: s.now(), Weeks: make([]WeekActivity, n)}
	starts := week.Starts(n, out.Now)
	for i := range out.Weeks {
		out.Weeks[i] = WeekActivity{Start: starts[i], Reactions: map[string]int{}}
	}
	if err := s.weeklyTopics(ctx, g.ID, starts, out); err != nil {
		return out, err
	}
	if err := s.weeklyReplies(ctx, g.ID, starts, out); err != nil {
		return out, err
	}
	return out, s.weeklyReactions(ctx, g.ID, starts, out)
}

// weeklyTopics fills in new topics and how long they waited for a first reply from someone else.
func (s *Reads) weeklyTopics(ctx context.Context, groupID int64, starts []time.Time, out Insights) error {
	var topics []struct {
		CreatedAt    time.Time
		FirstReplyID *int64
	}
	err := s.db.WithContext(ctx).Raw(`SELECT t.created_at, (SELECT MIN(r.id) FROM posts r WHERE r.topic_id = t.id AND r.id > t.first_id
			AND r.deleted_at IS NULL AND r.hidden_reason IS NULL AND NOT r.held
			AND COALESCE(r.author_id, 0) <> COALESCE(t.author_id, -1)) AS first_reply_id
		FROM `+visibleTopics+` t WHERE t.created_at >= ? AND t.created_at < ?`,
		groupID, starts[0], starts[len(starts)-1].Add(week.Length)).Scan(&topics).Error
	if err != nil {
		return fmt.Errorf("forum: unable to read topics for insights: %w", err)
	}
	var replyIDs []int64
	for _, t := range topics {
		if t.FirstReplyID != nil {
			replyIDs = append(replyIDs, *t.FirstReplyID)
		}
	}
	replied := map[int64]time.Time{}
	for chunk := range slices.Chunk(replyIDs, 500) {
		var at []struct {
			ID        int64
			CreatedAt time.Time
		}
		if err := s.db.WithContext(ctx).Raw(`SELECT id, created_at FROM posts WHERE id IN ?`, chunk).Scan(&at).Error; err != nil {
			return fmt.Errorf("forum: unable to read first replies for insights: %w", err)
		}
		for _, a := range at {
			replied[a.ID] = a.CreatedAt
		}
	}
	type topicWait struct {
		CreatedAt    time.Time
		FirstReplyAt *time.Time
	}
	rows := make([]topicWait, len(topics))
	for i, t := range topics {
		rows[i].CreatedAt = t.CreatedAt
		if t.FirstReplyID != nil {
			if at, ok := replied[*t.FirstReplyID]; ok {
				rows[i].FirstReplyAt = &at
			}
		}
	}
	waits := make([][]time.Duration, len(starts))
	for _, r := range rows {
		i := week.Of(r.CreatedAt, starts)
		if i < 0 {
			continue
		}
		w := &out.Weeks[i]
		w.NewTopics++
		if r.FirstReplyAt != nil {
			waits[i] = append(waits[i], r.FirstReplyAt.Sub(r.CreatedAt))
		}
		if out.Now.Sub(r.CreatedAt) >= 24*time.Hour {
			w.DayOld++
			if r.FirstReplyAt == nil || r.FirstReplyAt.Sub(r.CreatedAt) > 24*time.Hour {
				w.NoReplyInADay++
			}
		}
	}
	for i, ws := range waits {
		out.Weeks[i].Answered, out.Weeks[i].MedianFirstReply = len(ws), median(ws)
	}
	return nil
}

func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	slices.Sort(ds)
	mid := len(ds) / 2
	if len(ds)%2 == 1 {
		return ds[mid]
	}
	return (ds[mid-1] + ds[mid]) / 2
}

func (s *Reads) weeklyReplies(ctx context.Context, groupID int64, starts []time.Time, out Insights) error {
	idx, args := week.Index("p.created_at", starts)
	var rows []struct{ W, N int }
	err := s.db.WithContext(ctx).Raw(`SELECT w, COUNT(*) AS n FROM (SELECT `+idx+` AS w FROM `+postsOfGroup+`
		WHERE `+visibleInGroup+` AND p.id > t.first_id AND p.created_at >= ? AND p.created_at < ?) x GROUP BY w`,
		append(args, groupID, starts[0], starts[len(starts)-1].Add(week.Length))...).Scan(&rows).Error
	if err != nil {
		return fmt.Errorf("forum: unable to count replies for insights: %w", err)
	}
	for _, r := range rows {
		out.Weeks[r.W].Replies = r.N
	}
	return nil
}

func (s *Reads) weeklyReactions(ctx context.Context, groupID int64, starts []time.Time, out Insights) error {
	idx, args := week.Index("r.created_at", starts)
	var rows []struct {
		W    int
		Kind string
		N    int
	}
	err := s.db.WithContext(ctx).Raw(`SELECT w, kind, COUNT(*) AS n FROM (SELECT `+idx+` AS w, r.kind
		FROM `+postsOfGroup+` JOIN reactions r ON r.post_id = p.id
		WHERE `+visibleInGroup+` AND r.created_at >= ? AND r.created_at < ?) x
		GROUP BY w, kind`, append(args, groupID, starts[0], starts[len(starts)-1].Add(week.Length))...).Scan(&rows).Error
	if err != nil {
		return fmt.Errorf("forum: unable to count reactions for insights: %w", err)
	}
	for _, r := range rows {
		out.Weeks[r.W].Reactions[r.Kind] = r.N
	}
	return nil
}
