#!/usr/bin/env bash
# Prints the size and speed figures: first-load gzip size, save cost with 0 vs 20,000 records,
# startup with 20,000 records, and how many default cards fit in Chromium's localStorage quota.
source "$(dirname "$0")/lib.sh"
setup_test
cd "$ROOT"
wasm_run trunk build --release >/dev/null 2>&1 || wasm_run trunk build --release
cargo run --quiet --release --example capacity
node e2e/bench.js
