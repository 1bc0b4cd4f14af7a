// Benchmark (not a test): each stage the page runs on a dropped file, timed through the
// WebAssembly build under Node and natively (examples/bench_stages.rs, release build) on the same
// file, with the ratio of the two, so that the browser's drop-to-results figure
// (scripts/bench-fit-page.mjs) splits into the engine's own work, what WebAssembly adds, and what
// the page adds around it. Stages: reading the CSV, the overview, the formula checked ("Ready"),
// the data moved to the fitting worker (exportData, a structured clone with its buffers
// transferred, Session.fromData), the fit with the page's views, the prediction inputs.
//   cargo build --release --example bench_stages; source scripts/lib.sh; build_wasm
//   node scripts/bench-stages.mjs DATA.csv [FORMULA] [FAMILY]
// (DATA.csv: e.g. the 1,000,000-row file of `cargo run --release --example bench_data --
// bench-data/big.csv --rows 1000000`; default model: NB2 with an LA random intercept.)
// Wall-clock seconds of one run each, as one JSON object.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Session } from '../tests/wasm/engine.mjs';
import { dataBuffers } from '../www/fit/session-data.js';

const [file, formula = 'count ~ imd_z * la_imd + offset(log(pop/10000)) + (1 | la)', family = 'nbinom2'] = process.argv.slice(2);
if (!file) {
  console.error('usage: node scripts/bench-stages.mjs DATA.csv [FORMULA] [FAMILY]');
  process.exit(2);
}
const request = { formula, family };
const bytes = readFileSync(file);
const wasm = {};
let clock = performance.now();
const lap = (name) => {
  const now = performance.now();
  wasm[`${name}_seconds`] = Number(((now - clock) / 1000).toFixed(3));
  clock = now;
};
const read = new Session(bytes);
lap('read');
const overview = read.overview(8);
lap('overview');
read.readiness(request);
lap('readiness');
const data = read.exportData();
const moved = Session.fromData(structuredClone(data, { transfer: dataBuffers(data) }));
lap('move');
const fitted = moved.fit({ fit: request, view: { roles: overview.roles } }, () => {});
lap('fit_and_views');
moved.predictionInputs();
lap('prediction_inputs');
const out = { rows: overview.rows, formula, family, wasm: { loglik: fitted.report.loglik, ...wasm } };

const binary = new URL('../target/release/examples/bench_stages', import.meta.url);
if (existsSync(binary)) {
  const native = JSON.parse(execFileSync(binary.pathname, [file, '--formula', formula, '--family', family], { encoding: 'utf8' }));
  out.native = native;
  const pairs = [['read', native.read_seconds], ['overview', native.overview_seconds], ['readiness', native.readiness_seconds],
    ['fit_and_views', native.fit_seconds + native.views_seconds]];
  out.wasm_over_native = Object.fromEntries(pairs.map(([k, n]) => [k, Number((wasm[`${k}_seconds`] / n).toFixed(2))]));
} else {
  out.native = 'not built: cargo build --release --example bench_stages';
}
console.log(JSON.stringify(out, null, 2));
