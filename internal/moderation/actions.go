package moderation

import (
	"context"
	"fmt"

	"github.com/haven-forum/haven/internal/accounts"
	"github.com/haven-forum/haven/internal/apperr"
	"github.com/haven-forum/haven/internal/forum"
	"gorm.io/gorm"
)

// Scope is the groups the viewer moderates (every group for site admins).
func (s *Service) Scope(ctx context.Context) (Scope, error) {
	v, err := requireSignedIn(ctx)
	if err != nil {
		return Scope{}, err
	}
	if v.IsAdmin() {
		return ScopeOf(v, nil), nil
	}
	ids, err := s.forum.ModeratedGroupIDs(ctx, v.ID)
	if err != nil {
		return Scope{}, err
	}
	return ScopeOf(v, ids), nil
}

// ScopeOf is Scope for a viewer whose moderated groups were already read (the page header reads
// them with the unread count, forum.Inbox.Header).
func ScopeOf(v accounts.Viewer, moderates []int64) Scope {
	if v.IsAdmin() {
		return Scope{All: true, Viewer: v.ID}
	}
	return Scope{GroupIDs: moderates, Viewer: v.ID}
}

// ReportPost files the viewer's report of a post they can read. The author is never told who.
func (s *Service) ReportPost(ctx context.Context, postID int64, reason, details string) error {
	v, err := requireSignedIn(ctx)
	if err != nil {
		return err
	}
	p, err := s.forum.PostToModerate(ctx, postID)
	if err != nil {
		return err
	}
	// Muted and banned members may still report: someone being harassed must be able to say so.
	sanction, err := s.Sanctions(ctx, s.db, p.GroupID, v.ID)
	if err != nil {
		return err
	}
	if sanction.Suspended {
		return sanction.Refusal()
	}
	if p.Deleted {
		return apperr.New(apperr.EINVALID, "That post was deleted.")
	}
	in := ReportInput{PostID: p.ID, GroupID: p.GroupID, ReporterID: v.ID, Reason: reason, Details: details}
	if p.AuthorID != 0 {
		if p.AuthorID == v.ID {
			return apperr.New(apperr.EINVALID, "You cannot report your own post; you can edit or delete it.")
		}
		in.AuthorID = p.AuthorID
	}
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return report(ctx, tx, in, s.now())
	})
}

// moderate runs a moderator's action in a group in one transaction with its log entry.
func (s *Service) moderate(ctx context.Context, groupID int64, reason string, e Entry, act func(tx *gorm.DB) error) error {
	reason, err := CheckReason(reason)
	if err != nil {
		return err
	}
	if err := s.forum.RequireModerator(ctx, groupID); err != nil {
		return err
	}
	v, _ := viewer(ctx)
	e.ActorID, e.GroupID, e.Reason = v.ID, groupID, reason
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := act(tx); err != nil {
			return err
		}
		return appendEntry(ctx, tx, e)
	})
}

// HidePost hides a post from everyone but its author and the moderators, with a reason they see.
func (s *Service) HidePost(ctx context.Context, postID int64, reason string, hide bool) error {
	p, err := s.forum.PostToModerate(ctx, postID)
	if err != nil {
		return err
	}
	action := ActionHidePost
	if !hide {
		action = ActionUnhidePost
	}
	e := Entry{Action: action, TargetKind: "post", TargetID: p.ID, TargetMemberID: p.AuthorID}
	return s.moderate(ctx, p.GroupID, reason, e, func(tx *gorm.DB) error {
		shown := ""
		if hide {
			shown, _ = CheckReason(reason)
		}
		if err := s.forum.SetPostHidden(ctx, tx, p.ID, shown); err != nil {
			return err
		}
		v, _ := viewer(ctx)
		return resolvePost(ctx, tx, p.ID, v.ID, action, s.now())
	})
}

// DeletePost removes a post's text for good, as a moderator.
func (s *Service) DeletePost(ctx context.Context, postID int64, reason string) error {
	p, err := s.forum.PostToModerate(ctx, postID)
	if err != nil {
		return err
	}
	e := Entry{Action: ActionDeletePost, TargetKind: "post", TargetID: p.ID, TargetMemberID: p.AuthorID}
	return s.moderate(ctx, p.GroupID, reason, e, func(tx *gorm.DB) error {
		why, _ := CheckReason(reason)
		v, _ := viewer(ctx)
		if err := resolvePost(ctx, tx, p.ID, v.ID, ActionDeletePost, s.now()); err != nil {
			return err
		}
		return s.forum.RemovePost(ctx, tx, p, why)
	})
}

// ApprovePost publishes a post held for approval: it joins the search index, its notifications
// go out as if it had just been posted, and its queue items close. Rejecting is DeletePost.
func (s *Service) ApprovePost(ctx context.Context, postID int64, reason string) error {
	p, err := s.forum.PostToModerate(ctx, postID)
	if err != nil {
		return err
	}
	e := Entry{Action: ActionApprovePost, TargetKind: "post", TargetID: p.ID, TargetMemberID: p.AuthorID}
	return s.moderate(ctx, p.GroupID, reason, e, func(tx *gorm.DB) error {
		if err := s.forum.PublishHeld(ctx, tx, p.ID); err != nil {
			return err
		}
		v, _ := viewer(ctx)
		return resolvePost(ctx, tx, p.ID, v.ID, ActionApprovePost, s.now())
	})
}

