package privacy

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/haven-forum/haven/internal/apperr"
	"github.com/haven-forum/haven/internal/database"
	"github.com/haven-forum/haven/internal/erasures"
	"github.com/haven-forum/haven/internal/forum"
	"gorm.io/gorm"
)

// Read positions: the highest post a member was shown in each topic, written only by the gated
// write of a topic open (batch.go) and only while "Reading history" is on. They are part of the
// activity record: shown, deletable, exported, erased with it and when the purpose is switched
// off, and they expire like opens. What they give back is unread markers for the member alone.

// Reading is what read positions give back to the member they belong to (and only to them):
// unread counts, the first unread post, "Continue where you left off", and the positions
// themselves for the dashboard and the export.
type Reading struct {
	*shared
	record *Service // flushed before each read, so a member sees their latest position
}

// ReadPosition is where the viewer stopped reading one topic.
type ReadPosition struct {
	TopicID, LastReadPostID int64
	ReadAt                  time.Time
	// For display: the topic's title and group as they are now.
	TopicTitle, GroupName string
}

// Unread is what is new for the viewer in one topic.
type Unread struct {
	Opened      bool  // the viewer has a read position in the topic
	New         int   // posts by others since then (every readable post if never opened)
	FirstUnread int64 // the first of them (0: none); from UnreadInTopic and ContinueReading only
	Before      int   // how many posts of the topic come before FirstUnread, for its page
}

// Unreads is what is new in a list of topics; On is false (and Topics empty) when the viewer's
// reading history is off, so nothing may be shown.
type Unreads struct {
	On     bool
	Topics map[int64]Unread
}

// consentOn is the gate for reading positions back: the member's reading-history consent is on
// now, for the current wording.
func consentOn(member string) (string, []any) {
	p, _ := Lookup(ReadingHistory)
	return `EXISTS (SELECT 1 FROM consents c WHERE c.member_id = ` + member + ` AND c.purpose = ? AND c.granted = ? AND c.version = ?)`,
		[]any{ReadingHistory, true, p.Version}
}

// UnreadIn returns, for each of topicIDs, how many readable posts by others the viewer has not
// been shown, in one statement whatever the number of topics, and nothing at all unless their
// reading history is on now. Posts of a topic never opened are all new.
func (s *Reading) UnreadIn(ctx context.Context, topicIDs []int64) (Unreads, error) {
	return s.unread(ctx, topicIDs, false)
}

// UnreadInTopic is UnreadIn for one topic, with where its first unread post falls.
func (s *Reading) UnreadInTopic(ctx context.Context, topicID int64) (Unread, bool, error) {
	u, err := s.unread(ctx, []int64{topicID}, true)
	return u.Topics[topicID], u.On, err
}

// unread counts what is new in topicIDs; where the first unread post is (FirstUnread, Before)
// only with first, which lists do not need.
func (s *Reading) unread(ctx context.Context, topicIDs []int64, first bool) (Unreads, error) {
	_, _, u, err := s.read(ctx, topicIDs, first, 0)
	return u, err
}

// ContinueReading returns up to limit topics the viewer opened that have posts by others since
// they last read, the most recent first, only while their reading history is on. The caller
// keeps those the viewer may still read.
func (s *Reading) ContinueReading(ctx context.Context, limit int) ([]int64, map[int64]Unread, error) {
	ids, cont, _, err := s.read(ctx, nil, false, limit)
	return ids, cont, err
}

// ContinueAndUnreadIn is ContinueReading(limit) and UnreadIn(topicIDs) in one statement, for
// the home page, which shows both.
func (s *Reading) ContinueAndUnreadIn(ctx context.Context, limit int, topicIDs []int64) ([]int64, map[int64]Unread, Unreads, error) {
	return s.read(ctx, topicIDs, false, limit)
}

