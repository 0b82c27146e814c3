package export_test

import (
	"bytes"
	"context"
	"encoding/json"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/haven-forum/haven/internal/accounts"
	"github.com/haven-forum/haven/internal/dbtest"
	"github.com/haven-forum/haven/internal/erasures"
	"github.com/haven-forum/haven/internal/export"
	"github.com/haven-forum/haven/internal/privacy"
	"gorm.io/gorm"
)

// memberNamed matches the names Haven gives a column holding a member's id.
var memberNamed = regexp.MustCompile(`(^|_)member_id$|^(author|actor|reporter|muted)_id$|^(created|handled)_by$|^assigned_to$`)

// memberColumns walks the schema for every column that names a member: a foreign key to
// members, or a column named like one (the moderation tables keep ids without keys).
func memberColumns(t *testing.T, db *gorm.DB) []string {
	t.Helper()
	var cols, fks []struct{ Tbl, Col, Ref string }
	if db.Dialector.Name() == "postgres" {
		db.Raw(`SELECT table_name AS tbl, column_name AS col FROM information_schema.columns WHERE table_schema = 'public'`).Scan(&cols)
		db.Raw(`SELECT kcu.table_name AS tbl, kcu.column_name AS col, ccu.table_name AS ref
			FROM information_schema.table_constraints tc
			JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = tc.constraint_name AND kcu.table_schema = tc.table_schema
			JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = tc.constraint_name AND ccu.table_schema = tc.table_schema
			WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = 'public'`).Scan(&fks)
	} else {
		db.Raw(`SELECT m.name AS tbl, c.name AS col FROM sqlite_master m, pragma_table_info(m.name) c WHERE m.type = 'table'`).Scan(&cols)
		db.Raw(`SELECT m.name AS tbl, f."from" AS col, f."table" AS ref FROM sqlite_master m, pragma_foreign_key_list(m.name) f
			WHERE m.type = 'table'`).Scan(&fks)
	}
	if len(cols) < 50 {
		t.Fatalf("read %d columns of the schema; the walk is broken", len(cols))
	}
	found := map[string]bool{"members.id": true}
	for _, f := range fks {
		if f.Ref == "members" {
			found[f.Tbl+"."+f.Col] = true
		}
	}
	for _, c := range cols {
		if memberNamed.MatchString(c.Col) {
			found[c.Tbl+"."+c.Col] = true
		}
	}
	var out []string
	for k := range found {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Every column of the schema that names a member is covered by the export (or says why not),
// and every covered key is in a full export with something in it.
func TestEveryTableNamingAMemberIsInTheExport(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		t.Parallel()
		cols := memberColumns(t, db)
		for _, c := range cols {
			if export.Coverage[c] == "" {
				t.Errorf("%s names a member, but export.Coverage does not say where the export carries it", c)
			}
		}
		for c := range export.Coverage {
			if !strings.Contains(strings.Join(cols, " ")+" ", c+" ") {
				t.Errorf("export.Coverage names %s, which is not a member column of the schema", c)
			}
		}

		doc := exportOf(t, db, everyTable(t, db))
		for col, path := range export.Coverage {
			if strings.HasPrefix(path, "not exported:") {
				continue
			}
			if !filled(doc, path) {
				t.Errorf("%s has a row for the member, but the export's %q is empty or missing", col, path)
			}
		}
	})
}

// exportOf writes the export of ctx's viewer and parses it.
func exportOf(t *testing.T, db *gorm.DB, ctx context.Context) map[string]any {
	t.Helper()
	v, _ := accounts.ViewerFrom(ctx)
	var buf bytes.Buffer
	if err := export.Write(ctx, &buf, v.ID, sources(db)); err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("the export is not JSON: %v", err)
	}
	return doc
}

func filled(doc map[string]any, path string) bool {
	var v any = doc
	for _, k := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return false
		}
		v = m[k]
	}
	switch x := v.(type) {
	case []any:
		return len(x) > 0
	case map[string]any:
		return len(x) > 0
	case float64:
		return x != 0
	case string:
		return x != ""
	case bool:
		return x
	}
	return false
}

