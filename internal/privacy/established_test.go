package privacy_test

import (
	"context"
	"testing"
	"time"

	"github.com/haven-forum/haven/internal/accounts"
	"github.com/haven-forum/haven/internal/dbtest"
	"github.com/haven-forum/haven/internal/privacy"
	"gorm.io/gorm"
)

// establish makes an account old and active enough to count: created 30 days ago, with three
// visible posts.
func establish(w *insightWorld, member int64) {
	w.db.Exec(`UPDATE members SET created_at = ? WHERE id = ?`, time.Now().UTC().AddDate(0, 0, -30), member)
	for range 3 {
		w.reply(member, 2, lastWeek.AddDate(0, 0, -7), false)
	}
}

// Four fresh accounts cannot make up the K = 5 members a community figure needs around one
// real member: only established contributors count, for group statistics and for "members who
// read this also read" alike.
func TestFreshAccountsDoNotMakeUpK(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		t.Parallel()
		w := newInsightWorld(t, db)
		w.s.Established = privacy.DefaultEstablished
		all := []string{privacy.ReadingHistory, privacy.CommunityInsights, privacy.CommunitySignals}
		var ids []int64
		for _, name := range []string{"real_one", "sock_a", "sock_b", "sock_c", "sock_d"} {
			_, id := w.member(name, accounts.RoleMember, all...)
			ids = append(ids, id)
		}
		_, viewerID := w.member("viewer", accounts.RoleMember, privacy.ReadingHistory, privacy.PersonalizedRecommendations)
		establish(w, ids[0])
		for _, id := range ids {
			w.open(id, 0, lastWeek)
			w.open(id, 1, lastWeek.Add(time.Hour))
		}
		coRead := func() int {
			t.Helper()
			got, err := w.s.Readers.CoReadFor(context.Background(), viewerID, []int64{w.topics[0]}, 10)
			if err != nil {
				t.Fatal(err)
			}
			return len(got)
		}
		if f := w.figures(); !hidden(f.ReadersPerTopic) {
			t.Errorf("one real member and four fresh accounts unlocked a group figure: %+v", f.ReadersPerTopic)
		}
		if n := coRead(); n != 0 {
			t.Errorf("one real member and four fresh accounts unlocked %d “also read” pairs", n)
		}
		// Old but idle accounts do not count either.
		for _, id := range ids[1:] {
			db.Exec(`UPDATE members SET created_at = ? WHERE id = ?`, time.Now().UTC().AddDate(0, 0, -30), id)
		}
		if n := coRead(); n != 0 {
			t.Errorf("old accounts with no posts or reactions unlocked %d pairs", n)
		}
		for _, id := range ids[1:] {
			establish(w, id)
		}
		if f := w.figures(); hidden(f.ReadersPerTopic) {
			t.Error("five established members do not unlock the group figure; the checks above prove nothing")
		}
		if n := coRead(); n == 0 {
			t.Error("five established members do not unlock the pair; the checks above prove nothing")
		}
	})
}
