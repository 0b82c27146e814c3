package forum

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"slices"
	"strings"

	"gorm.io/gorm"
)

// Counts kept on write. A topic row keeps what its list row shows (replies, the last post anyone
// may see and who wrote it, whether its first post is held) and a group row keeps its topic and
// post counts and a content version that caches key on. Every write that changes a topic's posts
// calls refreshTopics in its transaction; Check recomputes everything and repairs drift.

// visiblePost is the SQL condition for a post anyone who may read the group sees (visiblePostP
// for posts named p).
const (
	visiblePost  = `deleted_at IS NULL AND hidden_reason IS NULL AND NOT held`
	visiblePostP = `p.deleted_at IS NULL AND p.hidden_reason IS NULL AND NOT p.held`
)

// share is what one topic adds to its group's counts.
type share struct{ topics, held, posts int }

func shareOf(deleted, firstHeld bool, visible int) share {
	switch {
	case deleted:
		return share{}
	case firstHeld:
		return share{held: 1}
	}
	return share{topics: 1, posts: visible}
}

// addShare adds sign×sh to a group's counts and bumps its content version.
func addShare(ctx context.Context, tx *gorm.DB, groupID int64, sh share, sign int) error {
	return tx.WithContext(ctx).Exec(`UPDATE groups SET topic_count = topic_count + ?, held_topic_count = held_topic_count + ?,
		post_count = post_count + ?, content_version = content_version + 1 WHERE id = ?`,
		sign*sh.topics, sign*sh.held, sign*sh.posts, groupID).Error
}

// topicFacts are a topic's stored facts, or the ones its posts give.
type topicFacts struct {
	GroupID           int64
	Deleted           bool
	FirstHeld         bool
	Posts             int
	VisiblePosts      int
	LastPostID        *int64
	LastPostAuthorID  *int64
	LastPostAnonymous bool
}

func (f topicFacts) share() share { return shareOf(f.Deleted, f.FirstHeld, f.VisiblePosts) }

func storedFacts(ctx context.Context, tx *gorm.DB, topicID int64) (topicFacts, bool, error) {
	var rows []struct {
		F          topicFacts `gorm:"embedded"`
		ReplyCount int
	}
	err := tx.WithContext(ctx).Raw(`SELECT group_id, deleted_at IS NOT NULL AS deleted, first_held, reply_count,
			visible_posts, last_post_id, last_post_author_id, last_post_anonymous FROM topics WHERE id = ?`, topicID).Scan(&rows).Error
	if err != nil || len(rows) == 0 {
		return topicFacts{}, false, err
	}
	f := rows[0].F
	f.Posts = rows[0].ReplyCount + 1
	return f, true, nil
}

// postFacts recomputes a topic's facts from its posts (one index range of posts_topic).
func postFacts(ctx context.Context, tx *gorm.DB, topicID int64, f topicFacts) (topicFacts, error) {
	var agg []struct {
		N, Visible int
		LastID     *int64
	}
	db := tx.WithContext(ctx)
	err := db.Raw(`SELECT COUNT(*) AS n, COALESCE(SUM(CASE WHEN `+visiblePost+` THEN 1 ELSE 0 END), 0) AS visible,
		MAX(CASE WHEN `+visiblePost+` THEN id END) AS last_id FROM posts WHERE topic_id = ?`, topicID).Scan(&agg).Error
	if err != nil {
		return f, err
	}
	f.Posts, f.VisiblePosts, f.LastPostID = agg[0].N, agg[0].Visible, agg[0].LastID
	var first []bool
	if err := db.Raw(`SELECT held FROM posts WHERE topic_id = ? ORDER BY id LIMIT 1`, topicID).Scan(&first).Error; err != nil {
		return f, err
	}
	f.FirstHeld = len(first) == 1 && first[0]
	f.LastPostAuthorID, f.LastPostAnonymous = nil, false
	if f.LastPostID != nil {
		var last []struct {
			AuthorID  *int64
			Anonymous bool
		}
		if err := db.Raw(`SELECT author_id, anonymous FROM posts WHERE id = ?`, *f.LastPostID).Scan(&last).Error; err != nil {
			return f, err
		}
		if len(last) == 1 {
			f.LastPostAnonymous = last[0].Anonymous
			if !last[0].Anonymous {
				f.LastPostAuthorID = last[0].AuthorID
			}
		}
	}
	return f, nil
}

