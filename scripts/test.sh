#!/usr/bin/env bash
# Sets up what is missing and runs every test: formatting and lints, native tests (the sync
# tests against pouchdb-server on loopback), browser tests of the storage backend, the release
# build, and the Playwright journeys on the built app.
source "$(dirname "$0")/lib.sh"
setup_test
cd "$ROOT"

log "cargo fmt --check"
cargo fmt --all -- --check

log "cargo clippy (native)"
cargo clippy --all-targets --locked -- -D warnings

log "native tests (the sync tests against a CouchDB-protocol server on loopback)"
start_couch
cargo test --locked

log "browser tests of the localStorage backend, the sync transport and sealing (wasm-bindgen-test, headless Chromium)"
# A database of its own for the browser's sync test, which reads where it is when it is built.
COUCH_WEB_DB="lp-browser-$RANDOM:browser:pw-$RANDOM"
IFS=: read -r web_db web_user web_pw <<<"$COUCH_WEB_DB"
COUCH_USERS="$web_user:$web_pw" scripts/couch-setup.sh "$COUCH_URL" "$web_db" </dev/null >/dev/null
export COUCH_WEB_DB
wasm_run cargo test --locked --target wasm32-unknown-unknown --test web

log "release build (the app and the card page)"
# The journeys sync with the test server on another loopback port: the build that names a
# CouchDB origin in connect-src, with CORS, is the one they exercise.
LP_COUCHDB_ORIGIN="http://127.0.0.1:*" build_dist

log "browser journeys (Playwright, Debian Chromium)"
node --test --test-concurrency=1 e2e/
