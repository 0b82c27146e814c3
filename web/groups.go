package web

import (
	"net/http"
	"strconv"

	"github.com/haven-forum/haven/internal/apperr"
	"github.com/haven-forum/haven/internal/paths"
	forumview "github.com/haven-forum/haven/views/forum"
	"github.com/labstack/echo/v4"
)

func (s *Server) handleHome(c echo.Context) error {
	cards, err := s.Forum.Groups.Directory(c.Request().Context())
	if err != nil {
		return err
	}
	var suggestions []forumview.Suggestion
	if state(c).viewer != nil {
		list, err := s.Recommend.Suggest(c.Request().Context())
		if err != nil {
			return err
		}
		for _, sg := range list {
			suggestions = append(suggestions, forumview.Suggestion{TopicID: sg.TopicID, Title: sg.Title, Reason: sg.Reason,
				ReasonURL: sg.ReasonURL, Dismissable: sg.Dismissable})
		}
	}
	reading, err := s.homeReading(c, suggestions)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, forumview.Home(s.page(c, ""), groupCards(cards), state(c).viewer != nil, suggestions, reading))
}

func (s *Server) handleGroupsMine(c echo.Context) error {
	cards, err := s.Forum.Groups.Directory(c.Request().Context())
	if err != nil {
		return err
	}
	mine := cards[:0]
	for _, g := range cards {
		if g.Role != "" {
			mine = append(mine, g)
		}
	}
	return render(c, http.StatusOK, forumview.MyGroups(s.page(c, "My groups"), groupCards(mine)))
}

func pageParam(c echo.Context) int {
	n, err := strconv.Atoi(c.QueryParam("page"))
	if err != nil || n < 1 {
		return 1
	}
	return n
}

func (s *Server) handleGroupShow(c echo.Context) error {
	gp, err := s.Forum.Groups.GroupPage(c.Request().Context(), c.Param("slug"), pageParam(c))
	if err != nil {
		return err
	}
	v := groupPage(gp)
	if err := s.markGroupPage(c, &v); err != nil {
		return err
	}
	v.SignedOut = state(c).viewer == nil
	return render(c, http.StatusOK, forumview.GroupShow(s.page(c, gp.Group.Name), v))
}

func (s *Server) handleGroupJoin(c echo.Context) error {
	slug := c.Param("slug")
	if err := s.Forum.Groups.Join(c.Request().Context(), slug); err != nil {
		return err
	}
	setNotice(c, "Welcome to the group. Read the rules, say hello when you're ready, or just read: all are fine.")
	return redirect(c, paths.Group(slug))
}

func (s *Server) handleGroupLeave(c echo.Context) error {
	slug := c.Param("slug")
	if err := s.Forum.Groups.Leave(c.Request().Context(), slug); err != nil {
		return err
	}
	setNotice(c, "You left the group. Your posts stay; you can join again any time.")
	return redirect(c, paths.Home)
}

func (s *Server) handleGroupRequest(c echo.Context) error {
	slug := c.Param("slug")
	if err := s.Forum.Groups.RequestToJoin(c.Request().Context(), slug, c.FormValue("message")); err != nil {
		return err
	}
	setNotice(c, "Your request was sent. You'll get a notification when a moderator answers.")
	return redirect(c, paths.Group(slug))
}

func (s *Server) handleGroupRequestAnswer(c echo.Context) error {
	slug := c.Param("slug")
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return echo.ErrNotFound
	}
	approve := c.FormValue("decision") == "approve"
	if !approve && c.FormValue("decision") != "decline" {
		return apperr.New(apperr.EINVALID, "Choose approve or decline.")
	}
	if err := s.Forum.Groups.AnswerRequest(c.Request().Context(), slug, id, approve); err != nil {
		return err
	}
	setNotice(c, map[bool]string{true: "Request approved.", false: "Request declined."}[approve])
	return redirect(c, paths.Group(slug))
}

func (s *Server) handleGroupInviteCreate(c echo.Context) error {
	ctx := c.Request().Context()
	slug := c.Param("slug")
	token, err := s.Forum.Groups.CreateInvite(ctx, slug)
	if err != nil {
		return err
	}
	gp, err := s.Forum.Groups.GroupPage(ctx, slug, 1)
	if err != nil {
		return err
	}
	v := groupPage(gp)
	if err := s.markGroupPage(c, &v); err != nil {
		return err
	}
	v.InviteLink = s.absoluteURL(c, paths.Invite(token))
	return render(c, http.StatusOK, forumview.GroupShow(s.page(c, gp.Group.Name), v))
}

// absoluteURL makes a link to share outside Haven.
func (s *Server) absoluteURL(c echo.Context, path string) string {
	if s.BaseURL != "" {
		return s.BaseURL + path
	}
	return c.Scheme() + "://" + c.Request().Host + path
}

func (s *Server) handleInviteShow(c echo.Context) error {
	return render(c, http.StatusOK, forumview.InviteShow(s.page(c, "Invitation"), c.Param("token"), ""))
}

func (s *Server) handleInviteAccept(c echo.Context) error {
	slug, err := s.Forum.Groups.AcceptInvite(c.Request().Context(), c.Param("token"))
	if err != nil {
		return err
	}
	setNotice(c, "You joined the group. Welcome.")
	return redirect(c, paths.Group(slug))
}
