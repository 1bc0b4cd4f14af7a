// Fits the national spatial model (every English LSOA in one nearest-neighbour field; see
// examples/common/spatial_national.rs) in WebAssembly under Node and prints the time of each
// stage, the fit's estimates and the memory used: the WebAssembly memory's size at the end (it only
// grows, so this is its peak) and Node's peak resident set.
//   node scripts/bench-spatial-national.mjs [NEIGHBOURS]   (after scripts/bench-spatial-national.sh built it)
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { resourceUsage } from 'node:process';

const m = Math.max(1, Number(process.argv[2] || 10));
const root = new URL('..', import.meta.url);
const { initSync } = await import(new URL('target/bench-spatial-national-wasm/bench_spatial_national_wasm.js', root));
const e = initSync({ module: readFileSync(new URL('target/bench-spatial-national-wasm/bench_spatial_national_wasm_bg.wasm', root)) });
const table = readFileSync(new URL('data/england_lsoa11.csv', root));
const centroids = readFileSync(new URL('data/england_lsoa11_centroids.csv', root));
const copy = (bytes) => {
  const ptr = e.buffer(bytes.length);
  new Uint8Array(e.memory.buffer, ptr, bytes.length).set(bytes);
  return ptr;
};
const seconds = (t0) => (performance.now() - t0) / 1000;
const fail = (what) => {
  console.error(`error: ${what}`);
  process.exit(1);
};

let t0 = performance.now();
const rows = e.build(copy(table), table.length, copy(centroids), centroids.length, m);
const build = seconds(t0);
if (rows === 0) fail('the national model could not be built');
t0 = performance.now();
const first = e.analyse();
const analyse = seconds(t0);
if (Number.isNaN(first)) fail('the objective does not evaluate at the start');
t0 = performance.now();
const loglik = e.fit_model();
const fit = seconds(t0);
if (Number.isNaN(loglik)) fail('the fit failed');
const evaluations = e.evaluations();
const est = [0, 1, 2, 3, 4].map((k) => e.estimate(k));
console.log(`m = ${m}: ${rows} LSOAs; Cholesky factor ${e.factor_entries()} entries`);
console.log(`  data and field (simulation with 30 neighbours, ordering and neighbours): ${build.toFixed(2)} s`);
console.log(`  symbolic analysis and one cold evaluation: ${analyse.toFixed(2)} s`);
console.log(`  fit: ${fit.toFixed(1)} s, ${evaluations} evaluations, ${(fit / evaluations).toFixed(2)} s each, converged: ${e.converged() === 1}`);
console.log(`  estimates: intercept ${est[0].toFixed(4)}, imd_z ${est[1].toFixed(4)}, theta ${Math.exp(est[2]).toFixed(2)}, sd ${Math.exp(est[3]).toFixed(4)}, range ${Math.exp(est[4]).toFixed(0)} m; logLik ${loglik.toFixed(3)}`);
console.log(`  total ${(build + analyse + fit).toFixed(1)} s; WebAssembly memory ${(e.memory.buffer.byteLength / 2 ** 20).toFixed(0)} MiB; Node peak resident ${(resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
