#!/usr/bin/env bash
# The main job on the embedded defaults, from a fresh clone:
#  1. renders every bundled example in every size for contrasting contexts,
#     natively (demo-out/, with each decision beside its PNG);
#  2. serves the edge worker under workerd on http://127.0.0.1:8787
#     (offline stand-in weather source) and the preview page on
#     http://127.0.0.1:8080, until Ctrl-C.
# Installs what it needs first (idempotent). ADLOOM_NO_SERVE=1 stops after 1.
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\n\033[1m== %s\033[0m\n' "$*" >&2; }

step "demo renders (native)"
scripts/demo.sh
[[ "${ADLOOM_NO_SERVE:-}" == 1 ]] && exit 0

step "setup (wasm tools, npm packages)"
scripts/setup.sh wasm node
for dir in worker www; do
  if [[ ! -d $dir/node_modules || $dir/package-lock.json -nt $dir/node_modules/.package-lock.json ]]; then
    npm --prefix "$dir" ci --no-audit --no-fund --ignore-scripts
  fi
done

step "wasm package and worker bundle"
# Builds pkg/ when it is missing or older than the sources, once, before
# the two servers start (each would otherwise check it on its own).
(cd worker && node scripts/build.mjs)

step "worker on :${WORKER_PORT:-8787}, preview page on :${WWW_PORT:-8080}"
trap 'kill 0 2>/dev/null' EXIT INT TERM
WEATHER_URL="${WEATHER_URL:-dev}" PORT="${WORKER_PORT:-8787}" npm --prefix worker start &
PORT="${WWW_PORT:-8080}" npm --prefix www start &
wait
