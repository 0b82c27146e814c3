// Package forum owns support groups, topics, posts, reactions and the choices members make
// about what they see. Who may read or act in a group is decided in access.go and nowhere else;
// site-admin actions check the role where they are defined.
package forum

import (
	"context"
	"time"

	"github.com/haven-forum/haven/internal/accounts"
	"github.com/haven-forum/haven/internal/site"
	"gorm.io/gorm"
)

// Limits on what members write.
const (
	TitleMin        = 3
	TitleMax        = 150
	BodyMax         = 20000
	WarningMax      = 100
	GroupNameMax    = 80
	SlugMax         = 40
	DescriptionMax  = 500
	RulesMax        = 10000
	TopicsPerPage   = 30
	PostsPerPage    = 50
	AnonymousName   = "Anonymous member"
	FormerMember    = "former member"
	HiddenTermsMax  = 20
	HiddenTermMax   = 40
	SearchPerPage   = 20
	SearchQueryMax  = 200
	InviteLifetime  = 14 * 24 * time.Hour
	ReactionKindMax = 4
)

// Visibility of a group.
const (
	Public  = "public"
	Private = "private"
)

// Roles within a group.
const (
	RoleMember    = "member"
	RoleModerator = "moderator"
)

// ReactionKinds are the reactions fit for a support community, in display order.
var ReactionKinds = []ReactionKind{
	{"hear_you", "I hear you"},
	{"strength", "Sending strength"},
	{"me_too", "Me too"},
	{"thank_you", "Thank you"},
}

// ReactionKind is one kind of reaction.
type ReactionKind struct{ Key, Label string }

// Forum is the forum domain on one database: a service per area, each sized to be read, all
// deciding who may read or act in a group through access.go. New builds them together.
type Forum struct {
	Groups    *Groups    // groups, membership, join requests, invites, and who may do what in each
	Posts     *Service   // topics, posts, reactions, members' reading choices, the checks before publishing
	Index     *Index     // full-text search over what the viewer may read
	Reads     *Reads     // reads that are not a page: suggestions' inputs, a group's insights, a member's export
	Moderated *Moderated // what the moderation domain reads and changes in the forum
	Profiles  *Profiles  // members' profiles and bookmarks
	Follows   *Follows   // the topics members chose to follow, and whether replying follows one
	state     *shared
}

// shared is the state every forum service holds. It has no methods: embedding it lends each
// service its fields, never another service's methods.
type shared struct {
	db       *gorm.DB
	settings *site.Settings
	notify   Notifier
	now      func() time.Time
	posting  postLimiter    // rate limits on posting, off until WithPostLimits (guard.go)
	mod      moderationLink // sanctions, watched words and the queue (moderation.NewService connects it)
	cache    *contentCache  // content any reader of a group sees alike, keyed by its content version
}

// Service is the forum's topics and posts: writing them (with the checks before publishing,
// guard.go), reading them, reactions, members' reading choices, and erasing a member's posts.
type Service struct {
	*shared
	groups *Groups // access to a topic's group
}

// Notifier is told about events other members may want to hear of; Inbox (notifications.go) is the one in use.
type Notifier interface {
	PostCreated(ctx context.Context, tx *gorm.DB, e PostEvent) error
	JoinAnswered(ctx context.Context, tx *gorm.DB, memberID, groupID int64, approved bool) error
}

// PostEvent describes a new post for notifications.
type PostEvent struct {
	PostID, TopicID, GroupID int64
	AuthorID                 int64 // never shown when Anonymous
	Anonymous                bool
	TopicAuthorID            int64
	QuotedAuthorID           int64
	Body                     string
}

// New returns the forum on db. notify may be nil.
func New(db *gorm.DB, settings *site.Settings, notify Notifier) *Forum {
	sh := &shared{db: db, settings: settings, notify: notify, now: func() time.Time { return time.Now().UTC() }, cache: newContentCache()}
	g := &Groups{shared: sh}
	p := &Service{shared: sh, groups: g}
	return &Forum{Groups: g, Posts: p, Index: &Index{shared: sh, groups: g}, Reads: &Reads{shared: sh, groups: g},
		Moderated: &Moderated{shared: sh, groups: g, posts: p}, Profiles: &Profiles{shared: sh, groups: g, posts: p},
		Follows: &Follows{shared: sh, groups: g}, state: sh}
}

func viewer(ctx context.Context) (accounts.Viewer, bool) { return accounts.ViewerFrom(ctx) }

// SetClock replaces the clock of every forum service (tests that compare two databases bit for bit, and generators).
func (f *Forum) SetClock(now func() time.Time) { f.state.now = now }
