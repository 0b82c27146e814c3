package export_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/haven-forum/haven/internal/accounts"
	"github.com/haven-forum/haven/internal/apperr"
	"github.com/haven-forum/haven/internal/dbtest"
	"github.com/haven-forum/haven/internal/erasures"
	"github.com/haven-forum/haven/internal/export"
	"github.com/haven-forum/haven/internal/forum"
	"github.com/haven-forum/haven/internal/moderation"
	"github.com/haven-forum/haven/internal/privacy"
	"github.com/haven-forum/haven/internal/site"
	"gorm.io/gorm"
)

func sources(db *gorm.DB) export.Sources {
	settings := site.NewSettings(db)
	inbox := forum.NewInbox(db)
	f := forum.New(db, settings, inbox)
	return export.Sources{Accounts: accounts.NewService(db), Forum: f, Inbox: inbox,
		Privacy: privacy.NewService(db, privacy.ControllerInfo{}), Moderation: moderation.NewService(db, f).Records,
		Erasures: erasures.NewReader(db)}
}

// reader makes a member with reading history on, a group and a topic, and records n topic
// opens for them in bulk.
func reader(t testing.TB, db *gorm.DB, name string, n int) context.Context {
	t.Helper()
	m, err := accounts.NewService(db).Create(context.Background(), name, "long password 123", accounts.RoleMember)
	if err != nil {
		t.Fatal(err)
	}
	ctx := accounts.WithViewer(context.Background(), accounts.Viewer{Member: m})
	if _, err := privacy.NewService(db, privacy.ControllerInfo{}).SetConsent(ctx, privacy.ReadingHistory, true, privacy.MethodDashboard); err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	var groupID, topicID int64
	db.Raw(`INSERT INTO groups (slug, name, visibility, created_at) VALUES (?, 'Grief', 'public', ?) RETURNING id`, name+"-g", now).Scan(&groupID)
	db.Raw(`INSERT INTO topics (group_id, author_id, title, created_at, last_post_at) VALUES (?, ?, 'T', ?, ?) RETURNING id`,
		groupID, m.ID, now, now).Scan(&topicID)
	const batch = 1000
	for done := 0; done < n; done += batch {
		rows := min(batch, n-done)
		args := make([]any, 0, rows*5)
		for i := range rows {
			args = append(args, m.ID, privacy.KindTopicOpen, topicID, groupID, now.Add(-time.Duration(done+i)*time.Second))
		}
		q := `INSERT INTO activity_events (member_id, kind, topic_id, group_id, created_at) VALUES ` +
			strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?), ", rows), ", ")
		if err := db.Exec(q, args...).Error; err != nil {
			t.Fatal(err)
		}
	}
	return ctx
}

func TestWriteIsOnlyForTheMemberThemself(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := reader(t, db, "owner", 3)
		v, _ := accounts.ViewerFrom(ctx)
		other := reader(t, db, "someone_else", 1)
		var buf bytes.Buffer
		if err := export.Write(other, &buf, v.ID, sources(db)); apperr.Code(err) != apperr.EFORBIDDEN || buf.Len() != 0 {
			t.Errorf("another member's export: %v, %d bytes", err, buf.Len())
		}
		if err := export.Write(context.Background(), &buf, v.ID, sources(db)); apperr.Code(err) != apperr.EFORBIDDEN {
			t.Errorf("an export without a viewer: %v", err)
		}
		if err := export.Write(ctx, &buf, v.ID, sources(db)); err != nil {
			t.Fatal(err)
		}
		var doc struct{ Activity []map[string]any }
		if err := json.Unmarshal(buf.Bytes(), &doc); err != nil || len(doc.Activity) != 3 {
			t.Errorf("export: %v, %d events\n%s", err, len(doc.Activity), buf.String())
		}
	})
}

// errWriter fails after a few bytes, as a client that goes away does.
type errWriter struct{ left int }

func (w *errWriter) Write(p []byte) (int, error) {
	if w.left -= len(p); w.left < 0 {
		return 0, io.ErrClosedPipe
	}
	return len(p), nil
}

func TestWriteStopsWhenTheClientGoesAway(t *testing.T) {
	t.Parallel()
	db := dbtest.SQLite(t)
	ctx := reader(t, db, "leaver", 5000)
	v, _ := accounts.ViewerFrom(ctx)
	if err := export.Write(ctx, &errWriter{left: 100 << 10}, v.ID, sources(db)); err == nil {
		t.Error("a failed write was not reported")
	}
}

