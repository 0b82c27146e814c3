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
	return requiredText("reason", reason, ReasonMax, "Give a reason: it goes into the moderation record.", "A reason")
}

// requiredText trims text for a form field and refuses it, with a message on that field, when
// it is empty or longer than most.
func requiredText(field, text string, most int, empty, noun string) (string, error) {
	text = strings.TrimSpace(text)
	switch n := utf8.RuneCountInString(text); {
	case n == 0:
		return "", apperr.Invalid(map[string]string{field: empty})
	case n > most:
		return "", apperr.Invalid(map[string]string{field: fmt.Sprintf("%s is at most %d characters long.", noun, most)})
	}
	return text, nil
}

// appendEntry writes an entry inside the caller's transaction, so the action and its record stand or
// fall together.
func appendEntry(ctx context.Context, tx *gorm.DB, e Entry) error {
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
