package web

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/haven-forum/haven/internal/accounts"
	"github.com/haven-forum/haven/internal/forum"
	"github.com/haven-forum/haven/internal/moderation"
	"github.com/haven-forum/haven/internal/paths"
	"github.com/haven-forum/haven/internal/privacy"
	privacyview "github.com/haven-forum/haven/views/privacy"
	"github.com/labstack/echo/v4"
)

// gpcLastUpdate is when Haven's handling of Global Privacy Control last changed.
const gpcLastUpdate = "2026-11-23"

// purposeText is a purpose from the registry as the views show it.
func purposeText(p privacy.Purpose) privacyview.PurposeText {
	return privacyview.PurposeText{Key: p.Key, Title: p.Title, Sentence: p.Sentence, Records: p.Records,
		UsedFor: p.UsedFor, WhoSees: p.WhoSees, Retention: p.Retention, Version: p.Version}
}

func (s *Server) handlePrivacyPolicy(c echo.Context) error {
	pol := privacyview.Policy{
		MinGroup:          privacy.K,
		ControllerName:    s.Privacy.Controller.Name,
		ControllerContact: s.Privacy.Controller.Contact,
		RecoveryCodes:     accounts.RecoveryCodeCount,
		SessionLifetime:   spellDuration(accounts.SessionLifetime),
		LogInWindow:       spellDuration(max(s.Limits.LoginPerUsername.Window, s.Limits.LoginPerAddress.Window, s.Limits.RecoverPerTarget.Window)),
		SignUpWindow:      spellDuration(s.Limits.SignUpPerAddress.Window),
		GPC:               privacy.GPC(c.Request().Context()),
		Controller: privacyview.Controller{Name: s.Privacy.Controller.Name, Address: s.Privacy.Controller.Address,
			Email: s.Privacy.Controller.Email, Phone: s.Privacy.Controller.Phone, Contact: s.Privacy.Controller.Contact,
			Jurisdiction: s.Privacy.Controller.Jurisdiction},
		EstablishedDays: int(s.Privacy.Established.MinAge / (24 * time.Hour)),
		EstablishedActs: s.Privacy.Established.MinActivity,
	}
	pol.WithoutConsent = s.withoutConsent()
	for _, p := range privacy.Purposes {
		pol.Purposes = append(pol.Purposes, purposeText(p))
	}
	return render(c, http.StatusOK, privacyview.PolicyPage(s.page(c, "Privacy policy"), pol))
}

// spellDuration writes a whole number of minutes, hours or days in words: "15 minutes", "1 hour".
func spellDuration(d time.Duration) string {
	n, unit := int(d/time.Minute), "minute"
	switch {
	case d >= 24*time.Hour && d%(24*time.Hour) == 0:
		n, unit = int(d/(24*time.Hour)), "day"
	case d >= time.Hour && d%time.Hour == 0:
		n, unit = int(d/time.Hour), "hour"
	}
	if n != 1 {
		unit += "s"
	}
	return fmt.Sprintf("%d %s", n, unit)
}

