#!/usr/bin/env bash
# Runs the browser tests (tests/browser) in Debian's Chromium against a
# crimeboard server with the demo data.
#
# Installs chromium where it is missing, the test packages from
# tests/browser/package-lock.json, builds the binary, records the demo data
# set in a temporary SQLite file, serves it on a free loopback port, runs
# `node --test` on tests/browser, and stops the server whatever the outcome.
#
#   scripts/browser-tests.sh                 every browser test
#   scripts/browser-tests.sh screenshots     the docs' screenshots instead
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

need_debian_packages chromium
npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error
cargo build --locked --quiet --bin crimeboard
BIN="${CARGO_TARGET_DIR:-target}/debug/crimeboard"

WORK="$(mktemp -d /tmp/crimeboard-browser.XXXXXX)"
SERVER=""
cleanup() {
  [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

DB="$WORK/crimeboard.sqlite"
echo "browser-tests: recording the demo data set" >&2
"$BIN" generate --db "$DB" --size seed >"$WORK/generate.log" 2>&1 || { cat "$WORK/generate.log" >&2; exit 1; }
PORT="$(free_port)"
"$BIN" serve --db "$DB" --addr "127.0.0.1:$PORT" >"$WORK/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break
  sleep 0.2
done
export CRIMEBOARD_URL="http://127.0.0.1:$PORT"

if [ "${1:-}" = screenshots ]; then
  node tests/browser/screenshots.mjs docs/screenshots
else
  # One file at a time: the journeys change the data the other files read.
  node --test --test-concurrency=1 tests/browser/
fi
