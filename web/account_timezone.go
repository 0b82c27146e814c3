package web

import (
	"net/http"

	"github.com/haven-forum/haven/internal/accounts"
	"github.com/haven-forum/haven/internal/apperr"
	"github.com/haven-forum/haven/internal/paths"
	"github.com/haven-forum/haven/views/components"
	"github.com/haven-forum/haven/views/pages"
	"github.com/labstack/echo/v4"
)

// timeZoneSetting is the /account section where the member chooses the zone times are shown in.
func timeZoneSetting(v *accounts.Viewer) pages.TimeZoneSetting {
	zone := v.TimeZone
	if zone == "" {
		zone = accounts.DefaultTimeZone
	}
	return pages.TimeZoneSetting{Zone: zone, Zones: accounts.TimeZones}
}

func (s *Server) handleAccountTimeZone(c echo.Context) error {
	v := state(c).viewer
	values := formValues(c, "time_zone")
	err := s.Accounts.SetTimeZone(c.Request().Context(), v.ID, values["time_zone"])
	if e, ok := apperr.As(err); ok && e.Fields != nil {
		a, verr := s.accountView(c)
		if verr != nil {
			return verr
		}
		a.TimeZone.Form = components.Form{Values: values, Errors: e.Fields}
		return render(c, http.StatusUnprocessableEntity, pages.AccountPage(s.page(c, "Your account"), a))
	}
	if err != nil {
		return err
	}
	setNoticeAt(c, "Saved. Times are now shown in "+values["time_zone"]+".", "tz-h")
	return redirect(c, paths.Account+"#tz-h")
}
