// "Check the model" in a real browser: after a fit, the residual tests with their readings and
// the QQ and residual-against-fitted charts, computed in the worker; with coordinates in the
// file, Moran's I of the residuals too, with the same numbers as the native command line.
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { socgradJson } from './cli.js';
import { shots, openFit, loadSample, dropFile, fit, expectDrawn } from './fit-helpers.js';

test.describe.configure({ timeout: 300_000 });

const POINTS = 'tests/reference/diagnostics/poisson_points.csv';
const FORMULA = 'count ~ x + offset(log(pop/1000))';

/** Clicks "Check the model" and waits for the tests and charts. */
async function checkModel(page) {
  await page.click('#check-button');
  await expect(page.locator('#check-table')).toBeVisible({ timeout: 60_000 });
  await expect(page.locator('#fit-results')).toHaveAttribute('data-drawn', 'true');
}

/** The test table as rows of cell texts. */
async function checkRows(page) {
  return page.locator('#check-table tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
}

test('fit a sample, open "Check the model": the tests, their readings and the two charts', async ({ page }) => {
  await openFit(page);
  await loadSample(page, 'hood2021-referrals');
  await fit(page);
  await expect(page.locator('#model-check h4')).toHaveText('Check the model');
  await checkModel(page);
  await expect(page.locator('#check-summary')).toContainText('250 data sets simulated from the fitted model, conditional on the estimated random effects');
  const rows = await checkRows(page);
  expect(rows.map((r) => r[0])).toEqual(['Uniformity of the residuals (Kolmogorov-Smirnov)', 'Dispersion', 'Zero inflation']);
  for (const r of rows) {
    expect(r[2]).toMatch(/^(< 0\.001|[01]\.\d{3})$/);
    expect(r[3]).toMatch(/^(The|There) .+\.$/);
  }
  // The sample has no coordinates: the page says so instead of a spatial test.
  await expect(page.locator('#check-spatial-note')).toContainText('No coordinate columns');
  await expectDrawn(page, '#check-out', 'qq');
  await expectDrawn(page, '#check-out', 'residuals_fitted');
  await page.locator('#model-check').screenshot({ path: `${shots}/fit-check.png` });
});

test('a file with easting and northing: Moran\'s I, and every number as the native command line gives it', async ({ page }) => {
  await openFit(page);
  await dropFile(page, 'points.csv', readFileSync(POINTS));
  await expect(page.locator('#fit')).toHaveAttribute('data-file', 'points.csv', { timeout: 30_000 });
  await page.fill('#formula', FORMULA);
  await page.check('#family-poisson');
  await fit(page);
  await checkModel(page);
  const rows = await checkRows(page);
  expect(rows).toHaveLength(4);
  expect(rows[3][0]).toBe("Spatial autocorrelation (Moran's I, 8 nearest neighbours by easting, northing)");
  await expect(page.locator('#check-spatial-note')).toHaveCount(0);

  const c = socgradJson('fit', POINTS, '--formula', FORMULA, '--family', 'poisson', '--check', '--json').check;
  const p = (x) => (x < 0.001 ? '< 0.001' : x.toFixed(3));
  expect(rows[0].slice(1)).toEqual([`D = ${c.uniformity.statistic.toFixed(3)}`, p(c.uniformity.p_value), c.uniformity.reading]);
  expect(rows[1].slice(1)).toEqual([`ratio ${c.dispersion.ratio.toFixed(2)}`, p(c.dispersion.p_value), c.dispersion.reading]);
  expect(rows[2].slice(1)).toEqual([`${c.zero_inflation.observed} zeros, ${c.zero_inflation.simulated_mean.toFixed(1)} expected`,
    p(c.zero_inflation.p_value), c.zero_inflation.reading]);
  expect(rows[3].slice(1)).toEqual([`I = ${c.spatial.observed.toFixed(3)}`, p(c.spatial.p_value), c.spatial.reading]);
  await expectDrawn(page, '#check-out', 'qq');
  await expectDrawn(page, '#check-out', 'residuals_fitted');
});
