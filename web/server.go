// Package web is Haven's HTTP layer: routes, middleware, handlers and the central error page.
// Handlers parse the request, call a domain service, and render a view; nothing more.
package web

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/gorilla/securecookie"
	"github.com/gorilla/sessions"
	"github.com/haven-forum/haven/internal/accounts"
	"github.com/haven-forum/haven/internal/database"
	"github.com/haven-forum/haven/internal/forum"
	"github.com/haven-forum/haven/internal/moderation"
	"github.com/haven-forum/haven/internal/privacy"
	"github.com/haven-forum/haven/internal/recommend"
	"github.com/haven-forum/haven/internal/site"
	"github.com/haven-forum/haven/internal/throttle"
	"github.com/haven-forum/haven/static"
	"github.com/labstack/echo/v4"
	"gorm.io/gorm"
)

// Limits are the rate limits the web layer applies; tests may lower them.
type Limits struct {
	LoginPerUsername throttle.Limit // failed log-ins for one username
	LoginPerAddress  throttle.Limit // failed log-ins from one address
	SignUpPerAddress throttle.Limit // accounts created from one address
	RecoverPerTarget throttle.Limit // recovery attempts per username and per address
	MutePerMember    throttle.Limit // mutes and unmutes by one member (each names a username)
	BodyLimit        string         // largest request body, e.g. "1M"
}

// DefaultLimits are the production rate limits.
var DefaultLimits = Limits{
	LoginPerUsername: throttle.Limit{Max: 10, Window: 15 * time.Minute},
	LoginPerAddress:  throttle.Limit{Max: 50, Window: 15 * time.Minute},
	SignUpPerAddress: throttle.Limit{Max: 10, Window: time.Hour},
	RecoverPerTarget: throttle.Limit{Max: 10, Window: 15 * time.Minute},
	MutePerMember:    throttle.Limit{Max: 30, Window: time.Hour},
	BodyLimit:        "1M",
}

// Deps is everything the web layer needs, built by the program at start.
type Deps struct {
	DB            *gorm.DB
	Accounts      *accounts.Service
	Settings      *site.Settings
	Forum         *forum.Forum
	Moderation    *moderation.Service
	Inbox         *forum.Inbox
	Privacy       *privacy.Service
	Recommend     *recommend.Engine
	Throttle      *throttle.Throttle
	Assets        *static.Assets
	Logger        *slog.Logger
	SessionKey    []byte
	SecureCookies bool
	BaseURL       string // public URL, for links shared outside the site (invites)
	CrisisRegion  string // whose help lines the crisis resources list (crisis.Codes); empty: international
	TrustProxy    bool
	Limits        Limits
	Metrics       *Metrics            // counts requests when set
	LogFolder     *database.LogFolder // folds SQLite's log after an erasure; one per database (nil: New makes one)
	ServeMetrics  bool                // answer GET /metrics here (else it is served on its own address, or not at all)
}

// Server is Haven's HTTP handler.
type Server struct {
	Deps
	echo    *echo.Echo
	cookies *sessions.CookieStore
	cookie  string // the session cookie's name
}

// New builds the server and its routes.
func New(d Deps) *Server {
	if d.Limits == (Limits{}) {
		d.Limits = DefaultLimits
	}
	if d.LogFolder == nil {
		d.LogFolder = database.NewLogFolder(d.DB, d.Logger)
	}
	s := &Server{Deps: d, echo: echo.New(), cookie: "haven"}
	if d.SecureCookies {
		s.cookie = "__Host-haven" // only over HTTPS, only this host, path /
	}
	s.cookies = newCookieStore(d.SessionKey)
	s.cookies.Options = &sessions.Options{
		Path:     "/",
		MaxAge:   int(accounts.SessionLifetime / time.Second),
		Secure:   d.SecureCookies,
		HttpOnly: true,
		SameSite: http.SameSiteLaxMode,
	}
	s.echo.HideBanner = true
	s.echo.HidePort = true
	s.echo.HTTPErrorHandler = s.handleError
	s.echo.IPExtractor = echo.ExtractIPDirect()
	if d.TrustProxy {
		s.echo.IPExtractor = echo.ExtractIPFromXFFHeader()
	}
	s.routes()
	return s
}

// ServeHTTP makes Server an http.Handler. HEAD is answered as GET would be (load balancers and
// link checkers use it); net/http sends the headers and drops the body.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodHead {
		r = r.Clone(context.WithValue(r.Context(), headKey{}, true))
		r.Method = http.MethodGet
	}
	s.echo.ServeHTTP(w, r)
}

type headKey struct{}

// isHead reports whether the request came as HEAD: it reads, but is no visit to record.
func isHead(c echo.Context) bool { return c.Request().Context().Value(headKey{}) != nil }

// method is the request's method as the client sent it.
func method(c echo.Context) string {
	if isHead(c) {
		return http.MethodHead
	}
	return c.Request().Method
}

// newCookieStore signs and encrypts session cookies with keys derived from secret. Session values
// are strings and booleans, so JSON carries them; gob spent most of a cookie's decoding (7% of a
// signed-in page) on the type description every cookie repeats. Cookies written with gob before
// still decode: that codec comes second.
func newCookieStore(secret []byte) *sessions.CookieStore {
	hashKey, blockKey := deriveKey(secret, "cookie-hash"), deriveKey(secret, "cookie-encrypt")
	store := sessions.NewCookieStore(hashKey, blockKey)
	asJSON := securecookie.New(hashKey, blockKey)
	asJSON.SetSerializer(sessionJSON{})
	store.Codecs = append([]securecookie.Codec{asJSON}, store.Codecs...)
	return store
}

// sessionJSON carries a session's values (string keys; string and boolean values) as JSON.
type sessionJSON struct{}

func (sessionJSON) Serialize(src any) ([]byte, error) {
	values, ok := src.(map[any]any)
	if !ok {
		return nil, fmt.Errorf("web: a session is a map, not %T", src)
	}
	out := make(map[string]any, len(values))
	for k, v := range values {
		key, ok := k.(string)
		if !ok {
			return nil, fmt.Errorf("web: a session key is a string, not %T", k)
		}
		out[key] = v
	}
	return json.Marshal(out)
}

func (sessionJSON) Deserialize(src []byte, dst any) error {
	values, ok := dst.(*map[any]any)
	if !ok {
		return fmt.Errorf("web: a session decodes into a map, not %T", dst)
	}
	var in map[string]any
	if err := json.Unmarshal(src, &in); err != nil {
		return err
	}
	if *values == nil {
		*values = make(map[any]any, len(in))
	}
	for k, v := range in {
		(*values)[k] = v
	}
	return nil
}

func deriveKey(secret []byte, label string) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(label))
	return m.Sum(nil)
}

// Routes is the registered URL surface, for tests that must cover every route.
func (s *Server) Routes() []*echo.Route { return s.echo.Routes() }
