package moderation

import (
	"context"
	"time"

	"github.com/haven-forum/haven/internal/accounts"
	"github.com/haven-forum/haven/internal/apperr"
	"github.com/haven-forum/haven/internal/forum"
	"gorm.io/gorm"
)

// Service is the moderation domain: the queue, moderators' and admins' actions, sanctions,
// appeals, watched words and the log. It acts on posts, topics and memberships only through
// the forum's functions; the forum asks it about sanctions, watched words and the queue
// through forum.Moderation.
type Service struct {
	*shared
	Records *Records // what moderation holds about one member, for their export and dashboard
}

// Records reads what moderation holds about one member (actions on them, their reports,
// appeals and sanctions, what they did as a moderator), for their export and dashboard. It
// changes nothing.
type Records struct {
	*shared
}

// shared is the state the moderation services hold. It has no methods: embedding it lends each
// service its fields, never another service's methods.
type shared struct {
	db    *gorm.DB
	forum *forum.Moderated
	now   func() time.Time
}

// NewService returns the moderation domain over f's groups and connects itself to f.
func NewService(db *gorm.DB, f *forum.Forum) *Service {
	sh := &shared{db: db, forum: f.Moderated, now: func() time.Time { return time.Now().UTC() }}
	s := &Service{shared: sh, Records: &Records{shared: sh}}
	f.WithModeration(s)
	return s
}

// SetClock replaces the clock (tests).
func (s *Service) SetClock(now func() time.Time) { s.now = now }

var _ forum.Moderation = (*Service)(nil)

func viewer(ctx context.Context) (accounts.Viewer, bool) { return accounts.ViewerFrom(ctx) }

func requireSignedIn(ctx context.Context) (accounts.Viewer, error) {
	v, ok := viewer(ctx)
	if !ok {
		return v, apperr.New(apperr.EUNAUTHORIZED, "Please log in first.")
	}
	return v, nil
}

// errNotFound hides whether a thing exists from someone who may not see it (as the forum does).
var errNotFound = apperr.New(apperr.ENOTFOUND, "There is nothing here, or you do not have access to it.")

// Enqueue puts a new post in front of its group's moderators (forum.Moderation).
func (s *Service) Enqueue(ctx context.Context, tx *gorm.DB, it forum.Queued) error {
	return addItem(ctx, tx, Item{GroupID: it.GroupID, Kind: it.Kind, PostID: it.PostID, MemberID: it.AuthorID,
		AtRisk: it.Kind == KindConcern, Detail: it.Detail}, it.At)
}

// WatchedWord returns the strongest watched word in text (forum.Moderation).
func (s *Service) WatchedWord(ctx context.Context, tx *gorm.DB, text string) (forum.Watched, bool, error) {
	words, err := watchedWords(ctx, tx)
	if err != nil {
		return forum.Watched{}, false, err
	}
	w, ok := MatchWatched(words, text)
	return forum.Watched{Word: w.Word, Action: w.Action}, ok, nil
}

func isAdmin(ctx context.Context) bool {
	v, ok := viewer(ctx)
	return ok && v.IsAdmin()
}
