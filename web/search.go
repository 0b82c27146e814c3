package web

import "github.com/labstack/echo/v4"

// handleSearch is being built by the search work.
func (s *Server) handleSearch(c echo.Context) error { return echo.ErrNotFound }
