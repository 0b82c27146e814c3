package moderation

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/haven-forum/haven/internal/accounts"
	"github.com/haven-forum/haven/internal/apperr"
	"github.com/haven-forum/haven/internal/forum"
	"gorm.io/gorm"
)

// OnMember is one action on a member's content or account as the member sees it: what, where,
// why and when, never which moderator acted or who reported them.
type OnMember struct {
	ID         int64
	Action     string
	ByAdmin    bool  // the actor is a site admin: "an admin" rather than "a moderator"
	ActorID    int64 // only to send an appeal to someone else; never shown
	GroupID    int64
	GroupName  string // "" for site-wide actions, or a group deleted since
	TargetKind string
	TargetID   int64
	Reason     string
	CreatedAt  time.Time
	Appealed   bool
}

// OnMemberPerPage is the length of a page of the member's own record.
const OnMemberPerPage = 50

// AppealMax is the longest appeal a member can write.
const AppealMax = 2000

const onMemberSelect = `SELECT l.id, l.action, COALESCE(l.actor_id, 0) AS actor_id, COALESCE(l.group_id, 0) AS group_id,
		l.target_kind, l.target_id, l.reason, l.created_at, (ap.log_id IS NOT NULL) AS appealed
	FROM moderation_log l LEFT JOIN appeals ap ON ap.log_id = l.id
	WHERE l.target_member_id = ?`

// onMemberNames says, from accounts and the forum, whether each actor is an admin and what
// each group is called.
func onMemberNames(ctx context.Context, db *gorm.DB, list []OnMember) error {
	var actors, groups []int64
	for _, e := range list {
		actors, groups = append(actors, e.ActorID), append(groups, e.GroupID)
	}
	members, err := accounts.Members(ctx, db, actors)
	if err != nil {
		return err
	}
	names, err := forum.GroupRefs(ctx, db, groups)
	if err != nil {
		return err
	}
	for i := range list {
		list[i].ByAdmin = members[list[i].ActorID].IsAdmin()
		list[i].GroupName = names[list[i].GroupID].Name
	}
	return nil
}

// ActionsOn lists page (from 1) of the actions on a member, newest first, and how many there are.
func (s *Service) ActionsOn(ctx context.Context, memberID int64, page int) ([]OnMember, int, error) {
	var total int64
	if err := s.db.WithContext(ctx).Raw(`SELECT COUNT(*) FROM moderation_log WHERE target_member_id = ?`, memberID).Scan(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("moderation: unable to count actions on a member: %w", err)
	}
	var out []OnMember
	err := s.db.WithContext(ctx).Raw(onMemberSelect+` ORDER BY l.id DESC LIMIT ? OFFSET ?`, memberID, OnMemberPerPage,
		(max(page, 1)-1)*OnMemberPerPage).Scan(&out).Error
	if err != nil {
		return nil, 0, fmt.Errorf("moderation: unable to list actions on a member: %w", err)
	}
	return out, int(total), onMemberNames(ctx, s.db, out)
}

// RecentOn lists at most limit actions on a member since a time, newest first: their notices.
func (s *Service) RecentOn(ctx context.Context, memberID int64, since time.Time, limit int) ([]OnMember, error) {
	var out []OnMember
	err := s.db.WithContext(ctx).Raw(onMemberSelect+` AND l.created_at >= ? ORDER BY l.id DESC LIMIT ?`, memberID, since, limit).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("moderation: unable to list recent actions on a member: %w", err)
	}
	return out, onMemberNames(ctx, s.db, out)
}

// actionOn returns one action on the member, or ENOTFOUND when it is not about them: nobody
// learns of actions on someone else.
func actionOn(ctx context.Context, tx *gorm.DB, logID, memberID int64) (OnMember, error) {
	var out []OnMember
	if err := tx.WithContext(ctx).Raw(onMemberSelect+` AND l.id = ?`, memberID, logID).Scan(&out).Error; err != nil {
		return OnMember{}, fmt.Errorf("moderation: unable to read an action: %w", err)
	}
	if len(out) == 0 {
		return OnMember{}, apperr.New(apperr.ENOTFOUND, "There is no such action on your account.")
	}
	if err := onMemberNames(ctx, tx, out); err != nil {
		return OnMember{}, err
	}
	return out[0], nil
}

// appealable are the actions a member can ask a moderator to look at again: those that took
// something away from them in a group. A suspension has no group whose moderators could review
// it, and lifting a sanction is nothing to appeal.
var appealable = map[string]bool{
	ActionHidePost: true, ActionDeletePost: true, ActionLockTopic: true,
	ActionWarn: true, ActionMute: true, ActionRemove: true, ActionBan: true,
}

// Appealable reports whether the member can appeal the action (once).
func (e OnMember) Appealable() bool {
	return appealable[e.Action] && e.GroupID != 0 && e.GroupName != ""
}

// what each action did, in the member's words: the verb phrase and how the group follows it.
var described = map[string][2]string{
	ActionHidePost:     {"hid your post", "in"},
	ActionUnhidePost:   {"showed your post again", "in"},
	ActionDeletePost:   {"deleted your post", "in"},
	ActionLockTopic:    {"locked your topic", "in"},
	ActionUnlock:       {"unlocked your topic", "in"},
	ActionPinTopic:     {"pinned your topic", "in"},
	ActionUnpinTopic:   {"unpinned your topic", "in"},
	ActionDismiss:      {"looked at a report about your post and left it as it was", "in"},
	ActionRevealAuthor: {"looked up who wrote your anonymous post", "in"},
	ActionWarn:         {"warned you", "in"},
	ActionMute:         {"muted you", "in"},
	ActionUnmute:       {"ended your mute", "in"},
	ActionRemove:       {"removed you", "from"},
	ActionBan:          {"banned you", "from"},
	ActionUnban:        {"lifted your ban", "in"},
	ActionEscalate:     {"asked the site admins to look at your post", "in"},
	ActionSuspend:      {"suspended your account", ""},
	ActionUnsuspend:    {"lifted your account's suspension", ""},
}

// Describe says in plain words what was done: "A moderator hid your post in Grief Support".
func (e OnMember) Describe() string {
	who := "A moderator"
	if e.ByAdmin {
		who = "An admin"
	}
	d, ok := described[e.Action]
	if !ok {
		d = [2]string{"took an action (" + strings.ReplaceAll(e.Action, "_", " ") + ")", "in"}
	}
	s := who + " " + d[0]
	if e.GroupName != "" && d[1] != "" {
		s += " " + d[1] + " " + e.GroupName
	}
	return s
}

// CheckAppeal returns the appeal trimmed, or an EINVALID error when it is empty or too long.
func CheckAppeal(text string) (string, error) {
	return requiredText("text", text, AppealMax, "Say why the action should be looked at again.", "An appeal")
}

// fileAppeal records the member's one appeal of an action inside tx; a second is an ECONFLICT.
func fileAppeal(ctx context.Context, tx *gorm.DB, logID, memberID int64, text string, now time.Time) error {
	res := tx.WithContext(ctx).Exec(`INSERT INTO appeals (log_id, member_id, text, created_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (log_id) DO NOTHING`, logID, memberID, text, now)
	if res.Error != nil {
		return fmt.Errorf("moderation: unable to record an appeal: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return apperr.New(apperr.ECONFLICT, "You have already appealed this action, and each action can be appealed once. A moderator will look at your appeal.")
	}
	return nil
}
