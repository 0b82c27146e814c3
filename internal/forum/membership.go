package forum

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/haven-forum/haven/internal/accounts"
	"github.com/haven-forum/haven/internal/apperr"
	"github.com/haven-forum/haven/internal/erasures"
	"gorm.io/gorm"
)

// Join adds the viewer to a public group (admins may join any group).
func (s *Groups) Join(ctx context.Context, slug string) error {
	v, g, a, err := s.memberAccess(ctx, slug)
	if err != nil {
		return err
	}
	switch {
	case a.isMember():
		return nil // already in: a double click is not an error
	case a.canRequestToJoin():
		return apperr.New(apperr.EFORBIDDEN, "This group is private: ask to join, and a moderator will answer.")
	case !a.canJoin():
		if !a.canSeeCard() {
			return errNotReadable
		}
		return apperr.New(apperr.EFORBIDDEN, "This group is not open for joining.")
	}
	return s.addMember(ctx, s.db, g.ID, v.ID)
}

// memberAccess is what a signed-in viewer is to the group at slug.
func (s *Groups) memberAccess(ctx context.Context, slug string) (accounts.Viewer, groupRow, access, error) {
	v, err := requireSignedIn(ctx)
	if err != nil {
		return v, groupRow{}, access{}, err
	}
	g, a, err := s.groupAccess(ctx, slug)
	return v, g, a, err
}

func (s *Groups) addMember(ctx context.Context, tx *gorm.DB, groupID, memberID int64) error {
	err := tx.WithContext(ctx).Exec(`INSERT INTO group_members (group_id, member_id, role, joined_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (group_id, member_id) DO NOTHING`, groupID, memberID, RoleMember, s.now()).Error
	if err != nil {
		return fmt.Errorf("forum: unable to join: %w", err)
	}
	return nil
}

// Leave takes the viewer out of a group. Their posts stay; they can no longer read a private group.
func (s *Groups) Leave(ctx context.Context, slug string) error {
	v, err := requireSignedIn(ctx)
	if err != nil {
		return err
	}
	g, err := s.groupBySlug(ctx, s.db, slug)
	if err != nil {
		return err
	}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Exec(`DELETE FROM group_members WHERE group_id = ? AND member_id = ?`, g.ID, v.ID)
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error
		}
		return erasures.Record(ctx, tx, erasures.GroupLeft, v.ID, g.ID)
	})
	if err != nil {
		return fmt.Errorf("forum: unable to leave: %w", err)
	}
	return nil
}

// RequestToJoin asks a private group's moderators to let the viewer in.
func (s *Groups) RequestToJoin(ctx context.Context, slug, message string) error {
	v, g, a, err := s.memberAccess(ctx, slug)
	if err != nil {
		return err
	}
	if a.isMember() || a.pending {
		return nil
	}
	if !a.canRequestToJoin() {
		if !a.canSeeCard() {
			return errNotReadable
		}
		return apperr.New(apperr.EFORBIDDEN, "This group does not take join requests.")
	}
	message = strings.TrimSpace(message)
	if utf8.RuneCountInString(message) > 500 {
		return apperr.Invalid(map[string]string{"message": "A note to the moderators is at most 500 characters."})
	}
	err = s.db.WithContext(ctx).Exec(`INSERT INTO join_requests (group_id, member_id, message, created_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (group_id, member_id) DO NOTHING`, g.ID, v.ID, message, s.now()).Error
	if err != nil {
		return fmt.Errorf("forum: unable to request to join: %w", err)
	}
	return nil
}

// JoinRequest is a waiting request, shown to the group's moderators.
type JoinRequest struct {
	ID        int64
	Username  string
	Message   string
	CreatedAt time.Time
}

func (s *Groups) pendingRequests(ctx context.Context, groupID int64) ([]JoinRequest, error) {
	var rows []struct {
		JoinRequest
		MemberID int64
	}
	err := s.db.WithContext(ctx).Raw(`SELECT id, member_id, message, created_at FROM join_requests
		WHERE group_id = ? ORDER BY id`, groupID).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("forum: unable to list join requests: %w", err)
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.MemberID
	}
	who, err := usernames(ctx, s.db, ids)
	if err != nil {
		return nil, err
	}
	out := make([]JoinRequest, 0, len(rows))
	for _, r := range rows {
		if name, ok := who[r.MemberID]; ok { // a request goes with its member's account
			r.JoinRequest.Username = name
			out = append(out, r.JoinRequest)
		}
	}
	return out, nil
}

