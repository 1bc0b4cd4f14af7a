// The map asset www/static/england-las.json: made reproducibly from the boundaries, one area per LA
// in the LA table, every vertex where the projection puts it, inside the viewBox.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ASSET_PATH, GEOJSON_PATH, makeLaMap, project, serialise } from '../../scripts/make-la-map.mjs';

const geojson = JSON.parse(readFileSync(GEOJSON_PATH, 'utf8'));
const committed = readFileSync(ASSET_PATH, 'utf8');
const asset = JSON.parse(committed);
const laTable = readFileSync(new URL('../../data/england_upper_tier_las.csv', import.meta.url), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => [...line.matchAll(/(?:^|,)("(?:[^"]|"")*"|[^,]*)/g)].map((m) => m[1].replace(/^"|"$/g, '')));

/** Absolute points of each ring of an `M x y l dx dy ... z` path. */
function ringsOf(d) {
  return [...d.matchAll(/M(-?\d+) ?(-?\d+)l([^z]*)z/g)].map(([, x0, y0, rest]) => {
    const steps = rest.match(/-?\d+/g).map(Number);
    const ring = [[Number(x0), Number(y0)]];
    for (let i = 0; i < steps.length; i += 2) {
      const [x, y] = ring[ring.length - 1];
      ring.push([x + steps[i], y + steps[i + 1]]);
    }
    return ring;
  });
}

test('regenerating the asset from the boundaries gives the committed file byte for byte', () => {
  assert.equal(serialise(makeLaMap(geojson)), committed);
});

test('151 unique codes and names, the same as the LA table', () => {
  const codes = asset.las.map((la) => la.code);
  assert.equal(codes.length, 151);
  assert.equal(new Set(codes).size, 151);
  const table = new Map(laTable.map((row) => [row[0], row[1]]));
  assert.deepEqual([...codes].sort(), [...table.keys()].sort());
  for (const la of asset.las) assert.equal(la.name, table.get(la.code), la.code);
  assert.match(asset.attribution, /Open Government Licence v3\.0/);
});

test('every area is a closed path with at least 3 points per ring, inside the viewBox', () => {
  const [x0, y0, w, h] = asset.viewBox;
  assert.deepEqual([x0, y0, h], [0, 0, 4000]);
  // England is about 570 km east to west (Scilly to Lowestoft) and 650 km north to south.
  assert.ok(w / h > 0.84 && w / h < 0.9, `aspect ${w / h}`);
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  for (const la of asset.las) {
    const rings = ringsOf(la.d);
    assert.ok(rings.length >= 1, la.code);
    assert.equal(rings.map((r) => r.length - 1).reduce((a, b) => a + b), la.d.match(/-?\d+/g).length / 2 - rings.length);
    for (const ring of rings) {
      assert.ok(ring.length >= 3, `${la.code} ring of ${ring.length}`);
      for (const [x, y] of ring) {
        minX = Math.min(minX, x);
        maxX = Math.max(maxX, x);
        minY = Math.min(minY, y);
        maxY = Math.max(maxY, y);
      }
    }
    const [cx, cy] = la.c;
    assert.ok(cx > 0 && cx < w && cy > 0 && cy < h, `${la.code} label point ${la.c}`);
  }
  // The margin is 40 units on every side.
  assert.deepEqual([minX, minY, maxY], [40, 40, 3960]);
  assert.ok(maxX >= w - 41 && maxX <= w - 40, `east edge ${maxX} of ${w}`);
});

test('randomly chosen boundary vertices sit where the projection puts them', () => {
  // The affine map from projected km to the viewBox, from two far-apart vertices.
  const byCode = new Map(asset.las.map((la) => [la.code, ringsOf(la.d)]));
  const features = geojson.features;
  const all = features.flatMap((f) =>
    (f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates).flatMap((poly) =>
      poly.flatMap((ring) => ring.map((p) => ({ code: f.properties.la_code, p, km: project(p) }))),
    ),
  );
  const kmX = all.map((v) => v.km[0]);
  const kmY = all.map((v) => v.km[1]);
  const scale = (4000 - 80) / (Math.max(...kmY) - Math.min(...kmY));
  const toView = ([x, y]) => [(x - Math.min(...kmX)) * scale + 40, (Math.max(...kmY) - y) * scale + 40];
  let seed = 20260;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let k = 0; k < 300; k++) {
    const v = all[Math.floor(random() * all.length)];
    const [x, y] = toView(v.km).map(Math.round);
    const found = byCode.get(v.code).some((ring) => ring.some(([rx, ry]) => rx === x && ry === y));
    assert.ok(found, `${v.code} vertex ${v.p} -> ${x},${y}`);
  }
});

test('places are where they are in England', () => {
  const at = Object.fromEntries(asset.las.map((la) => [la.name, la.c]));
  // North is up, east is right.
  assert.ok(at.Northumberland[1] < at.Cornwall[1] && at.Northumberland[1] < at.Kent[1]);
  assert.ok(at.Cornwall[0] < at.Devon[0] && at.Devon[0] < at.Kent[0] && at.Norfolk[0] > at.Lancashire[0]);
  // The 33 London boroughs are packed within about 60 km (about 370 units).
  const london = asset.las.filter((la) => la.code.startsWith('E09'));
  assert.equal(london.length, 33);
  const xs = london.map((la) => la.c[0]);
  const ys = london.map((la) => la.c[1]);
  assert.ok(Math.max(...xs) - Math.min(...xs) < 370 && Math.max(...ys) - Math.min(...ys) < 370);
  // The Isles of Scilly are the westernmost area.
  assert.equal(asset.las.reduce((a, b) => (a.c[0] < b.c[0] ? a : b)).name, 'Isles of Scilly');
});
