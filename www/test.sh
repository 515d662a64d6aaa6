#!/usr/bin/env bash
# The preview page's tests, from a fresh clone: installs what they need
# (npm ci, Debian's chromium), builds the wasm package when it is missing or
# stale, builds the page and the native CLI, then drives the page in headless
# Chromium with Playwright under `node --test`.
set -euo pipefail
cd "$(dirname "$0")"
step() { printf '\n\033[1m== www: %s\033[0m\n' "$*" >&2; }

step "npm ci (www)"
if [[ ! -d node_modules || package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund --ignore-scripts
fi

step "chromium"
../scripts/setup.sh browser

step "wasm package and page build"
node --input-type=module -e 'const m = await import("./scripts/ensure.mjs"); m.ensurePkg(); m.ensureBuild();'

step "native CLI (for the byte-identity test)"
(cd .. && cargo build --quiet --bin adloom)

# The bundle built for the tests is minified third-party code (CodeMirror,
# Ajv): remove it afterwards so the working tree holds only our sources;
# `npm start` and the next test run rebuild it. Screenshots stay in test-output/.
trap 'rm -rf dist public' EXIT

step "browser tests"
node --test --test-concurrency=1 --test-timeout=240000 tests/
