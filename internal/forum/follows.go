package forum

import (
	"context"
	"fmt"
	"time"

	"github.com/haven-forum/haven/internal/erasures"
	"github.com/haven-forum/haven/internal/paths"
	"gorm.io/gorm"
)

// FollowsPerPage is how many followed topics /account/following shows at once.
const FollowsPerPage = 30

// Follows keeps the topics members chose to follow: a reply in one notifies them
// (notifications.go). A follow is a choice the member made, never something inferred from
// what they read: it is listed for them, exported, and deleted with their account.
type Follows struct {
	*shared
	groups *Groups // a topic's access
}

// Follow starts (on) or stops following a topic the viewer may read.
func (f *Follows) Follow(ctx context.Context, topicID int64, on bool) error {
	v, err := requireSignedIn(ctx)
	if err != nil {
		return err
	}
	if on {
		if _, _, _, err := f.groups.topicAccess(ctx, topicID); err != nil {
			return err
		}
		if err := follow(ctx, f.db, v.ID, topicID, f.now()); err != nil {
			return fmt.Errorf("forum: unable to follow: %w", err)
		}
		return nil
	}
	// Stopping needs no access: a member who can no longer read a topic may still let it go.
	err = f.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Exec(`DELETE FROM topic_follows WHERE member_id = ? AND topic_id = ?`, v.ID, topicID)
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error
		}
		return erasures.Record(ctx, tx, erasures.FollowRemoved, v.ID, topicID)
	})
	if err != nil {
		return fmt.Errorf("forum: unable to unfollow: %w", err)
	}
	return nil
}

func follow(ctx context.Context, tx *gorm.DB, memberID, topicID int64, now time.Time) error {
	return tx.WithContext(ctx).Exec(`INSERT INTO topic_follows (member_id, topic_id, created_at) VALUES (?, ?, ?)
		ON CONFLICT (member_id, topic_id) DO NOTHING`, memberID, topicID, now).Error
}

// followAfterPosting follows a topic the member just replied in, unless they switched off
// "Follow topics I reply to": one statement, inside the post's transaction.
func followAfterPosting(ctx context.Context, tx *gorm.DB, memberID, topicID int64, now time.Time) error {
	err := tx.WithContext(ctx).Exec(`INSERT INTO topic_follows (member_id, topic_id, created_at)
		SELECT ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM reply_follow_optouts WHERE member_id = ?)
		ON CONFLICT (member_id, topic_id) DO NOTHING`, memberID, topicID, now, memberID).Error
	if err != nil {
		return fmt.Errorf("forum: unable to follow the topic: %w", err)
	}
	return nil
}

// FollowReplied reports whether the viewer follows the topics they reply to (on unless they
// switched it off).
func (f *Follows) FollowReplied(ctx context.Context) (bool, error) {
	v, err := requireSignedIn(ctx)
	if err != nil {
		return false, err
	}
	var n int64
	if err := f.db.WithContext(ctx).Raw(`SELECT COUNT(*) FROM reply_follow_optouts WHERE member_id = ?`, v.ID).Scan(&n).Error; err != nil {
		return false, fmt.Errorf("forum: unable to read follow settings: %w", err)
	}
	return n == 0, nil
}

// SetFollowReplied switches "Follow topics I reply to" for the viewer. Topics already
// followed stay followed; a topic they start is followed either way.
func (f *Follows) SetFollowReplied(ctx context.Context, on bool) error {
	v, err := requireSignedIn(ctx)
	if err != nil {
		return err
	}
	err = f.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := setFollowReplied(tx, v.ID, on); err != nil {
			return err
		}
		return erasures.RecordDetail(ctx, tx, erasures.FollowSettings, v.ID, 0, followSettingDetail(on))
	})
	if err != nil {
		return fmt.Errorf("forum: unable to save follow settings: %w", err)
	}
	return nil
}

func setFollowReplied(tx *gorm.DB, memberID int64, on bool) error {
	if on {
		return tx.Exec(`DELETE FROM reply_follow_optouts WHERE member_id = ?`, memberID).Error
	}
	return tx.Exec(`INSERT INTO reply_follow_optouts (member_id) VALUES (?) ON CONFLICT (member_id) DO NOTHING`, memberID).Error
}

// followSettingDetail is the erasure list's detail for the setting: a code, never text.
func followSettingDetail(on bool) string {
	if on {
		return "on"
	}
	return "off"
}

// FollowedTopic is one topic on the viewer's following list.
type FollowedTopic struct {
	TopicID   int64
	Title     string // "" when the viewer can no longer read it, or it was deleted
	GroupName string // "" likewise
	Link      string // "" likewise
	Readable  bool
	Since     time.Time
}

