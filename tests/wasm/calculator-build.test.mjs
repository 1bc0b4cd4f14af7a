// The calculator's own WebAssembly build (www/pkg/socgrad_calc*, the page's first download) against
// the whole engine's build: it exports the calculator, places, tour and chart functions and none of
// the fitting engine's, and answers every request exactly as the whole engine does, on published
// cells and on randomised contexts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as calculator from '../../www/pkg/socgrad_calc.js';
import * as engine from './engine.mjs';
import { defaultState, stateFromQuery, queryFromState } from '../../www/state.js';

calculator.initSync({ module: readFileSync(new URL('../../www/pkg/socgrad_calc_bg.wasm', import.meta.url)) });

/** A pseudo-random generator (mulberry32), so a failing case can be replayed from its seed. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test('the calculator build has the calculator functions and none of the fitting engine', () => {
  for (const name of ['gradient', 'studyContexts', 'las', 'searchLas', 'resolveLa', 'formatNumber', 'direction', 'laGradients', 'catalogue', 'calculatorCharts', 'tourSteps', 'drawChart']) {
    assert.equal(typeof calculator[name], 'function', name);
  }
  for (const name of ['Session', 'sampleCatalogue', 'makeSample', 'modelPresets', 'makeEnglandSample', 'englandSampleEntry']) {
    assert.equal(calculator[name], undefined, name);
    assert.equal(typeof engine[name], 'function', name);
  }
});

test('published cells: Webb et al. 2020 Table 4 (CLA 2.291) and Hood et al. 2021 Table 2 (CP plan 2.33)', () => {
  assert.ok(Math.abs(calculator.gradient({ source: 'webb2020', outcome: 'cla', la_imd_z: -1, gini_z: 1 }).estimate - 2.291) <= 0.002);
  assert.equal(calculator.gradient({ source: 'hood2021', measure: 'cp_plan', la_dep: -10 }).estimate, 2.33);
});

test('randomised contexts: the calculator build answers as the whole engine does', () => {
  const next = random(20260101);
  const measures = [...new Set(calculator.catalogue().tables.flatMap((t) => t.measures.map((m) => m.request.measure).filter(Boolean)))];
  assert.ok(measures.length >= 10, `${measures.length} Hood measures`);
  let answered = 0;
  const las = calculator.las();
  for (let i = 0; i < 200; i++) {
    const pick = (xs) => xs[Math.floor(next() * xs.length)];
    let request;
    if (next() < 0.5) {
      request = { source: 'webb2020', outcome: pick(['cin', 'cpp', 'cla']), la_imd_z: next() * 6 - 3, gini_z: next() * 6 - 3 };
    } else {
      request = { source: 'hood2021', measure: pick(measures), la_dep: next() * 40 - 20 };
      if (next() < 0.3) request.area = pick(['urban', 'rural']);
      else if (next() < 0.3) request.density = pick(['low', 'medium', 'high']);
      if (next() < 0.2) request = { ...request, la_dep: undefined, la: pick(las).la_code };
    }
    const run = (m) => {
      try {
        return { ok: m.gradient(request) };
      } catch (e) {
        return { error: e.message };
      }
    };
    const answer = run(calculator);
    assert.deepEqual(answer, run(engine), JSON.stringify(request));
    if (answer.ok) answered += 1;
  }
  // Most contexts have an answer (some measures have no rural or density table: an error, the same in both).
  assert.ok(answered >= 120, `${answered} of 200 answered`);
  const la = las[17];
  assert.deepEqual(calculator.tourSteps({ la: la.la_code }), engine.tourSteps({ la: la.la_code }));
  assert.deepEqual(calculator.laGradients({ source: 'hood2021', measure: 'referral' }), engine.laGradients({ source: 'hood2021', measure: 'referral' }));
  for (const text of ['Bristol, City of', 'Cumberland', 'Birmingam', 'E0600006', 'bcp']) {
    assert.deepEqual(calculator.searchLas(text, 8), engine.searchLas(text, 8), text);
  }
});

test("the page's presets and default contexts come from the engine: Webb Table 1's mean and one SD, Hood's +-10 points", () => {
  const study = calculator.studyContexts();
  assert.deepEqual(study.la_imd, { variable: 'LA IMD Score', mean: 22.0, sd: 8.14, min: 8.86, max: 41.2 });
  assert.deepEqual(study.gini, { variable: 'LA Gini coefficient', mean: 0.386, sd: 0.014, min: 0.358, max: 0.415 });
  assert.deepEqual(study.deprivation, { low: { imd: 13.86, dep: -10 }, average: { imd: 22, dep: 0 }, high: { imd: 30.14, dep: 10 } });
  assert.deepEqual(study.inequality, { low: { gini: 0.372 }, average: { gini: 0.386 }, high: { gini: 0.4 } });
  const d = defaultState(study);
  assert.deepEqual([d.a.imd, d.a.gini, d.a.dep, d.b.imd, d.b.dep], [22, 0.386, 0, 30.14, 10]);
  // A real LA keeps the study-average Gini; the engine reports the z-scores it used.
  const las = calculator.las();
  const { state, problems } = stateFromQuery(study, '?la=E06000009&b_gini=0.4&compare=1', null, () => las);
  assert.deepEqual(problems, []);
  const blackpool = las.find((l) => l.la_code === 'E06000009');
  assert.equal(state.a.imd, blackpool.la_imd);
  assert.equal(state.a.gini, 0.386);
  assert.equal(state.b.gini, 0.4);
  assert.equal(stateFromQuery(study, queryFromState(state), null, () => las).state.a.la, 'E06000009');
  const r = calculator.gradient({ source: 'webb2020', outcome: 'cla', la_imd: state.b.imd, gini: state.b.gini });
  assert.ok(Math.abs(r.context.la_imd_z - 1) < 1e-12 && Math.abs(r.context.gini_z - 1) < 1e-12);
  assert.equal(calculator.gradient({ source: 'webb2020', outcome: 'cla', la: 'E06000009' }).context.la_imd, blackpool.la_imd);
});
