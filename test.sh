#!/usr/bin/env bash
# Runs every test of crimeboard against both storage backends: SQLite needs
# nothing; PostgreSQL is a throwaway server that scripts/with-postgres.sh
# starts for the run and removes afterwards.
#
# With arguments (e.g. `-p crimeboard-service`), tests just what they name.
set -euo pipefail
cd "$(dirname "$0")"
if [ "$#" -gt 0 ]; then
  exec env PG_FSYNC=off scripts/with-postgres.sh cargo test --locked "$@"
fi
env PG_FSYNC=off scripts/with-postgres.sh cargo test --workspace --locked
scripts/fuzz.sh