// SetTopicFlag locks/unlocks or pins/unpins a topic.
func (s *Service) SetTopicFlag(ctx context.Context, topicID int64, flag string, on bool, reason string) error {
	t, err := s.forum.TopicToModerate(ctx, topicID)
	if err != nil {
		return err
	}
	actions := map[string][2]string{
		"locked": {ActionUnlock, ActionLockTopic},
		"pinned": {ActionUnpinTopic, ActionPinTopic},
	}
	pair, ok := actions[flag]
	if !ok {
		return fmt.Errorf("moderation: unknown topic flag %q", flag)
	}
	action := pair[0]
	if on {
		action = pair[1]
	}
	e := Entry{Action: action, TargetKind: "topic", TargetID: t.ID, TargetMemberID: t.AuthorID}
	return s.moderate(ctx, t.GroupID, reason, e, func(tx *gorm.DB) error {
		return s.forum.SetTopicFlag(ctx, tx, t.ID, flag, on)
	})
}

// Dismiss closes a queue item without acting on the post.
func (s *Service) Dismiss(ctx context.Context, itemID int64, reason string) error {
	groupID, postID, err := itemGroup(ctx, s.db, itemID)
	if err != nil {
		return err
	}
	if err := s.forum.RequireModerator(ctx, groupID); apperr.Code(err) == apperr.EFORBIDDEN {
		return errNoItem // the queue exists only for its moderators: not even whether an item is there
	} else if err != nil {
		return err
	}
	v, _ := viewer(ctx)
	var ownAppeal int64
	if err := s.db.WithContext(ctx).Raw(`SELECT COUNT(*) FROM queue_items q JOIN moderation_log l ON l.id = q.appeal_log_id
		WHERE q.id = ? AND l.actor_id = ?`, itemID, v.ID).Scan(&ownAppeal).Error; err != nil {
		return fmt.Errorf("moderation: unable to read item: %w", err)
	}
	if ownAppeal > 0 {
		return apperr.New(apperr.EFORBIDDEN, "This appeals an action you took: another moderator or an admin answers it.")
	}
	e := Entry{Action: ActionDismiss, TargetKind: "queue_item", TargetID: itemID}
	if postID != 0 {
		if e.TargetMemberID, _, err = forum.PostAuthor(ctx, s.db, postID); err != nil {
			return err
		}
	}
	return s.moderate(ctx, groupID, reason, e, func(tx *gorm.DB) error {
		v, _ := viewer(ctx)
		return resolveItem(ctx, tx, itemID, v.ID, ActionDismiss, s.now())
	})
}

// SlowModeChoices are the slow-mode intervals a moderator can set, in seconds (0 turns it off).
var SlowModeChoices = []int{0, 60, 300, 900, 3600}

// SetSlowMode makes members wait between replies in a topic.
func (s *Service) SetSlowMode(ctx context.Context, topicID int64, seconds int, reason string) error {
	valid := false
	for _, c := range SlowModeChoices {
		valid = valid || c == seconds
	}
	if !valid {
		return apperr.New(apperr.EINVALID, "Choose off, 1 minute, 5 minutes, 15 minutes or 1 hour.")
	}
	t, err := s.forum.TopicToModerate(ctx, topicID)
	if err != nil {
		return err
	}
	e := Entry{Action: ActionSlowMode, TargetKind: "topic", TargetID: t.ID, TargetMemberID: t.AuthorID}
	return s.moderate(ctx, t.GroupID, reason, e, func(tx *gorm.DB) error {
		return s.forum.SetSlowMode(ctx, tx, t.ID, seconds)
	})
}

// MoveTopic moves a topic to another group; the moderator must moderate both.
func (s *Service) MoveTopic(ctx context.Context, topicID int64, toSlug, reason string) error {
	t, err := s.forum.TopicToModerate(ctx, topicID)
	if err != nil {
		return err
	}
	to, err := s.forum.GroupIDBySlug(ctx, toSlug)
	if err != nil {
		return err
	}
	if to == t.GroupID {
		return apperr.New(apperr.EINVALID, "The topic is already in that group.")
	}
	if err := s.forum.RequireModerator(ctx, to); err != nil {
		return err
	}
	e := Entry{Action: ActionMoveTopic, TargetKind: "topic", TargetID: t.ID, TargetMemberID: t.AuthorID}
	return s.moderate(ctx, t.GroupID, reason, e, func(tx *gorm.DB) error {
		return s.forum.MoveTopic(ctx, tx, t.ID, to)
	})
}

// RevealAuthor tells a moderator of the post's group who wrote an anonymous post. Every reveal
// is written to the moderation record, with the reason, in the same transaction.
func (s *Service) RevealAuthor(ctx context.Context, postID int64, reason string) (string, error) {
	reason, err := CheckReason(reason)
	if err != nil {
		return "", err
	}
	p, err := s.forum.PostToModerate(ctx, postID)
	if err != nil {
		return "", err
	}
	if err := s.forum.RequireModerator(ctx, p.GroupID); err != nil {
		return "", err
	}
	if !p.Anonymous {
		return "", apperr.New(apperr.EINVALID, "That post is not anonymous.")
	}
	v, _ := viewer(ctx)
	name := forum.FormerMember
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		e := Entry{ActorID: v.ID, GroupID: p.GroupID, Action: ActionRevealAuthor, TargetKind: "post", TargetID: p.ID, Reason: reason}
		if p.AuthorID != 0 {
			e.TargetMemberID = p.AuthorID
			names, err := accounts.Usernames(ctx, tx, []int64{p.AuthorID})
			if err != nil {
				return err
			}
			if n, ok := names[p.AuthorID]; ok {
				name = n
			}
		}
		return appendEntry(ctx, tx, e)
	})
	if err != nil {
		return "", fmt.Errorf("moderation: unable to reveal author: %w", err)
	}
	return name, nil
}
