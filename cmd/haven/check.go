package main

import (
	"context"
	"io"

	"github.com/haven-forum/haven/internal/database"
	"github.com/haven-forum/haven/internal/forum"
	"github.com/haven-forum/haven/internal/site"
)

// check recomputes the counts the forum keeps on write and repairs any that drifted.
func check(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	_, db, err := setup(ctx, "haven check", args, getenv, stdout, nil)
	if err != nil {
		return err
	}
	defer database.Close(db)
	fixed, err := forum.New(db, site.NewSettings(db), nil).Check(ctx)
	forum.PrintRepairs(stdout, fixed)
	return err
}
