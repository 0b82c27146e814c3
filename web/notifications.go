package web

import (
	"net/http"
	"strconv"

	"github.com/haven-forum/haven/internal/forum"
	"github.com/haven-forum/haven/internal/paths"
	forumview "github.com/haven-forum/haven/views/forum"
	"github.com/labstack/echo/v4"
)

func (s *Server) handleNotifications(c echo.Context) error {
	ctx := c.Request().Context()
	page, _ := strconv.Atoi(c.QueryParam("page"))
	np, err := s.Inbox.List(ctx, page)
	if err != nil {
		return err
	}
	// Opening the inbox marks what it holds as read; a HEAD (a prefetcher, a link checker) is no opening.
	if !isHead(c) {
		if err := s.Inbox.MarkSeen(ctx, np.Newest); err != nil {
			return err
		}
	}
	on, err := s.Inbox.Settings(ctx)
	if err != nil {
		return err
	}
	view := forumview.NotificationsPage{Pager: forumview.Pager{Page: np.Page, Pages: np.Pages, BaseURL: paths.Notifications}}
	if view.ModerationNotices, err = s.moderationNotices(ctx, state(c).viewer.ID); err != nil {
		return err
	}
	for _, n := range np.Items {
		view.Items = append(view.Items, forumview.Notification{Text: n.Text, GroupName: n.GroupName, Link: n.Link,
			When: n.CreatedAt, PostDeleted: n.PostDeleted, Unread: n.Unread})
	}
	for _, k := range forum.NotificationKinds {
		view.Settings = append(view.Settings, forumview.NotificationSetting{Key: k.Key, Label: k.Label, On: on[k.Key]})
	}
	return render(c, http.StatusOK, forumview.Notifications(s.page(c, "Notifications"), view))
}

// handleNotificationSettings saves the whole form: an unchecked box is not sent, so it means off.
func (s *Server) handleNotificationSettings(c echo.Context) error {
	kinds := make(map[string]bool, len(forum.NotificationKinds))
	for _, k := range forum.NotificationKinds {
		kinds[k.Key] = c.FormValue(k.Key) == "on"
	}
	if err := s.Inbox.SaveSettings(c.Request().Context(), kinds); err != nil {
		return err
	}
	setNotice(c, "Your notification settings were saved.")
	return redirect(c, paths.Notifications)
}

func (s *Server) handleNotificationsClear(c echo.Context) error {
	if err := s.Inbox.Clear(c.Request().Context()); err != nil {
		return err
	}
	setNotice(c, "All your notifications were deleted.")
	return redirect(c, paths.Notifications)
}
