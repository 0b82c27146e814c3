package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/haven-forum/haven/internal/apperr"
	"github.com/haven-forum/haven/internal/paths"
	"github.com/haven-forum/haven/views/components"
	"github.com/haven-forum/haven/views/pages"
	"github.com/labstack/echo/v4"
)

func (s *Server) accountView(c echo.Context) (pages.Account, error) {
	v := state(c).viewer
	ctx := c.Request().Context()
	left, err := s.Accounts.RecoveryCodesLeft(ctx, v.ID)
	if err != nil {
		return pages.Account{}, err
	}
	muted, err := s.Forum.Posts.MutedMembers(ctx)
	if err != nil {
		return pages.Account{}, err
	}
	terms, err := s.Forum.Posts.HiddenWarnings(ctx)
	if err != nil {
		return pages.Account{}, err
	}
	profile, err := s.profileForm(c)
	if err != nil {
		return pages.Account{}, err
	}
	followReplied, err := s.Forum.Follows.FollowReplied(ctx)
	if err != nil {
		return pages.Account{}, err
	}
	return pages.Account{Username: v.Username, MemberSince: v.CreatedAt,
		IsAdmin: v.IsAdmin(), CodesLeft: left, Muted: muted, ProfileForm: profile, FollowReplied: followReplied,
		WarningsForm: components.Form{Values: map[string]string{"terms": strings.Join(terms, ", ")}},
		TimeZone:     timeZoneSetting(v)}, nil
}

func (s *Server) handleAccountShow(c echo.Context) error {
	a, err := s.accountView(c)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, pages.AccountPage(s.page(c, "Your account"), a))
}

func (s *Server) handleAccountPassword(c echo.Context) error {
	v := state(c).viewer
	values := formValues(c, "current_password", "password", "password_confirm")
	g, err := s.countGuess(c, v.Username, false)
	if err != nil {
		return err
	}
	err = s.Accounts.ChangePassword(c.Request().Context(), v.ID, values["current_password"], values["password"], values["password_confirm"], v.SessionID)
	if e, ok := apperr.As(err); !ok || e.Fields["current_password"] == "" {
		g.giveBack(c.Request().Context())
	}
	if e, ok := apperr.As(err); ok && e.Fields != nil {
		a, err := s.accountView(c)
		if err != nil {
			return err
		}
		a.PasswordForm = formWith(values, e.Fields)
		return render(c, http.StatusUnprocessableEntity, pages.AccountPage(s.page(c, "Your account"), a))
	}
	if err != nil {
		return err
	}
	setNotice(c, "Your password was changed, and every other device was signed out.")
	return redirect(c, paths.Account)
}

func (s *Server) handleAccountLogOutEverywhere(c echo.Context) error {
	v := state(c).viewer
	n, err := s.Accounts.EndOtherSessions(c.Request().Context(), v.ID, v.SessionID)
	if err != nil {
		return err
	}
	msg := "You were not signed in anywhere else. You are still signed in here."
	if n == 1 {
		msg = "Signed out of 1 other device. You are still signed in here."
	} else if n > 1 {
		msg = fmt.Sprintf("Signed out of %d other devices. You are still signed in here.", n)
	}
	setNotice(c, msg)
	return redirect(c, paths.Account)
}

func (s *Server) handleAccountRecoveryCodes(c echo.Context) error {
	v := state(c).viewer
	values := formValues(c, "codes_password")
	g, err := s.countGuess(c, v.Username, false)
	if err != nil {
		return err
	}
	codes, err := s.Accounts.RegenerateRecoveryCodes(c.Request().Context(), v.ID, values["codes_password"])
	if e, ok := apperr.As(err); !ok || e.Fields["codes_password"] == "" {
		g.giveBack(c.Request().Context())
	}
	a, verr := s.accountView(c)
	if verr != nil {
		return verr
	}
	if e, ok := apperr.As(err); ok && e.Fields != nil {
		a.CodesForm = components.Form{Errors: e.Fields}
		return render(c, http.StatusUnprocessableEntity, pages.AccountPage(s.page(c, "Your account"), a))
	}
	if err != nil {
		return err
	}
	a.NewCodes = codes
	return render(c, http.StatusOK, pages.AccountPage(s.page(c, "Your account"), a))
}

func (s *Server) handleAccountMute(c echo.Context) error {
	values := formValues(c, "username", "action", "post")
	on := values["action"] != "unmute"
	if err := s.Throttle.Hit(c.Request().Context(), fmt.Sprint("mute:", state(c).viewer.ID), s.Limits.MutePerMember); err != nil {
		return err
	}
	err := s.Forum.Posts.Mute(c.Request().Context(), values["username"], on)
	if e, ok := apperr.As(err); ok && e.Fields != nil {
		a, verr := s.accountView(c)
		if verr != nil {
			return verr
		}
		a.MuteForm = components.Form{Values: values, Errors: e.Fields}
		return render(c, http.StatusUnprocessableEntity, pages.AccountPage(s.page(c, "Your account"), a))
	}
	if err != nil {
		return err
	}
	if post, _ := strconv.ParseInt(values["post"], 10, 64); post > 0 && on { // muted from a topic: back to that post
		setNoticeAt(c, fmt.Sprintf("You muted %s. Their posts are folded away for you; nobody is told. Undo it on your account page.", values["username"]), fmt.Sprint("p", post))
		return redirect(c, paths.Post(post))
	}
	if on {
		setNotice(c, "Muted. Posts by that username are folded away for you; nobody is told.")
	} else {
		setNotice(c, "Unmuted.")
	}
	return redirect(c, paths.Account)
}

func (s *Server) handleAccountHiddenWarnings(c echo.Context) error {
	values := formValues(c, "terms")
	err := s.Forum.Posts.SetHiddenWarnings(c.Request().Context(), values["terms"])
	if e, ok := apperr.As(err); ok && e.Fields != nil {
		a, verr := s.accountView(c)
		if verr != nil {
			return verr
		}
		a.WarningsForm = components.Form{Values: values, Errors: e.Fields}
		return render(c, http.StatusUnprocessableEntity, pages.AccountPage(s.page(c, "Your account"), a))
	}
	if err != nil {
		return err
	}
	setNotice(c, "Saved. Topics with those content warnings are hidden from your lists.")
	return redirect(c, paths.Account)
}
