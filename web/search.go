package web

import (
	"net/http"
	"net/url"

	"github.com/haven-forum/haven/internal/apperr"
	"github.com/haven-forum/haven/internal/forum"
	"github.com/haven-forum/haven/internal/paths"
	forumview "github.com/haven-forum/haven/views/forum"
	"github.com/labstack/echo/v4"
)

// handleSearch shows the search form and, for a query, a page of results from the groups the
// viewer may read. The query goes nowhere but the database's search: it is not logged or kept.
func (s *Server) handleSearch(c echo.Context) error {
	q := c.QueryParam("q")
	res, err := s.Forum.Index.Search(c.Request().Context(), q, pageParam(c))
	if e, ok := apperr.As(err); ok && e.Code == apperr.EINVALID {
		view := forumview.SearchPage{Query: q, Error: e.Message}
		return render(c, http.StatusBadRequest, forumview.Search(s.page(c, "Search"), view))
	}
	if apperr.Code(err) == apperr.EUNAUTHORIZED && state(c).viewer == nil {
		// Back to an empty search form afterwards: the query is not carried through the log-in.
		setNotice(c, "Please log in to search Haven's support groups.")
		return redirect(c, paths.LogInThen(paths.Search))
	}
	if err != nil {
		return err
	}
	v := searchPage(res)
	if err := s.markSearch(c, &v); err != nil {
		return err
	}
	return render(c, http.StatusOK, forumview.Search(s.page(c, "Search"), v))
}

func searchPage(res forum.SearchPage) forumview.SearchPage {
	out := forumview.SearchPage{Query: res.Query, Searched: res.Query != "", Total: res.Total,
		Pager: forumview.Pager{Page: res.Page, Pages: res.Pages, BaseURL: paths.Search + "?q=" + url.QueryEscape(res.Query)}}
	for _, r := range res.Results {
		out.Results = append(out.Results, forumview.SearchResult{PostID: r.PostID, TopicID: r.TopicID, TitleHTML: r.TitleHTML, GroupName: r.GroupName,
			GroupSlug: r.GroupSlug, SnippetHTML: r.SnippetHTML, ContentWarning: r.ContentWarning, AuthorName: r.AuthorName, AuthorUsername: forum.ProfileName(r.AuthorName),
			When: r.CreatedAt})
	}
	return out
}
