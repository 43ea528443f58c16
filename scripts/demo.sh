#!/usr/bin/env bash
# README command 1: builds KetaChart and opens it on the demo clinic (fictional patients),
# which lives in its own folder (~/.local/share/ketachart-demo), never in your real data.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh runtime
echo "==> Building the UI and the app"
(cd ui && npm run build --silent)
cargo build -p ketachart
if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  echo "error: no display found. Run this from a desktop session (or under xvfb-run to try it headless)." >&2
  exit 1
fi
echo "==> Opening the demo clinic"
exec ./target/debug/ketachart --demo "$@"
