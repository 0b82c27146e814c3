package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/haven-forum/haven/internal/apperr"
	"github.com/haven-forum/haven/internal/export"
	"github.com/haven-forum/haven/internal/paths"
	"github.com/haven-forum/haven/internal/privacy"
	"github.com/haven-forum/haven/internal/recommend"
	privacyview "github.com/haven-forum/haven/views/privacy"
	"github.com/labstack/echo/v4"
)

// honourGPC marks a request that carries Global Privacy Control, so the gate records nothing.
func (s *Server) honourGPC(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if c.Request().Header.Get("Sec-GPC") == "1" {
			c.SetRequest(c.Request().WithContext(privacy.WithGPC(c.Request().Context())))
		}
		return next(c)
	}
}

func (s *Server) dashboard(c echo.Context, offerErase string) (privacyview.Dashboard, error) {
	ctx := c.Request().Context()
	states, err := s.Privacy.States(ctx)
	if err != nil {
		return privacyview.Dashboard{}, err
	}
	d := privacyview.Dashboard{GPC: privacy.GPC(ctx), Retention: privacy.RetentionChoices}
	for _, st := range states {
		d.Switches = append(d.Switches, privacyview.Switch{Key: st.Key, Title: st.Title, Sentence: st.Sentence, Records: st.Records,
			UsedFor: st.UsedFor, WhoSees: st.WhoSees, Retention: st.Retention, On: st.Granted, Lapsed: st.Lapsed,
			OfferErase: offerErase == st.Key})
	}
	if d.EventCount, err = s.Privacy.EventCount(ctx); err != nil {
		return d, err
	}
	if d.Positions, err = s.readPositionItems(c); err != nil {
		return d, err
	}
	if d.RetentionDays, err = s.Privacy.RetentionDays(ctx); err != nil {
		return d, err
	}
	interests, err := s.Privacy.Interests(ctx)
	if err != nil {
		return d, err
	}
	for _, in := range interests {
		d.Inferences = append(d.Inferences, privacyview.Inference{
			Label:        fmt.Sprintf("Interested in %s", in.GroupName),
			Source:       fmt.Sprintf("%d topics you opened there, in your reading history", in.Opens),
			DeleteAction: paths.PrivacyInterestDelete(in.GroupID),
			DeleteLabel:  "Delete this, and the reading history it came from",
		})
	}
	if err := s.suggestionInputs(ctx, &d); err != nil {
		return d, err
	}
	held, err := export.Gather(ctx, state(c).viewer.ID, s.exportSources())
	if err != nil {
		return d, err
	}
	d.Held = heldWords(held)
	history, err := s.Privacy.History(ctx)
	if err != nil {
		return d, err
	}
	for _, h := range history {
		p, _ := privacy.Lookup(h.Purpose)
		method := "dashboard"
		if h.Method == privacy.MethodSignUpPrompt {
			method = "welcome screen"
		}
		d.History = append(d.History, privacyview.ConsentChange{ReceiptID: h.ReceiptID, PurposeTitle: p.Title, Method: method,
			When: h.CreatedAt, Granted: h.Granted, Version: h.Version})
	}
	return d, nil
}

func (s *Server) handlePrivacy(c echo.Context) error {
	if state(c).viewer == nil {
		return redirect(c, paths.PrivacyPolicy)
	}
	d, err := s.dashboard(c, c.QueryParam("offer_erase"))
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, privacyview.DashboardPage(s.page(c, "Your privacy"), d))
}

func (s *Server) handleConsent(c echo.Context) error {
	values := formValues(c, "purpose", "enabled")
	if values["enabled"] != "true" && values["enabled"] != "false" {
		return apperr.New(apperr.EINVALID, "Choose on or off.")
	}
	on := values["enabled"] == "true"
	if _, err := s.Privacy.SetConsent(c.Request().Context(), values["purpose"], on, privacy.MethodDashboard); err != nil {
		return err
	}
	p, _ := privacy.Lookup(values["purpose"])
	if on {
		setNoticeAt(c, fmt.Sprintf("“%s” is on. You can switch it off here at any time.", p.Title), "purpose-"+p.Key)
		return redirect(c, paths.Privacy+"#purpose-"+p.Key)
	}
	msg := fmt.Sprintf("“%s” is off: nothing more is recorded for it from now on.", p.Title)
	if p.Key == privacy.ReadingHistory {
		msg += " Where you stopped reading each topic was erased now, so no topic shows what is new; the topics you opened stay in your record until you erase them."
	}
	setNoticeAt(c, msg, "purpose-"+p.Key)
	return redirect(c, paths.Privacy+"?offer_erase="+url.QueryEscape(p.Key)+"#purpose-"+p.Key)
}

