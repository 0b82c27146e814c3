package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/haven-forum/haven/internal/accounts"
	"github.com/haven-forum/haven/internal/apperr"
	"github.com/haven-forum/haven/internal/config"
	"github.com/haven-forum/haven/internal/database"
	"github.com/haven-forum/haven/internal/demo"
	"github.com/haven-forum/haven/internal/forum"
	"github.com/haven-forum/haven/internal/jobs"
	"github.com/haven-forum/haven/internal/moderation"
	"github.com/haven-forum/haven/internal/paths"
	"github.com/haven-forum/haven/internal/privacy"
	"github.com/haven-forum/haven/internal/recommend"
	"github.com/haven-forum/haven/internal/site"
	"github.com/haven-forum/haven/internal/throttle"
	"github.com/haven-forum/haven/static"
	"github.com/haven-forum/haven/web"
	"gorm.io/gorm"
)

const usage = `Haven, a moderated peer-support forum.

Usage:
  haven [serve] [flags]                                 run the forum (default)
  haven migrate [flags]                                 apply database migrations and exit
  haven gen --members N --topics N --posts-per-topic N [--events N] --seed S [flags]
                                                        fill a database deterministically for benchmarks
  haven user create --username NAME [--role admin] [flags]
                                                        create an account; the password is read
                                                        from standard input, or generated and printed
  haven backup --to FILE [flags]                        copy the SQLite database online (PostgreSQL: pg_dump)
  haven restore --from FILE [--erasures LIST] [flags]   replace the stopped SQLite database with a backup and
                                                        erase again everything erased since it was taken
  haven restore --erasures LIST [flags]                 re-apply an erasure list (PostgreSQL, after pg_restore)
  haven erasures export [--to FILE] [flags]             write the erasure list (keep it beside backups)
  haven check [flags]                                   recompute the counts kept on write (topics and posts
                                                        per group, replies and last post per topic) and
                                                        repair any that drifted, printing each repair

Run "haven serve --help" to list every flag and environment variable.
`

// run is the whole program; main and the tests call it.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return serve(ctx, args, getenv, stdout, stderr)
	case "migrate":
		return migrate(ctx, args, getenv, stdout)
	case "user":
		if len(args) == 0 || args[0] != "create" {
			return errors.New(`usage: haven user create --username NAME [--role admin]`)
		}
		return userCreate(ctx, args[1:], getenv, stdin, stdout)
	case "gen":
		return gen(ctx, args, getenv, stdout)
	case "backup":
		return backup(ctx, args, getenv, stdout)
	case "restore":
		return restore(ctx, args, getenv, stdout)
	case "erasures":
		if len(args) == 0 || args[0] != "export" {
			return errors.New(`usage: haven erasures export [--to FILE]`)
		}
		return erasuresExport(ctx, args[1:], getenv, stdout)
	case "check":
		return check(ctx, args, getenv, stdout)
	case "help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	return fmt.Errorf("unknown command %q; run \"haven help\"", cmd)
}

// setup parses flags and opens the migrated database.
func setup(ctx context.Context, name string, args []string, getenv func(string) string, out io.Writer, extra func(*flag.FlagSet)) (config.Config, *gorm.DB, error) {
	var cfg config.Config
	fs, validate := config.NewFlagSet(name, &cfg, getenv, out)
	if extra != nil {
		extra(fs)
	}
	if err := fs.Parse(args); err != nil {
		return cfg, nil, err
	}
	if err := validate(); err != nil {
		return cfg, nil, err
	}
	if err := cfg.PrepareDataDir(); err != nil {
		return cfg, nil, err
	}
	db, err := database.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return cfg, nil, &config.Error{Setting: "--db", Problem: "cannot open the database: " + firstLine(err)}
	}
	if err := database.Migrate(ctx, db); err != nil {
		database.Close(db)
		return cfg, nil, &config.Error{Setting: "--db", Problem: firstLine(err)}
	}
	return cfg, db, nil
}

func firstLine(err error) string {
	s, _, _ := strings.Cut(err.Error(), "\n")
	return s
}

func migrate(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	_, db, err := setup(ctx, "haven migrate", args, getenv, stdout, nil)
	if err != nil {
		return err
	}
	defer database.Close(db)
	v, err := database.Version(ctx, db)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "The database schema is at version %d.\n", v)
	return nil
}

