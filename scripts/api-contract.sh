#!/usr/bin/env bash
# Holds the server to its OpenAPI document: schemathesis, a property-based
# tester, generates requests from /api/openapi.json (those it allows and
# those it does not) and fails the run on any server error, any response the
# document does not describe, any request it allows refused for a reason it
# does not state, and any it forbids accepted.
#
# Installs schemathesis (pinned) from PyPI into a venv under the target
# directory where missing, builds the binary, records a small generated data
# set in a temporary SQLite file, adds an investigator with an API token that
# may write and a unit chief with one that reads more, serves it on a free
# loopback port, runs every check with a fixed seed and a bounded number of
# examples and time (the reads once more with the chief's token), and stops
# the server whatever the outcome. Arguments are passed on to `schemathesis run`.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

SCHEMATHESIS_VERSION=4.32.5
TARGET="${CARGO_TARGET_DIR:-target}"
VENV="$TARGET/api-contract-venv"
if ! "$VENV/bin/schemathesis" --version 2>/dev/null | grep -qF "$SCHEMATHESIS_VERSION"; then
  echo "api-contract: installing schemathesis $SCHEMATHESIS_VERSION into $VENV" >&2
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi
build_binary
scratch_for_server contract
record_small_data_set api-contract

# An API token for a user made here: add_token LOGIN ROLE SCOPE prints it.
add_token() {
  local password
  password="schema-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
  printf '%s\n' "$password" | "$BIN" user add --db "$DB" --login "$1" --name "API contract ($1)" \
    --role "$2" --unit BAK-NSM >"$WORK/user-$1.log" 2>&1 || { cat "$WORK/user-$1.log" >&2; exit 1; }
  "$BIN" user token-add --db "$DB" --login "$1" --name "$1" --scope "$3" >"$WORK/token-$1.log" 2>&1 \
    || { cat "$WORK/token-$1.log" >&2; exit 1; }
  grep -o 'cbt_[A-Za-z0-9_-]*' "$WORK/token-$1.log" | head -n 1
}

# An investigator may register reports, work cases, record accidents and attach identifiers: the
# token may do all of it, and read what they read; the other routes answer
# 403, which the document declares.
WRITER="$(add_token contract investigator \
  read_public_figures,read_records,read_personal_data,register_report,decide_report,work_case,record_accident,record_identifiers)"
# A unit chief reads what an investigator may not (the report, the signals,
# appeals, tasks, publications, the journal): a second, read-only pass with
# this token reaches those reads' answers beyond 403.
READER="$(add_token contract-reader unit_chief \
  read_public_figures,read_figures,export_figures,read_records,read_personal_data,export_records,read_journal,read_tasks,read_appeals,read_signals)"
[ -n "$WRITER" ] && [ -n "$READER" ] || { echo "api-contract: no token in $WORK/token-*.log" >&2; exit 1; }

serve_in_background

# One worker and a fixed seed, so a run is repeatable and leaves the other
# core to the server; the examples and the time are bounded for two cores.
# It runs in the temporary folder, where it leaves its caches (.hypothesis,
# .schemathesis) instead of in the checkout.
SCHEMATHESIS="$(cd "$VENV/bin" && pwd)/schemathesis"
CONFIG="$PWD/tests/api-contract/schemathesis.toml"
status=0
# contract TOKEN SECONDS [schemathesis arguments]: one pass.
contract() {
  local token="$1" seconds="$2"
  shift 2
  (cd "$WORK" && "$SCHEMATHESIS" --config-file "$CONFIG" run \
    "http://127.0.0.1:$PORT/api/openapi.json" \
    --checks all \
    --header "Authorization: Bearer $token" \
    --workers 1 \
    --seed 20240419 \
    --max-examples "${API_CONTRACT_EXAMPLES:-25}" \
    --max-time "$seconds" \
    --request-timeout 30 \
    --no-color \
    "$@") || status=$?
}
contract "$WRITER" "${API_CONTRACT_SECONDS:-200}" "$@"
echo "api-contract: the reads again, as a unit chief" >&2
contract "$READER" "${API_CONTRACT_READ_SECONDS:-90}" --include-method GET "$@"
if grep -q "panicked" "$WORK/server.log"; then
  echo "api-contract: the server panicked:" >&2
  grep -A5 "panicked" "$WORK/server.log" >&2
  status=1
fi
exit "$status"
