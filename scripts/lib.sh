# Shell helpers the test scripts share. Source it: . scripts/lib.sh

# A loopback port nothing listens on.
free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$(( 20000 + RANDOM % 40000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
  echo "no free loopback port found" >&2
  exit 1
}

# Installs Debian packages that are missing (as root), or says which are.
need_debian_packages() {
  local missing=()
  for p in "$@"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
  [ "${#missing[@]}" -eq 0 ] && return
  if [ "$(id -u)" != 0 ]; then
    echo "missing Debian packages: ${missing[*]} (install them, or run as root)" >&2
    exit 1
  fi
  echo "installing Debian packages: ${missing[*]}" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

# What a test run against a live server needs, shared by the browser tests
# and the API contract: a scratch folder, the debug binary, a small generated
# data set, and the server on a free loopback port. Each sets the variables
# it names; the server and the folder go when the script exits.

# Sets WORK, a folder of its own, and SERVER (empty until one is started).
scratch_for_server() { # label
  WORK="$(mktemp -d "/tmp/crimeboard-$1.XXXXXX")"
  SERVER=""
  trap stop_server_and_scratch EXIT
}

stop_server_and_scratch() {
  local status=$?
  if [ -n "$SERVER" ]; then
    kill "$SERVER" 2>/dev/null || true
    wait "$SERVER" 2>/dev/null || true
  fi
  rm -rf "$WORK"
  exit "$status"
}

# Sets BIN, the debug binary, built.
build_binary() {
  cargo build --locked --quiet --bin crimeboard
  BIN="${CARGO_TARGET_DIR:-target}/debug/crimeboard"
}

# Sets DB: two years of a small country (ending where the seed does, June
# 2024), which take seconds in a debug build, where the seed's story takes
# minutes, and fill every register and the report's figures.
record_small_data_set() { # label
  DB="$WORK/crimeboard.sqlite"
  echo "$1: recording a small generated data set" >&2
  "$BIN" generate --db "$DB" --size large --years 2 --cases 4000 >"$WORK/generate.log" 2>&1 \
    || { cat "$WORK/generate.log" >&2; exit 1; }
}

# Sets PORT and SERVER: DB served on a free loopback port, once it answers.
serve_in_background() {
  PORT="$(free_port)"
  # The public site on a listener of its own, as an installation serves it.
  PUBLIC_PORT="$(free_port)"
  # Every test's posts to the online forms come from one address: more than a citizen's.
  "$BIN" serve --db "$DB" --addr "127.0.0.1:$PORT" --public-addr "127.0.0.1:$PUBLIC_PORT" --online-burst 200 \
    >"$WORK/server.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break
    sleep 0.2
  done
}
