package forum

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/haven-forum/haven/internal/accounts"
	"github.com/haven-forum/haven/internal/apperr"
	"github.com/haven-forum/haven/internal/crisis"
	"github.com/haven-forum/haven/internal/markdown"
	"gorm.io/gorm"
)

type topicRow struct {
	ID             int64 `gorm:"primaryKey"`
	GroupID        int64
	AuthorID       *int64
	Anonymous      bool
	Title          string
	ContentWarning string
	Pinned         bool
	Locked         bool
	DeletedAt      *time.Time
	CreatedAt      time.Time
	LastPostAt     time.Time
	ReplyCount     int
	SubmitKey      *string
	// Kept on write by refreshTopics (counts.go).
	FirstHeld         bool
	VisiblePosts      int
	LastPostID        *int64
	LastPostAuthorID  *int64
	LastPostAnonymous bool
}

func (topicRow) TableName() string { return "topics" }

type postRow struct {
	ID             int64 `gorm:"primaryKey"`
	TopicID        int64
	AuthorID       *int64
	Anonymous      bool
	Body           string
	ContentWarning string
	QuoteOf        *int64
	CrisisConcern  bool
	CreatedAt      time.Time
	EditedAt       *time.Time
	DeletedAt      *time.Time
	SubmitKey      *string
	HiddenReason   *string
	Held           bool
	// BodyHTML is Body rendered by markdown.Render at BodyHTMLVersion (html.go).
	BodyHTML        string `gorm:"column:body_html"`
	BodyHTMLVersion int    `gorm:"column:body_html_version"`
}

func (postRow) TableName() string { return "posts" }

// ErrCrisisCheck means the text contains a crisis phrase: show the author the crisis resources
// privately and let them publish anyway. Nothing about it is stored.
var ErrCrisisCheck = errors.New("forum: crisis resources first")

// TopicSummary is a topic in a group's list.
type TopicSummary struct {
	ID             int64
	Title          string
	ContentWarning string
	Pinned         bool
	Locked         bool
	AuthorName     string
	ReplyCount     int
	LastPostAt     time.Time
	MutedAuthor    bool // the viewer muted its author: fold it
	// The last post anyone may see (0: none) and who wrote it: AnonymousName, FormerMember or a username.
	LastPostID     int64
	LastPosterName string
}

// PostInput is what a member writes: a new topic (with Title) or a reply.
type PostInput struct {
	Title          string
	Body           string
	ContentWarning string
	Anonymous      bool
	QuoteOf        int64
	SubmitKey      string // one per form: a resubmitted form never makes a second post
	CrisisAck      bool   // the author saw the crisis resources and chose to publish
}

func (in *PostInput) validate(withTitle bool) map[string]string {
	in.Title = strings.TrimSpace(in.Title)
	in.ContentWarning = strings.TrimSpace(in.ContentWarning)
	f := map[string]string{}
	if withTitle {
		if n := utf8.RuneCountInString(in.Title); n < TitleMin || n > TitleMax {
			f["title"] = fmt.Sprintf("A title is %d to %d characters long (this one is %d).", TitleMin, TitleMax, n)
		}
	}
	switch n := utf8.RuneCountInString(in.Body); {
	case strings.TrimSpace(in.Body) == "":
		f["body"] = "Write something before posting."
	case n > BodyMax:
		f["body"] = fmt.Sprintf("A post is at most %d characters long (this one is %d). Nothing was posted; your text is still here.", BodyMax, n)
	}
	if n := utf8.RuneCountInString(in.ContentWarning); n > WarningMax {
		f["content_warning"] = fmt.Sprintf("A content warning is at most %d characters long.", WarningMax)
	}
	if len(in.SubmitKey) > 64 {
		in.SubmitKey = in.SubmitKey[:64]
	}
	return f
}

// crisisCheck reports whether the author says they are at risk now; a mention, a loss or the
// past is not a concern for the queue.
func (s *Service) crisisCheck(ctx context.Context, in PostInput) (bool, error) {
	level, err := s.CrisisLevel(ctx, in)
	return level == crisis.AtRisk, err
}

