#!/usr/bin/env bash
# Builds Matchbook, loads the example book into the default book and shows what it expects.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked --bin matchbook
mb=target/release/matchbook
"$mb" import examples/book
"$mb" report expected --year 2025 --as-of 2025-12-31
"$mb" report due --as-of 2025-12-31 --within 60
