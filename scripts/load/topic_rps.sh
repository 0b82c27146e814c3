#!/usr/bin/env bash
# Requests/second of one topic page, signed in, with one Haven instance and then with two
# instances on the same PostgreSQL database (two wrk processes at once, one per instance, each
# with half the connections; their sums are the two-instance figures).
#
#   eval "$(bash .ci/postgres.sh start)"      # or any superuser URL in HAVEN_TEST_POSTGRES_URL
#   bash scripts/load/topic_rps.sh            # DURATION (20s), CONNECTIONS (16), THREADS (2)
#
# Needs wrk (apt-get install wrk), curl and psql. Everything runs on this machine, so the
# instances, PostgreSQL and wrk share its cores: read the ratio with that in mind.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
export PATH=$PATH:/usr/local/go/bin
: "${HAVEN_TEST_POSTGRES_URL:?set HAVEN_TEST_POSTGRES_URL to a PostgreSQL superuser URL}"
duration=${DURATION:-20s} conns=${CONNECTIONS:-16} threads=${THREADS:-2}
psql=$(command -v psql || ls /usr/lib/postgresql/*/bin/psql | tail -n 1)

work=$(mktemp -d "${TMPDIR:-/tmp}/haven-rps.XXXXXX")
name=haven_rps_$$
db=${HAVEN_TEST_POSTGRES_URL/\/postgres\?//$name?}
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  "$psql" -q "$HAVEN_TEST_POSTGRES_URL" -c "DROP DATABASE IF EXISTS $name WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf -- "$work"
}
trap cleanup EXIT
"$psql" -q "$HAVEN_TEST_POSTGRES_URL" -c "CREATE DATABASE $name"
(cd "$root" && go build -o "$work/haven" ./cmd/haven)
"$work/haven" gen --data "$work" --db "$db" --members 200 --topics 2000 --posts-per-topic 10 --seed 1 | tail -n 1

key=$(head -c 32 /dev/urandom | base64)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
start() { # start NAME PORT: one instance, waited for until ready
  mkdir -p "$work/$1"
  HAVEN_SESSION_KEY=$key "$work/haven" --addr "127.0.0.1:$2" --data "$work/$1" --db "$db" >"$work/$1.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 150); do curl -fs "http://127.0.0.1:$2/readyz" >/dev/null 2>&1 && return 0; sleep 0.2; done
  echo "instance $1 did not start:"; cat "$work/$1.log"; return 1
}
a=$(free_port)
start a "$a"
b=$(free_port)
start b "$b"

# Sign in as a generated member (on a; the session works on both) and find a topic of theirs.
jar=$work/cookies
csrf=$(curl -fs -c "$jar" "http://127.0.0.1:$a/login" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -n 1)
curl -fs -b "$jar" -c "$jar" -o /dev/null --data-urlencode "_csrf=$csrf" --data-urlencode username=member00001 \
  --data-urlencode password=haven-generated-password "http://127.0.0.1:$a/login"
cookie=$(awk '{sub(/^#HttpOnly_/, "")} !/^#/ && NF >= 7 {printf "%s=%s; ", $6, $7}' "$jar")
group=$(curl -fs -H "Cookie: $cookie" "http://127.0.0.1:$a/" | grep -o 'href="/g/[a-z0-9-]*"' | head -n 1 | cut -d'"' -f2)
topic=$(curl -fs -H "Cookie: $cookie" "http://127.0.0.1:$a$group" | grep -o 'href="/t/[0-9]*"' | head -n 1 | cut -d'"' -f2)
for p in "$a" "$b"; do
  code=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "http://127.0.0.1:$p$topic")
  [[ $code == 200 ]] || { echo "GET $topic on port $p: $code"; exit 1; }
done
echo "topic page $topic (signed in), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"

# CPU accounting (clock ticks, 100 a second): what each phase cost the instances, PostgreSQL
# (postmaster, its backends and the ones it reaped) and the whole machine (every process).
pgdir=$("$psql" -Atq "$HAVEN_TEST_POSTGRES_URL" -c 'SHOW data_directory')
pm=$(head -n 1 "$pgdir/postmaster.pid")
ticks() {
  local s=0 p f
  for p in "$@"; do
    [[ -r /proc/$p/stat ]] || continue
    read -r -a f <"/proc/$p/stat"
    s=$((s + f[13] + f[14] + f[15] + f[16]))
  done
  echo "$s"
}
# shellcheck disable=SC2046 # one pid a word
snapshot() { echo "$(date +%s%N) $(ticks "${pids[@]}") $(ticks "$pm" $(ps --ppid "$pm" -o pid=)) $(awk '/^cpu /{print $2+$3+$4+$7+$8}' /proc/stat)"; }
cpu_report() { # cpu_report BEFORE AFTER
  read -r t0 h0 p0 m0 <<<"$1"
  read -r t1 h1 p1 m1 <<<"$2"
  python3 -c "w=($t1-$t0)/1e9; print(f'   CPU over {w:.1f}s: haven {($h1-$h0)/100:.1f}s, PostgreSQL {($p1-$p0)/100:.1f}s, whole machine {($m1-$m0)/100:.1f}s of {2*w:.1f}s available')"
}

rps() { sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' "$1"; }
before=$(snapshot)
wrk -t"$threads" -c"$conns" -d"$duration" --latency -H "Cookie: $cookie" "http://127.0.0.1:$a$topic" >"$work/one.txt"
after=$(snapshot)
echo "one instance:  $(rps "$work/one.txt") requests/s ($(grep -E '^ +(50|99)%' "$work/one.txt" | tr -s ' ' | tr '\n' ' '))"
cpu_report "$before" "$after"
before=$(snapshot)
wrk -t"$((threads > 1 ? threads / 2 : 1))" -c"$((conns / 2))" -d"$duration" --latency -H "Cookie: $cookie" "http://127.0.0.1:$a$topic" >"$work/two-a.txt" &
wa=$!
wrk -t"$((threads > 1 ? threads / 2 : 1))" -c"$((conns / 2))" -d"$duration" --latency -H "Cookie: $cookie" "http://127.0.0.1:$b$topic" >"$work/two-b.txt"
wait "$wa"
after=$(snapshot)
ra=$(rps "$work/two-a.txt") rb=$(rps "$work/two-b.txt")
echo "two instances: $ra + $rb = $(python3 -c "print(round($ra + $rb, 1))") requests/s"
cpu_report "$before" "$after"
echo "ratio two/one: $(python3 -c "print(round(($ra + $rb) / $(rps "$work/one.txt"), 2))")"
grep -h 'Non-2xx\|Socket errors' "$work"/*.txt || echo "no errors"
