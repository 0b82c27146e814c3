package export_test

import (
	"bytes"
	"context"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/haven-forum/haven/internal/accounts"
	"github.com/haven-forum/haven/internal/dbtest"
	"github.com/haven-forum/haven/internal/erasures"
	"gorm.io/gorm"
)

// Every key a member's export can carry is explained in docs/export.md (GDPR Art. 15 and 20):
// a full export, with something under every key, is walked and each key path looked up there.
func TestEveryExportKeyIsDocumented(t *testing.T) {
	t.Parallel()
	doc, err := os.ReadFile("../../docs/export.md")
	if err != nil {
		t.Fatal(err)
	}
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		t.Parallel()
		ctx := everyTable(t, db)
		v, _ := accounts.ViewerFrom(ctx)
		withOptionalKeys(t, ctx, db, v.ID)
		paths := map[string]bool{}
		keyPaths(exportOf(t, db, ctx), "", paths)
		// Keys left out when empty must be in this export too, or a new one could slip by unseen.
		for _, p := range []string{"posts.title", "posts.earlier_versions.replaced_at", "inferences.group_id", "inferences.topic_id",
			"inferences.opens", "inferences.at", "memberships.message", "notifications.detail", "notifications.group",
			"moderation_about_you.sanctions.group", "as_moderator.actions.group", "erasure_list.object_id", "erasure_list.detail"} {
			if !paths[p] {
				t.Errorf("the test's export has nothing under %s; give the member data there", p)
			}
		}
		if len(paths) < 100 {
			t.Fatalf("walked only %d key paths of the export; the walk is broken", len(paths))
		}
		var missing []string
		for p := range paths {
			if !bytes.Contains(doc, []byte("`"+p+"`")) {
				missing = append(missing, p)
			}
		}
		sort.Strings(missing)
		for _, p := range missing {
			t.Errorf("docs/export.md does not explain the export's key `%s`", p)
		}
	})
}

// keyPaths adds the dotted path of every object key under v; array items share their array's path.
func keyPaths(v any, prefix string, into map[string]bool) {
	switch x := v.(type) {
	case map[string]any:
		for k, c := range x {
			p := strings.TrimPrefix(prefix+"."+k, ".")
			into[p] = true
			keyPaths(c, p, into)
		}
	case []any:
		for _, c := range x {
			keyPaths(c, prefix, into)
		}
	}
}

// withOptionalKeys gives the member of everyTable what fills the keys left out when empty:
// an earlier version of their post, a join answer in their inbox, an erasure with a detail.
func withOptionalKeys(t *testing.T, ctx context.Context, db *gorm.DB, memberID int64) {
	t.Helper()
	now := time.Now().UTC()
	var post, group int64
	if err := db.Raw(`SELECT id FROM posts WHERE author_id = ?`, memberID).Scan(&post).Error; err != nil || post == 0 {
		t.Fatalf("no post of the member: %v", err)
	}
	if err := db.Raw(`SELECT id FROM groups WHERE slug = 'quiet'`).Scan(&group).Error; err != nil || group == 0 {
		t.Fatalf("no group: %v", err)
	}
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO post_revisions (post_id, title, body, content_warning, created_at) VALUES (?, 'Hard day', 'Word', 'loss', ?)`,
			[]any{post, now}},
		{`INSERT INTO notifications (member_id, kind, group_id, detail, created_at) VALUES (?, 'join_answered', ?, 'approved', ?)`,
			[]any{memberID, group, now}},
	} {
		if err := db.Exec(q.sql, q.args...).Error; err != nil {
			t.Fatalf("%s: %v", q.sql, err)
		}
	}
	err := db.Transaction(func(tx *gorm.DB) error {
		return erasures.RecordDetail(ctx, tx, erasures.NotificationSettings, memberID, 0, "mention")
	})
	if err != nil {
		t.Fatal(err)
	}
}