// handleEraseConfirm says exactly what an erase would remove, by kind; only its button erases.
func (s *Server) handleEraseConfirm(c echo.Context) error {
	purpose := c.QueryParam("purpose")
	if err := knownPurpose(purpose); err != nil {
		return err
	}
	pv, err := s.Privacy.PreviewErase(c.Request().Context(), purpose)
	if err != nil {
		return err
	}
	e := privacyview.EraseConfirm{Purpose: purpose, Total: pv.Total(), Kinds: []privacyview.EraseKind{
		{Count: pv.TopicOpens, Label: plural(pv.TopicOpens, "topic you opened (your reading history)", "topics you opened (your reading history)")},
		{Count: pv.ReadPositions, Label: plural(pv.ReadPositions, "read position (where you stopped reading a topic)", "read positions (where you stopped reading each topic)")},
		{Count: int64(pv.Interests), Label: plural(int64(pv.Interests), "group inferred from them as your interest", "groups inferred from them as your interests")},
		{Count: pv.NotInterested, Label: plural(pv.NotInterested, "“not interested” choice on suggestions", "“not interested” choices on suggestions")},
	}}
	if p, ok := privacy.Lookup(purpose); ok {
		e.PurposeTitle = p.Title
	}
	return render(c, http.StatusOK, privacyview.EraseConfirmPage(s.page(c, "Erase?"), e))
}

func (s *Server) handleErase(c echo.Context) error {
	ctx := c.Request().Context()
	if err := knownPurpose(c.FormValue("purpose")); err != nil {
		return err
	}
	if c.FormValue("confirm") != "yes" { // one click never erases: show what would go first
		return redirect(c, paths.PrivacyEraseWhat(c.FormValue("purpose")))
	}
	var n int64
	var err error
	if purpose := c.FormValue("purpose"); purpose != "" {
		n, err = s.Privacy.ErasePurpose(ctx, purpose)
	} else {
		n, err = s.Privacy.EraseAll(ctx)
	}
	if err != nil {
		return err
	}
	s.checkpoint(c) // fold the erased pages out of SQLite's log now
	setNotice(c, fmt.Sprintf("Erased: %s and everything inferred from them are gone.", recordedItems(n)))
	return redirect(c, paths.Privacy)
}

func (s *Server) handleRetention(c echo.Context) error {
	days, _ := strconv.Atoi(c.FormValue("retention_days"))
	if err := s.Privacy.SetRetentionDays(c.Request().Context(), days); err != nil {
		if e, ok := apperr.As(err); ok && e.Fields != nil {
			return apperr.New(apperr.EINVALID, "%s", e.Fields["retention_days"])
		}
		return err
	}
	s.checkpoint(c) // a shorter retention erased older events: fold them out of the log too
	setNotice(c, "Saved. Anything older than that was deleted now, and the rest deletes itself when it gets that old.")
	return redirect(c, paths.Privacy)
}

func (s *Server) handleActivity(c echo.Context) error {
	ctx := c.Request().Context()
	f := activityFilter(c)
	kind, groupID := f.Kind, f.GroupID
	a, err := s.Privacy.Activity(ctx, f)
	if err != nil {
		return err
	}
	interests, err := s.Privacy.Interests(ctx)
	if err != nil {
		return err
	}
	v := privacyview.ActivityPage{Total: a.Total, Page: a.Page, Pages: a.Pages, Kind: kind, GroupID: groupID,
		PageURL: fmt.Sprintf("%s?kind=%s&group=%s", paths.PrivacyActivity, url.QueryEscape(kind), url.QueryEscape(c.QueryParam("group")))}
	for _, in := range interests {
		v.Groups = append(v.Groups, privacyview.GroupOption{ID: in.GroupID, Name: in.GroupName, Selected: in.GroupID == groupID})
	}
	v.Days = activityDays(a.Events, clock(state(c).viewer).Zone)
	if v.Positions, err = s.readPositionItems(c); err != nil {
		return err
	}
	return render(c, http.StatusOK, privacyview.ActivityList(s.page(c, "What we recorded"), v))
}

// activityDays groups the record (newest first) by day, and the opens of one topic on one day
// into one line.
func activityDays(events []privacy.Event, zone *time.Location) []privacyview.ActivityDay {
	var days []privacyview.ActivityDay
	line := map[string]int{} // day and topic → index in the day's items
	for _, e := range events {
		t := e.CreatedAt.In(zone)
		id := "day-" + t.Format("2006-01-02")
		if len(days) == 0 || days[len(days)-1].ID != id {
			days = append(days, privacyview.ActivityDay{ID: id, Day: t})
		}
		d := &days[len(days)-1]
		key := fmt.Sprint(id, "/", e.TopicID)
		if i, ok := line[key]; ok {
			d.Items[i].More = append(d.Items[i].More, e.ID)
			continue
		}
		line[key] = len(d.Items)
		d.Items = append(d.Items, privacyview.ActivityItem{ID: e.ID, Kind: "Opened", TopicTitle: e.TopicTitle,
			TopicURL: paths.Topic(e.TopicID), GroupName: e.GroupName, When: e.CreatedAt})
	}
	return days
}

// activityFilter reads the list's filter from a query or a form.
func activityFilter(c echo.Context) privacy.ActivityFilter {
	groupID, _ := strconv.ParseInt(c.FormValue("group"), 10, 64)
	kind := c.FormValue("kind")
	if kind != privacy.KindTopicOpen {
		kind = ""
	}
	return privacy.ActivityFilter{Kind: kind, GroupID: groupID, Page: pageParam(c)}
}

