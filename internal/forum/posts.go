package forum

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/haven-forum/haven/internal/accounts"
	"github.com/haven-forum/haven/internal/apperr"
	"github.com/haven-forum/haven/internal/database"
	"github.com/haven-forum/haven/internal/erasures"
	"github.com/haven-forum/haven/internal/markdown"
	"gorm.io/gorm"
)

// Topic is a topic's header.
type Topic struct {
	ID             int64
	Title          string
	ContentWarning string
	Pinned, Locked bool
	ReplyCount     int
	CreatedAt      time.Time
}

// Post is one post as the viewer may see it.
type Post struct {
	ID             int64
	Number         int // 1 for the topic's first post
	AuthorName     string
	ByViewer       bool
	Anonymous      bool
	BodyHTML       string
	Body           string // the Markdown, for the author's edit form
	ContentWarning string
	CreatedAt      time.Time
	Edited         bool
	Deleted        bool
	CanEdit        bool
	MutedAuthor    bool   // fold it: the viewer muted its author
	CrisisConcern  bool   // shown to moderators only
	Hidden         bool   // hidden (or deleted) by moderators
	HiddenReason   string // why: for its author and moderators only, as the hide form promises
	Held           bool   // waiting for a moderator's approval: only its author and moderators see it
	BodyWithheld   bool   // hidden, and the viewer is neither its author nor a moderator
	Reactions      []ReactionCount
	Bookmarked     bool // by the viewer
}

// ReactionCount is how many reacted with a kind, and whether the viewer did.
type ReactionCount struct {
	Kind, Label string
	Count       int
	Mine        bool
}

// TopicPage is a topic with one page of its posts.
type TopicPage struct {
	Topic     Topic
	Group     Group
	Abilities Abilities
	Posts     []Post
	Page      int
	Pages     int
	Following bool  // the viewer follows the topic
	version   int64 // the group's content version when the page was read (cache.go)
}

