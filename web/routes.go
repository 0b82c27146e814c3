package web

import "github.com/labstack/echo/v4/middleware"

// routes is Haven's whole URL surface.
func (s *Server) routes() {
	e := s.echo
	e.Use(s.recoverPanics, s.logRequests, s.securityHeaders, middleware.BodyLimit(s.Limits.BodyLimit))

	e.GET("/healthz", s.handleHealthz)
	e.GET("/readyz", s.handleReadyz)
	e.GET("/static/*", s.handleStatic)

	// Every page below has a session and CSRF protection on every state-changing request.
	g := e.Group("", s.loadSession, s.checkCSRF)
	g.GET("/", s.handleHome)
	g.GET("/crisis", s.handleCrisisShow)
	g.POST("/crisis", s.handleCrisisSave, s.requireMember)
	g.GET("/privacy", s.handlePrivacy)

	g.GET("/signup", s.handleSignUpShow)
	g.POST("/signup", s.handleSignUp)
	g.GET("/login", s.handleLogInShow)
	g.POST("/login", s.handleLogIn)
	g.POST("/logout", s.handleLogOut)
	g.GET("/recover", s.handleRecoverShow)
	g.POST("/recover", s.handleRecover)

	acct := g.Group("/account", s.requireMember)
	acct.GET("", s.handleAccountShow)
	acct.POST("/password", s.handleAccountPassword)
	acct.POST("/logout-everywhere", s.handleAccountLogOutEverywhere)
	acct.POST("/recovery-codes", s.handleAccountRecoveryCodes)

	g.RouteNotFound("/*", s.handleNotFound)
}