// activityURL is the list with the filter it was showing.
func activityURL(f privacy.ActivityFilter) string {
	u := paths.PrivacyActivity
	q := url.Values{}
	if f.Kind != "" {
		q.Set("kind", f.Kind)
	}
	if f.GroupID != 0 {
		q.Set("group", strconv.FormatInt(f.GroupID, 10))
	}
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	return u
}

// rangeStarts are the choices of the list's "delete by range".
var rangeStarts = map[string]func(now time.Time) time.Time{
	"hour":  func(now time.Time) time.Time { return now.Add(-time.Hour) },
	"today": func(now time.Time) time.Time { return now.UTC().Truncate(24 * time.Hour) },
	"week":  func(now time.Time) time.Time { return now.Add(-7 * 24 * time.Hour) },
	"all":   func(time.Time) time.Time { return time.Time{} },
}

// handleActivityDeleteRange deletes what the list shows, recorded in the chosen time.
func (s *Server) handleActivityDeleteRange(c echo.Context) error {
	start, ok := rangeStarts[c.FormValue("range")]
	if !ok {
		return apperr.New(apperr.EINVALID, "Choose how far back to delete: the last hour, today, the last 7 days or any time.")
	}
	f := activityFilter(c)
	n, err := s.Privacy.DeleteRange(c.Request().Context(), f, start(time.Now()))
	if err != nil {
		return err
	}
	s.checkpoint(c)
	setNotice(c, fmt.Sprintf("Deleted %s from your record.", recordedItems(n)))
	return redirect(c, activityURL(f))
}

func (s *Server) handleActivityDelete(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	ids := []int64{id}
	form, _ := c.FormParams()
	for _, a := range form["also"] { // the other opens of the same line
		if more, err := strconv.ParseInt(a, 10, 64); err == nil && more > 0 && len(ids) < 1000 {
			ids = append(ids, more)
		}
	}
	if n, err := s.Privacy.DeleteEvents(c.Request().Context(), ids); err != nil {
		return err
	} else if n == 0 {
		return apperr.New(apperr.ENOTFOUND, "That item is not in your record (it may already be deleted).")
	}
	s.checkpoint(c)
	setNotice(c, "Deleted from your record.")
	return redirect(c, paths.PrivacyActivity)
}

func (s *Server) handleInterestDelete(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	n, err := s.Privacy.ForgetInterest(c.Request().Context(), id)
	if err != nil {
		return err
	}
	s.checkpoint(c)
	setNotice(c, fmt.Sprintf("Deleted, with the %s it came from.", recordedItems(n)))
	return redirect(c, paths.Privacy)
}

// knownPurpose refuses an erase of a purpose Haven does not have ("" is everything).
func knownPurpose(purpose string) error {
	if _, ok := privacy.Lookup(purpose); !ok && purpose != "" {
		return apperr.New(apperr.EINVALID, "Haven records nothing under that name.")
	}
	return nil
}

func plural(n int64, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func recordedItems(n int64) string {
	if n == 1 {
		return "1 recorded item"
	}
	return fmt.Sprintf("%d recorded items", n)
}

// suggestionInputs adds to the dashboard what personalized suggestions rest on and the member's
// "not interested" choices (an inference they made themselves).
func (s *Server) suggestionInputs(ctx context.Context, d *privacyview.Dashboard) error {
	dismissed, err := s.Privacy.NotInterestedList(ctx)
	if err != nil {
		return err
	}
	ids := make([]int64, len(dismissed))
	for i, n := range dismissed {
		ids[i] = n.TopicID
	}
	readable, err := s.Forum.Reads.TopicDocs(ctx, ids, 0)
	if err != nil {
		return err
	}
	canRead := map[int64]bool{}
	for _, r := range readable {
		canRead[r.TopicID] = true
	}
	for _, n := range dismissed {
		label := "Not interested in a topic you can no longer see"
		if canRead[n.TopicID] {
			label = fmt.Sprintf("Not interested in “%s” (%s)", n.TopicTitle, n.GroupName)
		}
		d.Inferences = append(d.Inferences, privacyview.Inference{
			Label:        label,
			Source:       "your choice on a suggestion",
			At:           n.CreatedAt,
			DeleteAction: paths.PrivacyNotInterestedDelete(n.TopicID),
			DeleteLabel:  "Delete this choice",
		})
	}
	on, err := s.Privacy.Granted(ctx, privacy.PersonalizedRecommendations)
	if err != nil || !on {
		return err
	}
	d.PersonalOn = true
	signals, err := s.Recommend.Signals(ctx)
	if err != nil {
		return err
	}
	for _, sg := range signals {
		d.Signals = append(d.Signals, privacyview.SignalItem{Anchor: sg.Anchor(), What: sg.Phrase(), TopicTitle: sg.Title,
			TopicURL: paths.Topic(sg.TopicID), GroupName: sg.GroupName, When: sg.At, FromHistory: sg.Kind == recommend.KindRead})
	}
	return nil
}
