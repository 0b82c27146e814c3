package moderation

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/haven-forum/haven/internal/accounts"
	"github.com/haven-forum/haven/internal/apperr"
	"github.com/haven-forum/haven/internal/forum"
	"gorm.io/gorm"
)

// Sanctions reads, in one query, what was imposed on the member: an unexpired mute or a ban
// in the group, an unexpired suspension anywhere, and the latest reason given for each
// (forum.Moderation: it runs for every access decision about a signed-in viewer).
func (s *Service) Sanctions(ctx context.Context, tx *gorm.DB, groupID, memberID int64) (forum.Sanctions, error) {
	var rows []struct {
		MuteUntil                            *time.Time
		Banned, Suspended                    bool
		SuspendUntil                         *time.Time
		MuteReason, BanReason, SuspendReason string
	}
	now := s.now()
	err := tx.WithContext(ctx).Raw(`SELECT mu.until AS mute_until, (ba.member_id IS NOT NULL) AS banned,
			(su.member_id IS NOT NULL) AS suspended, su.until AS suspend_until,
			CASE WHEN mu.member_id IS NULL THEN '' ELSE COALESCE((SELECT l.reason FROM moderation_log l
				WHERE l.target_member_id = me.id AND l.group_id = mu.group_id AND l.action = 'mute' ORDER BY l.id DESC LIMIT 1), '') END AS mute_reason,
			CASE WHEN ba.member_id IS NULL THEN '' ELSE COALESCE((SELECT l.reason FROM moderation_log l
				WHERE l.target_member_id = me.id AND l.group_id = ba.group_id AND l.action = 'ban' ORDER BY l.id DESC LIMIT 1), '') END AS ban_reason,
			CASE WHEN su.member_id IS NULL THEN '' ELSE COALESCE((SELECT l.reason FROM moderation_log l
				WHERE l.target_member_id = me.id AND l.action = 'suspend' ORDER BY l.id DESC LIMIT 1), '') END AS suspend_reason
		FROM (SELECT CAST(? AS BIGINT) AS id) me
		LEFT JOIN group_sanctions mu ON mu.group_id = ? AND mu.member_id = me.id AND mu.kind = 'mute' AND mu.until > ?
		LEFT JOIN group_sanctions ba ON ba.group_id = ? AND ba.member_id = me.id AND ba.kind = 'ban' AND (ba.until IS NULL OR ba.until > ?)
		LEFT JOIN suspensions su ON su.member_id = me.id AND (su.until IS NULL OR su.until > ?)
		`, memberID, groupID, now, groupID, now, now).Scan(&rows).Error
	if err != nil {
		return forum.Sanctions{}, fmt.Errorf("moderation: unable to read sanctions: %w", err)
	}
	if len(rows) == 0 {
		return forum.Sanctions{}, nil
	}
	r := rows[0]
	out := forum.Sanctions{Muted: r.MuteUntil != nil, Banned: r.Banned, Suspended: r.Suspended}
	switch {
	case out.Suspended:
		out.Message = "An admin suspended your account" + forGood(r.SuspendUntil) + because(r.SuspendReason) + " You can still read."
		out.Until = orZero(r.SuspendUntil)
	case out.Banned:
		out.Message = "A moderator banned you from this group" + because(r.BanReason)
	case out.Muted:
		out.Message = "A moderator muted you in this group" + because(r.MuteReason) + " You can still read."
		out.Until = orZero(r.MuteUntil)
	}
	return out, nil
}

// Sanctioned is a condition, with its arguments, that holds when Sanctions would find anything for
// the member in the group aliased g (forum.Moderation): the same three sanctions, at the same time.
func (s *Service) Sanctioned(memberID int64) (string, []any) {
	now := s.now()
	return `(EXISTS (SELECT 1 FROM group_sanctions sa WHERE sa.group_id = g.id AND sa.member_id = ?
				AND ((sa.kind = 'mute' AND sa.until > ?) OR (sa.kind = 'ban' AND (sa.until IS NULL OR sa.until > ?))))
			OR EXISTS (SELECT 1 FROM suspensions ss WHERE ss.member_id = ? AND (ss.until IS NULL OR ss.until > ?)))`,
		[]any{memberID, now, now, memberID, now}
}

