#!/usr/bin/env bash
# README command 2: every check and test — formatting, lints, UI type-check/lint/unit tests,
# Rust unit, integration and IPC tests, the CLI binary, and end-to-end tests of the real app
# in its webview under Xvfb. Exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh test
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

step "Rust formatting"
cargo fmt --all -- --check

step "UI: type check, lint, format, unit tests, build"
(cd ui && npm run --silent check && npm run --silent lint && npm run --silent format:check && npm test --silent && npm run --silent build)

step "Rust lints"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "Build the app (UI embedded) and the CLI"
cargo build --workspace --locked

step "Rust tests: core, IPC commands, bindings, CLI and end-to-end (real app under Xvfb)"
# Bindings: src-tauri/tests/bindings.rs fails if ui/src/lib/bindings.ts is stale.
timeout 1800 xvfb-run -a -s "-screen 0 1280x800x24" \
  cargo test --workspace --locked -- --test-threads=2

step "All checks passed"
