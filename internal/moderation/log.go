// Package moderation owns the moderation record: an append-only log of what moderators and
// admins did, with who, what, target, reason and time. This package has no code path that
// updates or deletes an entry, and the database refuses both.
package moderation

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/haven-forum/haven/internal/apperr"
	"gorm.io/gorm"
)

// Actions recorded in the log.
const (
	ActionRevealAuthor = "reveal_author"
)

// ReasonMax is the longest reason a moderator can give.
const ReasonMax = 500

// Entry is one action.
type Entry struct {
	ActorID        int64
	GroupID        int64
	Action         string
	TargetKind     string // "post", "topic", "member", "group"
	TargetID       int64
	TargetMemberID int64 // the member the action touches, if any
	Reason         string
}

// CheckReason returns the reason trimmed, or an EINVALID error when it is missing or too long.
func CheckReason(reason string) (string, error) {
	reason = strings.TrimSpace(reason)
	switch n := utf8.RuneCountInString(reason); {
	case n == 0:
		return "", apperr.Invalid(map[string]string{"reason": "Give a reason: it goes into the moderation record."})
	case n > ReasonMax:
		return "", apperr.Invalid(map[string]string{"reason": fmt.Sprintf("A reason is at most %d characters long.", ReasonMax)})
	}
	return reason, nil
}

// Append writes an entry inside the caller's transaction, so the action and its record stand or
// fall together.
func Append(ctx context.Context, tx *gorm.DB, e Entry) error {
	var group, member any
	if e.GroupID != 0 {
		group = e.GroupID
	}
	if e.TargetMemberID != 0 {
		member = e.TargetMemberID
	}
	err := tx.WithContext(ctx).Exec(`INSERT INTO moderation_log (actor_id, group_id, action, target_kind, target_id, target_member_id, reason, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, e.ActorID, group, e.Action, e.TargetKind, e.TargetID, member, e.Reason, time.Now().UTC()).Error
	if err != nil {
		return fmt.Errorf("moderation: unable to record %s: %w", e.Action, err)
	}
	return nil
}
