package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/haven-forum/haven/internal/apperr"
	"github.com/haven-forum/haven/internal/config"
	"github.com/haven-forum/haven/internal/database"
	"github.com/haven-forum/haven/internal/demo"
	"github.com/haven-forum/haven/internal/forum"
	"github.com/haven-forum/haven/internal/site"
	"gorm.io/gorm"
)

// gen fills an empty database deterministically for benchmarks. It refuses a database that
// already has groups: the same seed must always give the same data.
func gen(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	var o demo.GenOptions
	flags := func(fs *flag.FlagSet) {
		fs.IntVar(&o.Members, "members", 100, "how many members to generate")
		fs.IntVar(&o.Topics, "topics", 500, "how many topics to generate")
		fs.IntVar(&o.PostsPerTopic, "posts-per-topic", 10, "posts in each topic, counting its first post")
		fs.IntVar(&o.Events, "events", 0, "consented topic opens (reading history) to generate for every other member")
		fs.Int64Var(&o.Seed, "seed", 1, "seed for the random choices: the same seed gives the same content")
	}
	// Check the numbers before setup creates or opens a database; a bad flag is left for
	// setup to report with the usage.
	var cfg config.Config
	pre, _ := config.NewFlagSet("haven gen", &cfg, getenv, io.Discard)
	flags(pre)
	if pre.Parse(args) == nil {
		if err := genOptionsError(o.Validate()); err != nil {
			return err
		}
	}
	_, db, err := setup(ctx, "haven gen", args, getenv, stdout, flags)
	if err != nil {
		return err
	}
	defer database.Close(db)
	err = demo.Generate(ctx, db, o, stdout)
	if errors.Is(err, demo.ErrNotEmpty) {
		return &config.Error{Setting: "--db", Problem: "the database already has groups or generated members; gen fills only an empty database (choose a new --data directory or --db)"}
	}
	if err != nil {
		return genOptionsError(err)
	}
	return settle(ctx, db, stdout)
}

// settle does now what a server would otherwise do in its first minutes on generated data, so
// that measurements of it measure pages: store every post's HTML, and on PostgreSQL gather the
// planner's statistics (autovacuum would, some time after a bulk load).
func settle(ctx context.Context, db *gorm.DB, stdout io.Writer) error {
	began := time.Now()
	n, err := forum.New(db, site.NewSettings(db), forum.NewInbox(db)).Posts.RenderStale(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Stored the HTML of %d posts in %s.\n", n, time.Since(began).Round(100*time.Millisecond))
	if database.Dialect(db) == "postgres" {
		if err := db.WithContext(ctx).Exec(`ANALYZE`).Error; err != nil {
			return fmt.Errorf("gen: unable to analyze: %w", err)
		}
	}
	return nil
}

// genOptionsError names the first flag that is out of range, so the message is one line.
func genOptionsError(err error) error {
	if e, ok := apperr.As(err); ok && e.Fields != nil {
		for _, f := range []string{"members", "topics", "posts-per-topic", "events"} {
			if msg := e.Fields[f]; msg != "" {
				return &config.Error{Setting: "--" + f, Problem: msg}
			}
		}
	}
	return err
}
