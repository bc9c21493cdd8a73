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
#   scripts/browser-tests.sh FILE...         those test files only (tests/browser/a11y.test.mjs)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

need_debian_packages chromium
# The queue's marks carry emoji, which the screenshots should show as a
# staff member's computer does.
if [ "${1:-}" = screenshots ]; then need_debian_packages fonts-noto-color-emoji; fi
npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error
build_binary
scratch_for_server browser
record_small_data_set browser-tests

# One account per staff role, with a password made for this run; each
# second factor's secret is read from the otpauth:// URI `user add` prints,
# so the tests compute their codes.
PASSWORD="browser-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
USERS="$WORK/users.json"
add_user() { # login role unit
  local out secret
  out="$(printf '%s\n' "$PASSWORD" | "$BIN" user add --db "$DB" --login "$1" --name "Test $2" --role "$2" --unit "$3" 2>&1)" \
    || { echo "$out" >&2; exit 1; }
  secret="$(printf '%s\n' "$out" | sed -n 's/^otpauth:.*[?&]secret=\([A-Z2-7]*\).*/\1/p')"
  [ -n "$secret" ] || { echo "no second factor secret for $1 in: $out" >&2; exit 1; }
  printf '"%s":{"login":"%s","password":"%s","secret":"%s","unit":"%s"}' "$2" "$1" "$PASSWORD" "$secret" "$3"
}
add_newcomer() { # login
  local out
  out="$(printf '%s\n' "$PASSWORD" | "$BIN" user add --db "$DB" --login "$1" --name "Test $1" --role investigator \
    --unit BAK-NSM --enrol-at-sign-in 2>&1)" || { echo "$out" >&2; exit 1; }
  printf '"%s":{"login":"%s","password":"%s","unit":"BAK-NSM"}' "$1" "$1" "$PASSWORD"
}
{
  printf '{'
  add_user duty duty_officer BAK-NSM; printf ','
  add_user investigator investigator BAK-NSM; printf ','
  add_user chief unit_chief BAK-NSM; printf ','
  add_user expert forensic_expert BAK-NSM; printf ','
  add_user analyst hq_analyst MIA; printf ','
  add_user press press_officer MIA; printf ','
  add_user admin administrator MIA; printf ','
  add_user secretary board_secretary AZ; printf ','
  add_user controller controller AZ; printf ','
  # The city's appeals office: it refers a district's appeal to another district and still sees it.
  add_user appeals appeals_officer BAK; printf ','
  add_user inspector inspector AZ; printf ','
  # Accounts with no second factor yet, one per display mode: their first
  # sign-in shows the enrolment page.
  add_newcomer newcomer_normal; printf ','
  add_newcomer newcomer_accessible
  printf '}\n'
} >"$USERS"
export CRIMEBOARD_USERS="$USERS"
serve_in_background
export CRIMEBOARD_URL="http://127.0.0.1:$PORT"
export CRIMEBOARD_PUBLIC_URL="http://127.0.0.1:$PUBLIC_PORT"

if [ "${1:-}" = screenshots ]; then
  node tests/browser/screenshots.mjs docs/screenshots
elif [ $# -gt 0 ]; then
  node --test --test-concurrency=1 "$@"
else
  # One file at a time: the journeys change the data the other files read.
  node --test --test-concurrency=1 tests/browser/
fi
