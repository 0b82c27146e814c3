package web

import (
	"fmt"
	"net/http"

	"github.com/haven-forum/haven/internal/apperr"
	"github.com/haven-forum/haven/views/components"
	"github.com/haven-forum/haven/views/pages"
	"github.com/labstack/echo/v4"
)

func (s *Server) accountView(c echo.Context) (pages.Account, error) {
	v := state(c).viewer
	left, err := s.Accounts.RecoveryCodesLeft(c.Request().Context(), v.ID)
	if err != nil {
		return pages.Account{}, err
	}
	return pages.Account{Username: v.Username, MemberSince: v.CreatedAt.Format("2 January 2006"),
		IsAdmin: v.IsAdmin(), CodesLeft: left}, nil
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
	err := s.Accounts.ChangePassword(c.Request().Context(), v.ID, values["current_password"], values["password"], values["password_confirm"], v.SessionID)
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
	return redirect(c, "/account")
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
	return redirect(c, "/account")
}

func (s *Server) handleAccountRecoveryCodes(c echo.Context) error {
	v := state(c).viewer
	values := formValues(c, "codes_password")
	codes, err := s.Accounts.RegenerateRecoveryCodes(c.Request().Context(), v.ID, values["codes_password"])
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