// FollowedPage is one page of the viewer's followed topics, most recently followed first.
type FollowedPage struct {
	Items       []FollowedTopic
	Page, Pages int
	Total       int
}

// Following returns page (from 1) of the topics the viewer follows. A topic they can no
// longer read (they left its private group) or that was deleted stays listed without its
// title, so they can see it is held and let it go.
func (f *Follows) Following(ctx context.Context, page int) (FollowedPage, error) {
	v, err := requireSignedIn(ctx)
	if err != nil {
		return FollowedPage{}, err
	}
	db := f.db.WithContext(ctx)
	var total int64
	if err := db.Raw(`SELECT COUNT(*) FROM topic_follows WHERE member_id = ?`, v.ID).Scan(&total).Error; err != nil {
		return FollowedPage{}, fmt.Errorf("forum: unable to count follows: %w", err)
	}
	out := FollowedPage{Total: int(total), Pages: max(1, int((total+FollowsPerPage-1)/FollowsPerPage))}
	out.Page = clampPage(page, out.Pages)
	readable, err := f.groups.ReadableGroupIDs(ctx)
	if err != nil {
		return out, err
	}
	var rows []struct {
		TopicID   int64
		CreatedAt time.Time
		Title     string
		GroupID   int64
		GroupName string
		Deleted   bool
	}
	err = db.Raw(`SELECT tf.topic_id, tf.created_at, t.title, t.group_id, g.name AS group_name, (t.deleted_at IS NOT NULL) AS deleted
		FROM topic_follows tf JOIN topics t ON t.id = tf.topic_id JOIN groups g ON g.id = t.group_id
		WHERE tf.member_id = ? ORDER BY tf.created_at DESC, tf.topic_id DESC LIMIT ? OFFSET ?`,
		v.ID, FollowsPerPage, (out.Page-1)*FollowsPerPage).Scan(&rows).Error
	if err != nil {
		return out, fmt.Errorf("forum: unable to list follows: %w", err)
	}
	canRead := make(map[int64]bool, len(readable))
	for _, id := range readable {
		canRead[id] = true
	}
	for _, r := range rows {
		item := FollowedTopic{TopicID: r.TopicID, Since: r.CreatedAt}
		if canRead[r.GroupID] && !r.Deleted {
			item.Readable, item.Title, item.GroupName, item.Link = true, r.Title, r.GroupName, paths.Topic(r.TopicID)
		}
		out.Items = append(out.Items, item)
	}
	return out, nil
}

// OwnFollow is a topic the member follows, for their export.
type OwnFollow struct {
	TopicID   int64
	CreatedAt time.Time
}

// EachFollow calls fn with each topic the member follows, oldest first.
func (s *Reads) EachFollow(ctx context.Context, memberID int64, fn func(OwnFollow) error) error {
	err := eachRow(ctx, s.db, fn, `SELECT topic_id, created_at FROM topic_follows WHERE member_id = ? ORDER BY created_at, topic_id`, memberID)
	if err != nil {
		return fmt.Errorf("forum: unable to read follows: %w", err)
	}
	return nil
}

// followersOf returns who follows a topic, in one query whatever their number.
func followersOf(ctx context.Context, tx *gorm.DB, topicID int64) ([]int64, error) {
	var ids []int64
	if err := tx.WithContext(ctx).Raw(`SELECT member_id FROM topic_follows WHERE topic_id = ?`, topicID).Scan(&ids).Error; err != nil {
		return nil, fmt.Errorf("forum: unable to read followers: %w", err)
	}
	return ids, nil
}

// FollowSummary is what the forum holds about a member's follows and notifications' reading,
// for their privacy dashboard.
type FollowSummary struct {
	Topics        int   // topics they follow
	FollowReplied bool  // "Follow topics I reply to"
	SeenUpTo      int64 // the newest notification shown when they last opened the inbox; 0: never
}

// FollowSummaryOf reads a member's FollowSummary.
func (s *Reads) FollowSummaryOf(ctx context.Context, memberID int64) (FollowSummary, error) {
	var out struct {
		Topics, Optouts int
		SeenUpTo        int64
	}
	err := s.db.WithContext(ctx).Raw(`SELECT (SELECT COUNT(*) FROM topic_follows WHERE member_id = ?) AS topics,
		(SELECT COUNT(*) FROM reply_follow_optouts WHERE member_id = ?) AS optouts,
		COALESCE((SELECT notification_id FROM notifications_seen WHERE member_id = ?), 0) AS seen_up_to`,
		memberID, memberID, memberID).Scan(&out).Error
	if err != nil {
		return FollowSummary{}, fmt.Errorf("forum: unable to read follows: %w", err)
	}
	return FollowSummary{Topics: out.Topics, FollowReplied: out.Optouts == 0, SeenUpTo: out.SeenUpTo}, nil
}
