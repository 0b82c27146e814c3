package web

import (
	"context"
	"strings"

	"github.com/haven-forum/haven/internal/throttle"
	"github.com/labstack/echo/v4"
)

// guess is one password check, counted against the limits before the hash runs.
type guess struct {
	taken []throttle.Taken
	given bool
}

// countGuess counts a password check against the log-in limits for username (and, when
// byAddress, for the address asking) first: concurrent guesses then cannot all pass a count
// that none of them has written yet.
func (s *Server) countGuess(c echo.Context, username string, byAddress bool) (*guess, error) {
	ctx := c.Request().Context()
	g := &guess{}
	tk, err := s.Throttle.Take(ctx, "login-user:"+strings.ToLower(username), s.Limits.LoginPerUsername)
	g.taken = append(g.taken, tk)
	if err == nil && byAddress {
		tk, err = s.Throttle.Take(ctx, "login-addr:"+c.RealIP(), s.Limits.LoginPerAddress)
		g.taken = append(g.taken, tk)
	}
	if err != nil {
		g.giveBack(ctx) // refused before the check ran: nothing was guessed
		return nil, err
	}
	return g, nil
}

// giveBack uncounts a check that was not a wrong guess (the right password, or no check run);
// once, however often it is called.
func (g *guess) giveBack(ctx context.Context) {
	if g.given {
		return
	}
	g.given = true
	ctx = context.WithoutCancel(ctx)
	for _, tk := range g.taken {
		tk.Give(ctx)
	}
}
