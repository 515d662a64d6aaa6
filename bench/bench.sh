#!/usr/bin/env bash
# The benchmark from a fresh clone, in one command:
#
#   bench/bench.sh [--quick] [run.mjs options…]     (or: npm --prefix bench run bench)
#
# 1. npm ci for the peers (idempotent: skipped while node_modules matches the lock file);
# 2. builds adloom's wasm package (scripts/build-wasm.sh → pkg/) when it is missing or
#    older than the sources;
# 3. full runs only (not --quick; skip with ADLOOM_BENCH_NATIVE=0 / ADLOOM_BENCH_NOFONT=0):
#    the native per-stage timings (bench/native, → out/native.json) and the wasm build
#    without the embedded font (→ out/pkg-nofont/, for the size target), each rebuilt
#    only when the sources changed; ADLOOM_BENCH_ZLIBRS=1 adds the native timings with
#    flate2 on zlib-rs (→ out/native-zlibrs.json), a PNG-encoding lever;
# 4. node run.mjs: every engine × scene in its own processes; results in bench/out/.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
log() { printf '\033[1mbench:\033[0m %s\n' "$*" >&2; }

quick=0
for a in "$@"; do [[ $a == --quick ]] && quick=1; done

if [[ ! -d $here/node_modules || $here/package-lock.json -nt $here/node_modules/.package-lock.json ]]; then
  log "npm ci (satori, resvg-wasm, takumi wasm + native, pngjs)"
  npm ci --prefix "$here" --no-audit --no-fund --ignore-scripts >&2
fi

sources=("$root/src" "$root/Cargo.toml" "$root/Cargo.lock" "$root/build.rs" "$root/assets/fonts")
# True when $1 is missing or any adloom source is newer than it.
stale() { [[ ! -f $1 ]] || [[ -n $(find "${sources[@]}" -newer "$1" -print -quit 2>/dev/null) ]]; }

if [[ -z ${ADLOOM_PKG:-} ]] && stale "$root/pkg/adloom_bg.wasm"; then
  log "building adloom's wasm package (scripts/build-wasm.sh)"
  "$root/scripts/build-wasm.sh"
fi

mkdir -p "$here/out"
if (( ! quick )) && [[ ${ADLOOM_BENCH_NATIVE:-1} != 0 ]]; then
  exe="$root/target/release/adloom-bench-native"
  if stale "$exe" || [[ -n $(find "$here/native" -path "$here/native/target" -prune -o -newer "$exe" -type f -print -quit) ]]; then
    log "building the native stage timer (bench/native)"
    CARGO_TARGET_DIR="$root/target" cargo build --release --manifest-path "$here/native/Cargo.toml" >&2
  fi
  log "native per-stage timings"
  "$exe" --iters "${ADLOOM_BENCH_NATIVE_ITERS:-50}" > "$here/out/native.json"
fi

if (( ! quick )) && [[ ${ADLOOM_BENCH_ZLIBRS:-0} == 1 ]]; then
  # Opt-in experiment: the same stage timer with flate2 on the zlib-rs backend
  # (its own target directory: a different flate2 feature set rebuilds the codecs).
  zexe="$root/target/bench-zlibrs/release/adloom-bench-native"
  if stale "$zexe" || [[ -n $(find "$here/native" -path "$here/native/target" -prune -o -newer "$zexe" -type f -print -quit) ]]; then
    log "building the native stage timer with flate2/zlib-rs"
    CARGO_TARGET_DIR="$root/target/bench-zlibrs" cargo build --release --features zlib-rs --manifest-path "$here/native/Cargo.toml" >&2
  fi
  log "native per-stage timings, flate2/zlib-rs"
  "$zexe" --iters "${ADLOOM_BENCH_NATIVE_ITERS:-50}" > "$here/out/native-zlibrs.json"
fi

if (( ! quick )) && [[ ${ADLOOM_BENCH_NOFONT:-1} != 0 ]]; then
  nofont="$here/out/pkg-nofont"
  if stale "$nofont/adloom_bg.wasm"; then
    log "building the wasm package without the embedded font (size target)"
    # The same build as scripts/build-wasm.sh, minus the embedded-font feature, in its own
    # target directory so it does not invalidate the main wasm build.
    (
      cd "$root"
      scripts/setup.sh wasm node
      export PATH="$root/node_modules/.bin:$PATH"
      CARGO_TARGET_DIR="$root/target/bench-nofont" \
      CARGO_PROFILE_RELEASE_OPT_LEVEL="${ADLOOM_WASM_OPT_LEVEL:-s}" CARGO_PROFILE_RELEASE_PANIC=abort \
        wasm-pack build --release --target web --out-dir "$nofont" --out-name adloom --no-pack \
        -- --no-default-features >&2
      wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
        --enable-mutable-globals --enable-reference-types --enable-multivalue \
        "$nofont/adloom_bg.wasm" -o "$nofont/adloom_bg.wasm"
    )
  fi
fi

exec node "$here/run.mjs" "$@"
