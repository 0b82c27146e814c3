package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/haven-forum/haven/internal/apperr"
	"github.com/haven-forum/haven/internal/moderation"
	"github.com/haven-forum/haven/internal/paths"
	"github.com/haven-forum/haven/views/components"
	modview "github.com/haven-forum/haven/views/moderation"
	"github.com/labstack/echo/v4"
)

var kindLabels = map[string]string{
	moderation.KindReport: "Report", moderation.KindConcern: "Crisis phrase in a new post",
	moderation.KindHeld: "Post waiting for approval", moderation.KindAppeal: "Appeal", moderation.KindEscalation: "Escalated to admins",
}

var reasonLabels = func() map[string]string {
	m := map[string]string{}
	for _, r := range moderation.ReportReasons {
		m[r.Key] = r.Label
	}
	return m
}()

// moderatorScope returns the viewer's moderation scope, or 403 for members who moderate nothing.
func (s *Server) moderatorScope(c echo.Context) (moderation.Scope, error) {
	scope, err := s.Moderation.Scope(c.Request().Context())
	if err != nil {
		return scope, err
	}
	if !scope.All && len(scope.GroupIDs) == 0 {
		return scope, apperr.New(apperr.EFORBIDDEN, "Only moderators and admins can see this page.")
	}
	return scope, nil
}

func pageCount(total, per int) int { return max(1, (total+per-1)/per) }

func (s *Server) handleModQueue(c echo.Context) error {
	ctx := c.Request().Context()
	scope, err := s.moderatorScope(c)
	if err != nil {
		return err
	}
	items, total, err := s.Moderation.Queue(ctx, scope, pageParam(c))
	if err != nil {
		return err
	}
	lines, crisisHTML, err := s.crisisResources(ctx)
	if err != nil {
		return err
	}
	q := modview.QueuePage{Total: total, CrisisLines: lines, CrisisHTML: crisisHTML, Page: pageParam(c), Pages: pageCount(total, moderation.QueuePerPage)}
	for _, it := range items {
		v := modview.Item{ID: it.ID, Kind: it.Kind, KindLabel: kindLabels[it.Kind], GroupName: it.GroupName, GroupSlug: it.GroupSlug,
			PostID: it.PostID, TopicID: it.TopicID, TopicTitle: it.TopicTitle, PostHTML: it.PostHTML,
			PreviousHTML: it.PreviousHTML, Anonymous: it.PostAnonymous, Hidden: it.PostHidden,
			MemberName: it.MemberName, AtRisk: it.AtRisk, ReportCount: it.ReportCount, Detail: it.Detail, When: it.CreatedAt}
		if it.PreviousBody == "" {
			v.PreviousHTML = ""
		}
		if it.AppealAction != "" {
			v.AppealOf = actionWords(it.AppealAction) + ": " + it.AppealReason
		}
		for _, r := range it.Reports {
			v.Reports = append(v.Reports, modview.Report{Reason: reasonLabels[r.Reason], Details: r.Details})
		}
		v.History = logEntries(it.History)
		if v.AtRisk {
			q.AtRisk++
		}
		q.Items = append(q.Items, v)
	}
	return render(c, http.StatusOK, modview.Queue(s.page(c, "Review queue"), q))
}

func logEntries(in []moderation.LogEntry) []modview.Entry {
	out := make([]modview.Entry, len(in))
	for i, e := range in {
		target := fmt.Sprintf("%s %d", e.TargetKind, e.TargetID)
		if e.TargetName != "" {
			target += " (" + e.TargetName + ")"
		}
		out[i] = modview.Entry{When: e.CreatedAt, Actor: e.ActorName, Action: actionLabel(e.Action), Target: target, Group: e.GroupName, Reason: e.Reason}
	}
	return out
}

func (s *Server) handleModLog(c echo.Context) error {
	scope, err := s.moderatorScope(c)
	if err != nil {
		return err
	}
	entries, total, err := s.Moderation.Log(c.Request().Context(), scope, pageParam(c))
	if err != nil {
		return err
	}
	l := modview.LogPage{Entries: logEntries(entries), Total: total, Page: pageParam(c), Pages: pageCount(total, moderation.LogPerPage)}
	return render(c, http.StatusOK, modview.Log(s.page(c, "Moderation log"), l))
}

func reasonOptions(checked string) []modview.ReasonOption {
	out := make([]modview.ReasonOption, len(moderation.ReportReasons))
	for i, r := range moderation.ReportReasons {
		out[i] = modview.ReasonOption{Key: r.Key, Label: r.Label, Checked: r.Key == checked}
	}
	return out
}

