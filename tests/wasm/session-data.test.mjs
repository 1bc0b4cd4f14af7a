// A session's data handed from one worker to another (`exportData` -> `Session.fromData`): the
// page's fitting worker is given the data the quick worker read, not the file. The session made
// from it must be the same session: the same overview, bad cells, derived columns and delimiter,
// the same check and, to the bit, the same fit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as engine from './engine.mjs';

const LA12 = readFileSync(new URL('../report_support/la12.csv', import.meta.url));
const FORMULA = 'count ~ imd_z * la_imd + offset(log(pop/10000)) + (1 + imd_z | la)';
const bytes = (text) => new TextEncoder().encode(text);

/** A deterministic generator for the randomised files below. */
function generator(seed) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

/** The session made from `s`'s exported data, after structured cloning (as a message does). */
function moved(s) {
  const data = s.exportData();
  for (const c of data.columns) {
    assert.ok(c.values instanceof Float64Array
      || (c.codes instanceof Uint32Array && c.text instanceof Uint8Array && c.ends instanceof Uint32Array));
  }
  return engine.Session.fromData(structuredClone(data));
}

test('a fit on the moved data is the fit on the file, to the bit, derived column and R script included', () => {
  const a = new engine.Session(LA12);
  a.derive({ value: 'imd_z', weight: 'pop', group: 'la', name: 'la_imd_derived' });
  const b = moved(a);
  assert.deepEqual(b.overview(8), a.overview(8));
  const formula = `${FORMULA} + la_imd_derived`;
  const request = { formula, family: 'nbinom2' };
  assert.deepEqual(b.readiness(request), a.readiness(request));
  const fa = a.fit({ fit: request }, () => {});
  const fb = b.fit({ fit: request }, () => {});
  assert.deepEqual(fb, fa);
  assert.ok(Number.isFinite(fa.report.loglik));
  // The derivation travels with the data: the R script of each fit makes the column again.
  const script = b.rScript({ file_name: 'la12.csv' });
  assert.equal(script, a.rScript({ file_name: 'la12.csv' }));
  assert.match(script, /la_imd_derived/);
  a.free();
  b.free();
});

test('bad cells, missing text, a semicolon file with decimal commas and randomised files move unchanged', () => {
  const files = [
    'la;children;dep;referrals\nA;100;10,5;3\nB;120;n/a;5\n;90;15,25;4\nB;80;30;x\n',
    'la,children,dep,referrals\nA,100,1 000,3\nB,120,12%,5\nA,90,15,\nC,,30,6\n',
  ];
  const rand = generator(11);
  for (let k = 0; k < 6; k++) {
    const rows = [];
    for (let i = 0; i < 50 + Math.floor(rand() * 200); i++) {
      const cell = () => (rand() < 0.05 ? ['', 'NA', 'five', '"1,234"'][Math.floor(rand() * 4)] : (rand() * 100).toFixed(2));
      rows.push([`LA${Math.floor(rand() * 9)}`, cell(), cell(), Math.floor(rand() * 20), rand() < 0.1 ? '' : `m${i % 7}`].join(','));
    }
    files.push(`la,pop,dep,count,msoa\n${rows.join('\n')}\n`);
  }
  for (const text of files) {
    const a = new engine.Session(bytes(text));
    const b = moved(a);
    assert.deepEqual(b.overview(1000), a.overview(1000), text.slice(0, 40));
    assert.equal(b.rScript({ file_name: 'f.csv', formula: 'referrals ~ dep', family: 'poisson' }),
      a.rScript({ file_name: 'f.csv', formula: 'referrals ~ dep', family: 'poisson' }));
    a.free();
    b.free();
  }
});

test('data that is not a session\'s is refused with a message, not a crash', () => {
  const a = new engine.Session(LA12);
  const data = a.exportData();
  assert.throws(() => engine.Session.fromData({ ...data, columns: data.columns.slice(1) }), /one column per name/);
  const text = (codes, labels, ends) => ({ names: ['la'], columns: [{ codes: new Uint32Array(codes), text: bytes(labels), ends: new Uint32Array(ends) }], derived: [], delimiter: data.delimiter, bad_cells: [] });
  assert.throws(() => engine.Session.fromData(text([0, 5], 'A', [1])), /a text code without a label/);
  assert.throws(() => engine.Session.fromData(text([0, 1], 'AA', [1, 2])), /the label 'A' is given twice/);
  assert.throws(() => engine.Session.fromData(text([0], 'A', [3])), /outside the text/);
  assert.throws(() => engine.Session.fromData(text([0, 1], 'ÅB', [1, 3])), /outside the text/);
  assert.throws(() => engine.Session.fromData({ ...text([0], 'A', [1]), columns: [{ codes: new Uint32Array([0]), labels: ['A'] }] }), /invalid session data: text/);
  assert.throws(() => engine.Session.fromData({ names: ['x', 'x'], columns: [{ values: new Float64Array(1) }, { values: new Float64Array(1) }], derived: [], delimiter: data.delimiter, bad_cells: [] }), /x/);
  assert.throws(() => engine.Session.fromData(null));
  a.free();
});

test('many distinct labels, spelled in any script, move as three buffers and come back the same', () => {
  const rand = generator(5);
  const names = ['Ynys Môn', 'Ceredigion', '東京', 'Ålesund', 'Kraków', '😀 town', 'a,b'];
  const rows = [];
  for (let i = 0; i < 20000; i++) {
    const place = rand() < 0.02 ? '' : `"${names[Math.floor(rand() * names.length)]}"`;
    rows.push(`E${String(i).padStart(8, '0')},${place},${Math.floor(rand() * 30)},${(100 + rand() * 500).toFixed(0)}`);
  }
  const a = new engine.Session(bytes(`lsoa,la,count,pop\n${rows.join('\n')}\n`));
  const data = a.exportData();
  const la = data.columns[1];
  const labels = [...la.ends].map((end, k) => new TextDecoder().decode(la.text.subarray(k ? la.ends[k - 1] : 0, end)));
  assert.deepEqual([...labels].sort(), [...names].sort());
  assert.equal(data.columns[0].ends.length, 20000);
  const b = engine.Session.fromData(structuredClone(data));
  assert.deepEqual(b.overview(50), a.overview(50));
  const request = { formula: 'count ~ offset(log(pop)) + (1 | la)', family: 'poisson' };
  assert.deepEqual(b.fit({ fit: request }, () => {}), a.fit({ fit: request }, () => {}));
  a.free();
  b.free();
});
