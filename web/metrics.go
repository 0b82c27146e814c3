package web

import (
	"bufio"
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"io"
	"maps"
	"net/http"
	"os"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/haven-forum/haven/internal/jobs"
	"github.com/labstack/echo/v4"
)

// Metrics counts what an operator needs to see (requests, the database pool, background jobs)
// and writes it in the Prometheus text format. Its labels are the method, the route pattern,
// the status class and the job name, and nothing else: never a path, a query, a member or an
// address, so a scrape cannot tell who read what. Written by hand: a few counters do not
// need the Prometheus client and its dependencies.
type Metrics struct {
	dbStats func() sql.DBStats
	started time.Time

	mu       sync.Mutex
	requests map[requestKey]*histogram
	jobs     map[string]*jobStats
	errors   map[string]uint64 // 5xx answers by cause
}

type requestKey struct{ method, route, class string }

// latencyBuckets are the upper bounds, in seconds, of the request latency histogram.
var latencyBuckets = []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

// latencyBounds are the same bounds as written in the le label, formatted once.
var latencyBounds = func() []string {
	out := make([]string, len(latencyBuckets))
	for i, b := range latencyBuckets {
		out[i] = formatFloat(b)
	}
	return out
}()

type histogram struct {
	counts []uint64 // per bucket, not cumulative; the last is +Inf
	sum    float64
	total  uint64
}

type jobStats struct {
	runs, failures uint64
	lastSuccess    time.Time
	lastDuration   time.Duration
}

// NewMetrics starts counting; dbStats reads the pool (sql.DB.Stats) at each scrape.
func NewMetrics(dbStats func() sql.DBStats) *Metrics {
	return &Metrics{dbStats: dbStats, started: time.Now(), requests: map[requestKey]*histogram{}, jobs: map[string]*jobStats{},
		errors: map[string]uint64{"internal": 0, "panic": 0, "unavailable": 0}}
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
	secs := took.Seconds()
	i := sort.SearchFloat64s(latencyBuckets, secs) // first bound >= secs; len = +Inf
	m.mu.Lock()
	defer m.mu.Unlock()
	k := requestKey{method, route, class}
	h := m.requests[k]
	if h == nil {
		h = &histogram{counts: make([]uint64, len(latencyBuckets)+1)}
		m.requests[k] = h
	}
	h.counts[i]++
	h.sum += secs
	h.total++
}

// ObserveError counts one 5xx answer by its cause: internal, panic or unavailable.
func (m *Metrics) ObserveError(cause string) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.errors[cause]++
}

// WrapJobs makes each job count its runs, failures and last success. A run is counted only
// where the job ran: with several instances, the one that won the lease.
func (m *Metrics) WrapJobs(list []jobs.Job) {
	if m == nil {
		return
	}
	for i := range list {
		name, run := list[i].Name, list[i].Run
		list[i].Run = func(ctx context.Context) error {
			start := time.Now()
			err := run(ctx)
			m.observeJob(name, err, time.Since(start))
			return err
		}
	}
}

func (m *Metrics) observeJob(name string, err error, took time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	j := m.jobs[name]
	if j == nil {
		j = &jobStats{}
		m.jobs[name] = j
	}
	j.runs++
	j.lastDuration = took
	if err != nil {
		j.failures++
	} else {
		j.lastSuccess = time.Now()
	}
}

// ServeHTTP answers a scrape.
func (m *Metrics) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	bw := bufio.NewWriter(w)
	m.write(bw)
	bw.Flush()
}

func (s *Server) handleMetrics(c echo.Context) error {
	s.Metrics.ServeHTTP(c.Response(), c.Request())
	return nil
}

// write writes every metric in the text exposition format, series in a stable order.
func (m *Metrics) write(w io.Writer) {
	m.mu.Lock()
	keys := slices.SortedFunc(maps.Keys(m.requests), func(a, b requestKey) int {
		return cmp.Or(cmp.Compare(a.route, b.route), cmp.Compare(a.method, b.method), cmp.Compare(a.class, b.class))
	})
	reqs := make([]histogram, len(keys))
	for i, k := range keys {
		h := m.requests[k]
		reqs[i] = histogram{counts: slices.Clone(h.counts), sum: h.sum, total: h.total}
	}
	names := slices.Sorted(maps.Keys(m.jobs))
	jobCopies := make([]jobStats, len(names))
	for i, n := range names {
		jobCopies[i] = *m.jobs[n]
	}
	causes := slices.Sorted(maps.Keys(m.errors))
	errs := make([]uint64, len(causes))
	for i, c := range causes {
		errs[i] = m.errors[c]
	}
	m.mu.Unlock()

	metricHeader(w, "haven_http_errors_total", "counter", "5xx answers, by cause: internal, panic or unavailable (the database locked or unreachable).")
	for i, c := range causes {
		fmt.Fprintf(w, "haven_http_errors_total{cause=\"%s\"} %d\n", c, errs[i])
	}
	metricHeader(w, "haven_http_requests_total", "counter", "Requests answered, by method, route pattern and status class.")
	for i, k := range keys {
		fmt.Fprintf(w, "haven_http_requests_total{%s} %d\n", k.labels(), reqs[i].total)
	}
	metricHeader(w, "haven_http_request_duration_seconds", "histogram", "Time to answer a request, by method, route pattern and status class.")
	for i, k := range keys {
		var cum uint64
		labels := k.labels()
		for b, bound := range latencyBounds {
			cum += reqs[i].counts[b]
			fmt.Fprintf(w, "haven_http_request_duration_seconds_bucket{%s,le=\"%s\"} %d\n", labels, bound, cum)
		}
		fmt.Fprintf(w, "haven_http_request_duration_seconds_bucket{%s,le=\"+Inf\"} %d\n", labels, reqs[i].total)
		fmt.Fprintf(w, "haven_http_request_duration_seconds_sum{%s} %s\n", labels, formatFloat(reqs[i].sum))
		fmt.Fprintf(w, "haven_http_request_duration_seconds_count{%s} %d\n", labels, reqs[i].total)
	}
	m.writeJobs(w, names, jobCopies)
	m.writePool(w)
	m.writeProcess(w)
}

