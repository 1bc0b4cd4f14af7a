// Benchmark (not a test) of the page's analyst checks in the WebAssembly build under Node, on the
// national sample (England's 32,844 neighbourhoods, synthetic referrals): the formula's data check
// against the full readiness check the page runs before saying "Ready", a fit, profiles of every
// parameter added to it, and a prediction. Run after build_wasm: node scripts/bench-analyst.mjs
import { readFileSync } from 'node:fs';
const engine = await import('../tests/wasm/engine.mjs');
const made = engine.makeEnglandSample(readFileSync('data/england_lsoa11.csv'), readFileSync('data/england_upper_tier_las.csv'));
const s = new engine.Session(new TextEncoder().encode(made.csv));
s.derive({ value: 'income_dep', weight: 'children', group: 'la', name: 'la_income_dep' });
const o = s.overview(3);
console.log('rows', o.rows, 'columns', o.columns.map((c) => c.name).join(','));
const F = made.sample.model.formula;
console.log('formula', F);
const time = (label, f, n = 5) => { f(); const t = performance.now(); for (let i = 0; i < n; i++) f(); console.log(label, ((performance.now() - t) / n).toFixed(1), 'ms'); };
time('checkFormula', () => s.checkFormula(F));
time('readiness', () => s.readiness({ formula: F, family: 'poisson' }));
let t = performance.now();
const fitted = s.fit({ fit: { formula: F, family: 'nbinom2' }, view: {} }, () => {});
console.log('fit nbinom2', (performance.now() - t).toFixed(0), 'ms');
t = performance.now();
s.profile(fitted.report.coefficients.map((c) => c.term));
console.log('profile', fitted.report.coefficients.length, 'fixed effects + dispersion + SDs', (performance.now() - t).toFixed(0), 'ms');
time('predict', () => s.predict({ at: [], gradient_term: null }));