// TopicPage returns page (from 1) of a topic's posts, 50 a page, in a fixed number of
// statements whatever the page holds: the topic with its group and the viewer's membership and
// follow, the posts with their authors' names, and their reactions.
func (s *Service) TopicPage(ctx context.Context, topicID int64, page int) (TopicPage, error) {
	r, a, err := s.groups.readTopic(ctx, topicID, true)
	if err != nil {
		return TopicPage{}, err
	}
	t, g := r.T, r.G
	total := t.ReplyCount + 1
	pages := (total + PostsPerPage - 1) / PostsPerPage
	page = clampPage(page, pages)
	out := TopicPage{Topic: Topic{ID: t.ID, Title: t.Title, ContentWarning: t.ContentWarning, Pinned: t.Pinned, Locked: t.Locked,
		ReplyCount: t.ReplyCount, CreatedAt: t.CreatedAt}, Group: g.group(), Abilities: a.abilities(), Page: page, Pages: pages,
		Following: r.Following, version: g.ContentVersion}
	offset := (page - 1) * PostsPerPage
	rows, err := s.pagePosts(ctx, a.viewer.ID, t.ID, offset)
	if err != nil {
		return out, err
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	reactions, err := s.reactionCounts(ctx, a.viewer.ID, t.ID, offset, ids)
	if err != nil {
		return out, err
	}
	out.Posts = make([]Post, 0, len(rows))
	for i, r := range rows {
		if !a.seesPost(r.postRow) {
			continue
		}
		p := Post{Held: r.Held, ID: r.ID, Number: offset + i + 1, AuthorName: authorName(a, r.AuthorID, r.Anonymous, r.username),
			ByViewer: a.signedIn && r.AuthorID != nil && *r.AuthorID == a.viewer.ID, Anonymous: r.Anonymous,
			ContentWarning: r.ContentWarning, CreatedAt: r.CreatedAt, Edited: r.edited, Deleted: r.deleted,
			CanEdit: a.canEdit(r.AuthorID, r.deleted), MutedAuthor: r.muted && !r.Anonymous, CrisisConcern: r.CrisisConcern && a.canModerate(),
			Reactions: reactions[i], Bookmarked: r.bookmarked}
		if r.HiddenReason != nil {
			p.Hidden = true
			p.BodyWithheld = !p.ByViewer && !a.canModerate()
			if !p.BodyWithheld {
				p.HiddenReason = *r.HiddenReason
			}
		}
		if !p.Deleted && !p.BodyWithheld {
			p.BodyHTML = r.html()
			if p.ByViewer {
				p.Body = r.Body
			}
		}
		out.Posts = append(out.Posts, p)
	}
	return out, nil
}

// pagePost is a post of a topic page with what the viewer is to it.
type pagePost struct {
	postRow
	username          *string // the author's, if they still exist
	edited, deleted   bool    // whether, not when: the page shows no more
	muted, bookmarked bool    // by the viewer
}

// pagePosts reads one page of a topic's posts with their authors' names, scanned by hand (the
// page's largest read). The Markdown is read only where it is needed: for its author's edit
// form, or to render HTML stored by an older renderer.
func (s *Service) pagePosts(ctx context.Context, viewerID, topicID int64, offset int) ([]pagePost, error) {
	rows, err := database.Rows(s.db.WithContext(ctx).Raw(`SELECT p.id, p.author_id, p.anonymous,
			CASE WHEN p.author_id = ? OR p.body_html_version <> ? THEN p.body ELSE '' END AS body,
			p.content_warning, p.crisis_concern, p.created_at, p.edited_at IS NOT NULL AS edited, p.deleted_at IS NOT NULL AS deleted,
			p.hidden_reason, p.held,
			p.body_html, p.body_html_version, `+accounts.UsernameOf("p.author_id")+`,
			EXISTS (SELECT 1 FROM member_mutes mm WHERE mm.member_id = ? AND mm.muted_id = p.author_id) AS muted,
			EXISTS (SELECT 1 FROM bookmarks b WHERE b.member_id = ? AND b.post_id = p.id) AS bookmarked
		FROM posts p
		WHERE p.topic_id = ? ORDER BY p.id LIMIT ? OFFSET ?`, viewerID, markdown.Version, viewerID, viewerID, topicID, PostsPerPage, offset),
		func(r *pagePost) []any {
			return []any{&r.ID, &r.AuthorID, &r.Anonymous, &r.Body, &r.ContentWarning, &r.CrisisConcern, &r.CreatedAt, &r.edited,
				&r.deleted, &r.HiddenReason, &r.Held, &r.BodyHTML, &r.BodyHTMLVersion, &r.username, &r.muted, &r.bookmarked}
		})
	if err != nil {
		return nil, fmt.Errorf("forum: unable to list posts: %w", err)
	}
	for i := range rows {
		rows[i].TopicID = topicID
	}
	return rows, nil
}

// reactionCounts returns the reactions of the posts ids, the page of a topic from offset on, in
// their order, each with every kind (the viewer's marked). The page is named by topic and offset,
// not by the list of ids, so the statement's text is the same for every page.
func (s *Service) reactionCounts(ctx context.Context, viewerID, topicID int64, offset int, ids []int64) ([][]ReactionCount, error) {
	out := make([][]ReactionCount, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := database.Rows(s.db.WithContext(ctx).Raw(`SELECT r.post_id, r.kind, COUNT(*) AS n,
			SUM(CASE WHEN r.member_id = ? THEN 1 ELSE 0 END) AS mine
		FROM reactions r WHERE r.post_id IN (SELECT p.id FROM posts p WHERE p.topic_id = ? ORDER BY p.id LIMIT ? OFFSET ?)
		GROUP BY r.post_id, r.kind ORDER BY r.post_id`, viewerID, topicID, PostsPerPage, offset),
		func(r *struct {
			postID  int64
			kind    string
			n, mine int
		}) []any {
			return []any{&r.postID, &r.kind, &r.n, &r.mine}
		})
	if err != nil {
		return nil, fmt.Errorf("forum: unable to count reactions: %w", err)
	}
	// One backing array for the whole page: a post's list is a slice of it.
	kinds := len(ReactionKinds)
	all := make([]ReactionCount, len(ids)*kinds)
	at := make(map[int64]int, len(ids))
	for i, id := range ids {
		at[id] = i
		out[i] = all[i*kinds : (i+1)*kinds : (i+1)*kinds]
		for j, k := range ReactionKinds {
			out[i][j] = ReactionCount{Kind: k.Key, Label: k.Label}
		}
	}
	for _, r := range rows {
		i, ok := at[r.postID]
		if !ok {
			continue // the page moved between the two statements (a post erased): counted at the next view
		}
		for j, k := range ReactionKinds {
			if k.Key == r.kind {
				out[i][j].Count, out[i][j].Mine = r.n, r.mine > 0
			}
		}
	}
	return out, nil
}

// PostLocation returns the topic and page (and so the anchor) of a post: the target of /p/ID.
func (s *Service) PostLocation(ctx context.Context, postID int64) (topicID int64, page int, err error) {
	p, _, _, _, err := s.visiblePost(ctx, postID)
	if err != nil {
		return 0, 0, err
	}
	var before int64
	if err := s.db.WithContext(ctx).Raw(`SELECT COUNT(*) FROM posts WHERE topic_id = ? AND id < ?`, p.TopicID, p.ID).Scan(&before).Error; err != nil {
		return 0, 0, fmt.Errorf("forum: unable to place post: %w", err)
	}
	return p.TopicID, int(before)/PostsPerPage + 1, nil
}

// visiblePost loads a post the viewer may see. A missing post, one in a topic they may not
// read and one held for someone else's approval all answer alike, so no route tells them apart.
func (s *Service) visiblePost(ctx context.Context, postID int64) (postRow, topicRow, groupRow, access, error) {
	var p postRow
	if err := s.db.WithContext(ctx).Take(&p, postID).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return p, topicRow{}, groupRow{}, access{}, notThere(ctx)
		}
		return p, topicRow{}, groupRow{}, access{}, fmt.Errorf("forum: unable to find post: %w", err)
	}
	t, g, a, err := s.groups.topicAccess(ctx, p.TopicID)
	if err != nil {
		return p, t, g, a, err
	}
	if !a.seesPost(p) {
		return p, t, g, a, notThere(ctx)
	}
	return p, t, g, a, nil
}

