package forum

import (
	"context"

	"gorm.io/gorm"
)

// sanctions says what stops a member from posting in a group (being built).
type sanctions struct {
	Muted, Banned, Suspended bool
	Message                  string // why, for the member
}

func (s *Service) sanctionsFor(ctx context.Context, tx *gorm.DB, groupID, memberID int64) (sanctions, error) {
	return sanctions{}, nil
}
