package privacy_test

import (
	"context"
	"testing"

	"github.com/haven-forum/haven/internal/accounts"
	"github.com/haven-forum/haven/internal/dbtest"
	"github.com/haven-forum/haven/internal/privacy"
	"gorm.io/gorm"
)

func TestReadersGetOnlyWhatTheirPurposeCoversNow(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		s := privacy.NewService(db, privacy.ControllerInfo{})
		s.Established = privacy.Established{} // every account counts here
		ctx, g, topic := fixture(t, db, "reader_subject")
		v, _ := accounts.ViewerFrom(ctx)
		read := func(purpose string) int {
			got, err := s.Readers.ReadingHistoryFor(context.Background(), v.ID, purpose, 100)
			if err != nil {
				t.Fatal(err)
			}
			return len(got)
		}
		s.SetConsent(ctx, privacy.ReadingHistory, true, privacy.MethodDashboard)
		s.RecordTopicOpen(ctx, topic, g)
		s.RecordTopicOpen(ctx, topic, g)
		if n := read(privacy.PersonalizedRecommendations); n != 0 {
			t.Errorf("suggestions read %d events without their own consent", n)
		}
		s.SetConsent(ctx, privacy.PersonalizedRecommendations, true, privacy.MethodDashboard)
		if n := read(privacy.PersonalizedRecommendations); n != 2 {
			t.Errorf("suggestions read %d events with both consents, want 2", n)
		}
		if n := read(privacy.CommunitySignals); n != 0 {
			t.Errorf("community signals read %d events without community consent", n)
		}
		if ids, _ := s.Readers.ContributorsFor(context.Background(), privacy.CommunitySignals, []int64{v.ID}); len(ids) != 0 {
			t.Errorf("a member counted as a contributor without consent: %v", ids)
		}
		s.SetConsent(ctx, privacy.CommunitySignals, true, privacy.MethodDashboard)
		if ids, _ := s.Readers.ContributorsFor(context.Background(), privacy.CommunitySignals, []int64{v.ID}); len(ids) != 1 {
			t.Errorf("contributors: %v", ids)
		}
		// Turning reading history off removes its influence at once.
		s.SetConsent(ctx, privacy.ReadingHistory, false, privacy.MethodDashboard)
		if n := read(privacy.PersonalizedRecommendations); n != 0 {
			t.Errorf("suggestions still read %d events after reading history was switched off", n)
		}
		if ids, _ := s.Readers.ContributorsFor(context.Background(), privacy.CommunitySignals, []int64{v.ID}); len(ids) != 0 {
			t.Errorf("still a contributor after reading history was switched off: %v", ids)
		}
		if _, err := s.Readers.ReadingHistoryFor(context.Background(), v.ID, privacy.ReadingHistory, 1); err == nil {
			t.Error("a reader without a reading purpose was served")
		}
	})
}
