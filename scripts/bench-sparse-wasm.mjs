// Times one evaluation of the general sparse Laplace objective (value and exact gradient, the
// modes warm) in WebAssembly under Node, on the models of examples/bench_sparse.rs: the module
// built from scripts/bench-sparse-wasm/ prepares a model, and each call evaluates it at the
// next point near the start. Prints the median and the fastest of N evaluations per model.
//   node scripts/bench-sparse-wasm.mjs [EVALUATIONS]   (after scripts/bench-sparse.sh built it)
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

// The models of examples/common/sparse_panel.rs, in order.
const MODELS = [
  'LA x year panel, (1|la)+(1|year)',
  'LSOA x 3 years, (1|lsoa)+(1|year)',
  'LSOA x 3 years, (1|la)+(1|msoa)+(1|year)',
  'national (1|la/msoa)',
  'national (1+imd_z|la)+(1|la:msoa)',
  'exact exponential field, 200 points',
  'exact exponential field, 1000 points',
];

const evaluations = Math.max(1, Number(process.argv[2] || 21));
const root = new URL('..', import.meta.url);
const { initSync } = await import(new URL('target/bench-sparse-wasm/bench_sparse_wasm.js', root));
const e = initSync({ module: readFileSync(new URL('target/bench-sparse-wasm/bench_sparse_wasm_bg.wasm', root)) });
const table = readFileSync(new URL('data/england_lsoa11.csv', root));
const panel = readFileSync(new URL('tests/reference/sparse/data/la_year_cla.csv', root));

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pad = (s, n) => String(s).padStart(n);
console.log(`${'model'.padEnd(44)} ${pad('rows', 7)} ${pad('effects', 8)} ${pad('prepare ms', 11)} ${pad('warm ms', 9)} ${pad('fastest', 9)} ${pad('logLik', 16)}`);
const copy = (bytes) => {
  const ptr = e.buffer(bytes.length);
  new Uint8Array(e.memory.buffer, ptr, bytes.length).set(bytes);
  return ptr;
};
const tablePtr = copy(table);
const panelPtr = copy(panel);
for (const [index, name] of MODELS.entries()) {
  let start = performance.now();
  const value = e.prepare(index, tablePtr, table.length, panelPtr, panel.length);
  const prepare = performance.now() - start;
  if (Number.isNaN(value)) {
    console.error(`error: ${name}: the model could not be prepared`);
    process.exit(1);
  }
  const times = [];
  // At most 5 evaluations of the exact fields, whose cost is cubic in the number of points.
  const count = name.startsWith('exact') ? Math.min(evaluations, 5) : evaluations;
  for (let k = 0; k < count; k += 1) {
    start = performance.now();
    const v = e.evaluate();
    times.push(performance.now() - start);
    if (Number.isNaN(v)) {
      console.error(`error: ${name}: no value at a point near the start`);
      process.exit(1);
    }
  }
  console.log(`${name.padEnd(44)} ${pad(e.rows(), 7)} ${pad(e.effects(), 8)} ${pad(prepare.toFixed(1), 11)} ${pad(median(times).toFixed(3), 9)} ${pad(Math.min(...times).toFixed(3), 9)} ${pad(value.toFixed(4), 16)}`);
}