func storeFacts(ctx context.Context, tx *gorm.DB, topicID int64, f topicFacts) error {
	return tx.WithContext(ctx).Exec(`UPDATE topics SET reply_count = ?, first_held = ?, visible_posts = ?, last_post_id = ?,
		last_post_author_id = ?, last_post_anonymous = ? WHERE id = ?`,
		max(f.Posts-1, 0), f.FirstHeld, f.VisiblePosts, f.LastPostID, f.LastPostAuthorID, f.LastPostAnonymous, topicID).Error
}

// refreshTopics recomputes, inside tx, what each topic row keeps about its posts, moves the
// difference into its group's counts and bumps the group's content version.
func refreshTopics(ctx context.Context, tx *gorm.DB, topicIDs ...int64) error {
	for _, id := range topicIDs {
		if err := refresh(ctx, tx, id, false); err != nil {
			return err
		}
	}
	return nil
}

// countNewTopic is refreshTopics for a topic just written, which its group does not count yet.
func countNewTopic(ctx context.Context, tx *gorm.DB, topicID int64) error {
	return refresh(ctx, tx, topicID, true)
}

func refresh(ctx context.Context, tx *gorm.DB, id int64, isNew bool) error {
	if err := lockTopics(ctx, tx, `id = ?`, id); err != nil {
		return err
	}
	old, ok, err := storedFacts(ctx, tx, id)
	if err != nil {
		return fmt.Errorf("forum: unable to read a topic's counts: %w", err)
	}
	if !ok {
		return nil
	}
	now, err := postFacts(ctx, tx, id, old)
	if err != nil {
		return fmt.Errorf("forum: unable to count a topic's posts: %w", err)
	}
	if err := storeFacts(ctx, tx, id, now); err != nil {
		return fmt.Errorf("forum: unable to store a topic's counts: %w", err)
	}
	o, n := old.share(), now.share()
	if isNew {
		o = share{}
	}
	if err := addShare(ctx, tx, old.GroupID, share{n.topics - o.topics, n.held - o.held, n.posts - o.posts}, 1); err != nil {
		return fmt.Errorf("forum: unable to store a group's counts: %w", err)
	}
	return nil
}

// refreshTopicSet is refreshTopics for every topic whose id the subquery set (with args) returns,
// in a fixed number of statements however many topics it names: erasing a prolific member's posts
// touches thousands of topics.
func refreshTopicSet(ctx context.Context, tx *gorm.DB, set string, args ...any) error {
	db := tx.WithContext(ctx)
	if err := lockTopics(ctx, tx, `id IN (`+set+`)`, args...); err != nil {
		return err
	}
	shares := func(sign string) error {
		q := `UPDATE groups SET
			topic_count = topic_count ` + sign + ` (SELECT COUNT(*) FROM topics t WHERE t.group_id = groups.id AND t.id IN (` + set + `)
				AND t.deleted_at IS NULL AND NOT t.first_held),
			held_topic_count = held_topic_count ` + sign + ` (SELECT COUNT(*) FROM topics t WHERE t.group_id = groups.id AND t.id IN (` + set + `)
				AND t.deleted_at IS NULL AND t.first_held),
			post_count = post_count ` + sign + ` COALESCE((SELECT SUM(t.visible_posts) FROM topics t WHERE t.group_id = groups.id
				AND t.id IN (` + set + `) AND t.deleted_at IS NULL AND NOT t.first_held), 0),
			content_version = content_version + 1
			WHERE id IN (SELECT group_id FROM topics WHERE id IN (` + set + `))`
		return db.Exec(q, slices.Concat(args, args, args, args)...).Error
	}
	if err := shares("-"); err != nil {
		return fmt.Errorf("forum: unable to take topics out of their groups' counts: %w", err)
	}
	for _, q := range []string{
		`UPDATE topics SET
			first_held = COALESCE((SELECT p.held FROM posts p WHERE p.topic_id = topics.id ORDER BY p.id LIMIT 1), FALSE),
			reply_count = (SELECT COUNT(*) FROM posts p WHERE p.topic_id = topics.id) - 1,
			visible_posts = (SELECT COUNT(*) FROM posts p WHERE p.topic_id = topics.id AND ` + visiblePostP + `),
			last_post_id = (SELECT MAX(p.id) FROM posts p WHERE p.topic_id = topics.id AND ` + visiblePostP + `)
		WHERE id IN (` + set + `)`,
		`UPDATE topics SET reply_count = 0 WHERE reply_count < 0 AND id IN (` + set + `)`,
		`UPDATE topics SET
			last_post_anonymous = COALESCE((SELECT p.anonymous FROM posts p WHERE p.id = topics.last_post_id), FALSE),
			last_post_author_id = (SELECT CASE WHEN p.anonymous THEN NULL ELSE p.author_id END FROM posts p WHERE p.id = topics.last_post_id)
		WHERE id IN (` + set + `)`,
	} {
		if err := db.Exec(q, args...).Error; err != nil {
			return fmt.Errorf("forum: unable to recount topics: %w", err)
		}
	}
	if err := shares("+"); err != nil {
		return fmt.Errorf("forum: unable to put topics back in their groups' counts: %w", err)
	}
	return nil
}

