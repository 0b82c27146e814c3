package forum

import (
	"context"
	"fmt"
	"slices"
	"sort"
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
// Each group's recent topics come from the content cache (cache.go), the same for every member
// of the group; the viewer's own choices (mutes, hidden warnings) and bans are applied after it,
// and the reactions of the last week are read fresh, never cached.
func (s *Reads) CandidateTopics(ctx context.Context, since time.Time, limit int) ([]Candidate, error) {
	v, banned, err := s.viewerAndBans(ctx)
	if err != nil {
		return nil, err
	}
	var groups []struct {
		ID             int64
		Name           string
		ContentVersion int64
	}
	db := s.db.WithContext(ctx)
	if err := db.Raw(`SELECT g.id, g.name, g.content_version FROM groups g JOIN group_members gm ON gm.group_id = g.id AND gm.member_id = ?
		WHERE g.archived_at IS NULL AND g.id NOT IN ? ORDER BY g.id`, v.ID, banned).Scan(&groups).Error; err != nil {
		return nil, fmt.Errorf("forum: unable to list candidate groups: %w", err)
	}
	var muted []int64
	if err := db.Raw(`SELECT muted_id FROM member_mutes WHERE member_id = ?`, v.ID).Scan(&muted).Error; err != nil {
		return nil, fmt.Errorf("forum: unable to read mutes: %w", err)
	}
	var hidden []string
	if err := db.Raw(`SELECT term FROM hidden_warnings WHERE member_id = ?`, v.ID).Scan(&hidden).Error; err != nil {
		return nil, fmt.Errorf("forum: unable to read hidden warnings: %w", err)
	}
	var out []Candidate
	for _, g := range groups {
		pool, err := s.groupCandidates(ctx, g.ID, g.ContentVersion)
		if err != nil {
			return nil, err
		}
		for _, c := range pool {
			if !c.LastPostAt.After(since) || c.authorID == v.ID || (!c.anonymous && slices.Contains(muted, c.authorID)) ||
				hidesWarning(hidden, c.warning) {
				continue
			}
			c.GroupName = g.Name
			out = append(out, c.Candidate)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].LastPostAt.After(out[j].LastPostAt) })
	if len(out) > limit {
		out = out[:limit]
	}
	return out, s.recentReactions(ctx, out)
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
			ORDER BY t.last_post_at DESC LIMIT ?
		) c JOIN posts fp ON fp.id = c.first_id
		WHERE fp.deleted_at IS NULL AND fp.hidden_reason IS NULL AND NOT fp.held
		ORDER BY c.last_post_at DESC`, OpeningPrefix, groupID, candidatePool).Rows()
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

// recentReactions reads, fresh from the counts kept on write (reactiondays.go), the reactions of
// the last week (whole days, UTC) on each candidate's posts.
func (s *Reads) recentReactions(ctx context.Context, cands []Candidate) error {
	if len(cands) == 0 {
		return nil
	}
	ids := make([]int64, len(cands))
	for i, c := range cands {
		ids[i] = c.TopicID
	}
	rows, err := s.db.WithContext(ctx).Raw(`SELECT topic_id, SUM(n) FROM topic_reaction_days WHERE topic_id IN ? AND day >= ?
		GROUP BY topic_id`, ids, reactionDay(s.now().Add(-7*24*time.Hour))).Rows()
	if err != nil {
		return fmt.Errorf("forum: unable to count reactions: %w", err)
	}
	defer rows.Close()
	n := make(map[int64]int, len(cands))
	for rows.Next() { // scanned by hand: one row per candidate, on every home page
		var topic, count int64
		if err := rows.Scan(&topic, &count); err != nil {
			return fmt.Errorf("forum: unable to count reactions: %w", err)
		}
		n[topic] = int(count)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("forum: unable to count reactions: %w", err)
	}
	for i := range cands {
		cands[i].RecentReactions = n[cands[i].TopicID]
	}
	return nil
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
			ORDER BY t.last_post_at DESC LIMIT ?
		) c JOIN posts fp ON fp.id = c.first_id
		WHERE fp.deleted_at IS NULL AND fp.hidden_reason IS NULL AND NOT fp.held
		ORDER BY c.last_post_at DESC`,
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
