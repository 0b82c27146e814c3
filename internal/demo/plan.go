package demo

import (
	"fmt"
	"slices"
	"time"

	"github.com/haven-forum/haven/internal/forum"
)

// demoSpan is how far back the demo's activity reaches.
const demoSpan = 60 * 24 * time.Hour

// introductions answer a group's welcome post.
var introductions = []string{
	"Hello! Mostly going to read for a while, but thank you for making this space.",
	"Hi all. Found this group after a hard few months. Glad it exists.",
	"Thank you for the clear rules. It already feels safer than other places I've tried.",
	"Hello from a long-time lurker. Finally made an account.",
	"Hi everyone. I'm not great at writing about this stuff, but I'm going to try.",
	"Thanks for the welcome. It helps to know there are moderators keeping an eye on things.",
	"Hello. A friend recommended Haven. Looking forward to getting to know people here, slowly.",
	"Hi. Just introducing myself so I don't feel like a ghost. Be kind to yourselves today.",
}

// deck hands out texts in a shuffled order, reshuffling when it runs out, so that a text
// comes back only after all the others.
type deck struct {
	texts []string
	next  int
}

func (s *seeder) newDeck(texts ...[]string) *deck {
	d := &deck{texts: slices.Concat(texts...)}
	d.next = len(d.texts)
	return d
}

// draw returns the next text that is not already in the thread.
func (s *seeder) draw(d *deck, used map[string]bool) string {
	for tries := 0; ; tries++ {
		if d.next == len(d.texts) {
			s.rng.Shuffle(len(d.texts), func(i, j int) { d.texts[i], d.texts[j] = d.texts[j], d.texts[i] })
			d.next = 0
		}
		t := d.texts[d.next]
		d.next++
		if !used[t] || tries > len(d.texts) {
			used[t] = true
			return t
		}
	}
}

// plan lays out every post and reaction, and when each happens, ending just before now.
func (s *seeder) plan(now time.Time) {
	intros := s.newDeck(introductions)
	follow := map[string]*deck{"": s.newDeck(followUps[""]), ahead: s.newDeck(followUps[ahead]), good: s.newDeck(followUps[good])}
	var welcomes, others []int
	for _, g := range demoGroups {
		decks := map[string]*deck{
			"":    s.newDeck(g.replies, hardReplies, neutralReplies),
			good:  s.newDeck(goodReplies, neutralReplies),
			ahead: s.newDeck(aheadReplies, g.replies, neutralReplies),
		}
		for ti := range g.topics {
			t := &g.topics[ti]
			first := len(s.posts)
			author := g.staff
			if !t.welcome {
				author = g.members[s.rng.IntN(len(g.members))]
			}
			s.posts = append(s.posts, plannedPost{group: g, topic: t, first: first, author: author, anonymous: t.anonymous, body: t.body, quoteOf: -1})
			if t.welcome {
				s.planWelcome(first, intros)
				welcomes = append(welcomes, first)
			} else {
				s.planThread(first, decks[t.kind], follow[t.kind])
				others = append(others, first)
			}
			s.topics++
		}
	}
	s.rng.Shuffle(len(others), func(i, j int) { others[i], others[j] = others[j], others[i] })
	start, end := now.Add(-demoSpan), now.Add(-10*time.Minute)
	for k, first := range welcomes {
		s.planTimes(first, start.Add(time.Duration(k)*2*time.Hour), end)
	}
	step := (demoSpan - 4*24*time.Hour) / time.Duration(len(others))
	for k, first := range others {
		jitter := time.Duration(s.rng.Int64N(int64(8 * time.Hour)))
		s.planTimes(first, start.Add(48*time.Hour+time.Duration(k)*step+jitter), end)
	}
	for i := range s.posts {
		s.planReactions(i, end)
	}
}

// planWelcome has a few of the group's members introduce themselves under its welcome post.
func (s *seeder) planWelcome(first int, intros *deck) {
	g := s.posts[first].group
	members := slices.Clone(g.members)
	s.rng.Shuffle(len(members), func(i, j int) { members[i], members[j] = members[j], members[i] })
	used := map[string]bool{}
	for _, m := range members[:2+s.rng.IntN(len(members)-1)] {
		s.posts = append(s.posts, plannedPost{group: g, topic: s.posts[first].topic, first: first, author: m, body: s.draw(intros, used), quoteOf: -1})
	}
}

