package export

import (
	"context"
)

// The sections written from Held; every key is explained for members in docs/export.md (TestEveryExportKeyIsDocumented).

type sessionJSON struct {
	StartedAt string `json:"started_at"`
	ExpiresAt string `json:"expires_at"`
}

type signInJSON struct {
	PasswordChangedAt string        `json:"password_changed_at"`
	Sessions          []sessionJSON `json:"sessions"`
	DeviceKept        bool          `json:"device_or_address_kept"` // always false: sessions keep only their times
	RecoveryCodesLeft int           `json:"recovery_codes_left"`
}

func (h Held) writeSignIn(_ context.Context, o *object, _ int64, _ Sources) error {
	out := signInJSON{PasswordChangedAt: at(h.SignIn.PasswordChangedAt), Sessions: []sessionJSON{},
		RecoveryCodesLeft: h.SignIn.RecoveryCodesLeft}
	for _, s := range h.SignIn.Sessions {
		out.Sessions = append(out.Sessions, sessionJSON{StartedAt: at(s.CreatedAt), ExpiresAt: at(s.ExpiresAt)})
	}
	return o.value(out)
}

type queueItemJSON struct {
	Kind          string  `json:"kind"`
	Group         string  `json:"group"`
	PostID        *int64  `json:"post_id"`
	FlaggedAtRisk bool    `json:"flagged_at_risk"`
	Status        string  `json:"status"`
	HandledAction *string `json:"handled_action"`
	HandledAt     *string `json:"handled_at"`
	At            string  `json:"at"`
}

type sanctionJSON struct {
	Kind  string  `json:"kind"`
	Group string  `json:"group,omitempty"` // empty for a suspension from the whole site
	Until *string `json:"until"`           // null: until a moderator lifts it
	At    string  `json:"at"`
}

type moderationAboutJSON struct {
	QueueItems []queueItemJSON `json:"queue_items"`
	Sanctions  []sanctionJSON  `json:"sanctions"`
}

func (h Held) writeModerationAbout(_ context.Context, o *object, _ int64, _ Sources) error {
	out := moderationAboutJSON{QueueItems: []queueItemJSON{}, Sanctions: []sanctionJSON{}}
	for _, q := range h.QueueItems {
		out.QueueItems = append(out.QueueItems, queueItemJSON{Kind: q.Kind, Group: h.GroupNames[q.GroupID], PostID: q.PostID,
			FlaggedAtRisk: q.AtRisk, Status: q.Status, HandledAction: q.HandledAction, HandledAt: atOrNil(q.HandledAt), At: at(q.CreatedAt)})
	}
	for _, s := range h.Sanctions {
		out.Sanctions = append(out.Sanctions, sanctionJSON{Kind: s.Kind, Group: h.GroupNames[s.GroupID], Until: atOrNil(s.Until), At: at(s.CreatedAt)})
	}
	return o.value(out)
}

type reportJSON struct {
	PostID  int64  `json:"post_id"`
	Reason  string `json:"reason"`
	Details string `json:"details"`
	At      string `json:"at"`
}

func (h Held) writeReports(_ context.Context, o *object, _ int64, _ Sources) error {
	out := []reportJSON{}
	for _, r := range h.Reports {
		out = append(out, reportJSON{PostID: r.PostID, Reason: r.Reason, Details: r.Details, At: at(r.CreatedAt)})
	}
	return o.value(out)
}

type appealJSON struct {
	ActionID int64  `json:"action_id"` // the moderation record entry appealed against
	Text     string `json:"text"`
	At       string `json:"at"`
}

func (h Held) writeAppeals(_ context.Context, o *object, _ int64, _ Sources) error {
	out := []appealJSON{}
	for _, a := range h.Appeals {
		out = append(out, appealJSON{ActionID: a.LogID, Text: a.Text, At: at(a.CreatedAt)})
	}
	return o.value(out)
}

type modActionJSON struct {
	Action     string `json:"action"`
	TargetKind string `json:"target_kind"`
	TargetID   int64  `json:"target_id"`
	Group      string `json:"group,omitempty"`
	Reason     string `json:"reason"`
	At         string `json:"at"`
}

type inviteJSON struct {
	Group     string `json:"group"`
	At        string `json:"at"`
	ExpiresAt string `json:"expires_at"`
}

type asModeratorJSON struct {
	Actions     []modActionJSON `json:"actions"`
	QueueItems  int64           `json:"queue_items_assigned_or_handled"`
	InvitesMade []inviteJSON    `json:"invites_created"`
}

func (h Held) writeAsModerator(_ context.Context, o *object, _ int64, _ Sources) error {
	out := asModeratorJSON{Actions: []modActionJSON{}, QueueItems: h.HandledItems, InvitesMade: []inviteJSON{}}
	for _, a := range h.ModActions {
		j := modActionJSON{Action: a.Action, TargetKind: a.TargetKind, TargetID: a.TargetID, Reason: a.Reason, At: at(a.CreatedAt)}
		if a.GroupID != nil {
			j.Group = h.GroupNames[*a.GroupID]
		}
		out.Actions = append(out.Actions, j)
	}
	for _, i := range h.Invites {
		out.InvitesMade = append(out.InvitesMade, inviteJSON{Group: h.GroupNames[i.GroupID], At: at(i.CreatedAt), ExpiresAt: at(i.ExpiresAt)})
	}
	return o.value(out)
}

type erasureJSON struct {
	ID       int64  `json:"id"`
	Kind     string `json:"kind"`
	ObjectID int64  `json:"object_id,omitempty"`
	Detail   string `json:"detail,omitempty"`
	At       string `json:"at"`
}

func (h Held) writeErasures(_ context.Context, o *object, _ int64, _ Sources) error {
	out := []erasureJSON{}
	for _, e := range h.Erasures {
		out = append(out, erasureJSON{ID: e.ID, Kind: e.Kind, ObjectID: e.ObjectID, Detail: e.Detail, At: at(e.CreatedAt)})
	}
	return o.value(out)
}

func (h Held) writeErasedBefore(_ context.Context, o *object, _ int64, _ Sources) error {
	if h.ErasedBefore.IsZero() {
		return o.value(nil)
	}
	return o.value(at(h.ErasedBefore))
}

type profileJSON struct {
	Bio          string `json:"bio"`
	HidePostList bool   `json:"hide_post_list"`
	UpdatedAt    string `json:"updated_at"`
}

func (h Held) writeProfile(_ context.Context, o *object, _ int64, _ Sources) error {
	if h.Profile.UpdatedAt.IsZero() {
		return o.value(nil)
	}
	return o.value(profileJSON{Bio: h.Profile.Bio, HidePostList: h.Profile.HidePosts, UpdatedAt: at(h.Profile.UpdatedAt)})
}

type bookmarkJSON struct {
	PostID  int64  `json:"post_id"`
	TopicID int64  `json:"topic_id"`
	At      string `json:"at"`
}

func (h Held) writeBookmarks(_ context.Context, o *object, _ int64, _ Sources) error {
	out := make([]bookmarkJSON, len(h.Bookmarks))
	for i, b := range h.Bookmarks {
		out[i] = bookmarkJSON{PostID: b.PostID, TopicID: b.TopicID, At: at(b.CreatedAt)}
	}
	return o.value(out)
}
