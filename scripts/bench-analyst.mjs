// Benchmark (not a test) of the page's analyst work in the WebAssembly build under Node, on the
// national sample (England's 32,844 neighbourhoods, synthetic referrals), run as the page's
// fitting worker runs it: one Session holds the file, a fit keeps its model, and every later
// question is asked of that model.
//   - the formula's data check against the full readiness check the page runs before "Ready";
//   - for the sample's model with an LA random slope of the social gradient (Poisson and NB2):
//     the fit, then profile-likelihood intervals of every parameter added to it;
//   - "Compare with a model you write": the kept model against a second formula (the model
//     without the LA slope), timed against fitting that second model alone;
//   - a prediction.
// Run after build_wasm:  node scripts/bench-analyst.mjs [REPEAT]   (REPEAT: runs of each timing,
// median printed; default 1). Each figure is the wall-clock time and, in brackets, the process's
// CPU time, which a shared machine's other work does not inflate.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const engine = await import('../tests/wasm/engine.mjs');
const repeat = Math.max(1, Number(process.argv[2] || 1));
const made = engine.makeEnglandSample(readFileSync('data/england_lsoa11.csv'), readFileSync('data/england_upper_tier_las.csv'), readFileSync('data/england_lsoa11_centroids.csv'));
const session = new engine.Session(new TextEncoder().encode(made.csv));
session.derive(made.sample.derive);
console.log(`${session.overview(0).rows} rows; the sample's formula: ${made.sample.model.formula}`);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
/** Median wall-clock and CPU milliseconds of `f` over `n` runs (after `setup` before each), and its last value. */
function time(f, { n = repeat, setup = () => {} } = {}) {
  const wall = [];
  const cpu = [];
  let value;
  for (let i = 0; i < n; i += 1) {
    setup();
    const start = performance.now();
    const used = process.cpuUsage();
    value = f();
    const { user, system } = process.cpuUsage(used);
    wall.push(performance.now() - start);
    cpu.push((user + system) / 1000);
  }
  return { ms: median(wall), cpu: median(cpu), value };
}
const ms = (t) => `${t.ms.toFixed(0).padStart(7)} ms (${t.cpu.toFixed(0).padStart(5)} CPU)`;

const hood = made.sample.model.formula;
const gradient = 'within(income_dep / 10, la)';
const slope = hood.replace('(1 | la)', `(1 + ${gradient} | la)`);
const nothing = () => {};

console.log(`\n${'checkFormula (data check)'.padEnd(58)}${ms(time(() => session.checkFormula(hood), { n: 5 }))}`);
console.log(`${'readiness (everything the fit checks first)'.padEnd(58)}${ms(time(() => session.readiness({ formula: hood, family: 'poisson' }), { n: 5 }))}`);

console.log(`\nModel with an LA random slope: ${slope}`);
for (const family of ['poisson', 'nbinom2']) {
  const request = { fit: { formula: slope, family }, view: {} };
  const fit = time(() => session.fit(request, nothing));
  const terms = fit.value.report.coefficients.map((c) => c.term);
  const profiled = time(() => session.profile(terms), { setup: () => session.fit(request, nothing) });
  const parameters = terms.length + fit.value.report.random_effects.length + (family === 'poisson' ? 0 : 1);
  console.log(`${family.padEnd(8)} fit${ms(fit)}   profile intervals of all ${parameters} parameters${ms(profiled)}`);
}

const second = { formula: hood, family: 'poisson' };
const first = { formula: slope, family: 'poisson' };
session.fit({ fit: first, view: {} }, nothing);
const alone = time(() => session.fitReport(second, nothing));
const compared = time(() => session.compareModels({ first, second }));
const lr = compared.value.lr_test;
console.log(`\nCompare the kept model (LA slope, Poisson) with the model without the slope:`);
console.log(`${'  compareModels'.padEnd(58)}${ms(compared)}`);
console.log(`${'  fitting the second model alone'.padEnd(58)}${ms(alone)}   (CPU ratio ${(compared.cpu / alone.cpu).toFixed(2)})`);
console.log(`  LR test: statistic ${lr.statistic.toFixed(3)} on ${lr.df} df`);

console.log(`\n${'predict (population average)'.padEnd(58)}${ms(time(() => session.predict({ at: [], gradient_term: null }), { n: 5 }))}`);
