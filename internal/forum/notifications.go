package forum

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/haven-forum/haven/internal/accounts"
	"github.com/haven-forum/haven/internal/apperr"
	"github.com/haven-forum/haven/internal/erasures"
	"github.com/haven-forum/haven/internal/markdown"
	"github.com/haven-forum/haven/internal/paths"
	"gorm.io/gorm"
)

// Kinds of notification, as stored.
const (
	NotifyReply        = "reply"
	NotifyQuote        = "quote"
	NotifyMention      = "mention"
	NotifyJoinAnswered = "join_answered"
	NotifyFollowed     = "followed_reply"
)

// Limits on notifications.
const (
	NotificationsPerPage = 30
	MentionsMax          = 10 // distinct @names looked up per post; the rest are ignored
)

// NotificationKind is a kind a member can switch off, with its label for the settings form.
type NotificationKind struct{ Key, Label string }

// NotificationKinds lists every kind in display order.
var NotificationKinds = []NotificationKind{
	{NotifyReply, "Someone replies to a topic I started"},
	{NotifyFollowed, "Someone replies in a topic I follow"},
	{NotifyQuote, "Someone quotes one of my posts"},
	{NotifyMention, "Someone mentions me with @username"},
	{NotifyJoinAnswered, "A moderator answers my request to join a group"},
}

// postKindPriority: a member hears once about a post, under its most specific kind they have
// not switched off (quoted in a reply to your topic → "quote"; if quotes are off, "reply").
// A topic's author hears of its replies while they follow it (starting a topic follows it).
var postKindPriority = []string{NotifyQuote, NotifyMention, NotifyReply, NotifyFollowed}

// Inbox keeps members' in-app notifications. Nothing is ever sent outside Haven. What a member
// read is kept as one number, the newest notification shown when they last opened their
// inbox (notifications_seen): no time, nothing per notification, nothing anyone else sees.
type Inbox struct {
	db  *gorm.DB
	now func() time.Time
}

// NewInbox returns the notifications store on db.
func NewInbox(db *gorm.DB) *Inbox {
	return &Inbox{db: db, now: func() time.Time { return time.Now().UTC() }}
}

type notificationRow struct {
	ID        int64 `gorm:"primaryKey"`
	MemberID  int64
	Kind      string
	ActorID   *int64 // NULL for an anonymous post and for join answers: never stored, never leaked
	GroupID   *int64
	TopicID   *int64
	PostID    *int64
	Detail    string
	CreatedAt time.Time
}

func (notificationRow) TableName() string { return "notifications" }

