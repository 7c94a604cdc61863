# Shared by the project's scripts: paths, pinned tool versions and the wasm toolchain switch.
# Sourced, never run. Every install here is idempotent and bounded in time.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/listening-post/target}"
# That folder is shared by every checkout on the machine, and incremental builds keep a cache
# for each checkout's folder that no later clone reuses: a machine running CI on a fresh clone
# each time fills its disk with them (17 GB here). CI builds without them.
if [ -n "${CI:-}" ]; then export CARGO_INCREMENTAL=0; fi
export PATH="$HOME/.cargo/bin:$ROOT/node_modules/.bin:$PATH"
# Chromium floods a closed network without these; every browser we start gets them.
export LP_CHROMIUM="${LP_CHROMIUM:-/usr/bin/chromium}"
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"

TRUNK_VERSION="0.21.14"
# Must equal the wasm-bindgen version in Cargo.lock (Cargo.toml pins it with "=").
WASM_BINDGEN_VERSION="$(sed -n 's/^wasm-bindgen = { version = "=\([0-9.]*\)".*/\1/p' "$ROOT/Cargo.toml")"
WASM_STATE="$HOME/.cache/listening-post/wasm-path"

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -n "$@"; fi
}

APT_UPDATED=0
apt_install() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "apt-get install ${missing[*]}"
  if [ "$APT_UPDATED" -eq 0 ]; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq </dev/null
    APT_UPDATED=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null
}

has_rustup_wasm() {
  local dir
  dir="$(rustc --print target-libdir --target wasm32-unknown-unknown 2>/dev/null)" || return 1
  compgen -G "$dir/libcore-*.rlib" >/dev/null
}

# Picks how wasm32 is built and remembers it: "rustup" (the target is installed) or
# "debian" (Debian's rustc-web builds std from source; always available here).
ensure_wasm_toolchain() {
  mkdir -p "$(dirname "$WASM_STATE")"
  if has_rustup_wasm; then echo rustup >"$WASM_STATE"; return 0; fi
  if [ "$(cat "$WASM_STATE" 2>/dev/null)" != debian ] && command -v rustup >/dev/null; then
    log "rustup target add wasm32-unknown-unknown (at most 90 s)"
    if timeout 90 rustup target add wasm32-unknown-unknown </dev/null && has_rustup_wasm; then
      echo rustup >"$WASM_STATE"; return 0
    fi
    log "rustup could not fetch the wasm32 target: using Debian's rustc-web"
  fi
  # Debian's rustc links wasm with /usr/bin/rust-lld, a link to lld-22.
  apt_install rustc-web cargo-web rust-web-src rust-web-llvm lld-22
  echo debian >"$WASM_STATE"
}

# Runs a command that builds for wasm32 with the chosen toolchain. The Debian switches stay
# inside this subshell: native builds keep rustup's stable toolchain.
wasm_run() {
  if [ "$(cat "$WASM_STATE" 2>/dev/null)" = debian ]; then
    ( export RUSTC_BOOTSTRAP=1 CARGO_UNSTABLE_BUILD_STD=std,panic_abort
      if command -v rustup >/dev/null; then export RUSTUP_TOOLCHAIN=/usr; else export PATH="/usr/bin:$PATH"; fi
      "$@" )
  else
    "$@"
  fi
}

# Builds dist/ for release: the app (index.html) and the card page customers open
# (card.html), a build of its own so it loads only what a card needs. Trunk replaces its whole
# output folder on each build, so the card page is built beside it and copied in. Both builds
# keep their relocations (for wasm32 only, never in .cargo/config.toml: an unsplit wasm would
# carry them) so scripts/split-wasm.js can split the app by screen and optimise both. Then
# scripts/finish-dist.js moves the inline loaders out, copies the locale files the app fetches
# (only the interface language's, `fetched-locales`), and writes the manifest and service worker.
build_dist() {
  local card="$CARGO_TARGET_DIR/card-dist"
  # Panic locations name their source files: the crates' without this machine's cargo folder.
  export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-Clink-args=--emit-relocs --remap-path-prefix=${CARGO_HOME:-$HOME/.cargo}/registry/src/=crates/"
  # The wasm names this checkout's folder (its JavaScript snippet), and cargo's cache is shared
  # between checkouts: a build left by a checkout elsewhere, newer than these files, would be
  # taken as fresh. Rebuild this crate when the folder changed.
  local last="$CARGO_TARGET_DIR/.built-from"
  if [ "$(cat "$last" 2>/dev/null)" != "$ROOT" ]; then
    touch "$ROOT/src/lib.rs" "$ROOT/src/main.rs" "$ROOT/src/bin/card.rs"
    mkdir -p "$CARGO_TARGET_DIR" && printf '%s\n' "$ROOT" > "$last"
  fi
  wasm_run trunk build --release --features split,fetched-locales "$@" || return
  node "$ROOT/scripts/split-wasm.js" "$ROOT/dist" index.html listening-post || return
  # The card page's features are given here, not in card.html: Trunk lets a page's own list
  # override the command line's.
  wasm_run trunk build card.html --dist "$card" --release --features card-split "$@" || return
  node "$ROOT/scripts/split-wasm.js" "$card" index.html card || return
  cp "$card"/card-*.js "$card"/card-*.wasm "$ROOT/dist/" &&
    cp -r "$card/snippets" "$ROOT/dist/" &&
    cp "$card/index.html" "$ROOT/dist/card.html" &&
    node "$ROOT/scripts/finish-dist.js"
}

