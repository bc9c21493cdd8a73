#!/usr/bin/env bash
# Runs a command beside a throwaway PostgreSQL 15 server.
#
# Starts the server from the machine's PostgreSQL 15 binaries (installing
# Debian's postgresql-15 if they are missing and we are root) in a temporary
# folder on a free loopback port, exports its admin URL as
# CRIMEBOARD_TEST_PG (for the tests) and CRIMEBOARD_PG (for anything else),
# runs the command, and stops and removes the server whatever the outcome.
#
#   scripts/with-postgres.sh cargo test --workspace
#   scripts/with-postgres.sh sh -c 'crimeboard bench register --db "$CRIMEBOARD_PG"'
set -euo pipefail
. "$(dirname "$0")/lib.sh"

PGBIN="${PGBIN:-/usr/lib/postgresql/15/bin}"
[ -x "$PGBIN/initdb" ] || need_debian_packages postgresql-15

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
# fsync stays on unless asked: benchmarks measure a durable server, tests may skip it.
as_pg "$PGBIN/pg_ctl" -D "$PGROOT/data" -l "$PGROOT/server.log" -w \
  -o "-p $PGPORT -k $PGROOT -c listen_addresses=127.0.0.1 -c fsync=${PG_FSYNC:-on} -c max_connections=200 -c shared_buffers=${PG_SHARED_BUFFERS:-256MB}" \
  start >/dev/null
export CRIMEBOARD_TEST_PG="postgres://postgres@127.0.0.1:$PGPORT/postgres"
export CRIMEBOARD_PG="$CRIMEBOARD_TEST_PG"
echo "with-postgres: PostgreSQL on 127.0.0.1:$PGPORT" >&2

"$@"