// BannedFrom lists the groups the member is banned from (forum.Moderation).
func (s *Service) BannedFrom(ctx context.Context, tx *gorm.DB, memberID int64) ([]int64, error) {
	var ids []int64
	err := tx.WithContext(ctx).Raw(`SELECT group_id FROM group_sanctions WHERE member_id = ? AND kind = 'ban'`, memberID).Scan(&ids).Error
	if err != nil {
		return nil, fmt.Errorf("moderation: unable to read bans: %w", err)
	}
	return ids, nil
}

// forGood says a suspension has no end; one that ends says when beside the message, as a time.
func forGood(until *time.Time) string {
	if until == nil {
		return " for good"
	}
	return ""
}

func orZero(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}

func because(reason string) string {
	if reason == "" {
		return "."
	}
	if strings.ContainsAny(reason[len(reason)-1:], ".!?") {
		return ": " + reason
	}
	return ": " + reason + "."
}

// MemberAction is a moderator's action on a member of a group.
type MemberAction struct {
	Action   string // one of MemberActions
	Username string
	Reason   string
	Hours    string // how long a mute lasts
	ItemID   int64  // the queue item it answers, if any
}

// target is the member an action is about, and what they are to the group (if any).
type target struct {
	ID       int64
	Username string
	IsAdmin  bool
	Role     string
}

func (s *Service) targetNamed(ctx context.Context, groupID int64, username string) (target, error) {
	m, ok, err := accounts.Named(ctx, s.db, username)
	if err != nil {
		return target{}, err
	}
	if !ok {
		return target{}, apperr.New(apperr.EINVALID, "There is no member with the username %q.", username)
	}
	t := target{ID: m.ID, Username: m.Username, IsAdmin: m.IsAdmin()}
	if groupID != 0 {
		if t.Role, err = forum.GroupRole(ctx, s.db, groupID, m.ID); err != nil {
			return target{}, err
		}
	}
	return t, nil
}

// ActOnMember warns, mutes, removes or bans a member of a group (or lifts a mute or ban), for the
// group's moderators and admins, with the log entry in the same transaction. A moderator cannot
// act on themself, on an admin, or on another moderator of the group (an admin can).
func (s *Service) ActOnMember(ctx context.Context, slug string, in MemberAction) error {
	if err := CheckMemberAction(in.Action); err != nil {
		return err
	}
	if _, err := CheckReason(in.Reason); err != nil {
		return err
	}
	var hours int
	if in.Action == ActionMute {
		var err error
		if hours, err = CheckMuteHours(in.Hours); err != nil {
			return err
		}
	}
	groupID, err := s.forum.GroupIDBySlug(ctx, slug)
	if err != nil {
		return err
	}
	if err := s.forum.RequireModerator(ctx, groupID); err != nil {
		return err
	}
	t, err := s.targetNamed(ctx, groupID, in.Username)
	if err != nil {
		return err
	}
	v, _ := viewer(ctx)
	switch {
	case t.ID == v.ID:
		return apperr.New(apperr.EFORBIDDEN, "You cannot take a moderation action on yourself.")
	case t.IsAdmin:
		return apperr.New(apperr.EFORBIDDEN, "Site admins cannot be warned, muted, removed or banned in a group.")
	case t.Role == forum.RoleModerator && !v.IsAdmin():
		return apperr.New(apperr.EFORBIDDEN, "%s is a moderator of this group: only an admin can act on them.", t.Username)
	}
	e := Entry{Action: in.Action, TargetKind: "member", TargetID: t.ID, TargetMemberID: t.ID}
	return s.moderate(ctx, groupID, in.Reason, e, func(tx *gorm.DB) error {
		if err := s.resolveItem(ctx, tx, groupID, in.ItemID, in.Action); err != nil {
			return err
		}
		return s.applyMemberAction(ctx, tx, groupID, t, in.Action, hours)
	})
}

// resolveItem closes the queue item an action answers; another moderator may have got there first.
func (s *Service) resolveItem(ctx context.Context, tx *gorm.DB, groupID, itemID int64, action string) error {
	if itemID == 0 {
		return nil
	}
	gid, _, err := itemGroup(ctx, tx, itemID)
	if err != nil {
		return err
	}
	if gid != groupID {
		return apperr.New(apperr.EINVALID, "That queue item is about another group.")
	}
	v, _ := viewer(ctx)
	return resolveItem(ctx, tx, itemID, v.ID, action, s.now())
}

