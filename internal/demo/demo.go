// Package demo fills a database with demo content (Seed, for `haven --demo`) and generates
// data at scale for benchmarks (Generate, for `haven gen`).
//
// Seed goes through the accounts and forum services, so the demo is exactly what members
// would have written: validated, indexed for search, with notifications. Generate writes rows
// in bulk instead, because a million posts through the services would take hours.
package demo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"gorm.io/gorm"
)

// markerKey is the site_settings row that says the demo was (or is being) seeded.
const markerKey = "demo_seeded"

const (
	markerStarted = "started"
	markerDone    = "done"
)

// Seed fills an empty database with six support groups, a dozen members, an admin and a
// moderator, and about 150 topics with replies and reactions, then prints the demo sign-ins.
// On a database it already seeded it only prints the sign-ins; on a database with other
// content it adds nothing and says so.
func Seed(ctx context.Context, db *gorm.DB, out io.Writer) error {
	state, err := seedState(ctx, db)
	if err != nil {
		return err
	}
	switch state {
	case markerDone:
		fmt.Fprintln(out, "Demo content is already in this database.")
		printSignIns(out)
		return nil
	case markerStarted:
		return errors.New("demo: an earlier --demo run stopped part-way (or is still running); start from an empty database to seed the demo")
	case "content":
		fmt.Fprintln(out, "This database already has groups or demo usernames, so --demo added nothing: the demo fills only an empty forum.")
		return nil
	}
	if ok, err := setMarker(ctx, db, "", markerStarted); err != nil || !ok {
		if err == nil {
			err = errors.New("demo: another instance is seeding the demo right now")
		}
		return err
	}
	// Seeding takes a while on a busy machine: say so before, not only after.
	fmt.Fprintln(out, "Adding demo content… (this can take a minute)")
	began := time.Now()
	s := newSeeder(db)
	if err := s.run(ctx); err != nil {
		return err
	}
	if _, err := setMarker(ctx, db, markerStarted, markerDone); err != nil {
		return err
	}
	fmt.Fprintf(out, "Demo content added: %d groups, %d members, %d topics, %d replies and %d reactions (%s).\n",
		len(demoGroups), len(demoMembers)+2, s.topics, len(s.posts)-s.topics, s.reactions, time.Since(began).Round(100*time.Millisecond))
	printSignIns(out)
	return nil
}

// seedState is markerDone or markerStarted from the marker, "content" when the database has
// content the demo did not write, or "" when it is empty.
func seedState(ctx context.Context, db *gorm.DB) (string, error) {
	var values []string
	if err := db.WithContext(ctx).Raw(`SELECT value FROM site_settings WHERE key = ?`, markerKey).Scan(&values).Error; err != nil {
		return "", fmt.Errorf("demo: unable to read the demo marker: %w", err)
	}
	if len(values) > 0 {
		return values[0], nil
	}
	names := append([]string{Admin, Moderator}, demoMembers...)
	var n int64
	err := db.WithContext(ctx).Raw(`SELECT (SELECT COUNT(*) FROM groups) + (SELECT COUNT(*) FROM members WHERE username_key IN ?)`, names).Scan(&n).Error
	if err != nil {
		return "", fmt.Errorf("demo: unable to look for content: %w", err)
	}
	if n > 0 {
		return "content", nil
	}
	return "", nil
}

// setMarker moves the marker from one state to the next ("" means absent) and reports
// whether this call made the move, so two instances started at once seed only once.
func setMarker(ctx context.Context, db *gorm.DB, from, to string) (bool, error) {
	var res *gorm.DB
	if from == "" {
		res = db.WithContext(ctx).Exec(`INSERT INTO site_settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING`,
			markerKey, to, time.Now().UTC())
	} else {
		res = db.WithContext(ctx).Exec(`UPDATE site_settings SET value = ?, updated_at = ? WHERE key = ? AND value = ?`,
			to, time.Now().UTC(), markerKey, from)
	}
	if res.Error != nil {
		return false, fmt.Errorf("demo: unable to write the demo marker: %w", res.Error)
	}
	return res.RowsAffected == 1, nil
}

func printSignIns(out io.Writer) {
	var moderated []string
	for _, g := range demoGroups {
		if g.staff == Moderator {
			moderated = append(moderated, g.name)
		}
	}
	fmt.Fprintf(out, "Demo sign-ins, all with the password %q:\n", Password)
	fmt.Fprintf(out, "  %-16s site admin\n", Admin)
	fmt.Fprintf(out, "  %-16s moderator of %s\n", Moderator, strings.Join(moderated, ", "))
	fmt.Fprintf(out, "  %-16s %s\n", "members", strings.Join(demoMembers, ", "))
}
