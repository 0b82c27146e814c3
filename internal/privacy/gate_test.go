package privacy_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/haven-forum/haven/internal/accounts"
	"github.com/haven-forum/haven/internal/dbtest"
	"github.com/haven-forum/haven/internal/privacy"
	"gorm.io/gorm"
)

// fixture makes a member, a group and a topic, and returns the member's context.
func fixture(t *testing.T, db *gorm.DB, name string) (context.Context, int64, int64) {
	t.Helper()
	return fixtureTB(t, db, name)
}

func fixtureTB(t testing.TB, db *gorm.DB, name string) (context.Context, int64, int64) {
	t.Helper()
	m, err := accounts.NewService(db).Create(context.Background(), name, "long password 123", accounts.RoleMember)
	if err != nil {
		t.Fatal(err)
	}
	var groupID, topicID int64
	db.Raw(`INSERT INTO groups (slug, name, visibility, created_at) VALUES (?, 'G', 'public', ?) RETURNING id`, name+"-g", time.Now().UTC()).Scan(&groupID)
	db.Raw(`INSERT INTO topics (group_id, author_id, title, created_at, last_post_at) VALUES (?, ?, 'T', ?, ?) RETURNING id`,
		groupID, m.ID, time.Now().UTC(), time.Now().UTC()).Scan(&topicID)
	return accounts.WithViewer(context.Background(), accounts.Viewer{Member: m}), groupID, topicID
}

func events(t *testing.T, db *gorm.DB) int64 {
	t.Helper()
	var n int64
	db.Raw(`SELECT COUNT(*) FROM activity_events`).Scan(&n)
	return n
}

func readPositions(t *testing.T, db *gorm.DB) int64 {
	t.Helper()
	var n int64
	db.Raw(`SELECT COUNT(*) FROM read_positions`).Scan(&n)
	return n
}

func TestNoConsentNoRow(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		s := privacy.NewService(db, privacy.ControllerInfo{})
		ctx, g, topic := fixture(t, db, "gate_member")
		for _, st := range must(s.States(ctx)) {
			if st.Granted {
				t.Errorf("%s is on by default", st.Key)
			}
		}
		if wrote, err := s.RecordTopicOpen(ctx, topic, g); err != nil || wrote {
			t.Fatalf("recorded without consent: %v %v", wrote, err)
		}
		// Other purposes do not cover reading.
		for _, p := range []string{privacy.PersonalizedRecommendations, privacy.CommunitySignals, privacy.CommunityInsights} {
			s.SetConsent(ctx, p, true, privacy.MethodDashboard)
		}
		s.RecordTopicOpen(ctx, topic, g)
		if n := events(t, db); n != 0 {
			t.Fatalf("%d events without reading-history consent", n)
		}
		s.SetConsent(ctx, privacy.ReadingHistory, true, privacy.MethodDashboard)
		if wrote, _ := s.RecordTopicOpen(ctx, topic, g); !wrote {
			t.Fatal("not recorded with consent")
		}
		if wrote, _ := s.RecordTopicOpen(privacy.WithGPC(ctx), topic, g); wrote {
			t.Error("recorded although the request carried Global Privacy Control")
		}
		if wrote, _ := s.RecordTopicOpen(context.Background(), topic, g); wrote {
			t.Error("recorded a signed-out visitor")
		}
		s.SetConsent(ctx, privacy.ReadingHistory, false, privacy.MethodDashboard)
		s.RecordTopicOpen(ctx, topic, g)
		if n := events(t, db); n != 1 {
			t.Errorf("%d events, want exactly the one made while consent was on", n)
		}
		hist := must(s.History(ctx))
		if len(hist) != 5 || hist[0].Granted || hist[0].Purpose != privacy.ReadingHistory || hist[0].ReceiptID == "" {
			t.Errorf("history: %+v", hist)
		}
	})
}

