#!/usr/bin/env bash
# Runs every test of adloom: formatting, lints (host and wasm32), the Rust
# unit/reference/error tests, the wasm package under Node, the byte budget, the
# edge worker under workerd and the preview page in headless Chromium.
# Installs what it needs first (idempotent).
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\n\033[1m== %s\033[0m\n' "$*" >&2; }

step "setup"
scripts/setup.sh wasm node

step "cargo fmt --check"
cargo fmt --all -- --check

step "clippy (host)"
cargo clippy --all-targets -- -D warnings

step "clippy (wasm32)"
cargo clippy --lib --target wasm32-unknown-unknown --no-default-features --features embedded-font -- -D warnings

step "cargo test"
cargo test --all-targets
cargo test --doc

step "TypeScript types are fresh"
node scripts/gen-types.mjs --check

step "wasm package"
scripts/build-wasm.sh
gz=$(gzip -9 -c pkg/adloom_bg.wasm | wc -c)
# Regression guard at today's size plus a margin; the 700 KiB goal is
# tracked by the performance issue (datalogic-rs is the largest item).
budget=$((1400 * 1024))
echo "adloom_bg.wasm gzip: $gz bytes (budget $budget)" >&2
if (( gz > budget )); then echo "wasm over its byte budget" >&2; exit 1; fi

step "wasm package under Node"
node --test tests/node/

step "benchmark smoke (adloom, satori + resvg-wasm, takumi: same scenes, checked pixels)"
bench/smoke.sh

step "edge worker under workerd"
worker/test.sh

step "preview page in Chromium"
www/test.sh
