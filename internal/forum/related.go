package forum

import (
	"context"
	"fmt"
	"math"
	"sort"
	"unicode"
	"unicode/utf8"
)

// RelatedTopic is a topic like another one, by content alone.
type RelatedTopic struct {
	TopicID int64
	Title   string
}

// relatedPool is how many recent topics of the group are compared, and relatedPrefix how much of
// each opening post: this runs on every topic view, so it stays small.
const (
	relatedPool   = 100
	relatedPrefix = 600
)

// Related returns up to n topics of the same group whose titles and opening posts share the
// most words with this one: content similarity only, no personal data, the same for everyone
// who can read the group. One query, whatever the topic.
func (s *Reads) Related(ctx context.Context, topicID int64, n int) ([]RelatedTopic, error) {
	var rows []struct {
		ID      int64
		Title   string
		Body    string
		GroupID int64
	}
	// The recent topics first, then their opening posts: joined on a computed first post id,
	// PostgreSQL would hash the whole posts table on every topic view.
	err := s.db.WithContext(ctx).Raw(`SELECT r.id, r.title, SUBSTR(fp.body, 1, ?) AS body, r.group_id FROM (
			SELECT t.id, t.title, t.group_id, t.last_post_at, (SELECT MIN(p1.id) FROM posts p1 WHERE p1.topic_id = t.id) AS first_id
			FROM topics t WHERE t.group_id = (SELECT group_id FROM topics WHERE id = ?) AND t.deleted_at IS NULL
			ORDER BY CASE WHEN t.id = ? THEN 0 ELSE 1 END, t.last_post_at DESC LIMIT ?
		) r JOIN posts fp ON fp.id = r.first_id
		WHERE fp.deleted_at IS NULL AND fp.hidden_reason IS NULL AND NOT fp.held
		ORDER BY CASE WHEN r.id = ? THEN 0 ELSE 1 END, r.last_post_at DESC`,
		relatedPrefix, topicID, topicID, relatedPool+1, topicID).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("forum: unable to find related topics: %w", err)
	}
	if len(rows) == 0 || rows[0].ID != topicID {
		return nil, nil
	}
	self := termVector(rows[0].Title, rows[0].Body)
	type scored struct {
		RelatedTopic
		score float64
	}
	var out []scored
	for _, r := range rows[1:] {
		if sc := cosine(self, termVector(r.Title, r.Body)); sc > 0.05 {
			out = append(out, scored{RelatedTopic{r.ID, r.Title}, sc})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].score > out[j].score })
	res := make([]RelatedTopic, 0, n)
	for i := 0; i < len(out) && i < n; i++ {
		res = append(res, out[i].RelatedTopic)
	}
	return res, nil
}

var stopWords = map[string]bool{"that": true, "this": true, "with": true, "have": true, "from": true, "they": true,
	"there": true, "what": true, "when": true, "been": true, "were": true, "just": true, "about": true, "your": true,
	"would": true, "could": true, "some": true, "them": true, "then": true, "than": true, "into": true, "really": true,
	"because": true, "still": true, "much": true, "very": true, "only": true, "also": true}

// termVector counts the words of a topic (title words twice), ignoring short and common words.
// It runs for every topic a suggestion compares, so it lowercases and splits in one pass.
func termVector(title, body string) map[string]float64 {
	v := make(map[string]float64, 32)
	var word []byte
	add := func(text string, w float64) {
		flush := func() {
			if len(word) >= 4 && !stopWords[string(word)] {
				v[string(word)] += w
			}
			word = word[:0]
		}
		for _, r := range text {
			switch {
			case r >= 'a' && r <= 'z':
				word = append(word, byte(r))
			case r >= 'A' && r <= 'Z':
				word = append(word, byte(r-'A'+'a'))
			case r >= 0x80 && unicode.IsLetter(r):
				word = utf8.AppendRune(word, unicode.ToLower(r))
			default:
				flush()
			}
		}
		flush()
	}
	add(title, 2)
	add(body, 1)
	return v
}

func cosine(a, b map[string]float64) float64 {
	var dot, na, nb float64
	for k, x := range a {
		dot += x * b[k]
		na += x * x
	}
	for _, y := range b {
		nb += y * y
	}
	if na == 0 || nb == 0 {
		return 0
	}
	return dot / math.Sqrt(na*nb)
}
