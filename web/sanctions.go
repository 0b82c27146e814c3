package web

import "github.com/labstack/echo/v4"

// Being built: warnings, group mutes and bans, escalation, suspensions, transparency, appeals.

func (s *Server) handleModMemberAction(c echo.Context) error   { return echo.ErrNotFound }
func (s *Server) handleModEscalate(c echo.Context) error       { return echo.ErrNotFound }
func (s *Server) handleAdminSuspend(c echo.Context) error      { return echo.ErrNotFound }
func (s *Server) handleAccountModeration(c echo.Context) error { return echo.ErrNotFound }
func (s *Server) handleAccountAppeal(c echo.Context) error     { return echo.ErrNotFound }
