#!/usr/bin/env bash
# Throwaway PostgreSQL cluster for the tests: initdb into a fresh temp dir, trust auth,
# listening only on 127.0.0.1 (socket in the temp dir), removed again by haven_pg_stop.
#
# Sourced (by .ci/run):  haven_pg_start   -> exports HAVEN_TEST_POSTGRES_URL, HAVEN_PG_DIR, HAVEN_PG_PORT
#                        haven_pg_stop    -> stops the cluster and deletes its directory (safe to call twice)
# Run directly:          .ci/postgres.sh start      prints `export ...` lines: eval "$(.ci/postgres.sh start)"
#                        .ci/postgres.sh stop [DIR] stops the cluster in DIR (default $HAVEN_PG_DIR)
#                        .ci/postgres.sh selftest   start, select 1, create/drop a database, stop
# Knobs: HAVEN_PG_PORT (first port to try, default 55432), HAVEN_PG_TMP (parent dir, default /tmp).

# Newest Debian server binaries (/usr/lib/postgresql/N/bin), preferred over anything in PATH.
haven_pg_bindir() {
  local d
  d=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  if [[ -n $d && -x $d/initdb ]]; then
    echo "$d"
  elif command -v initdb >/dev/null 2>&1; then
    dirname "$(command -v initdb)"
  else
    echo "postgres.sh: no PostgreSQL server binaries (initdb) found; install the postgresql package" >&2
    return 1
  fi
}

