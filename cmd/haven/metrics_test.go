package main

import (
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

func scrape(t *testing.T, url string) (int, string) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

var metricsLine = regexp.MustCompile(`Metrics are served at (http://\S+/metrics)`)

func TestMetricsSettings(t *testing.T) {
	t.Parallel()
	t.Run("off by default", func(t *testing.T) {
		base, _ := startProgram(t, []string{"--data", t.TempDir()}, env())
		if status, _ := scrape(t, base+"/metrics"); status != http.StatusNotFound {
			t.Errorf("/metrics: %d, want 404", status)
		}
	})
	t.Run("HAVEN_METRICS on the main address", func(t *testing.T) {
		base, _ := startProgram(t, []string{"--data", t.TempDir()}, env("HAVEN_METRICS", "true"))
		scrape(t, base+"/login")
		status, body := scrape(t, base+"/metrics")
		if status != http.StatusOK || !strings.Contains(body, `haven_http_requests_total{method="GET",route="/login",status="2xx"} 1`) {
			t.Errorf("/metrics: %d\n%s", status, body)
		}
		if !strings.Contains(body, "haven_topic_opens_dropped_total 0") {
			t.Error("dropped topic opens are not counted")
		}
		if !strings.Contains(body, `go_sql_open_connections{db_name="haven"}`) {
			t.Error("the database pool is missing")
		}
	})
	t.Run("--metrics-addr only there", func(t *testing.T) {
		base, printed := startProgram(t, []string{"--data", t.TempDir(), "--metrics-addr", "127.0.0.1:0"}, env())
		m := metricsLine.FindStringSubmatch(printed.String())
		if m == nil {
			t.Fatalf("the metrics address is not printed:\n%s", printed)
		}
		scrape(t, base+"/login")
		if status, _ := scrape(t, base+"/metrics"); status != http.StatusNotFound {
			t.Errorf("/metrics on the public address: %d, want 404", status)
		}
		status, body := scrape(t, m[1])
		if status != http.StatusOK || !strings.Contains(body, `route="/login"`) {
			t.Errorf("%s: %d\n%s", m[1], status, body)
		}
	})
	t.Run("bad --metrics-addr", func(t *testing.T) {
		err := run(context.Background(), []string{"--data", t.TempDir(), "--metrics-addr", "nonsense"}, env(), nil, io.Discard, io.Discard)
		if err == nil || !strings.HasPrefix(err.Error(), "--metrics-addr") {
			t.Errorf("run: %v; want an error naming --metrics-addr", err)
		}
	})
}