// handleReceipt downloads one of the member's consent receipts.
func (s *Server) handleReceipt(c echo.Context) error {
	r, err := s.Privacy.Receipt(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	if c.QueryParam("format") == "html" {
		doc, err := jsonTree(r)
		if err != nil {
			return err
		}
		v := privacyview.Readable{Heading: "Consent receipt", Doc: doc, JSONURL: paths.PrivacyReceipt(r.ConsentReceiptID),
			Intro: "What you agreed to or withdrew, when, and who keeps it, as a standard consent receipt.", JSONLabel: "Download it as JSON"}
		return render(c, http.StatusOK, privacyview.ReadablePage(s.page(c, "Consent receipt"), v))
	}
	c.Response().Header().Set(echo.HeaderContentDisposition,
		fmt.Sprintf(`attachment; filename="haven-consent-receipt-%s.json"`, r.ConsentReceiptID))
	return c.JSONPretty(http.StatusOK, r, "  ")
}

// handleGPCJSON is the Global Privacy Control support resource: Haven honours the signal.
func (s *Server) handleGPCJSON(c echo.Context) error {
	return c.JSON(http.StatusOK, struct {
		GPC        bool   `json:"gpc"`
		LastUpdate string `json:"lastUpdate"`
	}{true, gpcLastUpdate})
}

func (s *Server) handleWelcome(c echo.Context) error {
	ctx := c.Request().Context()
	states, err := s.Privacy.States(ctx)
	if err != nil {
		return err
	}
	w := privacyview.Welcome{GPC: privacy.GPC(ctx)}
	for _, st := range states {
		w.Purposes = append(w.Purposes, privacyview.WelcomePurpose{PurposeText: purposeText(st.Purpose), On: st.Granted})
	}
	return render(c, http.StatusOK, privacyview.WelcomePage(s.page(c, "Welcome"), w))
}

// handleWelcomeSave switches on what the member ticked. What they left unticked was never on,
// so nothing is withdrawn; skipping records nothing at all.
func (s *Server) handleWelcomeSave(c echo.Context) error {
	ctx := c.Request().Context()
	if c.FormValue("action") == "skip" {
		setNotice(c, "Everything stays off, so nothing is recorded about you. You can change this at any time on your privacy page.")
		return redirect(c, afterWelcome(c))
	}
	form, err := c.FormParams()
	if err != nil {
		return err
	}
	ticked := form["purpose"]
	states, err := s.Privacy.States(ctx)
	if err != nil {
		return err
	}
	var on []string
	for _, st := range states {
		if !slices.Contains(ticked, st.Key) {
			continue
		}
		if !st.Granted {
			if _, err := s.Privacy.SetConsent(ctx, st.Key, true, privacy.MethodSignUpPrompt); err != nil {
				return err
			}
		}
		on = append(on, "“"+st.Title+"”")
	}
	if len(on) == 0 {
		setNotice(c, "Nothing was ticked, so everything stays off and nothing is recorded about you. You can change this at any time on your privacy page.")
		return redirect(c, afterWelcome(c))
	}
	setNotice(c, fmt.Sprintf("Saved. Switched on: %s. Everything else stays off; you can change this at any time on your privacy page.",
		strings.Join(on, ", ")))
	return redirect(c, afterWelcome(c))
}

// afterWelcome is where a new member goes once welcomed: the page they signed up from (a
// group they wanted to join), else home. It is asked once.
func afterWelcome(c echo.Context) string {
	st := state(c)
	next, _ := st.session.Values["after_welcome"].(string)
	if next != "" {
		delete(st.session.Values, "after_welcome")
		st.dirty = true
	}
	return safeNext(next)
}

// withoutConsent is what Haven does without asking, each with its basis, audience and retention;
// the retentions are the constants the purges use.
func (s *Server) withoutConsent() []privacyview.Processing {
	const legit = "Legitimate interest (GDPR Art. 6(1)(f)) in "
	return []privacyview.Processing{
		{Anchor: "crisis", Name: "The crisis-phrase check", Objectable: true,
			What:    "Each post is checked as it is written for phrases that can mean someone is at risk. A match flags the post (not you) for the group's moderators, so someone can reach out.",
			Basis:   "Vital interests of a person at risk (GDPR Art. 6(1)(d) and, for health data, Art. 9(2)(c)); otherwise legitimate interest (GDPR Art. 6(1)(f)) in a safe support community.",
			WhoSees: "The group's moderators and the site's admins; you see the flag on your privacy page.",
			Kept:    "The flag stays with the post until the post is deleted; the queue item for " + spellDuration(moderation.HandledItemRetention) + " after a moderator handled it."},
		{Anchor: "moderation-record", Name: "The moderation record", Objectable: true,
			What:    "Each action a moderator or admin takes (hiding, removing, sanctions, revealing who wrote an anonymous post), with who did it, to what, why and when.",
			Basis:   legit + "moderation that can be checked and appealed.",
			WhoSees: "The group's moderators and the site's admins; you see every entry about you on your account page.",
			Kept:    "For as long as the site runs: no entry can be changed or deleted, so moderation stays accountable. An entry names members only by number."},
		{Anchor: "reports", Name: "Reports and the moderators' queue", Objectable: true,
			What:    "Reports of posts, automatic flags, held posts, appeals and escalations waiting for a moderator.",
			Basis:   legit + "keeping the community safe.",
			WhoSees: "The group's moderators and the site's admins, who never see who reported; you see your own reports, and items about you, on your privacy page.",
			Kept:    "Until handled, then " + spellDuration(moderation.HandledItemRetention) + "; at once when the post or the reporter's account is deleted."},
		{Anchor: "revisions", Name: "Earlier versions of edited posts", Objectable: true,
			What:    "When you edit a post, the version before the edit.",
			Basis:   legit + "stopping abuse that is edited away once seen.",
			WhoSees: "The group's moderators and the site's admins.",
			Kept:    spellDuration(forum.RevisionRetention) + "; at once when you delete the post or your account."},
		{Anchor: "sessions", Name: "Sign-in sessions",
			What:    "For each device you are signed in on: a hash of its token, when it began and when it ends. No device, browser or address.",
			Basis:   "Necessary to give you the account you asked for (GDPR Art. 6(1)(b)).",
			WhoSees: "Nobody; you see when each began on your privacy page.",
			Kept:    "Until you log out, or " + spellDuration(accounts.SessionLifetime) + " at most."},
		{Anchor: "rate-limits", Name: "Rate-limit counters", Objectable: true,
			What:    "Counts of failed log-ins, recovery attempts, sign-ups and posts, under a keyed hash of the address or username, never the address or username itself.",
			Basis:   legit + "keeping accounts safe from password guessing and the forum from floods.",
			WhoSees: "Nobody.",
			Kept:    "Less than a day."},
		{Anchor: "notifications", Name: "Notifications",
			What: "Replies to your topics and to topics you follow, quotes, mentions and answers to your requests to join, for you to read; " +
				"and, to count the unread ones, the newest notification shown when you last opened them (never when you looked).",
			Basis:   "Necessary to give you the service you use (GDPR Art. 6(1)(b)); you choose which kinds.",
			WhoSees: "Only you.",
			Kept:    "Until you clear them, or " + spellDuration(forum.NotificationRetention) + " at most: older ones are deleted automatically every hour."},
		{Anchor: "following", Name: "Topics you follow",
			What: "The topics you chose to follow (with their button, by starting them, or by replying unless you switched that off), " +
				"and that switch. A choice you made, never inferred from what you read.",
			Basis:   "Necessary to give you the service you use (GDPR Art. 6(1)(b)).",
			WhoSees: "Only you, on your account's following page; it is in your export.",
			Kept:    "Until you unfollow, or your account is deleted. Erasing your reading history leaves them: they are not part of it."},
		{Anchor: "invites", Name: "Invitation links",
			What:    "Links a moderator made to let people into a private group: a hash of the link, who made it and when it ends.",
			Basis:   legit + "private groups that only invited people can join.",
			WhoSees: "The group's moderators and the site's admins.", Objectable: true,
			Kept: "Until " + spellDuration(forum.InviteRetention) + " after the link expired."},
		{Anchor: "erasure-list", Name: "The erasure list",
			What:    "What you erased or took back (a post, your record, an edit, a mute, a sign-out), and when: never what it said. Restoring a backup re-applies it, so a restore cannot bring anything back.",
			Basis:   "A legal obligation: making erasure and your other choices last (GDPR Art. 6(1)(c), Art. 17 and Art. 5(1)(d)).",
			WhoSees: "The site's operator, when restoring a backup; you see your entries on your privacy page.",
			Kept:    "As long as backups older than it may be restored. When your account is deleted, the entries for your own changes go with it."},
	}
}
