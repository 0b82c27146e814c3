package forum

import (
	"context"

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

// checkPost runs the prevention checks inside the writing transaction (being built).
func (s *Service) checkPost(ctx context.Context, tx *gorm.DB, in GuardInput) (GuardDecision, error) {
	return GuardDecision{}, nil
}
