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
// each opening post; relatedKept is how many related topics are cached per topic.
const (
	relatedPool   = 100
	relatedPrefix = 600
	relatedKept   = 10
)

// pooled is a topic of a group's pool with its term vector, computed once per content version.
type pooled struct {
	RelatedTopic
	vector map[string]float64
}

// Related returns up to n topics of the topic's group whose titles and opening posts share the
// most words with it: content similarity only, no personal data, the same for everyone who can
// read the group. It is cached per topic and group content version (cache.go): a page view
// after the first runs no query, and any write that changes the group's content misses it.
func (s *Reads) Related(ctx context.Context, tp TopicPage, n int) ([]RelatedTopic, error) {
	k := cacheKey{kind: cacheRelated, group: tp.Group.ID, version: tp.version, id: tp.Topic.ID}
	if v, ok := s.cache.get(k); ok {
		return firstN(v.([]RelatedTopic), n), nil
	}
	pool, err := s.relatedPool(ctx, tp.Group.ID, tp.version)
	if err != nil {
		return nil, err
	}
	var self *pooled
	for i := range pool {
		if pool[i].TopicID == tp.Topic.ID {
			self = &pool[i]
		}
	}
	if self == nil { // an older topic: read it alone
		rows, err := s.poolRows(ctx, tp.Group.ID, tp.Topic.ID)
		if err != nil {
			return nil, err
		}
		if len(rows) == 0 {
			return nil, nil // its opening post is deleted, hidden or held
		}
		self = &rows[0]
	}
	type scored struct {
		RelatedTopic
		score float64
	}
	var out []scored
	size := 64
	for _, r := range pool {
		if r.TopicID == self.TopicID {
			continue
		}
		if sc := cosine(self.vector, r.vector); sc > 0.05 {
			out = append(out, scored{r.RelatedTopic, sc})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].score > out[j].score })
	res := make([]RelatedTopic, 0, relatedKept)
	for i := 0; i < len(out) && i < relatedKept; i++ {
		res = append(res, out[i].RelatedTopic)
		size += 32 + len(out[i].Title)
	}
	s.cache.put(k, res, size)
	return firstN(res, n), nil
}

func firstN(list []RelatedTopic, n int) []RelatedTopic {
	if len(list) > n {
		list = list[:n]
	}
	return list
}

// relatedPool is the group's relatedPool most recently active topics whose opening post anyone
// may read, with their term vectors, cached per content version.
func (s *Reads) relatedPool(ctx context.Context, groupID, version int64) ([]pooled, error) {
	k := cacheKey{kind: cachePool, group: groupID, version: version}
	if v, ok := s.cache.get(k); ok {
		return v.([]pooled), nil
	}
	pool, err := s.poolRows(ctx, groupID, 0)
	if err != nil {
		return nil, err
	}
	size := 64
	for _, p := range pool {
		size += 64 + len(p.Title) + 48*len(p.vector)
		for w := range p.vector {
			size += len(w)
		}
	}
	s.cache.put(k, pool, size)
	return pool, nil
}

// poolRows reads the group's pool, or (topicID ≠ 0) that one topic, with term vectors.
func (s *Reads) poolRows(ctx context.Context, groupID, topicID int64) ([]pooled, error) {
	var rows []struct {
		ID    int64
		Title string
		Body  string
	}
	cond, arg := "1 = 1", any(nil)
	if topicID != 0 {
		cond, arg = "t.id = ?", topicID
	}
	args := []any{relatedPrefix, groupID}
	if arg != nil {
		args = append(args, arg)
	}
	// The recent topics first, then their opening posts: joined on a computed first post id,
	// PostgreSQL would hash the whole posts table.
	err := s.db.WithContext(ctx).Raw(`SELECT r.id, r.title, SUBSTR(fp.body, 1, ?) AS body FROM (
			SELECT t.id, t.title, t.last_post_at, (SELECT MIN(p1.id) FROM posts p1 WHERE p1.topic_id = t.id) AS first_id
			FROM topics t WHERE t.group_id = ? AND t.deleted_at IS NULL AND NOT t.first_held AND `+cond+`
			ORDER BY t.last_post_at DESC LIMIT ?
		) r JOIN posts fp ON fp.id = r.first_id
		WHERE fp.deleted_at IS NULL AND fp.hidden_reason IS NULL AND NOT fp.held
		ORDER BY r.last_post_at DESC, r.id DESC`, append(args, relatedPool+1)...).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("forum: unable to find related topics: %w", err)
	}
	out := make([]pooled, len(rows))
	for i, r := range rows {
		out[i] = pooled{RelatedTopic{r.ID, r.Title}, termVector(r.Title, r.Body)}
	}
	return out, nil
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