// everyTable gives one member a row in every table that can name them, and returns them as
// the viewer.
func everyTable(t *testing.T, db *gorm.DB) context.Context {
	t.Helper()
	bg := context.Background()
	accts := accounts.NewService(db)
	m, _, err := accts.SignUp(bg, "subject", "long password 123", "long password 123")
	if err != nil {
		t.Fatal(err)
	}
	other, err := accts.Create(bg, "other", "long password 123", accounts.RoleMember)
	if err != nil {
		t.Fatal(err)
	}
	ctx := accounts.WithViewer(bg, accounts.Viewer{Member: m})
	if _, err := accts.StartSession(bg, m.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := privacy.NewService(db, privacy.ControllerInfo{}).SetConsent(ctx, privacy.ReadingHistory, true, privacy.MethodDashboard); err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	var g, g2, topic, post, item, logID int64
	scan := func(dst *int64, q string, args ...any) {
		t.Helper()
		if err := db.Raw(q, args...).Scan(dst).Error; err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	exec := func(q string, args ...any) {
		t.Helper()
		if err := db.Exec(q, args...).Error; err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	scan(&g, `INSERT INTO groups (slug, name, visibility, created_at) VALUES ('grief', 'Grief', 'public', ?) RETURNING id`, now)
	scan(&g2, `INSERT INTO groups (slug, name, visibility, created_at) VALUES ('quiet', 'Quiet', 'private', ?) RETURNING id`, now)
	exec(`INSERT INTO group_members (group_id, member_id, role, joined_at) VALUES (?, ?, 'moderator', ?)`, g, m.ID, now)
	exec(`INSERT INTO join_requests (group_id, member_id, message, created_at) VALUES (?, ?, 'Please', ?)`, g2, m.ID, now)
	exec(`INSERT INTO group_invites (group_id, token_hash, created_by, created_at, expires_at) VALUES (?, 'h', ?, ?, ?)`, g, m.ID, now, now.Add(time.Hour))
	scan(&topic, `INSERT INTO topics (group_id, author_id, title, created_at, last_post_at) VALUES (?, ?, 'Hard days', ?, ?) RETURNING id`, g, m.ID, now, now)
	scan(&post, `INSERT INTO posts (topic_id, author_id, body, crisis_concern, created_at) VALUES (?, ?, 'Words', ?, ?) RETURNING id`, topic, m.ID, true, now)
	exec(`INSERT INTO reactions (post_id, member_id, kind, created_at) VALUES (?, ?, 'hear_you', ?)`, post, m.ID, now)
	exec(`INSERT INTO member_mutes (member_id, muted_id, created_at) VALUES (?, ?, ?)`, m.ID, other.ID, now)
	exec(`INSERT INTO hidden_warnings (member_id, term) VALUES (?, 'spiders')`, m.ID)
	exec(`INSERT INTO notifications (member_id, kind, actor_id, topic_id, post_id, created_at) VALUES (?, 'reply', ?, ?, ?, ?)`, m.ID, other.ID, topic, post, now)
	exec(`INSERT INTO notification_optouts (member_id, kind) VALUES (?, 'mention')`, m.ID)
	exec(`INSERT INTO notifications_seen (member_id, notification_id) VALUES (?, 1000000)`, m.ID)
	exec(`INSERT INTO reply_follow_optouts (member_id) VALUES (?)`, m.ID)
	exec(`INSERT INTO topic_follows (member_id, topic_id, created_at) VALUES (?, ?, ?)`, m.ID, topic, now)
	scan(&logID, `INSERT INTO moderation_log (actor_id, group_id, action, target_kind, target_id, target_member_id, reason, created_at)
		VALUES (?, ?, 'hide', 'post', ?, ?, 'Off topic', ?) RETURNING id`, other.ID, g, post, m.ID, now)
	exec(`INSERT INTO moderation_log (actor_id, group_id, action, target_kind, target_id, target_member_id, reason, created_at)
		VALUES (?, ?, 'lock', 'topic', ?, NULL, 'Heated', ?)`, m.ID, g, topic, now)
	exec(`INSERT INTO activity_events (member_id, kind, topic_id, group_id, created_at) VALUES (?, 'topic_open', ?, ?, ?)`, m.ID, topic, g, now)
	exec(`INSERT INTO privacy_settings (member_id, retention_days, erased_before) VALUES (?, 30, ?)`, m.ID, now.Add(-time.Hour))
	exec(`INSERT INTO read_positions (member_id, topic_id, last_read_post_id, read_at) VALUES (?, ?, ?, ?)`, m.ID, topic, post, now)
	scan(&item, `INSERT INTO queue_items (group_id, kind, post_id, member_id, at_risk, assigned_to, status, handled_by, handled_action, handled_at, created_at)
		VALUES (?, 'concern', ?, ?, ?, ?, 'handled', ?, 'dismiss', ?, ?) RETURNING id`, g, post, m.ID, true, m.ID, m.ID, now, now)
	exec(`INSERT INTO reports (item_id, post_id, reporter_id, reason, details, created_at) VALUES (?, ?, ?, 'other', 'A note', ?)`, item, post, m.ID, now)
	exec(`INSERT INTO group_sanctions (group_id, member_id, kind, until, created_at) VALUES (?, ?, 'mute', ?, ?)`, g, m.ID, now.Add(time.Hour), now)
	exec(`INSERT INTO suspensions (member_id, until, created_at) VALUES (?, ?, ?)`, m.ID, now.Add(24*time.Hour), now)
	exec(`INSERT INTO appeals (log_id, member_id, text, created_at) VALUES (?, ?, 'It was on topic', ?)`, logID, m.ID, now)
	exec(`INSERT INTO not_interested (member_id, topic_id, created_at) VALUES (?, ?, ?)`, m.ID, topic, now)
	exec(`INSERT INTO member_profiles (member_id, bio, hide_posts, updated_at) VALUES (?, 'I garden.', ?, ?)`, m.ID, true, now)
	exec(`INSERT INTO bookmarks (member_id, post_id, created_at) VALUES (?, ?, ?)`, m.ID, post, now)
	if err := db.Transaction(func(tx *gorm.DB) error { return erasures.Record(bg, tx, erasures.ActivityItem, m.ID, 1) }); err != nil {
		t.Fatal(err)
	}
	return ctx
}
