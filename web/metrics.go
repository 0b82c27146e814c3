package web

import (
	"context"
	"database/sql"
	"net/http"
	"strconv"
	"time"

	"github.com/haven-forum/haven/internal/jobs"
	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics counts what an operator needs to see (requests, errors, background jobs, the
// database pool, the Go runtime and the process) on a registry of its own, served in the
// Prometheus format. Request labels are the method, the route pattern and the status class,
// and nothing else: never a path, a query, a member or an address, so a scrape cannot tell
// who read what. Jobs are labelled by name, errors by cause; both are fixed lists.
type Metrics struct {
	registry    *prometheus.Registry
	handler     http.Handler
	requests    *prometheus.CounterVec
	durations   *prometheus.HistogramVec
	errors      *prometheus.CounterVec
	jobRuns     *prometheus.CounterVec
	jobFailures *prometheus.CounterVec
	jobSuccess  *prometheus.GaugeVec
	jobDuration *prometheus.GaugeVec
}

// latencyBuckets are the upper bounds, in seconds, of the request latency histogram.
var latencyBuckets = []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

// errorCauses are the values of the errors metric's cause label.
var errorCauses = []string{"internal", "panic", "unavailable"}

// NewMetrics starts counting; db's pool is read at each scrape (nil: no pool metrics).
func NewMetrics(db *sql.DB) *Metrics {
	reg := prometheus.NewRegistry()
	m := &Metrics{
		registry: reg,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "haven_http_requests_total",
			Help: "Requests answered, by method, route pattern and status class."}, []string{"method", "route", "status"}),
		durations: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "haven_http_request_duration_seconds",
			Help:    "Time to answer a request, by method, route pattern and status class.",
			Buckets: latencyBuckets}, []string{"method", "route", "status"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "haven_http_errors_total",
			Help: "5xx answers, by cause: internal, panic or unavailable (the database locked or unreachable)."}, []string{"cause"}),
		jobRuns: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "haven_job_runs_total",
			Help: "Runs of a background job on this instance (it ran only where it won the lease)."}, []string{"job"}),
		jobFailures: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "haven_job_failures_total",
			Help: "Runs of a background job that returned an error."}, []string{"job"}),
		jobSuccess: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "haven_job_last_success_timestamp_seconds",
			Help: "When a background job last succeeded on this instance (Unix time; 0 for never)."}, []string{"job"}),
		jobDuration: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "haven_job_last_duration_seconds",
			Help: "How long the last run of a background job took."}, []string{"job"}),
	}
	reg.MustRegister(m.requests, m.durations, m.errors, m.jobRuns, m.jobFailures, m.jobSuccess, m.jobDuration,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if db != nil {
		reg.MustRegister(collectors.NewDBStatsCollector(db, "haven"))
	}
	for _, c := range errorCauses {
		m.errors.WithLabelValues(c) // each cause shows from the start, at 0
	}
	m.handler = promhttp.HandlerFor(reg, promhttp.HandlerOpts{})
	return m
}

// CounterFunc adds a counter read from fn at each scrape, for counts kept elsewhere.
func (m *Metrics) CounterFunc(name, help string, fn func() float64) {
	if m == nil {
		return
	}
	m.registry.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{Name: name, Help: help}, fn))
}

// knownMethods keeps the method label to a fixed set: a client can send any word as a method.
var knownMethods = map[string]bool{"GET": true, "HEAD": true, "POST": true, "PUT": true, "PATCH": true,
	"DELETE": true, "OPTIONS": true}

// ObserveRequest counts one answered request under its route pattern (as logged). A nil
// Metrics counts nothing, so the middleware needs no check.
func (m *Metrics) ObserveRequest(method, route string, status int, took time.Duration) {
	if m == nil {
		return
	}
	if !knownMethods[method] {
		method = "OTHER"
	}
	class := "other"
	if status >= 100 && status < 600 {
		class = strconv.Itoa(status/100) + "xx"
	}
	m.requests.WithLabelValues(method, route, class).Inc()
	m.durations.WithLabelValues(method, route, class).Observe(took.Seconds())
}

// ObserveError counts one 5xx answer by its cause: internal, panic or unavailable.
func (m *Metrics) ObserveError(cause string) {
	if m == nil {
		return
	}
	m.errors.WithLabelValues(cause).Inc()
}

// WrapJobs makes each job count its runs, failures and last success. A run is counted only
// where the job ran: with several instances, the one that won the lease.
func (m *Metrics) WrapJobs(list []jobs.Job) {
	if m == nil {
		return
	}
	for i := range list {
		name, run := list[i].Name, list[i].Run
		m.jobRuns.WithLabelValues(name)
		m.jobFailures.WithLabelValues(name)
		m.jobSuccess.WithLabelValues(name).Set(0)
		m.jobDuration.WithLabelValues(name).Set(0)
		list[i].Run = func(ctx context.Context) error {
			start := time.Now()
			err := run(ctx)
			m.jobRuns.WithLabelValues(name).Inc()
			m.jobDuration.WithLabelValues(name).Set(time.Since(start).Seconds())
			if err != nil {
				m.jobFailures.WithLabelValues(name).Inc()
			} else {
				m.jobSuccess.WithLabelValues(name).SetToCurrentTime()
			}
			return err
		}
	}
}

// ServeHTTP answers a scrape.
func (m *Metrics) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	m.handler.ServeHTTP(w, r)
}

func (s *Server) handleMetrics(c echo.Context) error {
	s.Metrics.ServeHTTP(c.Response(), c.Request())
	return nil
}
