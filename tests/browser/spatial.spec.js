// Spatial correlation between neighbourhoods on the page: a file with coordinates offers the
// choice (one without does not), a fit of it explains the field's SD and range in plain words,
// draws the fitted correlation against distance and a map of the field at equal scale with their
// tables, and passes axe; Webb et al.'s model on a file without a Gini column is written without
// it, saying so. The national sample (32,844 neighbourhoods) fits the field to the end, with
// progress and a page that answers meanwhile, and its map is one canvas at equal scale; Stop
// cancels a spatial fit keeping the file and the formula. Screenshots at laptop, phone and
// projector sizes.
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { shots, openFit, loadSample, dropFile, fit, engine, expectDrawn } from './fit-helpers.js';
import { axeViolations } from './axe.js';
import { recordRequests, foreignRequests } from './network.js';

test.describe.configure({ timeout: 600_000 });

const read = (name) => new Uint8Array(readFileSync(new URL(`../../data/${name}`, import.meta.url)));

let national = null;

/**
 * The LSOAs of the national sample in the LAs `codes`, with their centroids and the counts the
 * engine simulates, spatial field included, as a CSV file.
 */
function las(codes) {
  national ??= engine.makeEnglandSample(read('england_lsoa11.csv'), read('england_upper_tier_las.csv'), read('england_lsoa11_centroids.csv')).csv.trim().split('\n');
  const kept = national.slice(1).filter((l) => codes.includes(l.split(',')[1]));
  return `${national[0]}\n${kept.join('\n')}\n`;
}

/** Hartlepool and Middlesbrough: 144 LSOAs. */
const teesside = () => las(['E06000001', 'E06000002']);

/**
 * The field's map in `figure` is drawn at equal scale: its plot spans as many km per pixel across
 * as up (the engine's frame, sent with each drawing), and the canvas shows no more than it drew.
 */
async function expectEqualScale(page, figure) {
  const canvas = figure.locator('canvas');
  const frame = await canvas.evaluate((c) => new Promise((resolve) => {
    c.addEventListener('chart:drawn', (e) => resolve(e.detail), { once: true });
    window.dispatchEvent(new Event('resize'));
  }));
  const [left, top, right, bottom] = frame.plot;
  const across = (frame.x[1] - frame.x[0]) / (right - left);
  const up = (frame.y[1] - frame.y[0]) / (bottom - top);
  expect(Math.abs(across / up - 1), JSON.stringify(frame)).toBeLessThan(0.01);
  // The canvas is shown at the shape it was drawn (no stretching by CSS).
  const shape = await canvas.evaluate((c) => [c.width / c.height, c.clientWidth / c.clientHeight]);
  expect(Math.abs(shape[0] / shape[1] - 1)).toBeLessThan(0.01);
  return frame;
}