func (s *Service) applyMemberAction(ctx context.Context, tx *gorm.DB, groupID int64, t target, action string, hours int) error {
	now := s.now()
	sanction := func(kind string, until *time.Time) error {
		return tx.WithContext(ctx).Exec(`INSERT INTO group_sanctions (group_id, member_id, kind, until, created_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (group_id, member_id, kind) DO UPDATE SET until = excluded.until, created_at = excluded.created_at`,
			groupID, t.ID, kind, until, now).Error
	}
	lifted := func(conflict string, res *gorm.DB) error {
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return apperr.New(apperr.ECONFLICT, conflict, t.Username)
		}
		return nil
	}
	switch action {
	case ActionMute:
		until := now.Add(time.Duration(hours) * time.Hour)
		return sanction("mute", &until)
	case ActionUnmute:
		return lifted("%s is not muted in this group.", tx.WithContext(ctx).Exec(
			`DELETE FROM group_sanctions WHERE group_id = ? AND member_id = ? AND kind = 'mute' AND until > ?`, groupID, t.ID, now))
	case ActionRemove:
		removed, err := s.forum.RemoveFromGroup(ctx, tx, groupID, t.ID)
		if err != nil {
			return err
		}
		if !removed {
			return apperr.New(apperr.ECONFLICT, "%s is not in this group.", t.Username)
		}
		return nil
	case ActionBan:
		if err := s.forum.ShutOut(ctx, tx, groupID, t.ID); err != nil {
			return err
		}
		return sanction("ban", nil)
	case ActionUnban:
		return lifted("%s is not banned from this group.", tx.WithContext(ctx).Exec(
			`DELETE FROM group_sanctions WHERE group_id = ? AND member_id = ? AND kind = 'ban'`, groupID, t.ID))
	}
	return nil // a warning is its log entry
}

// Escalate sends a post to the site admins, as a queue item they see, for the post's group's
// moderators. The reports about the post are closed: the admins take it from here.
func (s *Service) Escalate(ctx context.Context, postID int64, reason string, itemID int64) error {
	p, err := s.forum.PostToModerate(ctx, postID)
	if err != nil {
		return err
	}
	e := Entry{Action: ActionEscalate, TargetKind: "post", TargetID: p.ID, TargetMemberID: p.AuthorID}
	return s.moderate(ctx, p.GroupID, reason, e, func(tx *gorm.DB) error {
		if err := s.resolveItem(ctx, tx, p.GroupID, itemID, ActionEscalate); err != nil {
			return err
		}
		waiting, err := pendingEscalation(ctx, tx, p.ID)
		if err != nil {
			return err
		}
		if waiting {
			return apperr.New(apperr.ECONFLICT, "This post is already waiting for the site admins.")
		}
		atRisk, err := postAtRisk(ctx, tx, p.ID)
		if err != nil {
			return err
		}
		v, _ := viewer(ctx)
		if err := resolvePost(ctx, tx, p.ID, v.ID, ActionEscalate, s.now()); err != nil {
			return err
		}
		why, _ := CheckReason(reason)
		return addItem(ctx, tx, Item{GroupID: p.GroupID, Kind: KindEscalation, PostID: p.ID,
			MemberID: p.AuthorID, AtRisk: atRisk, Detail: why}, s.now())
	})
}

// Suspend stops a member posting anywhere for days (0: for good); admins only, and never on an
// admin. It returns the member's id so their sessions can be ended.
func (s *Service) Suspend(ctx context.Context, username, reason, days string) (int64, error) {
	n, err := CheckSuspendDays(days)
	if err != nil {
		return 0, err
	}
	var until *time.Time
	if n > 0 {
		t := s.now().AddDate(0, 0, n)
		until = &t
	}
	return s.suspension(ctx, username, reason, ActionSuspend, func(tx *gorm.DB, t target) error {
		return tx.Exec(`INSERT INTO suspensions (member_id, until, created_at) VALUES (?, ?, ?)
			ON CONFLICT (member_id) DO UPDATE SET until = excluded.until, created_at = excluded.created_at`, t.ID, until, s.now()).Error
	})
}

