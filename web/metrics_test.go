package web_test

import (
	"context"
	"errors"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/haven-forum/haven/internal/dbtest"
	"github.com/haven-forum/haven/internal/jobs"
	"github.com/haven-forum/haven/web"
	"gorm.io/gorm"
)

// withMetrics turns metrics on and serves them at /metrics, as --metrics does.
func withMetrics(d *web.Deps) {
	sqlDB, _ := d.DB.DB()
	d.Metrics = web.NewMetrics(sqlDB)
	d.ServeMetrics = true
}

// series reads one sample of a scrape, -1 when the series is not there.
func series(body, name string) float64 {
	for _, line := range strings.Split(body, "\n") {
		if v, ok := strings.CutPrefix(line, name+" "); ok {
			f, _ := strconv.ParseFloat(v, 64)
			return f
		}
	}
	return -1
}

func TestMetricsAreOffUnlessEnabled(t *testing.T) {
	t.Parallel()
	a := newApp(t, dbtest.SQLite(t))
	c := a.client()
	c.get("/login")
	if p := c.get("/metrics"); p.status != http.StatusNotFound || strings.Contains(p.body, "haven_") {
		t.Errorf("/metrics without --metrics: %d\n%s", p.status, p.body)
	}
}

func TestMetricsCountRequestsPoolAndJobs(t *testing.T) {
	t.Parallel()
	var m *web.Metrics
	a := newApp(t, dbtest.SQLite(t), withMetrics, func(d *web.Deps) { m = d.Metrics })
	c := a.client()
	const login = `haven_http_requests_total{method="GET",route="/login",status="2xx"}`
	before := series(c.get("/metrics").body, login)
	for range 3 {
		c.get("/login")
	}
	c.get("/nowhere/at/all")
	p := c.get("/metrics")
	if p.status != http.StatusOK || !strings.HasPrefix(p.header.Get("Content-Type"), "text/plain; version=0.0.4") {
		t.Fatalf("/metrics: %d %q", p.status, p.header.Get("Content-Type"))
	}
	if got := series(p.body, login); got != max(before, 0)+3 {
		t.Errorf("%s = %v after 3 more requests, was %v", login, got, before)
	}
	for name, want := range map[string]float64{
		`haven_http_request_duration_seconds_count{method="GET",route="/login",status="2xx"}`:            3,
		`haven_http_request_duration_seconds_bucket{method="GET",route="/login",status="2xx",le="+Inf"}`: 3,
		`haven_http_requests_total{method="GET",route="unmatched",status="4xx"}`:                         1,
	} {
		if got := series(p.body, name); got != want {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
	for _, name := range []string{`go_sql_max_open_connections{db_name="haven"}`, "go_goroutines", "process_start_time_seconds"} {
		if got := series(p.body, name); got <= 0 {
			t.Errorf("%s = %v; the pool, the Go runtime and the process are reported", name, got)
		}
	}

	list := []jobs.Job{
		{Name: "retention_purge", Run: func(context.Context) error { return nil }},
		{Name: "session_purge", Run: func(context.Context) error { return errors.New("database is locked") }},
	}
	m.WrapJobs(list)
	for _, j := range list {
		j.Run(context.Background())
		j.Run(context.Background())
	}
	p = c.get("/metrics")
	for name, want := range map[string]float64{
		`haven_job_runs_total{job="retention_purge"}`:                   2,
		`haven_job_failures_total{job="retention_purge"}`:               0,
		`haven_job_runs_total{job="session_purge"}`:                     2,
		`haven_job_failures_total{job="session_purge"}`:                 2,
		`haven_job_last_success_timestamp_seconds{job="session_purge"}`: 0,
	} {
		if got := series(p.body, name); got != want {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
	if got := series(p.body, `haven_job_last_success_timestamp_seconds{job="retention_purge"}`); got < 1e9 {
		t.Errorf("last success of retention_purge = %v; want a Unix time", got)
	}
}

var labelValue = regexp.MustCompile(`(\w+)="([^"]*)"`)

// Whatever a member does, /metrics says only which route answered: never who, and never which
// topic, post or group.
func TestMetricsNeverNameAMemberOrAPath(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a := newApp(t, db, withMetrics)
		admin := a.admin("metrics_admin")
		admin.createGroup("Grief", "grief", "public", false)
		name := "Quintessa_Brightwater"
		c := a.member(name)
		c.join("grief")
		topic := c.newTopic("grief", "Evenings", "Some words.")
		id := memberIDOf(t, db, name)
		c.get("/t/12345")
		c.get("/t/" + strconv.FormatInt(topic, 10))
		c.get("/g/grief")
		c.get("/search?q=" + name)
		c.get("/" + name + "/12345?who=" + name)
		c.post("/privacy/consent", "purpose", "reading_history", "enabled", "true")
		c.http.Do(mustRequest(t, "BREW", a.srv.URL+"/t/12345"))

		body := c.get("/metrics").body
		for _, s := range []string{name, strings.ToLower(name), "12345", "grief", "Evenings"} {
			if strings.Contains(body, s) {
				t.Errorf("/metrics holds %q", s)
			}
		}
		if !strings.Contains(body, `route="/t/:id"`) {
			t.Fatalf("the topic page is not counted under its pattern; the checks prove nothing:\n%s", body)
		}
		// Every label is a method, a route pattern, a status class, a job, an error's cause, or
		// one of the client library's fixed ones (a bucket, a quantile, the Go version, the
		// database's name): none carries a number that could be a member's, a topic's or a
		// post's id.
		fixed := map[string]bool{"le": true, "quantile": true, "version": true, "db_name": true}
		for _, m := range labelValue.FindAllStringSubmatch(body, -1) {
			key, v := m[1], m[2]
			switch key {
			case "method", "route", "status", "job", "cause":
			case "le", "quantile", "version", "db_name":
			default:
				t.Errorf("label %s=%q: not one of the known labels", key, v)
			}
			if !fixed[key] && strings.ContainsAny(v, "0123456789") && !regexp.MustCompile(`^[1-5]xx$`).MatchString(v) {
				t.Errorf("label %s=%q holds a number (the member's id is %d)", key, v, id)
			}
			if key == "db_name" && v != "haven" || key == "version" && !strings.HasPrefix(v, "go") {
				t.Errorf("label %s=%q", key, v)
			}
			if key == "method" && v != "GET" && v != "POST" && v != "OTHER" {
				t.Errorf("method label %q: a client chose it", v)
			}
		}
	})
}

func mustRequest(t *testing.T, method, url string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	return req
}
