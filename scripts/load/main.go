// Command load drives a running Haven with a fixed-rate mix of members reading groups and
// topics, replying, reacting and switching their reading-history consent (vegeta as a library),
// and reports errors, p50/p99 latency per window and the server's RSS. It exits 1 on any error.
// scripts/load/run.sh builds Haven, generates a database and runs this against it; see there.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

func main() {
	base := flag.String("url", "http://127.0.0.1:8080", "Haven's address")
	rate := flag.Int("rate", 40, "requests per second")
	duration := flag.Duration("duration", 60*time.Second, "how long to attack")
	window := flag.Duration("window", 10*time.Second, "report latency and RSS every window")
	pid := flag.Int("pid", 0, "the server's process id, for its RSS (/proc/PID/status VmRSS)")
	members := flag.Int("members", 60, "how many generated members (member00001, …) sign in")
	password := flag.String("password", "haven-generated-password", "their password (haven gen's)")
	flag.Parse()
	if err := run(*base, *rate, *duration, *window, *pid, *members, *password); err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
}

// member is a signed-in member: the session cookie and CSRF token to send with each request.
type member struct {
	cookie, csrf string
	consent      bool
}

// site is what the members can reach: the groups they joined, their topics and posts.
type site struct {
	groups []string
	topics []string
	posts  []string
}

var (
	csrfRe  = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)
	groupRe = regexp.MustCompile(`href="/g/([a-z0-9-]+)"`)
	topicRe = regexp.MustCompile(`href="/t/(\d+)"`)
	postRe  = regexp.MustCompile(`id="p(\d+)"`)
)

func run(base string, rate int, duration, window time.Duration, pid, n int, password string) error {
	fmt.Printf("Signing in %d members at %s …\n", n, base)
	ms := make([]*member, n)
	var s site
	for i := range ms {
		m, joined, err := signIn(base, fmt.Sprintf("member%05d", i+1), password, i == 0)
		if err != nil {
			return err
		}
		ms[i] = m
		if i == 0 {
			s = joined
		}
	}
	if len(s.topics) == 0 || len(s.posts) == 0 {
		return fmt.Errorf("found no topics or posts to load (groups %v)", s.groups)
	}
	fmt.Printf("%d groups, %d topics and %d posts in the mix; every member joined the groups.\n", len(s.groups), len(s.topics), len(s.posts))
	return attack(base, ms, s, rate, duration, window, pid)
}

