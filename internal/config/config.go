// Package config reads Haven's settings from flags and environment variables (flags win).
// It holds no globals: Load returns a value that the program passes on.
package config

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/haven-forum/haven/internal/crisis"
)

// Config is every setting Haven runs with.
type Config struct {
	Addr         string // where to listen
	DataDir      string // SQLite file, session key
	DatabaseURL  string // postgres:// URL, or a path to an SQLite file
	BaseURL      string // the public URL; https turns on secure cookies
	TrustProxy   bool   // take the client address from X-Forwarded-For (behind a reverse proxy)
	Demo         bool   // fill an empty database with demo content at start
	Contact      string // who answers privacy questions (for the policy page and consent receipts)
	Jurisdiction string // where the operator is, for consent receipts (e.g. "EU", "DE")
	Controller   string // who is responsible for members' data (the controller), by name
	Address      string // the controller's postal address
	Email        string // the controller's email address (default: --privacy-contact, if it is one)
	Phone        string // the controller's telephone number
	// Who counts toward a community figure's K members (see privacy.Established).
	EstablishedDays     int
	EstablishedActivity int
	establishedDays     string
	establishedActivity string
	CrisisRegion        string // whose national help lines the crisis page lists (crisis.Codes)
	Metrics             bool   // serve GET /metrics on Addr
	MetricsAddr         string // serve GET /metrics on this address instead, e.g. 127.0.0.1:9090
	SessionKey          []byte // signs and encrypts cookies; set by LoadSessionKey
}

// Unnamed lists the settings that name the controller and are not set: consent receipts and
// the policy name no one responsible for members' data until they are.
func (c Config) Unnamed() []string {
	var out []string
	for _, s := range []struct{ flag, value string }{{"--controller", c.Controller}, {"--privacy-contact", c.Contact},
		{"--jurisdiction", c.Jurisdiction}, {"--controller-address", c.Address}, {"--base-url", c.BaseURL}} {
		if s.value == "" {
			out = append(out, s.flag)
		}
	}
	return out
}

// SecureCookies reports whether cookies must only travel over HTTPS.
func (c Config) SecureCookies() bool { return strings.HasPrefix(c.BaseURL, "https://") }

// Error names the setting that is wrong, so the message can be one line.
type Error struct {
	Setting string
	Problem string
}

func (e *Error) Error() string { return e.Setting + ": " + e.Problem }

type setting struct {
	flag, env, def, help string
	target               *string
}

// NewFlagSet returns the flags of the serve command bound to cfg, with the environment applied
// as defaults. Usage output lists every setting with its environment variable.
func NewFlagSet(name string, cfg *Config, getenv func(string) string, out io.Writer) (*flag.FlagSet, func() error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(out)
	settings := []setting{
		{"addr", "HAVEN_ADDR", "127.0.0.1:8080", "address to listen on", &cfg.Addr},
		{"data", "HAVEN_DATA_DIR", "./data", "directory for the SQLite database and the session key", &cfg.DataDir},
		{"db", "HAVEN_DATABASE_URL", "", "database: a postgres:// URL, or an SQLite file (default DATA/haven.db)", &cfg.DatabaseURL},
		{"base-url", "HAVEN_BASE_URL", "", "public URL of the site, e.g. https://haven.example; https turns on secure cookies", &cfg.BaseURL},
		{"privacy-contact", "HAVEN_PRIVACY_CONTACT", "", "who members can write to about their data (shown in the policy and consent receipts)", &cfg.Contact},
		{"jurisdiction", "HAVEN_JURISDICTION", "", "where the operator is established, for consent receipts (e.g. EU, DE, US-CA)", &cfg.Jurisdiction},
		{"controller", "HAVEN_CONTROLLER", "", "the person or organisation responsible for members' data, by name (policy and consent receipts)", &cfg.Controller},
		{"controller-address", "HAVEN_CONTROLLER_ADDRESS", "", "the controller's postal address (policy and consent receipts)", &cfg.Address},
		{"controller-email", "HAVEN_CONTROLLER_EMAIL", "", "the controller's email address (default: --privacy-contact when it is an email address)", &cfg.Email},
		{"controller-phone", "HAVEN_CONTROLLER_PHONE", "", "the controller's telephone number (consent receipts)", &cfg.Phone},
		{"established-days", "HAVEN_ESTABLISHED_DAYS", "14", "how old an account must be to count toward a community figure's 5 members", &cfg.establishedDays},
		{"established-activity", "HAVEN_ESTABLISHED_ACTIVITY", "3", "how many visible posts and reactions an account needs to count toward a community figure's 5 members", &cfg.establishedActivity},
		{"crisis-region", "HAVEN_CRISIS_REGION", crisis.International, "whose help lines the crisis page lists: " + strings.Join(crisis.Codes(), ", "), &cfg.CrisisRegion},
		{"metrics-addr", "HAVEN_METRICS_ADDR", "", "serve Prometheus metrics at /metrics on this address only (e.g. 127.0.0.1:9090), not on --addr", &cfg.MetricsAddr},
	}
	for _, s := range settings {
		v := s.def
		if e := getenv(s.env); e != "" {
			v = e
		}
		fs.StringVar(s.target, s.flag, v, fmt.Sprintf("%s (env %s)", s.help, s.env))
	}
	trust := getenv("HAVEN_TRUST_PROXY") == "true" || getenv("HAVEN_TRUST_PROXY") == "1"
	fs.BoolVar(&cfg.TrustProxy, "trust-proxy", trust, "trust X-Forwarded-For from a reverse proxy on loopback (env HAVEN_TRUST_PROXY)")
	metrics := getenv("HAVEN_METRICS") == "true" || getenv("HAVEN_METRICS") == "1"
	fs.BoolVar(&cfg.Metrics, "metrics", metrics, "serve Prometheus metrics at /metrics on --addr (env HAVEN_METRICS); off by default")
	fs.BoolVar(&cfg.Demo, "demo", false, "fill an empty database with demo groups, members and posts, and print the demo sign-ins")
	fs.Usage = func() {
		fmt.Fprintf(out, "Usage: %s [flags]\n\nFlags (each also read from the environment variable named):\n", name)
		fs.PrintDefaults()
		fmt.Fprintln(out, "  HAVEN_SESSION_KEY\n    \tsecret for cookies, at least 32 characters (default: generated once and kept in DATA/session.key)")
	}
	return fs, func() error { return cfg.validate() }
}

