package web

import (
	"strconv"

	"github.com/haven-forum/haven/internal/crisis"
	"github.com/haven-forum/haven/internal/forum"
	"github.com/haven-forum/haven/internal/markdown"
	"github.com/haven-forum/haven/views/components"
	forumview "github.com/haven-forum/haven/views/forum"
	"github.com/labstack/echo/v4"
)

// wantsPreview reports whether the member pressed "Preview" rather than the form's submit button.
func wantsPreview(c echo.Context) bool { return c.FormValue("preview") == "1" }

// keepTyped carries the form's submit key and quote into a form shown again, so that sending it
// afterwards still makes exactly one post.
func keepTyped(base forumview.Compose, values map[string]string) forumview.Compose {
	base.SubmitKey = values["_submit"]
	if base.SubmitKey == "" {
		base.SubmitKey = randomString(16)
	}
	base.QuoteOf, _ = strconv.ParseInt(values["quote_of"], 10, 64)
	return base
}

// preview shows what was typed as it would be posted, above the same form with everything kept.
// Only reads happen: no post, no draft, no submit key used, no rate-limit or new-member count,
// nothing queued for moderators, no notification. Words the crisis matcher reads as at risk bring
// the crisis resources now, and the form then posts as "Post it anyway" would: the concern is
// raised only if the member does post, and from the words they post.
func (s *Server) preview(c echo.Context, base forumview.Compose, in forum.PostInput, values map[string]string) (forumview.Compose, error) {
	base = keepTyped(base, values)
	base.Form = components.Form{Values: values}
	author := state(c).viewer.Username
	if in.Anonymous && base.AllowAnonymous {
		author = forum.AnonymousName
	}
	base.Preview = &forumview.Preview{Title: in.Title, ContentWarning: in.ContentWarning, BodyHTML: markdown.Render(in.Body),
		AuthorName: author}
	level, err := s.Forum.Posts.CrisisLevel(c.Request().Context(), in)
	if err != nil || level != crisis.AtRisk {
		return base, err
	}
	base.CrisisCheck = true
	base.CrisisLines, base.CrisisHTML, err = s.crisisResources(c.Request().Context())
	return base, err
}