// CrisisLevel reads a post as the crisis matcher does, with the site's own phrases.
func (s *Service) CrisisLevel(ctx context.Context, in PostInput) (crisis.Level, error) {
	phrases, err := s.settings.CrisisPhrases(ctx)
	if err != nil {
		return crisis.None, err
	}
	return crisis.Assess(in.Title+"\n"+in.Body, phrases), nil
}

// authorKey is how a form's submit key is stored: prefixed with its author, so that the unique
// column holds one key per author and key, and a key sent by one member can never stop, or point
// at, another member's post.
func authorKey(authorID int64, key string) string {
	if key == "" {
		return ""
	}
	return strconv.FormatInt(authorID, 10) + ":" + key
}

// storedOnce answers a post whose insert met its own submit key: the earlier copy, committed
// by a request that got there first, is the answer; finding none is an error, never id 0.
func storedOnce(id int64, found bool, err error) (int64, error) {
	if err == nil && !found {
		err = errors.New("forum: the submit key is taken but its post is not there")
	}
	return id, err
}

func keyOrNil(k string) *string {
	if k == "" {
		return nil
	}
	return &k
}

// MayStartTopic returns the refusal starting a topic in the group would meet now, or nil; it
// writes nothing (a preview asks it).
func (s *Groups) MayStartTopic(ctx context.Context, slug string) error {
	_, _, err := s.topicTarget(ctx, slug)
	return err
}

// topicTarget is the group a new topic goes in, once the viewer may post there.
func (s *Groups) topicTarget(ctx context.Context, slug string) (accounts.Viewer, groupRow, error) {
	v, err := requireSignedIn(ctx)
	if err != nil {
		return v, groupRow{}, err
	}
	g, a, err := s.groupAccess(ctx, slug)
	if err != nil {
		return v, g, err
	}
	return v, g, postAllowed(a)
}

// CreateTopic starts a topic in a group and returns its id.
func (s *Service) CreateTopic(ctx context.Context, slug string, in PostInput) (int64, error) {
	v, g, err := s.groups.topicTarget(ctx, slug)
	if err != nil {
		return 0, err
	}
	if f := in.validate(true); len(f) > 0 {
		return 0, apperr.Invalid(f)
	}
	if in.Anonymous && !g.AllowAnonymous {
		return 0, apperr.Invalid(map[string]string{"anonymous": "This group does not allow anonymous posts."})
	}
	if existing, ok, err := s.topicBySubmitKey(ctx, in.SubmitKey, v.ID); err != nil || ok {
		return existing, err
	}
	concern, err := s.crisisCheck(ctx, in)
	if err != nil {
		return 0, err
	}
	if concern && !in.CrisisAck {
		return 0, ErrCrisisCheck
	}
	now, html := s.now(), markdown.Render(in.Body)
	t := topicRow{GroupID: g.ID, AuthorID: &v.ID, Anonymous: in.Anonymous, Title: in.Title, ContentWarning: in.ContentWarning,
		CreatedAt: now, LastPostAt: now, SubmitKey: keyOrNil(authorKey(v.ID, in.SubmitKey))}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		d, err := s.checkPost(ctx, tx, GuardInput{GroupID: g.ID, AuthorID: v.ID, Title: in.Title, Body: in.Body, IsTopic: true})
		if err != nil {
			return err
		}
		if d.Block != "" {
			return apperr.Invalid(map[string]string{"body": d.Block})
		}
		if err := tx.Create(&t).Error; err != nil {
			return err
		}
		p := postRow{TopicID: t.ID, AuthorID: &v.ID, Anonymous: in.Anonymous, Body: in.Body, ContentWarning: in.ContentWarning,
			CrisisConcern: concern, CreatedAt: now, Held: d.Hold, BodyHTML: html, BodyHTMLVersion: markdown.Version}
		if err := tx.Create(&p).Error; err != nil {
			return err
		}
		if err := countNewTopic(ctx, tx, t.ID); err != nil {
			return err
		}
		// Starting a topic follows it, whatever "Follow topics I reply to" says: that is how its
		// author hears of replies, until they unfollow it or switch those notifications off.
		if err := follow(ctx, tx, v.ID, t.ID, now); err != nil {
			return fmt.Errorf("forum: unable to follow the topic: %w", err)
		}
		e := PostEvent{PostID: p.ID, TopicID: t.ID, GroupID: g.ID, AuthorID: v.ID, Anonymous: in.Anonymous, Body: in.Body}
		return s.published(ctx, tx, e, d, concern, now)
	})
	if errors.Is(err, gorm.ErrDuplicatedKey) { // the same form, sent twice at once
		return storedOnce(s.topicBySubmitKey(ctx, in.SubmitKey, v.ID))
	}
	if err != nil {
		return 0, fmt.Errorf("forum: unable to create topic: %w", err)
	}
	return t.ID, nil
}