// LiftSuspension lets a suspended member post again; admins only.
func (s *Service) LiftSuspension(ctx context.Context, username, reason string) error {
	_, err := s.suspension(ctx, username, reason, ActionUnsuspend, func(tx *gorm.DB, t target) error {
		res := tx.Exec(`DELETE FROM suspensions WHERE member_id = ? AND (until IS NULL OR until > ?)`, t.ID, s.now())
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return apperr.New(apperr.ECONFLICT, "%s is not suspended.", t.Username)
		}
		return nil
	})
	return err
}

func (s *Service) suspension(ctx context.Context, username, reason, action string, act func(tx *gorm.DB, t target) error) (int64, error) {
	v, err := requireSignedIn(ctx)
	if err != nil {
		return 0, err
	}
	if !v.IsAdmin() {
		return 0, errNotFound // the admin area does not announce itself
	}
	why, err := CheckReason(reason)
	if err != nil {
		return 0, err
	}
	t, err := s.targetNamed(ctx, 0, username)
	if err != nil {
		return 0, err
	}
	if t.ID == v.ID || t.IsAdmin {
		return 0, apperr.New(apperr.EFORBIDDEN, "An admin's account cannot be suspended.")
	}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := act(tx, t); err != nil {
			return err
		}
		return appendEntry(ctx, tx, Entry{ActorID: v.ID, Action: action, TargetKind: "member", TargetID: t.ID,
			TargetMemberID: t.ID, Reason: why})
	})
	return t.ID, err
}

// Appeal asks for one action on the viewer to be looked at again, once. The appeal joins the
// queue of the group where it was taken, assigned to one of its other moderators if it has one.
func (s *Service) Appeal(ctx context.Context, logID int64, text string) error {
	v, err := requireSignedIn(ctx)
	if err != nil {
		return err
	}
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		e, err := actionOn(ctx, tx, logID, v.ID)
		if err != nil {
			return err
		}
		if !e.Appealable() {
			return apperr.New(apperr.EINVALID, "This action cannot be appealed here.")
		}
		if text, err = CheckAppeal(text); err != nil {
			return err
		}
		if err := fileAppeal(ctx, tx, logID, v.ID, text, s.now()); err != nil {
			return err
		}
		reviewer, err := s.appealReviewer(ctx, tx, e.GroupID, e.ActorID, v.ID)
		if err != nil {
			return err
		}
		it := Item{GroupID: e.GroupID, Kind: KindAppeal, MemberID: v.ID, Detail: text, AppealOf: logID, AssignedTo: reviewer}
		if e.TargetKind == "post" {
			_, exists, err := forum.PostAuthor(ctx, tx, e.TargetID)
			if err != nil {
				return err
			}
			if exists {
				it.PostID = e.TargetID
			}
		}
		return addItem(ctx, tx, it, s.now())
	})
}

// appealReviewer picks the group's moderator with the fewest assigned items waiting, other than
// the one who acted and the member appealing; 0 when there is none.
func (s *Service) appealReviewer(ctx context.Context, tx *gorm.DB, groupID, actorID, memberID int64) (int64, error) {
	mods, err := forum.GroupModerators(ctx, tx, groupID)
	if err != nil {
		return 0, err
	}
	mods = slices.DeleteFunc(mods, func(id int64) bool { return id == actorID || id == memberID })
	if len(mods) == 0 {
		return 0, nil
	}
	var loads []struct{ AssignedTo, N int64 }
	err = tx.WithContext(ctx).Raw(`SELECT assigned_to, COUNT(*) AS n FROM queue_items WHERE status = 'pending' AND assigned_to IN ?
		GROUP BY assigned_to`, mods).Scan(&loads).Error
	if err != nil {
		return 0, fmt.Errorf("moderation: unable to choose a moderator: %w", err)
	}
	load := map[int64]int64{}
	for _, l := range loads {
		load[l.AssignedTo] = l.N
	}
	best := mods[0] // mods come lowest id first, which breaks ties
	for _, id := range mods[1:] {
		if load[id] < load[best] {
			best = id
		}
	}
	return best, nil
}
