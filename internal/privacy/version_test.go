package privacy_test

import (
	"testing"

	"github.com/haven-forum/haven/internal/dbtest"
	"github.com/haven-forum/haven/internal/privacy"
	"gorm.io/gorm"
)

// bumpVersion raises a purpose's version in the registry, as changing its wording does, until
// the test ends.
func bumpVersion(t *testing.T, key string) {
	t.Helper()
	for i := range privacy.Purposes {
		if privacy.Purposes[i].Key == key {
			was := privacy.Purposes[i].Version
			privacy.Purposes[i].Version++
			t.Cleanup(func() { privacy.Purposes[i].Version = was })
			return
		}
	}
	t.Fatalf("no purpose %q", key)
}

func state(t *testing.T, states []privacy.State, key string) privacy.State {
	t.Helper()
	for _, st := range states {
		if st.Key == key {
			return st
		}
	}
	t.Fatalf("no state for %q", key)
	return privacy.State{}
}

// When a purpose's text changes its version goes up, and an earlier consent lapses until the
// member agrees again.
func TestVersionChangeLapsesEarlierConsent(t *testing.T) {
	// Not parallel: it bumps a version in privacy.Purposes, which every other test reads.
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		s := privacy.NewService(db, privacy.ControllerInfo{})
		ctx, g, topic := fixture(t, db, "reader")
		old := must(s.SetConsent(ctx, privacy.ReadingHistory, true, privacy.MethodDashboard))
		if wrote := must(s.RecordTopicOpen(ctx, topic, g)); !wrote {
			t.Fatal("not recorded with consent to the current wording")
		}

		bumpVersion(t, privacy.ReadingHistory)
		if wrote := must(s.RecordTopicOpen(ctx, topic, g)); wrote {
			t.Error("recorded under a consent to wording that has since changed")
		}
		if on := must(s.Granted(ctx, privacy.ReadingHistory)); on {
			t.Error("Granted reports a lapsed consent as on")
		}
		st := state(t, must(s.States(ctx)), privacy.ReadingHistory)
		if st.Granted || !st.Lapsed {
			t.Errorf("after the wording changed: granted %v, lapsed %v; want off and lapsed", st.Granted, st.Lapsed)
		}
		if st := state(t, must(s.States(ctx)), privacy.CommunitySignals); st.Lapsed {
			t.Error("a purpose never agreed to shows as lapsed")
		}
		if r := must(s.Receipt(ctx, old.ReceiptID)); r.PurposeVersion != old.Version || r.Note == "" {
			t.Errorf("the old receipt does not say its wording changed: version %d, note %q", r.PurposeVersion, r.Note)
		}

		again := must(s.SetConsent(ctx, privacy.ReadingHistory, true, privacy.MethodDashboard))
		if again.Version != old.Version+1 {
			t.Errorf("new consent is for version %d, want %d", again.Version, old.Version+1)
		}
		st = state(t, must(s.States(ctx)), privacy.ReadingHistory)
		if !st.Granted || st.Lapsed {
			t.Errorf("after agreeing again: granted %v, lapsed %v; want on", st.Granted, st.Lapsed)
		}
		if wrote := must(s.RecordTopicOpen(ctx, topic, g)); !wrote {
			t.Error("not recorded after agreeing to the new wording")
		}
		if n := events(t, db); n != 2 {
			t.Errorf("%d events, want the one before the change and the one after agreeing again", n)
		}
	})
}
