package privacy_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/haven-forum/haven/internal/accounts"
	"github.com/haven-forum/haven/internal/dbtest"
	"github.com/haven-forum/haven/internal/privacy"
	"gorm.io/gorm"
)

// insightWorld is one group with three topics and members who read and reply at chosen times.
type insightWorld struct {
	t      *testing.T
	db     *gorm.DB
	s      *privacy.Service
	group  int64
	topics [3]int64
}

var (
	insightNow  = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC) // a Wednesday
	lastWeek    = time.Date(2026, 11, 17, 9, 0, 0, 0, time.UTC)  // in the week of 16 Nov, the last one over
	currentWeek = time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
)

func newInsightWorld(t *testing.T, db *gorm.DB) *insightWorld {
	w := &insightWorld{t: t, db: db, s: privacy.NewService(db, privacy.ControllerInfo{})}
	w.s.Established = privacy.Established{} // every account counts here; TestFreshAccountsDoNotMakeUpK tests the rule
	start := lastWeek.AddDate(0, 0, -30)
	db.Raw(`INSERT INTO groups (slug, name, visibility, created_at) VALUES ('calm', 'Calm', 'public', ?) RETURNING id`, start).Scan(&w.group)
	for i := range w.topics {
		db.Raw(`INSERT INTO topics (group_id, title, created_at, last_post_at) VALUES (?, 'T', ?, ?) RETURNING id`, w.group, start, start).Scan(&w.topics[i])
		db.Exec(`INSERT INTO posts (topic_id, body, created_at) VALUES (?, 'opening', ?)`, w.topics[i], start)
	}
	return w
}

// member creates an account with the given consents on and returns it as a signed-in context.
func (w *insightWorld) member(name, role string, consents ...string) (context.Context, int64) {
	w.t.Helper()
	m, err := accounts.NewService(w.db).Create(context.Background(), name, "long password 123", role)
	if err != nil {
		w.t.Fatal(err)
	}
	ctx := accounts.WithViewer(context.Background(), accounts.Viewer{Member: m})
	for _, p := range consents {
		must(w.s.SetConsent(ctx, p, true, privacy.MethodDashboard))
	}
	return ctx, m.ID
}

func (w *insightWorld) open(member int64, topic int, at time.Time) {
	w.db.Exec(`INSERT INTO activity_events (member_id, kind, topic_id, group_id, created_at) VALUES (?, 'topic_open', ?, ?, ?)`,
		member, w.topics[topic], w.group, at)
}

func (w *insightWorld) reply(member int64, topic int, at time.Time, held bool) {
	w.db.Exec(`INSERT INTO posts (topic_id, author_id, body, created_at, held) VALUES (?, ?, 'a reply', ?, ?)`, w.topics[topic], member, at, held)
}

// figures returns the reading figures of the last week that is over, and checks the others.
func (w *insightWorld) figures() privacy.WeekReading {
	w.t.Helper()
	weeks, err := w.s.Readers.GroupReadingFigures(context.Background(), w.group, 12, insightNow)
	if err != nil {
		w.t.Fatal(err)
	}
	if len(weeks) != 12 {
		w.t.Fatalf("%d weeks, want 12", len(weeks))
	}
	if cur := weeks[11]; !cur.Open || cur.ReadersPerTopic != (privacy.Figure{}) || cur.ReplyShare != (privacy.Figure{}) {
		w.t.Errorf("the week still going on was counted: %+v", cur)
	}
	if early := weeks[9]; !early.ReadersPerTopic.Hidden || !early.ReplyShare.Hidden || early.ReadersPerTopic.Value != 0 {
		w.t.Errorf("a week nobody read in shows a figure: %+v", early)
	}
	if got := weeks[10].Start; !got.Equal(time.Date(2026, 11, 16, 0, 0, 0, 0, time.UTC)) {
		w.t.Errorf("last finished week starts %v", got)
	}
	return weeks[10]
}

func hidden(f privacy.Figure) bool { return f.Hidden && f.Value == 0 }

