package web

import (
	"net/http"

	"github.com/haven-forum/haven/internal/recommend"
	forumview "github.com/haven-forum/haven/views/forum"
	"github.com/labstack/echo/v4"
)

func (s *Server) handleSuggestionsHow(c echo.Context) error {
	h := forumview.HowParams{WindowDays: int(recommend.CandidateWindow.Hours() / 24), HalfLifeDays: int(recommend.HalfLife.Hours() / 24),
		Count: recommend.Count, WaitingBoost: "twice", ReactionWeight: "a tenth"}
	return render(c, http.StatusOK, forumview.SuggestionsHow(s.page(c, "How suggestions work"), h))
}