// PostCreated is told of every new post, inside the transaction that writes it. Its queries
// do not grow with the number of recipients: followers, settings, mutes and access are each
// read once for all of them, and the rows are written in batches.
func (n *Inbox) PostCreated(ctx context.Context, tx *gorm.DB, e PostEvent) error {
	reasons := map[int64][]string{} // recipient → the kinds that apply to them
	add := func(id int64, kind string) {
		if id != 0 && id != e.AuthorID && !slices.Contains(reasons[id], kind) {
			reasons[id] = append(reasons[id], kind)
		}
	}
	add(e.QuotedAuthorID, NotifyQuote)
	mentioned, err := membersNamed(ctx, tx, Mentions(e.Body))
	if err != nil {
		return err
	}
	for _, id := range mentioned {
		add(id, NotifyMention)
	}
	followers, err := followersOf(ctx, tx, e.TopicID)
	if err != nil {
		return err
	}
	for _, id := range followers {
		// The topic's author hears of replies as its author, while they follow it: never
		// twice, and not as a follower once they switched replies to their topics off.
		if id == e.TopicAuthorID {
			add(id, NotifyReply)
		} else {
			add(id, NotifyFollowed)
		}
	}
	if len(reasons) == 0 {
		return nil
	}
	ids := make([]int64, 0, len(reasons))
	for id := range reasons {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	optouts, err := optOuts(ctx, tx, ids)
	if err != nil {
		return err
	}
	muters, err := mutersOf(ctx, tx, e, ids)
	if err != nil {
		return err
	}
	// Someone who can no longer read the group (left it, or it became private) hears nothing.
	readers, err := membersCanRead(ctx, tx, e.GroupID, ids)
	if err != nil {
		return fmt.Errorf("forum: unable to check recipients: %w", err)
	}
	var actor *int64
	if !e.Anonymous {
		actor = &e.AuthorID
	}
	now := n.now()
	var rows []notificationRow
	for _, id := range ids {
		kind := firstWanted(reasons[id], optouts[id])
		if kind == "" || muters[id] || !readers[id] {
			continue
		}
		rows = append(rows, notificationRow{MemberID: id, Kind: kind, ActorID: actor, GroupID: &e.GroupID, TopicID: &e.TopicID,
			PostID: &e.PostID, CreatedAt: now})
	}
	if len(rows) == 0 {
		return nil
	}
	if err := tx.WithContext(ctx).CreateInBatches(rows, notifyBatch).Error; err != nil {
		return fmt.Errorf("forum: unable to notify: %w", err)
	}
	return nil
}

// notifyBatch rows a statement: 9 values each stays far below SQLite's 32766 parameters.
const notifyBatch = 500

// firstWanted returns the most specific of kinds that the member has not switched off, or "".
func firstWanted(kinds []string, off map[string]bool) string {
	for _, k := range postKindPriority {
		if slices.Contains(kinds, k) && !off[k] {
			return k
		}
	}
	return ""
}

// JoinAnswered tells a member their join request was answered. Which moderator answered is
// not stored.
func (n *Inbox) JoinAnswered(ctx context.Context, tx *gorm.DB, memberID, groupID int64, approved bool) error {
	optouts, err := optOuts(ctx, tx, []int64{memberID})
	if err != nil || optouts[memberID][NotifyJoinAnswered] {
		return err
	}
	detail := "declined"
	if approved {
		detail = "approved"
	}
	row := notificationRow{MemberID: memberID, Kind: NotifyJoinAnswered, GroupID: &groupID, Detail: detail, CreatedAt: n.now()}
	if err := tx.WithContext(ctx).Create(&row).Error; err != nil {
		return fmt.Errorf("forum: unable to notify: %w", err)
	}
	return nil
}

func optOuts(ctx context.Context, tx *gorm.DB, memberIDs []int64) (map[int64]map[string]bool, error) {
	var rows []struct {
		MemberID int64
		Kind     string
	}
	err := tx.WithContext(ctx).Raw(`SELECT member_id, kind FROM notification_optouts WHERE member_id IN ?`, memberIDs).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("forum: unable to read notification settings: %w", err)
	}
	out := map[int64]map[string]bool{}
	for _, r := range rows {
		if out[r.MemberID] == nil {
			out[r.MemberID] = map[string]bool{}
		}
		out[r.MemberID][r.Kind] = true
	}
	return out, nil
}

// mutersOf returns the recipients who muted the author. An anonymous post is never held back
// for a mute: that would hint at who wrote it.
func mutersOf(ctx context.Context, tx *gorm.DB, e PostEvent, memberIDs []int64) (map[int64]bool, error) {
	out := map[int64]bool{}
	if e.Anonymous {
		return out, nil
	}
	var ids []int64
	err := tx.WithContext(ctx).Raw(`SELECT member_id FROM member_mutes WHERE muted_id = ? AND member_id IN ?`, e.AuthorID, memberIDs).Scan(&ids).Error
	if err != nil {
		return nil, fmt.Errorf("forum: unable to read mutes: %w", err)
	}
	for _, id := range ids {
		out[id] = true
	}
	return out, nil
}

func membersNamed(ctx context.Context, tx *gorm.DB, keys []string) ([]int64, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	return accounts.IDsByUsernameKey(ctx, tx, keys)
}

// Mentions returns the distinct @usernames in a post's Markdown, lowercased, at most
// MentionsMax. Code, quoted text (someone else's words) and e-mail-like text do not count.
func Mentions(body string) []string {
	plain := markdown.Prose(body)
	var out []string
	for _, m := range markdown.FindMentions(plain) {
		name := strings.ToLower(plain[m[0]:m[1]])
		if slices.Contains(out, name) {
			continue
		}
		if out = append(out, name); len(out) == MentionsMax {
			break
		}
	}
	return out
}

