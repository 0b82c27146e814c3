package main

import (
	"context"
	"io"
	"strings"
	"testing"

	"github.com/haven-forum/haven/internal/database"
	"github.com/haven-forum/haven/internal/dbtest"
)

// haven check finds counts someone corrupted, says what it fixed, and leaves nothing to fix.
func TestCheckRepairsCorruptedCounts(t *testing.T) {
	t.Parallel()
	dbtest.EachURL(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		dir := t.TempDir()
		gen := []string{"gen", "--data", dir, "--db", dbURL, "--members", "10", "--topics", "12", "--posts-per-topic", "3", "--seed", "2"}
		if err := run(ctx, gen, env(), nil, io.Discard, io.Discard); err != nil {
			t.Fatal(err)
		}
		check := func() string {
			var out strings.Builder
			if err := run(ctx, []string{"check", "--data", dir, "--db", dbURL}, env(), nil, &out, io.Discard); err != nil {
				t.Fatal(err)
			}
			return out.String()
		}
		if out := check(); !strings.Contains(out, "nothing to repair") {
			t.Fatalf("check on a freshly generated forum:\n%s", out)
		}
		db, err := database.Open(ctx, dbURL)
		if err != nil {
			t.Fatal(err)
		}
		var group, topic, want int64
		db.Raw(`SELECT id, topic_count FROM groups ORDER BY id LIMIT 1`).Row().Scan(&group, &want)
		db.Raw(`SELECT id FROM topics ORDER BY id LIMIT 1`).Scan(&topic)
		for _, q := range []string{`UPDATE groups SET topic_count = 999, post_count = -3 WHERE id = ?`,
			`UPDATE topics SET reply_count = 42, last_post_id = NULL WHERE id = ?`} {
			id := group
			if strings.Contains(q, "topics") {
				id = topic
			}
			if err := db.Exec(q, id).Error; err != nil {
				t.Fatal(err)
			}
		}
		if err := db.Exec(`UPDATE topic_reaction_days SET n = 77 WHERE topic_id = (SELECT MIN(topic_id) FROM topic_reaction_days)
			AND day = (SELECT MIN(day) FROM topic_reaction_days d WHERE d.topic_id = topic_reaction_days.topic_id)`).Error; err != nil {
			t.Fatal(err)
		}
		database.Close(db)
		out := check()
		for _, w := range []string{"topic_count was 999, is", "post_count was -3, is", "reply_count was 42, is 2", "last_post_id was 0, is",
			"reactions on day", "was 77, is", "Repaired 5 stored counts."} {
			if !strings.Contains(out, w) {
				t.Errorf("check did not print %q:\n%s", w, out)
			}
		}
		if out := check(); !strings.Contains(out, "nothing to repair") {
			t.Errorf("a second check still repairs:\n%s", out)
		}
		db, err = database.Open(ctx, dbURL)
		if err != nil {
			t.Fatal(err)
		}
		defer database.Close(db)
		var got int64
		db.Raw(`SELECT topic_count FROM groups WHERE id = ?`, group).Scan(&got)
		if got != want || want == 0 {
			t.Errorf("group %d counts %d topics after the repair, want %d", group, got, want)
		}
	})
}
