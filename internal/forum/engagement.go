package forum

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/haven-forum/haven/internal/database"
)

// Ways a member takes part in a topic, as personalized suggestions name them.
const (
	EngagedStarted = "started"
	EngagedReplied = "replied"
	EngagedReacted = "reacted"
)

// Engagement is a topic the viewer took part in, by posting or reacting, most recent first.
// Their posts and reactions are the forum's own records; only the viewer's own are read, for
// the viewer's own suggestions.
type Engagement struct {
	TopicID int64
	Kind    string
	At      time.Time
}

// Engagements lists up to limit topics the viewer started, replied to or reacted in (one entry
// a topic and way), newest first, in topics that are still there.
func (s *Reads) Engagements(ctx context.Context, limit int) ([]Engagement, error) {
	v, err := requireSignedIn(ctx)
	if err != nil {
		return nil, err
	}
	// Plain rows, newest first, folded here: an aggregate of a time column comes back from
	// SQLite as text.
	var posts, reacts []struct {
		TopicID int64
		Started bool
		At      time.Time
	}
	db := s.db.WithContext(ctx)
	err = db.Raw(`SELECT p.topic_id, (t.author_id = p.author_id) AS started, p.created_at AS at
		FROM posts p JOIN topics t ON t.id = p.topic_id
		WHERE p.author_id = ? AND p.deleted_at IS NULL AND t.deleted_at IS NULL
		ORDER BY p.id DESC LIMIT ?`, v.ID, 5*limit).Scan(&posts).Error
	if err == nil {
		err = db.Raw(`SELECT p.topic_id, r.created_at AS at
			FROM reactions r JOIN posts p ON p.id = r.post_id JOIN topics t ON t.id = p.topic_id
			WHERE r.member_id = ? AND t.deleted_at IS NULL
			ORDER BY r.created_at DESC LIMIT ?`, v.ID, 5*limit).Scan(&reacts).Error
	}
	if err != nil {
		return nil, fmt.Errorf("forum: unable to list engagements: %w", err)
	}
	seen := map[Engagement]bool{}
	var out []Engagement
	keep := func(topicID int64, kind string, at time.Time) {
		k := Engagement{TopicID: topicID, Kind: kind}
		if !seen[k] {
			seen[k] = true
			out = append(out, Engagement{TopicID: topicID, Kind: kind, At: at})
		}
	}
	for _, p := range posts {
		kind := EngagedReplied
		if p.Started {
			kind = EngagedStarted
		}
		keep(p.TopicID, kind, p.At)
	}
	for _, r := range reacts {
		keep(r.TopicID, EngagedReacted, r.At)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].At.Equal(out[j].At) {
			return out[i].At.After(out[j].At)
		}
		return out[i].TopicID > out[j].TopicID
	})
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// TopicDoc is a topic's words, for content similarity.
type TopicDoc struct {
	TopicID   int64
	Title     string
	Opening   string
	GroupID   int64
	GroupName string
}

// TopicDocs returns the title and the first prefix characters of the opening post of each
// topic the viewer can still read, of ids.
func (s *Reads) TopicDocs(ctx context.Context, ids []int64, prefix int) ([]TopicDoc, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	groups, err := s.groups.ReadableGroupIDs(ctx)
	if err != nil || len(groups) == 0 {
		return nil, err
	}
	out, err := database.Rows(s.db.WithContext(ctx).Raw(`SELECT d.id AS topic_id, d.title, SUBSTR(fp.body, 1, ?) AS opening, d.group_id, g.name AS group_name
		FROM (
			SELECT t.id, t.title, t.group_id, (SELECT MIN(p1.id) FROM posts p1 WHERE p1.topic_id = t.id) AS first_id
			FROM topics t WHERE t.id IN ? AND t.group_id IN ? AND t.deleted_at IS NULL LIMIT ?
		) d JOIN groups g ON g.id = d.group_id JOIN posts fp ON fp.id = d.first_id
		WHERE fp.deleted_at IS NULL AND fp.hidden_reason IS NULL AND NOT fp.held`,
		prefix, ids, groups, len(ids)), func(d *TopicDoc) []any { return []any{&d.TopicID, &d.Title, &d.Opening, &d.GroupID, &d.GroupName} })
	if err != nil {
		return nil, fmt.Errorf("forum: unable to read topics: %w", err)
	}
	return out, nil
}

// Exported for suggestions: the same word weighting Related uses.

// TermVector counts the words of a topic (title words twice), ignoring short and common words.
func TermVector(title, body string) map[string]float64 { return termVector(title, body) }
