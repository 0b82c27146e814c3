// Package recommend suggests topics to a member, each with its reason, in three layers:
//
//  1. without personal data (general.go): what everyone gets while "Personalized suggestions" is
//     off, from the groups they belong to;
//  2. personal (personal.go): content similarity to what the member took part in, and to what
//     they read while "Reading history" is on too, plus their "not interested" choices;
//  3. community (in personal.go): "members who read this also read", counted only over members
//     who switched on "Help suggest topics to others", and only where at least privacy.K agree.
//
// It reads topics only through the forum's access rules and behavioural data only through
// privacy's purpose-scoped readers; it stores nothing and caches nothing.
package recommend

import (
	"context"
	"golang.org/x/sync/errgroup"
	"sort"
	"time"

	"github.com/haven-forum/haven/internal/accounts"
	"github.com/haven-forum/haven/internal/forum"
	"github.com/haven-forum/haven/internal/privacy"
)

// Count is how many suggestions the home page shows.
const Count = 10

// Layers, as a suggestion says where it came from.
const (
	LayerGeneral   = "general"
	LayerPersonal  = "personal"
	LayerCommunity = "community"
)

// Suggestion is a topic and, in words, why it is suggested.
type Suggestion struct {
	TopicID int64
	Title   string
	Reason  string
	// ReasonURL points at the item of the member's privacy dashboard the reason rests on ("" for
	// the general layer, which rests on nothing about them).
	ReasonURL string
	Layer     string
	Score     float64
	// Dismissable: personalized suggestions are on, so "Not interested" can be offered.
	Dismissable bool
}

func viewerID(ctx context.Context) (int64, bool) {
	v, ok := accounts.ViewerFrom(ctx)
	return v.ID, ok
}

// Engine makes suggestions.
type Engine struct {
	forum   *forum.Reads
	privacy *privacy.Service
	now     func() time.Time
}

// New returns an engine over the forum and the privacy domain's readers.
func New(f *forum.Reads, p *privacy.Service) *Engine {
	return &Engine{forum: f, privacy: p, now: func() time.Time { return time.Now().UTC() }}
}

// Suggest returns up to Count suggestions for the viewer: personal ones while their
// "Personalized suggestions" consent is on, otherwise the general ones.
func (e *Engine) Suggest(ctx context.Context) ([]Suggestion, error) {
	memberID, ok := viewerID(ctx)
	if !ok {
		return nil, nil
	}
	now := e.now()
	// The candidates are read while the member's own signals are (two connections, two cores);
	// every read of the group is waited for before Suggest returns.
	g, gctx := errgroup.WithContext(ctx)
	var cands []forum.Candidate
	g.Go(func() error {
		var err error
		cands, err = e.forum.CandidateTopics(gctx, now.Add(-CandidateWindow), CandidateLimit)
		return err
	})
	personal, err := e.privacy.Granted(ctx, privacy.PersonalizedRecommendations)
	if err != nil {
		g.Wait()
		return nil, err
	}
	if !personal {
		if err := g.Wait(); err != nil {
			return nil, err
		}
		return general(cands, now), nil
	}
	return e.personal(ctx, memberID, reads{g, gctx, &cands}, now)
}

// reads are the reads running beside the main line of a suggestion: the candidates, and
// later the co-reading count. Their results are ready once group.Wait returns.
type reads struct {
	group *errgroup.Group
	ctx   context.Context // cancelled when one of them fails
	cands *[]forum.Candidate
}

// top sorts by score (then newest topic first) and keeps Count.
func top(out []Suggestion) []Suggestion {
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		return out[i].TopicID > out[j].TopicID
	})
	if len(out) > Count {
		out = out[:Count]
	}
	return out
}
