package moderation

import (
	"context"
	"fmt"
	"time"
)

// Scope is the groups a viewer moderates; All for site admins.
type Scope struct {
	All      bool
	GroupIDs []int64
	Viewer   int64 // the moderator looking: appeals of their own actions go to someone else
}

func (s Scope) empty() bool { return !s.All && len(s.GroupIDs) == 0 }

func (s Scope) where(col string) (string, []any) {
	if s.All {
		return "1 = 1", nil
	}
	return col + " IN ?", []any{s.GroupIDs}
}

// QueueItem is one pending item with the context a moderator needs.
type QueueItem struct {
	ID                   int64
	Kind                 string
	GroupID              int64
	GroupName, GroupSlug string
	PostID, TopicID      int64
	TopicTitle           string
	PostBody             string // Markdown
	PreviousBody         string // the post before it in the thread
	PostAnonymous        bool
	PostHidden           bool
	MemberID             int64
	MemberName           string // "" for anonymous posts: revealing is a separate, logged action
	AtRisk               bool
	ReportCount          int
	Detail               string // an appeal's text
	AppealAction         string // for appeals: the action appealed, and its reason
	AppealReason         string
	CreatedAt            time.Time
	Reports              []ReportSummary `gorm:"-"` // reasons and notes, never who reported
	History              []LogEntry      `gorm:"-"` // earlier actions on this member in this group
}

// ReportSummary is one report without its reporter.
type ReportSummary struct{ Reason, Details string }

// QueuePerPage is the length of a queue page.
const QueuePerPage = 25

// Queue lists pending items in scope: at-risk first, then oldest first. It runs a fixed number
// of queries however long the queue is.
func (s *Service) Queue(ctx context.Context, scope Scope, page int) ([]QueueItem, int, error) {
	if scope.empty() {
		return nil, 0, nil
	}
	cond, args := scope.where("q.group_id")
	cond += ` AND NOT (q.kind = 'appeal' AND EXISTS (SELECT 1 FROM moderation_log ol WHERE ol.id = q.appeal_log_id AND ol.actor_id = ?))`
	args = append(args, scope.Viewer)
	var total int64
	if err := s.db.WithContext(ctx).Raw(`SELECT COUNT(*) FROM queue_items q WHERE q.status = 'pending' AND `+cond, args...).Scan(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("moderation: unable to count queue: %w", err)
	}
	var items []QueueItem
	err := s.db.WithContext(ctx).Raw(`SELECT q.id, q.kind, q.group_id, g.name AS group_name, g.slug AS group_slug,
			COALESCE(q.post_id, 0) AS post_id, COALESCE(p.topic_id, 0) AS topic_id, COALESCE(t.title, '') AS topic_title,
			COALESCE(p.body, '') AS post_body, COALESCE(p.anonymous, FALSE) AS post_anonymous,
			(p.hidden_reason IS NOT NULL) AS post_hidden,
			COALESCE((SELECT pp.body FROM posts pp WHERE pp.topic_id = p.topic_id AND pp.id < p.id ORDER BY pp.id DESC LIMIT 1), '') AS previous_body,
			COALESCE(q.member_id, 0) AS member_id, COALESCE(m.username, '') AS member_name,
			q.at_risk, q.report_count, q.detail, q.created_at,
			COALESCE(al.action, '') AS appeal_action, COALESCE(al.reason, '') AS appeal_reason
		FROM queue_items q JOIN groups g ON g.id = q.group_id
		LEFT JOIN moderation_log al ON al.id = q.appeal_log_id
		LEFT JOIN posts p ON p.id = q.post_id LEFT JOIN topics t ON t.id = p.topic_id
		LEFT JOIN members m ON m.id = q.member_id
		WHERE q.status = 'pending' AND `+cond+`
		ORDER BY q.at_risk DESC, q.id ASC LIMIT ? OFFSET ?`, append(args, QueuePerPage, (max(page, 1)-1)*QueuePerPage)...).Scan(&items).Error
	if err != nil {
		return nil, 0, fmt.Errorf("moderation: unable to list queue: %w", err)
	}
	if len(items) == 0 {
		return items, int(total), nil
	}
	ids := make([]int64, len(items))
	var members, groups []int64
	for i, it := range items {
		ids[i] = it.ID
		if it.PostAnonymous {
			items[i].MemberName = "" // the moderator reveals deliberately, on the record
		}
		if it.MemberID != 0 {
			members = append(members, it.MemberID)
			groups = append(groups, it.GroupID)
		}
	}
	var reports []struct {
		ItemID          int64
		Reason, Details string
	}
	if err := s.db.WithContext(ctx).Raw(`SELECT item_id, reason, details FROM reports WHERE item_id IN ? ORDER BY id`, ids).Scan(&reports).Error; err != nil {
		return nil, 0, fmt.Errorf("moderation: unable to read reports: %w", err)
	}
	byItem := map[int64][]ReportSummary{}
	for _, r := range reports {
		byItem[r.ItemID] = append(byItem[r.ItemID], ReportSummary{Reason: r.Reason, Details: r.Details})
	}
	history := map[[2]int64][]LogEntry{}
	if len(members) > 0 {
		var past []LogEntry
		if err := s.db.WithContext(ctx).Raw(logSelect+` WHERE l.target_member_id IN ? AND l.group_id IN ? ORDER BY l.id DESC`, members, groups).Scan(&past).Error; err != nil {
			return nil, 0, fmt.Errorf("moderation: unable to read history: %w", err)
		}
		for _, e := range past {
			k := [2]int64{e.TargetMemberID, e.GroupID}
			history[k] = append(history[k], e)
		}
	}
	for i := range items {
		items[i].Reports = byItem[items[i].ID]
		if !items[i].PostAnonymous {
			items[i].History = history[[2]int64{items[i].MemberID, items[i].GroupID}]
		}
	}
	return items, int(total), nil
}

