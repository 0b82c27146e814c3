package moderation

import (
	"cmp"
	"context"
	"fmt"
	"time"

	"github.com/haven-forum/haven/internal/accounts"
	"github.com/haven-forum/haven/internal/forum"
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

// pending is the condition for the items waiting for this viewer: in scope, and never an appeal
// of their own action.
func (s Scope) pending() (string, []any) {
	cond, args := s.where("q.group_id")
	cond += ` AND NOT (q.kind = 'appeal' AND EXISTS (SELECT 1 FROM moderation_log ol WHERE ol.id = q.appeal_log_id AND ol.actor_id = ?))`
	return cond, append(args, s.Viewer)
}

// Waiting counts the items waiting for the viewer, and how many of them are about someone at risk.
func (s *Service) Waiting(ctx context.Context, scope Scope) (total, atRisk int, err error) {
	if scope.empty() {
		return 0, 0, nil
	}
	cond, args := scope.pending()
	var row struct{ Total, AtRisk int }
	err = s.db.WithContext(ctx).Raw(`SELECT COUNT(*) AS total, COALESCE(SUM(CASE WHEN q.at_risk THEN 1 ELSE 0 END), 0) AS at_risk
		FROM queue_items q WHERE q.status = 'pending' AND `+cond, args...).Scan(&row).Error
	if err != nil {
		return 0, 0, fmt.Errorf("moderation: unable to count the queue: %w", err)
	}
	return row.Total, row.AtRisk, nil
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
	PostHTML             string // PostBody rendered
	PreviousBody         string // the post before it in the thread
	PreviousHTML         string // PreviousBody rendered
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
	total, _, err := s.Waiting(ctx, scope)
	if err != nil {
		return nil, 0, err
	}
	cond, args := scope.pending()
	var items []QueueItem
	err = s.db.WithContext(ctx).Raw(`SELECT q.id, q.kind, q.group_id, COALESCE(q.post_id, 0) AS post_id,
			COALESCE(q.member_id, 0) AS member_id, q.at_risk, q.report_count, q.detail, q.created_at,
			COALESCE(al.action, '') AS appeal_action, COALESCE(al.reason, '') AS appeal_reason
		FROM queue_items q LEFT JOIN moderation_log al ON al.id = q.appeal_log_id
		WHERE q.status = 'pending' AND `+cond+`
		ORDER BY q.at_risk DESC, q.id ASC LIMIT ? OFFSET ?`, append(args, QueuePerPage, (max(page, 1)-1)*QueuePerPage)...).Scan(&items).Error
	if err != nil {
		return nil, 0, fmt.Errorf("moderation: unable to list queue: %w", err)
	}
	if len(items) == 0 {
		return items, int(total), nil
	}
	if err := s.queueContext(ctx, items); err != nil {
		return nil, 0, err
	}
	ids := make([]int64, len(items))
	var members, groups []int64
	for i, it := range items {
		ids[i] = it.ID
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
		if err := s.logNames(ctx, past); err != nil {
			return nil, 0, err
		}
		for _, e := range past {
			if e.anonymous { // listed under its author, it would name them
				continue
			}
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

// queueContext fills in what the forum and accounts know about each item: its group, its post
// with the one before it, and its member's name.
func (s *Service) queueContext(ctx context.Context, items []QueueItem) error {
	var groupIDs, postIDs, memberIDs []int64
	for _, it := range items {
		groupIDs, postIDs, memberIDs = append(groupIDs, it.GroupID), append(postIDs, it.PostID), append(memberIDs, it.MemberID)
	}
	groups, err := forum.GroupRefs(ctx, s.db, groupIDs)
	if err != nil {
		return err
	}
	posts, err := forum.PostContexts(ctx, s.db, postIDs)
	if err != nil {
		return err
	}
	names, err := accounts.Usernames(ctx, s.db, memberIDs)
	if err != nil {
		return err
	}
	for i := range items {
		it := &items[i]
		it.GroupName, it.GroupSlug = groups[it.GroupID].Name, groups[it.GroupID].Slug
		p := posts[it.PostID]
		it.TopicID, it.TopicTitle, it.PostBody, it.PreviousBody = p.TopicID, p.TopicTitle, p.Body, p.PreviousBody
		it.PostHTML, it.PreviousHTML = p.BodyHTML, p.PreviousHTML
		it.PostAnonymous, it.PostHidden = p.Anonymous, p.Hidden
		if !it.PostAnonymous { // the moderator reveals deliberately, on the record
			it.MemberName = names[it.MemberID]
		}
	}
	return nil
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
	ActorID        int64
	GroupName      string
	Reason         string
	CreatedAt      time.Time
	anonymous      bool // its target is an anonymous post or topic: TargetMemberID must not show
}

const logSelect = `SELECT l.id, COALESCE(l.actor_id, 0) AS actor_id, l.action, l.target_kind, l.target_id,
		COALESCE(l.target_member_id, 0) AS target_member_id, COALESCE(l.group_id, 0) AS group_id, l.reason, l.created_at
	FROM moderation_log l`

// Names of members who deleted their account read "former member": the entry itself never changes.
func (s *Service) logNames(ctx context.Context, entries []LogEntry) error {
	var memberIDs, groupIDs, postIDs, topicIDs []int64
	for _, e := range entries {
		memberIDs = append(memberIDs, e.ActorID, e.TargetMemberID)
		groupIDs = append(groupIDs, e.GroupID)
		switch e.TargetKind {
		case "post":
			postIDs = append(postIDs, e.TargetID)
		case "topic":
			topicIDs = append(topicIDs, e.TargetID)
		}
	}
	names, err := accounts.Usernames(ctx, s.db, memberIDs)
	if err != nil {
		return err
	}
	groups, err := forum.GroupRefs(ctx, s.db, groupIDs)
	if err != nil {
		return err
	}
	anonPosts, err := forum.AnonymousPosts(ctx, s.db, postIDs)
	if err != nil {
		return err
	}
	anonTopics, err := forum.AnonymousTopics(ctx, s.db, topicIDs)
	if err != nil {
		return err
	}
	for i := range entries {
		e := &entries[i]
		e.ActorName = cmp.Or(names[e.ActorID], forum.FormerMember)
		e.anonymous = e.TargetKind == "post" && anonPosts[e.TargetID] || e.TargetKind == "topic" && anonTopics[e.TargetID]
		switch {
		case e.anonymous:
			e.TargetName = forum.AnonymousName
		case e.TargetMemberID != 0:
			e.TargetName = cmp.Or(names[e.TargetMemberID], forum.FormerMember)
		}
		e.GroupName = groups[e.GroupID].Name
	}
	return nil
}

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
	if err := s.logNames(ctx, out); err != nil {
		return nil, 0, err
	}
	return out, int(total), nil
}
