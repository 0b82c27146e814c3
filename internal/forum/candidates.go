package forum

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/haven-forum/haven/internal/accounts"
)

// Candidate is a topic the viewer could be suggested: only from groups they belong to, never
// their own, never hidden, deleted or waiting for approval, never by someone they muted, never
// behind a content warning they chose to hide. It carries no author, so a suggestion can never
// reveal who wrote an anonymous topic.
type Candidate struct {
	TopicID         int64
	Title           string
	Opening         string // the first OpeningPrefix characters of the opening post, for content similarity
	GroupID         int64
	GroupName       string
	ReplyCount      int
	CreatedAt       time.Time
	LastPostAt      time.Time
	RecentReactions int // on the topic's posts in the last week
}

// OpeningPrefix is how much of an opening post content similarity reads.
const OpeningPrefix = 200

// CandidateTopics lists up to limit topics for suggestions to the viewer, active since since.
// The access rules are the same as everywhere: it reads only groups the viewer is a member of.
// Each group's recent topics and their reactions of the last week come from the content cache
// (cache.go), the same for every member of the group; the viewer's own choices (mutes, hidden
// warnings) and bans are applied after it.
func (s *Reads) CandidateTopics(ctx context.Context, since time.Time, limit int) ([]Candidate, error) {
	v, banned, err := s.viewerAndBans(ctx)
	if err != nil {
		return nil, err
	}
	ch, err := s.viewerChoices(ctx, v.ID)
	if err != nil {
		return nil, err
	}
	day := reactionDay(s.now().Add(-7 * 24 * time.Hour))
	type source struct {
		g         candidateGroup
		pool      []groupCandidate
		reactions map[int64]int
	}
	var sources []source
	for _, g := range ch.groups {
		if slices.Contains(banned, g.id) {
			continue
		}
		pool, err := s.groupCandidates(ctx, g.id, g.contentVersion)
		if err != nil {
			return nil, err
		}
		reactions, err := s.groupReactions(ctx, g, day)
		if err != nil {
			return nil, err
		}
		sources = append(sources, source{g, pool, reactions})
	}
	// Each pool is newest first: merging them, taking the viewer's filters on the way, reads only
	// as many as the limit needs instead of sorting every group's pool on every home page.
	var out []Candidate
	for len(out) < limit {
		best := -1
		for i, src := range sources {
			if len(src.pool) > 0 && (best < 0 || src.pool[0].LastPostAt.After(sources[best].pool[0].LastPostAt)) {
				best = i
			}
		}
		if best < 0 || !sources[best].pool[0].LastPostAt.After(since) {
			break // the newest left is too old: so is every other
		}
		src := &sources[best]
		c := src.pool[0]
		src.pool = src.pool[1:]
		if c.authorID == v.ID || (!c.anonymous && slices.Contains(ch.muted, c.authorID)) || hidesWarning(ch.hidden, c.warning) {
			continue
		}
		c.GroupName = src.g.name
		c.RecentReactions = src.reactions[c.TopicID]
		out = append(out, c.Candidate)
	}
	return out, nil
}

// candidateGroup is a group the viewer belongs to that is not archived, with its versions.
type candidateGroup struct {
	id                              int64
	name                            string
	contentVersion, reactionVersion int64
}

// viewerChoices are the viewer's groups and the choices that filter what they are suggested.
type viewerChoices struct {
	groups []candidateGroup
	muted  []int64
	hidden []string
}

