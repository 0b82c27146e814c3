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
	{NotifyQuote, "Someone quotes one of my posts"},
	{NotifyMention, "Someone mentions me with @username"},
	{NotifyJoinAnswered, "A moderator answers my request to join a group"},
}

// postKindPriority: a member hears once about a post, under its most specific kind they have
// not switched off (quoted in a reply to your topic → "quote"; if quotes are off, "reply").
var postKindPriority = []string{NotifyQuote, NotifyMention, NotifyReply}

// Inbox keeps members' in-app notifications. Nothing is ever sent outside Haven, and nothing
// about reading them is recorded: there are no read receipts, only "clear all".
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

// PostCreated is told of every new post, inside the transaction that writes it.
func (n *Inbox) PostCreated(ctx context.Context, tx *gorm.DB, e PostEvent) error {
	reasons := map[int64][]string{} // recipient → the kinds that apply to them
	add := func(id int64, kind string) {
		if id != 0 && id != e.AuthorID && !slices.Contains(reasons[id], kind) {
			reasons[id] = append(reasons[id], kind)
		}
	}
	add(e.QuotedAuthorID, NotifyQuote)
	add(e.TopicAuthorID, NotifyReply)
	mentioned, err := membersNamed(ctx, tx, Mentions(e.Body))
	if err != nil {
		return err
	}
	for _, id := range mentioned {
		add(id, NotifyMention)
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
	var actor *int64
	if !e.Anonymous {
		actor = &e.AuthorID
	}
	now := n.now()
	for _, id := range ids {
		kind := firstWanted(reasons[id], optouts[id])
		if kind == "" || muters[id] {
			continue
		}
		ok, err := memberCanRead(ctx, tx, e.GroupID, id)
		if err != nil {
			return fmt.Errorf("forum: unable to check a recipient: %w", err)
		}
		if !ok {
			continue
		}
		row := notificationRow{MemberID: id, Kind: kind, ActorID: actor, GroupID: &e.GroupID, TopicID: &e.TopicID,
			PostID: &e.PostID, CreatedAt: now}
		if err := tx.WithContext(ctx).Create(&row).Error; err != nil {
			return fmt.Errorf("forum: unable to notify: %w", err)
		}
	}
	return nil
}

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
	CreatedAt   time.Time
}

// NotificationPage is one page of the viewer's inbox, newest first.
type NotificationPage struct {
	Items       []Notification
	Page, Pages int
}

// inboxQuery keeps what the viewer may still see: join answers, and post notifications from
// groups they can read now (not after leaving a private group), of live topics whose content
// warning they have not hidden, and not from members they have muted since.
const inboxQuery = ` FROM notifications n
	JOIN groups g ON g.id = n.group_id
	LEFT JOIN topics t ON t.id = n.topic_id
	LEFT JOIN posts p ON p.id = n.post_id
	WHERE n.member_id = ? AND (n.kind = 'join_answered' OR (n.group_id IN ? AND t.deleted_at IS NULL
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
	var total int64
	if err := db.Raw(`SELECT COUNT(*)`+inboxQuery, v.ID, readable).Scan(&total).Error; err != nil {
		return NotificationPage{}, fmt.Errorf("forum: unable to count notifications: %w", err)
	}
	out := NotificationPage{Pages: max(1, int((total+NotificationsPerPage-1)/NotificationsPerPage))}
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
		inboxQuery+` ORDER BY n.id DESC LIMIT ? OFFSET ?`, v.ID, readable, NotificationsPerPage, (out.Page-1)*NotificationsPerPage).Scan(&rows).Error
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
		item := Notification{ID: r.N.ID, Kind: r.N.Kind, GroupName: r.GroupName, CreatedAt: r.N.CreatedAt}
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
