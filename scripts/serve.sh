#!/usr/bin/env bash
# Install what is missing, build the engine and the page, and serve it at http://127.0.0.1:${PORT:-8080}.
source "$(dirname "$0")/lib.sh"
ensure_rust_wasm
ensure_node_modules
build_wasm
build_web
say "Serving dist/ at http://127.0.0.1:${PORT:-8080}  (Ctrl-C to stop)"
exec node scripts/serve.mjs
