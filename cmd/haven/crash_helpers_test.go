package main

// Helpers for the crash tests: the haven binary built once per test and run as a child process
// that can be SIGKILLed, and a throwaway PostgreSQL cluster of the test's own (durable: fsync and
// synchronous_commit on, unlike the shared test cluster) that can be stopped with -m immediate.

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/haven-forum/haven/internal/database"
)

// buildHaven builds this program once per test process, into a directory TestMain removes.
func buildHaven(t *testing.T) string {
	t.Helper()
	bin, err := builtHaven()
	if err != nil {
		t.Fatal(err)
	}
	return bin
}

var binDir string // made by TestMain, removed when the tests are done

var builtHaven = sync.OnceValues(func() (string, error) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		goTool = "/usr/local/go/bin/go"
	}
	bin := filepath.Join(binDir, "haven")
	if out, err := exec.Command(goTool, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
})

// freeAddr is a loopback address nobody listens on now; a restarted server takes it again.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// havenProc is the haven binary serving on a fixed address, restartable after a kill.
type havenProc struct {
	t      *testing.T
	bin    string
	addr   string
	args   []string
	cmd    *exec.Cmd
	exited chan struct{}
	log    *e2eLog
}

func newHavenProc(t *testing.T, bin string, args ...string) *havenProc {
	p := &havenProc{t: t, bin: bin, addr: freeAddr(t), args: args, log: &e2eLog{}}
	t.Cleanup(func() {
		p.kill()
		if t.Failed() {
			t.Logf("server output:\n%s", p.log.tail(60))
		}
	})
	return p
}

func (p *havenProc) url() string { return "http://" + p.addr }

// start runs the server and waits until it answers /readyz.
func (p *havenProc) start() {
	p.t.Helper()
	p.cmd = exec.Command(p.bin, append([]string{"--addr", p.addr}, p.args...)...)
	p.cmd.Env = []string{"HAVEN_SESSION_KEY=" + strings.Repeat("c", 40), "PATH=" + os.Getenv("PATH")}
	p.cmd.Stdout, p.cmd.Stderr = p.log, p.log
	if err := p.cmd.Start(); err != nil {
		p.t.Fatal(err)
	}
	exited := make(chan struct{})
	p.exited = exited
	go func() { p.cmd.Wait(); close(exited) }()
	for end := time.Now().Add(30 * time.Second); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
		select {
		case <-exited:
			p.t.Fatalf("the server exited at start:\n%s", p.log.tail(30))
		default:
		}
		if res, err := http.Get(p.url() + "/readyz"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return
			}
		}
	}
	p.t.Fatalf("the server was not ready within 30s:\n%s", p.log.tail(30))
}

// kill sends SIGKILL, as a crash or the OOM killer would, and waits for the process to go.
func (p *havenProc) kill() {
	if p.cmd == nil {
		return
	}
	p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.exited
	p.cmd = nil
}

// pgCluster is a PostgreSQL cluster of this test's own, from Debian's server binaries.
type pgCluster struct {
	t    *testing.T
	bin  string
	dir  string
	port int
}

// startPGCluster initdbs and starts a cluster; without the server binaries the test is
// skipped, or fails with CI=true.
func startPGCluster(t *testing.T) *pgCluster {
	t.Helper()
	found, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(found) == 0 {
		const msg = "no PostgreSQL server binaries (/usr/lib/postgresql/*/bin): apt-get install postgresql"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg + "; CI=true, so this fails instead of skipping")
		}
		t.Skip(msg)
	}
	sort.Strings(found)
	dir, err := os.MkdirTemp("", "haven-crash-pg-") // not under t.TempDir: the postgres user must reach it
	if err != nil {
		t.Fatal(err)
	}
	c := &pgCluster{t: t, bin: filepath.Dir(found[len(found)-1]), dir: dir}
	t.Cleanup(func() {
		c.pgCtl("-m", "immediate", "-w", "stop")
		os.RemoveAll(dir)
	})
	if os.Geteuid() == 0 {
		if err := exec.Command("chown", "postgres:postgres", dir).Run(); err != nil {
			t.Fatalf("chown the cluster directory to postgres: %v", err)
		}
	}
	c.asOwner("initdb", "-D", dir+"/data", "-U", "postgres", "-A", "trust", "--encoding=UTF8", "--no-locale", "--no-sync", "--no-instructions")
	_, port, _ := net.SplitHostPort(freeAddr(t))
	fmt.Sscan(port, &c.port)
	conf := fmt.Sprintf("\nlisten_addresses = '127.0.0.1'\nport = %d\nunix_socket_directories = '%s'\nmax_connections = 100\nmax_parallel_workers_per_gather = 0\n", c.port, dir)
	f, err := os.OpenFile(dir+"/data/postgresql.conf", os.O_APPEND|os.O_WRONLY, 0)
	if err == nil {
		_, err = f.WriteString(conf)
		f.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	c.start()
	admin, err := database.Open(context.Background(), c.url("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	defer database.Close(admin)
	if err := admin.Exec("CREATE DATABASE haven").Error; err != nil {
		t.Fatal(err)
	}
	return c
}

func (c *pgCluster) url(db string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", c.port, db)
}

func (c *pgCluster) start() {
	c.t.Helper()
	c.pgCtl("-l", c.dir+"/server.log", "-w", "-t", "60", "start")
}

// crash stops the cluster the way a power cut looks to it: no checkpoint, recovery from WAL.
func (c *pgCluster) crash() { c.t.Helper(); c.pgCtl("-m", "immediate", "-w", "stop") }

func (c *pgCluster) pgCtl(args ...string) {
	if _, err := os.Stat(c.dir + "/data/postmaster.pid"); err != nil && args[len(args)-1] == "stop" {
		return
	}
	c.asOwner("pg_ctl", append([]string{"-D", c.dir + "/data"}, args...)...)
}

// asOwner runs one of the cluster's programs as the postgres user when the test runs as root.
func (c *pgCluster) asOwner(prog string, args ...string) {
	c.t.Helper()
	argv := append([]string{filepath.Join(c.bin, prog)}, args...)
	if os.Geteuid() == 0 {
		argv = append([]string{"runuser", "-u", "postgres", "--"}, argv...)
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = c.dir
	if out, err := cmd.CombinedOutput(); err != nil {
		log, _ := os.ReadFile(c.dir + "/server.log")
		c.t.Fatalf("%s: %v\n%s\n%s", strings.Join(argv, " "), err, out, log)
	}
}

// amcheck runs pg_amcheck over the haven database (heap and every B-tree index).
func (c *pgCluster) amcheck() {
	c.t.Helper()
	cmd := exec.Command(filepath.Join(c.bin, "pg_amcheck"), "-h", "127.0.0.1", "-p", fmt.Sprint(c.port), "-U", "postgres",
		"--install-missing", "--heapallindexed", "haven")
	out, err := cmd.CombinedOutput()
	if err != nil {
		c.t.Errorf("pg_amcheck: %v\n%s", err, out)
		return
	}
	c.t.Logf("pg_amcheck --heapallindexed: no corruption found%s", out)
}
