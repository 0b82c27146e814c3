package web

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/haven-forum/haven/internal/accounts"
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
	}
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
		return redirect(c, paths.Home)
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
		return redirect(c, paths.Home)
	}
	setNotice(c, fmt.Sprintf("Saved. Switched on: %s. Everything else stays off; you can change this at any time on your privacy page.",
		strings.Join(on, ", ")))
	return redirect(c, paths.Home)
}