// AnswerRequest approves or declines a join request; the group's moderators and admins only.
// The member is told either way.
func (s *Groups) AnswerRequest(ctx context.Context, slug string, requestID int64, approve bool) error {
	g, err := s.groupBySlug(ctx, s.db, slug)
	if err != nil {
		return err
	}
	if err := s.requireModerator(ctx, g); err != nil {
		return err
	}
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var memberIDs []int64
		if err := tx.Raw(`SELECT member_id FROM join_requests WHERE id = ? AND group_id = ?`, requestID, g.ID).Scan(&memberIDs).Error; err != nil {
			return err
		}
		if len(memberIDs) == 0 {
			return apperr.New(apperr.ECONFLICT, "That request was already answered.")
		}
		res := tx.Exec(`DELETE FROM join_requests WHERE id = ?`, requestID)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return apperr.New(apperr.ECONFLICT, "That request was already answered.")
		}
		if approve {
			if err := s.addMember(ctx, tx, g.ID, memberIDs[0]); err != nil {
				return err
			}
		}
		if s.notify != nil {
			return s.notify.JoinAnswered(ctx, tx, memberIDs[0], g.ID, approve)
		}
		return nil
	})
}

func (s *Groups) requireModerator(ctx context.Context, g groupRow) error {
	a, err := s.accessTo(ctx, s.db, g)
	if err != nil {
		return err
	}
	if !a.canModerate() {
		if !a.canRead() {
			return errNotReadable
		}
		return apperr.New(apperr.EFORBIDDEN, "Only this group's moderators can do that.")
	}
	return nil
}

