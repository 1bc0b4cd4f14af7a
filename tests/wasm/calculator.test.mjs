// The calculator through the WebAssembly bindings: the same published values as the native tests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as engine from './engine.mjs';

test('Webb et al. 2020 Table 4: CLA, low deprivation and high inequality = 2.291', () => {
  const r = engine.gradient({ source: 'webb2020', outcome: 'cla', la_imd_z: -1, gini_z: 1 });
  assert.ok(Math.abs(r.estimate - 2.291) <= 0.002, `estimate ${r.estimate}`);
  assert.ok(r.ci_low < r.estimate && r.estimate < r.ci_high);
  assert.equal(r.source, 'Webb et al. 2020');
  assert.equal(r.published, false);
  assert.equal(r.extrapolated, false);
  assert.ok(r.warnings.some((w) => /covariance/i.test(w)));
});

test('Hood et al. 2021 Table 2: CP plan 1.80 / 2.33 / 1.39 at d = 0 / -10 / +10', () => {
  const at = (la_dep) => engine.gradient({ source: 'hood2021', measure: 'cp_plan', la_dep });
  const mid = at(0);
  assert.equal(mid.estimate, 1.8);
  assert.equal(mid.ci_low, 1.78);
  assert.equal(mid.ci_high, 1.82);
  assert.equal(at(-10).estimate, 2.33);
  assert.equal(at(10).estimate, 1.39);
  assert.equal(at(-10).ci_low, null);
  assert.equal(at(25).extrapolated, true);
});

test('Hood et al. 2021 Table 16: rural referrals at low LA deprivation = 2.31', () => {
  const r = engine.gradient({ source: 'hood2021', measure: 'referral', la_dep: -10, area: 'rural' });
  assert.equal(r.estimate, 2.31);
  assert.match(r.table, /16/);
});

test('bad input is a JavaScript error with a plain message, and the module keeps working', () => {
  assert.throws(() => engine.gradient({ source: 'webb2020', outcome: 'cla', gini: 1.5 }), /gini/i);
  assert.throws(() => engine.gradient({ source: 'webb2020', outcome: 'xyz' }), /outcome|request/i);
  assert.throws(() => engine.gradient({ source: 'hood2021', measure: 'refferal' }), /referral/);
  assert.throws(() => engine.gradient('nonsense'), /request/);
  const r = engine.gradient({ source: 'webb2020', outcome: 'cin' });
  assert.equal(r.estimate, 1.551);
});

test('charts and catalogue', () => {
  const charts = engine.calculatorCharts({
    outcome: 'cin', measure: 'referral',
    contexts: [{ name: 'Context A', webb: { la_imd_z: 0, gini_z: 0 }, la_dep: 0 }, { name: 'Context B', webb: null, la_dep: 10 }],
  });
  // At the average neighbourhood of an average LA the rate is exp(intercept) = 243.5 per 10,000
  // (Webb et al. 2020, Table 3, CIN intercept 5.4952); context B has no Webb inputs, so no line.
  const webb = charts.webb;
  assert.equal(webb.id, 'webb-chart');
  assert.deepEqual(webb.spec.series.map((s) => s.kind), ['line', 'dashed']);
  const [x, y] = webb.spec.series[0].points[20];
  assert.equal(x, 0);
  assert.ok(Math.abs(y - Math.exp(5.4952)) < 1e-6);
  assert.deepEqual(webb.table.rows[4], ['0.0', Math.exp(5.4952).toFixed(1), Math.exp(5.4952).toFixed(1)]);
  // Hood: relative rate 1 at the LA's average neighbourhood, and 1.29 per 10 points in a
  // more deprived LA (Table 2's High IMD column), so 1.29^2 at +20 points.
  const hood = charts.hood;
  assert.deepEqual(hood.spec.series.map((s) => s.name), ['Context A', 'Context B', hood.spec.series[2].name]);
  assert.ok(Math.abs(hood.spec.series[0].points[20][1] - 1) < 1e-12);
  assert.ok(Math.abs(hood.spec.series[1].points[40][1] - 1.29 ** 2) < 1e-9);
  assert.equal(hood.table.header.length, 4);
  const tables = engine.catalogue().tables;
  assert.ok(tables.length >= 20);
  assert.ok(tables.some((t) => t.table === 'Table 17'));
});
