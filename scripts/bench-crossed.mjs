// Benchmark (not a test) of crossed random effects, fitted whole (start to optimum, report
// included) by the WebAssembly engine under Node and by the native `socgrad` binary:
// - the real LA-by-year panel (tests/reference/crossed/data/la_panel.csv, 151 LAs x 13 years),
//   `cla_at31 ~ scale(imd2019) + offset(log(children_0_17)) + (1 | la_code) + (1 | year)`, NB2;
// - England's 32,844 LSOAs (data/england_lsoa11.csv) x 3 years with synthetic counts drawn from
//   an NB2 model with neighbourhood, MSOA, LA and year effects,
//   `count ~ imd_z + offset(log(pop)) + (1 | lsoa) + (1 | year)`, NB2.
// Usage: node scripts/bench-crossed.mjs [SOCGRAD_BINARY] (after build_wasm; the native binary
// defaults to target/release/socgrad). Prints the fastest and median of a few runs.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as engine from '../tests/wasm/engine.mjs';

const RUNS = 3;

/** SplitMix64 uniform numbers, as the engine's own generator draws them. */
function generator(seed) {
  let state = BigInt(seed);
  const mask = (1n << 64n) - 1n;
  const next = () => {
    state = (state + 0x9e3779b97f4a7c15n) & mask;
    let z = state;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & mask;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & mask;
    return Number((z ^ (z >> 31n)) >> 11n) / 2 ** 53;
  };
  const normal = () => Math.sqrt(-2 * Math.log(Math.max(next(), 1e-300))) * Math.cos(2 * Math.PI * next());
  // Poisson by inversion for small means, a normal approximation for large ones.
  const poisson = (mu) => {
    if (mu > 500) return Math.max(0, Math.round(mu + Math.sqrt(mu) * normal()));
    let k = 0;
    let p = Math.exp(-mu);
    let s = p;
    const u = next();
    while (u > s && k < 10_000) {
      k += 1;
      p *= mu / k;
      s += p;
    }
    return k;
  };
  // Gamma(shape, 1) by Marsaglia and Tsang (shape >= 1).
  const gamma = (shape) => {
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      const x = normal();
      const v = (1 + c * x) ** 3;
      if (v > 0 && Math.log(next()) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
    }
  };
  return { normal, nbinom2: (mu, theta) => poisson((mu * gamma(theta)) / theta) };
}

/** The LSOA-by-year panel as CSV text. */
function lsoaPanel(years) {
  const lines = readFileSync('data/england_lsoa11.csv', 'utf8').trim().split('\n');
  const header = lines[0].split(',');
  const col = (name) => header.indexOf(name);
  const rows = lines.slice(1).map((l) => l.split(','));
  const imd = rows.map((r) => Number(r[col('imd2019_score')]));
  const mean = imd.reduce((a, b) => a + b, 0) / imd.length;
  const sd = Math.sqrt(imd.reduce((a, b) => a + (b - mean) ** 2, 0) / (imd.length - 1));
  const rng = generator(2024);
  const effects = new Map();
  const effect = (key, s) => {
    if (!effects.has(key)) effects.set(key, s * rng.normal());
    return effects.get(key);
  };
  const out = ['lsoa,msoa,la,year,imd_z,pop,count'];
  for (let t = 0; t < years; t += 1) {
    const year = 2023 + t;
    for (let i = 0; i < rows.length; i += 1) {
      const r = rows[i];
      const z = (imd[i] - mean) / sd;
      const pop = Math.max(Number(r[col('children_0_15_mid2015')]), 10);
      const eta = -5 + 0.3 * z + effect(r[col('lsoa11_code')], 0.3) + effect(`m${r[col('msoa11_code')]}`, 0.2)
        + effect(`l${r[col('la_code')]}`, 0.3) + effect(`y${year}`, 0.1) + Math.log(pop);
      out.push(`${r[col('lsoa11_code')]},${r[col('msoa11_code')]},${r[col('la_code')]},${year},${z.toFixed(6)},${pop},${rng.nbinom2(Math.exp(eta), 4)}`);
    }
  }
  return `${out.join('\n')}\n`;
}

function timed(f) {
  const times = [];
  let result;
  for (let k = 0; k < RUNS; k += 1) {
    const start = process.hrtime.bigint();
    result = f();
    times.push(Number(process.hrtime.bigint() - start) / 1e9);
  }
  times.sort((a, b) => a - b);
  return { fastest: times[0], median: times[Math.floor(times.length / 2)], result };
}

mkdirSync('bench-data', { recursive: true });
const panel = 'bench-data/lsoa_year_panel.csv';
if (!existsSync(panel)) writeFileSync(panel, lsoaPanel(3));
const binary = process.argv[2] ?? 'target/release/socgrad';
const cases = [
  ['LA x year, 151 x 13 (real DfE panel)', 'tests/reference/crossed/data/la_panel.csv',
    'cla_at31 ~ scale(imd2019) + offset(log(children_0_17)) + (1 | la_code) + (1 | year)'],
  ['LSOA x year, 32,844 x 3 (synthetic counts)', panel, 'count ~ imd_z + offset(log(pop)) + (1 | lsoa) + (1 | year)'],
];
console.log('model'.padEnd(44), 'rows'.padStart(7), 'wasm fastest'.padStart(13), 'median'.padStart(8),
  'native fastest'.padStart(15), 'median'.padStart(8), '  logLik (wasm, native)');
for (const [name, file, formula] of cases) {
  const bytes = readFileSync(file);
  const wasm = timed(() => {
    const session = new engine.Session(bytes);
    const report = session.fitReport({ formula, family: 'nbinom2' }, () => {});
    session.free();
    return report;
  });
  const native = timed(() => JSON.parse(execFileSync(binary, ['fit', file, '--formula', formula, '--family', 'nbinom2', '--json'], { maxBuffer: 1 << 30 })));
  console.log(name.padEnd(44), String(wasm.result.nobs).padStart(7), `${wasm.fastest.toFixed(2)} s`.padStart(13),
    `${wasm.median.toFixed(2)} s`.padStart(8), `${native.fastest.toFixed(2)} s`.padStart(15), `${native.median.toFixed(2)} s`.padStart(8),
    `  ${wasm.result.loglik.toFixed(4)}, ${native.result.loglik.toFixed(4)}`);
}