// A withdrawal racing page views never leaves a row written after it: no open, and no read
// position (switching off erases them, so any position left was written after it).
func TestWithdrawalRacingViewsLeavesNothingAfterIt(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		s := privacy.NewService(db, privacy.ControllerInfo{})
		ctx, g, topic := fixture(t, db, "racer")
		s.SetConsent(ctx, privacy.ReadingHistory, true, privacy.MethodDashboard)
		var wg sync.WaitGroup
		for i := 0; i < 4; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for j := 0; j < 25; j++ {
					s.RecordTopicRead(ctx, topic, g, int64(1+i*25+j))
				}
			}()
		}
		// Withdraw once the first views are in, while the others are still coming.
		for deadline := time.Now().Add(10 * time.Second); events(t, db) == 0 && time.Now().Before(deadline); {
			time.Sleep(time.Millisecond)
		}
		if _, err := s.SetConsent(ctx, privacy.ReadingHistory, false, privacy.MethodDashboard); err != nil {
			t.Fatal(err)
		}
		atWithdrawal := events(t, db) // everything committed before the withdrawal did
		if n := readPositions(t, db); n != 0 {
			t.Errorf("%d read positions survive switching reading history off", n)
		}
		wg.Wait()
		if late := events(t, db) - atWithdrawal; late != 0 {
			t.Errorf("%d events were written after the withdrawal had been acknowledged", late)
		}
		if n := readPositions(t, db); n != 0 {
			t.Errorf("%d read positions were written after the withdrawal had been acknowledged", n)
		}
		if atWithdrawal == 0 {
			t.Error("no view was recorded before the withdrawal; the race was not exercised")
		}
	})
}

func TestDeleteEraseAndRetention(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		s := privacy.NewService(db, privacy.ControllerInfo{})
		ctx, g, topic := fixture(t, db, "keeper")
		other, og, ot := fixture(t, db, "other_keeper")
		s.SetConsent(ctx, privacy.ReadingHistory, true, privacy.MethodDashboard)
		s.SetConsent(other, privacy.ReadingHistory, true, privacy.MethodDashboard)
		for i := 0; i < 3; i++ {
			s.RecordTopicOpen(ctx, topic, g)
		}
		s.RecordTopicOpen(other, ot, og)
		page := must(s.Activity(ctx, privacy.ActivityFilter{}))
		if page.Total != 3 || len(page.Events) != 3 || page.Events[0].TopicTitle != "T" {
			t.Fatalf("activity: %+v", page)
		}
		if err := s.DeleteEvent(other, page.Events[0].ID); err == nil {
			t.Error("a member deleted someone else's event")
		}
		if err := s.DeleteEvent(ctx, page.Events[0].ID); err != nil {
			t.Fatal(err)
		}
		if n := must(s.EventCount(ctx)); n != 2 {
			t.Errorf("%d events after deleting one", n)
		}
		// Retention: an old event goes when the purge runs, or at once when retention shrinks.
		db.Exec(`UPDATE activity_events SET created_at = ? WHERE member_id = (SELECT id FROM members WHERE username = 'keeper')`,
			time.Now().UTC().Add(-40*24*time.Hour))
		if n := must(s.PurgeExpired(context.Background())); n != 0 {
			t.Errorf("purge deleted %d events younger than 90 days", n)
		}
		if err := s.SetRetentionDays(ctx, 30); err != nil {
			t.Fatal(err)
		}
		if n := must(s.EventCount(ctx)); n != 0 {
			t.Errorf("%d events older than the new retention survive", n)
		}
		if err := s.SetRetentionDays(ctx, 31); err == nil {
			t.Error("a retention outside the choices was accepted")
		}
		s.RecordTopicOpen(ctx, topic, g)
		if n := must(s.EraseAll(ctx)); n != 1 {
			t.Errorf("erase reported %d", n)
		}
		if n := must(s.EventCount(other)); n != 1 {
			t.Errorf("erasing one member touched another's record: %d left", n)
		}
	})
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