func (c *Config) validate() error {
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		return &Error{"--addr", fmt.Sprintf("%q is not host:port", c.Addr)}
	}
	if c.MetricsAddr != "" {
		if _, _, err := net.SplitHostPort(c.MetricsAddr); err != nil {
			return &Error{"--metrics-addr", fmt.Sprintf("%q is not host:port", c.MetricsAddr)}
		}
	}
	if _, ok := crisis.Lookup(c.CrisisRegion); !ok {
		return &Error{"--crisis-region", fmt.Sprintf("%q is not one of %s", c.CrisisRegion, strings.Join(crisis.Codes(), ", "))}
	}
	if c.BaseURL != "" {
		u, err := url.Parse(c.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return &Error{"--base-url", fmt.Sprintf("%q is not an http:// or https:// URL", c.BaseURL)}
		}
		c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	}
	var err error
	if c.EstablishedDays, err = strconv.Atoi(c.establishedDays); err != nil || c.EstablishedDays < 0 {
		return &Error{"--established-days", fmt.Sprintf("%q is not a number of days", c.establishedDays)}
	}
	if c.EstablishedActivity, err = strconv.Atoi(c.establishedActivity); err != nil || c.EstablishedActivity < 0 {
		return &Error{"--established-activity", fmt.Sprintf("%q is not a number of posts and reactions", c.establishedActivity)}
	}
	if c.Email == "" && strings.Contains(c.Contact, "@") && !strings.ContainsAny(c.Contact, " \t") {
		c.Email = strings.TrimPrefix(c.Contact, "mailto:")
	}
	if c.DatabaseURL != "" && strings.Contains(c.DatabaseURL, "://") {
		u, err := url.Parse(c.DatabaseURL)
		if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") || u.Host == "" {
			return &Error{"--db", "not a postgres:// URL or a file path"}
		}
	}
	return nil
}

// PrepareDataDir creates the data directory if needed, proves it is writable, and fills in the
// default SQLite path.
func (c *Config) PrepareDataDir() error {
	if err := os.MkdirAll(c.DataDir, 0o700); err != nil {
		return &Error{"--data", fmt.Sprintf("cannot create %s: %v", c.DataDir, errors.Unwrap(err))}
	}
	probe, err := os.CreateTemp(c.DataDir, ".write-test-*")
	if err != nil {
		return &Error{"--data", fmt.Sprintf("%s is not writable", c.DataDir)}
	}
	probe.Close()
	os.Remove(probe.Name())
	if c.DatabaseURL == "" {
		c.DatabaseURL = filepath.Join(c.DataDir, "haven.db")
	}
	if !strings.Contains(c.DatabaseURL, "://") {
		// Create the file owner-only before SQLite does; its WAL and index files inherit the mode.
		f, err := os.OpenFile(c.DatabaseURL, os.O_CREATE|os.O_RDONLY, 0o600)
		if err != nil {
			return &Error{"--db", fmt.Sprintf("cannot create %s", c.DatabaseURL)}
		}
		f.Close()
	}
	return nil
}

// LoadSessionKey sets SessionKey from HAVEN_SESSION_KEY, or from DATA/session.key, creating
// that file (mode 0600) with a new random key on first start.
func (c *Config) LoadSessionKey(getenv func(string) string) error {
	if k := getenv("HAVEN_SESSION_KEY"); k != "" {
		if len(k) < 32 {
			return &Error{"HAVEN_SESSION_KEY", "must be at least 32 characters"}
		}
		c.SessionKey = []byte(k)
		return nil
	}
	path := filepath.Join(c.DataDir, "session.key")
	b, err := os.ReadFile(path)
	if err == nil {
		key := strings.TrimSpace(string(b))
		if len(key) < 32 {
			return &Error{"HAVEN_SESSION_KEY", path + " is too short; delete it to make a new one"}
		}
		c.SessionKey = []byte(key)
		return nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return &Error{"HAVEN_SESSION_KEY", "cannot read " + path}
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return &Error{"HAVEN_SESSION_KEY", "no randomness to make a key"}
	}
	key := hex.EncodeToString(raw)
	if err := os.WriteFile(path, []byte(key+"\n"), 0o600); err != nil {
		return &Error{"--data", "cannot write " + path}
	}
	c.SessionKey = []byte(key)
	return nil
}
