package forum

import (
	"context"
	"fmt"
	"time"
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
func (s *Reads) CandidateTopics(ctx context.Context, since time.Time, limit int) ([]Candidate, error) {
	return s.candidates(ctx, "t.last_post_at > ?", since, limit)
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
	v, err := requireSignedIn(ctx)
	if err != nil {
		return nil, err
	}
	banned, err := s.mod.bannedFrom(ctx, s.db, v.ID)
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