// LogEntry is one line of the moderation log.
type LogEntry struct {
	ID             int64
	ActorName      string
	Action         string
	TargetKind     string
	TargetID       int64
	TargetMemberID int64
	TargetName     string
	GroupID        int64
	GroupName      string
	Reason         string
	CreatedAt      time.Time
}

// Names of members who deleted their account read "former member": the entry itself never changes.
const logSelect = `SELECT l.id, COALESCE(a.username, 'former member') AS actor_name, l.action, l.target_kind, l.target_id,
		COALESCE(l.target_member_id, 0) AS target_member_id,
		CASE WHEN tp.anonymous THEN 'Anonymous member'
			ELSE COALESCE(tm.username, CASE WHEN l.target_member_id IS NULL THEN '' ELSE 'former member' END) END AS target_name,
		COALESCE(l.group_id, 0) AS group_id, COALESCE(g.name, '') AS group_name, l.reason, l.created_at
	FROM moderation_log l LEFT JOIN members a ON a.id = l.actor_id LEFT JOIN members tm ON tm.id = l.target_member_id
	LEFT JOIN groups g ON g.id = l.group_id
	LEFT JOIN posts tp ON l.target_kind = 'post' AND tp.id = l.target_id`

// LogPerPage is the length of a log page.
const LogPerPage = 50

// Log lists entries in scope, newest first.
func (s *Service) Log(ctx context.Context, scope Scope, page int) ([]LogEntry, int, error) {
	if scope.empty() {
		return nil, 0, nil
	}
	cond, args := scope.where("l.group_id")
	var total int64
	if err := s.db.WithContext(ctx).Raw(`SELECT COUNT(*) FROM moderation_log l WHERE `+cond, args...).Scan(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("moderation: unable to count log: %w", err)
	}
	var out []LogEntry
	err := s.db.WithContext(ctx).Raw(logSelect+` WHERE `+cond+` ORDER BY l.id DESC LIMIT ? OFFSET ?`,
		append(args, LogPerPage, (max(page, 1)-1)*LogPerPage)...).Scan(&out).Error
	if err != nil {
		return nil, 0, fmt.Errorf("moderation: unable to read log: %w", err)
	}
	return out, int(total), nil
}
