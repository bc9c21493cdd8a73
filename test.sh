#!/usr/bin/env bash
# Runs every test of crimeboard: the formatting and lint checks, the Rust
# tests against both storage backends (SQLite needs nothing; PostgreSQL is a
# throwaway server that scripts/with-postgres.sh starts for the run and
# removes afterwards), then the browser tests in Debian's Chromium
# (scripts/browser-tests.sh), then the API against its OpenAPI document
# (scripts/api-contract.sh), then each fuzz target for a short while
# (scripts/fuzz.sh, docs/fuzzing.md). In a git checkout it fails if the run
# left a tracked file changed.
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
cargo fmt --all --check
# The fuzz targets are a workspace of their own: its lockfile must follow the
# crates it builds, or the fuzz build rewrites it at the end of the run.
cargo tree --manifest-path fuzz/Cargo.toml --locked --depth 0 >/dev/null \
  || { echo "fuzz/Cargo.lock is out of date: run cargo update --manifest-path fuzz/Cargo.toml --workspace" >&2; exit 1; }
cargo clippy --workspace --all-targets --locked -- -D warnings
# The store's test helpers (raw SQL behind the API's back) stay out of every
# build but the tests': only [dev-dependencies] may turn test-support on.
store_features=$(cargo tree --workspace --locked -e features,no-dev -i crimeboard-store)
if grep -q '"test-support"' <<<"$store_features"; then
  echo "crimeboard-store's test-support is on outside [dev-dependencies]" >&2
  exit 1
fi
env PG_FSYNC=off scripts/with-postgres.sh cargo test --workspace --locked
scripts/browser-tests.sh
scripts/api-contract.sh
scripts/fuzz.sh
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  # A test that rewrites a tracked file (a lockfile, a committed seed) is a defect.
  git diff --exit-code --stat || { echo "the test run left tracked files changed (above)" >&2; exit 1; }
fi
