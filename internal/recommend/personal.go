package recommend

import (
	"context"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/haven-forum/haven/internal/forum"
	"github.com/haven-forum/haven/internal/paths"
	"github.com/haven-forum/haven/internal/privacy"
)

// Parameters of the personal and community layers, shown on /suggestions/how.
const (
	HistoryLimit    = 100                 // most recent topic opens read (reading history on)
	EngagedLimit    = 50                  // most recent topics posted or reacted in
	SignalPrefix    = 200                 // characters of their opening posts read (candidates: forum.OpeningPrefix)
	SignalHalfLife  = 30 * 24 * time.Hour // what you did counts half as much after a month
	SeedCount       = 10                  // most recent signals asked about "members who read this also read"
	CoReadLimit     = 100                 // pairs asked for
	ContentWeight   = 1.0                 // similarity of words to what you took part in
	AffinityWeight  = 0.3                 // share of your activity in the topic's group
	GeneralWeight   = 0.2                 // the general layer's score, so waiting topics still rise
	CommunityWeight = 0.5                 // members who read this also read (at most)
	DismissWeight   = 0.8                 // similarity to topics you marked "not interested"
	minReasonSim    = 0.08                // below this, a signal is not named as the reason
)

// Signal is one thing the viewer's personal suggestions rest on: a topic they started,
// replied to, reacted in or (with reading history on) read.
type Signal struct {
	TopicID, GroupID int64
	Title, GroupName string
	Kind             string // forum.EngagedStarted, EngagedReplied, EngagedReacted or KindRead
	At               time.Time
	Opens            int // how many times the reading history has it opened
}

// weight is how much the signal counts now: by what the member did, how often they came back to
// it, and how long ago.
func (s Signal) weight(now time.Time) float64 {
	return kindWeight[s.Kind] * (1 + math.Log1p(float64(s.Opens))) * math.Pow(0.5, now.Sub(s.At).Hours()/SignalHalfLife.Hours())
}

// KindRead is a topic open from the reading history.
const KindRead = "read"

var kindWeight = map[string]float64{forum.EngagedStarted: 3, forum.EngagedReplied: 2, forum.EngagedReacted: 1.5, KindRead: 1}

// Phrase says what the member did, for a reason or the dashboard: "you replied to".
func (s Signal) Phrase() string {
	switch s.Kind {
	case forum.EngagedStarted:
		return "you started"
	case forum.EngagedReplied:
		return "you replied to"
	case forum.EngagedReacted:
		return "you reacted in"
	}
	return "you read"
}

// Anchor is the id of the signal's entry on the privacy dashboard.
func (s Signal) Anchor() string { return fmt.Sprintf("signal-%d", s.TopicID) }

// Signals returns what the viewer's personal suggestions rest on now, newest first: nothing at
// all while "Personalized suggestions" is off, and no reading history unless that is on too.
func (e *Engine) Signals(ctx context.Context) ([]Signal, error) {
	memberID, ok := viewerID(ctx)
	if !ok {
		return nil, nil
	}
	on, err := e.privacy.Granted(ctx, privacy.PersonalizedRecommendations)
	if err != nil || !on {
		return nil, err
	}
	sigs, _, err := e.signals(ctx, memberID, nil)
	return sigs, err
}