# Run a command as the postgres system user when we are root (postgres refuses to run as root).
haven_pg_as_owner() {
  if [[ $EUID -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# True when something already accepts connections on 127.0.0.1:$1.
haven_pg_port_busy() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

haven_pg_start() {
  local bin dir port tries=0 max_tries=20
  bin=$(haven_pg_bindir) || return 1
  if [[ $EUID -eq 0 ]] && ! id postgres >/dev/null 2>&1; then
    echo "postgres.sh: running as root but there is no 'postgres' system user to own the cluster" >&2
    return 1
  fi

  # Fresh directory, owned by whoever runs the server.
  dir=$(mktemp -d "${HAVEN_PG_TMP:-/tmp}/haven-pg.XXXXXX") || return 1
  [[ $EUID -eq 0 ]] && chown postgres:postgres "$dir"
  chmod 700 "$dir"
  export HAVEN_PG_DIR=$dir HAVEN_PG_BIN=$bin

  # initdb: superuser "postgres", trust auth for local and loopback connections, C locale, UTF-8.
  if ! (cd "$dir" && haven_pg_as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust \
        --encoding=UTF8 --no-locale --no-sync --no-instructions >"$dir/initdb.log" 2>&1); then
    echo "postgres.sh: initdb failed:" >&2
    cat "$dir/initdb.log" >&2
    return 1
  fi
  # Loopback only, socket in our dir; a disposable cluster needs no durability; plenty of
  # connections for parallel tests; no parallel query workers (small /dev/shm in containers).
  cat >>"$dir/data/postgresql.conf" <<EOF

# --- added by .ci/postgres.sh ---
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
max_connections = 300
fsync = off
synchronous_commit = off
full_page_writes = off
max_parallel_workers_per_gather = 0
EOF

  # Start on the first free port from HAVEN_PG_PORT (default 55432); retry if we lose a race.
  port=${HAVEN_PG_PORT:-55432}
  while :; do
    if ((tries >= max_tries)); then
      echo "postgres.sh: could not start PostgreSQL on any port tried; server log:" >&2
      cat "$dir/server.log" >&2 2>/dev/null
      return 1
    fi
    tries=$((tries + 1))
    if haven_pg_port_busy "$port"; then
      port=$((port + 1))
      continue
    fi
    if (cd "$dir" && haven_pg_as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" \
          -o "-p $port" -w -t 60 start >"$dir/pg_ctl.log" 2>&1); then
      break
    fi
    if grep -q 'could not bind\|Address already in use\|could not create any TCP/IP sockets' "$dir/server.log" 2>/dev/null; then
      port=$((port + 1))
      continue
    fi
    echo "postgres.sh: pg_ctl start failed:" >&2
    cat "$dir/pg_ctl.log" "$dir/server.log" >&2 2>/dev/null
    return 1
  done
  export HAVEN_PG_PORT=$port

  # Wait until the server answers on TCP (pg_ctl -w already waited; this double-checks).
  for _ in $(seq 1 60); do
    if "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -t 2; then
      export HAVEN_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"
      echo "postgres.sh: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') ready on 127.0.0.1:$port (dir $dir)" >&2
      return 0
    fi
    sleep 1
  done
  echo "postgres.sh: PostgreSQL on 127.0.0.1:$port never became ready; server log:" >&2
  cat "$dir/server.log" >&2 2>/dev/null
  return 1
}

# Stop the cluster (fast, then immediate, then kill our own postmaster) and remove its directory.
haven_pg_stop() {
  local dir=${1:-${HAVEN_PG_DIR:-}} bin pid
  [[ -n $dir && -d $dir ]] || return 0
  bin=${HAVEN_PG_BIN:-$(haven_pg_bindir 2>/dev/null || true)}
  if [[ -f $dir/data/postmaster.pid ]]; then
    if ! (cd "$dir" && haven_pg_as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 30 stop) >/dev/null 2>&1 &&
       ! (cd "$dir" && haven_pg_as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w -t 30 stop) >/dev/null 2>&1; then
      pid=$(head -n 1 "$dir/data/postmaster.pid" 2>/dev/null || true)
      if [[ $pid =~ ^[0-9]+$ ]]; then
        echo "postgres.sh: pg_ctl stop failed; killing postmaster $pid" >&2
        kill -9 "$pid" 2>/dev/null || true
      fi
    fi
  fi
  rm -rf -- "$dir"
  if [[ $dir == "${HAVEN_PG_DIR:-}" ]]; then
    unset HAVEN_PG_DIR HAVEN_TEST_POSTGRES_URL
  fi
  return 0
}

# Quick check that the cluster works the way the tests use it.
haven_pg_selftest() {
  local psql rc=0
  haven_pg_start || return 1
  psql=$HAVEN_PG_BIN/psql
  echo "HAVEN_TEST_POSTGRES_URL=$HAVEN_TEST_POSTGRES_URL"
  {
    "$psql" "$HAVEN_TEST_POSTGRES_URL" -v ON_ERROR_STOP=1 -Atc 'select 1' &&
    "$psql" "$HAVEN_TEST_POSTGRES_URL" -v ON_ERROR_STOP=1 -Atc 'select rolsuper from pg_roles where rolname = current_user' | grep -qx t &&
    "$psql" "$HAVEN_TEST_POSTGRES_URL" -v ON_ERROR_STOP=1 -qc 'CREATE DATABASE haven_selftest' &&
    "$psql" "postgres://postgres@127.0.0.1:$HAVEN_PG_PORT/haven_selftest?sslmode=disable" -v ON_ERROR_STOP=1 -qc \
      'create table t (id bigserial primary key, s text); insert into t (s) values ($$héllo$$);' &&
    "$psql" "$HAVEN_TEST_POSTGRES_URL" -v ON_ERROR_STOP=1 -qc 'DROP DATABASE haven_selftest WITH (FORCE)'
  } || rc=1
  haven_pg_stop
  if ((rc == 0)); then echo "postgres.sh: selftest passed"; else echo "postgres.sh: selftest FAILED" >&2; fi
  return "$rc"
}

# Executed rather than sourced: dispatch on the first argument.
if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  set -euo pipefail
  case ${1:-} in
    start)
      haven_pg_start
      printf 'export HAVEN_PG_DIR=%q HAVEN_PG_PORT=%q HAVEN_PG_BIN=%q HAVEN_TEST_POSTGRES_URL=%q\n' \
        "$HAVEN_PG_DIR" "$HAVEN_PG_PORT" "$HAVEN_PG_BIN" "$HAVEN_TEST_POSTGRES_URL"
      ;;
    stop) haven_pg_stop "${2:-}" ;;
    selftest) haven_pg_selftest ;;
    *)
      echo "usage: $0 start|stop [DIR]|selftest   (or source it and call haven_pg_start / haven_pg_stop)" >&2
      exit 2
      ;;
  esac
fi
