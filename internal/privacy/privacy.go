package privacy

import (
	"context"
	"time"

	"github.com/haven-forum/haven/internal/accounts"
	"github.com/haven-forum/haven/internal/apperr"
	"gorm.io/gorm"
)

// Service is the privacy domain.
type Service struct {
	db    *gorm.DB
	now   func() time.Time
	batch *batcher // nil: every topic open is written at once
	// Policy and controller details for consent receipts.
	Controller ControllerInfo
}

// ControllerInfo names who is responsible for the data, for consent receipts.
type ControllerInfo struct {
	Name, Contact, PolicyURL, Jurisdiction string
}

// NewService returns the privacy service on db.
func NewService(db *gorm.DB, c ControllerInfo) *Service {
	return &Service{db: db, now: func() time.Time { return time.Now().UTC() }, Controller: c}
}

type gpcKey struct{}

// WithGPC marks ctx as coming from a browser that sent Global Privacy Control (Sec-GPC: 1):
// nothing is recorded for such a request, whatever the member's switches say.
func WithGPC(ctx context.Context) context.Context { return context.WithValue(ctx, gpcKey{}, true) }

// GPC reports whether the request carried Global Privacy Control.
func GPC(ctx context.Context) bool { v, _ := ctx.Value(gpcKey{}).(bool); return v }

func member(ctx context.Context) (accounts.Viewer, error) {
	v, ok := accounts.ViewerFrom(ctx)
	if !ok {
		return v, apperr.New(apperr.EUNAUTHORIZED, "Please log in to see your privacy settings.")
	}
	return v, nil
}

// SetClock replaces the clock (tests that compare two databases bit for bit, and generators).
func (s *Service) SetClock(now func() time.Time) { s.now = now }
