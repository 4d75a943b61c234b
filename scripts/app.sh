#!/usr/bin/env bash
# Builds and launches the Matchbook desktop app on the default book (or pass --db FILE).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --app-only
(cd ui && npm run build)
cargo build --release --locked -p matchbook-app
exec target/release/matchbook-app "$@"
