// Package recommend suggests topics to a member, each with its reason. This first layer uses no
// personal data at all: it is what everyone gets while personalized suggestions are off. It reads
// topics only through the forum's access rules and behavioural data only through privacy's
// purpose-scoped readers (used by the personal layers still to come).
package recommend

import (
	"context"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/haven-forum/haven/internal/forum"
)

// Count is how many suggestions the home page shows.
const Count = 10

// Suggestion is a topic and, in words, why it is suggested.
type Suggestion struct {
	TopicID int64
	Title   string
	Reason  string
	Score   float64
}

// Engine makes suggestions.
type Engine struct {
	forum *forum.Service
	now   func() time.Time
}

// New returns an engine over the forum.
func New(f *forum.Service) *Engine {
	return &Engine{forum: f, now: func() time.Time { return time.Now().UTC() }}
}

// Parameters of the non-personal layer, shown on /suggestions/how.
const (
	CandidateWindow = 30 * 24 * time.Hour // topics active in the last 30 days
	HalfLife        = 72 * time.Hour      // activity counts half as much every 3 days
	WaitingBoost    = 2.0                 // a topic still waiting for a first reply counts double
	ReactionWeight  = 0.1                 // each reaction in the last week adds a little
)

// Suggest returns up to Count suggestions for the viewer from the groups they belong to.
func (e *Engine) Suggest(ctx context.Context) ([]Suggestion, error) {
	now := e.now()
	cands, err := e.forum.CandidateTopics(ctx, now.Add(-CandidateWindow), 500)
	if err != nil {
		return nil, err
	}
	out := make([]Suggestion, 0, len(cands))
	for _, c := range cands {
		age := now.Sub(c.LastPostAt).Hours()
		decay := math.Pow(0.5, age/HalfLife.Hours())
		score := decay * (1 + ReactionWeight*float64(c.RecentReactions))
		reason := fmt.Sprintf("Recent, supportive activity in %s", c.GroupName)
		if c.ReplyCount == 0 {
			score *= WaitingBoost
			reason = fmt.Sprintf("Waiting for a first reply in %s", c.GroupName)
		}
		out = append(out, Suggestion{TopicID: c.TopicID, Title: c.Title, Reason: reason, Score: score})
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		return out[i].TopicID > out[j].TopicID
	})
	if len(out) > Count {
		out = out[:Count]
	}
	return out, nil
}