// read is, in one statement, up to limit topics to continue (none with limit 0) and what is new
// in topicIDs, each part gated on the viewer's reading-history consent being on now.
func (s *Reading) read(ctx context.Context, topicIDs []int64, first bool, limit int) ([]int64, map[int64]Unread, Unreads, error) {
	out := Unreads{Topics: map[int64]Unread{}}
	memberID, ok := viewerID(ctx)
	if !ok {
		return nil, nil, out, nil
	}
	if err := s.record.flushFor(ctx, memberID); err != nil {
		return nil, nil, out, err
	}
	if len(topicIDs) == 0 && limit == 0 {
		var err error
		out.On, err = granted(ctx, s.db, memberID, ReadingHistory)
		return nil, nil, out, err
	}
	if knownOff(ctx, memberID, ReadingHistory) {
		return nil, nil, out, nil // the request already read the consent off: nothing to show, nothing to read
	}
	gateSQL, gateArgs := consentOn("?")
	gate := append([]any{memberID}, gateArgs...)
	var parts []string
	var args []any
	if limit > 0 {
		rGate, rArgs := consentOn("r.member_id")
		parts = append(parts, `SELECT 'c' AS part, u.topic_id, u.unread, u.first_unread, 1 AS opened,
				(SELECT COUNT(*) FROM posts b WHERE b.topic_id = u.topic_id AND b.id < u.first_unread) AS before_n, u.latest
			FROM (SELECT r.topic_id, COUNT(*) AS unread, MIN(p.id) AS first_unread, MAX(p.id) AS latest
				FROM read_positions r JOIN posts p ON p.topic_id = r.topic_id AND p.id > r.last_read_post_id
				WHERE r.member_id = ? AND `+forum.ReadablePost+` AND COALESCE(p.author_id, 0) <> r.member_id AND `+rGate+`
				GROUP BY r.topic_id ORDER BY latest DESC LIMIT ?) u`)
		args = append(append(append(args, memberID), rArgs...), limit)
	}
	if len(topicIDs) > 0 {
		others := `FROM posts p WHERE p.topic_id = t.id AND p.id > COALESCE(r.last_read_post_id, 0) AND ` + forum.ReadablePost +
			` AND COALESCE(p.author_id, 0) <> ?`
		firstSQL, before := "0", "0"
		args = append(args, memberID, memberID)
		if first {
			firstSQL = `CASE WHEN r.topic_id IS NULL THEN 0 ELSE COALESCE((SELECT MIN(p.id) ` + others + `), 0) END`
			before = `(SELECT COUNT(*) FROM posts b WHERE b.topic_id = u.topic_id AND b.id < u.first_unread)`
			args = append(args, memberID)
		}
		args = append(append(args, memberID, topicIDs), gate...)
		// A topic never opened is new as a whole: its count of readable posts (kept on write, never
		// counting a held, hidden or deleted one, which would hint that a post waits) says how much, without counting
		// posts (unless the viewer started it: then only others' posts are new). An opened one counts
		// the posts after the position, along the readable-posts index.
		parts = append(parts, `SELECT 'u' AS part, u.topic_id, u.unread, u.first_unread, u.opened, `+before+` AS before_n, 0 AS latest
			FROM (SELECT t.id AS topic_id,
					CASE WHEN r.topic_id IS NULL AND COALESCE(t.author_id, 0) <> ? THEN t.visible_posts
						ELSE (SELECT COUNT(*) `+others+`) END AS unread,
					`+firstSQL+` AS first_unread,
					CASE WHEN r.topic_id IS NULL THEN 0 ELSE 1 END AS opened
				FROM topics t LEFT JOIN read_positions r ON r.member_id = ? AND r.topic_id = t.id
				WHERE t.id IN ? AND `+gateSQL+`) u`)
	}
	// The last part is one row saying the consent is on, so that no row at all means off.
	parts = append(parts, `SELECT 'on', 0, 0, 0, 0, 0, 0 WHERE `+gateSQL)
	args = append(args, gate...)
	type row struct {
		Part    string
		TopicID int64
		Unread
		Latest int64
	}
	rows, err := database.Rows(s.db.WithContext(ctx).Raw(strings.Join(parts, "\n\t\tUNION ALL "), args...),
		func(r *row) []any {
			return []any{&r.Part, &r.TopicID, &r.New, &r.FirstUnread, &r.Opened, &r.Before, &r.Latest}
		})
	if err != nil {
		return nil, nil, out, fmt.Errorf("privacy: unable to count unread posts: %w", err)
	}
	var cont []row
	for _, r := range rows {
		switch r.Part {
		case "on":
			out.On = true
		case "u":
			out.Topics[r.TopicID] = r.Unread
		case "c":
			cont = append(cont, r)
		}
	}
	learnConsent(ctx, memberID, ReadingHistory, out.On) // the statement's gate: the topic open's check needs no other
	if !out.On {
		return nil, nil, Unreads{Topics: map[int64]Unread{}}, nil
	}
	sort.SliceStable(cont, func(i, j int) bool { return cont[i].Latest > cont[j].Latest })
	ids := make([]int64, len(cont))
	byID := make(map[int64]Unread, len(cont))
	for i, r := range cont {
		ids[i], byID[r.TopicID] = r.TopicID, r.Unread
	}
	return ids, byID, out, nil
}