// heapSampler records the largest heap seen while it runs, sampling every millisecond without
// stopping the world: live is what the last garbage collection found still in use; objects
// also counts garbage not yet collected.
type heapSampler struct {
	stop       chan struct{}
	wg         sync.WaitGroup
	live, objs uint64
}

func heap() (live, objs uint64) {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}, {Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64(), s[1].Value.Uint64()
}

func startHeapSampler() *heapSampler {
	h := &heapSampler{stop: make(chan struct{})}
	h.wg.Add(1)
	go func() {
		defer h.wg.Done()
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			live, objs := heap()
			h.live, h.objs = max(h.live, live), max(h.objs, objs)
			select {
			case <-h.stop:
				return
			case <-tick.C:
			}
		}
	}()
	return h
}

func (h *heapSampler) done() {
	close(h.stop)
	h.wg.Wait()
}

// exportMemory exports the member to a byte counter, and reports how much the live heap and
// the whole heap (garbage included) grew at their peaks, all that was allocated on the way,
// the bytes written and the time taken.
type usage struct {
	liveGrowth, heapGrowth, allocated, written uint64
	took                                       time.Duration
}

func exportMemory(t testing.TB, db *gorm.DB, ctx context.Context) usage {
	t.Helper()
	v, _ := accounts.ViewerFrom(ctx)
	src := sources(db)
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	baseLive, baseObjs := heap()
	h := startHeapSampler()
	start := time.Now()
	w := &countingWriter{}
	if err := export.Write(ctx, w, v.ID, src); err != nil {
		t.Fatal(err)
	}
	u := usage{took: time.Since(start), written: w.n}
	runtime.GC() // a last collection, so the live figure includes anything still held at the end
	h.done()
	runtime.ReadMemStats(&after)
	u.liveGrowth, u.heapGrowth = h.live-min(baseLive, h.live), h.objs-min(baseObjs, h.objs)
	u.allocated = after.TotalAlloc - before.TotalAlloc
	return u
}

type countingWriter struct{ n uint64 }

func (w *countingWriter) Write(p []byte) (int, error) { w.n += uint64(len(p)); return len(p), nil }

// 100,000 recorded events export in flat memory: every row is encoded and written as it is
// read, so the heap never holds the record.
func TestExport100kEventsInFlatMemory(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("inserts 100,000 rows")
	}
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		const n = 100_000
		ctx := reader(t, db, "avid_reader", n)
		u := exportMemory(t, db, ctx)
		t.Logf("%d events: %.1f MB written in %v; peak growth: live heap %.2f MB, heap with garbage %.2f MB; %.0f MB allocated in all",
			n, float64(u.written)/1e6, u.took.Round(time.Millisecond), float64(u.liveGrowth)/1e6, float64(u.heapGrowth)/1e6,
			float64(u.allocated)/1e6)
		if u.liveGrowth >= 20<<20 {
			t.Errorf("the live heap grew by %.1f MB during the export; it must stay under 20 MB", float64(u.liveGrowth)/(1<<20))
		}
		if u.written < n*60 {
			t.Errorf("only %d bytes written for %d events", u.written, n)
		}
		// And the document is whole: one valid JSON object holding every event.
		var buf bytes.Buffer
		v, _ := accounts.ViewerFrom(ctx)
		if err := export.Write(ctx, &buf, v.ID, sources(db)); err != nil {
			t.Fatal(err)
		}
		var doc struct{ Activity []json.RawMessage }
		if err := json.Unmarshal(buf.Bytes(), &doc); err != nil || len(doc.Activity) != n {
			t.Errorf("%v; %d events in the export", err, len(doc.Activity))
		}
	})
}

func BenchmarkExport100kEvents(b *testing.B) {
	db := dbtest.SQLite(b)
	ctx := reader(b, db, "bench_reader", 100_000)
	v, _ := accounts.ViewerFrom(ctx)
	src := sources(db)
	b.ReportAllocs()
	runtime.GC()
	baseLive, _ := heap()
	h := startHeapSampler()
	for b.Loop() {
		if err := export.Write(ctx, io.Discard, v.ID, src); err != nil {
			b.Fatal(err)
		}
	}
	h.done()
	b.ReportMetric(float64(h.live-min(baseLive, h.live))/1e6, "peak-live-heap-growth-MB")
}
