package demo_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/haven-forum/haven/internal/dbtest"
	"github.com/haven-forum/haven/internal/demo"
	"gorm.io/gorm"
)

// count runs a COUNT query.
func count(t *testing.T, db *gorm.DB, query string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := db.Raw(query, args...).Scan(&n).Error; err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// tableCounts is how many rows each forum table holds.
func tableCounts(t *testing.T, db *gorm.DB) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	for _, table := range []string{"members", "groups", "group_members", "join_requests", "topics", "posts", "reactions", "notifications", "search_posts"} {
		out[table] = count(t, db, "SELECT COUNT(*) FROM "+table)
	}
	return out
}

// checkThreadsConsistent: each topic's counters and times agree with its posts, and posts
// come in time order.
func checkThreadsConsistent(t *testing.T, db *gorm.DB) {
	t.Helper()
	checks := map[string]string{
		"reply_count is the number of posts after the first": `SELECT COUNT(*) FROM topics t WHERE t.reply_count <> (SELECT COUNT(*) - 1 FROM posts p WHERE p.topic_id = t.id)`,
		"last_post_at is the last post's time":               `SELECT COUNT(*) FROM topics t WHERE t.last_post_at <> (SELECT MAX(p.created_at) FROM posts p WHERE p.topic_id = t.id)`,
		"created_at is the first post's time":                `SELECT COUNT(*) FROM topics t WHERE t.created_at <> (SELECT MIN(p.created_at) FROM posts p WHERE p.topic_id = t.id)`,
		"posts are in time order":                            `SELECT COUNT(*) FROM posts p JOIN posts q ON q.topic_id = p.topic_id AND q.id < p.id WHERE q.created_at >= p.created_at`,
		"anonymous posts only where allowed": `SELECT COUNT(*) FROM posts p JOIN topics t ON t.id = p.topic_id JOIN groups g ON g.id = t.group_id
			WHERE p.anonymous AND NOT g.allow_anonymous`,
		"authors are members of the group": `SELECT COUNT(*) FROM posts p JOIN topics t ON t.id = p.topic_id
			WHERE NOT EXISTS (SELECT 1 FROM group_members gm WHERE gm.group_id = t.group_id AND gm.member_id = p.author_id)`,
		"an anonymous topic's author is anonymous in it": `SELECT COUNT(*) FROM posts p JOIN topics t ON t.id = p.topic_id
			WHERE t.anonymous AND p.author_id = t.author_id AND NOT p.anonymous`,
		"quotes are of the same topic": `SELECT COUNT(*) FROM posts p JOIN posts q ON q.id = p.quote_of WHERE q.topic_id <> p.topic_id OR q.id >= p.id`,
	}
	for what, q := range checks {
		if n := count(t, db, q); n != 0 {
			t.Errorf("%s: %d rows break it", what, n)
		}
	}
}