// ReadPositions lists the viewer's read positions, most recently moved first, with the topics'
// titles as the forum has them now.
func (s *Reading) ReadPositions(ctx context.Context) ([]ReadPosition, error) {
	memberID, err := requireMember(ctx)
	if err != nil {
		return nil, err
	}
	var out []ReadPosition
	err = s.EachReadPosition(ctx, memberID, func(p ReadPosition) error { out = append(out, p); return nil })
	return out, err
}

// EachReadPosition calls fn with each of the member's read positions, most recently moved first.
func (s *Reading) EachReadPosition(ctx context.Context, memberID int64, fn func(ReadPosition) error) error {
	if err := s.record.Flush(ctx); err != nil {
		return err
	}
	list, err := database.Rows(s.db.WithContext(ctx).Raw(`SELECT topic_id, last_read_post_id, read_at FROM read_positions
		WHERE member_id = ? ORDER BY read_at DESC, topic_id DESC`, memberID),
		func(p *ReadPosition) []any { return []any{&p.TopicID, &p.LastReadPostID, &p.ReadAt} })
	if err != nil {
		return fmt.Errorf("privacy: unable to read read positions: %w", err)
	}
	ids := make([]int64, len(list))
	for i, p := range list {
		ids[i] = p.TopicID
	}
	topics, err := forum.TopicRefs(ctx, s.db, ids)
	if err != nil {
		return err
	}
	groupIDs := make([]int64, 0, len(topics))
	for _, t := range topics {
		groupIDs = append(groupIDs, t.GroupID)
	}
	groups, err := forum.GroupRefs(ctx, s.db, groupIDs)
	if err != nil {
		return err
	}
	for _, p := range list {
		t := topics[p.TopicID]
		p.TopicTitle, p.GroupName = t.Title, groups[t.GroupID].Name
		if err := fn(p); err != nil {
			return err
		}
	}
	return nil
}

// ReadPositionCount is how many read positions the viewer's record holds.
func (s *Reading) ReadPositionCount(ctx context.Context) (int64, error) {
	memberID, err := s.flushedMember(ctx)
	if err != nil {
		return 0, err
	}
	n, err := countReadPositions(s.db.WithContext(ctx), memberID, 0)
	if err != nil {
		return 0, fmt.Errorf("privacy: unable to count read positions: %w", err)
	}
	return n, nil
}

// flushedMember returns the viewer once every queued open and position is written.
func (s *Reading) flushedMember(ctx context.Context) (int64, error) {
	memberID, err := requireMember(ctx)
	if err != nil {
		return 0, err
	}
	return memberID, s.record.Flush(ctx)
}

// DeleteReadPosition deletes the viewer's read position in one topic, or all of them when
// topicID is 0, with its entry on the erasure list; it returns how many went.
func (s *Reading) DeleteReadPosition(ctx context.Context, topicID int64) (int64, error) {
	memberID, err := s.flushedMember(ctx)
	if err != nil {
		return 0, err
	}
	var n int64
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		if n, err = countReadPositions(tx, memberID, topicID); err != nil || n == 0 {
			return err
		}
		if err := deleteReadPositions(tx, memberID, topicID); err != nil {
			return err
		}
		return erasures.Record(ctx, tx, erasures.ReadPosition, memberID, topicID)
	})
	if err != nil {
		return 0, fmt.Errorf("privacy: unable to delete read positions: %w", err)
	}
	if n == 0 && topicID != 0 {
		return 0, apperr.New(apperr.ENOTFOUND, "That read position is not in your record (it may already be deleted).")
	}
	return n, nil
}

// deleteReadPositions deletes a member's read position in a topic, or all of them for topic 0.
func deleteReadPositions(db *gorm.DB, memberID, topicID int64) error {
	if topicID == 0 {
		return db.Exec(`DELETE FROM read_positions WHERE member_id = ?`, memberID).Error
	}
	return db.Exec(`DELETE FROM read_positions WHERE member_id = ? AND topic_id = ?`, memberID, topicID).Error
}

func countReadPositions(db *gorm.DB, memberID, topicID int64) (int64, error) {
	var n int64
	q := `SELECT COUNT(*) FROM read_positions WHERE member_id = ?`
	args := []any{memberID}
	if topicID != 0 {
		q, args = q+` AND topic_id = ?`, append(args, topicID)
	}
	err := db.Raw(q, args...).Scan(&n).Error
	return n, err
}