// viewerChoices reads the viewer's groups, mutes and hidden warnings in one statement: it runs
// on every home page.
func (s *Reads) viewerChoices(ctx context.Context, memberID int64) (viewerChoices, error) {
	var out viewerChoices
	rows, err := s.db.WithContext(ctx).Raw(`SELECT 'g', g.id, g.name, g.content_version, g.reaction_version
			FROM groups g JOIN group_members gm ON gm.group_id = g.id AND gm.member_id = ? WHERE g.archived_at IS NULL
		UNION ALL SELECT 'm', muted_id, '', 0, 0 FROM member_mutes WHERE member_id = ?
		UNION ALL SELECT 'h', 0, term, 0, 0 FROM hidden_warnings WHERE member_id = ?`, memberID, memberID, memberID).Rows()
	if err != nil {
		return out, fmt.Errorf("forum: unable to read the viewer's groups and choices: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var kind string
		var g candidateGroup
		if err := rows.Scan(&kind, &g.id, &g.name, &g.contentVersion, &g.reactionVersion); err != nil {
			return out, fmt.Errorf("forum: unable to read the viewer's groups and choices: %w", err)
		}
		switch kind {
		case "g":
			out.groups = append(out.groups, g)
		case "m":
			out.muted = append(out.muted, g.id)
		case "h":
			out.hidden = append(out.hidden, g.name)
		}
	}
	if err := rows.Err(); err != nil {
		return out, fmt.Errorf("forum: unable to read the viewer's groups and choices: %w", err)
	}
	slices.SortFunc(out.groups, func(a, b candidateGroup) int { return cmp.Compare(a.id, b.id) })
	return out, nil
}

// viewerAndBans is the signed-in viewer and the groups they are banned from (never empty).
func (s *Reads) viewerAndBans(ctx context.Context) (accounts.Viewer, []int64, error) {
	v, err := requireSignedIn(ctx)
	if err != nil {
		return v, nil, err
	}
	banned, err := s.mod.bannedFrom(ctx, s.db, v.ID)
	return v, banned, err
}

// hidesWarning reports whether one of the member's hidden terms is in a content warning.
func hidesWarning(terms []string, warning string) bool {
	if warning == "" {
		return false
	}
	w := strings.ToLower(warning)
	for _, t := range terms {
		if strings.Contains(w, strings.ToLower(t)) {
			return true
		}
	}
	return false
}

// groupCandidate is a topic as any member of its group may be suggested it. Its author stays
// inside the forum, only to drop the viewer's own topics and those of members they muted.
type groupCandidate struct {
	Candidate
	authorID  int64
	anonymous bool
	warning   string
}

// candidatePool is how many of a group's most recently active topics suggestions consider.
const candidatePool = 500

// groupCandidates is the group's candidatePool most recently active topics whose opening post
// anyone may read, cached per content version.
func (s *Reads) groupCandidates(ctx context.Context, groupID, version int64) ([]groupCandidate, error) {
	k := cacheKey{kind: cacheCandidates, group: groupID, version: version}
	if v, ok := s.cache.get(k); ok {
		return v.([]groupCandidate), nil
	}
	rows, err := s.db.WithContext(ctx).Raw(`SELECT c.id, c.title, SUBSTR(fp.body, 1, ?) AS opening, c.reply_count, c.created_at,
			c.last_post_at, COALESCE(c.author_id, 0), c.anonymous, c.content_warning
		FROM (
			SELECT t.id, t.title, t.reply_count, t.created_at, t.last_post_at, t.author_id, t.anonymous, t.content_warning,
				(SELECT MIN(p1.id) FROM posts p1 WHERE p1.topic_id = t.id) AS first_id
			FROM topics t WHERE t.group_id = ? AND t.deleted_at IS NULL AND NOT t.first_held
			ORDER BY t.last_post_at DESC, t.id DESC LIMIT ?
		) c JOIN posts fp ON fp.id = c.first_id
		WHERE fp.deleted_at IS NULL AND fp.hidden_reason IS NULL AND NOT fp.held
		ORDER BY c.last_post_at DESC, c.id DESC`, OpeningPrefix, groupID, candidatePool).Rows()
	if err != nil {
		return nil, fmt.Errorf("forum: unable to list candidates: %w", err)
	}
	defer rows.Close()
	var out []groupCandidate
	size := 64
	for rows.Next() { // scanned by hand: reflection cost as much as the query
		c := groupCandidate{Candidate: Candidate{GroupID: groupID}}
		if err := rows.Scan(&c.TopicID, &c.Title, &c.Opening, &c.ReplyCount, &c.CreatedAt, &c.LastPostAt, &c.authorID,
			&c.anonymous, &c.warning); err != nil {
			return nil, fmt.Errorf("forum: unable to read candidates: %w", err)
		}
		size += 160 + len(c.Title) + len(c.Opening) + len(c.warning)
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("forum: unable to read candidates: %w", err)
	}
	s.cache.put(k, out, size)
	return out, nil
}

// groupReactions is how many reactions each topic of the group's candidate pool had since day
// (whole days, UTC), from the counts kept on write (reactiondays.go), cached per content
// version, reaction version and day: every reaction written, removed or erased bumps the
// reaction version in its own transaction, so no instance counts one a moment after it is gone.
func (s *Reads) groupReactions(ctx context.Context, g candidateGroup, day int64) (map[int64]int, error) {
	k := cacheKey{kind: cacheReactions, group: g.id, version: g.contentVersion, id: day, reactions: g.reactionVersion}
	if v, ok := s.cache.get(k); ok {
		return v.(map[int64]int), nil
	}
	rows, err := s.db.WithContext(ctx).Raw(`SELECT topic_id, SUM(n) FROM topic_reaction_days WHERE day >= ? AND topic_id IN (
			SELECT t.id FROM topics t WHERE t.group_id = ? AND t.deleted_at IS NULL AND NOT t.first_held
			ORDER BY t.last_post_at DESC, t.id DESC LIMIT ?)
		GROUP BY topic_id`, day, g.id, candidatePool).Rows()
	if err != nil {
		return nil, fmt.Errorf("forum: unable to count reactions: %w", err)
	}
	defer rows.Close()
	n := map[int64]int{}
	for rows.Next() {
		var topic, count int64
		if err := rows.Scan(&topic, &count); err != nil {
			return nil, fmt.Errorf("forum: unable to count reactions: %w", err)
		}
		n[topic] = int(count)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("forum: unable to count reactions: %w", err)
	}
	s.cache.put(k, n, 64+48*len(n))
	return n, nil
}

// CandidatesByID keeps, of the given topics, those the viewer could be suggested, by the same
// rules as CandidateTopics (whatever their age).
func (s *Reads) CandidatesByID(ctx context.Context, ids []int64) ([]Candidate, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	return s.candidates(ctx, "t.id IN ?", ids, len(ids))
}

func (s *Reads) candidates(ctx context.Context, cond string, arg any, limit int) ([]Candidate, error) {
	v, banned, err := s.viewerAndBans(ctx)
	if err != nil {
		return nil, err
	}
	// Scanned by hand: this runs on every home page, and reflection cost as much as the query.
	// The topics first, then their opening posts (see Related for why); a topic whose opening
	// post is hidden or held is dropped after the limit, so a page may hold a few fewer.
	rows, err := s.db.WithContext(ctx).Raw(`SELECT c.id, c.title, SUBSTR(fp.body, 1, ?) AS opening, c.group_id, c.group_name,
			c.reply_count, c.created_at, c.last_post_at,
			(SELECT COUNT(*) FROM reactions r JOIN posts rp ON rp.id = r.post_id WHERE rp.topic_id = c.id AND r.created_at > ?) AS recent_reactions
		FROM (
			SELECT t.id, t.title, t.group_id, g.name AS group_name, t.reply_count, t.created_at, t.last_post_at,
				(SELECT MIN(p1.id) FROM posts p1 WHERE p1.topic_id = t.id) AS first_id
			FROM topics t
			JOIN groups g ON g.id = t.group_id AND g.archived_at IS NULL
			JOIN group_members gm ON gm.group_id = t.group_id AND gm.member_id = ?
			WHERE t.deleted_at IS NULL AND `+cond+`
				AND COALESCE(t.author_id, 0) <> ?
				AND NOT EXISTS (SELECT 1 FROM member_mutes mm WHERE mm.member_id = ? AND mm.muted_id = t.author_id AND NOT t.anonymous)
				AND NOT EXISTS (SELECT 1 FROM hidden_warnings h WHERE h.member_id = ? AND t.content_warning <> ''
					AND LOWER(t.content_warning) LIKE '%' || h.term || '%')
				AND t.group_id NOT IN ?
			ORDER BY t.last_post_at DESC, t.id DESC LIMIT ?
		) c JOIN posts fp ON fp.id = c.first_id
		WHERE fp.deleted_at IS NULL AND fp.hidden_reason IS NULL AND NOT fp.held
		ORDER BY c.last_post_at DESC, c.id DESC`,
		OpeningPrefix, s.now().Add(-7*24*time.Hour), v.ID, arg, v.ID, v.ID, v.ID, banned, limit).Rows()
	if err != nil {
		return nil, fmt.Errorf("forum: unable to list candidates: %w", err)
	}
	defer rows.Close()
	var out []Candidate
	for rows.Next() {
		var c Candidate
		if err := rows.Scan(&c.TopicID, &c.Title, &c.Opening, &c.GroupID, &c.GroupName, &c.ReplyCount, &c.CreatedAt,
			&c.LastPostAt, &c.RecentReactions); err != nil {
			return nil, fmt.Errorf("forum: unable to read candidates: %w", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("forum: unable to read candidates: %w", err)
	}
	return out, nil
}