func postAllowed(a access) error {
	switch {
	case a.canPost():
		return nil
	case !a.canRead():
		return errNotReadable
	case a.sanction.Message != "" && (a.sanction.Muted || a.sanction.Banned || a.sanction.Suspended):
		return a.sanction.Refusal()
	case a.archived():
		return apperr.New(apperr.EFORBIDDEN, "This group is archived: it can be read but no longer takes posts.")
	}
	return apperr.New(apperr.EFORBIDDEN, "Join this group to post in it.")
}

func (s *Service) topicBySubmitKey(ctx context.Context, key string, authorID int64) (int64, bool, error) {
	if key == "" {
		return 0, false, nil
	}
	var ids []int64
	err := s.db.WithContext(ctx).Raw(`SELECT id FROM topics WHERE submit_key = ? AND author_id = ?`, authorKey(authorID, key), authorID).Scan(&ids).Error
	if err != nil || len(ids) == 0 {
		return 0, false, err
	}
	return ids[0], true, nil
}

// published does what follows a new post in its transaction: the search index, the queue
// (a crisis phrase, a held post, a flagged word) and notifications. A held post is indexed and
// notified only once a moderator approves it.
func (s *Service) published(ctx context.Context, tx *gorm.DB, e PostEvent, d GuardDecision, concern bool, now time.Time) error {
	if concern {
		if err := s.mod.enqueue(ctx, tx, Queued{Kind: QueueConcern, GroupID: e.GroupID, PostID: e.PostID, AuthorID: e.AuthorID, At: now}); err != nil {
			return err
		}
	}
	if d.Flag != "" {
		if err := s.mod.enqueue(ctx, tx, Queued{Kind: QueueReport, GroupID: e.GroupID, PostID: e.PostID, AuthorID: e.AuthorID, Detail: d.Flag, At: now}); err != nil {
			return err
		}
	}
	if d.Hold {
		return s.mod.enqueue(ctx, tx, Queued{Kind: QueueHeld, GroupID: e.GroupID, PostID: e.PostID, AuthorID: e.AuthorID, At: now})
	}
	if err := indexPost(ctx, tx, e.PostID); err != nil {
		return err
	}
	return s.afterPost(ctx, tx, e)
}

func (s *Service) afterPost(ctx context.Context, tx *gorm.DB, e PostEvent) error {
	if s.notify == nil {
		return nil
	}
	return s.notify.PostCreated(ctx, tx, e)
}

// MayReply returns the refusal a reply to the topic would meet now, or nil; it writes nothing
// (a preview asks it).
func (s *Groups) MayReply(ctx context.Context, topicID int64) error {
	_, _, _, _, err := s.replyTarget(ctx, topicID)
	return err
}

// replyTarget is the topic a reply goes to, once the viewer may reply there.
func (s *Groups) replyTarget(ctx context.Context, topicID int64) (accounts.Viewer, topicRow, groupRow, access, error) {
	v, err := requireSignedIn(ctx)
	if err != nil {
		return v, topicRow{}, groupRow{}, access{}, err
	}
	t, g, a, err := s.topicAccess(ctx, topicID)
	if err == nil {
		err = postAllowed(a)
	}
	if err == nil && t.Locked && !a.canModerate() {
		err = apperr.New(apperr.EFORBIDDEN, "This topic is locked: it takes no new replies.")
	}
	return v, t, g, a, err
}

