package web

import (
	"net/http"

	"github.com/haven-forum/haven/internal/forum"
	"github.com/haven-forum/haven/internal/privacy"
	insightsview "github.com/haven-forum/haven/views/insights"
	"github.com/labstack/echo/v4"
)

// insightWeeks is how far back community insights look.
const insightWeeks = 12

// handleGroupInsights shows a group's weekly figures to its moderators and admins: from posts
// (forum decides who may see them) and from reading (privacy computes them, k-anonymous).
func (s *Server) handleGroupInsights(c echo.Context) error {
	ctx := c.Request().Context()
	ins, err := s.Forum.Reads.GroupInsights(ctx, c.Param("slug"), insightWeeks)
	if err != nil {
		return err
	}
	reading, err := s.Privacy.Readers.GroupReadingFigures(ctx, ins.Group.ID, insightWeeks, ins.Now)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, insightsview.Insights(s.page(c, "Community insights: "+ins.Group.Name), insightsPage(ins, reading)))
}

func insightsPage(ins forum.Insights, reading []privacy.WeekReading) insightsview.Page {
	p := insightsview.Page{GroupName: ins.Group.Name, GroupSlug: ins.Group.Slug, K: privacy.K}
	for _, k := range forum.ReactionKinds {
		p.Kinds = append(p.Kinds, insightsview.Kind{Key: k.Key, Label: k.Label})
	}
	for i, w := range ins.Weeks {
		v := insightsview.Week{Start: w.Start, Current: i == len(ins.Weeks)-1, NewTopics: w.NewTopics, Replies: w.Replies,
			Answered: w.Answered, MedianFirstReply: w.MedianFirstReply, DayOld: w.DayOld, NoReplyInADay: w.NoReplyInADay}
		for _, k := range forum.ReactionKinds {
			v.Reactions = append(v.Reactions, w.Reactions[k.Key])
		}
		r := reading[i] // both count the same calendar weeks (internal/week)
		v.ReadersPerTopic = insightsview.Figure{Value: r.ReadersPerTopic.Value, Hidden: r.ReadersPerTopic.Hidden, Pending: r.Open}
		v.ReplyShare = insightsview.Figure{Value: r.ReplyShare.Value, Hidden: r.ReplyShare.Hidden, Pending: r.Open}
		p.Weeks = append(p.Weeks, v)
	}
	return p
}
