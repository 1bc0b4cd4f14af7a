// The guided tour through the WebAssembly bindings, and its place in the link.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as engine from './engine.mjs';
import { queryWithTour, tourFromQuery } from '../../www/tour-link.js';

test('tourSteps: nine steps whose numbers are the calculator\'s', () => {
  const tour = engine.tourSteps({ la: 'E06000009' });
  assert.equal(tour.la_name, 'Blackpool');
  assert.deepEqual(tour.steps.map((s) => s.number), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
  const mine = engine.gradient({ source: 'hood2021', measure: 'referral', la: 'E06000009' });
  const step7 = tour.steps[6];
  assert.equal(step7.title, 'Your local authority: Blackpool');
  assert.ok(step7.body[0].includes(`predicted referral score ${mine.shown.value}`), step7.body[0]);
  // The chart spec is the one drawChart takes: the LA's curve is score^(x/10).
  const at10 = step7.chart.series[0].points.find((p) => p[0] === 10)[1];
  assert.ok(Math.abs(at10 - mine.estimate) < 1e-9);
  const step3 = tour.steps[2];
  assert.ok(step3.body[1].includes('a score of 2.03 in an LA 10 points less income-deprived'), step3.body[1]);
  assert.equal(engine.tourSteps({}).la_name, null);
  assert.equal(engine.tourSteps(undefined).steps.length, 9);
  // "What kind of need?" names the six-LA figure the page draws for it.
  assert.equal(tour.steps[7].six_las_figure, 'table13_demand_classes');
  assert.throws(() => engine.tourSteps({ la: 'Atlantis' }), /Atlantis/);
});

test('the step and projector mode in the link, keeping the calculator\'s parameters', () => {
  assert.deepEqual(tourFromQuery('?la=E06000009&tour=3', 8), { step: 3, projector: false, la: 'E06000009' });
  assert.deepEqual(tourFromQuery('?tour=3&projector=1', 8), { step: 3, projector: true, la: '' });
  assert.equal(tourFromQuery('?measure=cin', 8).step, 0);
  assert.equal(tourFromQuery('?tour=99', 8).step, 8);
  assert.equal(tourFromQuery('?tour=0', 8).step, 1);
  assert.equal(tourFromQuery('?tour=abc', 8).step, 1);
  assert.equal(queryWithTour('?outcome=cla&la=E06000009', 3, true), '?outcome=cla&la=E06000009&tour=3&projector=1');
  assert.equal(queryWithTour('?outcome=cla&tour=3&projector=1', 0, true), '?outcome=cla');
  assert.equal(queryWithTour('?tour=2', 0, false), '');
});