// lockTopics takes the rows of the topics where cond holds for the rest of the transaction, on
// PostgreSQL, before their facts are read: two writers to one topic (a reply and a hide) would
// otherwise each read the facts before the other's commit and the last to write would lose the
// other's change. SQLite's one writer needs nothing.
func lockTopics(ctx context.Context, tx *gorm.DB, cond string, args ...any) error {
	if tx.Dialector.Name() != "postgres" {
		return nil
	}
	if err := tx.WithContext(ctx).Exec(`SELECT 1 FROM topics WHERE `+cond+` ORDER BY id FOR UPDATE`, args...).Error; err != nil {
		return fmt.Errorf("forum: unable to lock topics: %w", err)
	}
	return nil
}

// refreshPostTopics refreshes the topics of the given posts.
func refreshPostTopics(ctx context.Context, tx *gorm.DB, postIDs ...int64) error {
	var ids []int64
	if err := tx.WithContext(ctx).Raw(`SELECT DISTINCT topic_id FROM posts WHERE id IN ?`, postIDs).Scan(&ids).Error; err != nil {
		return fmt.Errorf("forum: unable to find posts' topics: %w", err)
	}
	return refreshTopics(ctx, tx, ids...)
}

// bumpTopicGroup marks the group of a topic as changed.
func bumpTopicGroup(ctx context.Context, tx *gorm.DB, topicID int64) error {
	err := tx.WithContext(ctx).Exec(`UPDATE groups SET content_version = content_version + 1
		WHERE id = (SELECT group_id FROM topics WHERE id = ?)`, topicID).Error
	if err != nil {
		return fmt.Errorf("forum: unable to mark a group changed: %w", err)
	}
	return nil
}

// moveTopic moves a topic and its share of the counts to another group, bumping both.
func moveTopic(ctx context.Context, tx *gorm.DB, topicID, groupID int64) error {
	if err := lockTopics(ctx, tx, `id = ?`, topicID); err != nil {
		return err
	}
	f, ok, err := storedFacts(ctx, tx, topicID)
	if err != nil || !ok || f.GroupID == groupID {
		return err
	}
	if err := tx.WithContext(ctx).Exec(`UPDATE topics SET group_id = ? WHERE id = ?`, groupID, topicID).Error; err != nil {
		return err
	}
	if err := addShare(ctx, tx, f.GroupID, f.share(), -1); err != nil {
		return err
	}
	return addShare(ctx, tx, groupID, f.share(), 1)
}

// Repair is one stored count that did not match its recomputation, and was corrected.
type Repair struct {
	Table  string // "topics" or "groups"
	ID     int64
	Column string
	Stored any
	Actual any
}

func (r Repair) String() string {
	return fmt.Sprintf("%s %d: %s was %v, is %v", r.Table, r.ID, r.Column, r.Stored, r.Actual)
}

// Check recomputes every count kept on write from the rows themselves, corrects those that
// drifted (bumping the content version of each group it corrects) and returns what it fixed.
// It reads the forum in one transaction per group, so it can run while Haven serves: on
// PostgreSQL each transaction reads one snapshot (repeatable read), so a write committed while it
// runs is neither mistaken for drift nor overwritten; such a clash fails the transaction, which
// is tried again.
func (f *Forum) Check(ctx context.Context) ([]Repair, error) {
	db := f.state.db.WithContext(ctx)
	var groups []int64
	if err := db.Raw(`SELECT id FROM groups ORDER BY id`).Scan(&groups).Error; err != nil {
		return nil, fmt.Errorf("forum: unable to list groups: %w", err)
	}
	var out []Repair
	for _, g := range groups {
		fixed, err := checkInSnapshot(db, func(tx *gorm.DB) ([]Repair, error) { return checkGroup(ctx, tx, g) })
		out = append(out, fixed...)
		if err != nil {
			return out, fmt.Errorf("forum: unable to check group %d: %w", g, err)
		}
	}
	fixed, err := checkInSnapshot(db, func(tx *gorm.DB) ([]Repair, error) { return checkReactionDays(ctx, tx) })
	out = append(out, fixed...)
	if err != nil {
		return out, fmt.Errorf("forum: unable to check reaction counts: %w", err)
	}
	return out, nil
}

