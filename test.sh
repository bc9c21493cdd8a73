#!/usr/bin/env bash
# Runs every test of crimeboard against both storage backends.
#
# SQLite needs nothing. PostgreSQL: this script starts a throwaway server from
# the machine's PostgreSQL 15 binaries (installing Debian's postgresql-15 if
# they are missing and we are root), on a free loopback port in a temporary
# folder, and stops it when the tests end, whatever their outcome.
set -euo pipefail
cd "$(dirname "$0")"

PGBIN="${PGBIN:-/usr/lib/postgresql/15/bin}"
if [ ! -x "$PGBIN/initdb" ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "test.sh: installing PostgreSQL 15 server binaries" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 >/dev/null
  else
    echo "test.sh: $PGBIN/initdb not found; install postgresql-15 or set PGBIN" >&2
    exit 1
  fi
fi

free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$(( 20000 + RANDOM % 40000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
  echo "test.sh: no free port found" >&2
  exit 1
}

PGROOT="$(mktemp -d /tmp/crimeboard-pg.XXXXXX)"
PGPORT="$(free_port)"
as_pg() {
  # PostgreSQL refuses to run as root: run it as the postgres user then.
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
if [ "$(id -u)" = 0 ]; then chown postgres "$PGROOT"; fi

stop_pg() {
  as_pg "$PGBIN/pg_ctl" -D "$PGROOT/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PGROOT"
}
trap stop_pg EXIT

as_pg "$PGBIN/initdb" -A trust -U postgres -D "$PGROOT/data" >/dev/null
as_pg "$PGBIN/pg_ctl" -D "$PGROOT/data" -l "$PGROOT/server.log" -w \
  -o "-p $PGPORT -k $PGROOT -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null
export CRIMEBOARD_TEST_PG="postgres://postgres@127.0.0.1:$PGPORT/postgres"
echo "test.sh: PostgreSQL on 127.0.0.1:$PGPORT" >&2

# With arguments (e.g. `-p crimeboard-service`), test just what they name.
if [ "$#" -gt 0 ]; then
  cargo test --locked "$@"
else
  cargo test --workspace --locked
fi
