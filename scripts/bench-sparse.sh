#!/usr/bin/env bash
# Benchmark (not a test): one evaluation of the general sparse Laplace objective (value and
# exact gradient, modes warm) on the LA-by-year panel, the 32,844 LSOAs x 3 years panel and the
# national nested models, natively (with the block-arrow evaluator on the nested ones) and in
# WebAssembly under Node. EVALUATIONS (default 21) evaluations per model; prints both tables.
set -euo pipefail
cd "$(dirname "$0")/.."
evaluations="${EVALUATIONS:-21}"
cargo build --quiet --release --example bench_sparse
cp Cargo.lock scripts/bench-sparse-wasm/Cargo.lock
CARGO_TARGET_DIR="$PWD/target" cargo build --quiet --release --target wasm32-unknown-unknown \
    --manifest-path scripts/bench-sparse-wasm/Cargo.toml
wasm-bindgen --target web --out-dir target/bench-sparse-wasm --no-typescript \
    target/wasm32-unknown-unknown/release/bench_sparse_wasm.wasm
echo "Native:"
target/release/examples/bench_sparse --evaluations "$evaluations"
echo
echo "WebAssembly (Node $(node --version)):"
node scripts/bench-sparse-wasm.mjs "$evaluations"