// signals gathers what the member did, newest first, in topics they can still read. Once it
// knows the most recent topics, and before it reads their texts, it hands them to seeded (if
// any), so that the community layer can start counting at the same time.
func (e *Engine) signals(ctx context.Context, memberID int64, seeded func(recent []int64)) ([]Signal, map[int64]forum.TopicDoc, error) {
	engaged, err := e.forum.Engagements(ctx, EngagedLimit)
	if err != nil {
		return nil, nil, err
	}
	reads, err := e.privacy.Readers.ReadingHistoryFor(ctx, memberID, privacy.PersonalizedRecommendations, HistoryLimit)
	if err != nil {
		return nil, nil, err
	}
	byTopic := map[int64]*Signal{}
	var ids []int64
	add := func(topicID int64, kind string, at time.Time) {
		s, ok := byTopic[topicID]
		if !ok {
			byTopic[topicID] = &Signal{TopicID: topicID, Kind: kind, At: at}
			ids = append(ids, topicID)
			return
		}
		if kindWeight[kind] > kindWeight[s.Kind] {
			s.Kind = kind
		}
		if at.After(s.At) {
			s.At = at
		}
	}
	since, err := e.privacy.Readers.ErasedBefore(ctx, memberID)
	if err != nil {
		return nil, nil, err
	}
	for _, en := range engaged {
		if en.At.After(since) { // erasing everything starts suggestions afresh
			add(en.TopicID, en.Kind, en.At)
		}
	}
	for _, r := range reads {
		add(r.TopicID, KindRead, r.At)
		byTopic[r.TopicID].Opens++
	}
	sort.Slice(ids, func(i, j int) bool {
		a, b := byTopic[ids[i]], byTopic[ids[j]]
		if !a.At.Equal(b.At) {
			return a.At.After(b.At)
		}
		return a.TopicID > b.TopicID
	})
	if seeded != nil {
		seeded(ids[:min(len(ids), SeedCount)])
	}
	docs, err := e.forum.TopicDocs(ctx, ids, SignalPrefix)
	if err != nil {
		return nil, nil, err
	}
	byID := make(map[int64]forum.TopicDoc, len(docs))
	for _, d := range docs {
		byID[d.TopicID] = d
	}
	var out []Signal
	for _, id := range ids { // newest first, only topics the viewer can still read
		d, ok := byID[id]
		if !ok {
			continue
		}
		s := byTopic[id]
		s.Title, s.GroupID, s.GroupName = d.Title, d.GroupID, d.GroupName
		out = append(out, *s)
	}
	return out, byID, nil
}

