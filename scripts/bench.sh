#!/usr/bin/env bash
# Benchmark (not a test): a national-size synthetic data set (33,000 LSOAs, 150 LAs, MSOAs of about
# 5 LSOAs), the benchmark models fitted natively and through the wasm build under Node, and, where R
# with glmmTMB is installed, glmmTMB on the same file (several minutes; BENCH_R=0 skips it).
# BENCH_BIG=1 adds the browser: a 1,000,000-row file of the same design, dropped on the built page
# in headless Chromium and fitted (NB2, LA random intercept), with the national sample's
# drop-to-results (scripts/bench-fit-page.mjs).
source "$(dirname "$0")/lib.sh"
ensure_rust_wasm
ensure_node_modules
mkdir -p bench-data

say "Generating the national-size data set"
cargo run --quiet --release --example bench_data -- bench-data/national.csv

say "Native (release build)"
cargo run --quiet --release --example bench -- bench-data/national.csv --json > bench-data/native.json
cat bench-data/native.json

build_wasm
say "WebAssembly under Node"
node scripts/bench-wasm.mjs bench-data/national.csv > bench-data/wasm.json
cat bench-data/wasm.json

rm -f bench-data/glmmtmb.json
if [ "${BENCH_R:-1}" != 0 ] && command -v Rscript >/dev/null && Rscript -e 'library(glmmTMB)' >/dev/null 2>&1; then
    say "glmmTMB on the same file (R)"
    Rscript scripts/bench_glmmtmb.R bench-data/national.csv > bench-data/glmmtmb.json
else
    say "R with glmmTMB not found (or BENCH_R=0): glmmTMB is not timed"
fi

say "Benchmark"
node scripts/bench-table.mjs bench-data/native.json bench-data/wasm.json bench-data/glmmtmb.json

if [ "${BENCH_BIG:-0}" != 0 ]; then
    say "A 1,000,000-row file, dropped on the page in Chromium (and the national sample)"
    cargo run --quiet --release --example bench_data -- bench-data/big.csv --rows 1000000
    build_web
    BIG_CSV=bench-data/big.csv node scripts/bench-fit-page.mjs 3
fi
