package privacy_test

import (
	"context"
	"errors"
	"testing"

	"github.com/haven-forum/haven/internal/accounts"
	"github.com/haven-forum/haven/internal/dbtest"
	"github.com/haven-forum/haven/internal/privacy"
	"gorm.io/gorm"
)

func TestEachEventAndConsentRecordStreamOneMembersOwn(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		s := privacy.NewService(db, privacy.ControllerInfo{})
		ctx, g, topic := fixture(t, db, "streamer")
		other, og, ot := fixture(t, db, "bystander")
		for _, c := range []context.Context{ctx, other} {
			s.SetConsent(c, privacy.ReadingHistory, true, privacy.MethodDashboard)
		}
		for range 3 {
			s.RecordTopicOpen(ctx, topic, g)
		}
		s.RecordTopicOpen(other, ot, og)
		s.SetConsent(ctx, privacy.CommunitySignals, true, privacy.MethodDashboard)
		me, _ := accounts.ViewerFrom(ctx)

		var events []privacy.Event
		if err := s.EachEvent(context.Background(), me.ID, func(e privacy.Event) error { events = append(events, e); return nil }); err != nil {
			t.Fatal(err)
		}
		if len(events) != 3 {
			t.Fatalf("%d events, want the member's 3", len(events))
		}
		for i, e := range events {
			if e.Kind != privacy.KindTopicOpen || e.TopicID != topic || e.GroupID != g || e.GroupName != "G" || e.TopicTitle != "T" ||
				e.CreatedAt.IsZero() || (i > 0 && e.ID <= events[i-1].ID) {
				t.Errorf("event %d: %+v", i, e)
			}
		}
		var records []privacy.Record
		s.EachConsentRecord(context.Background(), me.ID, func(r privacy.Record) error { records = append(records, r); return nil })
		if len(records) != 2 || records[0].Purpose != privacy.ReadingHistory || records[1].Purpose != privacy.CommunitySignals ||
			records[0].ReceiptID == "" || records[0].MemberID != me.ID || !records[1].Granted {
			t.Errorf("consent records, oldest first: %+v", records)
		}
		stop := errors.New("stop")
		n := 0
		err := s.EachEvent(context.Background(), me.ID, func(privacy.Event) error { n++; return stop })
		if !errors.Is(err, stop) || n != 1 {
			t.Errorf("fn's error did not stop the reading: %v after %d", err, n)
		}
	})
}

func TestEraseMemberTakesTheirPrivacyDataOnly(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		s := privacy.NewService(db, privacy.ControllerInfo{})
		ctx, g, topic := fixture(t, db, "eraser")
		other, og, ot := fixture(t, db, "unaffected")
		for _, c := range []context.Context{ctx, other} {
			s.SetConsent(c, privacy.ReadingHistory, true, privacy.MethodDashboard)
			s.SetRetentionDays(c, 30)
		}
		s.RecordTopicOpen(ctx, topic, g)
		s.RecordTopicOpen(other, ot, og)
		s.SetConsent(ctx, privacy.PersonalizedRecommendations, true, privacy.MethodDashboard)
		s.SetConsent(other, privacy.PersonalizedRecommendations, true, privacy.MethodDashboard)
		if err := s.MarkNotInterested(ctx, topic); err != nil {
			t.Fatal(err)
		}
		s.MarkNotInterested(other, ot)
		me, _ := accounts.ViewerFrom(ctx)
		if err := db.Transaction(func(tx *gorm.DB) error { return s.EraseMember(context.Background(), tx, me.ID) }); err != nil {
			t.Fatal(err)
		}
		for _, table := range []string{"activity_events", "consents", "consent_records", "privacy_settings", "not_interested"} {
			want := int64(1)
			if table == "consents" || table == "consent_records" {
				want = 2 // reading history and personalized suggestions
			}
			var mine, theirs int64
			db.Raw(`SELECT COUNT(*) FROM `+table+` WHERE member_id = ?`, me.ID).Scan(&mine)
			db.Raw(`SELECT COUNT(*) FROM `+table+` WHERE member_id <> ?`, me.ID).Scan(&theirs)
			if mine != 0 || theirs != want {
				t.Errorf("%s: %d rows of the erased member left, %d of the other (want 0 and %d)", table, mine, theirs, want)
			}
		}
	})
}
