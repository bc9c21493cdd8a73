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
# may write, serves it on a free loopback port, runs every check with a fixed
# seed and a bounded number of examples and time, and stops the server
# whatever the outcome. Arguments are passed on to `schemathesis run`.
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

# An investigator may register reports, work cases, record accidents and attach identifiers: the
# token may do all of it, and read what they read; the other routes answer
# 403, which the document declares.
PASSWORD="schema-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
printf '%s\n' "$PASSWORD" | "$BIN" user add --db "$DB" --login contract --name "API contract" \
  --role investigator --unit BAK-NSM >"$WORK/user.log" 2>&1 || { cat "$WORK/user.log" >&2; exit 1; }
SCOPE=read_public_figures,read_records,read_personal_data,register_report,decide_report,work_case,record_accident,record_identifiers
"$BIN" user token-add --db "$DB" --login contract --name contract --scope "$SCOPE" >"$WORK/token.log" 2>&1 \
  || { cat "$WORK/token.log" >&2; exit 1; }
TOKEN="$(grep -o 'cbt_[A-Za-z0-9_-]*' "$WORK/token.log" | head -n 1)"
[ -n "$TOKEN" ] || { echo "no token in: $(cat "$WORK/token.log")" >&2; exit 1; }

serve_in_background

# One worker and a fixed seed, so a run is repeatable and leaves the other
# core to the server; the examples and the time are bounded for two cores.
# It runs in the temporary folder, where it leaves its caches (.hypothesis,
# .schemathesis) instead of in the checkout.
SCHEMATHESIS="$(cd "$VENV/bin" && pwd)/schemathesis"
CONFIG="$PWD/tests/api-contract/schemathesis.toml"
status=0
(cd "$WORK" && "$SCHEMATHESIS" --config-file "$CONFIG" run \
  "http://127.0.0.1:$PORT/api/openapi.json" \
  --checks all \
  --header "Authorization: Bearer $TOKEN" \
  --workers 1 \
  --seed 20240419 \
  --max-examples "${API_CONTRACT_EXAMPLES:-25}" \
  --max-time "${API_CONTRACT_SECONDS:-200}" \
  --request-timeout 30 \
  --no-color \
  "$@") || status=$?
if grep -q "panicked" "$WORK/server.log"; then
  echo "api-contract: the server panicked:" >&2
  grep -A5 "panicked" "$WORK/server.log" >&2
  status=1
fi
exit "$status"