cargo_tool() { # name version crate [--locked]
  local bin="$1" version="$2" crate="$3"; shift 3
  if command -v "$bin" >/dev/null && "$bin" --version 2>/dev/null | grep -q " $version\$"; then return 0; fi
  log "cargo install $crate $version (a few minutes, once)"
  cargo install "$crate" --version "$version" "$@" </dev/null
}

# The splitter cargo-leptos uses, as a command (it has no --version to ask).
SPLITTER_VERSION="0.2.4"
ensure_splitter() {
  if command -v wasm-split-cli >/dev/null &&
    cargo install --list 2>/dev/null | grep -x "wasm_split_cli_support v$SPLITTER_VERSION:" >/dev/null; then
    return 0
  fi
  log "cargo install wasm_split_cli_support $SPLITTER_VERSION (a minute, once)"
  cargo install wasm_split_cli_support --version "$SPLITTER_VERSION" --locked --features build-binary </dev/null
}

ensure_node_modules() {
  if [ ! -x "$ROOT/node_modules/.bin/wasm-opt" ] || [ "$ROOT/package-lock.json" -nt "$ROOT/node_modules/.package-lock.json" ]; then
    log "npm ci"
    # No install scripts: none of these packages needs one, and pouchdb-server's optional
    # native stores would try to fetch prebuilt binaries (the tests run it in memory).
    (cd "$ROOT" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error </dev/null)
  fi
}

# Everything the app build needs: wasm toolchain, Trunk, wasm-bindgen, wasm-opt, the font.
setup_build() {
  command -v cargo >/dev/null || { echo "cargo is missing: install Rust from your system's packages or rustup" >&2; exit 1; }
  command -v npm >/dev/null || apt_install nodejs npm
  ensure_wasm_toolchain
  cargo_tool trunk "$TRUNK_VERSION" trunk --locked
  # Its own lockfile pins a crate missing from the registry here, hence no --locked.
  cargo_tool wasm-bindgen "$WASM_BINDGEN_VERSION" wasm-bindgen-cli
  ensure_splitter
  ensure_node_modules
}

# Starts a CouchDB-protocol server (pouchdb-server, in memory) on a free loopback port with an
# admin, for the sync tests; exports COUCH_URL and COUCH_ADMIN, and stops it when the shell exits.
start_couch() {
  local dir="$CARGO_TARGET_DIR/couch" port pid
  # A fresh folder each time: the server keeps its admins in config.json there.
  rm -rf "$dir" && mkdir -p "$dir"
  port="$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
  # It writes its config and log beside itself: in the build folder, not the repository.
  (cd "$dir" && exec "$ROOT/node_modules/.bin/pouchdb-server" -m -o 127.0.0.1 -p "$port" >server.out 2>&1) &
  pid=$!
  COUCH_PID=$pid
  trap 'kill "$COUCH_PID" 2>/dev/null || true' EXIT
  for _ in $(seq 1 60); do
    if node -e 'fetch(process.argv[1]).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))' "http://127.0.0.1:$port/"; then
      break
    fi
    kill -0 "$pid" 2>/dev/null || { cat "$dir/server.out" >&2; echo "pouchdb-server did not start" >&2; return 1; }
    sleep 0.5
  done
  local secret="test-$RANDOM$RANDOM"
  node -e 'fetch(process.argv[1],{method:"PUT",body:JSON.stringify(process.argv[2])}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))' \
    "http://127.0.0.1:$port/_config/admins/admin" "$secret" ||
    { echo "could not make the test server's admin" >&2; return 1; }
  export COUCH_URL="http://127.0.0.1:$port" COUCH_ADMIN="admin:$secret"
  log "CouchDB-protocol test server (pouchdb-server, in memory) at $COUCH_URL"
}

# Everything the tests need on top of the build.
setup_test() {
  setup_build
  # nginx: e2e/proxy.test.js runs the README's proxy recipe in front of the test server.
  apt_install chromium chromium-driver nginx
}