// checkInSnapshot runs one part of Check in a transaction that, on PostgreSQL, reads a single
// snapshot, and tries it again (up to three times) when a write committed meanwhile clashes
// with a repair. Only the repairs of the attempt that committed are returned.
func checkInSnapshot(db *gorm.DB, part func(tx *gorm.DB) ([]Repair, error)) ([]Repair, error) {
	var opts []*sql.TxOptions
	if db.Dialector.Name() == "postgres" {
		opts = append(opts, &sql.TxOptions{Isolation: sql.LevelRepeatableRead})
	}
	var err error
	for range 3 {
		var fixed []Repair
		err = db.Transaction(func(tx *gorm.DB) error {
			var err error
			fixed, err = part(tx)
			return err
		}, opts...)
		if err == nil {
			return fixed, nil
		}
		if !strings.Contains(err.Error(), "40001") && !strings.Contains(err.Error(), "could not serialize") {
			return nil, err
		}
	}
	return nil, err
}

func checkGroup(ctx context.Context, tx *gorm.DB, groupID int64) ([]Repair, error) {
	var topics []int64
	if err := tx.WithContext(ctx).Raw(`SELECT id FROM topics WHERE group_id = ? ORDER BY id`, groupID).Scan(&topics).Error; err != nil {
		return nil, err
	}
	var out []Repair
	var sum share
	for _, id := range topics {
		old, _, err := storedFacts(ctx, tx, id)
		if err != nil {
			return out, err
		}
		now, err := postFacts(ctx, tx, id, old)
		if err != nil {
			return out, err
		}
		fixed := factRepairs(id, old, now)
		if len(fixed) > 0 {
			if err := storeFacts(ctx, tx, id, now); err != nil {
				return out, err
			}
			out = append(out, fixed...)
		}
		sh := now.share()
		sum.topics, sum.held, sum.posts = sum.topics+sh.topics, sum.held+sh.held, sum.posts+sh.posts
	}
	var stored []struct{ TopicCount, HeldTopicCount, PostCount int }
	if err := tx.WithContext(ctx).Raw(`SELECT topic_count, held_topic_count, post_count FROM groups WHERE id = ?`,
		groupID).Scan(&stored).Error; err != nil || len(stored) == 0 {
		return out, err
	}
	s := stored[0]
	for _, c := range []struct {
		col         string
		stored, now int
	}{{"topic_count", s.TopicCount, sum.topics}, {"held_topic_count", s.HeldTopicCount, sum.held}, {"post_count", s.PostCount, sum.posts}} {
		if c.stored != c.now {
			out = append(out, Repair{"groups", groupID, c.col, c.stored, c.now})
		}
	}
	if len(out) == 0 {
		return nil, nil
	}
	err := tx.WithContext(ctx).Exec(`UPDATE groups SET topic_count = ?, held_topic_count = ?, post_count = ?,
		content_version = content_version + 1 WHERE id = ?`, sum.topics, sum.held, sum.posts, groupID).Error
	return out, err
}

func factRepairs(id int64, old, now topicFacts) []Repair {
	var out []Repair
	add := func(col string, a, b any) {
		if a != b {
			out = append(out, Repair{"topics", id, col, a, b})
		}
	}
	add("reply_count", max(old.Posts-1, 0), max(now.Posts-1, 0))
	add("first_held", old.FirstHeld, now.FirstHeld)
	add("visible_posts", old.VisiblePosts, now.VisiblePosts)
	add("last_post_id", deref0(old.LastPostID), deref0(now.LastPostID))
	add("last_post_author_id", deref0(old.LastPostAuthorID), deref0(now.LastPostAuthorID))
	add("last_post_anonymous", old.LastPostAnonymous, now.LastPostAnonymous)
	return out
}

// PrintRepairs writes what Check fixed, one line each, or that nothing had drifted.
func PrintRepairs(w io.Writer, fixed []Repair) {
	if len(fixed) == 0 {
		fmt.Fprintln(w, "Every stored count matches the forum's rows: nothing to repair.")
		return
	}
	for _, r := range fixed {
		fmt.Fprintln(w, "repaired "+r.String())
	}
	fmt.Fprintf(w, "Repaired %d stored counts.\n", len(fixed))
}