func (s *Server) handleReportForm(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	if _, _, err := s.Forum.Posts.PostLocation(c.Request().Context(), id); err != nil {
		return err
	}
	return render(c, http.StatusOK, modview.ReportForm(s.page(c, "Report a post"), id, reasonOptions(""), components.Form{}))
}

func (s *Server) handleReport(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	values := formValues(c, "reason", "details")
	err = s.Moderation.ReportPost(c.Request().Context(), id, values["reason"], values["details"])
	if e, ok := apperr.As(err); ok && e.Fields != nil {
		return render(c, http.StatusUnprocessableEntity, modview.ReportForm(s.page(c, "Report a post"), id,
			reasonOptions(values["reason"]), components.Form{Values: values, Errors: e.Fields}))
	}
	if err != nil {
		return err
	}
	setNoticeAt(c, "Thank you for reporting this post. The moderators will look at it; the member will not learn who reported them.", fmt.Sprint("p", id))
	return redirect(c, paths.Post(id))
}

// afterModeration sends the moderator back where they came from: the queue, or the post.
func afterModeration(c echo.Context, notice, fallback string) error {
	setNotice(c, notice)
	if c.FormValue("back") == "post" {
		return redirect(c, fallback)
	}
	return redirect(c, paths.Mod)
}

func (s *Server) handleModHide(c echo.Context) error   { return s.hide(c, true) }
func (s *Server) handleModUnhide(c echo.Context) error { return s.hide(c, false) }

func (s *Server) hide(c echo.Context, on bool) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	if err := s.Moderation.HidePost(c.Request().Context(), id, c.FormValue("reason"), on); err != nil {
		return err
	}
	return afterModeration(c, map[bool]string{true: "The post is hidden; its author sees why.", false: "The post is shown again."}[on], paths.Post(id))
}

func (s *Server) handleModDelete(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	if err := s.Moderation.DeletePost(c.Request().Context(), id, c.FormValue("reason")); err != nil {
		return err
	}
	s.checkpoint(c)
	return afterModeration(c, "The post was deleted.", paths.Post(id))
}

func (s *Server) handleModTopicFlag(flag string) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, err := idParam(c)
		if err != nil {
			return err
		}
		on := c.FormValue(flag) != "false"
		if err := s.Moderation.SetTopicFlag(c.Request().Context(), id, flag, on, c.FormValue("reason")); err != nil {
			return err
		}
		setNotice(c, "Done, and written to the moderation log.")
		return redirect(c, paths.Topic(id))
	}
}

func (s *Server) handleModDismiss(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	if err := s.Moderation.Dismiss(c.Request().Context(), id, c.FormValue("reason")); err != nil {
		return err
	}
	setNotice(c, "Dismissed.")
	return redirect(c, paths.Mod)
}

// actionWords names a logged action in plain words.
func actionWords(action string) string {
	if w, ok := map[string]string{
		moderation.ActionDismiss: "dismissed a report", moderation.ActionHidePost: "hid a post", moderation.ActionUnhidePost: "showed a post again",
		moderation.ActionDeletePost: "deleted a post", moderation.ActionLockTopic: "locked a topic", moderation.ActionUnlock: "unlocked a topic",
		moderation.ActionPinTopic: "pinned a topic", moderation.ActionUnpinTopic: "unpinned a topic", moderation.ActionRevealAuthor: "revealed an anonymous author",
		moderation.ActionApprovePost: "approved a held post", moderation.ActionSlowMode: "set slow mode", moderation.ActionMoveTopic: "moved a topic",
	}[action]; ok {
		return w
	}
	return strings.ReplaceAll(action, "_", " ")
}

// actionLabel is the plain words with the log's own key, which moderators can search for.
func actionLabel(action string) string { return actionWords(action) + " (" + action + ")" }

func (s *Server) handleModSlowMode(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	seconds, err := strconv.Atoi(c.FormValue("seconds"))
	if err != nil {
		return apperr.New(apperr.EINVALID, "Choose how long members wait between replies.")
	}
	if err := s.Moderation.SetSlowMode(c.Request().Context(), id, seconds, c.FormValue("reason")); err != nil {
		return err
	}
	setNotice(c, "Slow mode set, and written to the moderation log.")
	return redirect(c, paths.Topic(id))
}

func (s *Server) handleModMove(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	if err := s.Moderation.MoveTopic(c.Request().Context(), id, strings.TrimSpace(c.FormValue("group")), c.FormValue("reason")); err != nil {
		return err
	}
	setNotice(c, "The topic was moved, and the move written to the moderation log.")
	return redirect(c, paths.Topic(id))
}
