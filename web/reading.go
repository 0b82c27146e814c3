package web

import (
	"fmt"
	"strconv"

	"github.com/haven-forum/haven/internal/forum"
	"github.com/haven-forum/haven/internal/paths"
	"github.com/haven-forum/haven/internal/privacy"
	forumview "github.com/haven-forum/haven/views/forum"
	privacyview "github.com/haven-forum/haven/views/privacy"
	"github.com/labstack/echo/v4"
)

// What is new for the viewer is worked out per request, after a page's content is built (and
// whether or not that came from a cache), from their own read positions only: one query per
// list, nothing at all while their reading history is off.

// ContinueCount is how many topics "Continue where you left off" lists.
const ContinueCount = 5

// unreadIn returns what is new for the viewer in topics, and whether to say instead how to see it.
func (s *Server) unreadIn(c echo.Context, topicIDs []int64) (privacy.Unreads, bool, error) {
	if state(c).viewer == nil {
		return privacy.Unreads{}, false, nil
	}
	u, err := s.Privacy.Reading.UnreadIn(c.Request().Context(), topicIDs)
	return u, !u.On, err
}

func newPosts(u privacy.Unreads, topicID int64) forumview.NewPosts {
	n := u.Topics[topicID]
	return forumview.NewPosts{N: n.New, Never: !n.Opened}
}

// markGroupPage marks each topic of a group page with what is new in it for the viewer.
func (s *Server) markGroupPage(c echo.Context, v *forumview.GroupPage) error {
	if !v.Readable {
		return nil
	}
	ids := make([]int64, len(v.Topics))
	for i, t := range v.Topics {
		ids[i] = t.ID
	}
	u, off, err := s.unreadIn(c, ids)
	if err != nil {
		return err
	}
	v.ReadingOff = off
	for i := range v.Topics {
		v.Topics[i].New = newPosts(u, v.Topics[i].ID)
	}
	return nil
}

// homeReading marks the home page's suggestions and lists the topics to continue.
func (s *Server) homeReading(c echo.Context, suggestions []forumview.Suggestion) (forumview.HomeReading, error) {
	var out forumview.HomeReading
	if state(c).viewer == nil {
		return out, nil
	}
	ctx := c.Request().Context()
	topicIDs := make([]int64, len(suggestions))
	for i, sg := range suggestions {
		topicIDs[i] = sg.TopicID
	}
	// Some of the topics to continue may no longer be readable: more are asked for.
	ids, unread, u, err := s.Privacy.Reading.ContinueAndUnreadIn(ctx, 4*ContinueCount, topicIDs)
	if err != nil {
		return out, err
	}
	docs, err := s.Forum.Reads.TopicDocs(ctx, ids, 0)
	if err != nil {
		return out, err
	}
	titles := make(map[int64]string, len(docs))
	for _, d := range docs {
		titles[d.TopicID] = d.Title
	}
	for _, id := range ids {
		if title, ok := titles[id]; ok && len(out.Continue) < ContinueCount {
			n := unread[id]
			out.Continue = append(out.Continue, forumview.Suggestion{TopicID: id, Title: title, URL: unreadURL(id, n.Before),
				New: forumview.NewPosts{N: n.New}})
		}
	}
	out.Off = !u.On
	for i := range suggestions {
		suggestions[i].New = newPosts(u, suggestions[i].TopicID)
	}
	return out, nil
}

// markSearch marks each result with what is new in its topic.
func (s *Server) markSearch(c echo.Context, v *forumview.SearchPage) error {
	if !v.Searched || len(v.Results) == 0 {
		return nil
	}
	ids := make([]int64, len(v.Results))
	for i, r := range v.Results {
		ids[i] = r.TopicID
	}
	u, off, err := s.unreadIn(c, ids)
	if err != nil {
		return err
	}
	v.Reading = off
	for i := range v.Results {
		v.Results[i].New = newPosts(u, v.Results[i].TopicID)
	}
	return nil
}

// markTopicPage points the viewer at the first post they have not read, on this page or
// another, for a topic they opened before. It must run before this view moves their position.
func (s *Server) markTopicPage(c echo.Context, v *forumview.TopicPage) (historyOn bool, err error) {
	if state(c).viewer == nil {
		return false, nil
	}
	u, on, err := s.Privacy.Reading.UnreadInTopic(c.Request().Context(), v.ID)
	if err != nil || !on || !u.Opened || u.FirstUnread == 0 {
		return on, err
	}
	for i := range v.Posts {
		if v.Posts[i].ID == u.FirstUnread {
			v.Posts[i].FirstUnread = true
			v.UnreadURL = "#unread"
			return true, nil
		}
	}
	v.UnreadURL = unreadURL(v.ID, u.Before)
	return true, nil
}

// unreadURL is the first unread post of a topic on its page, before posts coming before it.
func unreadURL(topicID int64, before int) string {
	if page := before/forum.PostsPerPage + 1; page > 1 {
		return paths.Topic(topicID) + "?page=" + strconv.Itoa(page) + "#unread"
	}
	return paths.Topic(topicID) + "#unread"
}

// lastShown is the highest post the page shows: the viewer's read position after this view.
func lastShown(v forumview.TopicPage) int64 {
	var last int64
	for _, p := range v.Posts {
		last = max(last, p.ID)
	}
	return last
}

func (s *Server) handleReadPositionDelete(c echo.Context) error {
	var id int64 // none: every position
	if c.Param("id") != "" {
		var err error
		if id, err = idParam(c); err != nil {
			return err
		}
	}
	n, err := s.Privacy.Reading.DeleteReadPosition(c.Request().Context(), id)
	if err != nil {
		return err
	}
	s.checkpoint(c)
	if id == 0 {
		setNoticeAt(c, fmt.Sprintf("Deleted: %s. Those topics show as new again.", plural(n, "read position", "read positions")), "positions")
	} else {
		setNoticeAt(c, "Deleted: that topic shows as new again.", "positions")
	}
	return redirect(c, paths.PrivacyActivity+"#positions-h")
}

// readPositionItems is the viewer's read positions, for the dashboard and the activity page.
func (s *Server) readPositionItems(c echo.Context) ([]privacyview.ReadPosition, error) {
	list, err := s.Privacy.Reading.ReadPositions(c.Request().Context())
	if err != nil {
		return nil, err
	}
	out := make([]privacyview.ReadPosition, len(list))
	for i, rp := range list {
		out[i] = privacyview.ReadPosition{TopicID: rp.TopicID, TopicTitle: rp.TopicTitle, TopicURL: paths.Topic(rp.TopicID),
			GroupName: rp.GroupName, When: rp.ReadAt}
	}
	return out, nil
}
