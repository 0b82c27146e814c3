package moderation

import (
	"context"
	"fmt"
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
func (s *Service) EachAbout(ctx context.Context, memberID int64, fn func(Action) error) error {
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
