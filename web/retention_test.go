package web_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/haven-forum/haven/internal/dbtest"
	"github.com/haven-forum/haven/internal/forum"
	"github.com/haven-forum/haven/internal/moderation"
	"github.com/haven-forum/haven/internal/site"
	"gorm.io/gorm"
)

// What Haven keeps without asking has a retention, and the purges enforce each: rows past it go,
// rows within it stay.
func TestPurgesEnforceTheRetentionsThePolicyStates(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		t.Parallel()
		ctx := context.Background()
		now := time.Now().UTC()
		var m, g, topic, post int64
		db.Raw(`INSERT INTO members (username, username_key, password_hash, created_at, password_changed_at) VALUES ('r', 'r', 'x', ?, ?) RETURNING id`, now, now).Scan(&m)
		db.Raw(`INSERT INTO groups (slug, name, visibility, created_at) VALUES ('g', 'G', 'public', ?) RETURNING id`, now).Scan(&g)
		db.Raw(`INSERT INTO topics (group_id, author_id, title, created_at, last_post_at) VALUES (?, ?, 'T', ?, ?) RETURNING id`, g, m, now, now).Scan(&topic)
		db.Raw(`INSERT INTO posts (topic_id, author_id, body, created_at) VALUES (?, ?, 'b', ?) RETURNING id`, topic, m, now).Scan(&post)
		past := func(d time.Duration) time.Time { return now.Add(-d - time.Hour) }
		within := func(d time.Duration) time.Time { return now.Add(-d + time.Hour) }
		for _, at := range []time.Time{past(forum.NotificationRetention), within(forum.NotificationRetention)} {
			db.Exec(`INSERT INTO notifications (member_id, kind, topic_id, post_id, created_at) VALUES (?, 'reply', ?, ?, ?)`, m, topic, post, at)
		}
		// A reply in a followed topic goes after the same 90 days.
		if err := db.Exec(`INSERT INTO notifications (member_id, kind, topic_id, post_id, created_at) VALUES (?, 'followed_reply', ?, ?, ?)`,
			m, topic, post, past(forum.NotificationRetention)).Error; err != nil {
			t.Fatal(err)
		}
		for _, at := range []time.Time{past(forum.RevisionRetention), within(forum.RevisionRetention)} {
			db.Exec(`INSERT INTO post_revisions (post_id, body, created_at) VALUES (?, 'older', ?)`, post, at)
		}
		for i, at := range []time.Time{past(forum.InviteRetention), within(forum.InviteRetention)} {
			if err := db.Exec(`INSERT INTO group_invites (group_id, token_hash, created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
				g, fmt.Sprint("invite-", i), m, at, at).Error; err != nil {
				t.Fatal(err)
			}
		}
		for _, at := range []time.Time{past(moderation.HandledItemRetention), within(moderation.HandledItemRetention)} {
			var item int64
			db.Raw(`INSERT INTO queue_items (group_id, kind, post_id, status, handled_at, created_at) VALUES (?, 'report', ?, 'handled', ?, ?) RETURNING id`,
				g, post, at, at).Scan(&item)
			db.Exec(`INSERT INTO reports (item_id, post_id, reporter_id, reason, created_at) VALUES (?, ?, NULL, 'spam', ?)`, item, post, at)
		}
		db.Exec(`INSERT INTO queue_items (group_id, kind, post_id, status, created_at) VALUES (?, 'concern', ?, 'pending', ?)`, g, post, past(moderation.HandledItemRetention))

		f := forum.New(db, site.NewSettings(db), forum.NewInbox(db))
		if _, err := f.Posts.PurgeExpired(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := moderation.NewService(db, f).PurgeHandled(ctx); err != nil {
			t.Fatal(err)
		}
		for q, want := range map[string]int64{
			`SELECT COUNT(*) FROM notifications`:                        1,
			`SELECT COUNT(*) FROM post_revisions`:                       1,
			`SELECT COUNT(*) FROM group_invites`:                        1,
			`SELECT COUNT(*) FROM queue_items WHERE status = 'handled'`: 1,
			`SELECT COUNT(*) FROM reports`:                              1,
			`SELECT COUNT(*) FROM queue_items WHERE status = 'pending'`: 1, // waiting for a moderator: never purged
		} {
			var n int64
			db.Raw(q).Scan(&n)
			if n != want {
				t.Errorf("%s: %d after the purge, want %d", q, n, want)
			}
		}
	})
}
