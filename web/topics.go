package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/haven-forum/haven/internal/apperr"
	"github.com/haven-forum/haven/internal/forum"
	"github.com/haven-forum/haven/internal/paths"
	"github.com/haven-forum/haven/views/components"
	forumview "github.com/haven-forum/haven/views/forum"
	"github.com/labstack/echo/v4"
)

func idParam(c echo.Context) (int64, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id < 1 {
		return 0, echo.ErrNotFound
	}
	return id, nil
}

var composeFields = []string{"title", "body", "content_warning", "anonymous", "_submit", "quote_of"}

// postInput reads a compose form: only the fields it names.
func postInput(c echo.Context) (forum.PostInput, map[string]string) {
	v := formValues(c, composeFields...)
	quote, _ := strconv.ParseInt(v["quote_of"], 10, 64)
	return forum.PostInput{Title: v["title"], Body: v["body"], ContentWarning: v["content_warning"], Anonymous: v["anonymous"] == "1",
		QuoteOf: quote, SubmitKey: v["_submit"], CrisisAck: c.FormValue("crisis_ack") == "1"}, v
}

// composeAgain prepares a form to show again after a refusal or the crisis check: everything
// typed is kept, including the form's submit key, so sending it again still makes one post.
func (s *Server) composeAgain(c echo.Context, base forumview.Compose, values map[string]string, err error) (forumview.Compose, int, error) {
	base = keepTyped(base, values)
	if errors.Is(err, forum.ErrCrisisCheck) {
		lines, page, cerr := s.crisisResources(c.Request().Context())
		if cerr != nil {
			return base, 0, cerr
		}
		base.CrisisCheck, base.CrisisLines, base.CrisisHTML = true, lines, page
		base.Form = components.Form{Values: values}
		return base, http.StatusOK, nil
	}
	if e, ok := apperr.As(err); ok && e.Fields != nil {
		base.Form = components.Form{Values: values, Errors: e.Fields}
		return base, http.StatusUnprocessableEntity, nil
	}
	return base, 0, err
}

func (s *Server) handleTopicNew(c echo.Context) error {
	slug := c.Param("slug")
	gp, err := s.Forum.Groups.GroupPage(c.Request().Context(), slug, 1)
	if err != nil {
		return err
	}
	if !gp.Abilities.Post {
		return apperr.New(apperr.EFORBIDDEN, "Join this group to start a topic in it.")
	}
	cmp := newTopicCompose(gp.Group)
	cmp.SubmitKey = randomString(16)
	return render(c, http.StatusOK, forumview.ComposePage(s.page(c, "New topic in "+gp.Group.Name), "New topic in "+gp.Group.Name, cmp))
}

func newTopicCompose(g forum.Group) forumview.Compose {
	return forumview.Compose{Action: paths.GroupTopics(g.Slug), WithTitle: true, AllowAnonymous: g.AllowAnonymous,
		Submit: "Post the topic", CancelURL: paths.Group(g.Slug)}
}

func (s *Server) handleTopicCreate(c echo.Context) error {
	ctx := c.Request().Context()
	slug := c.Param("slug")
	in, values := postInput(c)
	var id int64
	var err error
	if wantsPreview(c) {
		err = s.Forum.Groups.MayStartTopic(ctx, slug)
	} else {
		id, err = s.Forum.Posts.CreateTopic(ctx, slug, in)
	}
	if err == nil && id != 0 {
		s.offerHelpLines(c, in)
		return redirect(c, paths.Topic(id))
	}
	gp, gerr := s.Forum.Groups.GroupPage(ctx, slug, 1)
	if gerr != nil {
		return gerr
	}
	cmp, status := newTopicCompose(gp.Group), http.StatusOK
	if err == nil {
		cmp, err = s.preview(c, cmp, in, values)
	} else {
		cmp, status, err = s.composeAgain(c, cmp, values, err)
	}
	if err != nil {
		return err
	}
	return render(c, status, forumview.ComposePage(s.page(c, "New topic in "+gp.Group.Name), "New topic in "+gp.Group.Name, cmp))
}

