package recommend

import (
	"fmt"
	"math"
	"time"

	"github.com/haven-forum/haven/internal/forum"
)

// Parameters of the general layer, shown on /suggestions/how.
const (
	CandidateWindow = 30 * 24 * time.Hour // topics active in the last 30 days
	CandidateLimit  = 500                 // the most recently active of them
	HalfLife        = 72 * time.Hour      // activity counts half as much every 3 days
	WaitingBoost    = 2.0                 // a topic still waiting for a first reply counts double
	ReactionWeight  = 0.1                 // each reaction in the last week adds a little
)

// general scores candidates without any personal data: waiting topics first, recent supportive
// activity, time decay. The same for every member with the same groups. It keeps the Count best;
// only those get their reason in words (formatting one for each of 500 candidates cost more
// than scoring them).
func general(cands []forum.Candidate, now time.Time) []Suggestion {
	out := make([]Suggestion, 0, len(cands))
	for _, c := range cands {
		out = append(out, Suggestion{TopicID: c.TopicID, Title: c.Title, Layer: LayerGeneral, Score: generalScore(c, now)})
	}
	out = top(out)
	for _, c := range cands {
		for i := range out {
			if out[i].TopicID == c.TopicID {
				out[i].Reason = generalReason(c)
			}
		}
	}
	return out
}

func generalOne(c forum.Candidate, now time.Time) Suggestion {
	return Suggestion{TopicID: c.TopicID, Title: c.Title, Reason: generalReason(c), Layer: LayerGeneral, Score: generalScore(c, now)}
}

func generalScore(c forum.Candidate, now time.Time) float64 {
	age := now.Sub(c.LastPostAt).Hours()
	score := math.Pow(0.5, age/HalfLife.Hours()) * (1 + ReactionWeight*float64(c.RecentReactions))
	if c.ReplyCount == 0 {
		score *= WaitingBoost
	}
	return score
}

func generalReason(c forum.Candidate) string {
	if c.ReplyCount == 0 {
		return fmt.Sprintf("Waiting for a first reply in %s", c.GroupName)
	}
	return fmt.Sprintf("Recent, supportive activity in %s", c.GroupName)
}
