package privacy

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/haven-forum/haven/internal/apperr"
	"github.com/haven-forum/haven/internal/erasures"
	"github.com/haven-forum/haven/internal/forum"
	"gorm.io/gorm"
)

// Event kinds and the purpose that covers each. Searches, presence and page visits other than
// topic opens have no kind: they cannot be recorded at all.
const KindTopicOpen = "topic_open"

var coveredBy = map[string]string{KindTopicOpen: ReadingHistory}

// Event is one thing a member did that they allowed to be recorded.
type Event struct {
	ID        int64
	Kind      string
	TopicID   int64
	GroupID   int64
	CreatedAt time.Time
	// For display: the topic's title and group's name as they are now.
	TopicTitle string
	GroupName  string
	GroupSlug  string
}

// RecordTopicOpen records that the viewer opened a topic, if and only if their reading-history
// consent is on at this moment and the request did not carry Global Privacy Control. It reports
// whether anything was written.
func (s *Service) RecordTopicOpen(ctx context.Context, topicID, groupID int64) (bool, error) {
	return s.record(ctx, KindTopicOpen, topicID, groupID, 0)
}

// RecordTopicRead is RecordTopicOpen that also moves the viewer's read position in the topic
// forward to lastPostID, the highest post the page showed them: the same gate, the same
// statement's transaction, the same batch.
func (s *Service) RecordTopicRead(ctx context.Context, topicID, groupID, lastPostID int64) (bool, error) {
	return s.record(ctx, KindTopicOpen, topicID, groupID, lastPostID)
}

func (s *Service) record(ctx context.Context, kind string, topicID, groupID, lastPostID int64) (bool, error) {
	if GPC(ctx) {
		return false, nil
	}
	memberID, ok := viewerID(ctx)
	if !ok {
		return false, nil
	}
	purpose := coveredBy[kind]
	// A cheap look first, so members who never said yes cost no write transaction.
	if on, err := granted(ctx, s.db, memberID, purpose); err != nil || !on {
		return false, err
	}
	e := pendingEvent{memberID: memberID, topicID: topicID, groupID: groupID, lastPostID: lastPostID, at: s.now()}
	if s.batch != nil {
		return true, s.enqueue(ctx, e)
	}
	// One statement checks consent and writes, so a withdrawal racing this view either commits
	// first (and nothing is written) or after this write.
	n, err := s.writeGated(ctx, s.db, []pendingEvent{e})
	return n == 1, err
}

// ActivityFilter narrows the activity list.
type ActivityFilter struct {
	Kind    string
	GroupID int64
	Page    int
}

// where is the filter as SQL on activity_events e, for one member.
func (f ActivityFilter) where(memberID int64) (string, []any) {
	where := "e.member_id = ?"
	args := []any{memberID}
	if f.Kind != "" {
		where += " AND e.kind = ?"
		args = append(args, f.Kind)
	}
	if f.GroupID != 0 {
		where += " AND e.group_id = ?"
		args = append(args, f.GroupID)
	}
	return where, args
}

// ActivityPerPage is the length of a page of the activity list.
const ActivityPerPage = 50

// ActivityPage is one page of the viewer's record.
type ActivityPage struct {
	Events      []Event
	Page, Pages int
	Total       int64
}

// Activity lists the viewer's recorded events, newest first.
func (s *Service) Activity(ctx context.Context, f ActivityFilter) (ActivityPage, error) {
	memberID, err := requireMember(ctx)
	if err != nil {
		return ActivityPage{}, err
	}
	if err := s.Flush(ctx); err != nil {
		return ActivityPage{}, err
	}
	where, args := f.where(memberID)
	var out ActivityPage
	if err := s.db.WithContext(ctx).Raw(`SELECT COUNT(*) FROM activity_events e WHERE `+where, args...).Scan(&out.Total).Error; err != nil {
		return out, fmt.Errorf("privacy: unable to count activity: %w", err)
	}
	out.Pages = int((out.Total + ActivityPerPage - 1) / ActivityPerPage)
	out.Pages = max(out.Pages, 1)
	out.Page = min(max(f.Page, 1), out.Pages)
	err = s.db.WithContext(ctx).Raw(`SELECT e.id, e.kind, e.topic_id, e.group_id, e.created_at FROM activity_events e
		WHERE `+where+` ORDER BY e.id DESC LIMIT ? OFFSET ?`,
		append(args, ActivityPerPage, (out.Page-1)*ActivityPerPage)...).Scan(&out.Events).Error
	if err != nil {
		return out, fmt.Errorf("privacy: unable to list activity: %w", err)
	}
	out.Events, err = withNames(ctx, s.db, out.Events)
	return out, err
}

