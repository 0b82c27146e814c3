package privacy

import (
	"context"
	"fmt"
	"time"

	"github.com/haven-forum/haven/internal/erasures"
	"gorm.io/gorm"
)

// Reerase erases again, inside tx, what a privacy entry of the erasure list describes: how a
// restored backup loses what its members erased after it was taken.
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
		cutoff := e.CreatedAt.Add(-time.Duration(e.ObjectID) * 24 * time.Hour)
		err = db.Exec(`DELETE FROM activity_events WHERE member_id = ? AND created_at < ?`, e.MemberID, cutoff).Error
	case erasures.NotInterested:
		if e.ObjectID == 0 {
			err = db.Exec(`DELETE FROM not_interested WHERE member_id = ?`, e.MemberID).Error
		} else {
			err = db.Exec(`DELETE FROM not_interested WHERE member_id = ? AND topic_id = ?`, e.MemberID, e.ObjectID).Error
		}
	default:
		return fmt.Errorf("privacy: %q is not a privacy erasure", e.Kind)
	}
	if err != nil {
		return fmt.Errorf("privacy: unable to erase again: %w", err)
	}
	return nil
}
