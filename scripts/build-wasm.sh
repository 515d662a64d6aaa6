#!/usr/bin/env bash
# Builds the npm package into pkg/ (target web: works in browsers, in Node
# with initSync and in workerd), then optimises it with binaryen's wasm-opt.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh wasm node
export PATH="$PWD/node_modules/.bin:$PATH"
# wasm SIMD (simd128) speeds up tiny-skia's pipelines; every engine adloom
# targets has it (Chrome 91+, Firefox 89+, Safari 16.4+, Node 16.4+, workerd).
# ADLOOM_WASM_SIMD=0 builds the scalar module for older hosts: same bytes out.
simd=()
if [[ "${ADLOOM_WASM_SIMD:-1}" != 0 ]]; then
  export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-C target-feature=+simd128"
  simd=(--enable-simd)
fi
# opt-level 3, not "s": with LTO the whole module is optimised at the root
# crate's level, and at "s" LLVM left small copies and clamps as calls in the
# raster and PNG loops. 3 renders 30–40 % faster for 3 % more gzip bytes
# (bench/README.md); ADLOOM_WASM_OPT_LEVEL=s builds the smaller, slower module.
CARGO_PROFILE_RELEASE_OPT_LEVEL="${ADLOOM_WASM_OPT_LEVEL:-3}" CARGO_PROFILE_RELEASE_PANIC=abort \
  wasm-pack build --release --target web --out-dir pkg --out-name adloom --no-pack \
  -- --no-default-features --features embedded-font >&2
wasm-opt -Oz "${simd[@]}" --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  pkg/adloom_bg.wasm -o pkg/adloom_bg.wasm
node scripts/write-package-json.mjs
raw=$(stat -c %s pkg/adloom_bg.wasm); gz=$(gzip -9 -c pkg/adloom_bg.wasm | wc -c)
echo "pkg/adloom_bg.wasm: $raw bytes raw, $gz bytes gzip" >&2
