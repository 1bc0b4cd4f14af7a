// Shared steps of the fitting workflow's browser tests: opening the page, loading files and
// samples, fitting, and the native command line's fit of the same file for comparison.
import { expect } from '@playwright/test';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as engine from '../wasm/engine.mjs';
import { socgradJson } from './cli.js';

export const shots = 'tests/browser/screenshots';
mkdirSync(shots, { recursive: true });

export { engine };

const tempDirs = [];
process.on('exit', () => tempDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A fresh temporary folder for generated files, removed when the test process ends. */
export function tempDir() {
  const dir = mkdtempSync(join(tmpdir(), 'socgrad-fit-'));
  tempDirs.push(dir);
  return dir;
}

export async function openFit(page) {
  await page.goto('/#fit');
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  await expect(page.locator('#fit')).toHaveAttribute('data-ready', 'true', { timeout: 30_000 });
}

/** Clicks a sample button and waits until its formula has been checked against the data. */
export async function loadSample(page, id) {
  await page.click(`[data-sample=${id}]`);
  await expect(page.locator('#fit')).toHaveAttribute('data-file', `sample-${id}.csv`, { timeout: 30_000 });
  await expect(page.locator('#validation .ok')).toBeVisible({ timeout: 30_000 });
}

/** Drops a file on the drop zone, as a user dragging it from their desktop. */
export async function dropFile(page, name, content, type = 'text/csv') {
  const base64 = Buffer.from(content).toString('base64');
  const dataTransfer = await page.evaluateHandle(({ name, base64, type }) => {
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const dt = new DataTransfer();
    dt.items.add(new File([bytes], name, { type }));
    return dt;
  }, { name, base64, type });
  for (const event of ['dragenter', 'dragover', 'drop']) {
    await page.dispatchEvent('#dropzone', event, { dataTransfer });
  }
}

/** Chooses a file on disk with the file picker. */
export async function chooseFile(page, path) {
  await page.setInputFiles('#file-input', path);
}

/** Clicks "Fit the model" and waits for the results (or a failure) to be shown. */
export async function fit(page, timeout = 120_000) {
  await page.click('#fit-button');
  await expect(page.locator('#fit')).not.toHaveAttribute('data-fit-state', 'running', { timeout });
  await expect(page.locator('#fit')).toHaveAttribute('data-fit-state', 'done');
  await expect(page.locator('#fit-results')).toHaveAttribute('data-drawn', 'true');
}

/** The coefficient table as {term: {estimate, se, irr}} from the page's cells. */
export async function pageCoefficients(page) {
  const rows = await page.locator('#coefficients-table tbody tr').evaluateAll((trs) =>
    trs.map((tr) => [...tr.children].map((c) => c.textContent)));
  return Object.fromEntries(rows.map((r) => [r[0], { estimate: Number(r[2]), se: Number(r[3]), irr: Number(r[4]) }]));
}

/** The native command line's fit of a file: `socgrad fit FILE --formula F --family X --json`. */
export function nativeFit(file, formula, family) {
  return socgradJson('fit', file, '--formula', formula, '--family', family, '--json');
}

/**
 * A CSV with the LA-level column the page derives appended: the population-weighted mean of
 * `value` in each `group`, computed here independently of the engine.
 */
export function withDerivedColumn(csv, { value, weight, group, name }) {
  const lines = csv.trim().split('\n');
  const header = lines[0].split(',');
  const [v, w, g] = [value, weight, group].map((c) => header.indexOf(c));
  const rows = lines.slice(1).map((l) => l.split(','));
  const sums = new Map();
  for (const r of rows) {
    const s = sums.get(r[g]) || [0, 0];
    s[0] += Number(r[w]) * Number(r[v]);
    s[1] += Number(r[w]);
    sums.set(r[g], s);
  }
  const out = [[...header, name].join(',')];
  for (const r of rows) {
    const [num, den] = sums.get(r[g]);
    out.push([...r, String(num / den)].join(','));
  }
  return out.join('\n') + '\n';
}

/** Writes `content` to `name` in `dir` and returns the path. */
export function writeFile(dir, name, content) {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** Chart `id` inside `panel` (a selector) is drawn: its canvas has pixels that are not background. */
export async function expectDrawn(page, panel, id) {
  const canvas = page.locator(`${panel} figure[data-chart=${id}] canvas`);
  await expect(canvas).toBeVisible();
  const inked = await canvas.evaluate((c) => {
    const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i] < 200 || data[i + 1] < 200 || data[i + 2] < 200) n += 1;
    return n;
  });
  expect(inked).toBeGreaterThan(1000);
}