// CreateInvite makes a link that lets whoever holds it join a private group, for 14 days.
func (s *Groups) CreateInvite(ctx context.Context, slug string) (string, error) {
	g, err := s.groupBySlug(ctx, s.db, slug)
	if err != nil {
		return "", err
	}
	if err := s.requireModerator(ctx, g); err != nil {
		return "", err
	}
	v, _ := viewer(ctx)
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	token := base64.RawURLEncoding.EncodeToString(b)
	now := s.now()
	err = s.db.WithContext(ctx).Exec(`INSERT INTO group_invites (group_id, token_hash, created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
		g.ID, inviteHash(token), v.ID, now, now.Add(InviteLifetime)).Error
	if err != nil {
		return "", fmt.Errorf("forum: unable to create invite: %w", err)
	}
	return token, nil
}

func inviteHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// AcceptInvite joins the viewer to the invite's group and returns the group's slug.
func (s *Groups) AcceptInvite(ctx context.Context, token string) (string, error) {
	v, err := requireSignedIn(ctx)
	if err != nil {
		return "", err
	}
	var g groupRow
	err = s.db.WithContext(ctx).Raw(`SELECT g.* FROM group_invites i JOIN groups g ON g.id = i.group_id
		WHERE i.token_hash = ? AND i.expires_at > ? AND g.archived_at IS NULL`, inviteHash(token), s.now()).Scan(&g).Error
	if err != nil {
		return "", fmt.Errorf("forum: unable to read invite: %w", err)
	}
	if g.ID == 0 {
		return "", apperr.New(apperr.ENOTFOUND, "This invite link has expired or does not exist. Ask a moderator for a new one.")
	}
	sn, err := s.mod.sanctions(ctx, s.db, g.ID, v.ID)
	if err != nil {
		return "", err
	}
	if sn.Banned {
		return "", sn.Refusal()
	}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec(`DELETE FROM join_requests WHERE group_id = ? AND member_id = ?`, g.ID, v.ID).Error; err != nil {
			return err
		}
		return s.addMember(ctx, tx, g.ID, v.ID)
	})
	return g.Slug, err
}

// GroupPage is a group with one page of its topics.
type GroupPage struct {
	Group     Group
	Abilities Abilities
	Topics    []TopicSummary
	Page      int
	Pages     int
	Requests  []JoinRequest // for moderators
}

// GroupPage returns page (from 1) of a group's topics: pinned first, then by last activity.
func (s *Groups) GroupPage(ctx context.Context, slug string, page int) (GroupPage, error) {
	g, a, err := s.groupAccess(ctx, slug)
	if err != nil {
		return GroupPage{}, err
	}
	out := GroupPage{Group: g.group(), Abilities: a.abilities(), Page: 1, Pages: 1}
	if !a.canRead() {
		if !a.canSeeCard() {
			if !a.signedIn {
				return GroupPage{}, errSignInToRead
			}
			return GroupPage{}, errNotReadable
		}
		if !a.canSeeOutline() {
			out.Group.Rules, out.Group.RulesHTML = "", "" // a private group shows only its name and description
		}
		return out, nil
	}
	out.Topics, out.Pages, err = s.listTopics(ctx, a, page)
	if err != nil {
		return out, err
	}
	out.Page = clampPage(page, out.Pages)
	if a.canModerate() {
		if out.Requests, err = s.pendingRequests(ctx, g.ID); err != nil {
			return out, err
		}
	}
	return out, nil
}

// listTopics is page (from 1) of the group's topics the viewer sees, and how many pages there
// are: two queries whatever the group's size. The pages come from the group's stored count (with
// the held topics for moderators); a viewer who hides some content warnings or sees their own held
// topic may find the last page shorter, or one more page than the count says.
func (s *Groups) listTopics(ctx context.Context, a access, page int) ([]TopicSummary, int, error) {
	total := a.group.TopicCount
	if a.canModerate() {
		total += a.group.HeldTopicCount
	}
	pages := max(1, (total+TopicsPerPage-1)/TopicsPerPage)
	page = clampPage(page, pages)
	// A topic whose first post waits for approval is listed only for its author and moderators.
	// The authors' names come with the rows, in accounts' words (accounts.UsernameOf).
	rows, err := s.db.WithContext(ctx).Raw(`SELECT t.id, t.title, t.content_warning, t.pinned, t.locked, t.author_id, t.anonymous,
			t.reply_count, t.last_post_at, t.last_post_id, t.last_post_author_id, t.last_post_anonymous,
			EXISTS (SELECT 1 FROM member_mutes mm WHERE mm.member_id = ? AND mm.muted_id = t.author_id) AS muted,
			`+accounts.UsernameOf("t.author_id")+`, `+accounts.UsernameOf("t.last_post_author_id")+`
		FROM topics t
		WHERE t.group_id = ? AND t.deleted_at IS NULL AND (NOT t.first_held OR ? OR t.author_id = ?)
			AND (t.content_warning = '' OR NOT EXISTS (SELECT 1 FROM hidden_warnings h
				WHERE h.member_id = ? AND LOWER(t.content_warning) LIKE '%' || h.term || '%'))
		ORDER BY t.pinned DESC, t.last_post_at DESC, t.id DESC LIMIT ? OFFSET ?`,
		a.viewer.ID, a.group.ID, a.canModerate(), a.viewer.ID, a.viewer.ID, TopicsPerPage+1, (page-1)*TopicsPerPage).Rows()
	if err != nil {
		return nil, 0, fmt.Errorf("forum: unable to list topics: %w", err)
	}
	topics, err := scanListed(rows)
	if err != nil {
		return nil, 0, fmt.Errorf("forum: unable to list topics: %w", err)
	}
	if len(topics) > TopicsPerPage {
		topics, pages = topics[:TopicsPerPage], max(pages, page+1)
	}
	who := names{}
	for _, r := range topics {
		if r.author != nil {
			who[*r.T.AuthorID] = *r.author
		}
		if r.lastPoster != nil {
			who[*r.T.LastPostAuthorID] = *r.lastPoster
		}
	}
	out := make([]TopicSummary, len(topics))
	for i, r := range topics {
		name := authorName(a, r.T.AuthorID, r.T.Anonymous, who.of(r.T.AuthorID))
		out[i] = TopicSummary{ID: r.T.ID, Title: r.T.Title, ContentWarning: r.T.ContentWarning, Pinned: r.T.Pinned, Locked: r.T.Locked,
			AuthorName: name, ReplyCount: r.T.ReplyCount, LastPostAt: r.T.LastPostAt, MutedAuthor: r.Muted && !r.T.Anonymous,
			LastPostID: deref0(r.T.LastPostID), LastPosterName: lastPoster(r.T, who)}
	}
	return out, pages, nil
}

// listed is a topic row as a list shows it.
type listed struct {
	T                  topicRow
	Muted              bool
	author, lastPoster *string // usernames; nil when there is none (an erased member)
}

// scanListed reads listTopics' rows by hand: reflection cost more than the query on every group page.
func scanListed(rows *sql.Rows) ([]listed, error) {
	defer rows.Close()
	out := make([]listed, 0, TopicsPerPage+1)
	for rows.Next() {
		var r listed
		t := &r.T
		if err := rows.Scan(&t.ID, &t.Title, &t.ContentWarning, &t.Pinned, &t.Locked, &t.AuthorID, &t.Anonymous, &t.ReplyCount,
			&t.LastPostAt, &t.LastPostID, &t.LastPostAuthorID, &t.LastPostAnonymous, &r.Muted, &r.author, &r.lastPoster); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// lastPoster names who wrote a topic's last visible post, by the stored copy of its author
// (NULL when anonymous, so an anonymous author is never named, not even to themself here).
func lastPoster(t topicRow, who names) string {
	switch {
	case t.LastPostID == nil:
		return ""
	case t.LastPostAnonymous:
		return AnonymousName
	}
	if name := who.of(t.LastPostAuthorID); name != nil {
		return *name
	}
	return FormerMember
}

func clampPage(page, pages int) int {
	if page < 1 {
		return 1
	}
	if page > pages {
		return pages
	}
	return page
}
