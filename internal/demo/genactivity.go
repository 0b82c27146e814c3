package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/haven-forum/haven/internal/privacy"
)

// createActivity gives every other generated member reading-history and personalization
// consent and writes o.Events topic opens for them, spread over the last 80 days (inside the
// default 90-day retention), each in a group the member belongs to.
func (g *generator) createActivity(ctx context.Context) error {
	if g.o.Events == 0 {
		return nil
	}
	var topics []struct{ ID, GroupID int64 }
	if err := g.db.WithContext(ctx).Raw(`SELECT id, group_id FROM topics ORDER BY id`).Scan(&topics).Error; err != nil {
		return fmt.Errorf("demo: unable to list topics: %w", err)
	}
	byGroup := map[int64][]int64{}
	for _, t := range topics {
		byGroup[t.GroupID] = append(byGroup[t.GroupID], t.ID)
	}
	memberGroups := map[int32][]int64{}
	for _, gr := range g.groups {
		if len(byGroup[gr.id]) == 0 {
			continue
		}
		for _, m := range gr.members {
			memberGroups[m] = append(memberGroups[m], gr.id)
		}
	}
	var consenting []int32
	var ids []int64
	for m := int32(0); m < int32(g.o.Members); m += 2 {
		if len(memberGroups[m]) > 0 {
			consenting = append(consenting, m)
			ids = append(ids, g.memberID(m))
		}
	}
	if len(consenting) == 0 {
		return nil
	}
	span := 80 * 24 * time.Hour
	left := g.o.Events
	next := func() (privacy.GeneratedEvent, bool) {
		if left == 0 {
			return privacy.GeneratedEvent{}, false
		}
		left--
		m := consenting[g.rng.IntN(len(consenting))]
		groups := memberGroups[m]
		gid := groups[g.rng.IntN(len(groups))]
		ts := byGroup[gid]
		at := g.end.Add(-span + time.Duration(g.rng.Int64N(int64(span))))
		return privacy.GeneratedEvent{MemberID: g.memberID(m), TopicID: ts[g.rng.IntN(len(ts))], GroupID: gid, At: at}, true
	}
	n, err := privacy.SeedGenerated(ctx, g.db, ids, []string{privacy.ReadingHistory, privacy.PersonalizedRecommendations}, g.end, next)
	if err != nil {
		return err
	}
	fmt.Fprintf(g.out, "Wrote %d consented topic opens for %d members with reading history on (%s).\n", n, len(ids), g.elapsed())
	return nil
}
