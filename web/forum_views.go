package web

import (
	"github.com/haven-forum/haven/internal/forum"
	"github.com/haven-forum/haven/internal/paths"
	forumview "github.com/haven-forum/haven/views/forum"
)

// This file turns forum domain values into the plain view models templates take.

func groupCards(cards []forum.GroupCard) []forumview.GroupCard {
	out := make([]forumview.GroupCard, len(cards))
	for i, c := range cards {
		out[i] = forumview.GroupCard{Slug: c.Slug, Name: c.Name, Description: c.Description, Private: c.Visibility == forum.Private,
			Archived: c.Archived, Role: c.Role, Readable: c.Read, Counted: c.Counted, TopicCount: c.TopicCount}
	}
	return out
}

// latestURL links a topic row to its last visible post (the /p/ address finds its page).
func latestURL(postID int64) string {
	if postID == 0 {
		return ""
	}
	return paths.Post(postID)
}

func groupHeader(g forum.Group) forumview.Group {
	return forumview.Group{Slug: g.Slug, Name: g.Name, Description: g.Description, RulesHTML: g.RulesHTML,
		Private: g.Visibility == forum.Private, Archived: g.Archived, AllowAnonymous: g.AllowAnonymous}
}

func actions(a forum.Abilities) forumview.Actions {
	return forumview.Actions{Post: a.Post, Join: a.Join, RequestToJoin: a.RequestToJoin, Leave: a.Leave, Moderate: a.Moderate,
		PendingRequest: a.PendingRequest, Role: a.Role}
}

func groupPage(gp forum.GroupPage) forumview.GroupPage {
	out := forumview.GroupPage{Group: groupHeader(gp.Group), Actions: actions(gp.Abilities), Readable: gp.Abilities.Read,
		Pager: forumview.Pager{Page: gp.Page, Pages: gp.Pages, BaseURL: paths.Group(gp.Group.Slug)}}
	out.Topics = make([]forumview.TopicRow, 0, len(gp.Topics))
	for _, t := range gp.Topics {
		out.Topics = append(out.Topics, forumview.TopicRow{ID: t.ID, Title: t.Title, ContentWarning: t.ContentWarning, Pinned: t.Pinned,
			Locked: t.Locked, Muted: t.MutedAuthor, AuthorName: t.AuthorName, AuthorUsername: forum.ProfileName(t.AuthorName), ReplyCount: t.ReplyCount, LastActivity: t.LastPostAt,
			LastPoster: t.LastPosterName, LastPosterUsername: forum.ProfileName(t.LastPosterName), LatestURL: latestURL(t.LastPostID)})
	}
	for _, r := range gp.Requests {
		out.Requests = append(out.Requests, forumview.JoinRequest{ID: r.ID, Username: r.Username, Message: r.Message, When: r.CreatedAt})
	}
	return out
}

func topicPage(tp forum.TopicPage, viewerSignedIn bool) forumview.TopicPage {
	out := forumview.TopicPage{ID: tp.Topic.ID, Title: tp.Topic.Title, ContentWarning: tp.Topic.ContentWarning, Pinned: tp.Topic.Pinned,
		Locked: tp.Topic.Locked, Group: groupHeader(tp.Group), Actions: actions(tp.Abilities),
		Pager: forumview.Pager{Page: tp.Page, Pages: tp.Pages, BaseURL: paths.Topic(tp.Topic.ID)}}
	out.Posts = make([]forumview.Post, 0, len(tp.Posts))
	kinds := len(forum.ReactionKinds)
	reactions := make([]forumview.Reaction, 0, len(tp.Posts)*kinds) // one backing array for the page
	for _, p := range tp.Posts {
		v := forumview.Post{ID: p.ID, Number: p.Number, AuthorName: p.AuthorName, ByViewer: p.ByViewer, Anonymous: p.Anonymous,
			BodyHTML: p.BodyHTML, ContentWarning: p.ContentWarning, When: p.CreatedAt, Edited: p.Edited,
			Deleted: p.Deleted, CanEdit: p.CanEdit, CanReact: tp.Abilities.Post && !p.Hidden, CanQuote: tp.Abilities.Post && !tp.Topic.Locked && !p.Hidden,
			Muted: p.MutedAuthor, CrisisConcern: p.CrisisConcern, ShowRevisions: tp.Abilities.Moderate,
			Hidden: p.Hidden, HiddenReason: p.HiddenReason, BodyWithheld: p.BodyWithheld, Held: p.Held, CanReport: viewerSignedIn && !p.ByViewer && !p.Deleted,
			CanBookmark: viewerSignedIn && !p.Deleted && !p.BodyWithheld, Bookmarked: p.Bookmarked}
		if !p.Anonymous && p.AuthorName != forum.FormerMember {
			v.AuthorUsername = p.AuthorName
			v.CanMute = viewerSignedIn && !p.ByViewer && !p.MutedAuthor
		}
		from := len(reactions)
		for _, r := range p.Reactions {
			reactions = append(reactions, forumview.Reaction{Kind: r.Kind, Label: r.Label, Count: r.Count, Mine: r.Mine})
		}
		v.Reactions = reactions[from:len(reactions):len(reactions)]
		out.Posts = append(out.Posts, v)
	}
	return out
}
