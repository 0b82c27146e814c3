package forum

import (
	"context"
	"errors"
	"fmt"

	"github.com/haven-forum/haven/internal/accounts"
	"github.com/haven-forum/haven/internal/apperr"
	"gorm.io/gorm"
)

// This file is the one place that decides who may do what in a group. Every route, search,
// notification and suggestion asks these functions; none decides for itself.

// access is what the viewer is to one group.
type access struct {
	group    groupRow
	viewer   accounts.Viewer
	signedIn bool
	role     string // "", RoleMember or RoleModerator
	pending  bool   // a join request is waiting
	// visitorsRead is the site setting that lets signed-out visitors read public groups.
	visitorsRead bool
	sanction     Sanctions // what a moderator or admin imposed on the viewer here
}

func (a access) isAdmin() bool  { return a.signedIn && a.viewer.IsAdmin() }
func (a access) isMember() bool { return a.role != "" }
func (a access) archived() bool { return a.group.ArchivedAt != nil }

// canRead: the group's topics and posts.
func (a access) canRead() bool {
	switch {
	case a.isAdmin() || a.isMember():
		return true
	case a.group.Visibility == Public && a.signedIn:
		return true
	case a.group.Visibility == Public && a.visitorsRead && !a.archived():
		return true
	}
	return false
}

// canSeeCard: the group's name and description (a private group shows them to signed-in
// members so they can ask to join; never its topics or numbers). A public group shows them to
// visitors too, so they can see what the community is before they join.
func (a access) canSeeCard() bool {
	return a.canRead() || (a.signedIn && !a.archived()) || a.canSeeOutline()
}

// canSeeOutline: a public group's rules and how many topics it has, for anyone (a visitor
// reads no topic unless an admin allows it).
func (a access) canSeeOutline() bool {
	return a.canRead() || (a.group.Visibility == Public && !a.archived())
}

// canPost: start topics, reply and react.
func (a access) canPost() bool {
	return a.signedIn && a.isMember() && !a.archived() && !a.sanction.Muted && !a.sanction.Banned && !a.sanction.Suspended
}

func (a access) canJoin() bool {
	return a.signedIn && !a.isMember() && !a.archived() && !a.sanction.Banned && (a.group.Visibility == Public || a.isAdmin())
}

func (a access) canRequestToJoin() bool {
	return a.signedIn && !a.isMember() && !a.archived() && !a.sanction.Banned && a.group.Visibility == Private && !a.isAdmin()
}

func (a access) canLeave() bool { return a.signedIn && a.isMember() }

// canModerate: the group's moderators and every admin.
func (a access) canModerate() bool { return a.isAdmin() || a.role == RoleModerator }

// canSeeAnonymousAuthor: the author themself. Moderators reveal explicitly (and it is logged).
func (a access) canSeeAnonymousAuthor(authorID int64) bool {
	return a.signedIn && authorID != 0 && a.viewer.ID == authorID
}

func (a access) canEditPost(p postRow) bool { return a.canEdit(p.AuthorID, p.DeletedAt != nil) }

// canEdit: a post by authorID, deleted or not.
func (a access) canEdit(authorID *int64, deleted bool) bool {
	return a.signedIn && authorID != nil && *authorID == a.viewer.ID && !deleted && !a.archived()
}

// errNotReadable hides whether a thing exists from someone who may not see it.
var errNotReadable = apperr.New(apperr.ENOTFOUND, "There is nothing here, or you do not have access to it.")

// errSignInToRead asks a signed-out visitor to log in; it says nothing about what is there.
var errSignInToRead = apperr.New(apperr.EUNAUTHORIZED, "Please log in to read Haven's support groups.")

// notThere is what a viewer is told about something that is missing or that they may not see:
// the same either way.
func notThere(ctx context.Context) error {
	if _, ok := viewer(ctx); !ok {
		return errSignInToRead
	}
	return errNotReadable
}

// seesPost reports whether the viewer may see p at all: a post held for approval exists only
// for its author and the moderators.
func (a access) seesPost(p postRow) bool {
	return !p.Held || a.canModerate() || (a.signedIn && p.AuthorID != nil && *p.AuthorID == a.viewer.ID)
}

// membership is the viewer's role in a group, whether they asked to join and whether any
// sanction holds them there, when the caller read them with the group.
type membership struct {
	role       string
	pending    bool
	sanctioned bool // false: no need to ask moderation what the sanctions are
}

