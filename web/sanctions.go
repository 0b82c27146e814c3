package web

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/haven-forum/haven/internal/apperr"
	"github.com/haven-forum/haven/internal/moderation"
	"github.com/haven-forum/haven/internal/paths"
	"github.com/haven-forum/haven/views/components"
	modview "github.com/haven-forum/haven/views/moderation"
	"github.com/labstack/echo/v4"
)

// Warnings, group mutes and bans, escalation, suspensions, and the member's own record and appeals.

// plainly turns a field error into one message: these forms post from a queue or a group page,
// where there is no form to re-render.
func plainly(err error) error {
	e, ok := apperr.As(err)
	if !ok || len(e.Fields) == 0 {
		return err
	}
	keys := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	msgs := make([]string, len(keys))
	for i, k := range keys {
		msgs[i] = e.Fields[k]
	}
	return apperr.New(e.Code, "%s", strings.Join(msgs, " "))
}

// itemParam reads the optional queue item a moderator is answering.
func itemParam(c echo.Context) (int64, error) {
	v := c.FormValue("item")
	if v == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id < 1 {
		return 0, apperr.New(apperr.EINVALID, "That is not a queue item.")
	}
	return id, nil
}

var memberActionNotices = map[string]string{
	moderation.ActionWarn:   "%s was warned; they see the reason.",
	moderation.ActionMute:   "%s is muted in this group for %s hours; they see the reason.",
	moderation.ActionUnmute: "%s can post in this group again.",
	moderation.ActionRemove: "%s was removed from the group; they see the reason.",
	moderation.ActionBan:    "%s is banned from the group; they see the reason.",
	moderation.ActionUnban:  "%s may join the group again.",
}

func (s *Server) handleModMemberAction(c echo.Context) error {
	item, err := itemParam(c)
	if err != nil {
		return err
	}
	slug, action := c.Param("slug"), c.Param("action")
	in := moderation.MemberAction{Action: action, Username: c.Param("username"), Reason: c.FormValue("reason"),
		Hours: c.FormValue("hours"), ItemID: item}
	if err := s.Moderation.ActOnMember(c.Request().Context(), slug, in); err != nil {
		return plainly(err)
	}
	notice := fmt.Sprintf(memberActionNotices[action], in.Username)
	if action == moderation.ActionMute {
		notice = fmt.Sprintf(memberActionNotices[action], in.Username, strings.TrimSpace(in.Hours))
	}
	setNotice(c, notice)
	if c.FormValue("back") == "group" {
		return redirect(c, paths.Group(slug))
	}
	return redirect(c, paths.Mod)
}

func (s *Server) handleModEscalate(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	item, err := itemParam(c)
	if err != nil {
		return err
	}
	if err := s.Moderation.Escalate(c.Request().Context(), id, c.FormValue("reason"), item); err != nil {
		return plainly(err)
	}
	return afterModeration(c, "The post was sent to the site admins.", paths.Post(id))
}

// handleAdminSuspend suspends an account (days, or "forever") and ends its sessions, or lifts a
// suspension (action=lift). Admins only; everyone else sees 404.
func (s *Server) handleAdminSuspend(c echo.Context) error {
	ctx := c.Request().Context()
	name, reason := c.Param("username"), c.FormValue("reason")
	switch c.FormValue("action") {
	case "", "suspend":
		id, err := s.Moderation.Suspend(ctx, name, reason, c.FormValue("days"))
		if err != nil {
			return plainly(err)
		}
		if _, err := s.Accounts.EndOtherSessions(ctx, id, 0); err != nil {
			return err
		}
		setNotice(c, fmt.Sprintf("%s's account is suspended and they were logged out everywhere; they see the reason.", name))
	case "lift":
		if err := s.Moderation.LiftSuspension(ctx, name, reason); err != nil {
			return plainly(err)
		}
		setNotice(c, fmt.Sprintf("%s can post again.", name))
	default:
		return apperr.New(apperr.EINVALID, "Haven does not know that action: suspend an account, or lift a suspension.")
	}
	if c.FormValue("back") == "queue" {
		return redirect(c, paths.Mod)
	}
	return redirect(c, paths.Admin)
}

// handleAccountModeration is the member's own record: every action on their posts or account.
func (s *Server) handleAccountModeration(c echo.Context) error {
	return s.renderMyModeration(c, http.StatusOK, pageParam(c), 0, components.Form{})
}

// renderMyModeration shows a page of the record; failed is an entry whose appeal did not go through.
func (s *Server) renderMyModeration(c echo.Context, status, page int, failed int64, appeal components.Form) error {
	me := state(c).viewer
	actions, total, err := s.Moderation.ActionsOn(c.Request().Context(), me.ID, page)
	if err != nil {
		return err
	}
	m := modview.MyModerationPage{Total: total, Page: max(page, 1), Pages: pageCount(total, moderation.OnMemberPerPage)}
	for _, a := range actions {
		v := modview.ActionOnMe{ID: a.ID, Text: a.Describe(), Reason: a.Reason, When: a.CreatedAt,
			CanAppeal: a.Appealable(), Appealed: a.Appealed, Link: actionLink(a)}
		if a.ID == failed {
			v.Appeal = appeal
		}
		m.Actions = append(m.Actions, v)
	}
	return render(c, status, modview.MyModeration(s.page(c, "Moderation of your posts and account"), m))
}

func actionLink(a moderation.OnMember) string {
	switch a.TargetKind {
	case "post":
		return paths.Post(a.TargetID)
	case "topic":
		return paths.Topic(a.TargetID)
	}
	return ""
}

func (s *Server) handleAccountAppeal(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	values := formValues(c, "text")
	err = s.Moderation.Appeal(c.Request().Context(), id, values["text"])
	if e, ok := apperr.As(err); ok && e.Fields != nil {
		page, _ := strconv.Atoi(c.FormValue("page"))
		return s.renderMyModeration(c, http.StatusUnprocessableEntity, page, id, formWith(values, e.Fields))
	}
	if err != nil {
		return err
	}
	setNotice(c, "Your appeal was sent. A moderator who did not take the action will look at it.")
	return redirect(c, paths.AccountModeration)
}

// ModerationNoticeWindow is how long an action on a member shows on their notifications page.
const ModerationNoticeWindow = 30 * 24 * time.Hour

// moderationNotices are the recent actions on the member, for /notifications.
func (s *Server) moderationNotices(ctx context.Context, memberID int64) ([]modview.Notice, error) {
	recent, err := s.Moderation.RecentOn(ctx, memberID, time.Now().UTC().Add(-ModerationNoticeWindow), 5)
	if err != nil {
		return nil, err
	}
	out := make([]modview.Notice, len(recent))
	for i, a := range recent {
		out[i] = modview.Notice{Text: a.Describe(), Reason: a.Reason, When: a.CreatedAt}
	}
	return out, nil
}
