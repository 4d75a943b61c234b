#!/usr/bin/env bash
# End-to-end tests of the real desktop app: Xvfb, tauri-driver (which starts WebKitWebDriver) and
# tests/e2e/test_app.py driving the built app on temporary books. Screenshots land in
# target/e2e/; `--update-docs` also copies the README's into docs/screenshots/.
# Usage: scripts/e2e.sh APP [--update-docs]
# (E2E_SCRIPT runs another script the same way, E2E_OUT puts its output elsewhere: see measure-app.sh.)
set -euo pipefail
cd "$(dirname "$0")/.."
app=$(realpath "${1:?usage: scripts/e2e.sh path/to/matchbook-app [--update-docs]}")
shift
display=:${E2E_DISPLAY:-97}
port=${E2E_PORT:-4444}
out=${E2E_OUT:-target/e2e}
script=${E2E_SCRIPT:-tests/e2e/test_app.py}
rm -rf "$out" && mkdir -p "$out"

pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup EXIT
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >"$out/xvfb.log" 2>&1 &
pids+=($!)
export DISPLAY=$display
# The app's own settings (window size and place) and WebKit's data stay inside this run.
export XDG_CONFIG_HOME=$(realpath "$out")/config XDG_DATA_HOME=$(realpath "$out")/data XDG_CACHE_HOME=$(realpath "$out")/cache
tauri-driver --port "$port" --native-port $((port + 1)) >"$out/tauri-driver.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do
  curl -sf "http://127.0.0.1:$port/status" >/dev/null && break
  sleep 0.1
done
python3 "$script" "$app" "$out" --port "$port" "$@"
