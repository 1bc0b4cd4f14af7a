#!/usr/bin/env bash
# Benchmark (not a test): a spatial field over 1,000 neighbourhoods (tests/reference/spatial,
# manchester_1000.csv: real LSOA centroids of Greater Manchester, synthetic counts), NB2 with the
# field alone, as make_spatial.R fits it with glmmTMB. Prints the native fit's elapsed and CPU
# (user + sys) time of `socgrad fit` (each the best of 3 runs), glmmTMB's elapsed and CPU time
# from timings.json (its run on this machine), the ratios of both, and both optima
# (log-likelihood, sd, range). With SPATIAL_NEIGHBOURS=M also the fit with
# the nearest-neighbour approximation of M neighbours.
set -euo pipefail
cd "$(dirname "$0")/.."
suite=tests/reference/spatial
id=manchester_1000.field.nbinom2
# SOCGRAD_BIN=path times another build (such as target/debug/socgrad) instead of the release one.
if [ -z "${SOCGRAD_BIN:-}" ]; then cargo build --quiet --release --bin socgrad; fi
bin=${SOCGRAD_BIN:-target/release/socgrad}
data=$(mktemp --suffix=.csv)
trap 'rm -f "$data" "$data.json" "$data.time"' EXIT
# make_spatial.R's one-valued group column `one`.
awk 'NR == 1 { print $0 ",one"; next } { print $0 ",1" }' "$suite/data/manchester_1000.csv" > "$data"
formula='count ~ imd_z + offset(log(pop)) + exp(pos(easting, northing) + 0 | one)'

# Prints "elapsed cpu" of one fit, in seconds.
fit_once() {
    /usr/bin/time -f '%e %U %S' -o "$data.time" \
        "$bin" fit "$data" --formula "$formula" --family nbinom2 --json "$@" > "$data.json"
    awk '{ print $1, $2 + $3 }' "$data.time"
}

# Prints the best elapsed and the best CPU time of three fits.
best_of_three() {
    local best="" best_cpu=""
    for _ in 1 2 3; do
        local t cpu
        read -r t cpu < <(fit_once "$@")
        if [ -z "$best" ] || [ "$(echo "$t < $best" | bc)" = 1 ]; then best=$t; fi
        if [ -z "$best_cpu" ] || [ "$(echo "$cpu < $best_cpu" | bc)" = 1 ]; then best_cpu=$cpu; fi
    done
    echo "$best $best_cpu"
}

summary() {
    node -e '
const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
const f = d.random_effects.find((r) => r.kind === "exponential_field");
console.log(`logLik ${d.loglik.toFixed(4)}  sd ${f.sd.toFixed(4)}  range ${f.range.toFixed(1)} ${f.range_units}  (${JSON.stringify(f.approximation)})`);
' "$1"
}

read -r native native_cpu < <(best_of_three)
ours=$(summary "$data.json")
read -r glmmtmb glmmtmb_cpu rloglik rsd rrange < <(node -e '
const fs = require("fs");
const t = JSON.parse(fs.readFileSync(process.argv[1], "utf8")).fits[process.argv[3]];
const g = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const r = g.random.find((x) => x.covariance === "exp");
console.log(t.elapsed, t.cpu, g.loglik.toFixed(4), r.sd.toFixed(4), r.range.toFixed(1));
' "$suite/timings.json" "$suite/golden/$id.json" "$id")

echo "Spatial field over 1,000 LSOAs ($id: $formula)"
printf '  socgrad (%s, best of 3): %8.2f s elapsed %8.2f s CPU   %s\n' "$bin" "$native" "$native_cpu" "$ours"
printf '  glmmTMB (timings.json):                   %8.1f s elapsed %8.1f s CPU   logLik %s  sd %s  range %s metres\n' \
    "$glmmtmb" "$glmmtmb_cpu" "$rloglik" "$rsd" "$rrange"
printf '  ratio glmmTMB / socgrad:                  %8.0fx elapsed %7.0fx CPU\n' \
    "$(echo "$glmmtmb / $native" | bc -l)" "$(echo "$glmmtmb_cpu / $native_cpu" | bc -l)"
if [ -n "${SPATIAL_NEIGHBOURS:-}" ]; then
    read -r approx approx_cpu < <(best_of_three --field-neighbours "$SPATIAL_NEIGHBOURS")
    printf '  socgrad (%s neighbours, best of 3):      %8.2f s elapsed %8.2f s CPU   %s\n' \
        "$SPATIAL_NEIGHBOURS" "$approx" "$approx_cpu" "$(summary "$data.json")"
fi
