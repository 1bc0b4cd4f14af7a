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

test('curves and catalogue', () => {
  const curve = engine.webbRateCurve({ outcome: 'cin', la_imd_z: 0, gini_z: 0, points: 5 });
  // At the average neighbourhood of an average LA the rate is exp(intercept) = 243.5 per 10,000
  // (Webb et al. 2020, Table 3, CIN intercept 5.4952).
  const mid = curve.series[0].points[2];
  assert.equal(mid.x, 0);
  assert.ok(Math.abs(mid.y - Math.exp(5.4952)) < 1e-6);
  const hood = engine.hoodRelativeCurve({ measure: 'referral', la_dep: 0, points: 5 });
  assert.ok(Math.abs(hood.series[0].points[2].y - 1) < 1e-12);
  const tables = engine.catalogue().tables;
  assert.ok(tables.length >= 20);
  assert.ok(tables.some((t) => t.table === 'Table 17'));
});
