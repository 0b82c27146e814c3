package web

import (
	"net/http"

	"github.com/haven-forum/haven/internal/apperr"
	"github.com/haven-forum/haven/internal/paths"
	forumview "github.com/haven-forum/haven/views/forum"
	"github.com/labstack/echo/v4"
)

// handleTopicFollow follows (follow=true) or unfollows (follow=false) a topic, and returns to
// the button, or to the following list it was pressed on.
func (s *Server) handleTopicFollow(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	var on bool
	switch c.FormValue("follow") {
	case "true":
		on = true
	case "false":
	default:
		return apperr.New(apperr.EINVALID, "Choose to follow (follow=true) or unfollow (follow=false) the topic.")
	}
	if err := s.Forum.Follows.Follow(c.Request().Context(), id, on); err != nil {
		return err
	}
	if c.FormValue("from") == "following" {
		setNoticeAt(c, "You no longer follow that topic.", "following")
		return redirect(c, paths.AccountFollowing)
	}
	msg := "You no longer follow this topic: its replies will not notify you."
	if on {
		msg = "You follow this topic: a reply in it will notify you."
	}
	setNoticeAt(c, msg, "follow")
	return redirect(c, paths.Topic(id)+"#follow")
}

// handleFollowing lists the topics the member follows, each with an unfollow button.
func (s *Server) handleFollowing(c echo.Context) error {
	ctx := c.Request().Context()
	fp, err := s.Forum.Follows.Following(ctx, pageParam(c))
	if err != nil {
		return err
	}
	view := forumview.FollowingList{Total: fp.Total, Pager: forumview.Pager{Page: fp.Page, Pages: fp.Pages, BaseURL: paths.AccountFollowing}}
	for _, it := range fp.Items {
		view.Items = append(view.Items, forumview.FollowedTopic{TopicID: it.TopicID, Title: it.Title, GroupName: it.GroupName,
			Link: it.Link, Since: it.Since})
	}
	return render(c, http.StatusOK, forumview.FollowingPage(s.page(c, "Topics you follow"), view))
}

// handleFollowReplies saves "Follow topics I reply to": an unchecked box is not sent, so it means off.
func (s *Server) handleFollowReplies(c echo.Context) error {
	on := c.FormValue("follow_replies") == "on"
	if err := s.Forum.Follows.SetFollowReplied(c.Request().Context(), on); err != nil {
		return err
	}
	msg := "Replying to a topic no longer follows it. Topics you already follow stay followed."
	if on {
		msg = "Replying to a topic now follows it."
	}
	setNoticeAt(c, msg, "follow-h")
	return redirect(c, paths.Account+"#follow-h")
}