const SIZES = [
  { name: 'laptop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
  { name: 'projector', width: 1024, height: 768 },
];

test('a file with coordinates fits the spatial model: the field in plain words, its correlation and its map', async ({ page }) => {
  const requests = recordRequests(page);
  await openFit(page);
  // A file without coordinates does not offer the choice.
  await loadSample(page, 'hood2021-referrals');
  await expect(page.locator('#choice-spatial')).toBeHidden();

  const csv = teesside();
  expect(csv.trim().split('\n')).toHaveLength(145);
  await dropFile(page, 'teesside.csv', csv);
  await expect(page.locator('#fit')).toHaveAttribute('data-file', 'teesside.csv');
  await expect(page.locator('#choice-spatial')).toBeVisible();
  await expect(page.locator('#spatial-hint')).toContainText('easting and northing');
  await page.check('#choice-spatial');
  await expect(page.locator('#formula')).toHaveValue(/ \+ \(1 \| la\) \+ exp\(pos\(easting, northing\) \+ 0 \| country\)$/);
  await expect(page.locator('#validation .ok')).toBeVisible({ timeout: 60_000 });
  await fit(page, 300_000);

  const card = page.locator('#spatial-field');
  await expect(card).toBeVisible();
  await expect(card.locator('[data-testid=spatial-headline]')).toHaveText(/^Neighbourhoods [\d.]+ k?m apart share about \d+% of their unexplained variation; at [\d.]+ k?m about (\d+%|less than 1%)\.$/);
  await expect(card).toContainText('The range is');
  await expect(card).toContainText('not a cause');
  // The plain words are the engine's numbers: the first share is 100 exp(-d / range).
  const { headline, shares, range } = await page.evaluate(() => {
    const text = document.querySelector('[data-testid=spatial-headline]').textContent;
    const table = [...document.querySelectorAll('figure[data-chart=spatial_correlation] tbody tr')].map((tr) => [...tr.children].map((c) => c.textContent));
    return { headline: text, shares: table, range: document.querySelector('#spatial-field').textContent.match(/The range is ([\d.]+) (k?m)/) };
  });
  expect(range, headline).not.toBeNull();
  const rangeMetres = Number(range[1]) * (range[2] === 'km' ? 1000 : 1);
  const [, d, unit, pct] = headline.match(/^Neighbourhoods ([\d.]+) (k?m) apart share about (\d+)%/);
  const metres = Number(d) * (unit === 'km' ? 1000 : 1);
  expect(Math.abs(Number(pct) - 100 * Math.exp(-metres / rangeMetres))).toBeLessThan(1.5);
  expect(shares.length).toBeGreaterThan(3);

  // Both charts drawn, each with its table and an accessible description.
  for (const id of ['spatial_correlation', 'spatial_field_map']) {
    const figure = page.locator(`figure[data-chart=${id}]`);
    await expect(figure.locator('canvas')).toBeVisible();
    await expect(figure.locator('canvas')).toHaveAttribute('aria-label', /The same numbers are in the table/);
    expect(await figure.locator('table tbody tr').count()).toBeGreaterThan(3);
  }
  await expect(page.locator('figure[data-chart=spatial_field_map]')).toContainText('highest and the 10 with the lowest field values, of 144');
  expect(await axeViolations(page, '#spatial-field')).toEqual([]);

  for (const size of SIZES) {
    await page.setViewportSize({ width: size.width, height: size.height });
    await page.evaluate(() => document.querySelector('#spatial-field').scrollIntoView());
    await page.waitForTimeout(300);
    await card.screenshot({ path: `${shots}/spatial-field-${size.name}.png` });
    // The map keeps a km east as long as a km north at every size.
    await expectEqualScale(page, page.locator('figure[data-chart=spatial_field_map]'));
  }
  expect(foreignRequests(requests, new URL(page.url()).origin)).toEqual([]);

  // This file has no LA Gini column: Webb et al.'s model with its field is written without it,
  // and the page says what is left out and why.
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.click('[data-preset=webb2020_spatial]');
  await expect(page.locator('#choice-note')).toContainText('"Webb et al. 2020 (with spatial field)" is written without LA income inequality (the Gini coefficient): this file has no "LA Gini coefficient" column (step 2).');
  await expect(page.locator('#choice-problem')).toBeHidden();
  await expect(page.locator('[data-preset=webb2020_spatial]')).toHaveAttribute('aria-pressed', 'true');
  const webb = await page.inputValue('#formula');
  expect(webb).toContain('(1 | la:msoa)');
  expect(webb).toMatch(/exp\(pos\(easting, northing\) \+ 0 \| country\)$/);
  expect(webb).not.toMatch(/gini/i);
  await expect(page.locator('#validation .ok')).toBeVisible({ timeout: 60_000 });
  await page.locator('#model').screenshot({ path: `${shots}/spatial-webb-without-gini.png` });
  // A study's model with nothing missing says nothing of the kind.
  await page.click('[data-preset=hood2021]');
  await expect(page.locator('#choice-note')).toBeHidden();
});

test('the national sample fits the spatial model to the end: progress, a responsive page, the correlation and the map of 32,844 places', async ({ page }) => {
  test.setTimeout(900_000);
  await page.setViewportSize({ width: 1280, height: 800 });
  await openFit(page);
  await page.click('[data-sample=hood2021-england]');
  await expect(page.locator('#fit')).toHaveAttribute('data-file', 'sample-hood2021-england.csv', { timeout: 120_000 });
  await expect(page.locator('#validation .ok')).toBeVisible({ timeout: 120_000 });
  await expect(page.locator('#sample-card')).toContainText('range of 5 km');
  await expect(page.locator('#sample-attribution')).toContainText('Contains OS data');
  await expect(page.locator('#choice-spatial')).toBeVisible();
  await page.check('#choice-spatial');
  await expect(page.locator('#formula')).toHaveValue(/ \+ exp\(pos\(easting, northing\) \+ 0 \| country\)$/);
  await expect(page.locator('#validation .ok')).toBeVisible({ timeout: 120_000 });
  await page.locator('#model').screenshot({ path: `${shots}/spatial-choice-national.png` });

  // The page's own thread while the fit runs in the worker and while its results are shown: its
  // long tasks, and when the engine last reported a step (tasks before that are during the fit,
  // after it the results' display).
  await page.evaluate(() => {
    window.longTasks = [];
    new PerformanceObserver((list) => window.longTasks.push(...list.getEntries().map((e) => [e.startTime, e.duration])))
      .observe({ type: 'longtask' });
    let step = null;
    setInterval(() => {
      const now = document.querySelector('#progress-text')?.textContent.replace(/; [\d.]+ s so far\.$/, '');
      if (now && now !== step) [step, window.lastReport] = [now, performance.now()];
    }, 100);
  });
  await page.click('#fit-button');
  // The progress names the stage, the step and the log-likelihood, and the time keeps counting.
  const progress = page.locator('#progress-text');
  await expect(progress).toHaveText(/fitting the random effects \(Laplace approximation\), step \d+, log-likelihood -[\d,]+\.\d; [\d.]+ s so far\.$/, { timeout: 240_000 });
  const seconds = async () => Number((await progress.textContent()).match(/([\d.]+) s so far/)[1]);
  const before = await seconds();
  await page.waitForTimeout(1500);
  expect(await seconds()).toBeGreaterThan(before);
  await page.locator('#step-results').screenshot({ path: `${shots}/spatial-national-progress.png` });
  // Meanwhile the calculator answers: another section, an LA chosen, its headline.
  await page.click('nav a[href="#main"]');
  await page.locator('#la-picker').fill('Blackpool');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('headline-place')).toHaveText('Blackpool', { timeout: 10_000 });
  await expect(page.locator('#fit')).toHaveAttribute('data-fit-state', 'running');
  await page.click('nav a[href="#fit"]');

  await expect(page.locator('#fit')).not.toHaveAttribute('data-fit-state', 'running', { timeout: 720_000 });
  await expect(page.locator('#fit')).toHaveAttribute('data-fit-state', 'done');
  await expect(page.locator('#fit-results')).toHaveAttribute('data-drawn', 'true');
  const during = await page.evaluate(() => window.longTasks.filter(([start]) => start < window.lastReport).map(([, d]) => d));
  expect(Math.max(0, ...during)).toBeLessThan(1000);
  // Then the results taken in and shown, the map of 32,844 places drawn: no task of a second either.
  const shown = await page.evaluate(() => window.longTasks.filter(([start]) => start >= window.lastReport).map(([, d]) => d));
  expect(Math.max(0, ...shown)).toBeLessThan(1000);
  // The field's 32,844 places are levels a prediction can be asked at: the level choice lists
  // them when it is first used, not with the results.
  const levels = page.locator('#predict-level option');
  expect(await levels.count()).toBeLessThan(1000);
  await page.locator('#predict-level').dispatchEvent('focus');
  expect(await levels.count()).toBeGreaterThan(32844);

  // The field as simulated (sd 0.3, range 5 km) in plain words, its correlation and its map.
  const card = page.locator('#spatial-field');
  await expect(card.locator('[data-testid=spatial-headline]')).toHaveText(/^Neighbourhoods [\d.]+ k?m apart share about \d+% of their unexplained variation/);
  const range = Number((await card.textContent()).match(/The range is ([\d.]+) km/)[1]);
  expect(range).toBeGreaterThan(3);
  expect(range).toBeLessThan(8);
  for (const id of ['spatial_correlation', 'spatial_field_map']) await expectDrawn(page, '#spatial-field', id);
  const map = page.locator('figure[data-chart=spatial_field_map]');
  await expect(map).toContainText('highest and the 10 with the lowest field values, of 32,844');
  await expect(map.locator('canvas')).toHaveAttribute('aria-label', /Map-like scatter of 32,844 places/);
  // One canvas, not 32,844 elements.
  expect(await map.locator('*').count()).toBeLessThan(200);
  // England at equal scale: a km east as long as a km north.
  await expectEqualScale(page, map);
  // Drawn again on a resize, fast.
  const redraw = await map.locator('canvas').evaluate((canvas) => new Promise((resolve) => {
    const t = performance.now();
    canvas.addEventListener('chart:drawn', () => resolve(performance.now() - t), { once: true });
    window.dispatchEvent(new Event('resize'));
  }));
  expect(redraw).toBeLessThan(5000);
  await map.scrollIntoViewIfNeeded();
  await map.screenshot({ path: `${shots}/spatial-national-map-laptop.png` });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(500);
  await expectEqualScale(page, map);
  await map.scrollIntoViewIfNeeded();
  await map.screenshot({ path: `${shots}/spatial-national-map-phone.png` });
});

test('Stop cancels a spatial fit, keeping the file and the formula', async ({ page }) => {
  await openFit(page);
  // Six North East LAs (741 LSOAs): a field fitted exactly, long enough to stop.
  await dropFile(page, 'north-east.csv', las(['E06000001', 'E06000002', 'E06000003', 'E06000004', 'E06000005', 'E06000047']));
  await expect(page.locator('#fit')).toHaveAttribute('data-file', 'north-east.csv');
  await page.check('#choice-spatial');
  await expect(page.locator('#validation .ok')).toBeVisible({ timeout: 120_000 });
  const formula = await page.inputValue('#formula');
  expect(formula).toMatch(/exp\(pos\(easting, northing\) \+ 0 \| country\)$/);
  await page.click('#fit-button');
  await expect(page.locator('#progress-text')).toContainText('step', { timeout: 120_000 });
  await page.click('#cancel-fit');
  await expect(page.locator('#fit')).toHaveAttribute('data-fit-state', 'cancelled');
  await expect(page.locator('#fit-message')).toContainText('The fit was cancelled');
  await expect(page.locator('#formula')).toHaveValue(formula);
  await expect(page.locator('#choice-spatial')).toBeChecked();
});
