#!/usr/bin/env bash
# Fuzzes every reader of outside files (fuzz/fuzz_targets: ledger CSV, Benevity's donations
# report, every platform's report (platforms), the CSV text checks, import profiles, OFX bank
# statements) for FUZZ_SECONDS each (default 20), from the saved corpus in fuzz/corpus and the
# project's own example files. Fails on any panic, hang (10 s an input) or memory past 1 GB; the
# input that did it is saved under fuzz/artifacts. The machine's stable compiler builds the
# targets (RUSTC_BOOTSTRAP), without a sanitizer: a panic is what the readers must never do.
# New inputs the run finds go to a temporary folder, so that a test run leaves the checkout as it
# was; FUZZ_SAVE=1 keeps them in fuzz/corpus instead, to grow the saved corpus on purpose.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-20}
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --version '^0.13' --locked
export RUSTC_BOOTSTRAP=1
cargo fuzz build --sanitizer none --fuzz-dir fuzz
declare -A seeds=(
  [ledger]="examples/book examples/bad"
  [benevity]="examples/benevity tests/data"
  [csv_text]="examples/book examples/bad"
  [profile]="tests/data/profiles"
  [ofx]="tests/data"
  [platforms]="examples/benevity tests/data"
)
found=$(mktemp -d)
trap 'rm -rf "$found"' EXIT
for target in ledger benevity platforms csv_text profile ofx; do
  mkdir -p "fuzz/corpus/$target" "$found/$target"
  # libFuzzer writes what it finds into the first folder; the others are only read.
  into="$found/$target"
  [ "${FUZZ_SAVE:-}" = 1 ] && into="fuzz/corpus/$target"
  # shellcheck disable=SC2086 # the seed folders are words
  cargo fuzz run --sanitizer none --fuzz-dir fuzz "$target" "$into" "fuzz/corpus/$target" ${seeds[$target]} -- \
    -max_total_time="$seconds" -max_len=4096 -rss_limit_mb=1024 -timeout=10 -print_final_stats=1 2>&1 |
    grep -E '^(stat::number_of_executed_units|Done|SUMMARY)|panicked|crash-' || true
  if ls "fuzz/artifacts/$target"/crash-* "fuzz/artifacts/$target"/timeout-* "fuzz/artifacts/$target"/oom-* >/dev/null 2>&1; then
    echo "fuzz: $target failed; the input is in fuzz/artifacts/$target" >&2
    exit 1
  fi
done
