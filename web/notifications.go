package web

import "github.com/labstack/echo/v4"

// These are being built by the notifications work.
func (s *Server) handleNotifications(c echo.Context) error        { return echo.ErrNotFound }
func (s *Server) handleNotificationSettings(c echo.Context) error { return echo.ErrNotFound }
func (s *Server) handleNotificationsClear(c echo.Context) error   { return echo.ErrNotFound }