func (s *Server) topicView(c echo.Context, topicID int64, page int) (forumview.TopicPage, error) {
	v, _, err := s.topicViewAndPage(c, topicID, page)
	return v, err
}

func (s *Server) topicViewAndPage(c echo.Context, topicID int64, page int) (forumview.TopicPage, forum.TopicPage, error) {
	tp, err := s.Forum.Posts.TopicPage(c.Request().Context(), topicID, page)
	if err != nil {
		return forumview.TopicPage{}, tp, err
	}
	// Per moment, so outside the topic's own read: links for members who exist now.
	if tp.Posts, err = s.Forum.Profiles.ShowPosts(c.Request().Context(), tp.Posts); err != nil {
		return forumview.TopicPage{}, tp, err
	}
	v := topicPage(tp, state(c).viewer != nil)
	v.Reply = forumview.Compose{Action: paths.TopicReplies(topicID), AllowAnonymous: tp.Group.AllowAnonymous,
		SubmitKey: randomString(16), Submit: "Post reply"}
	if state(c).viewer != nil {
		v.Follow = &forumview.Follow{TopicID: topicID, Following: tp.Following}
	}
	return v, tp, nil
}

func (s *Server) handleTopicShow(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	v, tp, err := s.topicViewAndPage(c, id, pageParam(c))
	if err != nil {
		return err
	}
	groupID := tp.Group.ID
	related, err := s.Forum.Reads.Related(c.Request().Context(), tp, 5)
	if err != nil {
		return err
	}
	for _, r := range related {
		v.Related = append(v.Related, forumview.Suggestion{TopicID: r.TopicID, Title: r.Title})
	}
	// Where the viewer stopped last time, read before this view moves it.
	historyOn, err := s.markTopicPage(c, &v)
	if err != nil {
		return err
	}
	// The one behavioural record Haven can keep, with the read position, and only through the
	// consent gate; a HEAD is no visit. With reading history off a moment ago there is nothing to
	// record: skipping writes nothing, and spares the gate's own look.
	if historyOn && !isHead(c) {
		if _, err := s.Privacy.RecordTopicRead(c.Request().Context(), id, groupID, lastShown(v)); err != nil {
			return err
		}
	}
	if q, _ := strconv.ParseInt(c.QueryParam("quote"), 10, 64); q > 0 && v.Actions.Post {
		text, err := s.Forum.Posts.QuoteText(c.Request().Context(), q)
		if err != nil {
			return err
		}
		v.Reply.QuoteOf = q
		v.Reply.Form = components.Form{Values: map[string]string{"body": text}}
	}
	return render(c, http.StatusOK, forumview.TopicShow(s.page(c, v.Title), v))
}

func (s *Server) handleReplyCreate(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	in, values := postInput(c)
	var postID int64
	if wantsPreview(c) {
		err = s.Forum.Groups.MayReply(c.Request().Context(), id)
	} else {
		postID, err = s.Forum.Posts.Reply(c.Request().Context(), id, in)
	}
	if err == nil && postID != 0 {
		s.offerHelpLines(c, in)
		return redirect(c, paths.Post(postID))
	}
	v, verr := s.topicView(c, id, 1<<30) // the last page, where the reply would appear
	if verr != nil {
		return verr
	}
	cmp, status := v.Reply, http.StatusOK
	if err == nil {
		cmp, err = s.preview(c, cmp, in, values)
	} else {
		cmp, status, err = s.composeAgain(c, cmp, values, err)
	}
	if err != nil {
		return err
	}
	v.Reply = cmp
	return render(c, status, forumview.TopicShow(s.page(c, v.Title), v))
}

// handlePostShow is the stable link of a post: it sends the reader to its page and anchor.
func (s *Server) handlePostShow(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	topicID, page, err := s.Forum.Posts.PostLocation(c.Request().Context(), id)
	if err != nil {
		return err
	}
	to := paths.Topic(topicID)
	if page > 1 {
		to += fmt.Sprintf("?page=%d", page)
	}
	return c.Redirect(http.StatusFound, to+fmt.Sprintf("#p%d", id))
}