func TestSeedFillsAnEmptyForumOnce(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		var out strings.Builder
		if err := demo.Seed(ctx, db, &out); err != nil {
			t.Fatal(err)
		}
		c := tableCounts(t, db)
		if c["groups"] != 6 {
			t.Errorf("%d groups, want 6", c["groups"])
		}
		if n := count(t, db, `SELECT COUNT(*) FROM groups WHERE visibility = 'private'`); n != 1 {
			t.Errorf("%d private groups, want 1", n)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM groups WHERE allow_anonymous`); n < 1 {
			t.Error("no group allows anonymous posts")
		}
		if c["members"] < 14 {
			t.Errorf("%d members, want a dozen, an admin and a moderator", c["members"])
		}
		if n := count(t, db, `SELECT COUNT(*) FROM members WHERE role = 'admin'`); n != 1 {
			t.Errorf("%d admins, want 1", n)
		}
		if n := count(t, db, `SELECT COUNT(DISTINCT member_id) FROM group_members WHERE role = 'moderator'`); n != 1 {
			t.Errorf("%d moderators, want 1", n)
		}
		if c["topics"] < 120 || c["topics"] > 180 {
			t.Errorf("%d topics, want about 150", c["topics"])
		}
		if replies := c["posts"] - c["topics"]; replies < 2*c["topics"] {
			t.Errorf("%d replies to %d topics, want a few each", replies, c["topics"])
		}
		if n := count(t, db, `SELECT COUNT(*) FROM topics WHERE reply_count < 1 OR reply_count > 8`); n != 0 {
			t.Errorf("%d topics with no replies or more than eight", n)
		}
		if c["reactions"] < c["posts"]/2 {
			t.Errorf("%d reactions on %d posts, want many", c["reactions"], c["posts"])
		}
		if c["join_requests"] != 1 {
			t.Errorf("%d join requests, want one waiting for the moderator", c["join_requests"])
		}
		for what, q := range map[string]string{
			"anonymous posts":          `SELECT COUNT(*) FROM posts WHERE anonymous`,
			"content warnings":         `SELECT COUNT(*) FROM topics WHERE content_warning <> ''`,
			"quotes":                   `SELECT COUNT(*) FROM posts WHERE quote_of IS NOT NULL AND body LIKE '> %'`,
			"mentions":                 `SELECT COUNT(*) FROM posts WHERE body LIKE '%@%'`,
			"a private group's topics": `SELECT COUNT(*) FROM topics t JOIN groups g ON g.id = t.group_id WHERE g.visibility = 'private'`,
		} {
			if count(t, db, q) == 0 {
				t.Errorf("the demo has no %s", what)
			}
		}
		if n := count(t, db, `SELECT COUNT(*) FROM posts WHERE crisis_concern`); n != 1 {
			t.Errorf("%d posts raised the crisis concern, want exactly the one written to show it", n)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM topics WHERE pinned`); n != 6 {
			t.Errorf("%d pinned topics, want each group's welcome", n)
		}
		checkThreadsConsistent(t, db)
		now := time.Now().UTC()
		if n := count(t, db, `SELECT COUNT(*) FROM posts WHERE created_at > ? OR created_at < ?`, now, now.Add(-61*24*time.Hour)); n != 0 {
			t.Errorf("%d posts dated outside the last 60 days", n)
		}
		if c["search_posts"] != c["posts"] {
			t.Errorf("search index has %d entries for %d posts", c["search_posts"], c["posts"])
		}
		for _, want := range []string{demo.Admin, demo.Moderator, demo.Password, "quiet_river", "lantern_keeper"} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("the sign-ins do not mention %s:\n%s", want, out.String())
			}
		}

		out.Reset()
		if err := demo.Seed(ctx, db, &out); err != nil {
			t.Fatal(err)
		}
		again := tableCounts(t, db)
		for table, n := range c {
			if again[table] != n {
				t.Errorf("a second run changed %s from %d to %d rows", table, n, again[table])
			}
		}
		if !strings.Contains(out.String(), "already") || !strings.Contains(out.String(), demo.Password) {
			t.Errorf("a second run should say the demo is there and print the sign-ins:\n%s", out.String())
		}
	})
}

func TestSeedLeavesOtherContentAlone(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		err := db.Exec(`INSERT INTO groups (slug, name, visibility, created_at) VALUES ('our-group', 'Our group', 'public', ?)`, time.Now().UTC()).Error
		if err != nil {
			t.Fatal(err)
		}
		var out strings.Builder
		if err := demo.Seed(ctx, db, &out); err != nil {
			t.Fatal(err)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM members`); n != 0 {
			t.Errorf("the demo added %d members to a forum that was not empty", n)
		}
		if !strings.Contains(out.String(), "added nothing") {
			t.Errorf("the demo should say it added nothing: %q", out.String())
		}
	})
}

func TestSeedStopsAfterAnInterruptedRun(t *testing.T) {
	t.Parallel()
	db := dbtest.SQLite(t)
	err := db.Exec(`INSERT INTO site_settings (key, value, updated_at) VALUES ('demo_seeded', 'started', ?)`, time.Now().UTC()).Error
	if err != nil {
		t.Fatal(err)
	}
	err = demo.Seed(context.Background(), db, &strings.Builder{})
	if err == nil || strings.Contains(err.Error(), "\n") || !strings.Contains(err.Error(), "empty database") {
		t.Errorf("an interrupted demo should end with a one-line error saying what to do, got %v", err)
	}
}

// firstLineWriter notes how many groups the database held when the first line was written.
type firstLineWriter struct {
	t      *testing.T
	db     *gorm.DB
	first  string
	groups int64
	lines  int
}

func (w *firstLineWriter) Write(p []byte) (int, error) {
	if w.lines == 0 {
		w.first = strings.TrimSpace(string(p))
		w.groups = count(w.t, w.db, `SELECT COUNT(*) FROM groups`)
	}
	w.lines++
	return len(p), nil
}

// --demo says it is adding content before it starts, not only once it is done.
func TestSeedSaysSoBeforeItStarts(t *testing.T) {
	t.Parallel()
	db := dbtest.SQLite(t)
	w := &firstLineWriter{t: t, db: db}
	if err := demo.Seed(context.Background(), db, w); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(w.first, "Adding demo content…") || w.groups != 0 {
		t.Errorf("the first line %q was written with %d groups already there; want \"Adding demo content…\" before any", w.first, w.groups)
	}
}
