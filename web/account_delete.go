package web

import (
	"bufio"
	"bytes"
	"net/http"
	"time"

	"github.com/haven-forum/haven/internal/apperr"
	"github.com/haven-forum/haven/internal/erasures"
	"github.com/haven-forum/haven/internal/export"
	"github.com/haven-forum/haven/internal/paths"
	"github.com/haven-forum/haven/views/components"
	"github.com/haven-forum/haven/views/pages"
	privacyview "github.com/haven-forum/haven/views/privacy"
	"github.com/labstack/echo/v4"
)

func (s *Server) exportSources() export.Sources {
	return export.Sources{Accounts: s.Accounts, Forum: s.Forum, Inbox: s.Inbox, Privacy: s.Privacy, Moderation: s.Moderation.Records,
		Erasures: erasures.NewReader(s.DB)}
}

// handleExport sends the signed-in member everything Haven holds about them, as one JSON file,
// streamed as it is read. It is always the member's own: there is no id in the URL.
func (s *Server) handleExport(c echo.Context) error {
	v := state(c).viewer
	if c.QueryParam("format") == "html" {
		return s.handleExportHTML(c)
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, echo.MIMEApplicationJSON)
	h.Set(echo.HeaderContentDisposition, `attachment; filename="`+export.Filename(v.Username, time.Now())+`"`)
	// Headers go out with the first 64 KiB, so an error before then still gets the error page.
	w := bufio.NewWriterSize(newProgressWriter(c.Response()), 64<<10)
	err := export.Write(c.Request().Context(), w, v.ID, s.exportSources())
	if err == nil {
		err = w.Flush()
	}
	if err == nil || c.Request().Context().Err() != nil { // done, or the member went away
		return nil
	}
	if !c.Response().Committed {
		h.Del(echo.HeaderContentDisposition)
		return err
	}
	// Half a file is already out: cut the connection so the browser reports a failed download
	// instead of saving a file that looks whole.
	s.logFailure(c, "export failed", err)
	panic(http.ErrAbortHandler)
}

// exportWriteWindow is how long each part of a download may take to read from the database and
// send. The server's write timeout (60 s) would cut a long export of a slow connection midway;
// the deadline moves on with every part sent, so only a download that stops moving is cut.
const exportWriteWindow = 60 * time.Second

// progressWriter pushes the connection's write deadline forward before each write.
type progressWriter struct {
	w  http.ResponseWriter
	rc *http.ResponseController
}

func newProgressWriter(w http.ResponseWriter) *progressWriter {
	p := &progressWriter{w: w, rc: http.NewResponseController(w)}
	p.extend() // reading the first part may take a while too
	return p
}

// extend ignores http.ErrNotSupported: a writer without deadlines has none to move.
func (p *progressWriter) extend() { p.rc.SetWriteDeadline(time.Now().Add(exportWriteWindow)) }

// Write moves the deadline before the part goes out (a slow reader), and after (the next part
// is read from the database first).
func (p *progressWriter) Write(b []byte) (int, error) {
	p.extend()
	n, err := p.w.Write(b)
	p.extend()
	return n, err
}

func (s *Server) handleAccountDeleteShow(c echo.Context) error {
	return s.renderAccountDelete(c, http.StatusOK, components.Form{})
}

func (s *Server) renderAccountDelete(c echo.Context, status int, f components.Form) error {
	d := pages.DeleteAccount{Username: state(c).viewer.Username, Form: f}
	return render(c, status, pages.DeleteAccountPage(s.page(c, "Delete your account"), d))
}

// handleAccountDelete deletes the signed-in member's account, with their posts erased or kept
// as a former member's, and signs them out.
func (s *Server) handleAccountDelete(c echo.Context) error {
	ctx := c.Request().Context()
	v := state(c).viewer
	values := formValues(c, "posts", "password")
	if values["posts"] != "erase" && values["posts"] != "keep" {
		return s.renderAccountDelete(c, http.StatusUnprocessableEntity, formWith(values,
			map[string]string{"posts": "Choose whether to erase your posts or keep them as a former member's."}))
	}
	// Wrong passwords count against the same limit as log-ins, so a session left open is no
	// faster a way to guess the password.
	g, err := s.countGuess(c, v.Username, false)
	if err != nil {
		return err
	}
	erasePosts := values["posts"] == "erase"
	err = s.Accounts.DeleteAfterCheck(ctx, v.ID, values["password"], func() { g.giveBack(ctx) },
		s.Forum.Posts.EraseMember(erasePosts), s.Privacy.EraseMember, erasures.OfAccount(erasePosts))
	if e, ok := apperr.As(err); ok && e.Fields["password"] != "" {
		return s.renderAccountDelete(c, http.StatusUnprocessableEntity, formWith(values, e.Fields))
	}
	g.giveBack(ctx)
	if err != nil {
		return err
	}
	s.checkpoint(c)
	st := state(c)
	st.viewer = nil
	msg := "Your account was deleted, and your posts were erased. Take care."
	if values["posts"] == "keep" {
		msg = "Your account was deleted. Your posts stay, shown as a former member's. Take care."
	}
	st.session.Values = map[any]any{"csrf": randomString(32), "notice": msg}
	st.dirty = true
	return redirect(c, paths.Home)
}

// checkpoint folds the erased pages out of SQLite's log at once, after an erasure has been
// committed. The erasure stands either way; while a reader holds the log the fold is retried
// in the background.
func (s *Server) checkpoint(c echo.Context) {
	// Erased words must not wait in this instance's content cache for their version to be seen
	// (other instances miss on the bumped version at their next read).
	s.Forum.ForgetCached()
	if err := s.LogFolder.Fold(c.Request().Context()); err != nil {
		s.Logger.Warn("checkpoint after erasure", "route", c.Path(), "error", err.Error())
	}
}

// handleExportHTML shows the same export as a page to read, with the JSON file one click away.
func (s *Server) handleExportHTML(c echo.Context) error {
	var buf bytes.Buffer
	if err := export.Write(c.Request().Context(), &buf, state(c).viewer.ID, s.exportSources()); err != nil {
		return err
	}
	doc, err := readableTree(&buf)
	if err != nil {
		return err
	}
	r := privacyview.Readable{Heading: "Everything Haven holds about you", Sections: true, Doc: doc,
		Intro: "The same as the download, to read here. Only you can see this page.", JSONURL: paths.PrivacyExport, JSONLabel: "Download it as one JSON file"}
	return render(c, http.StatusOK, privacyview.ReadablePage(s.page(c, "Your data"), r))
}