// membershipOf is the membership read as a role (nil: not a member), a pending request, which
// counts only for someone who is not a member, and the sanctioned condition (membershipSQL).
func membershipOf(role *string, pending, sanctioned bool) *membership {
	if role != nil {
		return &membership{role: *role, sanctioned: sanctioned}
	}
	return &membership{pending: pending, sanctioned: sanctioned}
}

// membershipSQL reads the viewer's role, join request and whether a sanction holds them beside a
// group aliased g, with its arguments. Moderation's condition rides in the forum's statement:
// every group and topic page would otherwise pay a statement to learn that nothing holds.
func (s *Groups) membershipSQL(v accounts.Viewer) (string, []any) {
	cond, args := s.mod.sanctioned(v.ID)
	return `(SELECT gm.role FROM group_members gm WHERE gm.group_id = g.id AND gm.member_id = ?) AS role,
		EXISTS (SELECT 1 FROM join_requests jr WHERE jr.group_id = g.id AND jr.member_id = ?) AS pending,
		` + cond + ` AS sanctioned`, append([]any{v.ID, v.ID}, args...)
}

// groupAccess finds the group at slug and the viewer's access to it, the group and the
// viewer's membership in one statement.
func (s *Groups) groupAccess(ctx context.Context, slug string) (groupRow, access, error) {
	v, _ := viewer(ctx)
	var rows []struct {
		G                   groupRow `gorm:"embedded"`
		Role                *string
		Pending, Sanctioned bool
	}
	cols, args := s.membershipSQL(v)
	err := s.db.WithContext(ctx).Raw(`SELECT g.*, `+cols+` FROM groups g WHERE g.slug = ?`, append(args, slug)...).Scan(&rows).Error
	if err != nil {
		return groupRow{}, access{}, fmt.Errorf("forum: unable to find group: %w", err)
	}
	if len(rows) == 0 {
		return groupRow{}, access{}, notThere(ctx)
	}
	a, err := s.accessWith(ctx, s.db, rows[0].G, membershipOf(rows[0].Role, rows[0].Pending, rows[0].Sanctioned))
	return rows[0].G, a, err
}

func (s *Groups) accessTo(ctx context.Context, tx *gorm.DB, g groupRow) (access, error) {
	return s.accessWith(ctx, tx, g, nil)
}

// accessWith is accessTo with the viewer's membership already read (known), or nil to read it.
func (s *Groups) accessWith(ctx context.Context, tx *gorm.DB, g groupRow, known *membership) (access, error) {
	a := access{group: g}
	a.viewer, a.signedIn = viewer(ctx)
	var err error
	if a.visitorsRead, err = s.visitorsRead(ctx, a.signedIn); err != nil || !a.signedIn {
		return a, err
	}
	if known == nil || known.sanctioned {
		if a.sanction, err = s.mod.sanctions(ctx, tx, g.ID, a.viewer.ID); err != nil {
			return a, err
		}
	}
	if known != nil {
		a.role, a.pending = known.role, known.pending
		return a, nil
	}
	var rows []struct{ Role string }
	if err := tx.Raw(`SELECT role FROM group_members WHERE group_id = ? AND member_id = ?`, g.ID, a.viewer.ID).Scan(&rows).Error; err != nil {
		return a, fmt.Errorf("forum: unable to read membership: %w", err)
	}
	if len(rows) > 0 {
		a.role = rows[0].Role
		return a, nil
	}
	var n int64
	if err := tx.Raw(`SELECT COUNT(*) FROM join_requests WHERE group_id = ? AND member_id = ?`, g.ID, a.viewer.ID).Scan(&n).Error; err != nil {
		return a, fmt.Errorf("forum: unable to read join request: %w", err)
	}
	a.pending = n > 0
	return a, nil
}

// readable returns the viewer's access to a group they may read, or the error to show.
// visitorsRead is the site setting that lets visitors read public groups. A signed-in viewer
// reads every public group anyway (canRead), so their pages never ask for it.
func (s *Groups) visitorsRead(ctx context.Context, signedIn bool) (bool, error) {
	if signedIn {
		return false, nil
	}
	return s.settings.VisitorsReadPublicGroups(ctx)
}

func (s *Groups) readable(ctx context.Context, tx *gorm.DB, g groupRow) (access, error) {
	return s.readableWith(ctx, tx, g, nil)
}

