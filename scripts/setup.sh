#!/usr/bin/env bash
# Installs what building and testing Matchbook needs on Debian/Ubuntu, skipping what is there:
# the system libraries of Tauri (WebKitGTK), Node.js and npm; for the end-to-end tests Xvfb,
# WebKitWebDriver, xdotool (to answer the app's native dialogs) and ImageMagick (to photograph
# them); hledger (Debian) and beancount (PyPI, in a virtualenv under target/) that the journal
# tests run; the Rust components, tauri-driver, and the UI's npm packages (npm ci).
# `--app-only` skips the test tools.
set -euo pipefail
cd "$(dirname "$0")/.."
app_only=${1:-}

packages=(libwebkit2gtk-4.1-dev build-essential curl file libxdo-dev libssl-dev
  libayatana-appindicator3-dev librsvg2-dev pkg-config)
command -v node >/dev/null && command -v npm >/dev/null || packages+=(nodejs npm)
if [[ $app_only != --app-only ]]; then
  packages+=(xvfb xauth webkit2gtk-driver hledger xdotool imagemagick)
  command -v python3 >/dev/null || packages+=(python3)
  python3 -c 'import ensurepip, venv' 2>/dev/null || packages+=(python3-venv)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo=""; [[ $(id -u) == 0 ]] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

command -v cargo >/dev/null || { echo "setup: install Rust first (https://rustup.rs), then run again" >&2; exit 1; }
rustup component add rustfmt clippy 2>/dev/null || true
if [[ $app_only != --app-only ]] && ! command -v tauri-driver >/dev/null; then
  cargo install tauri-driver --version '^2' --locked
fi
if [[ $app_only != --app-only ]] && ! target/journal-tools/bin/python -c 'import beancount' 2>/dev/null; then
  python3 -m venv target/journal-tools
  target/journal-tools/bin/pip install --quiet --disable-pip-version-check 'beancount>=3,<4'
fi
(cd ui && npm ci --no-audit --no-fund --loglevel=error)
