#!/usr/bin/env bash
# The edge worker's tests, from a fresh clone: installs what they need
# (idempotently), builds the wasm package when stale and the native CLI (for
# the byte-equality test), then runs every test file under node --test.
# Usage: worker/test.sh [test files...]
set -euo pipefail
cd "$(dirname "$0")"
if [[ ! -d node_modules || package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund --ignore-scripts
fi
# The native CLI renders the same inputs for the byte-equality test.
(cd .. && cargo build --quiet --bin adloom)
# pkg/ (built by ../scripts/build-wasm.sh when missing or stale) and build/ with the test fixtures.
node scripts/build.mjs --fixtures
if [[ $# -gt 0 ]]; then files=("$@"); else files=(test/*.test.mjs); fi
# One file at a time: each starts its own workerd, and the 2-core machine is shared.
node --test --test-concurrency=1 "${files[@]}"
