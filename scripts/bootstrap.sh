#!/usr/bin/env bash
# Installs what KetaChart needs to build, run and test, skipping what is already present.
# Needs: Rust (rustup) and Node >= 20 already installed; root or sudo for apt packages.
# Usage: scripts/bootstrap.sh [runtime|test]   (test adds tauri-driver and the e2e tools)
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-test}"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

command -v cargo >/dev/null || die "Rust is missing: install it with rustup (https://rustup.rs), then run this again"
command -v node >/dev/null || die "Node.js 20 or later is missing: install it (e.g. from your distribution or nodejs.org), then run this again"
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 20 ] || die "Node.js $(node --version) is too old: KetaChart needs Node 20 or later"
command -v npm >/dev/null || die "npm is missing: install it with Node.js"

# System packages (Debian 12 / Ubuntu 24.04 names).
pkgs=(libwebkit2gtk-4.1-dev build-essential libssl-dev libayatana-appindicator3-dev librsvg2-dev
      libgtk-3-dev libsoup-3.0-dev pkg-config file fonts-dejavu-core)
if [ "$mode" = test ]; then
  pkgs+=(xvfb xauth webkit2gtk-driver imagemagick poppler-utils qpdf)
fi
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  command -v apt-get >/dev/null || die "these packages are missing and apt-get is not available: ${missing[*]}"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || die "run as root or install sudo; missing packages: ${missing[*]}"
    sudo="sudo"
  fi
  say "Installing system packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# UI dependencies, reinstalled only when the lockfile changed.
stamp=ui/node_modules/.ketachart-lock-stamp
lockhash=$(sha256sum ui/package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lockhash" ]; then
  say "Installing UI dependencies (npm ci)"
  (cd ui && npm ci --no-audit --no-fund)
  echo "$lockhash" > "$stamp"
fi

if [ "$mode" = test ]; then
  if ! command -v tauri-driver >/dev/null && [ ! -x "${CARGO_HOME:-$HOME/.cargo}/bin/tauri-driver" ]; then
    say "Installing tauri-driver"
    cargo install tauri-driver --version '^2' --locked
  fi
  rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy
  rustup component list --installed 2>/dev/null | grep -q '^rustfmt' || rustup component add rustfmt
fi
