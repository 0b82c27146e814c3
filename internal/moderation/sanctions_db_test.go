package moderation

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/haven-forum/haven/internal/dbtest"
	"github.com/haven-forum/haven/internal/forum"
	"gorm.io/gorm"
)

func TestSanctionsSayWhyAndUntilWhen(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		now := time.Date(2026, 11, 23, 15, 0, 0, 0, time.UTC)
		s := newService(db)
		s.now = func() time.Time { return now }
		var member, group int64
		db.Raw(`INSERT INTO members (username, username_key, password_hash, created_at, password_changed_at)
			VALUES ('sad_cat', 'sad_cat', 'x', ?, ?) RETURNING id`, now, now).Scan(&member)
		db.Raw(`INSERT INTO groups (slug, name, visibility, created_at) VALUES ('g', 'G', 'public', ?) RETURNING id`, now).Scan(&group)
		check := func(want forum.Sanctions) {
			t.Helper()
			got, err := s.Sanctions(ctx, db, group, member)
			if err != nil {
				t.Fatal(err)
			}
			if got.Muted != want.Muted || got.Banned != want.Banned || got.Suspended != want.Suspended ||
				got.Message != want.Message || !got.Until.Equal(want.Until) {
				t.Errorf("Sanctions = %+v\nwant      %+v", got, want)
			}
		}
		check(forum.Sanctions{})

		mod := Entry{ActorID: 99, GroupID: group, Action: ActionMute, TargetKind: "member", TargetID: member, TargetMemberID: member, Reason: "Cooling off"}
		if err := appendEntry(ctx, db, mod); err != nil {
			t.Fatal(err)
		}
		db.Exec(`INSERT INTO group_sanctions (group_id, member_id, kind, until, created_at) VALUES (?, ?, 'mute', ?, ?)`, group, member, now.Add(24*time.Hour), now)
		check(forum.Sanctions{Muted: true, Message: "A moderator muted you in this group: Cooling off. You can still read.", Until: now.Add(24 * time.Hour)})

		db.Exec(`UPDATE group_sanctions SET until = ? WHERE kind = 'mute'`, now.Add(-time.Second))
		check(forum.Sanctions{})

		db.Exec(`INSERT INTO group_sanctions (group_id, member_id, kind, created_at) VALUES (?, ?, 'ban', ?)`, group, member, now)
		check(forum.Sanctions{Banned: true, Message: "A moderator banned you from this group."}) // no reason on record

		db.Exec(`INSERT INTO suspensions (member_id, created_at) VALUES (?, ?)`, member, now)
		got, _ := s.Sanctions(ctx, db, group+1, member) // anywhere
		if !got.Suspended || got.Banned || !strings.HasPrefix(got.Message, "An admin suspended your account for good.") {
			t.Errorf("suspension elsewhere: %+v", got)
		}
	})
}
