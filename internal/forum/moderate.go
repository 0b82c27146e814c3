package forum

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/haven-forum/haven/internal/apperr"
	"github.com/haven-forum/haven/internal/erasures"
	"github.com/haven-forum/haven/internal/moderation"
	"gorm.io/gorm"
)

// ModerationScope is the groups the viewer moderates (every group for site admins).
func (s *Service) ModerationScope(ctx context.Context) (moderation.Scope, error) {
	v, err := requireSignedIn(ctx)
	if err != nil {
		return moderation.Scope{}, err
	}
	if v.IsAdmin() {
		return moderation.Scope{All: true, Viewer: v.ID}, nil
	}
	var ids []int64
	err = s.db.WithContext(ctx).Raw(`SELECT group_id FROM group_members WHERE member_id = ? AND role = ?`, v.ID, RoleModerator).Scan(&ids).Error
	if err != nil {
		return moderation.Scope{}, fmt.Errorf("forum: unable to list moderated groups: %w", err)
	}
	return moderation.Scope{GroupIDs: ids, Viewer: v.ID}, nil
}

// postForModeration loads a post with its topic and group, for someone who may read it.
func (s *Service) postForModeration(ctx context.Context, postID int64) (postRow, topicRow, groupRow, access, error) {
	var p postRow
	if err := s.db.WithContext(ctx).Take(&p, postID).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return p, topicRow{}, groupRow{}, access{}, errNotReadable
		}
		return p, topicRow{}, groupRow{}, access{}, fmt.Errorf("forum: unable to find post: %w", err)
	}
	t, g, a, err := s.topicAccess(ctx, p.TopicID)
	return p, t, g, a, err
}

// ReportPost files the viewer's report of a post they can read. The author is never told who.
func (s *Service) ReportPost(ctx context.Context, postID int64, reason, details string) error {
	v, err := requireSignedIn(ctx)
	if err != nil {
		return err
	}
	p, _, g, a, err := s.postForModeration(ctx, postID)
	if err != nil {
		return err
	}
	// Muted and banned members may still report: someone being harassed must be able to say so.
	if a.sanction.Suspended {
		return apperr.New(apperr.EFORBIDDEN, "%s", a.sanction.Message)
	}
	if p.DeletedAt != nil {
		return apperr.New(apperr.EINVALID, "That post was deleted.")
	}
	in := moderation.ReportInput{PostID: p.ID, GroupID: g.ID, ReporterID: v.ID, Reason: reason, Details: details}
	if p.AuthorID != nil {
		if *p.AuthorID == v.ID {
			return apperr.New(apperr.EINVALID, "You cannot report your own post; you can edit or delete it.")
		}
		in.AuthorID = *p.AuthorID
	}
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return moderation.Report(ctx, tx, in, s.now())
	})
}

// moderate runs a moderator's action on a post's group in one transaction with its log entry.
func (s *Service) moderate(ctx context.Context, g groupRow, reason string, e moderation.Entry, act func(tx *gorm.DB) error) error {
	reason, err := moderation.CheckReason(reason)
	if err != nil {
		return err
	}
	if err := s.requireModerator(ctx, g); err != nil {
		return err
	}
	v, _ := viewer(ctx)
	e.ActorID, e.GroupID, e.Reason = v.ID, g.ID, reason
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := act(tx); err != nil {
			return err
		}
		return moderation.Append(ctx, tx, e)
	})
}

func authorOf(p postRow) int64 {
	if p.AuthorID == nil {
		return 0
	}
	return *p.AuthorID
}

// HidePost hides a post from everyone but its author and the moderators, with a reason they see.
func (s *Service) HidePost(ctx context.Context, postID int64, reason string, hide bool) error {
	p, _, g, _, err := s.postForModeration(ctx, postID)
	if err != nil {
		return err
	}
	action := moderation.ActionHidePost
	if !hide {
		action = moderation.ActionUnhidePost
	}
	e := moderation.Entry{Action: action, TargetKind: "post", TargetID: p.ID, TargetMemberID: authorOf(p)}
	return s.moderate(ctx, g, reason, e, func(tx *gorm.DB) error {
		var value any
		if hide {
			value, _ = moderation.CheckReason(reason)
		}
		if err := tx.Exec(`UPDATE posts SET hidden_reason = ? WHERE id = ?`, value, p.ID).Error; err != nil {
			return err
		}
		v, _ := viewer(ctx)
		if err := moderation.ResolvePost(ctx, tx, p.ID, v.ID, action, s.now()); err != nil {
			return err
		}
		return s.indexPost(ctx, tx, p.ID)
	})
}

// ModDeletePost removes a post's text for good, as a moderator.
func (s *Service) ModDeletePost(ctx context.Context, postID int64, reason string) error {
	p, _, g, _, err := s.postForModeration(ctx, postID)
	if err != nil {
		return err
	}
	e := moderation.Entry{Action: moderation.ActionDeletePost, TargetKind: "post", TargetID: p.ID, TargetMemberID: authorOf(p)}
	return s.moderate(ctx, g, reason, e, func(tx *gorm.DB) error {
		why, _ := moderation.CheckReason(reason)
		if err := tx.Exec(`UPDATE posts SET body = '', content_warning = '', deleted_at = ?, hidden_reason = ? WHERE id = ?`, s.now(), why, p.ID).Error; err != nil {
			return err
		}
		if err := tx.Exec(`DELETE FROM post_revisions WHERE post_id = ?`, p.ID).Error; err != nil {
			return err
		}
		v, _ := viewer(ctx)
		if err := moderation.ResolvePost(ctx, tx, p.ID, v.ID, moderation.ActionDeletePost, s.now()); err != nil {
			return err
		}
		if err := erasures.Record(ctx, tx, erasures.PostRemoved, authorOf(p), p.ID); err != nil {
			return err
		}
		return s.indexPost(ctx, tx, p.ID)
	})
}

