package web

import (
	"net/http"
	"strings"

	"github.com/haven-forum/haven/internal/apperr"
	"github.com/haven-forum/haven/internal/paths"
	"github.com/haven-forum/haven/views/components"
	"github.com/haven-forum/haven/views/pages"
	"github.com/labstack/echo/v4"
)

func (s *Server) handleSignUpShow(c echo.Context) error {
	if state(c).viewer != nil {
		return redirect(c, paths.Home)
	}
	return render(c, http.StatusOK, pages.SignUp(s.page(c, "Sign up"), components.Form{}, nextField(safeNext(c.QueryParam("next")))))
}

func (s *Server) handleSignUp(c echo.Context) error {
	ctx := c.Request().Context()
	values := formValues(c, "username", "password", "password_confirm")
	values["username"] = strings.TrimSpace(values["username"])
	if err := s.Throttle.Hit(ctx, "signup-addr:"+c.RealIP(), s.Limits.SignUpPerAddress); err != nil {
		return err
	}
	m, codes, err := s.Accounts.SignUp(ctx, values["username"], values["password"], values["password_confirm"])
	if e, ok := apperr.As(err); ok && e.Fields != nil {
		return render(c, http.StatusUnprocessableEntity, pages.SignUp(s.page(c, "Sign up"), formWith(values, e.Fields), nextField(safeNext(c.FormValue("next")))))
	}
	if err != nil {
		return err
	}
	if err := s.startSession(c, m.ID); err != nil {
		return err
	}
	// The codes wait in the (encrypted) session for the one page that shows them: a reload of a
	// POST would otherwise ask to send the form again, and lose them.
	st := state(c)
	st.session.Values["codes"] = strings.Join(codes, " ")
	st.session.Values["new_member"] = true
	if next := nextField(safeNext(c.FormValue("next"))); next != "" {
		st.session.Values["after_welcome"] = next // where they came from: back there once welcomed
	}
	return redirect(c, paths.SignUpCodes)
}

// handleSignUpCodes shows the new member's recovery codes once; a reload says where to make new ones.
func (s *Server) handleSignUpCodes(c echo.Context) error {
	st := state(c)
	list, _ := st.session.Values["codes"].(string)
	if !isHead(c) { // a HEAD shows nothing, so it uses nothing up
		delete(st.session.Values, "codes")
		st.dirty = true
	}
	if list == "" {
		return render(c, http.StatusOK, pages.RecoveryCodesShown(s.page(c, "Your recovery codes")))
	}
	return render(c, http.StatusOK, pages.RecoveryCodes(s.page(c, "Your recovery codes"), strings.Fields(list), paths.Welcome))
}

func (s *Server) handleLogInShow(c echo.Context) error {
	next := safeNext(c.QueryParam("next"))
	if state(c).viewer != nil {
		return redirect(c, next)
	}
	return render(c, http.StatusOK, pages.LogIn(s.page(c, "Log in"), components.Form{}, nextField(next)))
}

func nextField(next string) string {
	if next == paths.Home {
		return ""
	}
	return next
}

func (s *Server) handleLogIn(c echo.Context) error {
	ctx := c.Request().Context()
	values := formValues(c, "username", "password")
	values["username"] = strings.TrimSpace(values["username"])
	next := safeNext(c.FormValue("next"))
	g, err := s.countGuess(c, values["username"], true)
	if err != nil {
		return err
	}
	m, err := s.Accounts.Authenticate(ctx, values["username"], values["password"])
	if apperr.Code(err) == apperr.EUNAUTHORIZED {
		f := formWith(values, map[string]string{"form": err.(*apperr.Error).Message})
		return render(c, http.StatusUnauthorized, pages.LogIn(s.page(c, "Log in"), f, nextField(next)))
	}
	g.giveBack(ctx)
	if err != nil {
		return err
	}
	if err := s.startSession(c, m.ID); err != nil {
		return err
	}
	return redirect(c, next)
}

func (s *Server) handleLogOut(c echo.Context) error {
	st := state(c)
	if token, _ := st.session.Values["sid"].(string); token != "" {
		if err := s.Accounts.EndSession(c.Request().Context(), token); err != nil {
			return err
		}
	}
	st.session.Values = map[any]any{"csrf": randomString(32), "notice": "You are logged out. Take care."}
	st.dirty = true
	return redirect(c, paths.Home)
}

func (s *Server) handleRecoverShow(c echo.Context) error {
	return render(c, http.StatusOK, pages.Recover(s.page(c, "Reset your password"), components.Form{}))
}

func (s *Server) handleRecover(c echo.Context) error {
	ctx := c.Request().Context()
	values := formValues(c, "username", "code", "password", "password_confirm")
	values["username"] = strings.TrimSpace(values["username"])
	for _, key := range []string{"recover-user:" + strings.ToLower(values["username"]), "recover-addr:" + c.RealIP()} {
		if err := s.Throttle.Hit(ctx, key, s.Limits.RecoverPerTarget); err != nil {
			return err
		}
	}
	m, err := s.Accounts.Recover(ctx, values["username"], values["code"], values["password"], values["password_confirm"])
	if e, ok := apperr.As(err); ok && e.Fields != nil {
		delete(values, "code") // a wrong code is retyped, not kept
		return render(c, http.StatusUnprocessableEntity, pages.Recover(s.page(c, "Reset your password"), formWith(values, e.Fields)))
	}
	if err != nil {
		return err
	}
	if err := s.startSession(c, m.ID); err != nil {
		return err
	}
	setNotice(c, "Your password was reset, and every other device was signed out. That recovery code is now used up.")
	return redirect(c, paths.Account)
}
