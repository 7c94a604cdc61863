#!/usr/bin/env bash
# Sets up what is missing, builds the app and the card page for release, and serves dist/ at
# http://127.0.0.1:8080 as any static file server would (the card page: /card.html).
source "$(dirname "$0")/lib.sh"
setup_build
cd "$ROOT"
log "release build (the app and the card page)"
build_dist
log "serving dist/ at http://127.0.0.1:8080 (Ctrl-C stops)"
exec node e2e/server.js dist / 8080