// Notification is one item in the viewer's inbox, ready to show.
type Notification struct {
	ID          int64
	Kind        string
	Text        string // a plain sentence: "quiet_river replied to your topic “Sleepless again”"
	GroupName   string
	Link        string // /p/ID for posts, /g/SLUG for join answers
	PostDeleted bool   // its author deleted the post since
	Unread      bool   // newer than what the viewer saw when they last opened the inbox
	CreatedAt   time.Time
}

// NotificationPage is one page of the viewer's inbox, newest first.
type NotificationPage struct {
	Items       []Notification
	Page, Pages int
	Newest      int64 // the newest notification the viewer may see: MarkSeen's argument
}

// inboxQuery keeps what the viewer may still see: join answers, and post notifications from
// groups they can read now (not after leaving a private group), of live topics whose content
// warning they have not hidden, and not from members they have muted since.
// The readable groups are "?", a list of ids, or a subquery (inboxWhere).
const inboxQuery = ` FROM notifications n
	JOIN groups g ON g.id = n.group_id
	LEFT JOIN topics t ON t.id = n.topic_id
	LEFT JOIN posts p ON p.id = n.post_id` + inboxWhere

const inboxWhere = `
	WHERE n.member_id = ? AND (n.kind = 'join_answered' OR (n.group_id IN (READABLE) AND t.deleted_at IS NULL
		AND NOT EXISTS (SELECT 1 FROM member_mutes mm WHERE mm.member_id = n.member_id AND mm.muted_id = n.actor_id)
		AND NOT EXISTS (SELECT 1 FROM hidden_warnings h WHERE h.member_id = n.member_id AND t.content_warning <> ''
			AND LOWER(t.content_warning) LIKE '%' || h.term || '%')))`

// List returns page (from 1) of the viewer's notifications, newest first.
func (n *Inbox) List(ctx context.Context, page int) (NotificationPage, error) {
	v, err := requireSignedIn(ctx)
	if err != nil {
		return NotificationPage{}, err
	}
	readable, err := n.readableGroups(ctx, v.ID)
	if err != nil {
		return NotificationPage{}, err
	}
	db := n.db.WithContext(ctx)
	seen, err := seenUpTo(ctx, n.db, v.ID)
	if err != nil {
		return NotificationPage{}, err
	}
	var total struct {
		N      int64
		Newest int64
	}
	if err := db.Raw(`SELECT COUNT(*) AS n, COALESCE(MAX(n.id), 0) AS newest`+listQuery, v.ID, readable).Scan(&total).Error; err != nil {
		return NotificationPage{}, fmt.Errorf("forum: unable to count notifications: %w", err)
	}
	out := NotificationPage{Pages: max(1, int((total.N+NotificationsPerPage-1)/NotificationsPerPage)), Newest: total.Newest}
	out.Page = clampPage(page, out.Pages)
	var rows []struct {
		N             notificationRow `gorm:"embedded"`
		Anonymous     bool
		PostDeletedAt *time.Time
		TopicTitle    string
		GroupName     string
		GroupSlug     string
	}
	err = db.Raw(`SELECT n.*, COALESCE(p.anonymous, FALSE) AS anonymous,
			p.deleted_at AS post_deleted_at, COALESCE(t.title, '') AS topic_title, g.name AS group_name, g.slug AS group_slug`+
		listQuery+` ORDER BY n.id DESC LIMIT ? OFFSET ?`, v.ID, readable, NotificationsPerPage, (out.Page-1)*NotificationsPerPage).Scan(&rows).Error
	if err != nil {
		return out, fmt.Errorf("forum: unable to list notifications: %w", err)
	}
	actors := make([]int64, len(rows))
	for i, r := range rows {
		actors[i] = deref0(r.N.ActorID)
	}
	who, err := usernames(ctx, n.db, actors)
	if err != nil {
		return out, err
	}
	for _, r := range rows {
		item := Notification{ID: r.N.ID, Kind: r.N.Kind, GroupName: r.GroupName, CreatedAt: r.N.CreatedAt, Unread: r.N.ID > seen}
		if r.N.Kind == NotifyJoinAnswered {
			item.Text = fmt.Sprintf("Your request to join %s was %s", r.GroupName, r.N.Detail)
			item.Link = paths.Group(r.GroupSlug)
		} else {
			item.Text = postSentence(r.N.Kind, actorName(r.Anonymous, who.of(r.N.ActorID)), r.TopicTitle)
			item.Link = paths.Post(*r.N.PostID)
			item.PostDeleted = r.PostDeletedAt != nil
		}
		out.Items = append(out.Items, item)
	}
	return out, nil
}

