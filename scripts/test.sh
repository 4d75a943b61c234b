#!/usr/bin/env bash
# The whole test suite: the UI's type check and unit tests, formatting, lints, the Rust unit,
# property and integration tests (the TypeScript bindings included, the crash test killing the
# real binary), a short fuzz run of every reader of outside files over its saved corpus, then
# end-to-end tests of the real desktop app under Xvfb. Installs what is missing first
# (scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
(cd ui && npm run check && npm test && npm run build)
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --all-features --locked -- -D warnings
cargo test --workspace --all-features --locked
bash scripts/fuzz.sh
cargo build -p matchbook-app --all-features --locked
bash scripts/e2e.sh target/debug/matchbook-app
