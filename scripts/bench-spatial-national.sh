#!/usr/bin/env bash
# Benchmark (not a test): a fit of a spatial field over all 32,844 English LSOA centroids with the
# nearest-neighbour approximation (simulated NB2 counts with the IMD covariate and the children's
# offset; examples/common/spatial_national.rs), natively and in WebAssembly under Node. Prints the
# time of each stage, the evaluations, the estimates against the simulation's truth and the peak
# memory. NEIGHBOURS (default 10) is the number of neighbours m; several may be given ("10 15").
# Targets: natively within 60 s, in the browser within 3 minutes, memory within 2 GB.
set -euo pipefail
cd "$(dirname "$0")/.."
neighbours="${NEIGHBOURS:-10}"
cargo build --quiet --release --example bench_spatial_national
cp Cargo.lock scripts/bench-spatial-national-wasm/Cargo.lock
CARGO_TARGET_DIR="$PWD/target" cargo build --quiet --release --target wasm32-unknown-unknown \
    --manifest-path scripts/bench-spatial-national-wasm/Cargo.toml
wasm-bindgen --target web --out-dir target/bench-spatial-national-wasm --no-typescript \
    target/wasm32-unknown-unknown/release/bench_spatial_national_wasm.wasm
echo "Native ($(nproc) cores shared; one thread):"
for m in $neighbours; do
    if [ -x /usr/bin/time ]; then
        /usr/bin/time -f "  /usr/bin/time: %e s elapsed, %U s user CPU, %S s system CPU, %M KiB peak resident" target/release/examples/bench_spatial_national "$m"
    else
        target/release/examples/bench_spatial_national "$m"
    fi
done
echo
echo "WebAssembly (Node $(node --version)):"
for m in $neighbours; do
    node scripts/bench-spatial-national.mjs "$m"
done
