package database_test

import (
	"context"
	"testing"
	"time"

	"github.com/haven-forum/haven/internal/database"
	"github.com/haven-forum/haven/internal/dbtest"
	"github.com/haven-forum/haven/migrations"
)

// The follows migrations keep every notification and its id, never reuses a deleted id (the
// unread count compares ids), takes the new kind, and has topic authors follow their live
// topics, as they heard of replies before.
func TestFollowsMigrationKeepsNotificationsAndIDs(t *testing.T) {
	t.Parallel()
	dbtest.EachURL(t, func(t *testing.T, url string) {
		ctx := context.Background()
		db, err := database.Open(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		defer database.Close(db)
		list, err := migrations.For(database.Dialect(db))
		if err != nil {
			t.Fatal(err)
		}
		run := func(m migrations.Migration) {
			t.Helper()
			if err := db.Exec(m.SQL).Error; err != nil {
				t.Fatalf("%04d_%s: %v", m.Version, m.Name, err)
			}
		}
		if err := db.Exec(`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`).Error; err != nil {
			t.Fatal(err)
		}
		i := 0
		for ; list[i].Name != "follows"; i++ {
			run(list[i])
		}
		now := time.Now().UTC()
		var m, g, live, gone, post int64
		scan := func(dst *int64, q string, args ...any) {
			t.Helper()
			if err := db.Raw(q, args...).Scan(dst).Error; err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		scan(&m, `INSERT INTO members (username, username_key, password_hash, created_at, password_changed_at) VALUES ('r', 'r', 'x', ?, ?) RETURNING id`, now, now)
		scan(&g, `INSERT INTO groups (slug, name, visibility, created_at) VALUES ('g', 'G', 'public', ?) RETURNING id`, now)
		scan(&live, `INSERT INTO topics (group_id, author_id, title, created_at, last_post_at) VALUES (?, ?, 'T', ?, ?) RETURNING id`, g, m, now, now)
		scan(&gone, `INSERT INTO topics (group_id, author_id, title, created_at, last_post_at, deleted_at) VALUES (?, ?, 'D', ?, ?, ?) RETURNING id`, g, m, now, now, now)
		scan(&post, `INSERT INTO posts (topic_id, author_id, body, created_at) VALUES (?, ?, 'b', ?) RETURNING id`, live, m, now)
		var ids [3]int64
		for k := range ids {
			scan(&ids[k], `INSERT INTO notifications (member_id, kind, topic_id, post_id, created_at) VALUES (?, 'reply', ?, ?, ?) RETURNING id`, m, live, post, now)
		}
		if err := db.Exec(`DELETE FROM notifications WHERE id = ?`, ids[2]).Error; err != nil {
			t.Fatal(err)
		}
		for _, m := range list[i:] {
			if m.Name == "follows" || m.Name == "followed_reply" {
				run(m)
			}
		}

		var kept []int64
		if err := db.Raw(`SELECT id FROM notifications ORDER BY id`).Scan(&kept).Error; err != nil || len(kept) != 2 || kept[0] != ids[0] || kept[1] != ids[1] {
			t.Fatalf("notifications after the migration: %v %v, want %v", kept, err, ids[:2])
		}
		var next int64
		scan(&next, `INSERT INTO notifications (member_id, kind, topic_id, post_id, created_at) VALUES (?, 'followed_reply', ?, ?, ?) RETURNING id`, m, live, post, now)
		if next <= ids[2] {
			t.Errorf("a new notification took id %d, at or below the deleted %d", next, ids[2])
		}
		if err := db.Exec(`INSERT INTO notifications (member_id, kind, created_at) VALUES (?, 'email', ?)`, m, now).Error; err == nil {
			t.Error("the kind check accepts an unknown kind")
		}
		var follows []int64
		if err := db.Raw(`SELECT topic_id FROM topic_follows WHERE member_id = ?`, m).Scan(&follows).Error; err != nil || len(follows) != 1 || follows[0] != live {
			t.Errorf("topic authors' follows after the migration: %v %v, want only the live topic %d", follows, err, live)
		}
	})
}