func TestInsightReadingFiguresNeedFiveConsentingMembers(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newInsightWorld(t, db)
		both := []string{privacy.ReadingHistory, privacy.CommunityInsights}
		var readers []int64
		var ctxs []context.Context
		for _, name := range []string{"kr_one", "kr_two", "kr_three", "kr_four", "kr_five", "kr_six"} {
			ctx, id := w.member(name, accounts.RoleMember, both...)
			ctxs, readers = append(ctxs, ctx), append(readers, id)
		}
		// People who never count, however much they read and reply: reading history without
		// community insights, community insights without reading history, an admin, a moderator.
		_, historyOnly := w.member("kr_history_only", accounts.RoleMember, privacy.ReadingHistory)
		_, insightsOnly := w.member("kr_insights_only", accounts.RoleMember, privacy.CommunityInsights)
		_, admin := w.member("kr_admin", accounts.RoleAdmin, both...)
		_, mod := w.member("kr_mod", accounts.RoleMember, both...)
		db.Exec(`INSERT INTO group_members (group_id, member_id, role, joined_at) VALUES (?, ?, 'moderator', ?)`, w.group, mod, lastWeek)
		for _, id := range []int64{historyOnly, insightsOnly, admin, mod} {
			w.open(id, 2, lastWeek)
			w.open(id, 1, lastWeek)
			w.reply(id, 2, lastWeek, false)
		}
		// Four consenting readers: each opened topic 0 (one of them twice), two also topic 1;
		// all four replied. Readings in the week still going on never count.
		for i, id := range readers[:4] {
			w.open(id, 0, lastWeek.Add(time.Duration(i)*time.Hour))
			if i < 2 {
				w.open(id, 1, lastWeek.Add(time.Duration(i)*time.Hour))
			}
			w.reply(id, 0, lastWeek.Add(2*time.Hour), false)
			w.open(id, 2, currentWeek)
		}
		w.open(readers[0], 0, lastWeek.Add(time.Minute))
		if f := w.figures(); !hidden(f.ReadersPerTopic) || !hidden(f.ReplyShare) {
			t.Fatalf("4 consenting readers, yet a figure was given: %+v", f)
		}

		// The fifth reader opens topics 0 and 1 but has not replied: readers per topic is
		// (5 + 3) / 2 = 4.0; only 4 of them replied, too few to give the share.
		w.open(readers[4], 0, lastWeek)
		w.open(readers[4], 1, lastWeek)
		f := w.figures()
		if f.ReadersPerTopic != (privacy.Figure{Value: 4}) {
			t.Errorf("readers per topic with 5 readers: %+v, want 4.0", f.ReadersPerTopic)
		}
		if !hidden(f.ReplyShare) {
			t.Errorf("share of readers who reply given with 4 repliers: %+v", f.ReplyShare)
		}
		// A held reply is not a reply yet.
		w.reply(readers[4], 1, lastWeek.Add(3*time.Hour), true)
		if f := w.figures(); !hidden(f.ReplyShare) {
			t.Errorf("a held reply counted: %+v", f.ReplyShare)
		}
		w.reply(readers[4], 1, lastWeek.Add(4*time.Hour), false)
		if f := w.figures(); f.ReplyShare != (privacy.Figure{Value: 1}) {
			t.Errorf("share of readers who reply, 5 of 5: %+v", f.ReplyShare)
		}

		// Withdrawing community insights takes the member out at once: back to 4.
		must(w.s.SetConsent(ctxs[4], privacy.CommunityInsights, false, privacy.MethodDashboard))
		if f := w.figures(); !hidden(f.ReadersPerTopic) || !hidden(f.ReplyShare) {
			t.Errorf("after a withdrawal 4 remain, yet a figure was given: %+v", f)
		}
		must(w.s.SetConsent(ctxs[4], privacy.CommunityInsights, true, privacy.MethodDashboard))
		// And so does switching reading history off.
		must(w.s.SetConsent(ctxs[3], privacy.ReadingHistory, false, privacy.MethodDashboard))
		if f := w.figures(); !hidden(f.ReadersPerTopic) {
			t.Errorf("a member without reading history still counts: %+v", f)
		}
		must(w.s.SetConsent(ctxs[3], privacy.ReadingHistory, true, privacy.MethodDashboard))

		// A sixth reader who does not reply: 6 readers, 9 opens over 2 topics, 5 of 6 replied.
		w.open(readers[5], 1, lastWeek)
		f = w.figures()
		if f.ReadersPerTopic != (privacy.Figure{Value: 4.5}) || f.ReplyShare != (privacy.Figure{Value: 0.83}) {
			t.Errorf("with 6 readers: %+v, want 4.5 readers per topic and 0.83 replying", f)
		}
	})
}

// The figures carry no member: nothing in them can name or point at one.
func TestInsightReadingFiguresHoldNoMember(t *testing.T) {
	t.Parallel()
	allowed := map[string]bool{"Start": true, "Open": true, "ReadersPerTopic": true, "ReplyShare": true, "Value": true, "Hidden": true}
	for _, typ := range []reflect.Type{reflect.TypeFor[privacy.WeekReading](), reflect.TypeFor[privacy.Figure]()} {
		for i := range typ.NumField() {
			if f := typ.Field(i); !allowed[f.Name] {
				t.Errorf("%s has a field %s: a reading figure must carry aggregates only", typ.Name(), f.Name)
			}
		}
	}
}
