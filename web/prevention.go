package web

import "github.com/labstack/echo/v4"

// Being built: held posts, watched words, hold-first-N.

func (s *Server) handleModApprove(c echo.Context) error       { return echo.ErrNotFound }
func (s *Server) handleWatchedWordAdd(c echo.Context) error    { return echo.ErrNotFound }
func (s *Server) handleWatchedWordDelete(c echo.Context) error { return echo.ErrNotFound }
func (s *Server) handleGroupHold(c echo.Context) error         { return echo.ErrNotFound }
