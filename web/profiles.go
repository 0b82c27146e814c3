package web

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/haven-forum/haven/internal/apperr"
	"github.com/haven-forum/haven/internal/forum"
	"github.com/haven-forum/haven/internal/paths"
	"github.com/haven-forum/haven/views/components"
	forumview "github.com/haven-forum/haven/views/forum"
	"github.com/haven-forum/haven/views/pages"
	"github.com/labstack/echo/v4"
)

// handleProfileShow is a member's profile; the route asks visitors to log in first.
func (s *Server) handleProfileShow(c echo.Context) error {
	pr, err := s.Forum.Profiles.Profile(c.Request().Context(), c.Param("username"), pageParam(c))
	if e, ok := apperr.As(err); ok && e.Code == apperr.ENOTFOUND {
		info := pages.ErrorInfo{Status: http.StatusNotFound, Heading: "No member by this name", Message: e.Message,
			Next: "Check the spelling of the name; a profile's address is /u/ and the member's username."}
		return render(c, info.Status, pages.ErrorPage(s.page(c, info.Heading), info))
	}
	if err != nil {
		return err
	}
	v := forumview.ProfilePage{Username: pr.Username, Joined: pr.JoinedAt, Bio: pr.Bio,
		Avatar: forumview.AvatarFor(pr.Username), IsViewer: pr.IsViewer, PostsHidden: pr.PostsHidden, Posts: listedPosts(pr.Posts),
		Pager: forumview.Pager{Page: pr.Page, Pages: pr.Pages, BaseURL: paths.Profile(pr.Username)}}
	return render(c, http.StatusOK, forumview.Profile(s.page(c, pr.Username), v))
}

func (s *Server) handleBookmarks(c echo.Context) error {
	bp, err := s.Forum.Profiles.Bookmarks(c.Request().Context(), pageParam(c))
	if err != nil {
		return err
	}
	v := forumview.BookmarksPage{Posts: listedPosts(bp.Posts), Pager: forumview.Pager{Page: bp.Page, Pages: bp.Pages, BaseURL: paths.Bookmarks}}
	return render(c, http.StatusOK, forumview.Bookmarks(s.page(c, "Your bookmarks"), v))
}

// handlePostBookmark adds or removes a bookmark and returns the member where they were: the
// post on its topic page, or their bookmarks, with the confirmation beside it.
func (s *Server) handlePostBookmark(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	on, err := strconv.ParseBool(c.FormValue("on"))
	if err != nil {
		return apperr.New(apperr.EINVALID, "Say whether to add the bookmark (on=true) or remove it (on=false).")
	}
	if err := s.Forum.Profiles.SetBookmark(c.Request().Context(), id, on); err != nil {
		return err
	}
	msg := "Bookmarked. Only you see your bookmarks."
	if !on {
		msg = "Bookmark removed."
	}
	if c.FormValue("back") == "bookmarks" {
		setNotice(c, msg)
		return redirect(c, paths.Bookmarks)
	}
	setNoticeAt(c, msg, fmt.Sprint("p", id))
	return redirect(c, paths.Post(id))
}

func (s *Server) handleAccountProfile(c echo.Context) error {
	values := formValues(c, "bio", "hide_posts")
	err := s.Forum.Profiles.SaveSettings(c.Request().Context(), values["bio"], values["hide_posts"] == "1")
	if e, ok := apperr.As(err); ok && e.Fields != nil {
		a, verr := s.accountView(c)
		if verr != nil {
			return verr
		}
		a.ProfileForm = components.Form{Values: values, Errors: e.Fields}
		return render(c, http.StatusUnprocessableEntity, pages.AccountPage(s.page(c, "Your account"), a))
	}
	if err != nil {
		return err
	}
	setNoticeAt(c, "Your profile was saved.", "profile-h")
	return redirect(c, paths.Account+"#profile-h")
}

// profileForm is the account page's profile form, filled with what the member saved.
func (s *Server) profileForm(c echo.Context) (components.Form, error) {
	set, err := s.Forum.Profiles.Settings(c.Request().Context())
	if err != nil {
		return components.Form{}, err
	}
	values := map[string]string{"bio": set.Bio}
	if set.HidePosts {
		values["hide_posts"] = "1"
	}
	return components.Form{Values: values}, nil
}

func listedPosts(posts []forum.ProfilePost) []forumview.ListedPost {
	out := make([]forumview.ListedPost, len(posts))
	for i, p := range posts {
		out[i] = forumview.ListedPost{ID: p.ID, TopicID: p.TopicID, TopicTitle: p.TopicTitle, GroupName: p.GroupName, GroupSlug: p.GroupSlug,
			AuthorName: p.AuthorName, AuthorUsername: forum.ProfileName(p.AuthorName), ContentWarning: p.ContentWarning,
			BodyHTML: p.BodyHTML, When: p.CreatedAt}
	}
	return out
}
