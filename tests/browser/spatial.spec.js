// Spatial correlation between neighbourhoods on the page: a file with coordinates offers the
// choice (one without does not), a fit of it explains the field's SD and range in plain words,
// draws the fitted correlation against distance and a map of the field with their tables, and
// passes axe; the national sample offers the choice too, and Stop cancels a spatial fit of it
// keeping the file and the formula. Screenshots at laptop, phone and projector sizes.
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { shots, openFit, loadSample, dropFile, fit, engine } from './fit-helpers.js';
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
  }
  expect(foreignRequests(requests, new URL(page.url()).origin)).toEqual([]);
});

test('the national sample offers the spatial choice, and Stop cancels a spatial fit', async ({ page }) => {
  await openFit(page);
  await page.click('[data-sample=hood2021-england]');
  await expect(page.locator('#fit')).toHaveAttribute('data-file', 'sample-hood2021-england.csv', { timeout: 120_000 });
  await expect(page.locator('#validation .ok')).toBeVisible({ timeout: 120_000 });
  await expect(page.locator('#sample-card')).toContainText('range of 5 km');
  await expect(page.locator('#sample-attribution')).toContainText('Contains OS data');
  await expect(page.locator('#choice-spatial')).toBeVisible();
  await page.check('#choice-spatial');
  await expect(page.locator('#formula')).toHaveValue(/ \+ exp\(pos\(easting, northing\) \+ 0 \| country\)$/);
  await page.locator('#model').screenshot({ path: `${shots}/spatial-choice-national.png` });

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
