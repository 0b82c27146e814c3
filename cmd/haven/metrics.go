package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/pprof"
	"time"

	"github.com/haven-forum/haven/internal/config"
	"github.com/haven-forum/haven/web"
	"gorm.io/gorm"
)

// startMetrics makes the metrics when --metrics or --metrics-addr turns them on (nil, counting
// nothing, otherwise), and serves them on their own listener when --metrics-addr names one, so
// they need not be reachable from the internet; Go's CPU and heap profiles (/debug/pprof/) are
// served there too, never on --addr. stop closes that listener.
func startMetrics(cfg config.Config, db *gorm.DB, stdout io.Writer) (m *web.Metrics, stop func(), err error) {
	stop = func() {}
	if !cfg.Metrics && cfg.MetricsAddr == "" {
		return nil, stop, nil
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, stop, err
	}
	m = web.NewMetrics(sqlDB)
	if cfg.MetricsAddr == "" {
		return m, stop, nil
	}
	ln, err := net.Listen("tcp", cfg.MetricsAddr)
	if err != nil {
		return nil, stop, &config.Error{Setting: "--metrics-addr", Problem: fmt.Sprintf("cannot listen on %s: %v", cfg.MetricsAddr, errors.Unwrap(err))}
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", m)
	// Profiles sit on this private listener only: they show what the server is doing, not to whom.
	mux.HandleFunc("GET /debug/pprof/", pprof.Index)
	mux.HandleFunc("GET /debug/pprof/profile", pprof.Profile)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, WriteTimeout: 30 * time.Second}
	go srv.Serve(ln)
	fmt.Fprintf(stdout, "Metrics are served at http://%s/metrics\n", ln.Addr())
	return m, func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
	}, nil
}
