// Extra zeros on the page: a Poisson fit of a file with many zeros, the model check finds more
// zeros than the model expects and offers a refit with zero inflation; the refit shows the
// zero-inflation coefficients as the native command line gives them (and glmmTMB), the
// prediction its expected rate with extra zeros, and the R script its ziformula. An analyst's
// own zero-inflation formula is sent as typed, and a wrong one is named without losing the text.
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { socgradJson } from './cli.js';
import { shots, openFit, dropFile, fit } from './fit-helpers.js';

test.describe.configure({ timeout: 300_000 });

const FILE = 'tests/reference/zi/data/zi_poisson.csv';
const FORMULA = 'count ~ imd_z + ladep + offset(log(pop/10000)) + (1 | la)';
const GOLDEN = 'tests/reference/zi/golden/zi_poisson.zix_ri.poisson.json';

/** The zero-inflation table as rows of cell texts. */
async function ziRows(page) {
  return page.locator('#zi-table tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
}

/** The page's rows equal the command line's zero-inflation coefficients as the page rounds them. */
function expectNative(rows, native) {
  expect(rows.map((r) => r[0])).toEqual(native.map((c) => c.term));
  native.forEach((c, i) => {
    expect(rows[i][1]).toBe(c.estimate.toFixed(4));
    expect(rows[i][2]).toBe(c.std_error.toFixed(4));
    expect(rows[i][3]).toBe(c.irr.toFixed(3));
    expect(rows[i][4]).toBe(`${c.irr_ci_low.toFixed(3)} to ${c.irr_ci_high.toFixed(3)}`);
  });
}

async function openFile(page) {
  await openFit(page);
  await dropFile(page, 'zi_poisson.csv', readFileSync(FILE));
  await expect(page.locator('#fit')).toHaveAttribute('data-file', 'zi_poisson.csv', { timeout: 30_000 });
  await page.fill('#formula', FORMULA);
  await page.check('#family-poisson');
}

test('the check finds extra zeros, the refit with zero inflation equals the command line', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await openFile(page);
  await expect(page.locator('#choice-zi')).not.toBeChecked();
  await expect(page.locator('#zi-formula')).toBeDisabled();
  await fit(page);
  await expect(page.locator('#zi-section')).toHaveCount(0);

  await page.click('#check-button');
  await expect(page.locator('#check-table')).toBeVisible({ timeout: 60_000 });
  await expect(page.locator('#check-table tbody tr').nth(2).locator('.reading')).toContainText('more zero counts than the model expects');
  await expect(page.locator('#check-zi')).toBeVisible();
  await page.locator('#model-check').screenshot({ path: `${shots}/fit-zi-check.png` });

  await page.click('#refit-zi');
  await expect(page.locator('#choice-zi')).toBeChecked();
  await expect(page.locator('#zi-formula')).toHaveValue('~1');
  await expect(page.locator('#fit')).toHaveAttribute('data-fit-state', 'done', { timeout: 120_000 });
  await expect(page.locator('#fit-results')).toHaveAttribute('data-drawn', 'true');
  await expect(page.locator('#model-line')).toContainText('and zero inflation ~1');
  await expect(page.locator('#fit-summary')).toContainText(', zero inflation ~1');

  const native = socgradJson('fit', FILE, '--formula', FORMULA, '--family', 'poisson', '--zi', '~1', '--json');
  expect(native.zi_coefficients).toHaveLength(1);
  const rows = await ziRows(page);
  expectNative(rows, native.zi_coefficients);
  const p0 = 1 / (1 + Math.exp(-native.zi_coefficients[0].estimate));
  await expect(page.locator('#zi-reading')).toContainText(`probability of a structural zero is ${(100 * p0).toFixed(1)}%`);
  await expect(page.locator('#zi-reading')).toContainText('an association, not a cause');
  // The counts model's coefficients too.
  const coef = await page.locator('#coefficients-table tbody tr').evaluateAll((trs) => trs.map((tr) => tr.children[2].textContent));
  expect(coef).toEqual(native.coefficients.map((c) => c.estimate.toFixed(4)));
  // The R script fits the same model.
  await expect(page.locator('#r-script')).toContainText('ziformula = ~1');

  // The prediction: the counts model's rate and the rate with extra zeros, (1 - p) x rate.
  await page.click('#predict-button');
  await expect(page.locator('#prediction-table')).toBeVisible({ timeout: 30_000 });
  const header = await page.locator('#prediction-table thead th').allTextContents();
  expect(header[3]).toBe('Expected rate with extra zeros, (1 − p) × rate');
  const cells = await page.locator('#prediction-table tbody tr').first().locator('td, th').allTextContents();
  const rate = Number(cells[1].split(' ')[0]);
  const expected = Number(cells[3].split(' ')[0]);
  expect(expected / rate).toBeCloseTo(1 - p0, 3);
  await expect(page.locator('#prediction-zi')).toContainText(`p = ${Number(p0.toPrecision(4))}`);
  expect(header[4]).toBe('Expected count, counts model (pop = 348)');
  const counted = Number(cells[4].split(' ')[0]);
  const zeroCounted = Number((await page.locator('#prediction-zi').textContent()).match(/expected count with extra zeros is (\d+(?:\.\d+)?)/)[1]);
  expect(zeroCounted).toBeCloseTo((1 - p0) * counted, 2);

  await page.locator('#prediction').screenshot({ path: `${shots}/fit-zi-prediction.png` });

  // The comparison with a written model keeps the fitted model's zero inflation; the second has none.
  await expect(page.locator('#comparison-zi-note')).toBeVisible();
  await expect(page.locator('#second-zi')).toHaveValue('~1');
  await page.fill('#second-zi', '');
  await page.click('#compare-models-button');
  await expect(page.locator('#second-table')).toBeVisible({ timeout: 60_000 });
  const models = await page.locator('#second-table tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
  expect(models[0][1]).toBe(`${native.formula}, ziformula = ~1`);
  expect(models[0][3]).toBe(native.loglik.toFixed(2));
  expect(models[1][1]).toBe(native.formula);

  await page.locator('#zi-section').screenshot({ path: `${shots}/fit-zi-table.png` });
  await page.locator('#zi-box').screenshot({ path: `${shots}/fit-zi-choice.png` });
  await page.screenshot({ path: `${shots}/fit-zi-1280.png`, fullPage: false });

  // The model in step 3 is the one fitted: taking zero inflation off marks the results stale.
  await page.uncheck('#choice-zi');
  await expect(page.locator('#fit-stale')).toBeVisible();
  await page.check('#choice-zi');
  await expect(page.locator('#fit-stale')).toBeHidden();
});

test('an analyst\'s zero-inflation formula equals the command line and glmmTMB; a wrong one is named, nothing typed is lost', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await openFile(page);
  await page.check('#choice-zi');
  await page.fill('#zi-formula', '~ imd_z + nosuch');
  // The check before fitting names the problem as it is typed, under the box and in the check.
  await expect(page.locator('#zi-error')).toContainText("unknown column 'nosuch'");
  await expect(page.locator('#not-ready')).toContainText('zero-inflation formula');
  await page.click('#fit-button');
  await expect(page.locator('#fit')).toHaveAttribute('data-fit-state', 'error', { timeout: 120_000 });
  await expect(page.locator('#zi-error')).toBeVisible();
  await expect(page.locator('#zi-error')).toContainText('zero-inflation formula');
  await expect(page.locator('#zi-error')).toContainText('nosuch');
  await expect(page.locator('#zi-formula')).toHaveValue('~ imd_z + nosuch');
  await expect(page.locator('#formula')).toHaveValue(FORMULA);
  await page.locator('#zi-box').screenshot({ path: `${shots}/fit-zi-error-390.png` });

  await page.fill('#zi-formula', '~ imd_z');
  await expect(page.locator('#zi-error')).toBeHidden();
  await expect(page.locator('#validation')).toContainText('Ready to fit');
  await fit(page);
  const native = socgradJson('fit', FILE, '--formula', FORMULA, '--family', 'poisson', '--zi', '~ imd_z', '--json');
  const rows = await ziRows(page);
  expectNative(rows, native.zi_coefficients);
  // glmmTMB's zero-inflation estimates of the same model.
  const golden = JSON.parse(readFileSync(GOLDEN, 'utf8'));
  golden.zi.forEach((c, i) => {
    expect(rows[i][0]).toBe(c.name);
    expect(Math.abs(Number(rows[i][1]) - c.estimate)).toBeLessThan(1e-3 * Math.max(1, Math.abs(c.estimate)));
  });
  await expect(page.locator('#r-script')).toContainText('ziformula = ~imd_z');
  await page.locator('#zi-section').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${shots}/fit-zi-390.png` });
});
