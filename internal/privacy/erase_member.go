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
	forgetConsents(ctx)
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

// eventBatch is how many events EachEvent holds at a time.
const eventBatch = 500

// EachEvent calls fn with each of the member's recorded events, oldest first, reading a batch
// at a time (named by the forum per batch), so a record of any length is exported in flat memory.
func (s *Service) EachEvent(ctx context.Context, memberID int64, fn func(Event) error) error {
	if err := s.Flush(ctx); err != nil {
		return err
	}
	for after := int64(0); ; {
		var batch []Event
		err := s.db.WithContext(ctx).Raw(`SELECT id, kind, topic_id, group_id, created_at FROM activity_events
			WHERE member_id = ? AND id > ? ORDER BY id LIMIT ?`, memberID, after, eventBatch).Scan(&batch).Error
		if err != nil {
			return fmt.Errorf("privacy: unable to read the record: %w", err)
		}
		if len(batch) == 0 {
			return nil
		}
		after = batch[len(batch)-1].ID
		named, err := withNames(ctx, s.db, batch)
		if err != nil {
			return fmt.Errorf("privacy: unable to read the record: %w", err)
		}
		for _, e := range named {
			if err := fn(e); err != nil {
				return err
			}
		}
		if len(batch) < eventBatch {
			return nil
		}
	}
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