// withNames gives each event its topic's title and group's name as the forum has them now,
// leaving out events whose topic or group is no longer there.
func withNames(ctx context.Context, db *gorm.DB, events []Event) ([]Event, error) {
	topicIDs, groupIDs := make([]int64, len(events)), make([]int64, len(events))
	for i, e := range events {
		topicIDs[i], groupIDs[i] = e.TopicID, e.GroupID
	}
	topics, err := forum.TopicRefs(ctx, db, topicIDs)
	if err != nil {
		return nil, err
	}
	groups, err := forum.GroupRefs(ctx, db, groupIDs)
	if err != nil {
		return nil, err
	}
	out := events[:0]
	for _, e := range events {
		t, ok := topics[e.TopicID]
		g, found := groups[e.GroupID]
		if !ok || !found {
			continue
		}
		e.TopicTitle, e.GroupName, e.GroupSlug = t.Title, g.Name, g.Slug
		out = append(out, e)
	}
	return out, nil
}

func requireMember(ctx context.Context) (int64, error) {
	v, err := member(ctx)
	return v.ID, err
}

// DeleteEvent deletes one of the viewer's events.
func (s *Service) DeleteEvent(ctx context.Context, id int64) error {
	n, err := s.DeleteEvents(ctx, []int64{id})
	if err == nil && n == 0 {
		return apperr.New(apperr.ENOTFOUND, "That item is not in your record (it may already be deleted).")
	}
	return err
}

// DeleteEvents deletes those of the ids that are the viewer's events (the repeated opens of one
// topic on one day, shown as one line) and returns how many went.
func (s *Service) DeleteEvents(ctx context.Context, ids []int64) (int64, error) {
	memberID, err := requireMember(ctx)
	if err != nil {
		return 0, err
	}
	if err := s.Flush(ctx); err != nil {
		return 0, err
	}
	return s.deleteWhere(ctx, memberID, "e.member_id = ? AND e.id IN ?", memberID, ids)
}

// DeleteRange deletes the viewer's events that the filter shows and that were recorded at or
// after since (zero: all of them), and returns how many went.
func (s *Service) DeleteRange(ctx context.Context, f ActivityFilter, since time.Time) (int64, error) {
	memberID, err := requireMember(ctx)
	if err != nil {
		return 0, err
	}
	if err := s.Flush(ctx); err != nil {
		return 0, err
	}
	where, args := f.where(memberID)
	if !since.IsZero() {
		where += " AND e.created_at >= ?"
		args = append(args, since.UTC())
	}
	return s.deleteWhere(ctx, memberID, where, args...)
}

// deleteWhere deletes the member's events matching where, each with its erasure entry, in one
// transaction.
func (s *Service) deleteWhere(ctx context.Context, memberID int64, where string, args ...any) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var ids []int64
		if err := tx.Raw(`SELECT e.id FROM activity_events e WHERE `+where, args...).Scan(&ids).Error; err != nil || len(ids) == 0 {
			return err
		}
		res := tx.Exec(`DELETE FROM activity_events WHERE member_id = ? AND id IN ?`, memberID, ids)
		if res.Error != nil {
			return res.Error
		}
		n = res.RowsAffected
		for _, id := range ids {
			if err := erasures.Record(ctx, tx, erasures.ActivityItem, memberID, id); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("privacy: unable to delete events: %w", err)
	}
	return n, nil
}

// EraseAll deletes everything recorded about the viewer and everything derived from it, in one
// transaction. It returns how many events and read positions were erased.
func (s *Service) EraseAll(ctx context.Context) (int64, error) {
	memberID, err := requireMember(ctx)
	if err != nil {
		return 0, err
	}
	var n int64
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		if n, err = eraseMember(ctx, tx, memberID); err != nil {
			return err
		}
		return erasures.Record(ctx, tx, erasures.MemberRecord, memberID, 0)
	})
	if err != nil {
		return 0, fmt.Errorf("privacy: unable to erase: %w", err)
	}
	return n, nil
}