// Reply adds a post to a topic and returns the new post's id.
func (s *Service) Reply(ctx context.Context, topicID int64, in PostInput) (int64, error) {
	v, t, g, a, err := s.groups.replyTarget(ctx, topicID)
	if err != nil {
		return 0, err
	}
	if f := in.validate(false); len(f) > 0 {
		return 0, apperr.Invalid(f)
	}
	if in.Anonymous && !g.AllowAnonymous {
		return 0, apperr.Invalid(map[string]string{"anonymous": "This group does not allow anonymous posts."})
	}
	if id, ok, err := s.postBySubmitKey(ctx, in.SubmitKey, v.ID); err != nil || ok {
		return id, err
	}
	concern, err := s.crisisCheck(ctx, in)
	if err != nil {
		return 0, err
	}
	if concern && !in.CrisisAck {
		return 0, ErrCrisisCheck
	}
	var quoted postRow
	if in.QuoteOf != 0 {
		err := s.db.WithContext(ctx).Where("id = ? AND topic_id = ? AND deleted_at IS NULL AND hidden_reason IS NULL AND NOT held", in.QuoteOf, topicID).Take(&quoted).Error
		if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
			return 0, fmt.Errorf("forum: unable to find quoted post: %w", err)
		}
	}
	now := s.now()
	p := postRow{TopicID: topicID, AuthorID: &v.ID, Anonymous: in.Anonymous, Body: in.Body, ContentWarning: in.ContentWarning,
		CrisisConcern: concern, CreatedAt: now, SubmitKey: keyOrNil(authorKey(v.ID, in.SubmitKey)),
		BodyHTML: markdown.Render(in.Body), BodyHTMLVersion: markdown.Version}
	if quoted.ID != 0 {
		p.QuoteOf = &quoted.ID
	}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		// Written first: the topic row's lock makes a member's concurrent replies wait here, so
		// the slow-mode check below sees the reply that went before.
		if err := tx.Exec(`UPDATE topics SET reply_count = reply_count + 1, last_post_at = ? WHERE id = ?`, now, topicID).Error; err != nil {
			return err
		}
		if !a.canModerate() {
			wait, err := s.slowModeWait(ctx, tx, t, v.ID)
			if err != nil {
				return err
			}
			if wait > 0 {
				mins := int((wait + time.Minute - 1) / time.Minute)
				return apperr.Invalid(map[string]string{"body": fmt.Sprintf("This topic is in slow mode: you can reply again in %d minute(s). Your text is kept.", mins)})
			}
		}
		d, err := s.checkPost(ctx, tx, GuardInput{GroupID: g.ID, AuthorID: v.ID, Body: in.Body})
		if err != nil {
			return err
		}
		if d.Block != "" {
			return apperr.Invalid(map[string]string{"body": d.Block})
		}
		p.Held = d.Hold
		if err := tx.Create(&p).Error; err != nil {
			return err
		}
		if err := refreshTopics(ctx, tx, topicID); err != nil {
			return err
		}
		if err := followAfterPosting(ctx, tx, v.ID, topicID, now); err != nil {
			return err
		}
		e := PostEvent{PostID: p.ID, TopicID: topicID, GroupID: g.ID, AuthorID: v.ID, Anonymous: in.Anonymous, Body: in.Body}
		if t.AuthorID != nil {
			e.TopicAuthorID = *t.AuthorID
		}
		if quoted.AuthorID != nil {
			e.QuotedAuthorID = *quoted.AuthorID
		}
		return s.published(ctx, tx, e, d, concern, now)
	})
	if errors.Is(err, gorm.ErrDuplicatedKey) { // the same form, sent twice at once
		return storedOnce(s.postBySubmitKey(ctx, in.SubmitKey, v.ID))
	}
	if err != nil {
		return 0, fmt.Errorf("forum: unable to reply: %w", err)
	}
	return p.ID, nil
}

func (s *Service) postBySubmitKey(ctx context.Context, key string, authorID int64) (int64, bool, error) {
	if key == "" {
		return 0, false, nil
	}
	var ids []int64
	err := s.db.WithContext(ctx).Raw(`SELECT id FROM posts WHERE submit_key = ? AND author_id = ?`, authorKey(authorID, key), authorID).Scan(&ids).Error
	if err != nil || len(ids) == 0 {
		return 0, false, err
	}
	return ids[0], true, nil
}

// topicAccess loads a live topic, its group and the viewer's access, or the error to show.
func (s *Groups) topicAccess(ctx context.Context, topicID int64) (topicRow, groupRow, access, error) {
	r, a, err := s.readTopic(ctx, topicID, false)
	return r.T, r.G, a, err
}

