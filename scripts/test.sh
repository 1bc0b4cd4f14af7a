#!/usr/bin/env bash
# Install what is missing and run every test: engine (native), CLI, wasm bindings under Node,
# and the page in headless Chromium.
source "$(dirname "$0")/lib.sh"
ensure_rust_wasm
ensure_node_modules
ensure_chromium

# Incremental caches speed up edits, not one test build, and take gigabytes of disk.
export CARGO_INCREMENTAL=0

# The page (three WebAssembly builds and the bundle, in target/wasm and target/wasm-engine) is built
# beside the native tests: each build has stretches on one core (linking, the engine's whole-program
# optimisation) that the others fill. Its output is shown when it is done.
mkdir -p target
page_log="$ROOT/target/page-build.log"
(build_wasm && build_web) > "$page_log" 2>&1 &
page_build=$!
trap 'kill "$page_build" 2>/dev/null || true' EXIT

say "Engine and CLI tests (native)"
cargo test
# The browser tests compare the page with the command line this run has just built and tested.
export SOCGRAD_BIN="$ROOT/target/debug/socgrad"

say "Waiting for the page's build"
if ! wait "$page_build"; then
    cat "$page_log"
    say "The page's build failed (above)"
    exit 1
fi
cat "$page_log"

say "WebAssembly binding tests (Node)"
node --test tests/wasm/

say "Browser tests (headless Chromium)"
# Two at a time, the national spatial fit first; then, alone, the tests that time the page while a fit runs.
npx playwright test --project national-spatial --project page
npx playwright test --project timing