// eraseMember removes a member's record and everything derived from it inside tx, and marks
// the moment, so that topic opens still queued from before it are never written.
func eraseMember(ctx context.Context, tx *gorm.DB, memberID int64) (int64, error) {
	if tx.Dialector.Name() == "postgres" {
		// Wait for a batch write that holds the consent share-locked, and make the next one wait
		// for this erase: it then reads erased_before afresh and writes nothing from before it.
		if err := tx.WithContext(ctx).Exec(`SELECT 1 FROM consents WHERE member_id = ? FOR UPDATE`, memberID).Error; err != nil {
			return 0, err
		}
	}
	if err := tx.WithContext(ctx).Exec(`INSERT INTO privacy_settings (member_id, retention_days, erased_before) VALUES (?, ?, ?)
		ON CONFLICT (member_id) DO UPDATE SET erased_before = excluded.erased_before`,
		memberID, DefaultRetentionDays, time.Now().UTC()).Error; err != nil {
		return 0, err
	}
	if err := tx.WithContext(ctx).Exec(`DELETE FROM not_interested WHERE member_id = ?`, memberID).Error; err != nil {
		return 0, err
	}
	positions := tx.WithContext(ctx).Exec(`DELETE FROM read_positions WHERE member_id = ?`, memberID)
	if positions.Error != nil {
		return 0, positions.Error
	}
	res := tx.WithContext(ctx).Exec(`DELETE FROM activity_events WHERE member_id = ?`, memberID)
	return res.RowsAffected + positions.RowsAffected, res.Error
}

// RetentionDays returns how long the viewer's record is kept.
func (s *Service) RetentionDays(ctx context.Context) (int, error) {
	memberID, err := requireMember(ctx)
	if err != nil {
		return 0, err
	}
	var days []int
	if err := s.db.WithContext(ctx).Raw(`SELECT retention_days FROM privacy_settings WHERE member_id = ?`, memberID).Scan(&days).Error; err != nil {
		return 0, fmt.Errorf("privacy: unable to read retention: %w", err)
	}
	if len(days) == 0 {
		return DefaultRetentionDays, nil
	}
	return days[0], nil
}

// SetRetentionDays sets how long the viewer's record is kept, and deletes at once what is
// already older than that.
func (s *Service) SetRetentionDays(ctx context.Context, days int) error {
	memberID, err := requireMember(ctx)
	if err != nil {
		return err
	}
	if !slices.Contains(RetentionChoices, days) {
		return apperr.Invalid(map[string]string{"retention_days": "Choose 30 days, 90 days or 1 year."})
	}
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec(`INSERT INTO privacy_settings (member_id, retention_days) VALUES (?, ?)
			ON CONFLICT (member_id) DO UPDATE SET retention_days = excluded.retention_days`, memberID, days).Error; err != nil {
			return err
		}
		if err := expireMember(tx, memberID, s.now().Add(-time.Duration(days)*24*time.Hour)); err != nil {
			return err
		}
		return erasures.Record(ctx, tx, erasures.Retention, memberID, int64(days))
	})
}

// expireMember deletes a member's events and read positions from before cutoff.
func expireMember(tx *gorm.DB, memberID int64, cutoff time.Time) error {
	if err := tx.Exec(`DELETE FROM activity_events WHERE member_id = ? AND created_at < ?`, memberID, cutoff).Error; err != nil {
		return err
	}
	return tx.Exec(`DELETE FROM read_positions WHERE member_id = ? AND read_at < ?`, memberID, cutoff).Error
}

// PurgeExpired deletes every event older than its member's retention, and what was derived
// from it. It returns how many events it deleted.
func (s *Service) PurgeExpired(ctx context.Context) (int64, error) {
	now := s.now()
	var total int64
	for _, days := range RetentionChoices {
		cutoff := now.Add(-time.Duration(days) * 24 * time.Hour)
		whose := `member_id IN (SELECT member_id FROM privacy_settings WHERE retention_days = ?)`
		if days == DefaultRetentionDays {
			whose = `member_id NOT IN (SELECT member_id FROM privacy_settings WHERE retention_days <> ?)`
		}
		res := s.db.WithContext(ctx).Exec(`DELETE FROM activity_events WHERE created_at < ? AND `+whose, cutoff, days)
		if res.Error != nil {
			return total, fmt.Errorf("privacy: unable to purge: %w", res.Error)
		}
		total += res.RowsAffected
		// A read position is part of the record: it expires like an open, from its last move.
		if err := s.db.WithContext(ctx).Exec(`DELETE FROM read_positions WHERE read_at < ? AND `+whose, cutoff, days).Error; err != nil {
			return total, fmt.Errorf("privacy: unable to purge: %w", err)
		}
	}
	return total, nil
}
