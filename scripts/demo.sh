#!/usr/bin/env bash
# The main job on the embedded defaults: render the bundled example templates
# (fonts and images are compiled in) for contrasting contexts in every size.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-demo-out}"
cargo build --release --quiet --bin adloom
./target/release/adloom demo --out "$out"
