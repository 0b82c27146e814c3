package privacy

import (
	"context"
	"time"

	"github.com/haven-forum/haven/internal/accounts"
	"github.com/haven-forum/haven/internal/apperr"
	"github.com/haven-forum/haven/internal/forum"
	"gorm.io/gorm"
)

// Service is the privacy domain a member sees and drives: the activity record, consents,
// inferences, "not interested" and erasure.
type Service struct {
	*shared
	Readers *Readers // what other domains read of the record (suggestions, insights, export)
	Reading *Reading // the member's own read positions and what is new for them
}

// Readers is what other domains read of the activity record: a member's history for their
// suggestions, co-reading, a group's reading figures. Each read honours the consents in force
// and, for community figures, counts only established accounts.
type Readers struct {
	*shared
	record *Service // flushed before each read, so a member sees their latest topic open
}

// shared is the state the privacy services hold. It has no methods: embedding it lends each
// service its fields, never another service's methods.
type shared struct {
	db    *gorm.DB
	now   func() time.Time
	batch *batcher // nil: every topic open is written at once
	// Policy and controller details for consent receipts.
	Controller ControllerInfo
	// Who counts toward a figure over K members; see Established.
	Established Established
}

// Established says which accounts count toward the K members a community figure needs: only
// accounts at least MinAge old with at least MinActivity visible posts and reactions, so a
// handful of fresh accounts cannot make up the numbers around one real member.
type Established struct {
	MinAge      time.Duration
	MinActivity int
}

// DefaultEstablished applies unless configured otherwise.
var DefaultEstablished = Established{MinAge: 14 * 24 * time.Hour, MinActivity: 3}

// establishedAmong returns those of ids that are established, asking the packages that own
// accounts and posts.
func (s *Readers) establishedAmong(ctx context.Context, ids []int64) (map[int64]bool, error) {
	out := map[int64]bool{}
	if len(ids) == 0 {
		return out, nil
	}
	old, err := accounts.CreatedBefore(ctx, s.db, ids, s.now().Add(-s.Established.MinAge))
	if err != nil {
		return nil, err
	}
	active, err := forum.ActiveAtLeast(ctx, s.db, old, s.Established.MinActivity)
	if err != nil {
		return nil, err
	}
	for _, id := range active {
		out[id] = true
	}
	return out, nil
}

// ControllerInfo names who is responsible for the data, for consent receipts and the policy.
type ControllerInfo struct {
	Name, Contact, PolicyURL, Jurisdiction string
	Address, Email, Phone                  string
}

// NewService returns the privacy service on db.
func NewService(db *gorm.DB, c ControllerInfo) *Service {
	s := &Service{shared: &shared{db: db, now: func() time.Time { return time.Now().UTC() }, Controller: c, Established: DefaultEstablished}}
	s.Readers = &Readers{shared: s.shared, record: s}
	s.Reading = &Reading{shared: s.shared, record: s}
	return s
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
