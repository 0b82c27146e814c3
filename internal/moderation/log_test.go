package moderation

import (
	"context"
	"testing"

	"github.com/haven-forum/haven/internal/dbtest"
	"gorm.io/gorm"
)

func TestTheLogRefusesUpdateAndDelete(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		e := Entry{ActorID: 1, GroupID: 2, Action: ActionRevealAuthor, TargetKind: "post", TargetID: 3, Reason: "safety"}
		if err := appendEntry(ctx, db, e); err != nil {
			t.Fatal(err)
		}
		for _, sql := range []string{
			`UPDATE moderation_log SET reason = 'rewritten'`,
			`DELETE FROM moderation_log`,
		} {
			if err := db.Exec(sql).Error; err == nil {
				t.Errorf("%q succeeded on the append-only log", sql)
			}
		}
		var reason string
		var n int64
		db.Raw(`SELECT reason FROM moderation_log`).Scan(&reason)
		db.Raw(`SELECT COUNT(*) FROM moderation_log`).Scan(&n)
		if n != 1 || reason != "safety" {
			t.Errorf("log now has %d entries, reason %q", n, reason)
		}
	})
}

func TestReasonsAreRequired(t *testing.T) {
	t.Parallel()
	for _, r := range []string{"", "   "} {
		if _, err := CheckReason(r); err == nil {
			t.Errorf("reason %q accepted", r)
		}
	}
	if got, err := CheckReason("  worried about them  "); err != nil || got != "worried about them" {
		t.Errorf("CheckReason = %q, %v", got, err)
	}
}
