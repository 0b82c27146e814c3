package moderation

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"
)

// Action is an entry about a member, as their export shows it: what was done to their content
// or account and why, never who did it (or who asked for it).
type Action struct {
	Action     string
	TargetKind string
	TargetID   int64
	GroupID    *int64
	Reason     string
	CreatedAt  time.Time
}

// EachAbout calls fn with each entry whose action touched the member, oldest first, reading
// one row at a time.
func (s *Records) EachAbout(ctx context.Context, memberID int64, fn func(Action) error) error {
	rows, err := s.db.WithContext(ctx).Raw(`SELECT action, target_kind, target_id, group_id, reason, created_at
		FROM moderation_log WHERE target_member_id = ? ORDER BY id`, memberID).Rows()
	if err != nil {
		return fmt.Errorf("moderation: unable to read the record: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var a Action
		if err := rows.Scan(&a.Action, &a.TargetKind, &a.TargetID, &a.GroupID, &a.Reason, &a.CreatedAt); err != nil {
			return fmt.Errorf("moderation: unable to read the record: %w", err)
		}
		if err := fn(a); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("moderation: unable to read the record: %w", err)
	}
	return nil
}

// What the moderation tables hold about a member, for their export and dashboard. Reporters
// of the member's posts are never named; a member's own reports are theirs to see.

// QueueItemAbout is an item in the moderators' queue about the member or one of their posts.
type QueueItemAbout struct {
	ID            int64
	Kind          string // report, concern (the automatic crisis-phrase check), held, appeal, escalation
	GroupID       int64
	PostID        *int64
	AtRisk        bool
	Status        string
	HandledAction *string
	HandledAt     *time.Time
	CreatedAt     time.Time
}

// QueueItemsAbout returns the queue items naming the member or one of postIDs (their posts).
func (s *Records) QueueItemsAbout(ctx context.Context, memberID int64, postIDs []int64) ([]QueueItemAbout, error) {
	const cols = `SELECT id, kind, group_id, post_id, at_risk, status, handled_action, handled_at, created_at FROM queue_items`
	seen := map[int64]bool{}
	var out []QueueItemAbout
	add := func(q string, args ...any) error {
		var rows []QueueItemAbout
		if err := s.db.WithContext(ctx).Raw(q, args...).Scan(&rows).Error; err != nil {
			return fmt.Errorf("moderation: unable to read the queue: %w", err)
		}
		for _, r := range rows {
			if !seen[r.ID] {
				seen[r.ID] = true
				out = append(out, r)
			}
		}
		return nil
	}
	if err := add(cols+` WHERE member_id = ?`, memberID); err != nil {
		return nil, err
	}
	for start := 0; start < len(postIDs); start += 500 {
		if err := add(cols+` WHERE post_id IN ?`, postIDs[start:min(start+500, len(postIDs))]); err != nil {
			return nil, err
		}
	}
	slices.SortFunc(out, func(a, b QueueItemAbout) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

// FiledReport is a report the member made about a post.
type FiledReport struct {
	PostID    int64
	Reason    string
	Details   string
	CreatedAt time.Time
}

// ReportsBy returns the reports the member filed, oldest first.
func (s *Records) ReportsBy(ctx context.Context, memberID int64) ([]FiledReport, error) {
	var out []FiledReport
	err := s.db.WithContext(ctx).Raw(`SELECT post_id, reason, details, created_at FROM reports WHERE reporter_id = ? ORDER BY id`,
		memberID).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("moderation: unable to read reports: %w", err)
	}
	return out, nil
}

// FiledAppeal is an appeal the member made against an action on them.
type FiledAppeal struct {
	LogID     int64
	Text      string
	CreatedAt time.Time
}

// AppealsBy returns the member's appeals, oldest first.
func (s *Records) AppealsBy(ctx context.Context, memberID int64) ([]FiledAppeal, error) {
	var out []FiledAppeal
	err := s.db.WithContext(ctx).Raw(`SELECT log_id, text, created_at FROM appeals WHERE member_id = ? ORDER BY created_at, log_id`,
		memberID).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("moderation: unable to read appeals: %w", err)
	}
	return out, nil
}

// Sanction is a mute or ban in a group, or a suspension from the whole site (GroupID 0).
type Sanction struct {
	Kind      string // mute, ban, suspension
	GroupID   int64
	Until     *time.Time // nil: until lifted
	CreatedAt time.Time
}

// SanctionsOn returns the sanctions in force or on record for the member.
func (s *Records) SanctionsOn(ctx context.Context, memberID int64) ([]Sanction, error) {
	var out []Sanction
	err := s.db.WithContext(ctx).Raw(`SELECT kind, group_id, until, created_at FROM group_sanctions WHERE member_id = ?
		UNION ALL SELECT 'suspension', 0, until, created_at FROM suspensions WHERE member_id = ?
		ORDER BY created_at`, memberID, memberID).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("moderation: unable to read sanctions: %w", err)
	}
	return out, nil
}

// ModeratorAction is an entry of the moderation record the member made as a moderator or admin.
type ModeratorAction struct {
	Action     string
	TargetKind string
	TargetID   int64
	GroupID    *int64
	Reason     string
	CreatedAt  time.Time
}

// ActionsBy returns what the member did as a moderator or admin, oldest first.
func (s *Records) ActionsBy(ctx context.Context, memberID int64) ([]ModeratorAction, error) {
	var out []ModeratorAction
	err := s.db.WithContext(ctx).Raw(`SELECT action, target_kind, target_id, group_id, reason, created_at
		FROM moderation_log WHERE actor_id = ? ORDER BY id`, memberID).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("moderation: unable to read the record: %w", err)
	}
	return out, nil
}

// HandledItems counts the queue items assigned to or handled by the member as a moderator.
func (s *Records) HandledItems(ctx context.Context, memberID int64) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Raw(`SELECT COUNT(*) FROM queue_items WHERE handled_by = ? OR assigned_to = ?`, memberID, memberID).Scan(&n).Error
	if err != nil {
		return 0, fmt.Errorf("moderation: unable to read the queue: %w", err)
	}
	return n, nil
}
