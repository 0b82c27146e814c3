package recommend

// Benchmarks and quality figures on generated data (SQLite): 10,000 members, 100,000 topics of
// 3 posts, and topic opens with planted interests. The databases are built once into
// $HAVEN_BENCH_DIR (default: the system temp dir, haven-bench/) and reused.
//
//	go test ./internal/recommend -run '^$' -bench . -benchtime 400x -timeout 60m
//
// BenchmarkSuggest reports p50/p99 per call at 100k, 1M and 5M events; BenchmarkQuality reports
// hit-rate@10 of held-out topic opens and exposure concentration for both layers (on a copy of
// the 1M database, quality.db, from which the held-out opens are deleted).

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/haven-forum/haven/internal/accounts"
	"github.com/haven-forum/haven/internal/database"
	"github.com/haven-forum/haven/internal/demo"
	"github.com/haven-forum/haven/internal/forum"
	"github.com/haven-forum/haven/internal/privacy"
	"github.com/haven-forum/haven/internal/site"
	"gorm.io/gorm"
)

const (
	benchMembers = 10_000
	benchTopics  = 100_000
	interestP    = 0.7 // share of a member's opens that follow their planted interest
)

// benchWorld is a generated database with planted interests.
type benchWorld struct {
	db        *gorm.DB
	engine    *Engine
	now       time.Time
	readers   []int64            // members with every consent on (they read, and contribute)
	interest  map[int64][]int64  // member → topics of their interest (in their primary group)
	groupsOf  map[int64][]int64  // member → groups
	topicsIn  map[int64][]bTopic // group → topics
	authorOf  map[int64]int64
	createdAt map[int64]time.Time
}

type bTopic struct {
	ID, GroupID, AuthorID int64
	Title, Opening        string
	CreatedAt, LastPostAt time.Time
}

func benchDir(b *testing.B) string {
	dir := os.Getenv("HAVEN_BENCH_DIR")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "haven-bench")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		b.Fatal(err)
	}
	return dir
}

func openBench(b *testing.B, path string) *gorm.DB {
	ctx := context.Background()
	db, err := database.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	if err := database.Migrate(ctx, db); err != nil {
		b.Fatal(err)
	}
	return db
}

func copyFile(b *testing.B, from, to string) {
	in, err := os.Open(from)
	if err != nil {
		b.Fatal(err)
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		b.Fatal(err)
	}
	if err := out.Close(); err != nil {
		b.Fatal(err)
	}
}

// loadBenchWorld returns the generated database with events topic opens, building it if needed.
func loadBenchWorld(b *testing.B, events int) *benchWorld {
	b.Helper()
	ctx := context.Background()
	dir := benchDir(b)
	base := filepath.Join(dir, "base.db")
	if _, err := os.Stat(base); err != nil {
		b.Logf("generating %d members and %d topics into %s (about a minute)", benchMembers, benchTopics, base)
		db := openBench(b, base+".tmp")
		if err := demo.Generate(ctx, db, demo.GenOptions{Members: benchMembers, Topics: benchTopics, PostsPerTopic: 3, Seed: 1}, io.Discard); err != nil {
			b.Fatal(err)
		}
		database.Checkpoint(ctx, db)
		database.Close(db)
		if err := os.Rename(base+".tmp", base); err != nil {
			b.Fatal(err)
		}
	}
	path := filepath.Join(dir, fmt.Sprintf("events-%d-v2.db", events))
	fresh := false
	if _, err := os.Stat(path); err != nil {
		copyFile(b, base, path+".tmp")
		fresh = true
	}
	if fresh {
		path += ".tmp"
	}
	db := openBench(b, path)
	w := newBenchWorld(b, db)
	if fresh {
		b.Logf("planting %d topic opens into %s", events, path)
		w.plant(b, events)
		database.Checkpoint(ctx, db)
		database.Close(db)
		if err := os.Rename(path, filepath.Join(dir, fmt.Sprintf("events-%d-v2.db", events))); err != nil {
			b.Fatal(err)
		}
		return loadBenchWorld(b, events)
	}
	b.Cleanup(func() { database.Close(db) })
	return w
}

