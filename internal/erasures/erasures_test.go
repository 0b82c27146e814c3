package erasures_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/haven-forum/haven/internal/dbtest"
	"github.com/haven-forum/haven/internal/erasures"
	"gorm.io/gorm"
)

func TestReapplySkipsWhatTheDatabaseListsAndStopsAtAnUnknownKind(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		if err := erasures.Record(ctx, db, erasures.Post, 7, 70); err != nil { // the backup's own entry
			t.Fatal(err)
		}
		at := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
		list := []erasures.Erasure{ // out of order, as a hand-edited file might be
			{ID: 3, Kind: erasures.Account, MemberID: 9, CreatedAt: at},
			{ID: 1, Kind: erasures.Post, MemberID: 7, ObjectID: 70, CreatedAt: at},
			{ID: 2, Kind: erasures.ActivityItem, MemberID: 8, ObjectID: 80, CreatedAt: at},
			{ID: 4, Kind: "something_new", MemberID: 9, CreatedAt: at},
			{ID: 5, Kind: erasures.Post, MemberID: 9, ObjectID: 90, CreatedAt: at},
		}
		var applied []int64
		record := func(_ context.Context, _ *gorm.DB, e erasures.Erasure) error {
			applied = append(applied, e.ID)
			return nil
		}
		apply := map[string]erasures.Applier{erasures.Post: record, erasures.ActivityItem: record, erasures.Account: record}
		n, err := erasures.Reapply(ctx, db, list, apply)
		if err == nil || !strings.Contains(err.Error(), "something_new") {
			t.Errorf("Reapply: %v; want it to stop at the unknown kind", err)
		}
		if n != 2 || len(applied) != 2 || applied[0] != 2 || applied[1] != 3 {
			t.Errorf("applied %v (%d); want entries 2 and 3, in order, and nothing after the unknown one", applied, n)
		}
		after, err := erasures.After(ctx, db, 1)
		if err != nil || len(after) != 2 || after[0].ID != 2 || after[1].MemberID != 9 || !after[1].CreatedAt.Equal(at) {
			t.Errorf("the database's list after Reapply: %+v %v", after, err)
		}
	})
}

func TestExportedListRoundTripsAndRejectsGarbage(t *testing.T) {
	t.Parallel()
	list := []erasures.Erasure{{ID: 1, Kind: erasures.MemberRecord, MemberID: 3, CreatedAt: time.Unix(1e9, 0).UTC()},
		{ID: 2, Kind: erasures.Post, ObjectID: 5, CreatedAt: time.Unix(2e9, 0).UTC()}}
	var buf bytes.Buffer
	if err := erasures.Write(&buf, list); err != nil {
		t.Fatal(err)
	}
	got, err := erasures.Read(&buf)
	if err != nil || len(got) != 2 || got[1] != list[1] || got[0] != list[0] {
		t.Errorf("round trip: %+v %v", got, err)
	}
	for _, bad := range []string{`{"id":1}`, `{"kind":"post"}`, `not json`} {
		if _, err := erasures.Read(strings.NewReader(bad)); err == nil {
			t.Errorf("Read accepted %q", bad)
		}
	}
}

func TestASettingsEntryReplacesTheMembersOlderOne(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		for _, words := range []string{"grief\nrelapse", "relapse"} {
			if err := erasures.RecordDetail(ctx, db, erasures.HiddenWarnings, 7, 0, words); err != nil {
				t.Fatal(err)
			}
		}
		if err := erasures.RecordDetail(ctx, db, erasures.HiddenWarnings, 8, 0, "grief"); err != nil {
			t.Fatal(err)
		}
		for _, kinds := range []string{"reply", "reply,mention"} {
			if err := erasures.RecordDetail(ctx, db, erasures.NotificationSettings, 7, 0, kinds); err != nil {
				t.Fatal(err)
			}
		}
		if err := erasures.RecordDetail(ctx, db, erasures.ReactionRemoved, 7, 70, "hug"); err != nil {
			t.Fatal(err)
		}
		if err := erasures.RecordDetail(ctx, db, erasures.ReactionRemoved, 7, 71, "hug"); err != nil {
			t.Fatal(err)
		}
		got, err := erasures.NewReader(db).OfMember(ctx, 7)
		if err != nil {
			t.Fatal(err)
		}
		var details []string
		for _, e := range got {
			details = append(details, e.Kind+"="+e.Detail)
		}
		want := []string{"hidden_warnings=relapse", "notification_settings=reply,mention", "reaction_removed=hug", "reaction_removed=hug"}
		if strings.Join(details, " ") != strings.Join(want, " ") {
			t.Errorf("member 7's entries: %v; want %v (older words gone, each undone reaction kept)", details, want)
		}
		other, err := erasures.NewReader(db).OfMember(ctx, 8)
		if err != nil || len(other) != 1 || other[0].Detail != "grief" {
			t.Errorf("member 8's entries: %+v %v; another member's setting must stay", other, err)
		}
	})
}
