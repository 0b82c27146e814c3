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

// sanctionsWorld is a service on a fixed clock, a member and a group.
func sanctionsWorld(db *gorm.DB) (s *Service, now time.Time, member, group int64) {
	now = time.Date(2026, 11, 23, 15, 0, 0, 0, time.UTC)
	s = newService(db)
	s.now = func() time.Time { return now }
	db.Raw(`INSERT INTO members (username, username_key, password_hash, created_at, password_changed_at)
		VALUES ('sad_cat', 'sad_cat', 'x', ?, ?) RETURNING id`, now, now).Scan(&member)
	db.Raw(`INSERT INTO groups (slug, name, visibility, created_at) VALUES ('g', 'G', 'public', ?) RETURNING id`, now).Scan(&group)
	return s, now, member, group
}

func TestSanctionsSayWhyAndUntilWhen(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		s, now, member, group := sanctionsWorld(db)
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

// The condition the forum's group read carries says "sanctioned" exactly when Sanctions finds
// something: a page skips Sanctions on its word, so a miss would let a muted member post.
func TestSanctionedAgreesWithSanctions(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		s, now, member, group := sanctionsWorld(db)
		var other int64
		db.Raw(`INSERT INTO groups (slug, name, visibility, created_at) VALUES ('o', 'O', 'public', ?) RETURNING id`, now).Scan(&other)
		later, earlier := now.Add(time.Hour), now.Add(-time.Second)
		sanction := func(g int64, kind string, until any) func() {
			return func() {
				db.Exec(`INSERT INTO group_sanctions (group_id, member_id, kind, until, created_at) VALUES (?, ?, ?, ?, ?)`, g, member, kind, until, now)
			}
		}
		suspend := func(until any) func() {
			return func() {
				db.Exec(`INSERT INTO suspensions (member_id, until, created_at) VALUES (?, ?, ?)`, member, until, now)
			}
		}
		cases := []struct {
			name  string
			setup func()
			want  bool
		}{
			{"nothing", func() {}, false},
			{"muted", sanction(group, "mute", later), true},
			{"mute ended", sanction(group, "mute", earlier), false},
			{"muted elsewhere", sanction(other, "mute", later), false},
			{"banned for good", sanction(group, "ban", nil), true},
			{"banned for a while", sanction(group, "ban", later), true},
			{"ban ended", sanction(group, "ban", earlier), false},
			{"banned elsewhere", sanction(other, "ban", nil), false},
			{"suspended for good", suspend(nil), true},
			{"suspended for a while", suspend(later), true},
			{"suspension ended", suspend(earlier), false},
		}
		for _, c := range cases {
			db.Exec(`DELETE FROM group_sanctions`)
			db.Exec(`DELETE FROM suspensions`)
			c.setup()
			full, err := s.Sanctions(ctx, db, group, member)
			if err != nil {
				t.Fatal(err)
			}
			cond, args := s.Sanctioned(member)
			var flag []bool
			if err := db.Raw(`SELECT `+cond+` FROM groups g WHERE g.id = ?`, append(args, group)...).Scan(&flag).Error; err != nil || len(flag) != 1 {
				t.Fatalf("%s: %v %v", c.name, flag, err)
			}
			if found := full.Muted || full.Banned || full.Suspended; found != c.want || flag[0] != c.want {
				t.Errorf("%s: Sanctions finds %v (%+v), Sanctioned says %v; want %v", c.name, found, full, flag[0], c.want)
			}
		}
	})
}
