package forum

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/haven-forum/haven/internal/dbtest"
	"github.com/haven-forum/haven/internal/moderation"
	"github.com/haven-forum/haven/internal/site"
	"gorm.io/gorm"
)

func TestSanctionsForSaysWhyAndUntilWhen(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		now := time.Date(2026, 11, 23, 15, 0, 0, 0, time.UTC)
		s := NewService(db, site.NewSettings(db), nil)
		s.now = func() time.Time { return now }
		var member, group int64
		db.Raw(`INSERT INTO members (username, username_key, password_hash, created_at, password_changed_at)
			VALUES ('sad_cat', 'sad_cat', 'x', ?, ?) RETURNING id`, now, now).Scan(&member)
		db.Raw(`INSERT INTO groups (slug, name, visibility, created_at) VALUES ('g', 'G', 'public', ?) RETURNING id`, now).Scan(&group)
		check := func(want sanctions) {
			t.Helper()
			got, err := s.sanctionsFor(ctx, db, group, member)
			if err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Errorf("sanctionsFor = %+v\nwant          %+v", got, want)
			}
		}
		check(sanctions{})

		mod := moderation.Entry{ActorID: 99, GroupID: group, Action: moderation.ActionMute, TargetKind: "member", TargetID: member, TargetMemberID: member, Reason: "Cooling off"}
		if err := moderation.Append(ctx, db, mod); err != nil {
			t.Fatal(err)
		}
		db.Exec(`INSERT INTO group_sanctions (group_id, member_id, kind, until, created_at) VALUES (?, ?, 'mute', ?, ?)`, group, member, now.Add(24*time.Hour), now)
		check(sanctions{Muted: true, Message: "A moderator muted you in this group until 24 Nov 2026, 15:00 UTC: Cooling off. You can still read."})

		db.Exec(`UPDATE group_sanctions SET until = ? WHERE kind = 'mute'`, now.Add(-time.Second))
		check(sanctions{})

		db.Exec(`INSERT INTO group_sanctions (group_id, member_id, kind, created_at) VALUES (?, ?, 'ban', ?)`, group, member, now)
		check(sanctions{Banned: true, Message: "A moderator banned you from this group."}) // no reason on record

		db.Exec(`INSERT INTO suspensions (member_id, created_at) VALUES (?, ?)`, member, now)
		got, _ := s.sanctionsFor(ctx, db, group+1, member) // anywhere
		if !got.Suspended || got.Banned || !strings.HasPrefix(got.Message, "An admin suspended your account for good.") {
			t.Errorf("suspension elsewhere: %+v", got)
		}
	})
}
