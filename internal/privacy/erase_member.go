package privacy

import (
	"context"
	"database/sql"
	"fmt"

	"gorm.io/gorm"
)

// EraseMember deletes everything the privacy domain holds about a member (their record, what
// was derived from it, their consents with their history, and their settings) inside tx: the
// privacy part of deleting an account.
func (s *Service) EraseMember(ctx context.Context, tx *gorm.DB, memberID int64) error {
	if _, err := eraseMember(ctx, tx, memberID); err != nil {
		return fmt.Errorf("privacy: unable to erase member: %w", err)
	}
	for _, table := range []string{"consent_records", "consents", "privacy_settings"} {
		if err := tx.WithContext(ctx).Exec(`DELETE FROM `+table+` WHERE member_id = ?`, memberID).Error; err != nil {
			return fmt.Errorf("privacy: unable to erase member: %w", err)
		}
	}
	return nil
}

// EachEvent calls fn with each of the member's recorded events, oldest first, reading one row
// at a time, so a record of any length is exported in flat memory.
func (s *Service) EachEvent(ctx context.Context, memberID int64, fn func(Event) error) error {
	if err := s.Flush(ctx); err != nil {
		return err
	}
	err := eachRow(ctx, s.db, `SELECT e.id, e.kind, e.topic_id, e.group_id, e.created_at, t.title, g.name, g.slug
		FROM activity_events e JOIN topics t ON t.id = e.topic_id JOIN groups g ON g.id = e.group_id
		WHERE e.member_id = ? ORDER BY e.id`, memberID, func(rows *sql.Rows) error {
		var e Event
		if err := rows.Scan(&e.ID, &e.Kind, &e.TopicID, &e.GroupID, &e.CreatedAt, &e.TopicTitle, &e.GroupName, &e.GroupSlug); err != nil {
			return err
		}
		return fn(e)
	})
	if err != nil {
		return fmt.Errorf("privacy: unable to read the record: %w", err)
	}
	return nil
}

// EachConsentRecord calls fn with each change of the member's consent, oldest first.
func (s *Service) EachConsentRecord(ctx context.Context, memberID int64, fn func(Record) error) error {
	err := eachRow(ctx, s.db, `SELECT id, receipt_id, member_id, purpose, version, granted, method, created_at
		FROM consent_records WHERE member_id = ? ORDER BY id`, memberID, func(rows *sql.Rows) error {
		var r Record
		if err := rows.Scan(&r.ID, &r.ReceiptID, &r.MemberID, &r.Purpose, &r.Version, &r.Granted, &r.Method, &r.CreatedAt); err != nil {
			return err
		}
		return fn(r)
	})
	if err != nil {
		return fmt.Errorf("privacy: unable to read consent history: %w", err)
	}
	return nil
}

// eachRow runs a query for one member and calls scan on each row as it arrives.
func eachRow(ctx context.Context, db *gorm.DB, query string, memberID int64, scan func(*sql.Rows) error) error {
	rows, err := db.WithContext(ctx).Raw(query, memberID).Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}