// listQuery is inboxQuery with the readable groups as a list of ids.
var listQuery = strings.Replace(inboxQuery, "READABLE", "?", 1)

// Header is what the page header shows a signed-in member from the forum's tables.
type Header struct {
	Unread    int     // notifications newer than the last time they opened the inbox
	Moderates []int64 // the groups they moderate: the scope of the header's queue link
}

// Header counts the viewer's unread notifications, among those the inbox would show them, and
// lists the groups they moderate: one statement, since every signed-in page shows both.
func (n *Inbox) Header(ctx context.Context) (Header, error) {
	v, err := requireSignedIn(ctx)
	if err != nil {
		return Header{}, err
	}
	readable, args := readableGroupsSQL(v)
	unread := `SELECT COUNT(*)` + strings.Replace(inboxQuery, "READABLE", readable, 1) + ` AND n.id > COALESCE((SELECT s.notification_id FROM notifications_seen s WHERE s.member_id = ?), 0)`
	args = append(append([]any{v.ID}, args...), v.ID, v.ID, RoleModerator)
	// One row per moderated group (one with no group for everyone else), each with the count.
	rows, err := n.db.WithContext(ctx).Raw(`SELECT (`+unread+`) AS unread, gm.group_id
		FROM (SELECT 1 AS one) h LEFT JOIN group_members gm ON gm.member_id = ? AND gm.role = ?`, args...).Rows()
	if err != nil {
		return Header{}, fmt.Errorf("forum: unable to read the header: %w", err)
	}
	defer rows.Close()
	var out Header
	for rows.Next() {
		var group *int64
		if err := rows.Scan(&out.Unread, &group); err != nil {
			return Header{}, fmt.Errorf("forum: unable to read the header: %w", err)
		}
		if group != nil {
			out.Moderates = append(out.Moderates, *group)
		}
	}
	if err := rows.Err(); err != nil {
		return Header{}, fmt.Errorf("forum: unable to read the header: %w", err)
	}
	return out, nil
}

// MarkSeen records that the viewer has seen their notifications up to id (NotificationPage's
// Newest). It never moves back, so an older page opened late does not unread newer ones.
func (n *Inbox) MarkSeen(ctx context.Context, id int64) error {
	v, err := requireSignedIn(ctx)
	if err != nil || id <= 0 {
		return err
	}
	err = n.db.WithContext(ctx).Exec(`INSERT INTO notifications_seen (member_id, notification_id) VALUES (?, ?)
		ON CONFLICT (member_id) DO UPDATE SET notification_id = excluded.notification_id
		WHERE notifications_seen.notification_id < excluded.notification_id`, v.ID, id).Error
	if err != nil {
		return fmt.Errorf("forum: unable to mark notifications read: %w", err)
	}
	return nil
}

func seenUpTo(ctx context.Context, db *gorm.DB, memberID int64) (int64, error) {
	var ids []int64
	if err := db.WithContext(ctx).Raw(`SELECT notification_id FROM notifications_seen WHERE member_id = ?`, memberID).Scan(&ids).Error; err != nil {
		return 0, fmt.Errorf("forum: unable to read which notifications were seen: %w", err)
	}
	if len(ids) == 0 {
		return 0, nil
	}
	return ids[0], nil
}