// topicRead is a topic with its group and what the viewer is to both, read in one statement.
type topicRead struct {
	T          topicRow `gorm:"embedded"`
	G          groupRow `gorm:"embedded;embeddedPrefix:g_"`
	Role       *string  // the viewer's role in the group, if a member
	Pending    bool     // the viewer asked to join
	Sanctioned bool     // a sanction holds the viewer in the group (what it is, moderation says)
	Following  bool     // the viewer follows the topic (only when asked for)
}

// topicReadSQL reads a topic and its group (as g_ columns); the viewer's membership
// (membershipSQL) and following of the topic follow it in the same statement.
const topicReadSQL = `SELECT t.*, g.id AS g_id, g.slug AS g_slug, g.name AS g_name, g.description AS g_description,
		g.rules AS g_rules, g.visibility AS g_visibility, g.allow_anonymous AS g_allow_anonymous, g.archived_at AS g_archived_at,
		g.created_at AS g_created_at, g.rules_html AS g_rules_html, g.rules_html_version AS g_rules_html_version,
		g.topic_count AS g_topic_count, g.held_topic_count AS g_held_topic_count, g.post_count AS g_post_count,
		g.content_version AS g_content_version, `

// readTopic is topicAccess in one statement (what a sanction is, if one holds, aside), with whether
// the viewer follows the topic when following is asked for (the topic page shows it).
func (s *Groups) readTopic(ctx context.Context, topicID int64, following bool) (topicRead, access, error) {
	v, _ := viewer(ctx)
	follows := "0 AS following"
	cols, args := s.membershipSQL(v)
	if following {
		follows = "EXISTS (SELECT 1 FROM topic_follows f WHERE f.member_id = ? AND f.topic_id = t.id) AS following"
		args = append(args, v.ID)
	}
	var rows []topicRead
	err := s.db.WithContext(ctx).Raw(topicReadSQL+cols+", "+follows+`
		FROM topics t JOIN groups g ON g.id = t.group_id WHERE t.id = ? AND t.deleted_at IS NULL`, append(args, topicID)...).Scan(&rows).Error
	if err != nil {
		return topicRead{}, access{}, fmt.Errorf("forum: unable to find topic: %w", err)
	}
	if len(rows) == 0 {
		return topicRead{}, access{}, notThere(ctx)
	}
	r := rows[0]
	a, err := s.readableWith(ctx, s.db, r.G, membershipOf(r.Role, r.Pending, r.Sanctioned))
	if err != nil {
		return r, a, err
	}
	// A topic whose first post waits for approval exists only for its author (who wrote the
	// first post) and moderators.
	if !a.seesPost(postRow{Held: r.T.FirstHeld, AuthorID: r.T.AuthorID}) {
		return r, a, notThere(ctx)
	}
	return r, a, nil
}

// slowModeWait returns how long the viewer must still wait to reply in a slow-mode topic.
func (s *Service) slowModeWait(ctx context.Context, tx *gorm.DB, t topicRow, memberID int64) (time.Duration, error) {
	var seconds int
	if err := tx.WithContext(ctx).Raw(`SELECT slow_mode_seconds FROM topics WHERE id = ?`, t.ID).Scan(&seconds).Error; err != nil || seconds == 0 {
		return 0, err
	}
	var last []time.Time
	if err := tx.WithContext(ctx).Raw(`SELECT created_at FROM posts WHERE topic_id = ? AND author_id = ? ORDER BY id DESC LIMIT 1`, t.ID, memberID).Scan(&last).Error; err != nil || len(last) == 0 {
		return 0, err
	}
	wait := last[0].Add(time.Duration(seconds) * time.Second).Sub(s.now())
	return max(wait, 0), nil
}

// authorName is the one rule for showing who wrote something: anonymous posts name their
// author only to that author; a deleted account shows as a former member.
func authorName(a access, authorID *int64, anonymous bool, username *string) string {
	switch {
	case anonymous && authorID != nil && a.canSeeAnonymousAuthor(*authorID):
		return "you (anonymous to others)"
	case anonymous:
		return AnonymousName
	case authorID == nil || username == nil:
		return FormerMember
	}
	return *username
}
