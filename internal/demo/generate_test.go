package demo_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/haven-forum/haven/internal/accounts"
	"github.com/haven-forum/haven/internal/apperr"
	"github.com/haven-forum/haven/internal/database"
	"github.com/haven-forum/haven/internal/dbtest"
	"github.com/haven-forum/haven/internal/demo"
	"github.com/haven-forum/haven/internal/forum"
	"github.com/haven-forum/haven/internal/site"
	"gorm.io/gorm"
)

// contentSum digests everything a seed decides: names, groups, memberships, titles, bodies,
// who wrote what, quotes and reactions (not the timestamps, which end at the time of the run).
func contentSum(t *testing.T, db *gorm.DB) string {
	t.Helper()
	h := sha256.New()
	for _, q := range []string{
		`SELECT username FROM members ORDER BY id`,
		`SELECT slug || '|' || visibility || '|' || CASE WHEN allow_anonymous THEN 'a' ELSE '' END FROM groups ORDER BY id`,
		`SELECT group_id || '|' || member_id || '|' || role FROM group_members ORDER BY group_id, member_id`,
		`SELECT group_id || '|' || author_id || '|' || title || '|' || content_warning || '|' || CASE WHEN anonymous THEN 'a' ELSE '' END FROM topics ORDER BY id`,
		`SELECT topic_id || '|' || author_id || '|' || body || '|' || COALESCE(quote_of, 0) || '|' || CASE WHEN anonymous THEN 'a' ELSE '' END FROM posts ORDER BY id`,
		`SELECT post_id || '|' || member_id || '|' || kind FROM reactions ORDER BY post_id, member_id, kind`,
	} {
		var rows []string
		if err := db.Raw(q).Scan(&rows).Error; err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		fmt.Fprintln(h, strings.Join(rows, "\n"))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// fresh opens another new database of the same kind as db.
func fresh(t *testing.T, db *gorm.DB) *gorm.DB {
	if database.Dialect(db) == "postgres" {
		return dbtest.Postgres(t)
	}
	return dbtest.SQLite(t)
}

func TestGenerateWritesExactlyWhatWasAsked(t *testing.T) {
	t.Parallel()
	o := demo.GenOptions{Members: 50, Topics: 200, PostsPerTopic: 5, Seed: 7}
	sums := map[string]string{}
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		var out strings.Builder
		if err := demo.Generate(ctx, db, o, &out); err != nil {
			t.Fatal(err)
		}
		c := tableCounts(t, db)
		want := map[string]int64{"members": 51, "groups": 5, "topics": 200, "posts": 1000, "search_posts": 1000}
		for table, n := range want {
			if c[table] != n {
				t.Errorf("%d rows in %s, want %d", c[table], table, n)
			}
		}
		if c["reactions"] == 0 {
			t.Error("no reactions")
		}
		if n := count(t, db, `SELECT COUNT(*) FROM topics WHERE reply_count <> 4`); n != 0 {
			t.Errorf("%d topics without reply_count = posts-per-topic - 1", n)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM groups WHERE visibility = 'private'`); n != 0 {
			t.Errorf("%d private groups among 5, want none (one in six)", n)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM groups WHERE allow_anonymous`); n < 1 {
			t.Error("no group allows anonymous posts")
		}
		if n := count(t, db, `SELECT COUNT(*) FROM groups g WHERE NOT EXISTS (SELECT 1 FROM group_members gm WHERE gm.group_id = g.id AND gm.role = 'moderator')`); n != 0 {
			t.Errorf("%d groups without a moderator", n)
		}
		checkThreadsConsistent(t, db)
		for _, phrase := range site.DefaultCrisisPhrases {
			if n := count(t, db, `SELECT COUNT(*) FROM posts p JOIN topics t ON t.id = p.topic_id
				WHERE LOWER(p.body) LIKE ? OR LOWER(t.title) LIKE ?`, "%"+phrase+"%", "%"+phrase+"%"); n != 0 {
				t.Errorf("%d generated posts contain the crisis phrase %q", n, phrase)
			}
		}
		for _, want := range []string{"50 members", "5 groups", "200 topics", "1000 posts", demo.GenAdmin, "member00001", "member00050", demo.GenPassword} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("the output does not mention %q:\n%s", want, out.String())
			}
		}

		sum := contentSum(t, db)
		sums[database.Dialect(db)] = sum
		again := fresh(t, db)
		if err := demo.Generate(ctx, again, o, io.Discard); err != nil {
			t.Fatal(err)
		}
		if contentSum(t, again) != sum {
			t.Error("the same seed gave different content on a fresh database")
		}
		other := fresh(t, db)
		o2 := o
		o2.Seed = 8
		if err := demo.Generate(ctx, other, o2, io.Discard); err != nil {
			t.Fatal(err)
		}
		if contentSum(t, other) == sum {
			t.Error("another seed gave the same content")
		}

		if err := demo.Generate(ctx, db, o, io.Discard); !errors.Is(err, demo.ErrNotEmpty) {
			t.Errorf("a second run on the same database returned %v, want ErrNotEmpty", err)
		}
	})
	if len(sums) == 2 && sums["sqlite"] != sums["postgres"] {
		t.Error("the same seed gave different content on SQLite and PostgreSQL")
	}
}

