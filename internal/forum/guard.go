package forum

import (
	"context"
	"fmt"
	"time"

	"github.com/haven-forum/haven/internal/accounts"
	"github.com/haven-forum/haven/internal/apperr"
	"github.com/haven-forum/haven/internal/throttle"
	"gorm.io/gorm"
)

// GuardInput is a post about to be written, for the checks that prevent harm before it is
// published (watched words, holding new members' first posts, rate limits).
type GuardInput struct {
	GroupID, AuthorID int64
	Title, Body       string
	IsTopic           bool
}

// GuardDecision says what to do with the post.
type GuardDecision struct {
	Block string // non-empty: refuse the post with this message (the text is kept in the form)
	Hold  bool   // publish only after a moderator approves it
	Flag  string // non-empty: publish, and put it in the queue with this note
}

// PostLimits are how many topics and replies a member may post per window; accounts younger
// than NewAccountAge get the New limits.
type PostLimits struct {
	Topics, Replies       throttle.Limit
	NewTopics, NewReplies throttle.Limit
	NewAccountAge         time.Duration
}

// DefaultPostLimits are the production limits.
var DefaultPostLimits = PostLimits{
	Topics:        throttle.Limit{Max: 10, Window: time.Hour},
	Replies:       throttle.Limit{Max: 60, Window: time.Hour},
	NewTopics:     throttle.Limit{Max: 3, Window: time.Hour},
	NewReplies:    throttle.Limit{Max: 20, Window: time.Hour},
	NewAccountAge: 7 * 24 * time.Hour,
}

// HoldFirstPostsMax is the most first posts a group can hold for approval.
const HoldFirstPostsMax = 50

// postLimiter is the forum's rate limits on posting; off while key is nil.
type postLimiter struct {
	key    []byte
	limits PostLimits
}

// WithPostLimits turns on rate limits for posting and returns f. The counters live in the
// throttle table under keys hashed with throttleKey. They are counted inside the writing
// transaction (another connection would wait on SQLite's write lock), so a refused or failed
// post counts nothing.
func (f *Forum) WithPostLimits(throttleKey []byte, l PostLimits) *Forum {
	f.state.posting = postLimiter{key: throttleKey, limits: l}
	return f
}

// poster is what the checks need to know about who is posting, and where.
type poster struct {
	CreatedAt      time.Time
	IsAdmin        bool
	Role           string // in the group
	HoldFirstPosts int    // the group's setting
}

// checkPost runs the prevention checks inside the writing transaction.
func (s *Service) checkPost(ctx context.Context, tx *gorm.DB, in GuardInput) (GuardDecision, error) {
	a, err := s.posterOf(ctx, tx, in)
	if err != nil {
		return GuardDecision{}, err
	}
	trusted := a.IsAdmin || a.Role == RoleModerator
	d, err := s.checkWords(ctx, tx, in, trusted)
	if err != nil || d.Block != "" {
		return d, err
	}
	if !d.Hold && !trusted && a.HoldFirstPosts > 0 {
		var published int64
		err := tx.WithContext(ctx).Raw(`SELECT COUNT(*) FROM posts p JOIN topics t ON t.id = p.topic_id
			WHERE t.group_id = ? AND p.author_id = ? AND NOT p.held AND p.deleted_at IS NULL`, in.GroupID, in.AuthorID).Scan(&published).Error
		if err != nil {
			return d, fmt.Errorf("forum: unable to count the author's posts: %w", err)
		}
		d.Hold = published < int64(a.HoldFirstPosts)
	}
	d.Block, err = s.rateLimit(ctx, tx, in, a.CreatedAt, trusted)
	return d, err
}

// checkEdit runs, inside the editing transaction, the checks whose answer depends on the text:
// the watched words. An edit is not a new post, so it counts against no rate limit, and a post
// already approved is not held again for being among its author's first.
func (s *Service) checkEdit(ctx context.Context, tx *gorm.DB, in GuardInput) (GuardDecision, error) {
	a, err := s.posterOf(ctx, tx, in)
	if err != nil {
		return GuardDecision{}, err
	}
	return s.checkWords(ctx, tx, in, a.IsAdmin || a.Role == RoleModerator)
}

func (s *Service) posterOf(ctx context.Context, tx *gorm.DB, in GuardInput) (poster, error) {
	var a poster
	err := tx.WithContext(ctx).Raw(`SELECT COALESCE(gm.role, '') AS role, g.hold_first_posts
		FROM groups g LEFT JOIN group_members gm ON gm.group_id = g.id AND gm.member_id = ?
		WHERE g.id = ?`, in.AuthorID, in.GroupID).Scan(&a).Error
	if err != nil {
		return a, fmt.Errorf("forum: unable to read the author: %w", err)
	}
	author, err := accounts.Members(ctx, tx, []int64{in.AuthorID})
	if err != nil {
		return a, err
	}
	a.CreatedAt, a.IsAdmin = author[in.AuthorID].CreatedAt, author[in.AuthorID].IsAdmin()
	return a, nil
}

// checkWords decides by the strongest watched word in the title and body.
func (s *Service) checkWords(ctx context.Context, tx *gorm.DB, in GuardInput, trusted bool) (GuardDecision, error) {
	var d GuardDecision
	w, ok, err := s.mod.watchedWord(ctx, tx, in.Title+"\n"+in.Body)
	if err != nil || !ok {
		return d, err
	}
	switch {
	case w.Action == WordBlock:
		d.Block = fmt.Sprintf("Your post contains “%s”, which isn't allowed here. Your text is kept below: edit it and post again.", w.Word)
	case w.Action == WordHold && !trusted: // moderators and admins are never held; their post is flagged
		d.Hold = true
	default:
		d.Flag = fmt.Sprintf("Contains the watched word “%s”.", w.Word)
	}
	return d, nil
}

// rateLimit counts the post against its author's limit and returns the message to show if it
// goes over. The count is a hashed key and a number in the throttle table, never the member's
// activity. Staff (site admins, the group's moderators) are never held to the new-account tier:
// an admin setting up a forum is new too.
func (s *Service) rateLimit(ctx context.Context, tx *gorm.DB, in GuardInput, joinedSite time.Time, staff bool) (string, error) {
	l := s.posting.limits
	if s.posting.key == nil {
		return "", nil
	}
	isNew := !staff && s.now().Sub(joinedSite) < l.NewAccountAge
	key, limit := "post-reply:", l.Replies
	switch {
	case in.IsTopic && isNew:
		key, limit = "post-topic:", l.NewTopics
	case in.IsTopic:
		key, limit = "post-topic:", l.Topics
	case isNew:
		limit = l.NewReplies
	}
	err := throttle.New(tx, s.posting.key).Hit(ctx, fmt.Sprint(key, in.AuthorID), limit)
	e, ok := apperr.As(err)
	if !ok || e.Code != apperr.ERATELIMIT {
		return "", err
	}
	mins := max(1, int((e.RetryAfter+time.Minute-1)/time.Minute))
	unit := "minutes"
	if mins == 1 {
		unit = "minute"
	}
	why := ""
	if isNew {
		why = " (new accounts have lower limits)"
	}
	return fmt.Sprintf("You're posting faster than Haven allows for now%s. Please try again in %d %s. Your text is kept.", why, mins, unit), nil
}
