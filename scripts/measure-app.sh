#!/usr/bin/env bash
# Measures the desktop app (release build) on a synthetic book of 1,000,000 hour entries in a real
# window under Xvfb: cold start to a usable Overview, the Hours table, a sort and a filter, and the
# memory of the app's processes; a 1,000,000-row import through the window (preview, progress,
# Cancel, to the end); screenshots in the light and the dark theme. Prints figures, asserts
# nothing (the README's Speed section holds the last ones).
# Usage: scripts/measure-app.sh [HOURS]
set -euo pipefail
cd "$(dirname "$0")/.."
hours=${1:-1000000}
cargo build --release --locked --bin matchbook
(cd ui && npm run build)
cargo build --release --locked -p matchbook-app
dir=target/measure
book=$dir/book-$hours.sqlite
mkdir -p "$dir"
[[ -d $dir/ledger-$hours ]] || target/release/matchbook generate --hours "$hours" "$dir/ledger-$hours"
if [[ ! -f $book ]]; then
  target/release/matchbook --db "$book" import "$dir/ledger-$hours"
  # The results cache, as any use of the book leaves it.
  target/release/matchbook --db "$book" report expected --year 2025 >/dev/null
fi
for theme in light dark; do
  echo "== $theme theme"
  gtk_theme=Adwaita; [[ $theme == dark ]] && gtk_theme=Adwaita:dark
  GTK_THEME=$gtk_theme E2E_SCRIPT=tests/e2e/measure.py E2E_OUT=$dir/$theme E2E_DISPLAY=96 E2E_PORT=4464 \
    bash scripts/e2e.sh target/release/matchbook-app --book "$(realpath "$book")" --theme "$theme" \
    $([[ $theme == light ]] && echo --ledger "$(realpath "$dir/ledger-$hours")")
done
echo "screenshots in $dir/light and $dir/dark"
