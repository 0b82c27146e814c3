package web

import (
	"fmt"
	"net/http"

	"github.com/haven-forum/haven/internal/paths"
	"github.com/haven-forum/haven/internal/privacy"
	"github.com/haven-forum/haven/internal/recommend"
	forumview "github.com/haven-forum/haven/views/forum"
	"github.com/labstack/echo/v4"
)

func (s *Server) handleSuggestionsHow(c echo.Context) error {
	ctx := c.Request().Context()
	h := forumview.HowParams{WindowDays: int(recommend.CandidateWindow.Hours() / 24), HalfLifeDays: int(recommend.HalfLife.Hours() / 24),
		Count: recommend.Count, WaitingBoost: "twice", ReactionWeight: "a tenth",
		HistoryLimit: recommend.HistoryLimit, EngagedLimit: recommend.EngagedLimit,
		SignalHalfLifeDays: int(recommend.SignalHalfLife.Hours() / 24), K: privacy.K,
		Seeds: recommend.SeedCount, ReadersPerSeed: privacy.CoReadersPerSeed}
	for _, sw := range []struct {
		key string
		on  *bool
	}{{privacy.PersonalizedRecommendations, &h.PersonalOn}, {privacy.ReadingHistory, &h.ReadingOn}, {privacy.CommunitySignals, &h.CommunityOn}} {
		on, err := s.Privacy.Granted(ctx, sw.key)
		if err != nil {
			return err
		}
		*sw.on = on
	}
	return render(c, http.StatusOK, forumview.SuggestionsHow(s.page(c, "How suggestions work"), h))
}

// handleNotInterested hides a suggestion and lowers topics like it (personalized suggestions only).
func (s *Server) handleNotInterested(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	docs, err := s.Forum.Reads.TopicDocs(ctx, []int64{id}, 0)
	if err != nil {
		return err
	}
	if len(docs) == 0 {
		return echo.ErrNotFound // not a topic the member can read: nothing to record
	}
	if err := s.Privacy.MarkNotInterested(ctx, id); err != nil {
		return err
	}
	setNoticeAt(c, fmt.Sprintf("“%s” won't be suggested again, and topics like it less. Your privacy dashboard lists this choice; delete it there to undo.", docs[0].Title), "recommendations")
	return redirect(c, paths.Home+"#recommendations")
}

func (s *Server) handleNotInterestedDelete(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	if err := s.Privacy.ForgetNotInterested(c.Request().Context(), id); err != nil {
		return err
	}
	s.checkpoint(c)
	setNotice(c, "Deleted: that topic may be suggested again.")
	return redirect(c, paths.Privacy+"#inferred-h")
}