// planThread adds a topic's replies: its written thread if it has one, otherwise one to eight
// replies that start with the topic's own answers and go on with texts drawn from the deck
// for its kind, with the author coming back now and then, an occasional quote of an earlier
// post and an occasional @mention. An anonymous author stays anonymous in their own thread.
func (s *seeder) planThread(first int, replies, follow *deck) {
	top := s.posts[first]
	g, written, answers := top.group, top.topic.thread, top.topic.answers
	n := len(written)
	if written == nil {
		n = max(1+s.rng.IntN(4)+s.rng.IntN(5), len(answers))
	}
	used := map[string]bool{}
	thread := []int{first}
	comebacks := 0
	for k := 0; k < n; k++ {
		prev := s.posts[thread[len(thread)-1]]
		by := ""
		switch {
		case written != nil:
			by = written[k].by
		case k > 0 && n-k > len(answers) && prev.author != top.author && comebacks < 2 && s.rng.IntN(5) == 0:
			by = byAuthor
			comebacks++
		case s.rng.IntN(8) == 0:
			by = byStaff
		}
		p := plannedPost{group: g, topic: top.topic, first: first, quoteOf: -1}
		switch by {
		case byAuthor:
			p.author, p.anonymous = top.author, top.anonymous
		case byStaff:
			p.author = g.staff
		default:
			p.author = s.pickMember(g, top.author, prev.author)
			p.anonymous = g.anonymous && s.rng.IntN(4) == 0
		}
		switch {
		case written != nil:
			p.body = written[k].text
		case by == byAuthor:
			p.body = s.draw(follow, used)
		case len(answers) > 0:
			p.body, answers, p.quotable = answers[0], answers[1:], true
		default:
			p.body, p.quoteOf, p.quotable = s.replyText(thread, p.author, replies, used)
		}
		thread = append(thread, len(s.posts))
		s.posts = append(s.posts, p)
	}
}

// pickMember is a member of g other than the topic's author and the last poster.
func (s *seeder) pickMember(g *groupSpec, not ...string) string {
	for {
		m := g.members[s.rng.IntN(len(g.members))]
		if !slices.Contains(not, m) {
			return m
		}
	}
}

// replyText is a drawn reply, now and then quoting an earlier reply worth quoting, or naming
// its author or the topic's author (unless they posted anonymously). It reports whether the
// reply is worth quoting in turn.
func (s *seeder) replyText(thread []int, author string, replies *deck, used map[string]bool) (string, int, bool) {
	top := s.posts[thread[0]]
	var quotable []int
	var named []string
	for _, i := range thread[1:] {
		if p := s.posts[i]; p.quotable && p.author != author {
			quotable = append(quotable, i)
			if !p.anonymous && p.author != top.author && !slices.Contains(named, p.author) {
				named = append(named, p.author)
			}
		}
	}
	text, quote := "", -1
	switch roll := s.rng.IntN(10); {
	case roll == 0 && len(quotable) > 0:
		quote = quotable[s.rng.IntN(len(quotable))]
		text = "> " + firstSentence(s.posts[quote].body) + "\n\n" + pick(s.rng, quoteReplies)
	case roll == 1 && len(named) > 0:
		text = fmt.Sprintf(pick(s.rng, mentionReplies), pick(s.rng, named))
	case roll == 2 && !top.anonymous && top.author != author:
		text = fmt.Sprintf(pick(s.rng, mentionAuthor), top.author)
	}
	if text != "" && !used[text] {
		used[text] = true
		return text, quote, false
	}
	text = s.draw(replies, used)
	return text, -1, !slices.Contains(neutralReplies, text)
}

// planTimes spreads a thread from its start with gaps of a quarter of an hour to most of a
// day, squeezed to end before end.
func (s *seeder) planTimes(first int, at, end time.Time) {
	var thread []int
	for i := first; i < len(s.posts) && s.posts[i].first == first; i++ {
		thread = append(thread, i)
	}
	gaps := make([]time.Duration, len(thread))
	var total time.Duration
	for k := 1; k < len(gaps); k++ {
		gaps[k] = 15*time.Minute + time.Duration(s.rng.Int64N(int64(18*time.Hour)))
		total += gaps[k]
	}
	scale := 1.0
	if room := end.Sub(at); total > room {
		scale = float64(room) / float64(total)
	}
	for k, i := range thread {
		at = at.Add(time.Duration(float64(gaps[k]) * scale)).Truncate(time.Second)
		s.posts[i].at = at
	}
	s.posts[first].lastAt = at
}

// planReactions gives about two posts in three a few reactions from others in the group,
// within hours of the post (and before end).
func (s *seeder) planReactions(i int, end time.Time) {
	p := &s.posts[i]
	if s.rng.IntN(3) == 0 {
		return
	}
	pool := append([]string{p.group.staff}, p.group.members...)
	s.rng.Shuffle(len(pool), func(a, b int) { pool[a], pool[b] = pool[b], pool[a] })
	want := 1 + s.rng.IntN(3)
	for _, m := range pool {
		if len(p.reactions) == want {
			break
		}
		if m == p.author || m == Admin && s.rng.IntN(2) == 0 {
			continue
		}
		kind := forum.ReactionKinds[weightedKind(s.rng.IntN(20))].Key
		at := p.at.Add(time.Duration(1+s.rng.IntN(240)) * time.Minute)
		if at.After(end) {
			at = end
		}
		p.reactions = append(p.reactions, plannedReaction{by: m, kind: kind, at: at})
	}
}

// weightedKind picks "I hear you" and "Sending strength" more often than the others, as in a
// support community.
func weightedKind(roll int) int {
	switch {
	case roll < 7:
		return 0
	case roll < 13:
		return 1
	case roll < 17:
		return 2
	}
	return 3
}
