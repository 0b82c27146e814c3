package web

// routes is Haven's whole URL surface.
func (s *Server) routes() {
	e := s.echo
	// The logger sits outside recover, so a request that panicked is logged and counted as the 500 it became.
	e.Use(s.logRequests, s.recoverPanics, s.securityHeaders, s.readInput)

	e.GET("/healthz", s.handleHealthz)
	e.GET("/readyz", s.handleReadyz)
	e.GET("/static/*", s.handleStatic)
	e.GET("/favicon.ico", s.handleFavicon)
	e.GET("/.well-known/gpc.json", s.handleGPCJSON)
	if s.ServeMetrics && s.Metrics != nil {
		e.GET("/metrics", s.handleMetrics)
	}

	// Every page below has a session and CSRF protection on every state-changing request.
	g := e.Group("", s.loadSession, s.checkCSRF, s.honourGPC)
	member := s.requireMember
	g.GET("/", s.handleHome)
	g.GET("/crisis", s.handleCrisisShow)
	g.POST("/crisis", s.handleCrisisSave, member)
	g.GET("/privacy", s.handlePrivacy)
	g.GET("/privacy/policy", s.handlePrivacyPolicy)
	priv := g.Group("/privacy", member)
	priv.POST("/consent", s.handleConsent)
	priv.GET("/erase", s.handleEraseConfirm)
	priv.POST("/erase", s.handleErase)
	priv.POST("/retention", s.handleRetention)
	priv.GET("/activity", s.handleActivity)
	priv.POST("/activity/:id/delete", s.handleActivityDelete)
	priv.POST("/activity/delete", s.handleActivityDeleteRange)
	priv.POST("/read-positions/:id/delete", s.handleReadPositionDelete)
	priv.POST("/read-positions/delete", s.handleReadPositionDelete)
	priv.POST("/inferences/groups/:id/delete", s.handleInterestDelete)
	priv.POST("/inferences/not-interested/:id/delete", s.handleNotInterestedDelete)
	priv.GET("/receipts/:id", s.handleReceipt)
	priv.GET("/export", s.handleExport)
	g.GET("/welcome", s.handleWelcome, member)
	g.POST("/welcome", s.handleWelcomeSave, member)

	g.GET("/signup", s.handleSignUpShow)
	g.POST("/signup", s.handleSignUp)
	g.GET("/signup/codes", s.handleSignUpCodes, member)
	g.GET("/login", s.handleLogInShow)
	g.POST("/login", s.handleLogIn)
	g.POST("/logout", s.handleLogOut)
	g.GET("/recover", s.handleRecoverShow)
	g.POST("/recover", s.handleRecover)

	acct := g.Group("/account", member)
	acct.GET("", s.handleAccountShow)
	acct.POST("/password", s.handleAccountPassword)
	acct.POST("/logout-everywhere", s.handleAccountLogOutEverywhere)
	acct.POST("/recovery-codes", s.handleAccountRecoveryCodes)
	acct.POST("/mutes", s.handleAccountMute)
	acct.POST("/hidden-warnings", s.handleAccountHiddenWarnings)
	acct.POST("/time-zone", s.handleAccountTimeZone)
	acct.GET("/following", s.handleFollowing)
	acct.POST("/follow-replies", s.handleFollowReplies)
	acct.GET("/delete", s.handleAccountDeleteShow)
	acct.POST("/delete", s.handleAccountDelete)

	// Support groups.
	g.GET("/groups", s.handleGroupsMine, member)
	g.GET("/g/:slug", s.handleGroupShow)
	g.POST("/g/:slug/join", s.handleGroupJoin, member)
	g.POST("/g/:slug/leave", s.handleGroupLeave, member)
	g.POST("/g/:slug/request", s.handleGroupRequest, member)
	g.POST("/g/:slug/requests/:id", s.handleGroupRequestAnswer, member)
	g.POST("/g/:slug/invites", s.handleGroupInviteCreate, member)
	g.GET("/g/:slug/insights", s.handleGroupInsights, member)
	g.GET("/invite/:token", s.handleInviteShow, member)
	g.POST("/invite/:token", s.handleInviteAccept, member)
	g.GET("/g/:slug/new", s.handleTopicNew, member)
	g.POST("/g/:slug/topics", s.handleTopicCreate, member)

	// Topics and posts.
	g.GET("/t/:id", s.handleTopicShow)
	g.POST("/t/:id/replies", s.handleReplyCreate, member)
	g.POST("/t/:id/follow", s.handleTopicFollow, member)
	g.GET("/p/:id", s.handlePostShow)
	g.GET("/p/:id/edit", s.handlePostEditForm, member)
	g.POST("/p/:id/edit", s.handlePostEdit, member)
	g.POST("/p/:id/delete", s.handlePostDelete, member)
	g.POST("/p/:id/react", s.handlePostReact, member)
	g.GET("/p/:id/revisions", s.handlePostRevisions, member)
	g.POST("/p/:id/reveal", s.handlePostReveal, member)
	g.GET("/p/:id/report", s.handleReportForm, member)
	g.POST("/p/:id/report", s.handleReport, member)
	g.POST("/p/:id/bookmark", s.handlePostBookmark, member)
	g.GET("/bookmarks", s.handleBookmarks, member)
	g.GET("/u/:username", s.handleProfileShow, member)
	acct.POST("/profile", s.handleAccountProfile)

	// Moderation.
	mod := g.Group("/mod", member)
	mod.GET("", s.handleModQueue)
	mod.GET("/log", s.handleModLog)
	mod.POST("/posts/:id/hide", s.handleModHide)
	mod.POST("/posts/:id/unhide", s.handleModUnhide)
	mod.POST("/posts/:id/delete", s.handleModDelete)
	mod.POST("/topics/:id/lock", s.handleModTopicFlag("locked"))
	mod.POST("/topics/:id/pin", s.handleModTopicFlag("pinned"))
	mod.POST("/topics/:id/slow", s.handleModSlowMode)
	mod.POST("/topics/:id/move", s.handleModMove)
	mod.POST("/reports/:id/dismiss", s.handleModDismiss)
	// Prevention.
	mod.POST("/posts/:id/approve", s.handleModApprove)
	// Sanctions, escalation and the member's own view of actions on them.
	mod.POST("/groups/:slug/members/:username/:action", s.handleModMemberAction)
	mod.POST("/posts/:id/escalate", s.handleModEscalate)
	acct.GET("/moderation", s.handleAccountModeration)
	acct.POST("/moderation/:id/appeal", s.handleAccountAppeal)

	g.GET("/search", s.handleSearch)
	g.GET("/suggestions/how", s.handleSuggestionsHow)
	g.POST("/suggestions/:id/not-interested", s.handleNotInterested, member)
	g.GET("/notifications", s.handleNotifications, member)
	g.POST("/notifications/settings", s.handleNotificationSettings, member)
	g.POST("/notifications/clear", s.handleNotificationsClear, member)

	// Site admin: the group's middleware is the only admin check.
	adm := g.Group("/admin", member, s.requireAdmin)
	adm.GET("", s.handleAdmin)
	adm.POST("/groups", s.handleAdminGroupCreate)
	adm.GET("/groups/:slug", s.handleAdminGroupEdit)
	adm.POST("/groups/:slug", s.handleAdminGroupUpdate)
	adm.POST("/groups/:slug/archive", s.handleAdminGroupArchive)
	adm.POST("/groups/:slug/moderators", s.handleAdminGroupModerator)
	adm.POST("/settings", s.handleAdminSettings)
	adm.POST("/watched-words", s.handleWatchedWordAdd)
	adm.POST("/watched-words/:id/delete", s.handleWatchedWordDelete)
	adm.POST("/groups/:slug/hold", s.handleGroupHold)
	adm.POST("/members/:username/suspend", s.handleAdminSuspend)

	g.RouteNotFound("/*", s.handleNotFound)
}
