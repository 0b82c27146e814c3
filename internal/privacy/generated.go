package privacy

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// GeneratedEvent is one topic open made up by the benchmark generator (haven gen).
type GeneratedEvent struct {
	MemberID, TopicID, GroupID int64
	At                         time.Time
}

// SeedGenerated gives members consent to purposes (as if granted on the dashboard, with a
// consent record each) and writes generated topic opens for them, in bulk. It is for the
// benchmark generator only; it keeps the writes to this package's tables inside this package.
func SeedGenerated(ctx context.Context, db *gorm.DB, memberIDs []int64, purposes []string, at time.Time, next func() (GeneratedEvent, bool)) (int, error) {
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		for _, id := range memberIDs {
			for _, key := range purposes {
				p, ok := Lookup(key)
				if !ok {
					return fmt.Errorf("privacy: unknown purpose %q", key)
				}
				if err := tx.Exec(`INSERT INTO consents (member_id, purpose, version, granted, changed_at) VALUES (?, ?, ?, ?, ?)`,
					id, key, p.Version, true, at).Error; err != nil {
					return err
				}
				if err := tx.Exec(`INSERT INTO consent_records (receipt_id, member_id, purpose, version, granted, method, created_at)
					VALUES (?, ?, ?, ?, ?, ?, ?)`, newUUID(), id, key, p.Version, true, MethodDashboard, at).Error; err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("privacy: unable to seed consents: %w", err)
	}
	const perStatement = 195 // 5 columns: under 1,000 bound values a statement
	const perTx = 20000
	written := 0
	args := make([]any, 0, perStatement*5)
	flush := func(tx *gorm.DB) error {
		if len(args) == 0 {
			return nil
		}
		rows := len(args) / 5
		q := "INSERT INTO activity_events (member_id, kind, topic_id, group_id, created_at) VALUES " +
			strings.TrimSuffix(strings.Repeat("(?, 'topic_open', ?, ?, ?), ", rows), ", ")
		// Four values a row: kind is a constant.
		vals := make([]any, 0, rows*4)
		for i := 0; i < len(args); i += 5 {
			vals = append(vals, args[i], args[i+1], args[i+2], args[i+3])
		}
		args = args[:0]
		return tx.Exec(q, vals...).Error
	}
	for done := false; !done; {
		err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			for n := 0; n < perTx; n++ {
				e, ok := next()
				if !ok {
					done = true
					break
				}
				args = append(args, e.MemberID, e.TopicID, e.GroupID, e.At.UTC(), nil)
				written++
				if len(args) == perStatement*5 {
					if err := flush(tx); err != nil {
						return err
					}
				}
			}
			return flush(tx)
		})
		if err != nil {
			return written, fmt.Errorf("privacy: unable to seed events: %w", err)
		}
	}
	return written, nil
}