// The forum keeps working on generated data: members sign in with the shared password, and
// new topics and replies take ids after the generated ones (PostgreSQL's sequences moved on).
func TestGeneratedForumIsUsable(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		if err := demo.Generate(ctx, db, demo.GenOptions{Members: 12, Topics: 30, PostsPerTopic: 3, Seed: 3}, io.Discard); err != nil {
			t.Fatal(err)
		}
		accts := accounts.NewService(db)
		m, err := accts.Authenticate(ctx, "member00001", demo.GenPassword)
		if err != nil {
			t.Fatalf("a generated member cannot sign in: %v", err)
		}
		if _, err := accts.Create(ctx, "newcomer", "a long enough password", accounts.RoleMember); err != nil {
			t.Fatalf("a new account after generation: %v", err)
		}
		var slug string
		if err := db.Raw(`SELECT g.slug FROM groups g JOIN group_members gm ON gm.group_id = g.id WHERE gm.member_id = ? ORDER BY g.id LIMIT 1`, m.ID).Scan(&slug).Error; err != nil {
			t.Fatal(err)
		}
		svc := forum.New(db, site.NewSettings(db), forum.NewInbox(db))
		as := accounts.WithViewer(ctx, accounts.Viewer{Member: m})
		topicID, err := svc.Posts.CreateTopic(as, slug, forum.PostInput{Title: "After the benchmark", Body: "Still here, still counting."})
		if err != nil {
			t.Fatalf("a new topic after generation: %v", err)
		}
		if _, err := svc.Posts.Reply(as, topicID, forum.PostInput{Body: "And a reply."}); err != nil {
			t.Fatalf("a reply after generation: %v", err)
		}
		if topicID <= 30 {
			t.Errorf("the new topic got id %d, inside the generated range", topicID)
		}
		page, err := svc.Posts.TopicPage(as, 1, 1)
		if err != nil || len(page.Posts) != 3 {
			t.Errorf("a generated topic's page: %d posts, %v", len(page.Posts), err)
		}
	})
}

func TestGenerateRejectsBadOptions(t *testing.T) {
	t.Parallel()
	db := dbtest.SQLite(t)
	for _, o := range []demo.GenOptions{
		{Members: 0, Topics: 1, PostsPerTopic: 1},
		{Members: 1, Topics: -1, PostsPerTopic: 1},
		{Members: 1, Topics: 1, PostsPerTopic: 0},
		{Members: 1, Topics: 1, PostsPerTopic: demo.GenPostsPerTopicMax + 1},
	} {
		if err := demo.Generate(context.Background(), db, o, io.Discard); apperr.Code(err) != apperr.EINVALID {
			t.Errorf("%+v: %v, want an invalid-input error", o, err)
		}
	}
	if n := count(t, db, `SELECT COUNT(*) FROM members`); n != 0 {
		t.Errorf("rejected options still wrote %d members", n)
	}
}

func TestGenerateConsentedActivity(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		o := demo.GenOptions{Members: 20, Topics: 30, PostsPerTopic: 2, Events: 500, Seed: 3}
		if err := demo.Generate(context.Background(), db, o, io.Discard); err != nil {
			t.Fatal(err)
		}
		var events, unconsented, foreign int64
		db.Raw(`SELECT COUNT(*) FROM activity_events`).Scan(&events)
		db.Raw(`SELECT COUNT(*) FROM activity_events e WHERE NOT EXISTS (SELECT 1 FROM consents c
			WHERE c.member_id = e.member_id AND c.purpose = 'reading_history' AND c.granted)`).Scan(&unconsented)
		db.Raw(`SELECT COUNT(*) FROM activity_events e JOIN topics t ON t.id = e.topic_id
			WHERE t.group_id <> e.group_id OR NOT EXISTS (SELECT 1 FROM group_members gm WHERE gm.group_id = e.group_id AND gm.member_id = e.member_id)`).Scan(&foreign)
		if events != 500 || unconsented != 0 || foreign != 0 {
			t.Errorf("%d events, %d without consent, %d outside the member's groups", events, unconsented, foreign)
		}
	})
}
