package web

import (
	"context"

	"github.com/haven-forum/haven/internal/crisis"
	"github.com/haven-forum/haven/internal/forum"
	"github.com/haven-forum/haven/internal/markdown"
	"github.com/haven-forum/haven/views/components"
	"github.com/labstack/echo/v4"
)

// helpLines is the built-in list of help lines for the site's --crisis-region.
func (s *Server) helpLines() components.HelpLines {
	r, ok := crisis.Lookup(s.CrisisRegion)
	if !ok {
		r, _ = crisis.Lookup(crisis.International)
	}
	h := components.HelpLines{Emergency: r.Emergency, Directory: r.Directory}
	if r.Code != crisis.International {
		h.Region = r.Name
	}
	for _, l := range r.Lines {
		h.Lines = append(h.Lines, components.HelpLine{Name: l.Name, Number: l.Number, Tel: l.Tel(), Text: l.Text, Hours: l.Hours})
	}
	return h
}

// crisisResources are the help lines and the admin's crisis page, rendered, as shown in a crisis.
func (s *Server) crisisResources(ctx context.Context) (components.HelpLines, string, error) {
	page, err := s.Settings.CrisisPage(ctx)
	if err != nil {
		return components.HelpLines{}, "", err
	}
	return s.helpLines(), markdown.Render(page), nil
}

// offerHelpLines tells an author whose post mentions suicide or self-harm, privately and without
// stopping them, where the help lines are; only their own words, now, put anything in the queue.
func (s *Server) offerHelpLines(c echo.Context, in forum.PostInput) {
	if l, err := s.Forum.Posts.CrisisLevel(c.Request().Context(), in); err == nil && l == crisis.Mention {
		setNotice(c, "Your post is up. If any of this is close to you right now, “Need help now?” at the top of every page lists help lines that answer day and night.")
	}
}