// SetTopicFlag locks/unlocks or pins/unpins a topic.
func (s *Service) SetTopicFlag(ctx context.Context, topicID int64, flag string, on bool, reason string) error {
	t, g, _, err := s.topicAccess(ctx, topicID)
	if err != nil {
		return err
	}
	actions := map[string][2]string{
		"locked": {moderation.ActionUnlock, moderation.ActionLockTopic},
		"pinned": {moderation.ActionUnpinTopic, moderation.ActionPinTopic},
	}
	pair, ok := actions[flag]
	if !ok {
		return fmt.Errorf("forum: unknown topic flag %q", flag)
	}
	action := pair[0]
	if on {
		action = pair[1]
	}
	e := moderation.Entry{Action: action, TargetKind: "topic", TargetID: t.ID, TargetMemberID: authorOfTopic(t)}
	return s.moderate(ctx, g, reason, e, func(tx *gorm.DB) error {
		return tx.Exec(`UPDATE topics SET `+flag+` = ? WHERE id = ?`, on, t.ID).Error
	})
}

func authorOfTopic(t topicRow) int64 {
	if t.AuthorID == nil {
		return 0
	}
	return *t.AuthorID
}

// Dismiss closes a queue item without acting on the post.
func (s *Service) Dismiss(ctx context.Context, itemID int64, reason string) error {
	groupID, postID, err := moderation.ItemGroup(ctx, s.db, itemID)
	if err != nil {
		return err
	}
	g, err := s.groupByID(ctx, s.db, groupID)
	if err != nil {
		return err
	}
	v, _ := viewer(ctx)
	var ownAppeal int64
	if err := s.db.WithContext(ctx).Raw(`SELECT COUNT(*) FROM queue_items q JOIN moderation_log l ON l.id = q.appeal_log_id
		WHERE q.id = ? AND l.actor_id = ?`, itemID, v.ID).Scan(&ownAppeal).Error; err != nil {
		return fmt.Errorf("forum: unable to read item: %w", err)
	}
	if ownAppeal > 0 {
		return apperr.New(apperr.EFORBIDDEN, "This appeals an action you took: another moderator or an admin answers it.")
	}
	e := moderation.Entry{Action: moderation.ActionDismiss, TargetKind: "queue_item", TargetID: itemID}
	if postID != 0 {
		var authors []int64
		s.db.WithContext(ctx).Raw(`SELECT COALESCE(author_id, 0) FROM posts WHERE id = ?`, postID).Scan(&authors)
		if len(authors) > 0 {
			e.TargetMemberID = authors[0]
		}
	}
	return s.moderate(ctx, g, reason, e, func(tx *gorm.DB) error {
		v, _ := viewer(ctx)
		return moderation.ResolveItem(ctx, tx, itemID, v.ID, moderation.ActionDismiss, s.now())
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
	t, g, _, err := s.topicAccess(ctx, topicID)
	if err != nil {
		return err
	}
	e := moderation.Entry{Action: moderation.ActionSlowMode, TargetKind: "topic", TargetID: t.ID, TargetMemberID: authorOfTopic(t)}
	return s.moderate(ctx, g, reason, e, func(tx *gorm.DB) error {
		return tx.Exec(`UPDATE topics SET slow_mode_seconds = ? WHERE id = ?`, seconds, t.ID).Error
	})
}

// MoveTopic moves a topic to another group; the moderator must moderate both.
func (s *Service) MoveTopic(ctx context.Context, topicID int64, toSlug, reason string) error {
	t, from, _, err := s.topicAccess(ctx, topicID)
	if err != nil {
		return err
	}
	to, err := s.groupBySlug(ctx, s.db, toSlug)
	if err != nil {
		return err
	}
	if to.ID == from.ID {
		return apperr.New(apperr.EINVALID, "The topic is already in that group.")
	}
	if err := s.requireModerator(ctx, to); err != nil {
		return err
	}
	e := moderation.Entry{Action: moderation.ActionMoveTopic, TargetKind: "topic", TargetID: t.ID, TargetMemberID: authorOfTopic(t)}
	return s.moderate(ctx, from, reason, e, func(tx *gorm.DB) error {
		return tx.Exec(`UPDATE topics SET group_id = ? WHERE id = ?`, to.ID, t.ID).Error
	})
}

// slowModeWait returns how long the viewer must still wait to reply in a slow-mode topic.
func (s *Service) slowModeWait(ctx context.Context, tx *gorm.DB, t topicRow, memberID int64) (time.Duration, error) {
	var seconds int
	if err := tx.WithContext(ctx).Raw(`SELECT slow_mode_seconds FROM topics WHERE id = ?`, t.ID).Scan(&seconds).Error; err != nil || seconds == 0 {
		return 0, err
	}
	var last []time.Time
	if err := tx.WithContext(ctx).Raw(`SELECT created_at FROM posts WHERE topic_id = ? AND author_id = ? ORDER BY id DESC LIMIT 1`, t.ID, memberID).Scan(&last).Error; err != nil || len(last) == 0 {
		return 0, err
	}
	wait := last[0].Add(time.Duration(seconds) * time.Second).Sub(s.now())
	return max(wait, 0), nil
}
