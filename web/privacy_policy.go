package web

import (
	"net/http"

	"github.com/haven-forum/haven/views/pages"
	"github.com/labstack/echo/v4"
)

// Being rebuilt from the purpose registry (policy, receipts, GPC, welcome prompt).

func (s *Server) handlePrivacyPolicy(c echo.Context) error {
	return render(c, http.StatusOK, pages.Privacy(s.page(c, "Privacy policy")))
}
func (s *Server) handleReceipt(c echo.Context) error     { return echo.ErrNotFound }
func (s *Server) handleGPCJSON(c echo.Context) error     { return echo.ErrNotFound }
func (s *Server) handleWelcome(c echo.Context) error     { return redirect(c, "/") }
func (s *Server) handleWelcomeSave(c echo.Context) error { return redirect(c, "/") }
