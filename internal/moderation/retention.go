package moderation

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// HandledItemRetention is how long a queue item (and the reports merged into it) is kept after
// a moderator handled it; the privacy policy states it.
const HandledItemRetention = 365 * 24 * time.Hour

// PurgeHandled deletes queue items handled longer ago than HandledItemRetention, with their
// reports, in one transaction. It returns how many items it deleted.
func (s *Service) PurgeHandled(ctx context.Context) (int64, error) {
	before := s.now().Add(-HandledItemRetention)
	var n int64
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		err := tx.Exec(`DELETE FROM reports WHERE item_id IN (SELECT id FROM queue_items WHERE status = 'handled' AND handled_at < ?)`, before).Error
		if err != nil {
			return err
		}
		res := tx.Exec(`DELETE FROM queue_items WHERE status = 'handled' AND handled_at < ?`, before)
		n = res.RowsAffected
		return res.Error
	})
	if err != nil {
		return 0, fmt.Errorf("moderation: unable to purge the queue: %w", err)
	}
	return n, nil
}
