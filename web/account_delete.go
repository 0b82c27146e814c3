package web

import "github.com/labstack/echo/v4"

// Being built: export and account deletion.

func (s *Server) handleExport(c echo.Context) error            { return echo.ErrNotFound }
func (s *Server) handleAccountDeleteShow(c echo.Context) error { return echo.ErrNotFound }
func (s *Server) handleAccountDelete(c echo.Context) error     { return echo.ErrNotFound }