func (k requestKey) labels() string {
	return fmt.Sprintf(`method="%s",route="%s",status="%s"`, labelValue(k.method), labelValue(k.route), k.class)
}

func (m *Metrics) writeJobs(w io.Writer, names []string, stats []jobStats) {
	series := []struct {
		name, kind, help string
		value            func(jobStats) string
	}{
		{"haven_job_runs_total", "counter", "Runs of a background job on this instance (it ran only where it won the lease).",
			func(j jobStats) string { return strconv.FormatUint(j.runs, 10) }},
		{"haven_job_failures_total", "counter", "Runs of a background job that returned an error.",
			func(j jobStats) string { return strconv.FormatUint(j.failures, 10) }},
		{"haven_job_last_success_timestamp_seconds", "gauge", "When a background job last succeeded on this instance (Unix time; 0 for never).",
			func(j jobStats) string {
				if j.lastSuccess.IsZero() {
					return "0"
				}
				return formatFloat(float64(j.lastSuccess.UnixNano()) / 1e9)
			}},
		{"haven_job_last_duration_seconds", "gauge", "How long the last run of a background job took.",
			func(j jobStats) string { return formatFloat(j.lastDuration.Seconds()) }},
	}
	for _, s := range series {
		metricHeader(w, s.name, s.kind, s.help)
		for i, n := range names {
			fmt.Fprintf(w, "%s{job=\"%s\"} %s\n", s.name, labelValue(n), s.value(stats[i]))
		}
	}
}

func (m *Metrics) writePool(w io.Writer) {
	if m.dbStats == nil {
		return
	}
	st := m.dbStats()
	for _, g := range []struct {
		name, kind, help string
		value            string
	}{
		{"haven_db_max_open_connections", "gauge", "Largest number of open database connections allowed.", strconv.Itoa(st.MaxOpenConnections)},
		{"haven_db_open_connections", "gauge", "Open database connections, in use and idle.", strconv.Itoa(st.OpenConnections)},
		{"haven_db_in_use_connections", "gauge", "Database connections in use.", strconv.Itoa(st.InUse)},
		{"haven_db_idle_connections", "gauge", "Idle database connections.", strconv.Itoa(st.Idle)},
		{"haven_db_wait_count_total", "counter", "Times a query waited for a free connection.", strconv.FormatInt(st.WaitCount, 10)},
		{"haven_db_wait_duration_seconds_total", "counter", "Time spent waiting for a free connection.", formatFloat(st.WaitDuration.Seconds())},
		{"haven_db_max_idle_closed_total", "counter", "Connections closed because of the idle limit.", strconv.FormatInt(st.MaxIdleClosed, 10)},
		{"haven_db_max_idle_time_closed_total", "counter", "Connections closed because they were idle too long.", strconv.FormatInt(st.MaxIdleTimeClosed, 10)},
		{"haven_db_max_lifetime_closed_total", "counter", "Connections closed because of their lifetime limit.", strconv.FormatInt(st.MaxLifetimeClosed, 10)},
	} {
		metricHeader(w, g.name, g.kind, g.help)
		fmt.Fprintf(w, "%s %s\n", g.name, g.value)
	}
}

func (m *Metrics) writeProcess(w io.Writer) {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	metricHeader(w, "go_goroutines", "gauge", "Goroutines that currently exist.")
	fmt.Fprintf(w, "go_goroutines %d\n", runtime.NumGoroutine())
	metricHeader(w, "go_memstats_heap_inuse_bytes", "gauge", "Heap bytes in use.")
	fmt.Fprintf(w, "go_memstats_heap_inuse_bytes %d\n", ms.HeapInuse)
	metricHeader(w, "process_start_time_seconds", "gauge", "When the process started (Unix time).")
	fmt.Fprintf(w, "process_start_time_seconds %s\n", formatFloat(float64(m.started.Unix())))
	if rss, ok := residentBytes(); ok {
		metricHeader(w, "process_resident_memory_bytes", "gauge", "Resident memory of the process (Linux only).")
		fmt.Fprintf(w, "process_resident_memory_bytes %d\n", rss)
	}
}

// residentBytes reads the resident set size from /proc (Linux); elsewhere it reports false.
func residentBytes() (int64, bool) {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0, false
	}
	f := strings.Fields(string(b))
	if len(f) < 2 {
		return 0, false
	}
	pages, err := strconv.ParseInt(f[1], 10, 64)
	if err != nil {
		return 0, false
	}
	return pages * int64(os.Getpagesize()), true
}

func metricHeader(w io.Writer, name, kind, help string) {
	fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, kind)
}

func formatFloat(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

var labelEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)

func labelValue(s string) string { return labelEscaper.Replace(s) }