// readableGroups asks access.go about each group the viewer has post notifications from.
func (n *Inbox) readableGroups(ctx context.Context, memberID int64) ([]int64, error) {
	var groupIDs []int64
	err := n.db.WithContext(ctx).Raw(`SELECT DISTINCT group_id FROM notifications WHERE member_id = ? AND kind <> ? AND group_id IS NOT NULL`,
		memberID, NotifyJoinAnswered).Scan(&groupIDs).Error
	if err != nil {
		return nil, fmt.Errorf("forum: unable to list notifications: %w", err)
	}
	readable := []int64{}
	for _, id := range groupIDs {
		ok, err := memberCanRead(ctx, n.db, id, memberID)
		if err != nil {
			return nil, fmt.Errorf("forum: unable to check access: %w", err)
		}
		if ok {
			readable = append(readable, id)
		}
	}
	return readable, nil
}

// actorName follows authorName's rule for someone else's post: the actor of an anonymous post
// is never named, and an account deleted since shows as a former member.
func actorName(anonymous bool, username *string) string {
	switch {
	case anonymous:
		return AnonymousName
	case username == nil:
		return "A " + FormerMember
	}
	return *username
}

func postSentence(kind, actor, title string) string {
	switch kind {
	case NotifyReply:
		return fmt.Sprintf("%s replied to your topic “%s”", actor, title)
	case NotifyQuote:
		return fmt.Sprintf("%s quoted you in “%s”", actor, title)
	case NotifyFollowed:
		return fmt.Sprintf("%s replied in “%s”, a topic you follow", actor, title)
	}
	return fmt.Sprintf("%s mentioned you in “%s”", actor, title)
}

// Settings returns, for each kind, whether the viewer wants to hear of it.
func (n *Inbox) Settings(ctx context.Context) (map[string]bool, error) {
	v, err := requireSignedIn(ctx)
	if err != nil {
		return nil, err
	}
	off, err := optOuts(ctx, n.db, []int64{v.ID})
	if err != nil {
		return nil, err
	}
	out := make(map[string]bool, len(NotificationKinds))
	for _, k := range NotificationKinds {
		out[k.Key] = !off[v.ID][k.Key]
	}
	return out, nil
}

// SetEnabled switches one kind on or off for the viewer.
func (n *Inbox) SetEnabled(ctx context.Context, kind string, on bool) error {
	return n.SaveSettings(ctx, map[string]bool{kind: on})
}

// SaveSettings switches several kinds (kind → on) at once, in one transaction.
func (n *Inbox) SaveSettings(ctx context.Context, kinds map[string]bool) error {
	v, err := requireSignedIn(ctx)
	if err != nil {
		return err
	}
	for k := range kinds {
		if !slices.ContainsFunc(NotificationKinds, func(nk NotificationKind) bool { return nk.Key == k }) {
			return apperr.New(apperr.EINVALID, "That is not a kind of notification Haven knows.")
		}
	}
	err = n.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		for k, on := range kinds {
			q := `INSERT INTO notification_optouts (member_id, kind) VALUES (?, ?) ON CONFLICT (member_id, kind) DO NOTHING`
			if on {
				q = `DELETE FROM notification_optouts WHERE member_id = ? AND kind = ?`
			}
			if err := tx.Exec(q, v.ID, k).Error; err != nil {
				return err
			}
		}
		off, err := optOuts(ctx, tx, []int64{v.ID})
		if err != nil {
			return err
		}
		kinds := slices.Sorted(maps.Keys(off[v.ID]))
		return erasures.RecordDetail(ctx, tx, erasures.NotificationSettings, v.ID, 0, strings.Join(kinds, ","))
	})
	if err != nil {
		return fmt.Errorf("forum: unable to save notification settings: %w", err)
	}
	return nil
}

// Clear deletes all of the viewer's notifications.
func (n *Inbox) Clear(ctx context.Context) error {
	v, err := requireSignedIn(ctx)
	if err != nil {
		return err
	}
	err = n.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec(`DELETE FROM notifications WHERE member_id = ?`, v.ID).Error; err != nil {
			return err
		}
		return erasures.Record(ctx, tx, erasures.NotificationsCleared, v.ID, 0)
	})
	if err != nil {
		return fmt.Errorf("forum: unable to clear notifications: %w", err)
	}
	return nil
}
