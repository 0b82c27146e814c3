// Package demo fills a database with demo content and generates data at scale for benchmarks.
package demo

import (
	"context"
	"errors"
	"io"

	"gorm.io/gorm"
)

// GenOptions sizes a generated database.
type GenOptions struct {
	Members, Topics, PostsPerTopic int
	Seed                           int64
}

// Seed fills an empty database with demo groups, members and posts (being built).
func Seed(ctx context.Context, db *gorm.DB, out io.Writer) error { return errors.New("demo: not built yet") }

// Generate fills a database deterministically for benchmarks (being built).
func Generate(ctx context.Context, db *gorm.DB, o GenOptions, out io.Writer) error {
	return errors.New("demo: not built yet")
}
