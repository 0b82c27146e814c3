package main

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/haven-forum/haven/internal/dbtest"
)

func TestGenFillsAnEmptyDatabaseOnce(t *testing.T) {
	t.Parallel()
	dbtest.EachURL(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		args := []string{"gen", "--data", t.TempDir(), "--db", dbURL, "--members", "20", "--topics", "40", "--posts-per-topic", "3", "--seed", "1"}
		var out strings.Builder
		if err := run(ctx, args, env(), nil, &out, io.Discard); err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"20 members", "5 groups", "40 topics", "120 posts", "gen_admin", "member00020"} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("gen did not print %q:\n%s", want, out.String())
			}
		}
		err := run(ctx, args, env(), nil, io.Discard, io.Discard)
		if err == nil || !strings.HasPrefix(err.Error(), "--db: ") || strings.Contains(err.Error(), "\n") {
			t.Errorf("gen on a filled database: %v, want a one-line --db error", err)
		}
	})
}

func TestGenRejectsBadNumbersBeforeTouchingTheDatabase(t *testing.T) {
	t.Parallel()
	cases := []struct {
		args []string
		flag string
	}{
		{[]string{"--topics", "0"}, "--topics"},
		{[]string{"--topics", "-1"}, "--topics"},
		{[]string{"--members", "0"}, "--members"},
		{[]string{"--posts-per-topic", "-5"}, "--posts-per-topic"},
		{[]string{"--posts-per-topic", "1000000"}, "--posts-per-topic"},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			dir := t.TempDir()
			err := run(context.Background(), append([]string{"gen", "--data", dir}, tc.args...), env(), nil, io.Discard, io.Discard)
			if err == nil {
				t.Fatal("gen accepted a bad number")
			}
			if msg := err.Error(); !strings.HasPrefix(msg, tc.flag+": ") || strings.Contains(msg, "\n") {
				t.Errorf("message %q should be one line starting with %s", msg, tc.flag)
			}
			if _, err := os.Stat(filepath.Join(dir, "haven.db")); !errors.Is(err, os.ErrNotExist) {
				t.Error("a rejected gen still created the database")
			}
		})
	}
}