// newBenchWorld reads the generated forum and derives, deterministically, who reads and what
// interests them: every other member reads; their interest is the topics of their first group
// sharing one title word.
func newBenchWorld(b *testing.B, db *gorm.DB) *benchWorld {
	ctx := context.Background()
	w := &benchWorld{db: db, interest: map[int64][]int64{}, groupsOf: map[int64][]int64{}, topicsIn: map[int64][]bTopic{},
		authorOf: map[int64]int64{}, createdAt: map[int64]time.Time{}}
	var topics []bTopic
	if err := db.WithContext(ctx).Raw(`SELECT t.id, t.group_id, t.author_id, t.title, SUBSTR(fp.body, 1, 600) AS opening, t.created_at, t.last_post_at
		FROM topics t JOIN posts fp ON fp.id = (SELECT MIN(id) FROM posts WHERE topic_id = t.id) ORDER BY t.id`).Scan(&topics).Error; err != nil {
		b.Fatal(err)
	}
	for _, t := range topics {
		w.topicsIn[t.GroupID] = append(w.topicsIn[t.GroupID], t)
		w.authorOf[t.ID] = t.AuthorID
		w.createdAt[t.ID] = t.CreatedAt
		if t.LastPostAt.After(w.now) {
			w.now = t.LastPostAt
		}
	}
	var gm []struct{ GroupID, MemberID int64 }
	if err := db.WithContext(ctx).Raw(`SELECT group_id, member_id FROM group_members ORDER BY member_id, group_id`).Scan(&gm).Error; err != nil {
		b.Fatal(err)
	}
	for _, r := range gm {
		w.groupsOf[r.MemberID] = append(w.groupsOf[r.MemberID], r.GroupID)
	}
	members := make([]int64, 0, len(w.groupsOf))
	for m := range w.groupsOf {
		members = append(members, m)
	}
	slices.Sort(members)
	rng := rand.New(rand.NewPCG(42, 42))
	// Per group, which topics each title word appears in.
	byWord := map[int64]map[string][]int64{}
	for g, ts := range w.topicsIn {
		idx := map[string][]int64{}
		for _, t := range ts {
			for word := range forum.TermVector(t.Title, "") {
				idx[word] = append(idx[word], t.ID)
			}
		}
		byWord[g] = idx
	}
	for i, m := range members {
		if i%2 != 0 {
			continue
		}
		w.readers = append(w.readers, m)
		g := w.groupsOf[m][0]
		var words []string
		for word, ids := range byWord[g] {
			if n := len(ids); n >= len(w.topicsIn[g])/20 && n <= len(w.topicsIn[g])/6 {
				words = append(words, word)
			}
		}
		if len(words) == 0 {
			continue
		}
		sort.Strings(words)
		w.interest[m] = byWord[g][words[rng.IntN(len(words))]]
	}
	w.engine = New(forum.New(db, site.NewSettings(db), nil).Reads, privacy.NewService(db, privacy.ControllerInfo{Name: "bench"}))
	w.engine.now = func() time.Time { return w.now }
	return w
}

// pick draws a topic a member opens: interestP of the time one of their interest, otherwise
// any topic of their groups, never their own, and never one that does not exist yet.
func (w *benchWorld) pick(rng *rand.Rand, m int64) (int64, bool) {
	for range 50 {
		var id int64
		if ids := w.interest[m]; len(ids) > 0 && rng.Float64() < interestP {
			id = ids[rng.IntN(len(ids))]
		} else {
			groups := w.groupsOf[m]
			ts := w.topicsIn[groups[rng.IntN(len(groups))]]
			id = ts[rng.IntN(len(ts))].ID
		}
		if w.authorOf[id] != m && w.createdAt[id].Before(w.now) {
			return id, true
		}
	}
	return 0, false
}

// plant gives every reader all consents and writes events topic opens among them, each at a
// random time after the topic started (within the last 80 days, inside the default retention).
func (w *benchWorld) plant(b *testing.B, events int) {
	rng := rand.New(rand.NewPCG(7, uint64(events)))
	group := map[int64]int64{}
	for g, ts := range w.topicsIn {
		for _, t := range ts {
			group[t.ID] = g
		}
	}
	left := events
	from := w.now.Add(-80 * 24 * time.Hour)
	next := func() (privacy.GeneratedEvent, bool) {
		for left > 0 {
			m := w.readers[rng.IntN(len(w.readers))]
			id, ok := w.pick(rng, m)
			if !ok {
				continue
			}
			left--
			start := w.createdAt[id]
			if start.Before(from) {
				start = from
			}
			at := start.Add(time.Duration(rng.Int64N(int64(w.now.Sub(start)) + 1)))
			return privacy.GeneratedEvent{MemberID: m, TopicID: id, GroupID: group[id], At: at}, true
		}
		return privacy.GeneratedEvent{}, false
	}
	purposes := []string{privacy.ReadingHistory, privacy.PersonalizedRecommendations, privacy.CommunitySignals}
	if _, err := privacy.SeedGenerated(context.Background(), w.db, w.readers, purposes, w.now.Add(-81*24*time.Hour), next); err != nil {
		b.Fatal(err)
	}
}

func (w *benchWorld) ctx(m int64) context.Context {
	return accounts.WithViewer(context.Background(), accounts.Viewer{Member: accounts.Member{ID: m, Role: accounts.RoleMember}})
}

func percentile(d []time.Duration, p float64) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[min(len(s)-1, int(p*float64(len(s))))]
}

