// The bindings of the page's analyst checks under Node: readiness (the checks a fit makes
// before optimising), implausible values, profiles added to a fitted model, predictions and the
// comparison of two written models, each against the engine's own answer by another route.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as engine from './engine.mjs';

const LA12 = readFileSync(new URL('../report_support/la12.csv', import.meta.url));
const FORMULA = 'count ~ imd_z + offset(log(pop/10000)) + (1 | la)';
const close = (a, b, tol, what) => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);
const noProgress = () => {};

test('readiness runs the fit\'s own checks; three grouping factors are ready and fit', () => {
  const s = new engine.Session(LA12);
  const ok = s.readiness({ formula: FORMULA, family: 'nbinom2' });
  assert.equal(ok.validation.problems_total, 0);
  assert.equal(ok.fit_error, null);
  assert.deepEqual(ok.value_warnings, []);
  // LA, MSOA and the LA's deprivation as a third grouping factor: ready, and fitted.
  const formula = 'count ~ imd_z + offset(log(pop/10000)) + (1 | la) + (1 | msoa) + (1 | la_imd)';
  const three = s.readiness({ formula, family: 'poisson' });
  assert.equal(three.validation.problems_total, 0);
  assert.equal(three.fit_error, null);
  const report = s.fitReport({ formula, family: 'poisson' }, noProgress);
  assert.deepEqual(report.random_effects.map((e) => e.group), ['la', 'msoa', 'la_imd']);
  for (const e of report.random_effects) {
    assert.ok(Number.isFinite(e.sd), e.group);
  }
  // Quadrature on a random slope: an option the fit refuses.
  const agq = s.readiness({ formula: 'count ~ imd_z + offset(log(pop/10000)) + (1 + imd_z | la)', family: 'poisson', nagq: 5 });
  assert.match(agq.fit_error.message, /adaptive Gauss-Hermite quadrature \(nagq = 5\) needs a single scalar random effect/);
  s.free();
});

test('implausible exposures are warned with row and column', () => {
  const text = LA12.toString().trim().split('\n');
  const header = text[0].split(',');
  const pop = header.indexOf('pop');
  const rows = text.slice(1).map((l) => l.split(','));
  rows[41][pop] = '1e308';
  const s = new engine.Session(new TextEncoder().encode([header.join(','), ...rows.map((r) => r.join(','))].join('\n')));
  const r = s.readiness({ formula: FORMULA, family: 'poisson' });
  assert.equal(r.value_warnings.length, 1);
  assert.equal(r.value_warnings[0].column, 'pop');
  assert.deepEqual(r.value_warnings[0].rows, [42]);
  assert.match(r.value_warnings[0].message, /row 42: pop is 1e308/);
  s.free();
});

test('profiles added to a fitted model equal profiles asked for at fitting time', () => {
  const s = new engine.Session(LA12);
  const fitted = s.fit({ fit: { formula: FORMULA, family: 'nbinom2' }, view: {} }, noProgress);
  assert.equal(fitted.report.dispersion_profile_ci ?? null, null);
  const terms = fitted.report.coefficients.map((c) => c.term);
  const later = s.profile(terms);
  const direct = s.fitReport({ formula: FORMULA, family: 'nbinom2', profile: true, profile_terms: terms }, noProgress);
  assert.deepEqual(later.coefficients.map((c) => c.profile_ci), direct.coefficients.map((c) => c.profile_ci));
  assert.deepEqual(later.dispersion_profile_ci, direct.dispersion_profile_ci);
  assert.deepEqual(later.random_effects.map((e) => e.sd_profile_ci), direct.random_effects.map((e) => e.sd_profile_ci));
  // Each interval holds its estimate; the estimates are unchanged.
  for (const c of later.coefficients) assert.ok(c.profile_ci[0] < c.estimate && c.estimate < c.profile_ci[1], c.term);
  assert.equal(later.loglik, fitted.report.loglik);
  assert.throws(() => s.profile(['no_such_term']), /cannot profile 'no_such_term'/);
  s.free();
});

test('predictions at random values are exp(x\'beta) per 10,000 with the delta-method interval', () => {
  const s = new engine.Session(LA12);
  const fitted = s.fit({ fit: { formula: FORMULA, family: 'poisson' }, view: {} }, noProgress);
  const inputs = s.predictionInputs();
  assert.deepEqual(inputs.columns.map((c) => c.name), ['imd_z']);
  assert.equal(inputs.groups[0].group, 'la');
  assert.equal(inputs.groups[0].levels.length, 12);
  const [b0, b1] = fitted.report.coefficients.map((c) => c.estimate);
  let seed = 7;
  const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  for (let k = 0; k < 10; k++) {
    const x = 4 * random() - 2;
    const p = s.predict({ at: [['imd_z', x]], gradient_term: 'imd_z' });
    close(p.rate.rate, Math.exp(b0 + b1 * x), 1e-9 * p.rate.rate, `rate at ${x}`);
    // The interval is symmetric on the log scale around the rate.
    close(Math.log(p.rate.ci_high) - Math.log(p.rate.rate), Math.log(p.rate.rate) - Math.log(p.rate.ci_low), 1e-9, 'symmetric');
    close(p.score.score, Math.exp(b1), 1e-12, 'score');
  }
  assert.throws(() => s.predict({ at: [['imd_z', 1]], group: 'la', level: 'LA99' }), /'LA99' is not a level of 'la'/);
  // A row of the data's own columns: imd_z is a column of the file, pop gives the expected count.
  assert.deepEqual(inputs.data.map((d) => [d.name, d.role]), [['imd_z', 'term'], ['pop', 'offset']]);
  const row = s.predict({ row: [['imd_z', 0.5], ['pop', 2500]], gradient_term: 'imd_z', group: 'la', level: 'LA03' });
  close(row.rate.rate, Math.exp(b0 + b1 * 0.5), 1e-9 * row.rate.rate, 'rate of a row');
  close(row.rate.count.count, row.rate.rate * 0.25, 1e-9 * row.rate.rate, 'expected count of 2500 children');
  assert.deepEqual(row.inputs.map((i) => [i.column, i.value, i.source]), [['imd_z', 0.5, 'given'], ['pop', 2500, 'given'], ['la', 'LA03', 'given']]);
  assert.deepEqual(row.at, [['imd_z', 0.5]]);
  assert.equal(row.level.level, 'LA03');
  assert.throws(() => s.predict({ row: [['pop', 2500]] }), /no value for the column 'imd_z'/);
  assert.throws(() => s.predict({ row: [['imd_z', 'high']] }), /the value of 'imd_z' must be a finite number, found 'high'/);
  s.free();
});

test('two written models: nested ones get an LR test of 2 (logLik difference)', () => {
  const s = new engine.Session(LA12);
  const simpler = 'count ~ imd_z + offset(log(pop/10000))';
  const c = s.compareModels({ first: { formula: FORMULA, family: 'nbinom2' }, second: { formula: simpler, family: 'nbinom2' } });
  const a = s.fitReport({ formula: FORMULA, family: 'nbinom2' }, noProgress);
  const b = s.fitReport({ formula: simpler, family: 'nbinom2' }, noProgress);
  close(c.models[0].loglik, a.loglik, 1e-9, 'first');
  close(c.models[1].loglik, b.loglik, 1e-9, 'second');
  assert.equal(c.lr_test.restricted, 2);
  close(c.lr_test.statistic, Math.max(0, 2 * (a.loglik - b.loglik)), 1e-9, 'LR');
  assert.equal(c.lr_test.df, 1);
  assert.equal(c.lr_test.p_halved, true);
  assert.equal(c.not_nested, null);
  s.free();
});
