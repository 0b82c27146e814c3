#!/usr/bin/env bash
# Requests/second of the pages members read most, signed in: home, a group page, a topic page of
# 10 posts (and /healthz in the same run, for scale), with wrk, on SQLite and on PostgreSQL.
#
#   bash scripts/load/pages.sh                 # SQLite; PostgreSQL too when HAVEN_TEST_POSTGRES_URL is set
#   POSTS=100 bash scripts/load/pages.sh       # 1M posts (10,000 topics of 100)
#   GZIP=1 bash scripts/load/pages.sh          # also ask for gzip (Accept-Encoding), to see what is sent
#   INSTANCES=2 bash scripts/load/pages.sh     # PostgreSQL: two instances, wrk on each with half the connections
#   PROFILE=1 bash scripts/load/pages.sh       # a 10 s CPU profile of each page under load, in $KEEP or /tmp
#
# Knobs: MEMBERS (1000), TOPICS (10000), POSTS (10 posts per topic), DURATION (10s), CONNECTIONS (32),
# THREADS (2), ROUNDS (3: each page is measured ROUNDS times, interleaved; the median is printed),
# DBS ("sqlite postgres"), PAGES ("home group topic healthz"). Prints one line per page: req/s, p50, p99, bytes per
# response, and the CPU time Haven itself used per request (from /proc: it holds still on a busy machine, where
# req/s does not; PostgreSQL's own CPU is not in it).
# Needs wrk, curl, python3 (and psql for PostgreSQL). Everything runs on this machine: wrk shares
# its cores with Haven (and PostgreSQL), so /healthz shows the ceiling of the machine itself.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
export PATH=$PATH:/usr/local/go/bin
members=${MEMBERS:-1000} topics=${TOPICS:-10000} posts=${POSTS:-10}
duration=${DURATION:-10s} conns=${CONNECTIONS:-32} threads=${THREADS:-2} rounds=${ROUNDS:-3}
instances=${INSTANCES:-1} gzip=${GZIP:-}
dbs=${DBS:-sqlite${HAVEN_TEST_POSTGRES_URL:+ postgres}}
psql=$(command -v psql || ls /usr/lib/postgresql/*/bin/psql 2>/dev/null | tail -n 1 || true)

work=$(mktemp -d "${TMPDIR:-/tmp}/haven-pages.XXXXXX")
pgname=haven_pages_$$
pids=()
stop_all() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  pids=()
}
cleanup() {
  stop_all
  if [[ -n ${HAVEN_TEST_POSTGRES_URL:-} ]]; then
    "$psql" -q "$HAVEN_TEST_POSTGRES_URL" -c "DROP DATABASE IF EXISTS $pgname WITH (FORCE)" >/dev/null 2>&1 || true
  fi
  rm -rf -- "$work"
}
trap cleanup EXIT

(cd "$root" && go build -o "$work/haven" ./cmd/haven)
key=$(head -c 32 /dev/urandom | base64)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
start() { # start NAME PORT DB [METRICS_PORT]: one instance, waited for until ready
  mkdir -p "$work/$1"
  HAVEN_SESSION_KEY=$key HAVEN_METRICS_ADDR=${4:+127.0.0.1:$4} "$work/haven" --addr "127.0.0.1:$2" --data "$work/$1" --db "$3" >"$work/$1.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 300); do curl -fs "http://127.0.0.1:$2/readyz" >/dev/null 2>&1 && return 0; sleep 0.2; done
  echo "instance $1 did not start:"; cat "$work/$1.log"; return 1
}

measure() { # measure LABEL URL...: ROUNDS interleaved runs per URL set, median of the summed req/s
  local label=$1; shift
  local r out i n=$# sum
  local -a all=() w
  for ((r = 0; r < rounds; r++)); do
    i=0 w=()
    cpu_ticks >"$work/cpu.$r.0"
    for u in "$@"; do
      wrk -t"$(((threads + n - 1) / n))" -c"$((conns / n))" -d"$duration" --latency -H "Cookie: $cookie" ${gzip:+-H "Accept-Encoding: gzip"} "$u" >"$work/wrk.$r.$i" &
      w+=($!) i=$((i + 1))
    done
    wait "${w[@]}"
    cpu_ticks >"$work/cpu.$r.1"
    all+=("$(python3 - "$work" "$r" "$n" "$(getconf CLK_TCK)" <<'PY'
import re, sys
work, r, n, hz = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
ticks = int(open(f'{work}/cpu.{r}.1').read()) - int(open(f'{work}/cpu.{r}.0').read())
total_reqs = 0
def ms(v):
    m = re.match(r'([\d.]+)(us|ms|s)', v)
    return float(m[1]) * {'us': 0.001, 'ms': 1, 's': 1000}[m[2]]
rps = p50 = p99 = byt = errs = 0
for i in range(n):
    t = open(f'{work}/wrk.{r}.{i}').read()
    rps += float(re.search(r'Requests/sec:\s*([\d.]+)', t)[1])
    p50 = max(p50, ms(re.search(r'^\s+50%\s+(\S+)', t, re.M)[1]))
    p99 = max(p99, ms(re.search(r'^\s+99%\s+(\S+)', t, re.M)[1]))
    reqs = int(re.search(r'(\d+) requests in', t)[1])
    total_reqs += reqs
    total = re.search(r'requests in [^,]+, ([\d.]+)(B|KB|MB|GB) read', t)
    byt = float(total[1]) * {'B': 1, 'KB': 1024, 'MB': 1024**2, 'GB': 1024**3}[total[2]] / max(reqs, 1)
    e = re.search(r'Non-2xx or 3xx responses: (\d+)', t)
    errs += int(e[1]) if e else 0
print(f'{rps:.0f} {p50:.1f} {p99:.1f} {byt:.0f} {errs} {ticks * 1000 / hz / max(total_reqs, 1):.3f}')
PY
)")
  done
  printf '%s\n' "${all[@]}" | sort -n | python3 -c "
import sys
rows = [l.split() for l in sys.stdin]
m = rows[len(rows) // 2]
errs = sum(int(r[4]) for r in rows)
print(f'  %-28s %7s req/s  p50 %6s ms  p99 %6s ms  %7s bytes  cpu %s ms/req%s' % ('$label', m[0], m[1], m[2], m[3], m[5], f'  ({errs} non-2xx!)' if errs else ''))
"
}

cpu_ticks() { # user+system clock ticks used so far by every running Haven instance
  local p sum=0
  for p in "${pids[@]}"; do
    [[ -r /proc/$p/stat ]] && sum=$((sum + $(awk '{print $14 + $15}' "/proc/$p/stat")))
  done
  echo "$sum"
}

run_db() { # run_db NAME DB
  echo "==> $1: haven gen --members $members --topics $topics --posts-per-topic $posts --seed 1"
  "$work/haven" gen --data "$work/gen-$1" --db "$2" --members "$members" --topics "$topics" --posts-per-topic "$posts" --seed 1 | grep -E "^(Generated|Stored)"
  sync # the generated gigabyte goes to disk now, not under the first page's measurement
  local -a ports=()
  local n=1 i
  [[ $1 == postgres ]] && n=$instances
  for ((i = 0; i < n; i++)); do
    ports+=("$(free_port)")
    start "$1-$i" "${ports[$i]}" "$2" "${PROFILE:+$(free_port)}"
  done
  local a=127.0.0.1:${ports[0]}
  # Sign in as a generated member (the session works on every instance) and pick their first
  # group and its first topic that is not pinned.
  local jar=$work/cookies csrf group topic
  csrf=$(curl -fs -c "$jar" "http://$a/login" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -n 1)
  curl -fs -b "$jar" -c "$jar" -o /dev/null --data-urlencode "_csrf=$csrf" --data-urlencode username=member00001 \
    --data-urlencode password=haven-generated-password "http://$a/login"
  cookie=$(awk '{sub(/^#HttpOnly_/, "")} !/^#/ && NF >= 7 {printf "%s=%s; ", $6, $7}' "$jar")
  group=$(curl -fs -H "Cookie: $cookie" "http://$a/groups" | grep -o 'href="/g/[a-z0-9-]*"' | head -n 1 | cut -d'"' -f2)
  topic=$(curl -fs -H "Cookie: $cookie" "http://$a$group" | grep -o 'href="/t/[0-9]*"' | head -n 1 | cut -d'"' -f2)
  [[ -n $group && -n $topic ]] || { echo "could not find a group and topic for member00001"; exit 1; }
  curl -fs -H "Cookie: $cookie" "http://$a/" | grep -q 'Sign out\|Log out\|logout' || { echo "not signed in"; exit 1; }
  echo "   $n instance(s); member00001; group $group, topic $topic; $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"
  for label in ${PAGES:-home group topic healthz}; do
    local path
    case $label in home) path=/ ;; group) path=$group ;; topic) path=$topic ;; healthz) path=/healthz ;; esac
    local -a urls=()
    for p in "${ports[@]}"; do urls+=("http://127.0.0.1:$p$path"); done
    measure "$label ($path)" "${urls[@]}"
    if [[ -n ${PROFILE:-} && $label != healthz ]]; then
      local mport out=${KEEP:-/tmp}/haven-$1-$label.pprof
      mport=$(sed -n 's|.*Metrics are served at http://127.0.0.1:\([0-9]*\)/metrics.*|\1|p' "$work/$1-0.log")
      wrk -t"$threads" -c"$conns" -d12s -H "Cookie: $cookie" "http://$a$path" >/dev/null &
      local load=$!
      curl -fs -o "$out" "http://127.0.0.1:$mport/debug/pprof/profile?seconds=10"
      wait "$load"
      echo "   profile: go tool pprof -top $out"
    fi
  done
  for p in "${pids[@]}"; do echo "   resident memory of Haven (pid $p) after the runs: $(($(awk '/^VmRSS/ {print $2}' "/proc/$p/status") / 1024)) MB"; done
  stop_all
}

for d in $dbs; do
  case $d in
  sqlite) run_db sqlite "$work/haven.db" ;;
  postgres)
    : "${HAVEN_TEST_POSTGRES_URL:?set HAVEN_TEST_POSTGRES_URL to a PostgreSQL superuser URL}"
    "$psql" -q "$HAVEN_TEST_POSTGRES_URL" -c "DROP DATABASE IF EXISTS $pgname WITH (FORCE)" -c "CREATE DATABASE $pgname"
    run_db postgres "${HAVEN_TEST_POSTGRES_URL/\/postgres\?//$pgname?}"
    ;;
  esac
done
