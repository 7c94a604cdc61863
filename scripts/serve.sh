#!/usr/bin/env bash
# Sets up what is missing, builds the app and serves it at http://127.0.0.1:8080 (rebuilding on change).
source "$(dirname "$0")/lib.sh"
setup_build
cd "$ROOT"
log "serving at http://127.0.0.1:8080"
# `trunk serve` needs an absolute public URL; the release build in dist/ uses a relative one.
exec bash -c "source scripts/lib.sh; wasm_run trunk serve --address 127.0.0.1 --port 8080 --public-url / $*"
