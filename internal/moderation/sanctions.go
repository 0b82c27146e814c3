package moderation

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/haven-forum/haven/internal/apperr"
	"gorm.io/gorm"
)

// Actions on a member, and on a post sent up to the site admins.
const (
	ActionWarn      = "warn"
	ActionMute      = "mute"
	ActionUnmute    = "unmute"
	ActionRemove    = "remove"
	ActionBan       = "ban"
	ActionUnban     = "unban"
	ActionEscalate  = "escalate"
	ActionSuspend   = "suspend"
	ActionUnsuspend = "unsuspend"
)

// MemberActions are what a group's moderators can do to one of its members, in the order a
// form offers them.
var MemberActions = []string{ActionWarn, ActionMute, ActionUnmute, ActionRemove, ActionBan, ActionUnban}

// Limits on how long a sanction lasts.
const (
	MuteHoursMax   = 720  // 30 days
	SuspendDaysMax = 3650 // 10 years; longer is "for good"
)

// CheckMemberAction returns an EINVALID error unless action is one of MemberActions.
func CheckMemberAction(action string) error {
	for _, a := range MemberActions {
		if a == action {
			return nil
		}
	}
	return apperr.New(apperr.EINVALID, "Haven does not know the action %q: choose warn, mute, unmute, remove, ban or unban.", action)
}

// CheckMuteHours parses how long a mute lasts: whole hours from 1 to MuteHoursMax.
func CheckMuteHours(hours string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(hours))
	if err != nil || n < 1 || n > MuteHoursMax {
		return 0, apperr.New(apperr.EINVALID, "Choose how long the mute lasts: from 1 to %d hours.", MuteHoursMax)
	}
	return n, nil
}

// CheckSuspendDays parses how long a suspension lasts: whole days from 1 to SuspendDaysMax, or
// "forever" (0 days).
func CheckSuspendDays(days string) (int, error) {
	days = strings.TrimSpace(days)
	if days == "forever" {
		return 0, nil
	}
	n, err := strconv.Atoi(days)
	if err != nil || n < 1 || n > SuspendDaysMax {
		return 0, apperr.New(apperr.EINVALID, "Choose how long the suspension lasts: from 1 to %d days, or for good.", SuspendDaysMax)
	}
	return n, nil
}

// postAtRisk reports whether a pending item says the post's author may be at risk, so what is
// sent on keeps that at the top of the queue.
func postAtRisk(ctx context.Context, tx *gorm.DB, postID int64) (bool, error) {
	var n int64
	err := tx.WithContext(ctx).Raw(`SELECT COUNT(*) FROM queue_items WHERE post_id = ? AND status = 'pending' AND at_risk`, postID).Scan(&n).Error
	if err != nil {
		return false, fmt.Errorf("moderation: unable to read the queue: %w", err)
	}
	return n > 0, nil
}

// pendingEscalation reports whether the post is already waiting for the site admins.
func pendingEscalation(ctx context.Context, tx *gorm.DB, postID int64) (bool, error) {
	var n int64
	err := tx.WithContext(ctx).Raw(`SELECT COUNT(*) FROM queue_items WHERE post_id = ? AND status = 'pending' AND kind = ?`,
		postID, KindEscalation).Scan(&n).Error
	if err != nil {
		return false, fmt.Errorf("moderation: unable to read the queue: %w", err)
	}
	return n > 0, nil
}