// readableWith is readable with the viewer's membership already read (known), or nil.
func (s *Groups) readableWith(ctx context.Context, tx *gorm.DB, g groupRow, known *membership) (access, error) {
	a, err := s.accessWith(ctx, tx, g, known)
	if err != nil {
		return a, err
	}
	if !a.canRead() {
		if !a.signedIn {
			return a, errSignInToRead
		}
		return a, errNotReadable
	}
	return a, nil
}

func (s *Groups) groupBySlug(ctx context.Context, tx *gorm.DB, slug string) (groupRow, error) {
	var g groupRow
	err := tx.WithContext(ctx).Where("slug = ?", slug).Take(&g).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		if _, ok := viewer(ctx); !ok {
			return g, errSignInToRead
		}
		return g, errNotReadable
	}
	if err != nil {
		return g, fmt.Errorf("forum: unable to find group: %w", err)
	}
	return g, nil
}

func (s *Groups) groupByID(ctx context.Context, tx *gorm.DB, id int64) (groupRow, error) {
	var g groupRow
	err := tx.WithContext(ctx).Take(&g, id).Error
	if err != nil {
		return g, fmt.Errorf("forum: unable to find group: %w", err)
	}
	return g, nil
}

// ReadableGroupIDs lists every group the viewer may read: the filter for search and suggestions.
func (s *Groups) ReadableGroupIDs(ctx context.Context) ([]int64, error) {
	v, signedIn := viewer(ctx)
	var ids []int64
	var err error
	switch {
	case signedIn:
		q, args := readableGroupsSQL(v)
		err = s.db.WithContext(ctx).Raw(q, args...).Scan(&ids).Error
	default:
		on, serr := s.settings.VisitorsReadPublicGroups(ctx)
		if serr != nil || !on {
			return nil, serr
		}
		err = s.db.WithContext(ctx).Raw(`SELECT id FROM groups WHERE visibility = ? AND archived_at IS NULL`, Public).Scan(&ids).Error
	}
	if err != nil {
		return nil, fmt.Errorf("forum: unable to list readable groups: %w", err)
	}
	return ids, nil
}

func requireSignedIn(ctx context.Context) (accounts.Viewer, error) {
	v, ok := viewer(ctx)
	if !ok {
		return v, apperr.New(apperr.EUNAUTHORIZED, "Please log in first.")
	}
	return v, nil
}

// memberCanRead reports whether a member (not the viewer: a recipient of a notification, say)
// may read a group's topics. Same rules as for the viewer.
func memberCanRead(ctx context.Context, tx *gorm.DB, groupID, memberID int64) (bool, error) {
	ok, err := membersCanRead(ctx, tx, groupID, []int64{memberID})
	return ok[memberID], err
}

// membersCanRead is memberCanRead for many members at once, in three queries whatever their
// number: a post's followers are checked together.
func membersCanRead(ctx context.Context, tx *gorm.DB, groupID int64, memberIDs []int64) (map[int64]bool, error) {
	out := make(map[int64]bool, len(memberIDs))
	if len(memberIDs) == 0 {
		return out, nil
	}
	var groups []groupRow
	if err := tx.WithContext(ctx).Where("id = ?", groupID).Find(&groups).Error; err != nil || len(groups) == 0 {
		return out, err
	}
	var roles []struct {
		MemberID int64
		Role     string
	}
	err := tx.WithContext(ctx).Raw(`SELECT member_id, role FROM group_members WHERE group_id = ? AND member_id IN ?`,
		groupID, memberIDs).Scan(&roles).Error
	if err != nil {
		return nil, err
	}
	role := make(map[int64]string, len(roles))
	for _, r := range roles {
		role[r.MemberID] = r.Role
	}
	members, err := accounts.Members(ctx, tx, memberIDs)
	if err != nil {
		return nil, err
	}
	for id, m := range members {
		a := access{group: groups[0], signedIn: true, role: role[id]}
		a.viewer.Member = m
		out[id] = a.canRead()
	}
	return out, nil
}

// readableGroupsSQL is ReadableGroupIDs for a signed-in member as a subquery, with its
// arguments: the header's unread count filters by it in the same statement.
func readableGroupsSQL(v accounts.Viewer) (string, []any) {
	if v.IsAdmin() {
		return `SELECT id FROM groups`, nil
	}
	return `SELECT id FROM groups WHERE visibility = ? UNION SELECT group_id FROM group_members WHERE member_id = ?`, []any{Public, v.ID}
}
