// Package forumview renders support groups, topics and posts from plain view models.
package forumview

import (
	"time"

	"github.com/haven-forum/haven/views/components"
)

// GroupCard is a group in the directory.
type GroupCard struct {
	Slug, Name, Description string
	Private, Archived       bool
	Role                    string // "", "member", "moderator"
	Readable                bool
	Counted                 bool // the viewer may know how many topics it has
	TopicCount              int
}

// Actions are the buttons a viewer may use on a group.
type Actions struct {
	Post, Join, RequestToJoin, Leave, Moderate bool
	PendingRequest                             bool
	Role                                       string
}

// Group is a group's page header.
type Group struct {
	Slug, Name, Description string
	RulesHTML               string // sanitized
	Private, Archived       bool
	AllowAnonymous          bool
}

// TopicRow is a topic in a group's list.
type TopicRow struct {
	ID                    int64
	Title, ContentWarning string
	Pinned, Locked, Muted bool
	AuthorName            string
	AuthorUsername        string // links to the author's profile; "" for anonymous authors and former members
	ReplyCount            int
	LastActivity          time.Time
	New                   NewPosts // for the viewer alone, applied after any cached content
	LastPoster            string   // who wrote the last post anyone may see: a username, "Anonymous member" or "former member"
	LastPosterUsername    string   // for the profile link; "" when anonymous or a former member
	LatestURL             string   // the last page's last post ("" when none is visible)
}

// NewPosts is what arrived in a topic since the viewer last read it; shown only while their
// reading history is on (N is 0 otherwise).
type NewPosts struct {
	N     int  // posts by others since the viewer last read the topic
	Never bool // never opened: every post is new, and it shows as "new"
}

// JoinRequest is a waiting request for moderators.
type JoinRequest struct {
	ID                int64
	Username, Message string
	When              time.Time
}

// GroupPage is /g/:slug.
type GroupPage struct {
	Group      Group
	Actions    Actions
	Readable   bool
	SignedOut  bool // a visitor: asked to join, with links that come back here
	Topics     []TopicRow
	Pager      Pager
	Requests   []JoinRequest
	InviteLink string // just made, shown once
	ReadingOff bool   // signed in with reading history off: say how to get "N new"
}

// Pager links the pages of a list.
type Pager struct {
	Page, Pages int
	BaseURL     string // page numbers are appended as ?page=N (or &page=N when BaseURL has a query)
}

// Reaction is one reaction button.
type Reaction struct {
	Kind, Label string
	Count       int
	Mine        bool
}

// Post is one post in a topic.
type Post struct {
	ID                  int64
	Number              int
	AuthorName          string
	AuthorUsername      string // for the mute button; "" for anonymous posts and former members
	ByViewer, Anonymous bool
	BodyHTML            string
	ContentWarning      string
	When                time.Time
	Edited, Deleted     bool
	CanEdit, CanReact   bool
	CanQuote            bool
	Muted               bool
	CrisisConcern       bool
	ShowRevisions       bool
	CanMute             bool   // a signed-in reader who has not muted its author yet
	Hidden              bool   // hidden or deleted by moderators
	HiddenReason        string // why; only for its author and moderators
	BodyWithheld        bool   // hidden, and the viewer is neither the author nor a moderator
	CanReport           bool
	Held                bool // waiting for a moderator's approval: only its author and moderators see it
	FirstUnread         bool // the first post the viewer has not read (id="unread")
	Reactions           []Reaction
	CanBookmark         bool // a member may bookmark it
	Bookmarked          bool // the viewer bookmarked it
}

// TopicPage is /t/:id.
type TopicPage struct {
	ID                    int64
	Title, ContentWarning string
	Pinned, Locked        bool
	Group                 Group
	Actions               Actions
	Posts                 []Post
	Pager                 Pager
	Reply                 Compose
	Related               []Suggestion // by content only, the same for every reader
	UnreadURL             string       // "Jump to first unread": #unread on this page, or another page's
	Follow                *Follow      // nil when signed out
}

// Compose is a post form (new topic, reply or edit) with what the member typed.
type Compose struct {
	Action         string // form action URL
	WithTitle      bool
	AllowAnonymous bool
	SubmitKey      string
	QuoteOf        int64
	Form           components.Form
	Submit         string // button label
	CrisisCheck    bool   // show the crisis resources and a "publish anyway" choice
	CrisisHTML     string
	CrisisLines    components.HelpLines
	CancelURL      string
	Preview        *Preview // what was typed, rendered, when the member asked for a preview
}

// Preview is a post as it would appear, before anything is saved.
type Preview struct {
	Title, ContentWarning string
	BodyHTML              string // rendered and sanitized as a post is
	AuthorName            string // "Anonymous member" when posting anonymously
}

// Upfront reports whether the form came back with a preview, the crisis resources or an error:
// then it goes first on the page, where the member's eyes and focus are.
func (c Compose) Upfront() bool { return c.Preview != nil || c.CrisisCheck || c.Form.HasErrors() }

// Revision is an earlier version of a post.
type Revision struct {
	Title, Body, ContentWarning string
	When                        time.Time
}

// AdminGroupRow is a row on the admin page.
type AdminGroupRow struct {
	Slug, Name        string
	Private, Archived bool
}

// Suggestion is a suggested topic with its reason in words.
type Suggestion struct {
	TopicID     int64
	Title       string
	Reason      string
	ReasonURL   string // the privacy dashboard item the reason rests on, if any
	Dismissable bool   // personalized: offer "Not interested"
	New         NewPosts
	URL         string // where the link goes, when not the topic's first page
}

// HomeReading is the viewer's own part of the home page, from their reading history.
type HomeReading struct {
	Off      bool         // signed in with reading history off: say how to switch it on
	Continue []Suggestion // "Continue where you left off": topics with unread replies, newest first
}
