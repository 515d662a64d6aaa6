#!/usr/bin/env bash
# CI smoke test of the benchmark (well under 2 minutes once the wasm package is built):
# one process × 10 renders per engine × scene, no memory run. run.mjs exits non-zero
# unless every engine produced a decodable, non-blank PNG of the scene's size, the same
# bytes on every render, and adloom's renders match bench/reference/<scene>.png within 2
# per channel.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
exec "$here/bench.sh" --quick --no-memory --out "${ADLOOM_BENCH_SMOKE_OUT:-$here/out/smoke}" "$@"