// personal ranks candidates for a member whose "Personalized suggestions" consent is on.
func (e *Engine) personal(ctx context.Context, memberID int64, bg reads, now time.Time) ([]Suggestion, error) {
	// Community layer: "members who read this also read", from the most recent signals, counted
	// while the signals' texts are read.
	var pairs []privacy.CoRead
	sigs, sigDocs, err := e.signals(ctx, memberID, func(seeds []int64) {
		bg.group.Go(func() error {
			var err error
			pairs, err = e.privacy.Readers.CoReadFor(bg.ctx, memberID, seeds, CoReadLimit)
			return err
		})
	})
	if err != nil {
		bg.group.Wait() // no read of this request goes on after it
		return nil, err
	}
	dismissed, err := e.privacy.Readers.NotInterestedFor(ctx, memberID)
	if err != nil {
		bg.group.Wait()
		return nil, err
	}
	dismissedDocs, err := e.forum.TopicDocs(ctx, dismissed, SignalPrefix)
	if err != nil {
		bg.group.Wait()
		return nil, err
	}
	exclude := map[int64]bool{}
	for _, id := range dismissed {
		exclude[id] = true
	}
	for _, s := range sigs {
		exclude[s.TopicID] = true
	}

	if err := bg.group.Wait(); err != nil {
		return nil, err
	}
	cands := *bg.cands
	community := map[int64]privacy.CoRead{} // the best-supported pair per topic
	have := map[int64]bool{}
	for _, c := range cands {
		have[c.TopicID] = true
	}
	var missing []int64
	for _, c := range pairs {
		if _, readable := sigDocs[c.SeedID]; !readable {
			continue // a seed the member can no longer read names no reason
		}
		if best, ok := community[c.TopicID]; !ok || c.Contributors > best.Contributors {
			community[c.TopicID] = c
		}
		if !have[c.TopicID] {
			have[c.TopicID] = true
			missing = append(missing, c.TopicID)
		}
	}
	if len(missing) > 0 {
		more, err := e.forum.CandidatesByID(ctx, missing) // the same access rules
		if err != nil {
			return nil, err
		}
		cands = append(cands, more...)
	}

	// Word vectors, weighted by how rare each word is among the candidates (not among the
	// member's own topics: the words they keep coming back to must not count less for it).
	var idf corpus
	candVec := make([]vector, len(cands))
	for i, c := range cands {
		candVec[i] = idf.add(forum.TermVector(c.Title, c.Opening))
	}
	sigVec := make([]vector, len(sigs))
	sigWeight := make([]float64, len(sigs))
	for i, s := range sigs {
		d := sigDocs[s.TopicID]
		sigVec[i] = fromCounts(forum.TermVector(d.Title, d.Opening))
	}
	negVec := make([]vector, len(dismissedDocs))
	for i, d := range dismissedDocs {
		negVec[i] = fromCounts(forum.TermVector(d.Title, d.Opening))
	}
	var profile []vector
	affinity := map[int64]float64{}
	var total float64
	for i, s := range sigs {
		w := s.weight(now)
		sigWeight[i] = w
		affinity[s.GroupID] += w
		total += w
		sigVec[i] = idf.weigh(sigVec[i])
		profile = append(profile, sigVec[i].scale(w))
	}
	prof := sum(profile).unit().asMap()
	for i := range negVec {
		negVec[i] = idf.weigh(negVec[i]).unit()
	}
	for i := range sigVec {
		sigVec[i] = sigVec[i].unit()
	}

	var maxGeneral float64
	gen := make([]Suggestion, len(cands))
	for i, c := range cands {
		gen[i] = generalOne(c, now)
		maxGeneral = math.Max(maxGeneral, gen[i].Score)
	}
	out := make([]Suggestion, 0, len(cands))
	parts := make(map[int64]scoreParts, len(cands))
	for i, c := range cands {
		if exclude[c.TopicID] {
			continue
		}
		vc := idf.weigh(candVec[i]).unit()
		content := vc.dotMap(prof)
		aff := 0.0
		if total > 0 {
			aff = affinity[c.GroupID] / total
		}
		g := 0.0
		if maxGeneral > 0 {
			g = gen[i].Score / maxGeneral
		}
		neg := 0.0
		for _, nv := range negVec {
			neg = math.Max(neg, dot(nv, vc))
		}
		comm := 0.0
		if pair, ok := community[c.TopicID]; ok {
			comm = CommunityWeight * math.Min(1, float64(pair.Contributors)/float64(4*privacy.K))
			comm = math.Max(comm, CommunityWeight/4)
		}
		out = append(out, Suggestion{TopicID: c.TopicID, Title: c.Title, Layer: LayerPersonal,
			Score: ContentWeight*content + AffinityWeight*aff + GeneralWeight*g + comm - DismissWeight*neg})
		parts[c.TopicID] = scoreParts{vec: vc, content: content, aff: aff, comm: comm, general: gen[i].Reason, group: c.GroupName}
	}
	res := top(out)
	// The reason of each suggestion shown: the strongest single cause, in words, linking to what
	// it rests on (worked out only for the few shown).
	for i := range res {
		p := parts[res[i].TopicID]
		best, bestSim := -1, 0.0
		for j := range sigs {
			if sim := sigWeight[j] * dot(sigVec[j], p.vec); sim > bestSim {
				best, bestSim = j, sim
			}
		}
		pair, hasPair := community[res[i].TopicID]
		s := &res[i]
		switch {
		case hasPair && p.comm >= ContentWeight*p.content:
			seed := sigsByID(sigs, pair.SeedID)
			s.Layer = LayerCommunity
			s.Reason = fmt.Sprintf("Members who read “%s” also read this", seed.Title)
			s.ReasonURL = paths.Privacy + "#" + seed.Anchor()
		case best >= 0 && dot(sigVec[best], p.vec) >= minReasonSim:
			s.Reason = fmt.Sprintf("Because %s “%s”", sigs[best].Phrase(), sigs[best].Title)
			s.ReasonURL = paths.Privacy + "#" + sigs[best].Anchor()
		case p.aff > 0:
			s.Reason = fmt.Sprintf("Because you take part in %s", p.group)
			s.ReasonURL = paths.Privacy + "#suggestions-use"
		default:
			s.Reason, s.Layer = p.general, LayerGeneral
		}
	}
	for i := range res {
		res[i].Dismissable = true
	}
	return res, nil
}

func sigsByID(sigs []Signal, id int64) Signal {
	for _, s := range sigs {
		if s.TopicID == id {
			return s
		}
	}
	return Signal{TopicID: id}
}

// scoreParts keeps what a candidate's score was made of, to word the reason of those shown.
type scoreParts struct {
	vec                vector
	content, aff, comm float64
	general, group     string
}
