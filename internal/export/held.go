package export

import (
	"context"
	"time"

	"github.com/haven-forum/haven/internal/accounts"
	"github.com/haven-forum/haven/internal/erasures"
	"github.com/haven-forum/haven/internal/forum"
	"github.com/haven-forum/haven/internal/moderation"
)

// Held is what Haven holds about a member beyond their posts, choices and record: their
// sign-in, what moderation holds about them and what they did as a moderator, and the erasure
// list's entries about them. The export writes it under documented keys and the dashboard
// says it in words, from this one gathering.
type Held struct {
	SignIn       accounts.SignIn
	FlaggedPosts []int64 // posts the automatic crisis-phrase check flagged as at risk
	QueueItems   []moderation.QueueItemAbout
	Reports      []moderation.FiledReport
	Appeals      []moderation.FiledAppeal
	Sanctions    []moderation.Sanction
	Erasures     []erasures.Erasure
	ErasedBefore time.Time // zero: the reading history was never erased
	ModActions   []moderation.ModeratorAction
	HandledItems int64
	Invites      []forum.Invite
	Follows      forum.FollowSummary
	GroupNames   map[int64]string
	Profile      forum.ProfileSettings // the bio and list choice the member gave; zero UpdatedAt: none
	Bookmarks    []forum.OwnBookmark
	postIDs      []int64
}

// Gather reads what Held holds for memberID, each part from the domain that owns it.
func Gather(ctx context.Context, memberID int64, src Sources) (Held, error) {
	var h Held
	var err error
	if h.SignIn, err = src.Accounts.SignInOf(ctx, memberID); err != nil {
		return h, err
	}
	err = src.Forum.Reads.EachPost(ctx, memberID, func(p forum.OwnPost) error {
		h.postIDs = append(h.postIDs, p.ID)
		if p.CrisisConcern {
			h.FlaggedPosts = append(h.FlaggedPosts, p.ID)
		}
		return nil
	})
	if err != nil {
		return h, err
	}
	m := src.Moderation
	if h.QueueItems, err = m.QueueItemsAbout(ctx, memberID, h.postIDs); err != nil {
		return h, err
	}
	if h.Reports, err = m.ReportsBy(ctx, memberID); err != nil {
		return h, err
	}
	if h.Appeals, err = m.AppealsBy(ctx, memberID); err != nil {
		return h, err
	}
	if h.Sanctions, err = m.SanctionsOn(ctx, memberID); err != nil {
		return h, err
	}
	if h.ModActions, err = m.ActionsBy(ctx, memberID); err != nil {
		return h, err
	}
	if h.HandledItems, err = m.HandledItems(ctx, memberID); err != nil {
		return h, err
	}
	if h.Erasures, err = src.Erasures.OfMember(ctx, memberID); err != nil {
		return h, err
	}
	if h.ErasedBefore, err = src.Privacy.Readers.ErasedBefore(ctx, memberID); err != nil {
		return h, err
	}
	if h.Invites, err = src.Forum.Reads.InvitesBy(ctx, memberID); err != nil {
		return h, err
	}
	if h.Follows, err = src.Forum.Reads.FollowSummaryOf(ctx, memberID); err != nil {
		return h, err
	}
	if h.Profile, err = src.Forum.Profiles.SettingsOf(ctx, memberID); err != nil {
		return h, err
	}
	if h.Bookmarks, err = src.Forum.Profiles.BookmarksOf(ctx, memberID); err != nil {
		return h, err
	}
	var groups []int64
	for _, q := range h.QueueItems {
		groups = append(groups, q.GroupID)
	}
	for _, s := range h.Sanctions {
		groups = append(groups, s.GroupID)
	}
	for _, i := range h.Invites {
		groups = append(groups, i.GroupID)
	}
	for _, a := range h.ModActions {
		if a.GroupID != nil {
			groups = append(groups, *a.GroupID)
		}
	}
	h.GroupNames, err = src.Forum.Reads.GroupNames(ctx, groups)
	return h, err
}
