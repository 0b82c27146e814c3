package privacy_test

import (
	"testing"

	"github.com/haven-forum/haven/internal/dbtest"
	"github.com/haven-forum/haven/internal/privacy"
	"gorm.io/gorm"
)

// A request's memo of its viewer's consents follows every change the request makes: a consent
// switched off earlier in the same request is off for each later check, gate and list in it.
func TestConsentMemoFollowsAChangeInTheSameRequest(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		s := privacy.NewService(db, privacy.ControllerInfo{})
		base, g, topic := fixture(t, db, "memo_member")
		ctx := privacy.WithConsentMemo(base)
		for _, on := range []bool{true, false, true, false} {
			for _, purpose := range []string{privacy.ReadingHistory, privacy.PersonalizedRecommendations} {
				if _, err := s.SetConsent(ctx, purpose, on, privacy.MethodDashboard); err != nil {
					t.Fatal(err)
				}
				for _, st := range must(s.States(ctx)) { // the dashboard reads the same memo
					if st.Key == purpose && st.Granted != on {
						t.Errorf("%s switched to %v in this request, but the dashboard's states say %v", purpose, on, st.Granted)
					}
				}
				if got := must(s.Granted(ctx, purpose)); got != on {
					t.Errorf("%s switched to %v in this request, but the request's check says %v", purpose, on, got)
				}
			}
			before := events(t, db)
			if wrote, err := s.RecordTopicOpen(ctx, topic, g); err != nil || wrote != on {
				t.Errorf("reading history %v: recorded %v (%v)", on, wrote, err)
			}
			s.Flush(ctx)
			if n := events(t, db) - before; (n == 1) != on {
				t.Errorf("reading history %v: %d events written", on, n)
			}
		}
	})
}
