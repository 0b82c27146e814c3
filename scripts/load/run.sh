#!/usr/bin/env bash
# Sustained load on Haven: a fixed-rate mix of members reading groups and topics, replying,
# reacting and switching their reading-history consent, for 60 s, against a database made by
# `haven gen`. Reports errors (there must be none: the script exits 1 otherwise), p50/p99
# latency per 10 s window and the server's RSS at start, every 10 s and at the end.
#
# Not part of `go test` (it takes more than a minute). Run from anywhere:
#   bash scripts/load/run.sh                      # SQLite in a temp dir, 40 requests/s, 60 s
#   RATE=80 DURATION=30s bash scripts/load/run.sh
#   DB='postgres://postgres@127.0.0.1:55432/haven_load?sslmode=disable' bash scripts/load/run.sh
#       (an empty PostgreSQL database that exists; e.g. after eval "$(bash .ci/postgres.sh start)"
#        and: psql "$HAVEN_TEST_POSTGRES_URL" -c 'CREATE DATABASE haven_load')
# Knobs: RATE (requests/s, 40), DURATION (60s), MEMBERS (200 generated, 60 signed in),
#        TOPICS (2000), POSTS (posts per topic, 10), DB (default: SQLite in the temp dir).
# The load tool is its own module (scripts/load/go.mod), so vegeta is no dependency of Haven.
# Traffic goes only to 127.0.0.1.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
export PATH=$PATH:/usr/local/go/bin
rate=${RATE:-40} duration=${DURATION:-60s} members=${MEMBERS:-200} topics=${TOPICS:-2000} posts=${POSTS:-10}

work=$(mktemp -d "${TMPDIR:-/tmp}/haven-load.XXXXXX")
server=
cleanup() {
  if [[ -n $server ]]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf -- "$work"
}
trap cleanup EXIT

echo "==> building haven and the load tool (in $work)"
(cd "$root" && go build -o "$work/haven" ./cmd/haven)
(cd "$here" && go build -o "$work/load" .)

db=${DB:-$work/haven.db}
echo "==> haven gen: $members members, $topics topics of $posts posts"
"$work/haven" gen --data "$work" --db "$db" --members "$members" --topics "$topics" --posts-per-topic "$posts" --seed 1 | tail -n 2

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
HAVEN_SESSION_KEY=$(head -c 32 /dev/urandom | base64) "$work/haven" --addr "127.0.0.1:$port" --data "$work" --db "$db" \
  >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 150); do
  curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fs "http://127.0.0.1:$port/readyz" >/dev/null || { echo "haven did not start:"; cat "$work/server.log"; exit 1; }
echo "==> haven (pid $server) on 127.0.0.1:$port, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"

rc=0
"$work/load" -url "http://127.0.0.1:$port" -rate "$rate" -duration "$duration" -pid "$server" -members "$((members < 60 ? members : 60))" || rc=$?
echo "server log: $(grep -c 'level=ERROR' "$work/server.log" || true) error lines"
exit $rc
