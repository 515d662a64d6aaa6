#!/usr/bin/env bash
# Builds the npm package into pkg/ (target web: works in browsers, in Node
# with initSync and in workerd), then optimises it with binaryen's wasm-opt.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh wasm node
export PATH="$PWD/node_modules/.bin:$PATH"
CARGO_PROFILE_RELEASE_OPT_LEVEL="${ADLOOM_WASM_OPT_LEVEL:-s}" CARGO_PROFILE_RELEASE_PANIC=abort \
  wasm-pack build --release --target web --out-dir pkg --out-name adloom --no-pack \
  -- --no-default-features --features embedded-font >&2
wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  pkg/adloom_bg.wasm -o pkg/adloom_bg.wasm
node scripts/write-package-json.mjs
raw=$(stat -c %s pkg/adloom_bg.wasm); gz=$(gzip -9 -c pkg/adloom_bg.wasm | wc -c)
echo "pkg/adloom_bg.wasm: $raw bytes raw, $gz bytes gzip" >&2
