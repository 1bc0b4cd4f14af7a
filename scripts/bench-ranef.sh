#!/usr/bin/env bash
# Benchmark (not a test): the cost of the random effects by level on the national-size synthetic
# file (33,000 LSOAs in 150 LAs, MSOAs of about 5 LSOAs). Times `socgrad fit` natively with and
# without --ranef (median of 3 runs) for an NB2 model with an LA random intercept and slope, and
# with LA and nested MSOA intercepts, and prints the table.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p bench-data
[ -f bench-data/national.csv ] || cargo run --quiet --release --example bench_data -- bench-data/national.csv
cargo build --quiet --release --bin socgrad
bin=target/release/socgrad

median_seconds() {
    local times=()
    for _ in 1 2 3; do
        local start end
        start=$(date +%s.%N)
        "$bin" fit bench-data/national.csv "$@" --json > /dev/null
        end=$(date +%s.%N)
        times+=("$(echo "$end - $start" | bc)")
    done
    printf '%s\n' "${times[@]}" | sort -n | sed -n 2p
}

printf '%-72s %10s %10s\n' "model (nbinom2)" "fit (s)" "--ranef (s)"
for formula in \
    'count ~ imd_z * la_imd + offset(log(pop/10000)) + (1 + imd_z | la)' \
    'count ~ imd_z * la_imd + offset(log(pop/10000)) + (1 | la/msoa)'; do
    plain=$(median_seconds --formula "$formula" --family nbinom2)
    ranef=$(median_seconds --formula "$formula" --family nbinom2 --ranef)
    printf '%-72s %10.2f %10.2f\n' "$formula" "$plain" "$ranef"
done
