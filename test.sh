#!/usr/bin/env bash
# Runs every test of crimeboard: the Rust tests against both storage
# backends (SQLite needs nothing; PostgreSQL is a throwaway server that
# scripts/with-postgres.sh starts for the run and removes afterwards), then
# the browser tests in Debian's Chromium (scripts/browser-tests.sh), then
# each fuzz target for a short while (scripts/fuzz.sh, docs/fuzzing.md).
#
# With arguments (e.g. `-p crimeboard-service`), runs just the Rust tests
# they name.
set -euo pipefail
cd "$(dirname "$0")"
. scripts/lib.sh
# pdftotext reads the printable report back in the export tests.
need_debian_packages poppler-utils
if [ "$#" -gt 0 ]; then
  exec env PG_FSYNC=off scripts/with-postgres.sh cargo test --locked "$@"
fi
env PG_FSYNC=off scripts/with-postgres.sh cargo test --workspace --locked
scripts/browser-tests.sh
scripts/fuzz.sh
