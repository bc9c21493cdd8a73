#!/usr/bin/env bash
# Runs every fuzz target (fuzz/fuzz_targets) for a short, fixed time, from
# the corpus committed under fuzz/corpus/<target>. Exits non-zero on the
# first crash, naming the input that crashed (cargo-fuzz keeps it under
# fuzz/artifacts/<target>/). docs/fuzzing.md says how to run them longer.
#
#   scripts/fuzz.sh                 # every target, FUZZ_SECONDS (25) each
#   FUZZ_SECONDS=600 scripts/fuzz.sh csv_rows
#
# cargo-fuzz needs a nightly compiler for its flags; the stable one here
# accepts them with RUSTC_BOOTSTRAP=1. The targets run without a sanitizer:
# the code is safe Rust, and what they look for is panics and broken
# promises (FUZZ_SANITIZER=address turns AddressSanitizer on).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${FUZZ_SECONDS:-25}"
sanitizer="${FUZZ_SANITIZER:-none}"
export RUSTC_BOOTSTRAP=1

if ! cargo fuzz --version >/dev/null 2>&1; then
  cargo install cargo-fuzz --locked --version 0.13.2
fi

targets=("$@")
if [ "${#targets[@]}" -eq 0 ]; then
  mapfile -t targets < <(cargo fuzz list --fuzz-dir fuzz)
fi

# Optimised, with overflow checks; 16 codegen units build far faster than
# cargo-fuzz's default of one, for a little speed in the runs.
build=(--fuzz-dir fuzz --sanitizer "$sanitizer" --release --debug-assertions --codegen-units 16)
if [ "$#" -eq 0 ]; then
  cargo fuzz build "${build[@]}"
else
  for target in "${targets[@]}"; do cargo fuzz build "${build[@]}" "$target"; done
fi

failed=0
for target in "${targets[@]}"; do
  # The committed seeds stay as they are: what the run finds goes to a scratch folder.
  scratch="$(mktemp -d)"
  artifacts="fuzz/artifacts/$target"
  mkdir -p "$artifacts"
  echo "fuzz: $target for ${seconds}s"
  if ! cargo fuzz run "${build[@]}" "$target" "$scratch" "fuzz/corpus/$target" -- \
    -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$artifacts/" -print_final_stats=1 >"$scratch.log" 2>&1; then
    failed=1
    # What broke, without libFuzzer's dump of the input's bytes.
    grep -v -E "^\s*\[[0-9, ]+\]$|^Output of|^\s+[0-9]+: |^\s+at " "$scratch.log" | grep -A 12 -E "panicked at|ERROR: libFuzzer" | head -n 30 || true
    crash="$(grep -oE "Test unit written to [^ ]+" "$scratch.log" | tail -n 1 | cut -d' ' -f5 || true)"
    echo "fuzz: $target FAILED; the input that crashed it: ${crash:-see the log above}" >&2
    echo "fuzz: replay it with: RUSTC_BOOTSTRAP=1 cargo fuzz run ${build[*]} $target ${crash:-<input>}" >&2
  else
    grep -E "stat::number_of_executed_units|Done [0-9]+ runs" "$scratch.log" | tail -n 1 || true
  fi
  rm -rf "$scratch" "$scratch.log"
done
exit "$failed"