// ownPost loads a post the viewer wrote and may still change.
func (s *Service) ownPost(ctx context.Context, postID int64) (postRow, topicRow, access, error) {
	p, t, _, a, err := s.visiblePost(ctx, postID)
	if err != nil {
		return p, t, a, err
	}
	if !a.canEditPost(p) {
		return p, t, a, apperr.New(apperr.EFORBIDDEN, "You can only change your own posts.")
	}
	return p, t, a, nil
}

// isFirstPost reports whether p opens its topic; it needs only the handle it is given.
func isFirstPost(ctx context.Context, tx *gorm.DB, p postRow) (bool, error) {
	var first int64
	err := tx.WithContext(ctx).Raw(`SELECT MIN(id) FROM posts WHERE topic_id = ?`, p.TopicID).Scan(&first).Error
	return first == p.ID, err
}

// MayEdit returns the refusal an edit of the post would meet now, or nil; it writes nothing (a
// preview asks it).
func (s *Service) MayEdit(ctx context.Context, postID int64) error {
	_, _, _, err := s.editTarget(ctx, postID)
	return err
}

// editTarget is the viewer's own post, once they may change it.
func (s *Service) editTarget(ctx context.Context, postID int64) (postRow, topicRow, access, error) {
	p, t, a, err := s.ownPost(ctx, postID)
	if err == nil && (a.sanction.Muted || a.sanction.Banned || a.sanction.Suspended) {
		err = a.sanction.Refusal()
	}
	return p, t, a, err
}

