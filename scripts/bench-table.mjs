// Prints the benchmark table from the JSON files written by scripts/bench.sh: native and wasm
// times of the engine, how many times the native time the wasm build takes, glmmTMB's where it was
// timed, and the speed-up.
//   node scripts/bench-table.mjs native.json wasm.json [glmmtmb.json]
import { readFileSync, existsSync } from 'node:fs';

const [nativeFile, wasmFile, rFile] = process.argv.slice(2);
const native = JSON.parse(readFileSync(nativeFile, 'utf8'));
const wasm = JSON.parse(readFileSync(wasmFile, 'utf8'));
const r = rFile && existsSync(rFile) ? JSON.parse(readFileSync(rFile, 'utf8')) : null;
// glmmTMB's model names in scripts/bench_glmmtmb.R.
const rName = (name) => `${name}.glmmTMB`;

const pad = (s, n) => String(s).padStart(n);
const secs = (x) => (typeof x === 'number' ? x.toFixed(3) : '–');
console.log(`\n${native.rows} rows (read_csv: native ${secs(native.read_csv_seconds)} s, wasm ${secs(wasm.read_csv_seconds)} s)\n`);
console.log(`${'model'.padEnd(18)}${pad('native s', 10)}${pad('wasm s', 10)}${pad('wasm/nat', 10)}${pad('glmmTMB s', 11)}${pad('x native', 10)}${pad('x wasm', 9)}   logLik (native / wasm${r ? ' / glmmTMB' : ''})`);
for (const [name, n] of Object.entries(native.models)) {
  const w = wasm.models[name] || {};
  const g = r ? r.seconds[rName(name)] : undefined;
  const gll = r && r.loglik ? r.loglik[rName(name)] : undefined;
  const ratio = (x) => (g && x ? (g / x).toFixed(0) : '–');
  const lls = [n.loglik, w.loglik, gll].filter((x) => typeof x === 'number').map((x) => x.toFixed(3)).join(' / ');
  const slower = typeof w.seconds === 'number' && n.seconds ? (w.seconds / n.seconds).toFixed(2) : '–';
  console.log(`${name.padEnd(18)}${pad(secs(n.seconds), 10)}${pad(secs(w.seconds), 10)}${pad(slower, 10)}${pad(secs(g), 11)}${pad(ratio(n.seconds), 10)}${pad(ratio(w.seconds), 9)}   ${lls}`);
}
if (native.check && wasm.check) {
  console.log(`\nModel check of ${native.check.model} (${native.check.simulations} simulations, scaled residuals and tests): native ${secs(native.check.seconds)} s, wasm ${secs(wasm.check.seconds)} s`);
}
console.log('\nTargets: NB2 with an LA random intercept <= 0.3 s native and <= 0.6 s wasm, and wasm within 1.3x native; every model >= 100x faster than glmmTMB; the model check <= 2 s in wasm.');
