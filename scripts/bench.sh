#!/usr/bin/env bash
# Prints the size and speed figures: how many default cards fit in Chromium's localStorage quota,
# the dashboard's figures worked out natively over 100,000 cards and 20,000 feedback items, the
# sync figures against pouchdb-server on loopback, then
# the browser figures of e2e/bench.js (a shop's history on the server, first-load size, card,
# save, startup, results, inbox, dashboard, sync, phone). Name browser figures to run only those: `./scripts/bench.sh dashboard inbox`.
source "$(dirname "$0")/lib.sh"
setup_test
cd "$ROOT"
# The build the tests use: it may reach the test CouchDB on another loopback port.
export LP_COUCHDB_ORIGIN="http://127.0.0.1:*"
build_dist >/dev/null 2>&1 || build_dist
cargo run --quiet --release --example capacity
cargo run --quiet --release --example report
cargo run --quiet --release --example import
cargo run --quiet --release --example card_link
start_couch
cargo run --quiet --release --example sync
node e2e/bench.js "$@"
