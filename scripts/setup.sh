#!/usr/bin/env bash
# Installs what adloom's build and tests need, idempotently: a second run
# takes seconds. Usage: scripts/setup.sh [rust|wasm|node|browser|all]...
set -euo pipefail
cd "$(dirname "$0")/.."

want() { for w in "${WANT[@]}"; do [[ $w == "$1" || $w == all ]] && return 0; done; return 1; }
WANT=("${@:-all}")
log() { printf '\033[1msetup:\033[0m %s\n' "$*" >&2; }

# The wasm-bindgen CLI must match the crate exactly (pinned with = in Cargo.toml).
bindgen_version() { sed -n 's/^wasm-bindgen = { *version = "=\([0-9.]*\)".*/\1/p; s/^wasm-bindgen = "=\([0-9.]*\)"/\1/p' Cargo.toml | head -n1; }
WASM_PACK_VERSION=0.15.1

if want wasm; then
  if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    log "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  v=$(bindgen_version)
  if [[ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $v" ]]; then
    log "installing wasm-bindgen-cli $v (about 4 minutes, once)"
    # Not --locked: the CLI's lock file pins a crate version the registry lacks.
    cargo install wasm-bindgen-cli --version "$v" --force
  fi
  if [[ "$(wasm-pack --version 2>/dev/null || true)" != "wasm-pack $WASM_PACK_VERSION" ]]; then
    log "installing wasm-pack $WASM_PACK_VERSION (about 4 minutes, once)"
    cargo install wasm-pack --version "$WASM_PACK_VERSION" --locked --force
  fi
fi

if want node; then
  # Root tooling: binaryen's wasm-opt (never Debian's 108: it breaks the module),
  # json-schema-to-typescript, the Node test harness.
  if [[ ! -d node_modules || package-lock.json -nt node_modules/.package-lock.json ]]; then
    log "npm ci (root tooling)"
    npm ci --no-audit --no-fund --ignore-scripts
  fi
fi

if want browser; then
  if [[ ! -x /usr/bin/chromium ]]; then
    log "installing Debian's chromium"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq chromium chromium-driver >/dev/null
  fi
fi
