#!/usr/bin/env bash
# Tests of variants, A/B bucketing and the Thompson-sampling loop: the Rust
# unit and integration tests, the `learn`/`simulate` CLI, and the wasm build
# under Node (same variants, buckets and allocations as native). Builds the
# wasm package first when it is missing or older than the sources.
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\n\033[1m== %s\033[0m\n' "$*" >&2; }

step "Rust: variants, bandit, simulate"
cargo test --lib -- variants:: bandit:: simulate::
cargo test --test variants --test cli_learn

step "wasm package"
wasm=pkg/adloom_bg.wasm
if [[ ! -f $wasm ]] || [[ -n "$(find src Cargo.toml Cargo.lock schema -newer "$wasm" -type f -print -quit)" ]]; then
  scripts/build-wasm.sh
fi
[[ -d node_modules ]] || npm ci --ignore-scripts

step "variants under Node (wasm = native)"
node --test tests/node/variants.test.mjs