// BenchmarkSuggest: one member's suggestions (all layers on), at 100k, 1M and 5M events.
func BenchmarkSuggest(b *testing.B) {
	for _, events := range []int{100_000, 1_000_000, 5_000_000} {
		b.Run(fmt.Sprintf("events=%d", events), func(b *testing.B) {
			w := loadBenchWorld(b, events)
			rng := rand.New(rand.NewPCG(1, 2))
			times := make([]time.Duration, 0, b.N)
			var history int
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				m := w.readers[rng.IntN(len(w.readers))]
				start := time.Now()
				if _, err := w.engine.Suggest(w.ctx(m)); err != nil {
					b.Fatal(err)
				}
				times = append(times, time.Since(start))
			}
			b.StopTimer()
			w.db.Raw(`SELECT COUNT(*) / ? FROM activity_events`, len(w.readers)).Scan(&history)
			b.ReportMetric(float64(percentile(times, 0.5).Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(percentile(times, 0.99).Microseconds())/1000, "p99-ms")
			b.ReportMetric(float64(history), "opens/member")
		})
	}
}

// BenchmarkQuality holds out, for each of 300 readers, their 5 most recent opens of topics they
// could be suggested now (and did not post or react in): those opens are deleted from a copy of
// the database, and each layer is asked for its ten. It reports which share of the held-out
// opens each layer puts in its top 10, and how concentrated each layer's exposure is: the share
// of all suggestion slots going to the 1% most opened of the topics that could be suggested.
func BenchmarkQuality(b *testing.B) {
	dir := benchDir(b)
	loadBenchWorld(b, 1_000_000) // built if missing
	copyFile(b, filepath.Join(dir, "events-1000000-v2.db"), filepath.Join(dir, "quality.db"))
	db := openBench(b, filepath.Join(dir, "quality.db"))
	b.Cleanup(func() { database.Close(db) })
	w := newBenchWorld(b, db)
	var hitsP, hitsG, held int
	exposureP, exposureG := map[int64]int{}, map[int64]int{}
	evaluated := 0
	for _, m := range w.readers {
		if evaluated == 300 {
			break
		}
		vctx := w.ctx(m)
		cands, err := w.engine.forum.CandidateTopics(vctx, w.now.Add(-CandidateWindow), CandidateLimit)
		if err != nil {
			b.Fatal(err)
		}
		engaged, err := w.engine.forum.Engagements(vctx, 1000)
		if err != nil {
			b.Fatal(err)
		}
		isCand := map[int64]bool{}
		for _, c := range cands {
			isCand[c.TopicID] = true
		}
		for _, e := range engaged {
			delete(isCand, e.TopicID)
		}
		var recent []int64
		w.db.Raw(`SELECT topic_id FROM activity_events WHERE member_id = ? ORDER BY created_at DESC, id DESC`, m).Scan(&recent)
		heldOut := map[int64]bool{}
		for _, id := range recent {
			if isCand[id] && len(heldOut) < 5 {
				heldOut[id] = true
			}
		}
		if len(heldOut) < 5 {
			continue
		}
		for id := range heldOut {
			if err := w.db.Exec(`DELETE FROM activity_events WHERE member_id = ? AND topic_id = ?`, m, id).Error; err != nil {
				b.Fatal(err)
			}
		}
		evaluated++
		personal, err := w.engine.Suggest(vctx)
		if err != nil {
			b.Fatal(err)
		}
		for _, s := range personal {
			exposureP[s.TopicID]++
			if heldOut[s.TopicID] {
				hitsP++
			}
		}
		for _, s := range top(general(cands, w.now)) {
			exposureG[s.TopicID]++
			if heldOut[s.TopicID] {
				hitsG++
			}
		}
		held += len(heldOut)
	}
	if evaluated == 0 {
		b.Fatal("no member could be evaluated")
	}
	b.ReportMetric(float64(evaluated), "members")
	b.ReportMetric(float64(hitsP)/float64(held), "hit@10-personal")
	b.ReportMetric(float64(hitsG)/float64(held), "hit@10-general")
	// The popular threads: the 1% most opened of the topics that could be suggested now.
	var recent int
	w.db.Raw(`SELECT COUNT(*) FROM topics WHERE last_post_at > ?`, w.now.Add(-CandidateWindow)).Scan(&recent)
	var popular []int64
	w.db.Raw(`SELECT e.topic_id FROM activity_events e JOIN topics t ON t.id = e.topic_id WHERE t.last_post_at > ?
		GROUP BY e.topic_id ORDER BY COUNT(*) DESC, e.topic_id LIMIT ?`, w.now.Add(-CandidateWindow), max(1, recent/100)).Scan(&popular)
	b.ReportMetric(popularShare(exposureP, popular), "popular1%-share-personal")
	b.ReportMetric(popularShare(exposureG, popular), "popular1%-share-general")
	b.ReportMetric(float64(len(exposureP)), "distinct-personal")
	b.ReportMetric(float64(len(exposureG)), "distinct-general")
}

// popularShare is the share of all suggestion slots that went to the popular topics.
func popularShare(exposure map[int64]int, popular []int64) float64 {
	total, top := 0, 0
	for id, c := range exposure {
		total += c
		if slices.Contains(popular, id) {
			top += c
		}
	}
	if total == 0 {
		return 0
	}
	return float64(top) / float64(total)
}
