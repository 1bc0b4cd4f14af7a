// The real figures through the WebAssembly engine (the worker's calls): the view of an LA's
// figures, the map's values, the tour step, the Gini estimate and the LA panel, with the same
// numbers as the native engine's tests and the data file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as engine from './engine.mjs';

test('an LA\'s figures, the trend and higher or lower than expected', () => {
  const v = engine.ratesView({ la: 'Blackpool', measure: 'cla_at31', year: 2025 });
  assert.equal(v.la_code, 'E06000009');
  const cla = v.figures.find((f) => f.measure === 'cla_at31');
  // E06000009,Blackpool,2025,28923,...,531,184
  assert.deepEqual([cla.count, cla.rate, cla.children_0_17, cla.rank, cla.ranked], [531, 184, 28923, 1, 149]);
  assert.equal(v.england.length, 5);
  assert.match(v.expected.chosen.sentence, /^In 2025 Blackpool's rate of children looked after was 1\.22 times/);
  // A missing year is a gap (NaN) in the line, with its reason in the table.
  const h = engine.ratesView({ la: 'E09000012', measure: 'cin_at31', year: 2020 });
  const own = h.trend.chart.spec.series[0].points;
  assert.ok(Number.isNaN(own[8][1]) && Number.isNaN(own[9][1]) && Number.isFinite(own[7][1]));
  assert.equal(h.trend.chart.table.rows[8][1], '– (not published)');
  // Named points: every point of the funnel has its LA.
  const f = v.expected.funnel;
  f.view.spec.series.forEach((s, k) => assert.ok(f.labels[k].length === 0 || f.labels[k].length === s.points.length));
  assert.throws(() => engine.ratesView({ la: 'Atlantis' }), /no English upper-tier local authority/);
  assert.throws(() => engine.ratesView({ measure: 'cla', year: 2025 }), /not a measure/);
});

test('the map, the tour step, the Gini estimate and the LA panel', () => {
  const map = engine.ratesMap({ measure: 'cla_at31', year: 2025, mode: 'ratio' });
  assert.equal(map.items.length, 151);
  assert.equal(map.items.filter((i) => i.estimate !== null).length, 149);
  const step = engine.ratesTourStep({ la: 'E06000009' });
  assert.equal(step.number, 8); // after the LA's predicted gradient (step 7)
  assert.equal(step.title, 'What actually happens in England');
  const g = engine.giniFromBands({ bands: '0,10000,100\n10000,20000,300\n20000,40000,250\n40000,,50', seed: 7 });
  assert.ok(g.gini > 0.2 && g.gini < 0.4 && g.ci_low < g.gini && g.gini < g.ci_high, JSON.stringify(g));
  assert.throws(() => engine.giniFromBands({ bands: '0,10000,100\n10000,20000\n20000,,5' }), /line 2/);
  const panel = engine.makeLaPanelSample();
  assert.equal(panel.sample.rows, 1963);
  assert.ok(panel.sample.real_counts);
  assert.equal(panel.csv.trim().split('\n').length, 1964);
});
