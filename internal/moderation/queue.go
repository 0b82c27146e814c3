package moderation

import (
	"cmp"
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/haven-forum/haven/internal/accounts"
	"github.com/haven-forum/haven/internal/apperr"
	"github.com/haven-forum/haven/internal/forum"
	"gorm.io/gorm"
)

// Report reasons. at_risk is a concern for the person, not an accusation.
const (
	ReasonAtRisk         = "at_risk"
	ReasonHarassment     = "harassment"
	ReasonSpam           = "spam"
	ReasonMisinformation = "misinformation"
	ReasonOther          = "other"
)

// ReportReasons in the order the form offers them.
var ReportReasons = []struct{ Key, Label string }{
	{ReasonAtRisk, "I'm worried about this person"},
	{ReasonHarassment, "Harassment or unkindness"},
	{ReasonSpam, "Spam or advertising"},
	{ReasonMisinformation, "Harmful misinformation"},
	{ReasonOther, "Something else"},
}

// Queue item kinds.
const (
	KindReport     = forum.QueueReport
	KindConcern    = forum.QueueConcern // a crisis phrase in a new post
	KindHeld       = forum.QueueHeld    // a post waiting for approval
	KindAppeal     = "appeal"
	KindEscalation = "escalation"
)

// Actions recorded in the log (besides ActionRevealAuthor).
const (
	ActionDismiss    = "dismiss"
	ActionHidePost   = "hide_post"
	ActionUnhidePost = "unhide_post"
	ActionDeletePost = "delete_post"
	ActionLockTopic  = "lock_topic"
	ActionUnlock     = "unlock_topic"
	ActionPinTopic   = "pin_topic"
	ActionUnpinTopic = "unpin_topic"
	ActionSlowMode   = "slow_mode"
	ActionMoveTopic  = "move_topic"
)

// DetailsMax is the longest note a reporter can add.
const DetailsMax = 1000

// ReportInput is one member's report of one post.
type ReportInput struct {
	PostID, GroupID, AuthorID, ReporterID int64
	Reason, Details                       string
}

// report files a report inside tx. Reports of a post merge into one pending item with a count;
// an at-risk report raises the item to the top. A member reporting the same post again changes
// nothing.
func report(ctx context.Context, tx *gorm.DB, in ReportInput, now time.Time) error {
	valid := false
	for _, r := range ReportReasons {
		valid = valid || r.Key == in.Reason
	}
	if !valid {
		return apperr.Invalid(map[string]string{"reason": "Choose one of the reasons."})
	}
	in.Details = strings.TrimSpace(in.Details)
	if utf8.RuneCountInString(in.Details) > DetailsMax {
		return apperr.Invalid(map[string]string{"details": fmt.Sprintf("A note is at most %d characters long.", DetailsMax)})
	}
	var already int64
	if err := tx.WithContext(ctx).Raw(`SELECT COUNT(*) FROM reports WHERE post_id = ? AND reporter_id = ?`, in.PostID, in.ReporterID).Scan(&already).Error; err != nil {
		return err
	}
	if already > 0 {
		return nil
	}
	atRisk := in.Reason == ReasonAtRisk
	var ids []int64
	if err := tx.WithContext(ctx).Raw(`SELECT id FROM queue_items WHERE post_id = ? AND kind = ? AND status = 'pending'`,
		in.PostID, KindReport).Scan(&ids).Error; err != nil {
		return err
	}
	var itemID int64
	if len(ids) > 0 {
		itemID = ids[0]
		if err := tx.WithContext(ctx).Exec(`UPDATE queue_items SET report_count = report_count + 1,
			at_risk = (at_risk OR ?) WHERE id = ?`, atRisk, itemID).Error; err != nil {
			return err
		}
	} else {
		if err := tx.WithContext(ctx).Raw(`INSERT INTO queue_items (group_id, kind, post_id, member_id, at_risk, report_count, created_at)
			VALUES (?, ?, ?, ?, ?, 1, ?) RETURNING id`, in.GroupID, KindReport, in.PostID, nullable(in.AuthorID), atRisk, now).Scan(&itemID).Error; err != nil {
			return err
		}
	}
	return tx.WithContext(ctx).Exec(`INSERT INTO reports (item_id, post_id, reporter_id, reason, details, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		itemID, in.PostID, in.ReporterID, in.Reason, in.Details, now).Error
}

func nullable(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// Item is a new queue item.
type Item struct {
	GroupID    int64
	Kind       string
	PostID     int64
	MemberID   int64
	AtRisk     bool
	Detail     string
	AppealOf   int64 // the log entry an appeal is about
	AssignedTo int64 // a moderator it should go to, if any
}

// addItem puts something in front of the group's moderators.
func addItem(ctx context.Context, tx *gorm.DB, it Item, now time.Time) error {
	return tx.WithContext(ctx).Exec(`INSERT INTO queue_items (group_id, kind, post_id, member_id, at_risk, detail, appeal_log_id, assigned_to, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, it.GroupID, it.Kind, nullable(it.PostID), nullable(it.MemberID), it.AtRisk, it.Detail,
		nullable(it.AppealOf), nullable(it.AssignedTo), now).Error
}

// resolveItem marks one pending item handled by actor. If it was handled already (another
// moderator got there first) it returns an ECONFLICT error naming who.
func resolveItem(ctx context.Context, tx *gorm.DB, itemID, actorID int64, action string, now time.Time) error {
	res := tx.WithContext(ctx).Exec(`UPDATE queue_items SET status = 'handled', handled_by = ?, handled_action = ?, handled_at = ?
		WHERE id = ? AND status = 'pending'`, actorID, action, now, itemID)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 1 {
		return nil
	}
	var by []struct{ HandledBy int64 }
	tx.WithContext(ctx).Raw(`SELECT COALESCE(handled_by, 0) AS handled_by FROM queue_items WHERE id = ?`, itemID).Scan(&by)
	if len(by) == 0 {
		return apperr.New(apperr.ENOTFOUND, "That item is not in the queue.")
	}
	names, err := accounts.Usernames(ctx, tx, []int64{by[0].HandledBy})
	if err != nil {
		return err
	}
	return apperr.New(apperr.ECONFLICT, "Already handled by %s.", cmp.Or(names[by[0].HandledBy], "a former member"))
}

// resolvePost marks every pending item about a post handled (a moderator acted on the post).
func resolvePost(ctx context.Context, tx *gorm.DB, postID, actorID int64, action string, now time.Time) error {
	return tx.WithContext(ctx).Exec(`UPDATE queue_items SET status = 'handled', handled_by = ?, handled_action = ?, handled_at = ?
		WHERE post_id = ? AND status = 'pending' AND kind <> ?`, actorID, action, now, postID, KindAppeal).Error
}

// itemGroup returns the group and post of a queue item.
var errNoItem = apperr.New(apperr.ENOTFOUND, "That item is not in the queue.")

func itemGroup(ctx context.Context, db *gorm.DB, itemID int64) (groupID, postID int64, err error) {
	var rows []struct{ GroupID, PostID int64 }
	if err := db.WithContext(ctx).Raw(`SELECT group_id, COALESCE(post_id, 0) AS post_id FROM queue_items WHERE id = ?`, itemID).Scan(&rows).Error; err != nil {
		return 0, 0, err
	}
	if len(rows) == 0 {
		return 0, 0, errNoItem
	}
	return rows[0].GroupID, rows[0].PostID, nil
}