// EditPost replaces the text of the viewer's own post, keeping the old version for the
// moderators. The edit passes the checks a new post passes: a blocked word refuses it, a held
// word sends the post back to the queue (hidden until approved again: held reports true), a
// flagged word and a crisis phrase put it in front of the moderators.
func (s *Service) EditPost(ctx context.Context, postID int64, in PostInput) (held bool, err error) {
	p, t, a, err := s.editTarget(ctx, postID)
	if err != nil {
		return false, err
	}
	first, err := isFirstPost(ctx, s.db, p)
	if err != nil {
		return false, fmt.Errorf("forum: %w", err)
	}
	if !first {
		in.Title = ""
	}
	if f := in.validate(first); len(f) > 0 {
		return false, apperr.Invalid(f)
	}
	concern, err := s.crisisCheck(ctx, in)
	if err != nil {
		return false, err
	}
	if concern && !in.CrisisAck {
		return false, ErrCrisisCheck
	}
	now, html := s.now(), markdown.Render(in.Body)
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		d, err := s.checkEdit(ctx, tx, GuardInput{GroupID: t.GroupID, AuthorID: a.viewer.ID, Title: in.Title, Body: in.Body, IsTopic: first})
		if err != nil {
			return err
		}
		if d.Block != "" {
			return apperr.Invalid(map[string]string{"body": d.Block})
		}
		title := ""
		if first {
			title = t.Title
		}
		if err := tx.Exec(`INSERT INTO post_revisions (post_id, title, body, content_warning, created_at) VALUES (?, ?, ?, ?, ?)`,
			p.ID, title, p.Body, p.ContentWarning, now).Error; err != nil {
			return err
		}
		held = p.Held || d.Hold
		// An at-risk flag stays after an edit: the moderators' look-in does not depend on the wording.
		if err := tx.Exec(`UPDATE posts SET body = ?, body_html = ?, body_html_version = ?, content_warning = ?, edited_at = ?, held = ?,
			crisis_concern = ? WHERE id = ?`, in.Body, html, markdown.Version, in.ContentWarning, now, held, p.CrisisConcern || concern, p.ID).Error; err != nil {
			return err
		}
		if first {
			if err := tx.Exec(`UPDATE topics SET title = ?, content_warning = ? WHERE id = ?`, in.Title, in.ContentWarning, t.ID).Error; err != nil {
				return err
			}
		}
		q := Queued{GroupID: t.GroupID, PostID: p.ID, AuthorID: a.viewer.ID, At: now}
		for _, it := range []struct {
			kind, detail string
			due          bool
		}{{QueueConcern, "", concern && !p.CrisisConcern}, {QueueReport, d.Flag, d.Flag != ""}, {QueueHeld, "", d.Hold && !p.Held}} {
			if it.due {
				q.Kind, q.Detail = it.kind, it.detail
				if err := s.mod.enqueue(ctx, tx, q); err != nil {
					return err
				}
			}
		}
		if err := erasures.Record(ctx, tx, erasures.PostEdited, authorOf(p), p.ID); err != nil {
			return err
		}
		if err := s.unquote(ctx, tx, p.ID, p.Body, in.Body, QuoteChangedByAuthor); err != nil {
			return err
		}
		if err := refreshTopics(ctx, tx, t.ID); err != nil {
			return err
		}
		return indexPost(ctx, tx, p.ID) // a held post leaves the index until it is approved
	})
	return held, err
}

