package forum

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"
)

// A topic's reactions per day (topic_reaction_days) are counts kept on write, like reply counts:
// suggestions weigh the last week's reactions of hundreds of topics on every home page, and
// reading each post's reactions for that cost as much as the rest of the page. They say how
// many, never who; erasing a member takes their reactions out of them in the same transaction.
// Every change also bumps the group's reaction version there, which the cached counts key on.

// reactionDay is the day a reaction counts on: days since 1970, in UTC.
func reactionDay(t time.Time) int64 { return t.UTC().Unix() / 86400 }

// addReactions adds delta reactions to a topic's count for day, and bumps its group's reaction version.
func addReactions(ctx context.Context, tx *gorm.DB, topicID, day int64, delta int) error {
	if err := countReactions(ctx, tx, topicID, day, delta); err != nil {
		return err
	}
	return tx.WithContext(ctx).Exec(`UPDATE groups SET reaction_version = reaction_version + 1
		WHERE id = (SELECT group_id FROM topics WHERE id = ?)`, topicID).Error
}

// countReactions is addReactions without the bump, for a caller that bumps every group it changed.
func countReactions(ctx context.Context, tx *gorm.DB, topicID, day int64, delta int) error {
	db := tx.WithContext(ctx)
	if delta > 0 {
		return db.Exec(`INSERT INTO topic_reaction_days (topic_id, day, n) VALUES (?, ?, ?)
			ON CONFLICT (topic_id, day) DO UPDATE SET n = topic_reaction_days.n + excluded.n`, topicID, day, delta).Error
	}
	if err := db.Exec(`UPDATE topic_reaction_days SET n = n + ? WHERE topic_id = ? AND day = ?`, delta, topicID, day).Error; err != nil {
		return err
	}
	return db.Exec(`DELETE FROM topic_reaction_days WHERE topic_id = ? AND day = ? AND n <= 0`, topicID, day).Error
}

// removeReaction deletes one reaction and takes it out of its topic's count; false if there was none.
func removeReaction(ctx context.Context, tx *gorm.DB, postID, memberID int64, kind string) (bool, error) {
	db := tx.WithContext(ctx)
	var rows []struct {
		TopicID   int64
		CreatedAt time.Time
	}
	if err := db.Raw(`SELECT p.topic_id, r.created_at FROM reactions r JOIN posts p ON p.id = r.post_id
		WHERE r.post_id = ? AND r.member_id = ? AND r.kind = ?`, postID, memberID, kind).Scan(&rows).Error; err != nil || len(rows) == 0 {
		return false, err
	}
	res := db.Exec(`DELETE FROM reactions WHERE post_id = ? AND member_id = ? AND kind = ?`, postID, memberID, kind)
	if res.Error != nil || res.RowsAffected == 0 {
		return false, res.Error
	}
	return true, addReactions(ctx, tx, rows[0].TopicID, reactionDay(rows[0].CreatedAt), -1)
}

// uncountMemberReactions takes every reaction of a member out of the counts, before the account
// goes (its reactions go with the members row), and bumps the reaction version of each group
// they reacted in: their reactions stop counting in suggestions on every instance at once.
// It locks as a reaction does, day rows (in one order) before group rows: the other way round,
// on PostgreSQL, an erasure and a reaction on the same topic and day deadlocked, and the
// erasure could be the one aborted.
func uncountMemberReactions(ctx context.Context, tx *gorm.DB, memberID int64) error {
	var rows []struct {
		TopicID   int64
		CreatedAt time.Time
	}
	if err := tx.WithContext(ctx).Raw(`SELECT p.topic_id, r.created_at FROM reactions r JOIN posts p ON p.id = r.post_id
		WHERE r.member_id = ?`, memberID).Scan(&rows).Error; err != nil {
		return fmt.Errorf("forum: unable to read reactions: %w", err)
	}
	n := map[topicDay]int{}
	for _, r := range rows {
		n[topicDay{r.TopicID, reactionDay(r.CreatedAt)}]++
	}
	for _, k := range sortedDays(n) {
		if err := countReactions(ctx, tx, k.topic, k.day, -n[k]); err != nil {
			return fmt.Errorf("forum: unable to count reactions: %w", err)
		}
	}
	if err := tx.WithContext(ctx).Exec(`UPDATE groups SET reaction_version = reaction_version + 1 WHERE id IN (
		SELECT t.group_id FROM reactions r JOIN posts p ON p.id = r.post_id JOIN topics t ON t.id = p.topic_id
		WHERE r.member_id = ?)`, memberID).Error; err != nil {
		return fmt.Errorf("forum: unable to mark groups' reactions changed: %w", err)
	}
	return nil
}

// topicDay names one row of topic_reaction_days.
type topicDay struct{ topic, day int64 }

// sortedDays lists the keys of n in one order, so that writers lock day rows in the same order.
func sortedDays[V any](n map[topicDay]V) []topicDay {
	keys := make([]topicDay, 0, len(n))
	for k := range n {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b topicDay) int {
		if c := cmp.Compare(a.topic, b.topic); c != 0 {
			return c
		}
		return cmp.Compare(a.day, b.day)
	})
	return keys
}

// checkReactionDays recomputes every topic's reactions per day and repairs drift. Like a
// reaction, it writes the day rows (in one order) before it bumps each changed group once.
func checkReactionDays(ctx context.Context, tx *gorm.DB) ([]Repair, error) {
	want := map[topicDay]int{}
	rows, err := tx.WithContext(ctx).Raw(`SELECT p.topic_id, r.created_at FROM reactions r JOIN posts p ON p.id = r.post_id`).Rows()
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var topic int64
		var at time.Time
		if err := rows.Scan(&topic, &at); err != nil {
			rows.Close()
			return nil, err
		}
		want[topicDay{topic, reactionDay(at)}]++
	}
	rows.Close()
	var stored []struct{ TopicID, Day, N int64 }
	if err := tx.WithContext(ctx).Raw(`SELECT topic_id, day, n FROM topic_reaction_days`).Scan(&stored).Error; err != nil {
		return nil, err
	}
	have := map[topicDay]int{}
	for _, s := range stored {
		have[topicDay{s.TopicID, s.Day}] = int(s.N)
	}
	wrong := map[topicDay]bool{}
	for k, n := range want {
		if have[k] != n {
			wrong[k] = true
		}
	}
	for k := range have {
		if _, ok := want[k]; !ok {
			wrong[k] = true
		}
	}
	var out []Repair
	var topics []int64
	for _, k := range sortedDays(wrong) {
		out = append(out, Repair{"topic_reaction_days", k.topic, fmt.Sprintf("reactions on day %d", k.day), have[k], want[k]})
		if err := tx.WithContext(ctx).Exec(`DELETE FROM topic_reaction_days WHERE topic_id = ? AND day = ?`, k.topic, k.day).Error; err != nil {
			return out, err
		}
		if err := countReactions(ctx, tx, k.topic, k.day, want[k]); err != nil {
			return out, err
		}
		if len(topics) == 0 || topics[len(topics)-1] != k.topic {
			topics = append(topics, k.topic)
		}
	}
	for part := range slices.Chunk(topics, 500) {
		if err := tx.WithContext(ctx).Exec(`UPDATE groups SET reaction_version = reaction_version + 1
			WHERE id IN (SELECT group_id FROM topics WHERE id IN ?)`, part).Error; err != nil {
			return out, err
		}
	}
	return out, nil
}
