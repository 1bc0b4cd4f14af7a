// The England map's parts that need no browser: colour scale, legend ticks, keyboard movement,
// ranking and the words a screen reader hears.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { colourAt, niceTicks, scaleFor } from '../../www/map/colour.js';
import { DIRECTIONS, neighbourInDirection } from '../../www/map/navigation.js';
import { boundsOf, pathPoints } from '../../www/map/path.js';
import { areaLabel, ranked, valueText } from '../../www/map/ranking.js';

const asset = JSON.parse(readFileSync(new URL('../../www/static/england-las.json', import.meta.url), 'utf8'));
let seed = 7;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);

/** WCAG relative luminance of '#rrggbb'. */
function luminance(hex) {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
  const lin = (c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

test('the colour ramp runs from viridis yellow (low) to viridis purple (high), darker all the way', () => {
  assert.equal(colourAt(0), '#fde725');
  assert.equal(colourAt(0.5), '#21918c');
  assert.equal(colourAt(1), '#440154');
  // Half-way between the stops at 7/8 (#472d7b) and 1 (#440154).
  assert.equal(colourAt(15 / 16), '#461768');
  assert.equal(colourAt(-3), '#fde725');
  assert.equal(colourAt(7), '#440154');
  const ts = Array.from({ length: 300 }, random).sort((a, b) => a - b);
  // Strictly darker from stop to stop; between stops up to whole-number rounding of the channels.
  for (let i = 1; i <= 8; i++) assert.ok(luminance(colourAt(i / 8)) < luminance(colourAt((i - 1) / 8)));
  for (let i = 1; i < ts.length; i++) {
    assert.ok(luminance(colourAt(ts[i])) <= luminance(colourAt(ts[i - 1])) + 0.003, `t ${ts[i - 1]} -> ${ts[i]}`);
  }
  // Light enough at the low end and dark enough at the high end for black and white outlines to show.
  assert.ok(luminance(colourAt(0)) > 0.7 && luminance(colourAt(1)) < 0.03);
});

test('legend ticks are round, evenly spaced and inside the range', () => {
  assert.deepEqual(niceTicks(1.31, 2.07), [1.4, 1.6, 1.8, 2]);
  assert.deepEqual(niceTicks(1.02, 1.09), [1.02, 1.04, 1.06, 1.08]);
  assert.deepEqual(niceTicks(1.25, 2.06), [1.4, 1.6, 1.8, 2]);
  assert.deepEqual(niceTicks(2, 2), [2]);
  for (let k = 0; k < 500; k++) {
    const lo = 0.5 + random() * 3;
    const hi = lo + 10 ** (-2 + 3 * random());
    const ticks = niceTicks(lo, hi);
    assert.ok(ticks.length >= 2 && ticks.length <= 7, `${lo}..${hi}: ${ticks}`);
    for (const t of ticks) assert.ok(t >= lo - 1e-9 && t <= hi + 1e-9, `${t} outside ${lo}..${hi}`);
    const step = ticks.length > 1 ? ticks[1] - ticks[0] : null;
    if (step) {
      const mantissa = step / 10 ** Math.floor(Math.log10(step) + 1e-9);
      assert.ok([1, 2, 5].some((m) => Math.abs(mantissa - m) < 1e-6), `step ${step}`);
      for (let i = 2; i < ticks.length; i++) assert.ok(Math.abs(ticks[i] - ticks[i - 1] - step) < 1e-9);
    }
  }
});

test('the scale maps the smallest value to 0 and the largest to 1', () => {
  const sc = scaleFor([1.5, 2.5, NaN, 2]);
  assert.deepEqual([sc.lo, sc.hi, sc.t(2), sc.t(2.5)], [1.5, 2.5, 0.5, 1]);
  assert.equal(sc.colour(1.5), colourAt(0));
  assert.equal(scaleFor([1.7, 1.7]).t(1.7), 0.5);
});

test('arrow keys move to the nearest area in that direction', () => {
  // A 3 x 3 grid, y growing downwards; the middle point is index 4.
  const grid = [0, 1, 2].flatMap((r) => [0, 1, 2].map((c) => [c * 10, r * 10]));
  assert.equal(neighbourInDirection(grid, 4, DIRECTIONS.ArrowLeft), 3);
  assert.equal(neighbourInDirection(grid, 4, DIRECTIONS.ArrowRight), 5);
  assert.equal(neighbourInDirection(grid, 4, DIRECTIONS.ArrowUp), 1);
  assert.equal(neighbourInDirection(grid, 4, DIRECTIONS.ArrowDown), 7);
  assert.equal(neighbourInDirection(grid, 0, DIRECTIONS.ArrowLeft), -1);
  // Random points: the move always goes the right way, to the best point ahead.
  const pts = Array.from({ length: 120 }, () => [random() * 1000, random() * 1000]);
  for (let i = 0; i < pts.length; i++) {
    for (const [key, [dx, dy]] of Object.entries(DIRECTIONS)) {
      const j = neighbourInDirection(pts, i, [dx, dy]);
      const ahead = pts.filter((p, k) => k !== i && (p[0] - pts[i][0]) * dx + (p[1] - pts[i][1]) * dy > 0);
      if (j < 0) {
        assert.equal(ahead.length, 0, key);
        continue;
      }
      assert.ok((pts[j][0] - pts[i][0]) * dx + (pts[j][1] - pts[i][1]) * dy > 0, key);
    }
  }
});

test('from any local authority the arrow keys reach all 151', () => {
  const points = asset.las.map((la) => la.c);
  const moves = points.map((_, i) => Object.values(DIRECTIONS).map((d) => neighbourInDirection(points, i, d)).filter((j) => j >= 0));
  for (let start = 0; start < points.length; start++) {
    const seen = new Set([start]);
    const queue = [start];
    while (queue.length) for (const j of moves[queue.shift()]) if (!seen.has(j)) seen.add(j) && queue.push(j);
    assert.equal(seen.size, 151, `from ${asset.las[start].name}`);
  }
});

test('paths are read back into points and bounds', () => {
  assert.deepEqual(pathPoints('M10 20l5-5 -5 0zM0 0l1 1 1-2z'), [[10, 20], [15, 15], [10, 15], [0, 0], [1, 1], [2, -1]]);
  assert.deepEqual(boundsOf(['M10 20l5-5 -5 0z', 'M0 0l1 1 1-2z']), [0, -1, 15, 20]);
  const london = asset.las.filter((la) => la.code.startsWith('E09'));
  const [x0, y0, x1, y1] = boundsOf(london.map((la) => la.d));
  // Greater London is about 56 km east to west and 45 km north to south, 1 unit about 0.16 km.
  assert.ok(x1 - x0 > 320 && x1 - x0 < 370 && y1 - y0 > 260 && y1 - y0 < 300, `${x1 - x0} x ${y1 - y0}`);
});

test("rows in the engine's rank order, ties by name, the unranked last", () => {
  const rows = ranked([
    { name: 'Alpha', rank: 4 },
    { name: 'Bravo', rank: 1 },
    { name: 'City of London', rank: null },
    { name: 'Delta', rank: 2 },
    { name: 'Charlie', rank: 2 },
  ]);
  assert.deepEqual(rows.map((r) => r.name), ['Bravo', 'Charlie', 'Delta', 'Alpha', 'City of London']);
});

test('the engine ranks every LA once, ties share a rank, and the map table follows it', async () => {
  const engine = await import('./engine.mjs');
  const all = engine.laGradients({ source: 'hood2021', measure: 'referral' });
  assert.equal(all.ranked_count, 149);
  const rankedItems = all.items.filter((it) => it.rank !== null);
  assert.equal(rankedItems.length, 149);
  for (const it of rankedItems) {
    assert.equal(it.rank, 1 + rankedItems.filter((o) => o.estimate > it.estimate).length);
    assert.equal(it.tied, rankedItems.some((o) => o !== it && o.estimate === it.estimate));
    assert.equal(it.rank_shown, it.tied ? `${it.rank}=` : String(it.rank));
  }
  assert.deepEqual(all.items.filter((it) => it.rank === null).map((it) => it.la_name).sort(), ['City of London', 'Isles of Scilly']);
  // Middlesbrough and Knowsley have the same income deprivation, so the same score and rank.
  const [m, k] = ['Middlesbrough', 'Knowsley'].map((n) => all.items.find((it) => it.la_name === n));
  assert.equal(m.rank_shown, k.rank_shown);
  assert.ok(m.tied);
});

test('what a screen reader hears for an area', () => {
  const shown = (value, low = null, high = null) => ({ value, ci_low: low, ci_high: high });
  assert.equal(areaLabel('Blackpool', { shown: shown('1.48', '1.40', '1.57'), rank: 3, rank_shown: '3' }, 149), 'Blackpool: 1.48 (1.40 to 1.57), ranked 3 of 149');
  assert.equal(areaLabel('Rutland', { shown: shown('2.33'), rank: 1, rank_shown: '1', extrapolated: true }, 149), 'Rutland: 2.33, ranked 1 of 149, outside the range the tables print');
  assert.equal(areaLabel('Isles of Scilly', { shown: shown('2.06'), rank: null }, 149), 'Isles of Scilly: 2.06, not ranked (very few children)');
  assert.equal(valueText(undefined), 'no value');
});
