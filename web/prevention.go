package web

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/haven-forum/haven/internal/apperr"
	"github.com/haven-forum/haven/internal/paths"
	"github.com/haven-forum/haven/views/components"
	modview "github.com/haven-forum/haven/views/moderation"
	"github.com/labstack/echo/v4"
)

// Held posts, watched words and holding new members' first posts.

func (s *Server) handleModApprove(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	if err := s.Moderation.ApprovePost(c.Request().Context(), id, c.FormValue("reason")); err != nil {
		return err
	}
	return afterModeration(c, "The post is approved and published.", paths.Post(id))
}

// watchedWordRows is the list as the admin page shows it.
func (s *Server) watchedWordRows(ctx context.Context) ([]modview.WatchedWordRow, error) {
	words, err := s.Moderation.WatchedWords(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]modview.WatchedWordRow, len(words))
	for i, w := range words {
		out[i] = modview.WatchedWordRow{ID: w.ID, Word: w.Word, Action: w.Action}
	}
	return out, nil
}

func (s *Server) handleWatchedWordAdd(c echo.Context) error {
	ctx := c.Request().Context()
	values := formValues(c, "word", "action")
	word, err := s.Moderation.AddWatchedWord(ctx, values["word"], values["action"])
	if e, ok := apperr.As(err); ok && e.Fields != nil {
		words, werr := s.watchedWordRows(ctx)
		if werr != nil {
			return werr
		}
		return render(c, http.StatusUnprocessableEntity, modview.WatchedWordsPage(s.page(c, "Watched words"), words, formWith(values, e.Fields)))
	}
	if err != nil {
		return err
	}
	setNotice(c, "“"+word+"” is now watched in every group.")
	return redirect(c, paths.Admin)
}

func (s *Server) handleWatchedWordDelete(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	if err := s.Moderation.DeleteWatchedWord(c.Request().Context(), id); err != nil {
		return err
	}
	setNotice(c, "That word is no longer watched.")
	return redirect(c, paths.Admin)
}

func (s *Server) handleGroupHold(c echo.Context) error {
	ctx := c.Request().Context()
	slug := c.Param("slug")
	values := formValues(c, "hold_first_posts")
	n, perr := strconv.Atoi(strings.TrimSpace(values["hold_first_posts"]))
	if perr != nil {
		n = -1 // not a number: the service answers with the range it accepts
	}
	err := s.Forum.Groups.SetHoldFirstPosts(ctx, slug, n)
	if e, ok := apperr.As(err); ok && e.Fields != nil {
		g, gerr := s.Forum.Groups.Group(ctx, slug)
		if gerr != nil {
			return gerr
		}
		return render(c, http.StatusUnprocessableEntity, modview.HoldFirstPostsPage(s.page(c, g.Name), g.Name, slug, components.Form{Values: values, Errors: e.Fields}))
	}
	if err != nil {
		return err
	}
	notice := "New members' posts in this group are published at once."
	switch {
	case n == 1:
		notice = "Each member's first post in this group will wait for a moderator's approval."
	case n > 1:
		notice = fmt.Sprintf("Each member's first %d posts in this group will wait for a moderator's approval.", n)
	}
	setNotice(c, notice)
	return redirect(c, paths.AdminGroup(slug))
}