// signIn logs a member in and joins them to every public group on the front page; the first
// member also collects the topics and posts of those groups.
func signIn(base, username, password string, explore bool) (*member, site, error) {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	m := &member{}
	var s site
	page := func(method, path string, form url.Values) (int, string, error) {
		var body io.Reader
		if form != nil {
			form.Set("_csrf", m.csrf)
			body = strings.NewReader(form.Encode())
		}
		req, _ := http.NewRequest(method, base+path, body)
		if form != nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		res, err := c.Do(req)
		if err != nil {
			return 0, "", err
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		if t := csrfRe.FindSubmatch(b); t != nil {
			m.csrf = string(t[1])
		}
		return res.StatusCode, string(b), nil
	}
	if _, _, err := page("GET", "/login", nil); err != nil {
		return nil, s, err
	}
	if status, _, err := page("POST", "/login", url.Values{"username": {username}, "password": {password}}); err != nil || status != http.StatusSeeOther {
		return nil, s, fmt.Errorf("log in as %s: %d %v", username, status, err)
	}
	_, home, err := page("GET", "/", nil)
	if err != nil {
		return nil, s, err
	}
	for _, g := range uniq(groupRe.FindAllStringSubmatch(home, -1)) {
		if status, _, err := page("POST", "/g/"+g+"/join", url.Values{}); err != nil || status != http.StatusSeeOther {
			continue // private: not in the mix
		}
		s.groups = append(s.groups, g)
		if !explore {
			continue
		}
		_, gp, _ := page("GET", "/g/"+g, nil)
		for _, t := range uniq(topicRe.FindAllStringSubmatch(gp, -1)) {
			s.topics = append(s.topics, t)
			if len(s.posts) < 2000 {
				_, tp, _ := page("GET", "/t/"+t, nil)
				s.posts = append(s.posts, uniq(postRe.FindAllStringSubmatch(tp, -1))...)
			}
		}
	}
	if _, _, err := page("GET", "/privacy", nil); err != nil { // the CSRF token of the signed-in session
		return nil, s, err
	}
	u, _ := url.Parse(base)
	for _, ck := range jar.Cookies(u) {
		m.cookie += ck.Name + "=" + ck.Value + "; "
	}
	return m, s, nil
}

func uniq(matches [][]string) []string {
	var out []string
	for _, m := range matches {
		if !slices.Contains(out, m[1]) {
			out = append(out, m[1])
		}
	}
	return out
}

// targeter makes the mix: 30% topic pages, 25% group pages, 10% the front page, 15% replies,
// 10% reactions, 10% consent switches, each as a random member.
func targeter(ms []*member, s site) vegeta.Targeter {
	var mu sync.Mutex
	seq := 0
	kinds := []string{"hear_you", "strength", "me_too", "thank_you"}
	return func(tgt *vegeta.Target) error {
		mu.Lock()
		defer mu.Unlock()
		seq++
		m := ms[rand.IntN(len(ms))]
		tgt.Method, tgt.Body = http.MethodGet, nil
		tgt.Header = http.Header{"Cookie": {m.cookie}}
		form := url.Values{"_csrf": {m.csrf}}
		switch r := rand.IntN(100); {
		case r < 30:
			tgt.URL = "/t/" + pick(s.topics)
		case r < 55:
			tgt.URL = "/g/" + pick(s.groups)
		case r < 65:
			tgt.URL = "/"
		case r < 80:
			tgt.Method, tgt.URL = http.MethodPost, "/t/"+pick(s.topics)+"/replies"
			form.Set("body", fmt.Sprintf("Load test reply %d: thinking of you all.", seq))
			form.Set("_submit", fmt.Sprintf("load-%d-%d", time.Now().UnixNano(), seq))
		case r < 90:
			tgt.Method, tgt.URL = http.MethodPost, "/p/"+pick(s.posts)+"/react"
			form.Set("kind", pick(kinds))
		default:
			m.consent = !m.consent
			tgt.Method, tgt.URL = http.MethodPost, "/privacy/consent"
			form.Set("purpose", "reading_history")
			form.Set("enabled", fmt.Sprint(m.consent))
		}
		if tgt.Method == http.MethodPost {
			tgt.Body = []byte(form.Encode())
			tgt.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		return nil
	}
}

func pick(xs []string) string { return xs[rand.IntN(len(xs))] }

// attack runs the mix at the rate and prints one line per window, then the totals.
func attack(base string, ms []*member, s site, rate int, duration, window time.Duration, pid int) error {
	prefix := targeter(ms, s)
	tr := func(tgt *vegeta.Target) error {
		err := prefix(tgt)
		tgt.URL = base + tgt.URL
		return err
	}
	atk := vegeta.NewAttacker(vegeta.Redirects(vegeta.NoFollow), vegeta.Timeout(30*time.Second), vegeta.KeepAlive(true))
	windows := make([]vegeta.Metrics, int((duration+window-1)/window))
	var total vegeta.Metrics
	var examples []string
	fmt.Printf("Attack: %d requests/s for %s (30%% topic, 25%% group, 10%% front page, 15%% reply, 10%% react, 10%% consent switch)\n", rate, duration)
	rss := []string{"start " + readRSS(pid)}
	start := time.Now()
	done, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		t := time.NewTicker(window)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case now := <-t.C:
				rss = append(rss, fmt.Sprintf("%s %s", now.Sub(start).Round(time.Second), readRSS(pid)))
			}
		}
	}()
	for res := range atk.Attack(tr, vegeta.Rate{Freq: rate, Per: time.Second}, duration, "haven") {
		w := min(int(res.Timestamp.Sub(start)/window), len(windows)-1)
		windows[max(w, 0)].Add(res)
		total.Add(res)
		if (res.Error != "" || res.Code >= 400 || res.Code < 200) && len(examples) < 10 {
			examples = append(examples, fmt.Sprintf("%s %s: %d %s", res.Method, res.URL, res.Code, res.Error))
		}
	}
	close(done)
	<-stopped
	rss = append(rss, "end "+readRSS(pid))
	total.Close()
	fmt.Printf("\n%-9s %8s %7s %9s %9s %9s\n", "window", "requests", "errors", "p50", "p99", "max")
	for i := range windows {
		w := &windows[i]
		w.Close()
		fmt.Printf("%3d-%3ds %9d %7d %9s %9s %9s\n", i*int(window.Seconds()), (i+1)*int(window.Seconds()), w.Requests,
			w.Requests-successes(w), ms3(w.Latencies.P50), ms3(w.Latencies.P99), ms3(w.Latencies.Max))
	}
	errs := total.Requests - successes(&total)
	fmt.Printf("%-9s %8d %7d %9s %9s %9s   (%.1f requests/s achieved)\n", "total", total.Requests, errs,
		ms3(total.Latencies.P50), ms3(total.Latencies.P99), ms3(total.Latencies.Max), total.Rate)
	fmt.Printf("status codes: %v\n", total.StatusCodes)
	fmt.Printf("server RSS: %s\n", strings.Join(rss, ", "))
	for _, e := range examples {
		fmt.Println("error:", e)
	}
	if errs > 0 {
		return fmt.Errorf("%d of %d requests failed", errs, total.Requests)
	}
	return nil
}

// successes counts 2xx and 3xx answers (a form's redirect is its success).
func successes(m *vegeta.Metrics) uint64 {
	var n uint64
	for code, c := range m.StatusCodes {
		if code >= "200" && code < "400" {
			n += uint64(c)
		}
	}
	return n
}

func ms3(d time.Duration) string { return fmt.Sprintf("%.1fms", float64(d)/float64(time.Millisecond)) }

// readRSS reads VmRSS of the process, or "?" without one.
func readRSS(pid int) string {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil || pid == 0 {
		return "?"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			return strings.Join(strings.Fields(v), " ")
		}
	}
	return "?"
}
