#!/usr/bin/env bash
# Builds Matchbook's Linux packages (.deb and .rpm, with the npm Tauri CLI's prebuilt binary),
# then tries the .deb as a user would: installs it with apt-get, runs `matchbook --version`, starts
# the installed app from its desktop entry's command under Xvfb on a new book, takes a screenshot
# (target/package/installed-app.png) and checks the window drew something, and uninstalls it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --app-only
command -v Xvfb >/dev/null && command -v import >/dev/null || {
  sudo=""; [[ $(id -u) == 0 ]] || sudo="sudo"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends xvfb xauth imagemagick
}
ui/node_modules/.bin/tauri build --bundles deb,rpm
deb=$(ls target/release/bundle/deb/*.deb | head -n 1)
rpm=$(ls target/release/bundle/rpm/*.rpm | head -n 1)
echo "package-test: built $deb and $rpm"

sudo=""; [[ $(id -u) == 0 ]] || sudo="sudo"
out=target/package
rm -rf "$out" && mkdir -p "$out"
pids=()
cleanup() {
  kill "${pids[@]}" 2>/dev/null || true
  $sudo apt-get remove -y -qq matchbook >/dev/null 2>&1 || true
}
trap cleanup EXIT
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "./$deb"

version=$(/usr/bin/matchbook --version)
echo "package-test: $version"
[[ $version == "matchbook $(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1) (book schema "* ]]
entry=$(grep -l '^Exec=matchbook-app' /usr/share/applications/*.desktop)
echo "package-test: desktop entry $entry"
grep -q '^Icon=' "$entry"
exec_line=$(sed -n 's/^Exec=//p' "$entry" | head -n 1)

Xvfb :93 -screen 0 1280x800x24 -nolisten tcp >"$out/xvfb.log" 2>&1 &
pids+=($!)
home=$(realpath "$out")/home
mkdir -p "$home"
# The installed app, as the desktop entry starts it, on the default book of a new user.
DISPLAY=:93 HOME=$home XDG_DATA_HOME=$home/.local/share XDG_CONFIG_HOME=$home/.config \
  ${exec_line%% *} >"$out/app.log" 2>&1 &
pids+=($!)
for _ in $(seq 60); do
  sleep 1
  if [[ -f $home/.local/share/matchbook/matchbook.sqlite ]]; then break; fi
done
sleep 3
DISPLAY=:93 import -window root "$out/installed-app.png"
# A window that drew its screens is not one flat colour.
spread=$(convert "$out/installed-app.png" -colorspace Gray -format '%[fx:standard_deviation]' info:)
echo "package-test: screenshot $out/installed-app.png (grey spread $spread)"
awk -v s="$spread" 'BEGIN { exit !(s > 0.02) }'
[[ -f $home/.local/share/matchbook/matchbook.sqlite ]]

kill "${pids[@]}" 2>/dev/null || true
$sudo apt-get remove -y -qq matchbook >/dev/null
[[ ! -e /usr/bin/matchbook && ! -e /usr/bin/matchbook-app ]]
echo "package-test: installed, ran and removed $deb"
