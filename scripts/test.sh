#!/usr/bin/env bash
# Install what is missing and run every test: engine (native), CLI, wasm bindings under Node,
# and the page in headless Chromium.
source "$(dirname "$0")/lib.sh"
ensure_rust_wasm
ensure_node_modules
ensure_chromium

# Incremental caches speed up edits, not one test build, and take gigabytes of disk.
export CARGO_INCREMENTAL=0

say "Engine and CLI tests (native)"
cargo test
# The browser tests compare the page with the command line this run has just built and tested.
export SOCGRAD_BIN="$ROOT/target/debug/socgrad"

build_wasm
build_web

say "WebAssembly binding tests (Node)"
node --test tests/wasm/

say "Browser tests (headless Chromium)"
npx playwright test
