package forum

import (
	"context"
	"fmt"
	"time"
)

// How long the forum keeps what it keeps without asking; the privacy policy states each.
const (
	NotificationRetention = 90 * 24 * time.Hour // a notification, unless cleared sooner
	RevisionRetention     = 90 * 24 * time.Hour // an edited post's earlier version, for moderators
	InviteRetention       = 30 * 24 * time.Hour // an invitation link, after it expired
)

// PurgeExpired deletes what is past its retention: notifications, earlier versions of posts,
// and expired invitation links. It returns how many rows it deleted.
func (s *Service) PurgeExpired(ctx context.Context) (int64, error) {
	now := s.now()
	var n int64
	for _, q := range []struct {
		sql    string
		before time.Time
	}{
		{`DELETE FROM notifications WHERE created_at < ?`, now.Add(-NotificationRetention)},
		{`DELETE FROM post_revisions WHERE created_at < ?`, now.Add(-RevisionRetention)},
		{`DELETE FROM group_invites WHERE expires_at < ?`, now.Add(-InviteRetention)},
	} {
		res := s.db.WithContext(ctx).Exec(q.sql, q.before)
		if res.Error != nil {
			return n, fmt.Errorf("forum: unable to purge: %w", res.Error)
		}
		n += res.RowsAffected
	}
	return n, nil
}
