package moderation

import (
	"context"
	"testing"
	"time"

	"github.com/haven-forum/haven/internal/apperr"
	"github.com/haven-forum/haven/internal/dbtest"
	"gorm.io/gorm"
)

func TestTransparencyDescribesActionsWithoutTheActor(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		e    OnMember
		want string
	}{
		{OnMember{Action: ActionHidePost, GroupName: "Grief Support"}, "A moderator hid your post in Grief Support"},
		{OnMember{Action: ActionBan, GroupName: "Grief Support", ByAdmin: true}, "An admin banned you from Grief Support"},
		{OnMember{Action: ActionSuspend, ByAdmin: true}, "An admin suspended your account"},
		{OnMember{Action: "new_thing", GroupName: "G"}, "A moderator took an action (new thing) in G"},
	} {
		if got := tc.e.Describe(); got != tc.want {
			t.Errorf("Describe = %q, want %q", got, tc.want)
		}
	}
	if (OnMember{Action: ActionSuspend}).Appealable() {
		t.Error("a suspension, with no group to review it, is appealable")
	}
	if !(OnMember{Action: ActionMute, GroupID: 1, GroupName: "G"}).Appealable() {
		t.Error("a mute is not appealable")
	}
}

func TestTransparencyAppealOncePerAction(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		now := time.Now().UTC()
		var member int64
		db.Raw(`INSERT INTO members (username, username_key, password_hash, created_at, password_changed_at)
			VALUES ('m', 'm', 'x', ?, ?) RETURNING id`, now, now).Scan(&member)
		e := Entry{ActorID: 7, Action: ActionWarn, TargetKind: "member", TargetID: member, TargetMemberID: member, Reason: "be kind"}
		if err := appendEntry(ctx, db, e); err != nil {
			t.Fatal(err)
		}
		list, total, err := newService(db).ActionsOn(ctx, member, 1)
		if err != nil || total != 1 || len(list) != 1 || list[0].Reason != "be kind" || list[0].Appealed {
			t.Fatalf("ActionsOn = %+v, %d, %v", list, total, err)
		}
		if _, err := actionOn(ctx, db, list[0].ID, member+1); apperr.Code(err) != apperr.ENOTFOUND {
			t.Errorf("someone else's action: %v", err)
		}
		if err := fileAppeal(ctx, db, list[0].ID, member, "sorry", now); err != nil {
			t.Fatal(err)
		}
		if err := fileAppeal(ctx, db, list[0].ID, member, "again", now); apperr.Code(err) != apperr.ECONFLICT {
			t.Errorf("second appeal: %v", err)
		}
		if got, _ := actionOn(ctx, db, list[0].ID, member); !got.Appealed {
			t.Error("the action does not show as appealed")
		}
	})
}
