package export

import (
	"context"

	"github.com/haven-forum/haven/internal/forum"
	"github.com/haven-forum/haven/internal/moderation"
	"github.com/haven-forum/haven/internal/privacy"
)

// Each section writes one value of the document. Keys inside items are snake_case, times are
// RFC 3339 in UTC, and nothing secret (password or code hashes, session tokens) is ever read.

func writeSchemaVersion(_ context.Context, o *object, _ int64, _ Sources) error {
	return o.value(SchemaVersion)
}

type memberJSON struct {
	Username  string       `json:"username"`
	Role      string       `json:"role"`
	CreatedAt string       `json:"created_at"`
	Settings  settingsJSON `json:"settings"`
}

type settingsJSON struct {
	TimeZone                string   `json:"time_zone"`
	MutedMembers            []string `json:"muted_members"`
	HiddenContentWarnings   []string `json:"hidden_content_warnings"`
	NotificationsSwitchedOn []string `json:"notifications_switched_on"`
	FollowTopicsIReplyTo    string   `json:"follow_topics_i_reply_to"` // "on" or "off"
}

func writeMember(ctx context.Context, o *object, memberID int64, src Sources) error {
	m, err := src.Accounts.Get(ctx, memberID)
	if err != nil {
		return err
	}
	out := memberJSON{Username: m.Username, Role: m.Role, CreatedAt: at(m.CreatedAt)}
	out.Settings.TimeZone = m.TimeZone
	if out.Settings.MutedMembers, err = src.Forum.Posts.MutedMembers(ctx); err != nil {
		return err
	}
	if out.Settings.HiddenContentWarnings, err = src.Forum.Posts.HiddenWarnings(ctx); err != nil {
		return err
	}
	on, err := src.Inbox.Settings(ctx)
	if err != nil {
		return err
	}
	out.Settings.NotificationsSwitchedOn = []string{}
	for _, k := range forum.NotificationKinds {
		if on[k.Key] {
			out.Settings.NotificationsSwitchedOn = append(out.Settings.NotificationsSwitchedOn, k.Key)
		}
	}
	followReplied, err := src.Forum.Follows.FollowReplied(ctx)
	if err != nil {
		return err
	}
	out.Settings.FollowTopicsIReplyTo = map[bool]string{true: "on", false: "off"}[followReplied]
	out.Settings.MutedMembers = nonNil(out.Settings.MutedMembers)
	out.Settings.HiddenContentWarnings = nonNil(out.Settings.HiddenContentWarnings)
	return o.value(out)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

type consentJSON struct {
	Purpose string `json:"purpose"`
	Title   string `json:"title"`
	Version int    `json:"version"`
	Granted bool   `json:"granted"`
	Lapsed  bool   `json:"lapsed"` // granted for an earlier version of the text: off until agreed again
}

type consentRecordJSON struct {
	ReceiptID string `json:"receipt_id"`
	Purpose   string `json:"purpose"`
	Version   int    `json:"version"`
	Granted   bool   `json:"granted"`
	Method    string `json:"method"`
	At        string `json:"at"`
}

// writeConsents writes the current choices, the retention chosen for the record, and every
// change with its receipt id.
func writeConsents(ctx context.Context, o *object, memberID int64, src Sources) error {
	states, err := src.Privacy.States(ctx)
	if err != nil {
		return err
	}
	days, err := src.Privacy.RetentionDays(ctx)
	if err != nil {
		return err
	}
	o.open("{")
	o.key("current")
	current := make([]consentJSON, len(states))
	for i, st := range states {
		current[i] = consentJSON{Purpose: st.Key, Title: st.Title, Version: st.Version, Granted: st.Granted, Lapsed: st.Lapsed}
	}
	o.value(current)
	o.key("reading_history_retention_days")
	o.value(days)
	o.key("history")
	err = o.array(func() error {
		return src.Privacy.EachConsentRecord(ctx, memberID, func(r privacy.Record) error {
			return o.item(consentRecordJSON{ReceiptID: r.ReceiptID, Purpose: r.Purpose, Version: r.Version, Granted: r.Granted,
				Method: r.Method, At: at(r.CreatedAt)})
		})
	})
	o.close("}")
	return err
}

type activityJSON struct {
	Kind    string `json:"kind"`
	TopicID int64  `json:"topic_id"`
	Group   string `json:"group"`
	At      string `json:"at"`
}

func writeActivity(ctx context.Context, o *object, memberID int64, src Sources) error {
	return o.array(func() error {
		return src.Privacy.EachEvent(ctx, memberID, func(e privacy.Event) error {
			return o.item(activityJSON{Kind: e.Kind, TopicID: e.TopicID, Group: e.GroupName, At: at(e.CreatedAt)})
		})
	})
}

type readPositionJSON struct {
	TopicID        int64  `json:"topic_id"`
	Topic          string `json:"topic"`
	Group          string `json:"group"`
	LastReadPostID int64  `json:"last_read_post_id"`
	At             string `json:"at"`
}

func writeReadPositions(ctx context.Context, o *object, memberID int64, src Sources) error {
	return o.array(func() error {
		return src.Privacy.Reading.EachReadPosition(ctx, memberID, func(p privacy.ReadPosition) error {
			return o.item(readPositionJSON{TopicID: p.TopicID, Topic: p.TopicTitle, Group: p.GroupName,
				LastReadPostID: p.LastReadPostID, At: at(p.ReadAt)})
		})
	})
}

type inferenceJSON struct {
	Kind        string `json:"kind"`
	GroupID     int64  `json:"group_id,omitempty"`
	Group       string `json:"group"`
	TopicID     int64  `json:"topic_id,omitempty"`
	DerivedFrom string `json:"derived_from"`
	Opens       int    `json:"opens,omitempty"`
	At          string `json:"at,omitempty"`
}

// writeInferences writes the interest profile, worked out now from the reading history, just
// as suggestions would use it, and the member's "not interested" choices.
func writeInferences(ctx context.Context, o *object, _ int64, src Sources) error {
	interests, err := src.Privacy.Interests(ctx)
	if err != nil {
		return err
	}
	dismissed, err := src.Privacy.NotInterestedList(ctx)
	if err != nil {
		return err
	}
	return o.array(func() error {
		for _, in := range interests {
			err := o.item(inferenceJSON{Kind: "interest_in_group", GroupID: in.GroupID, Group: in.GroupName,
				DerivedFrom: privacy.ReadingHistory, Opens: in.Opens})
			if err != nil {
				return err
			}
		}
		for _, n := range dismissed {
			err := o.item(inferenceJSON{Kind: "not_interested", TopicID: n.TopicID, Group: n.GroupName,
				DerivedFrom: "your choice on a suggestion", At: at(n.CreatedAt)})
			if err != nil {
				return err
			}
		}
		return nil
	})
}

type postJSON struct {
	ID             int64          `json:"id"`
	TopicID        int64          `json:"topic_id"`
	Group          string         `json:"group"`
	FirstPost      bool           `json:"first_post"`
	Title          string         `json:"title,omitempty"`
	Anonymous      bool           `json:"anonymous"`
	Body           string         `json:"body"`
	ContentWarning string         `json:"content_warning"`
	CreatedAt      string         `json:"created_at"`
	EditedAt       *string        `json:"edited_at"`
	DeletedAt      *string        `json:"deleted_at"`
	Revisions      []revisionJSON `json:"earlier_versions"`
	FlaggedAtRisk  bool           `json:"flagged_at_risk"`   // by the automatic crisis-phrase check
	Held           bool           `json:"held_for_approval"` // waiting for a moderator
	HiddenReason   *string        `json:"hidden_by_moderators_reason"`
}

type revisionJSON struct {
	Title          string `json:"title,omitempty"`
	Body           string `json:"body"`
	ContentWarning string `json:"content_warning"`
	ReplacedAt     string `json:"replaced_at"`
}

func writePosts(ctx context.Context, o *object, memberID int64, src Sources) error {
	return o.array(func() error {
		return src.Forum.Reads.EachPost(ctx, memberID, func(p forum.OwnPost) error {
			out := postJSON{ID: p.ID, TopicID: p.TopicID, Group: p.GroupName, FirstPost: p.FirstPost, Title: p.Title,
				Anonymous: p.Anonymous, Body: p.Body, ContentWarning: p.ContentWarning, CreatedAt: at(p.CreatedAt),
				EditedAt: atOrNil(p.EditedAt), DeletedAt: atOrNil(p.DeletedAt), Revisions: make([]revisionJSON, len(p.Revisions)),
				FlaggedAtRisk: p.CrisisConcern, Held: p.Held, HiddenReason: p.HiddenReason}
			for i, r := range p.Revisions {
				out.Revisions[i] = revisionJSON{Title: r.Title, Body: r.Body, ContentWarning: r.ContentWarning, ReplacedAt: at(r.ReplacedAt)}
			}
			return o.item(out)
		})
	})
}

type reactionJSON struct {
	PostID int64  `json:"post_id"`
	Kind   string `json:"kind"`
	At     string `json:"at"`
}

func writeReactions(ctx context.Context, o *object, memberID int64, src Sources) error {
	return o.array(func() error {
		return src.Forum.Reads.EachReaction(ctx, memberID, func(r forum.OwnReaction) error {
			return o.item(reactionJSON{PostID: r.PostID, Kind: r.Kind, At: at(r.CreatedAt)})
		})
	})
}

type membershipJSON struct {
	Group   string `json:"group"`
	Slug    string `json:"slug"`
	Status  string `json:"status"`
	Since   string `json:"since"`
	Message string `json:"message,omitempty"`
}

func writeMemberships(ctx context.Context, o *object, memberID int64, src Sources) error {
	return o.array(func() error {
		return src.Forum.Reads.EachMembership(ctx, memberID, func(m forum.Membership) error {
			return o.item(membershipJSON{Group: m.GroupName, Slug: m.GroupSlug, Status: m.Status, Since: at(m.Since), Message: m.Message})
		})
	})
}

type notificationJSON struct {
	Kind    string `json:"kind"`
	Actor   string `json:"actor,omitempty"`
	Group   string `json:"group,omitempty"`
	TopicID *int64 `json:"topic_id,omitempty"`
	PostID  *int64 `json:"post_id,omitempty"`
	Detail  string `json:"detail,omitempty"`
	Read    bool   `json:"read"`
	At      string `json:"at"`
}

func writeNotifications(ctx context.Context, o *object, memberID int64, src Sources) error {
	return o.array(func() error {
		return src.Inbox.EachNotification(ctx, memberID, func(n forum.OwnNotification) error {
			return o.item(notificationJSON{Kind: n.Kind, Actor: n.Actor, Group: n.GroupName, TopicID: n.TopicID, PostID: n.PostID,
				Detail: n.Detail, Read: n.Read, At: at(n.CreatedAt)})
		})
	})
}

type followJSON struct {
	TopicID    int64  `json:"topic_id"`
	FollowedAt string `json:"followed_at"`
}

// writeFollows writes the topics the member chose to follow (their titles are in posts, or in
// the group, which they may no longer read).
func writeFollows(ctx context.Context, o *object, memberID int64, src Sources) error {
	return o.array(func() error {
		return src.Forum.Reads.EachFollow(ctx, memberID, func(f forum.OwnFollow) error {
			return o.item(followJSON{TopicID: f.TopicID, FollowedAt: at(f.CreatedAt)})
		})
	})
}

type moderationJSON struct {
	Action     string `json:"action"`
	TargetKind string `json:"target_kind"`
	TargetID   int64  `json:"target_id"`
	GroupID    *int64 `json:"group_id"`
	Reason     string `json:"reason"`
	At         string `json:"at"`
}

// writeModeration writes what moderators did to the member's content or account, with their
// reasons. Who did it, and who asked them to, is left out.
func writeModeration(ctx context.Context, o *object, memberID int64, src Sources) error {
	return o.array(func() error {
		return src.Moderation.EachAbout(ctx, memberID, func(a moderation.Action) error {
			return o.item(moderationJSON{Action: a.Action, TargetKind: a.TargetKind, TargetID: a.TargetID, GroupID: a.GroupID,
				Reason: a.Reason, At: at(a.CreatedAt)})
		})
	})
}
