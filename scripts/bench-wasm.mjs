// Times the benchmark models through the WebAssembly build under Node: a Session holds the parsed
// CSV, as in the page's worker, and `fitReport` fits one model (the model alone, without the
// page's charts). Then the check of the model with an LA random intercept (250 simulations,
// with its charts, as the page's worker runs it). Prints one JSON object.
//   node scripts/bench-wasm.mjs DATA.csv [REPEAT]
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Session } from '../tests/wasm/engine.mjs';

const FIXED = 'count ~ imd_z * la_imd + offset(log(pop/10000))';
// The same models as examples/bench.rs and scripts/bench_glmmtmb.R.
const MODELS = [
  ['poisson_glm', 'poisson', ''],
  ['nb2_glm', 'nbinom2', ''],
  ['nb2_la_intercept', 'nbinom2', ' + (1 | la)'],
  ['nb2_la_slope', 'nbinom2', ' + (1 + imd_z | la)'],
  ['nb1_la_msoa', 'nbinom1', ' + (1 | la/msoa)'],
];

const [file, repeatArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: node scripts/bench-wasm.mjs DATA.csv [REPEAT]');
  process.exit(2);
}
const repeat = Math.max(1, Number(repeatArg || 3));
const bytes = readFileSync(file);

let start = performance.now();
const session = new Session(bytes);
const readSeconds = (performance.now() - start) / 1000;

const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const models = {};
for (const [name, family, random] of MODELS) {
  const times = [];
  let out;
  for (let i = 0; i < repeat; i += 1) {
    start = performance.now();
    out = session.fitReport({ formula: FIXED + random, family }, () => {});
    times.push((performance.now() - start) / 1000);
  }
  models[name] = { seconds: median(times), loglik: out.loglik, converged: out.converged };
}
const [checkName, checkFamily, checkRandom] = MODELS[2];
session.fit({ fit: { formula: FIXED + checkRandom, family: checkFamily } }, () => {});
const checkTimes = [];
for (let i = 0; i < repeat; i += 1) {
  start = performance.now();
  session.checkModel({ simulations: 250, seed: 1 });
  checkTimes.push((performance.now() - start) / 1000);
}
const check = { model: checkName, simulations: 250, seconds: median(checkTimes) };
console.log(JSON.stringify({ rows: session.overview(0).rows, read_csv_seconds: readSeconds, models, check }));