func (s *Server) editCompose(c echo.Context, postID int64) (forumview.Compose, error) {
	ctx := c.Request().Context()
	topicID, page, err := s.Forum.Posts.PostLocation(ctx, postID)
	if err != nil {
		return forumview.Compose{}, err
	}
	tp, err := s.Forum.Posts.TopicPage(ctx, topicID, page)
	if err != nil {
		return forumview.Compose{}, err
	}
	for i, p := range tp.Posts {
		if p.ID != postID {
			continue
		}
		if !p.CanEdit {
			return forumview.Compose{}, apperr.New(apperr.EFORBIDDEN, "You can only change your own posts.")
		}
		values := map[string]string{"body": p.Body, "content_warning": p.ContentWarning}
		first := page == 1 && i == 0
		if first {
			values["title"] = tp.Topic.Title
		}
		return forumview.Compose{Action: paths.PostEdit(postID), WithTitle: first, Submit: "Save changes",
			CancelURL: paths.Post(postID), Form: components.Form{Values: values}}, nil
	}
	return forumview.Compose{}, apperr.New(apperr.ENOTFOUND, "That post was not found.")
}

func (s *Server) handlePostEditForm(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	cmp, err := s.editCompose(c, id)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, forumview.EditPage(s.page(c, "Edit your post"), id, cmp))
}

func (s *Server) handlePostEdit(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	in, values := postInput(c)
	if wantsPreview(c) {
		return s.previewEdit(c, id, in, values)
	}
	held, err := s.Forum.Posts.EditPost(c.Request().Context(), id, in)
	if err == nil {
		msg := "Your post was updated."
		if held {
			msg = "Your post was updated. It waits for a moderator's approval before others can see it."
		}
		setNotice(c, msg)
		return redirect(c, paths.Post(id))
	}
	if e, ok := apperr.As(err); (!ok || e.Fields == nil) && !errors.Is(err, forum.ErrCrisisCheck) {
		return err
	}
	cmp, cerr := s.editCompose(c, id)
	if cerr != nil {
		return cerr
	}
	cmp, status, err := s.composeAgain(c, cmp, values, err)
	if err != nil {
		return err
	}
	return render(c, status, forumview.EditPage(s.page(c, "Edit your post"), id, cmp))
}

// previewEdit shows the edit as it would appear; the post stays as it is.
func (s *Server) previewEdit(c echo.Context, id int64, in forum.PostInput, values map[string]string) error {
	if err := s.Forum.Posts.MayEdit(c.Request().Context(), id); err != nil {
		return err
	}
	cmp, err := s.editCompose(c, id)
	if err != nil {
		return err
	}
	if !cmp.WithTitle {
		in.Title = ""
	}
	if cmp, err = s.preview(c, cmp, in, values); err != nil {
		return err
	}
	return render(c, http.StatusOK, forumview.EditPage(s.page(c, "Edit your post"), id, cmp))
}

func (s *Server) handlePostDelete(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	if err := s.Forum.Posts.DeletePost(c.Request().Context(), id); err != nil {
		return err
	}
	s.checkpoint(c)
	setNotice(c, "Your post was deleted.")
	return redirect(c, paths.Post(id))
}

func (s *Server) handlePostReact(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	if _, err := s.Forum.Posts.React(c.Request().Context(), id, c.FormValue("kind")); err != nil {
		return err
	}
	return redirect(c, paths.Post(id))
}

func (s *Server) handlePostRevisions(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	revs, err := s.Forum.Posts.Revisions(c.Request().Context(), id)
	if err != nil {
		return err
	}
	out := make([]forumview.Revision, len(revs))
	for i, r := range revs {
		out[i] = forumview.Revision{Title: r.Title, Body: r.Body, ContentWarning: r.ContentWarning, When: r.ReplacedAt}
	}
	return render(c, http.StatusOK, forumview.RevisionsPage(s.page(c, "Earlier versions"), id, out))
}

// handlePostReveal shows a moderator who wrote an anonymous post; the reveal is recorded.
func (s *Server) handlePostReveal(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	name, err := s.Moderation.RevealAuthor(c.Request().Context(), id, c.FormValue("reason"))
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, forumview.RevealPage(s.page(c, "Author revealed"), id, name))
}
