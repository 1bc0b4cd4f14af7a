// The forest plots' own WebAssembly build (www/pkg/socgrad_forest*, loaded by the page after the
// first score): it exports their drawing and nothing of the calculator, and sizes every forest
// plot of the six-LA section (www/static/six-las.json, written by the engine).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as forest from '../../www/pkg/socgrad_forest.js';
import * as calculator from '../../www/pkg/socgrad_calc.js';

forest.initSync({ module: readFileSync(new URL('../../www/pkg/socgrad_forest_bg.wasm', import.meta.url)) });
const page = JSON.parse(readFileSync(new URL('../../www/static/six-las.json', import.meta.url), 'utf8'));

test('the forest build draws forest plots and holds nothing of the calculator', () => {
  for (const name of ['drawChart', 'forestHeight']) assert.equal(typeof forest[name], 'function', name);
  for (const name of ['gradient', 'las', 'tourSteps', 'calculatorCharts', 'catalogue']) assert.equal(forest[name], undefined, name);
  // And the calculator's first download holds no forest plot.
  assert.equal(calculator.forestHeight, undefined);
});

test('every forest plot of the six-LA section has a height, taller on a phone than on a laptop', () => {
  const figures = page.views.filter((v) => v.figure);
  assert.equal(figures.length, 7);
  for (const v of figures) {
    const rows = v.figure.spec.sections.reduce((n, s) => n + s.items.length, 0);
    const laptop = forest.forestHeight(v.figure.spec, 760);
    const phone = forest.forestHeight(v.figure.spec, 360);
    assert.ok(laptop > rows * 6 * 9, `${v.key}: ${laptop} for ${rows} rows`);
    assert.ok(phone > laptop, `${v.key}: labels above the rows on a phone`);
  }
});

test('a forest plot that cannot be drawn is an error naming why, not a crash', () => {
  const spec = page.views.find((v) => v.figure).figure.spec;
  assert.throws(() => forest.forestHeight({ ...spec, reference: 0 }, 760), /reference line .* positive/);
  assert.throws(() => forest.forestHeight({ ...spec, sections: [] }, 760), /no items/);
  assert.throws(() => forest.forestHeight({ x_label: 'x' }, 760), /invalid forest plot/);
  assert.throws(() => forest.forestHeight(null, 760), /invalid forest plot/);
});
