// Turns data/england_utla19.geojson (lon/lat, OGL v3.0) into the page's map asset
// www/static/england-las.json: one SVG path per upper-tier local authority in a fixed viewBox.
//
//   node scripts/make-la-map.mjs            # writes www/static/england-las.json
//
// Projection: spherical transverse Mercator on the British National Grid's central meridian (2° W,
// scale 0.9996), which draws England as Ordnance Survey maps do:
//   x = k0 R atanh(cos φ sin Δλ),   y = k0 R (atan(tan φ / cos Δλ) - φ0),   Δλ = λ - λ0.
// The result is scaled so that the map is VIEW_HEIGHT units tall and rounded to whole units; one
// unit is about 0.16 km, a quarter of a pixel when the map is drawn 1000 px tall, fine enough for
// the magnified London inset. Repeated points are dropped after rounding and relative path commands
// keep the file small. Shared borders stay shared: each vertex is rounded once, the same way for
// both neighbours.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const EARTH_RADIUS_KM = 6371.0088;
const K0 = 0.9996012717;
const LON0 = (-2 * Math.PI) / 180;
const LAT0 = (49 * Math.PI) / 180;
export const VIEW_HEIGHT = 4000;
const MARGIN = 40;

export const ATTRIBUTION =
  'Source: Office for National Statistics licensed under the Open Government Licence v3.0. ' +
  'Contains OS data © Crown copyright and database right 2019';

/** Transverse Mercator (sphere) in km east and north of (2° W, 49° N). */
export function project([lon, lat]) {
  const phi = (lat * Math.PI) / 180;
  const dl = (lon * Math.PI) / 180 - LON0;
  const b = Math.cos(phi) * Math.sin(dl);
  const x = K0 * EARTH_RADIUS_KM * Math.atanh(b);
  const y = K0 * EARTH_RADIUS_KM * (Math.atan2(Math.tan(phi), Math.cos(dl)) - LAT0);
  return [x, y];
}

/** The polygons of a GeoJSON geometry as lists of rings. */
function polygonsOf(geometry) {
  if (geometry.type === 'Polygon') return [geometry.coordinates];
  if (geometry.type === 'MultiPolygon') return geometry.coordinates;
  throw new Error(`unexpected geometry type ${geometry.type}`);
}

/** Signed area and centroid of a closed ring of points (shoelace formula). */
function ringMoments(ring) {
  let a = 0;
  let cx = 0;
  let cy = 0;
  for (let i = 0; i < ring.length; i++) {
    const [x0, y0] = ring[i];
    const [x1, y1] = ring[(i + 1) % ring.length];
    const cross = x0 * y1 - x1 * y0;
    a += cross;
    cx += (x0 + x1) * cross;
    cy += (y0 + y1) * cross;
  }
  return { area: a / 2, cx: cx / (3 * a), cy: cy / (3 * a) };
}

/** Rounded rings without repeated points (the closing point too); rings with under 3 points go. */
function roundRing(ring, toView) {
  const out = [];
  for (const p of ring) {
    const [x, y] = toView(project(p)).map(Math.round);
    const last = out[out.length - 1];
    if (!last || last[0] !== x || last[1] !== y) out.push([x, y]);
  }
  while (out.length > 1 && out[0][0] === out[out.length - 1][0] && out[0][1] === out[out.length - 1][1]) {
    out.pop();
  }
  return out.length >= 3 ? out : null;
}

/** `M x y l dx dy ... z` for each ring, numbers separated only where SVG needs it. */
function pathOf(rings) {
  const num = (v, first) => (first || v < 0 ? String(v) : ` ${v}`);
  return rings
    .map((ring) => {
      let d = `M${ring[0][0]}${num(ring[0][1])}l`;
      for (let i = 1; i < ring.length; i++) {
        d += num(ring[i][0] - ring[i - 1][0], i === 1) + num(ring[i][1] - ring[i - 1][1]);
      }
      return `${d}z`;
    })
    .join('');
}

/** The asset: viewBox, attribution and, per LA, its code, name, path and a point inside its largest part. */
export function makeLaMap(geojson) {
  const projected = geojson.features.flatMap((f) =>
    polygonsOf(f.geometry).flatMap((poly) => poly.flatMap((ring) => ring.map(project))),
  );
  const xs = projected.map((p) => p[0]);
  const ys = projected.map((p) => p[1]);
  const [minX, maxX] = [Math.min(...xs), Math.max(...xs)];
  const [minY, maxY] = [Math.min(...ys), Math.max(...ys)];
  const scale = (VIEW_HEIGHT - 2 * MARGIN) / (maxY - minY);
  const width = Math.ceil((maxX - minX) * scale) + 2 * MARGIN;
  const toView = ([x, y]) => [(x - minX) * scale + MARGIN, (maxY - y) * scale + MARGIN];

  const las = geojson.features.map((f) => {
    const { la_code: code, la_name: name } = f.properties;
    const rings = [];
    let largest = null;
    for (const poly of polygonsOf(f.geometry)) {
      const kept = poly.map((ring) => roundRing(ring, toView));
      if (!kept[0]) continue;
      rings.push(...kept.filter(Boolean));
      const m = ringMoments(kept[0]);
      if (!largest || Math.abs(m.area) > Math.abs(largest.area)) largest = m;
    }
    if (!largest) throw new Error(`${code} ${name}: no polygon survives rounding`);
    return { code, name, d: pathOf(rings), c: [Math.round(largest.cx), Math.round(largest.cy)] };
  });
  las.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  return {
    viewBox: [0, 0, width, VIEW_HEIGHT],
    projection: 'Transverse Mercator, central meridian 2° W (as the British National Grid); y grows southwards',
    attribution: ATTRIBUTION,
    las,
  };
}

/** The file's exact text: one LA a line, so that changes read well in a diff. */
export function serialise(map) {
  const { las, ...head } = map;
  const headText = JSON.stringify(head).slice(0, -1);
  return `${headText},"las":[\n${las.map((la) => JSON.stringify(la)).join(',\n')}\n]}\n`;
}

export const GEOJSON_PATH = fileURLToPath(new URL('../data/england_utla19.geojson', import.meta.url));
export const ASSET_PATH = fileURLToPath(new URL('../www/static/england-las.json', import.meta.url));

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const text = serialise(makeLaMap(JSON.parse(readFileSync(GEOJSON_PATH, 'utf8'))));
  writeFileSync(ASSET_PATH, text);
  console.log(`${ASSET_PATH}: ${Buffer.byteLength(text)} bytes`);
}
