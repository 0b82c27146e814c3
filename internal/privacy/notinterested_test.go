package privacy_test

import (
	"testing"

	"github.com/haven-forum/haven/internal/dbtest"
	"github.com/haven-forum/haven/internal/erasures"
	"github.com/haven-forum/haven/internal/privacy"
	"gorm.io/gorm"
)

func notInterestedRows(t *testing.T, db *gorm.DB) int64 {
	t.Helper()
	var n int64
	db.Raw(`SELECT COUNT(*) FROM not_interested`).Scan(&n)
	return n
}

// "Not interested" is written only while personalized suggestions are on and without Global
// Privacy Control; deleting it lists an erasure that a restored backup applies again.
func TestNotInterestedIsGatedAndErasable(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		s := privacy.NewService(db, privacy.ControllerInfo{})
		ctx, _, topic := fixture(t, db, "ni_member")
		if err := s.MarkNotInterested(ctx, topic); err == nil || notInterestedRows(t, db) != 0 {
			t.Fatalf("recorded without consent: err %v, rows %d", err, notInterestedRows(t, db))
		}
		s.SetConsent(ctx, privacy.PersonalizedRecommendations, true, privacy.MethodDashboard)
		if err := s.MarkNotInterested(privacy.WithGPC(ctx), topic); err == nil || notInterestedRows(t, db) != 0 {
			t.Fatalf("recorded under Global Privacy Control: err %v", err)
		}
		if err := s.MarkNotInterested(ctx, topic); err != nil {
			t.Fatal(err)
		}
		if err := s.MarkNotInterested(ctx, topic); err != nil { // a double click
			t.Fatal(err)
		}
		list := must(s.NotInterestedList(ctx))
		if len(list) != 1 || list[0].TopicID != topic {
			t.Fatalf("list = %+v", list)
		}
		before := must(erasures.Last(ctx, db))
		if err := s.ForgetNotInterested(ctx, topic); err != nil {
			t.Fatal(err)
		}
		entries := must(erasures.After(ctx, db, before))
		if len(entries) != 1 || entries[0].Kind != erasures.NotInterested || entries[0].ObjectID != topic {
			t.Fatalf("erasure list after deleting the choice: %+v", entries)
		}
		// As if a backup taken before the deletion were restored: the entry erases it again.
		db.Exec(`INSERT INTO not_interested (member_id, topic_id, created_at) VALUES (?, ?, CURRENT_TIMESTAMP)`, entries[0].MemberID, topic)
		if err := privacy.Reerase(ctx, db, entries[0]); err != nil {
			t.Fatal(err)
		}
		if n := notInterestedRows(t, db); n != 0 {
			t.Errorf("%d choices left after re-applying the erasure", n)
		}
		// Switching off no longer applies the choices; erasing what the purpose kept removes them.
		s.MarkNotInterested(ctx, topic)
		s.SetConsent(ctx, privacy.PersonalizedRecommendations, false, privacy.MethodDashboard)
		if ids := must(s.Readers.NotInterestedFor(ctx, entries[0].MemberID)); len(ids) != 0 {
			t.Errorf("choices used with personalization off: %v", ids)
		}
		if n := must(s.ErasePurpose(ctx, privacy.PersonalizedRecommendations)); n != 1 || notInterestedRows(t, db) != 0 {
			t.Errorf("erase purpose removed %d, %d left", n, notInterestedRows(t, db))
		}
	})
}