func userCreate(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout io.Writer) error {
	var username, role string
	_, db, err := setup(ctx, "haven user create", args, getenv, stdout, func(fs *flag.FlagSet) {
		fs.StringVar(&username, "username", "", "the new account's username")
		fs.StringVar(&role, "role", accounts.RoleMember, "member or admin")
	})
	if err != nil {
		return err
	}
	defer database.Close(db)
	password, generated, err := readPassword(stdin)
	if err != nil {
		return err
	}
	m, err := accounts.NewService(db).Create(ctx, username, password, role)
	if e, ok := apperr.As(err); ok && e.Fields != nil {
		for _, f := range []string{"username", "password", "role"} {
			if msg := e.Fields[f]; msg != "" {
				return &config.Error{Setting: "--" + f, Problem: msg}
			}
		}
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Created %s %q.\n", m.Role, m.Username)
	if generated {
		fmt.Fprintf(stdout, "Password (shown once, change it after logging in): %s\n", password)
	}
	return nil
}

// readPassword takes the first line of stdin, or makes a strong password when stdin is a
// terminal or empty.
func readPassword(stdin io.Reader) (string, bool, error) {
	if stdin != nil && !isTerminal(stdin) {
		b, err := io.ReadAll(io.LimitReader(stdin, 4096))
		if err != nil {
			return "", false, err
		}
		if line, _, _ := strings.Cut(string(b), "\n"); strings.TrimRight(line, "\r") != "" {
			return strings.TrimRight(line, "\r"), false, nil
		}
	}
	raw := make([]byte, 15)
	if _, err := rand.Read(raw); err != nil {
		return "", false, err
	}
	return base64.RawURLEncoding.EncodeToString(raw), true, nil
}

func serve(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, db, err := setup(ctx, "haven serve", args, getenv, stdout, nil)
	if err != nil {
		return err
	}
	defer database.Close(db)
	if err := cfg.LoadSessionKey(getenv); err != nil {
		return err
	}
	if cfg.Demo {
		if err := demo.Seed(ctx, db, stdout); err != nil {
			return err
		}
	}
	assets, err := static.Load()
	if err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(stderr, nil))
	accts := accounts.NewService(db)
	thr := throttle.New(db, cfg.SessionKey)
	settings := site.NewSettings(db)
	inbox := forum.NewInbox(db)
	policyURL := paths.PrivacyPolicy
	if cfg.BaseURL != "" {
		policyURL = cfg.BaseURL + paths.PrivacyPolicy // receipts leave the site: they need the whole address
	}
	priv := privacy.NewService(db, privacy.ControllerInfo{Name: cfg.Controller, PolicyURL: policyURL, Contact: cfg.Contact,
		Jurisdiction: cfg.Jurisdiction, Address: cfg.Address, Email: cfg.Email, Phone: cfg.Phone})
	priv.Established = privacy.Established{MinAge: time.Duration(cfg.EstablishedDays) * 24 * time.Hour, MinActivity: cfg.EstablishedActivity}
	forumSvc := forum.New(db, settings, inbox).WithPostLimits(cfg.SessionKey, forum.DefaultPostLimits)
	mod := moderation.NewService(db, forumSvc)
	folder := database.NewLogFolder(db, logger) // one per database: erasures and purges share its background retry
	metrics, stopMetrics, err := startMetrics(cfg, db, stdout)
	if err != nil {
		return err
	}
	defer stopMetrics()
	srv := web.New(web.Deps{
		DB: db, Accounts: accts, Settings: settings, Forum: forumSvc, Moderation: mod, Inbox: inbox, Recommend: recommend.New(forumSvc.Reads, priv),
		Privacy:  priv, // the one that batches topic opens and runs the purge
		Throttle: thr, Assets: assets,
		Logger: logger, SessionKey: cfg.SessionKey, SecureCookies: cfg.SecureCookies(), BaseURL: cfg.BaseURL, TrustProxy: cfg.TrustProxy,
		CrisisRegion: cfg.CrisisRegion, LogFolder: folder, Metrics: metrics, ServeMetrics: cfg.Metrics && cfg.MetricsAddr == "",
	})
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return &config.Error{Setting: "--addr", Problem: fmt.Sprintf("cannot listen on %s: %v", cfg.Addr, errors.Unwrap(err))}
	}
	httpSrv := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 60 * time.Second, IdleTimeout: 120 * time.Second}
	url := "http://" + ln.Addr().String()
	if cfg.BaseURL != "" {
		url = cfg.BaseURL
	}
	fmt.Fprintf(stdout, "Haven is running at %s (database: %s)\n", url, database.Dialect(db))
	if unset := cfg.Unnamed(); len(unset) > 0 { // after the line that says where Haven runs, which scripts read first
		fmt.Fprintf(stdout, "Warning: consent receipts and the privacy policy do not fully name who is responsible for members' data; set %s.\n",
			strings.Join(unset, ", "))
	}
	if n, _ := accounts.CountAdmins(ctx, db); n == 0 {
		fmt.Fprintln(stdout, "No admin yet. Create the first one with:\n  go run ./cmd/haven user create --username NAME --role admin")
	}
	jobRunner := backgroundJobs(db, accts, thr, priv, forumSvc, mod, folder, logger)
	if d, err := time.ParseDuration(getenv("HAVEN_JOB_TICK")); err == nil && d > 0 {
		jobRunner.Tick = d // tests watch leases pass between instances without waiting minutes
	}
	metrics.WrapJobs(jobRunner.Jobs)
	metrics.CounterFunc("haven_topic_opens_dropped_total", "Consented topic opens not recorded because their batch failed to write after every try.",
		func() float64 { return float64(priv.DroppedTopicOpens()) })
	stopJobs := jobRunner.Start(ctx)
	defer stopJobs() // deferred after database.Close, so it runs before: no job outlives the database
	batchCtx, stopBatching := context.WithCancel(context.Background())
	batchingStopped := priv.StartBatching(batchCtx, 50*time.Millisecond, logger)
	defer func() { stopBatching(); <-batchingStopped }() // queued topic opens are written before the database closes
	errc := make(chan error, 1)
	go func() { errc <- httpSrv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	fmt.Fprintln(stdout, "Shutting down: finishing requests in flight.")
	shutCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := httpSrv.Shutdown(shutCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// backgroundJobs are the periodic jobs. Each takes a database lease first, so with several
// instances on one PostgreSQL each runs once per period, and a crashed holder is taken over.
func backgroundJobs(db *gorm.DB, accts *accounts.Service, thr *throttle.Throttle, priv *privacy.Service, forumSvc *forum.Forum,
	mod *moderation.Service, folder *database.LogFolder, logger *slog.Logger) *jobs.Runner {
	b := make([]byte, 8)
	rand.Read(b)
	holder := fmt.Sprintf("%d-%x", os.Getpid(), b)
	return &jobs.Runner{DB: db, Holder: holder, Tick: time.Minute,
		OnErr: func(job string, err error) { logger.Error("background job failed", "job", job, "error", err.Error()) },
		Jobs: []jobs.Job{
			{Name: "retention_purge", Period: 10 * time.Minute, Run: func(ctx context.Context) error {
				if _, err := priv.PurgeExpired(ctx); err != nil {
					return err
				}
				return folder.Fold(ctx) // purged bytes leave the WAL too
			}},
			{Name: "session_purge", Period: time.Hour, Run: accts.PurgeExpiredSessions},
			// What is kept without consent goes when its retention (stated in the policy) ends.
			{Name: "forum_purge", Period: time.Hour, Run: func(ctx context.Context) error {
				if _, err := forumSvc.Posts.PurgeExpired(ctx); err != nil {
					return err
				}
				return folder.Fold(ctx)
			}},
			{Name: "queue_purge", Period: 24 * time.Hour, Run: func(ctx context.Context) error {
				if _, err := mod.PurgeHandled(ctx); err != nil {
					return err
				}
				return folder.Fold(ctx)
			}},
			// Posts and rules from before a renderer change show a fresh render until this stores it.
			{Name: "post_html", Period: 10 * time.Minute, Run: func(ctx context.Context) error {
				n, err := forumSvc.Posts.RenderStale(ctx)
				if n > 0 {
					logger.Info("stored HTML the current renderer made", "rows", n)
				}
				return err
			}},
			{Name: "throttle_purge", Period: time.Hour, Run: func(ctx context.Context) error {
				return thr.Purge(ctx, time.Now().Add(-24*time.Hour))
			}},
			// On PostgreSQL, erased rows' old versions stay on disk until VACUUM: run it daily
			// on the tables that hold member data, on top of autovacuum.
			{Name: "vacuum", Period: 24 * time.Hour, Run: func(ctx context.Context) error {
				if database.Dialect(db) != "postgres" {
					return nil
				}
				return db.WithContext(ctx).Exec(`VACUUM (ANALYZE) activity_events, consents, consent_records, members,
					sessions, recovery_codes, posts, post_revisions, topics, search_posts, reactions, notifications`).Error
			}},
		}}
}