// DeletePost removes the text of the viewer's own post (and its earlier versions); the post
// stays in the thread as "deleted by its author" so replies still make sense.
func (s *Service) DeletePost(ctx context.Context, postID int64) error {
	p, t, _, err := s.ownPost(ctx, postID)
	if err != nil {
		return err
	}
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		first, err := isFirstPost(ctx, tx, p)
		if err != nil {
			return err
		}
		if err := s.unquote(ctx, tx, p.ID, p.Body, "", QuoteRemovedByAuthor); err != nil {
			return err
		}
		if err := tx.Exec(`UPDATE posts SET body = '', body_html = '', body_html_version = 0, content_warning = '', deleted_at = ? WHERE id = ?`, s.now(), p.ID).Error; err != nil {
			return err
		}
		if err := tx.Exec(`DELETE FROM post_revisions WHERE post_id = ?`, p.ID).Error; err != nil {
			return err
		}
		if first {
			if err := tx.Exec(`UPDATE topics SET title = ?, content_warning = '' WHERE id = ?`, "Topic deleted by its author", t.ID).Error; err != nil {
				return err
			}
		}
		if err := erasures.Record(ctx, tx, erasures.Post, authorOf(p), p.ID); err != nil {
			return err
		}
		if err := refreshTopics(ctx, tx, t.ID); err != nil {
			return err
		}
		return indexPost(ctx, tx, p.ID)
	})
}

// Revision is an earlier version of a post.
type Revision struct {
	Title, Body, ContentWarning string
	ReplacedAt                  time.Time
}

// Revisions lists a post's earlier versions, newest first; the group's moderators and admins only.
func (s *Service) Revisions(ctx context.Context, postID int64) ([]Revision, error) {
	_, _, g, _, err := s.visiblePost(ctx, postID)
	if err != nil {
		return nil, err
	}
	if err := s.groups.requireModerator(ctx, g); err != nil {
		return nil, err
	}
	var out []Revision
	err = s.db.WithContext(ctx).Raw(`SELECT title, body, content_warning, created_at AS replaced_at FROM post_revisions
		WHERE post_id = ? ORDER BY id DESC`, postID).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("forum: unable to list revisions: %w", err)
	}
	return out, nil
}

// QuoteText returns a post's text as a Markdown quote, for a reply form.
func (s *Service) QuoteText(ctx context.Context, postID int64) (string, error) {
	var p postRow
	if err := s.db.WithContext(ctx).Where("id = ? AND deleted_at IS NULL AND hidden_reason IS NULL AND NOT held", postID).Take(&p).Error; err != nil {
		return "", errNotReadable
	}
	if _, _, _, err := s.groups.topicAccess(ctx, p.TopicID); err != nil {
		return "", err
	}
	lines := strings.Split(strings.TrimSpace(p.Body), "\n")
	for i, l := range lines {
		lines[i] = "> " + l
	}
	return strings.Join(lines, "\n") + "\n\n", nil
}

// React toggles one kind of reaction by the viewer on a post.
func (s *Service) React(ctx context.Context, postID int64, kind string) (topicID int64, err error) {
	v, err := requireSignedIn(ctx)
	if err != nil {
		return 0, err
	}
	valid := false
	for _, k := range ReactionKinds {
		valid = valid || k.Key == kind
	}
	if !valid {
		return 0, apperr.New(apperr.EINVALID, "That is not a reaction Haven knows.")
	}
	var p postRow
	if err := s.db.WithContext(ctx).Where("id = ? AND deleted_at IS NULL AND NOT held", postID).Take(&p).Error; err != nil {
		return 0, errNotReadable
	}
	_, _, a, err := s.groups.topicAccess(ctx, p.TopicID)
	if err != nil {
		return 0, err
	}
	if err := postAllowed(a); err != nil {
		return 0, err
	}
	if p.HiddenReason != nil {
		return 0, apperr.New(apperr.EFORBIDDEN, "Moderators hid this post: it takes no reactions.")
	}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		removed, err := removeReaction(ctx, tx, postID, v.ID, kind)
		if err != nil {
			return err
		}
		if removed {
			return erasures.RecordDetail(ctx, tx, erasures.ReactionRemoved, v.ID, postID, kind)
		}
		now := s.now()
		if err := tx.Exec(`INSERT INTO reactions (post_id, member_id, kind, created_at) VALUES (?, ?, ?, ?)`, postID, v.ID, kind, now).Error; err != nil {
			return err
		}
		return addReactions(ctx, tx, p.TopicID, reactionDay(now), 1)
	})
	if err != nil {
		return 0, fmt.Errorf("forum: unable to react: %w", err)
	}
	return p.TopicID, nil
}
