package privacy

import (
	"context"
	"fmt"
	"time"

	"github.com/haven-forum/haven/internal/erasures"
	"gorm.io/gorm"
)

// Reerase erases again, inside tx, what a privacy entry of the erasure list describes (or
// withdraws a consent again): how a restored backup loses what its members erased, and keeps
// off what they switched off, after it was taken.
func Reerase(ctx context.Context, tx *gorm.DB, e erasures.Erasure) error {
	var err error
	db := tx.WithContext(ctx)
	switch e.Kind {
	case erasures.MemberRecord:
		_, err = eraseMember(ctx, tx, e.MemberID)
	case erasures.ActivityItem:
		err = db.Exec(`DELETE FROM activity_events WHERE id = ? AND member_id = ?`, e.ObjectID, e.MemberID).Error
	case erasures.Interest:
		err = db.Exec(`DELETE FROM activity_events WHERE member_id = ? AND group_id = ?`, e.MemberID, e.ObjectID).Error
	case erasures.Retention:
		err = expireMember(db, e.MemberID, e.CreatedAt.Add(-time.Duration(e.ObjectID)*24*time.Hour))
	case erasures.ReadPosition:
		err = deleteReadPositions(db, e.MemberID, e.ObjectID)
	case erasures.NotInterested:
		if e.ObjectID == 0 {
			err = db.Exec(`DELETE FROM not_interested WHERE member_id = ?`, e.MemberID).Error
		} else {
			err = db.Exec(`DELETE FROM not_interested WHERE member_id = ? AND topic_id = ?`, e.MemberID, e.ObjectID).Error
		}
	case erasures.ConsentWithdrawn:
		err = withdrawAgain(ctx, tx, e)
		if err == nil && e.ObjectID == purposeCodes[ReadingHistory] {
			err = deleteReadPositions(db, e.MemberID, 0)
		}
	default:
		return fmt.Errorf("privacy: %q is not a privacy erasure", e.Kind)
	}
	if err != nil {
		return fmt.Errorf("privacy: unable to erase again: %w", err)
	}
	return nil
}

// purposeCodes number the purposes for the erasure list, whose object is a number. A code is
// never reused or changed: lists exported long ago still name the same purpose.
var purposeCodes = map[string]int64{ReadingHistory: 1, PersonalizedRecommendations: 2, CommunitySignals: 3, CommunityInsights: 4}

// listWithdrawal puts a consent switched off on the erasure list, inside its transaction, and
// erases at once what only that consent kept: read positions go with reading history.
func listWithdrawal(ctx context.Context, tx *gorm.DB, rec Record) error {
	if rec.Granted {
		return nil
	}
	if rec.Purpose == ReadingHistory {
		if err := deleteReadPositions(tx.WithContext(ctx), rec.MemberID, 0); err != nil {
			return err
		}
	}
	return erasures.Record(ctx, tx, erasures.ConsentWithdrawn, rec.MemberID, purposeCodes[rec.Purpose])
}

// withdrawAgain switches a purpose off again where a restored backup has it on, and puts the
// member's withdrawal, at its time, back into their consent history.
func withdrawAgain(ctx context.Context, tx *gorm.DB, e erasures.Erasure) error {
	forgetConsents(ctx)
	var purpose string
	for key, code := range purposeCodes {
		if code == e.ObjectID {
			purpose = key
		}
	}
	if purpose == "" {
		return fmt.Errorf("no purpose has code %d", e.ObjectID)
	}
	var rows []consentRow
	db := tx.WithContext(ctx)
	if err := db.Where("member_id = ? AND purpose = ? AND granted", e.MemberID, purpose).Find(&rows).Error; err != nil || len(rows) == 0 {
		return err
	}
	if err := db.Model(&consentRow{}).Where("member_id = ? AND purpose = ?", e.MemberID, purpose).
		Updates(map[string]any{"granted": false, "changed_at": e.CreatedAt}).Error; err != nil {
		return err
	}
	rec := Record{ReceiptID: newUUID(), MemberID: e.MemberID, Purpose: purpose, Version: rows[0].Version,
		Method: MethodDashboard, CreatedAt: e.CreatedAt}
	return db.Table("consent_records").Create(&rec).Error
}
