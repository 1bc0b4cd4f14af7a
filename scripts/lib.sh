# Shared steps of the README commands: install what is missing, then build.
# Sourced by serve.sh, test.sh and bench.sh; every step is idempotent.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf '\n== %s\n' "$*"; }

# The wasm-bindgen version pinned in Cargo.lock; the CLI must match it exactly.
wasm_bindgen_version() {
    awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock
}

ensure_rust_wasm() {
    if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
        say "Adding the wasm32-unknown-unknown target"
        rustup target add wasm32-unknown-unknown
    fi
    local want have
    want="$(wasm_bindgen_version)"
    have="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" || true
    if [ "$have" != "$want" ]; then
        say "Installing wasm-bindgen-cli $want (matches Cargo.lock)"
        cargo install wasm-bindgen-cli --version "$want" --locked \
            || cargo install wasm-bindgen-cli --version "$want"
    fi
}

ensure_node_modules() {
    if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
        say "Installing npm packages"
        npm ci --no-audit --no-fund
    fi
}

ensure_chromium() {
    if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/pdftotext ]; then
        say "Installing Debian's chromium and poppler-utils (PDF text and pictures) for the browser tests"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update
        apt-get install -y --no-install-recommends chromium poppler-utils
    fi
}

# Three WebAssembly builds of the engine, each with its JS glue in www/pkg (consumed by webpack and
# by the Node tests): the calculator alone (`socgrad_calc`: tables, places, calculator, charts, tour),
# which the page loads first; the forest plots' drawing (`socgrad_forest`), loaded with the six-LA
# section or a tour step that shows one; and the whole engine (`socgrad`), which the fitting worker
# loads when the fitting section is opened or a file is dropped. They have target directories of
# their own (target/wasm for the calculator's two, target/wasm-engine for the engine), so they can be
# built while the native tests build in target/, and the engine (the longest: its whole-program
# optimisation runs on one core) beside the calculator's two.
build_wasm() {
    local engine_log="$ROOT/target/wasm-engine.log"
    mkdir -p "$ROOT/target"
    build_wasm_engine > "$engine_log" 2>&1 &
    local engine=$!
    local status=0
    build_wasm_calculator || status=$?
    wait "$engine" || status=$?
    cat "$engine_log"
    return "$status"
}

build_wasm_calculator() {
    local CARGO_TARGET_DIR="$ROOT/target/wasm"
    export CARGO_TARGET_DIR
    say "Building the calculator for WebAssembly"
    cargo build --lib --profile calculator --target wasm32-unknown-unknown --no-default-features || return 1
    wasm-bindgen --target web --out-dir www/pkg --out-name socgrad_calc --no-typescript \
        --remove-name-section --remove-producers-section \
        "$CARGO_TARGET_DIR/wasm32-unknown-unknown/calculator/socgrad.wasm" || return 1
    # Forest plots have their own small build (the same profile and output file, so it is turned into
    # www/pkg/socgrad_forest* before the next build writes there), loaded after the first score.
    say "Building the forest plots for WebAssembly"
    cargo build --lib --profile calculator --target wasm32-unknown-unknown --no-default-features --features forest-plots || return 1
    wasm-bindgen --target web --out-dir www/pkg --out-name socgrad_forest --no-typescript \
        --remove-name-section --remove-producers-section \
        "$CARGO_TARGET_DIR/wasm32-unknown-unknown/calculator/socgrad.wasm" || return 1
}

build_wasm_engine() {
    local CARGO_TARGET_DIR="$ROOT/target/wasm-engine"
    export CARGO_TARGET_DIR
    say "Building the fitting engine for WebAssembly"
    cargo build --lib --release --target wasm32-unknown-unknown --no-default-features --features engine || return 1
    wasm-bindgen --target web --out-dir www/pkg --no-typescript \
        --remove-name-section --remove-producers-section \
        "$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/socgrad.wasm" || return 1
}

build_web() {
    say "Bundling the page"
    npx webpack --mode production
}
