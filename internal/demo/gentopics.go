package demo

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/haven-forum/haven/internal/database"
	"github.com/haven-forum/haven/internal/forum"
	"gorm.io/gorm"
)

// topicBatch holds one transaction's worth of generated rows.
type topicBatch struct {
	topics, posts, reactions *rowBuffer
	firstPost, lastPost      int64
}

// createTopics writes the topics with their posts, reactions and search entries, in
// transactions of about batchPosts posts, and prints progress at every tenth of the topics.
// Topics start evenly over the last year; each one's posts follow over an hour to a month.
func (g *generator) createTopics(ctx context.Context) error {
	per := g.o.PostsPerTopic
	firstTopic, err := reserveIDs(ctx, g.db, "topics", g.o.Topics)
	if err != nil {
		return err
	}
	firstPost, err := reserveIDs(ctx, g.db, "posts", g.o.Topics*per)
	if err != nil {
		return err
	}
	g.searchTable = g.db.WithContext(ctx).Migrator().HasTable("search_posts")
	b := &topicBatch{
		topics: newRowBuffer("topics", "id", "group_id", "author_id", "anonymous", "title", "content_warning",
			"created_at", "last_post_at", "reply_count"),
		posts:     newRowBuffer("posts", "id", "topic_id", "author_id", "anonymous", "body", "content_warning", "quote_of", "created_at"),
		reactions: newRowBuffer("reactions", "post_id", "member_id", "kind", "created_at"),
		firstPost: firstPost,
	}
	topicsPerBatch := max(1, batchPosts/per)
	step := genSpan / time.Duration(g.o.Topics)
	times := make([]time.Time, per)
	decile := 0
	for t := range g.o.Topics {
		start := g.end.Add(-genSpan + time.Duration(t)*step + time.Duration(g.rng.Int64N(int64(max(step, 1)))))
		g.postTimes(start, times)
		g.topic(b, firstTopic+int64(t), firstPost+int64(t*per), times)
		if (t+1)%topicsPerBatch != 0 && t != g.o.Topics-1 {
			continue
		}
		b.lastPost = firstPost + int64((t+1)*per) - 1
		if err := g.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error { return g.writeBatch(ctx, tx, b) }); err != nil {
			return err
		}
		b.firstPost = b.lastPost + 1
		if d := (t + 1) * 10 / g.o.Topics; d > decile {
			decile = d
			fmt.Fprintf(g.out, "  %d/%d topics, %d posts, %d reactions (%s)\n", t+1, g.o.Topics, (t+1)*per, g.reactions, g.elapsed())
		}
	}
	return nil
}

// topic adds one topic, its posts and their reactions to b. A reply quotes the post before
// it now and then, or names the topic's author; an anonymous author stays anonymous in their
// own topic and is never named.
func (g *generator) topic(b *topicBatch, topicID, firstPost int64, times []time.Time) {
	gr := &g.groups[g.rng.IntN(len(g.groups))]
	author := gr.members[g.rng.IntN(len(gr.members))]
	anonymous := gr.anonymous && g.rng.IntN(5) == 0
	title := genTitle(g.rng)
	warning := ""
	if g.rng.IntN(12) == 0 {
		warning = pick(g.rng, gWarnings)
	}
	b.topics.add(topicID, gr.id, g.memberID(author), anonymous, title, warning, times[0], times[len(times)-1], len(times)-1)
	var body strings.Builder
	prev := ""
	for k := range times {
		postID, by, anon, cw := firstPost+int64(k), author, anonymous, warning
		var quote any
		body.Reset()
		if k > 0 {
			by, cw = gr.members[g.rng.IntN(len(gr.members))], ""
			anon = by == author && anonymous || by != author && gr.anonymous && g.rng.IntN(8) == 0
			switch g.rng.IntN(12) {
			case 0:
				body.WriteString("> " + firstSentence(prev) + "\n\n")
				quote = postID - 1
			case 1:
				if !anonymous && by != author {
					body.WriteString("@" + g.username(int(author)) + " ")
				}
			}
		}
		genBody(g.rng, &body)
		prev = body.String()
		b.posts.add(postID, topicID, g.memberID(by), anon, prev, cw, quote, times[k])
		g.react(b, gr, postID, by, times[k])
	}
}

// react has up to three others in the group react to one post in four, within hours.
func (g *generator) react(b *topicBatch, gr *genGroup, postID int64, author int32, at time.Time) {
	if g.rng.IntN(4) != 0 {
		return
	}
	var seen []int32
	for n := 1 + g.rng.IntN(3); n > 0; n-- {
		m := gr.members[g.rng.IntN(len(gr.members))]
		if m == author || slices.Contains(seen, m) {
			continue
		}
		seen = append(seen, m)
		kind := forum.ReactionKinds[weightedKind(g.rng.IntN(20))].Key
		b.reactions.add(postID, g.memberID(m), kind, minTime(at.Add(time.Duration(1+g.rng.IntN(180))*time.Minute), g.end))
		g.reactions++
	}
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// postTimes fills times with a topic's post times from start, strictly increasing, over an
// hour to a month, and no later than the end of the run.
func (g *generator) postTimes(start time.Time, times []time.Time) {
	least := time.Duration(len(times)) * 20 * time.Second // gaps of 1.8s at the least, so seconds never tie
	span := max(least, time.Hour+time.Duration(g.rng.Int64N(int64(30*24*time.Hour))))
	if start.Add(span).After(g.end) {
		span = max(least, g.end.Sub(start))
		start = g.end.Add(-span)
	}
	total := 0.0
	weights := make([]float64, len(times))
	for k := 1; k < len(times); k++ {
		weights[k] = 0.1 + g.rng.Float64()
		total += weights[k]
	}
	sum := 0.0
	for k := range times {
		sum += weights[k]
		at := start
		if total > 0 {
			at = start.Add(time.Duration(float64(span) * sum / total))
		}
		times[k] = at.Truncate(time.Second)
	}
}

// writeBatch writes b's rows in tx, parents first, and indexes its posts for search the way
// migration 0003 indexes existing posts.
func (g *generator) writeBatch(ctx context.Context, tx *gorm.DB, b *topicBatch) error {
	for _, buf := range []*rowBuffer{b.topics, b.posts, b.reactions} {
		if err := buf.flush(ctx, tx); err != nil {
			return err
		}
	}
	if !g.searchTable {
		return nil
	}
	index := `INSERT INTO search_posts (rowid, title, body)
		SELECT p.id, CASE WHEN p.id = (SELECT MIN(f.id) FROM posts f WHERE f.topic_id = p.topic_id)
				THEN replace(replace(t.title, char(57344), ''), char(57345), '') ELSE '' END,
			replace(replace(p.body, char(57344), ''), char(57345), '')
		FROM posts p JOIN topics t ON t.id = p.topic_id
		WHERE p.id BETWEEN ? AND ? AND p.deleted_at IS NULL AND t.deleted_at IS NULL`
	if database.Dialect(g.db) == "postgres" {
		index = strings.NewReplacer("rowid", "post_id", "char(", "chr(").Replace(index)
	}
	if err := tx.WithContext(ctx).Exec(index, b.firstPost, b.lastPost).Error; err != nil {
		return fmt.Errorf("demo: unable to index posts for search: %w", err)
	}
	return nil
}
