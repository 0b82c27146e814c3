package main

import (
	"context"
	"errors"
	"io"
)

// gen fills a database for benchmarks (being built).
func gen(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	return errors.New("gen: not built yet")
}
