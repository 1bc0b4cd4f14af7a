// A bad cell never changes the model: a file with one `inf` in a covariate and one `n/a` in the
// population keeps both columns numeric; the page names the two cells (row, column, value and the
// fix) in the command line's own words, asks whether to treat them as missing or to fix the
// file, and keeps the user's formula and choices either way.
import { test, expect } from '@playwright/test';
import { shots, engine, openFit, dropFile, fit, nativeFit, pageCoefficients, tempDir, writeFile } from './fit-helpers.js';

const FORMULA = 'referrals ~ income_dep + offset(log(children / 10000)) + (1 | la)';

/** The Hood sample's CSV (neighbourhood, la, children, income_dep, referrals), with `edit` per row. */
function hoodCsv(edit = (f) => f) {
  const lines = engine.makeSample('hood2021-referrals').csv.trim().split('\n');
  return [lines[0], ...lines.slice(1).map((l, i) => edit(l.split(','), i).join(','))].join('\n') + '\n';
}

test('one inf in a covariate and one n/a in the population: the same messages as the command line, and the choice', async ({ page }) => {
  // Row 5: income_dep is inf; row 9: children is n/a.
  const csv = hoodCsv((f, i) => (i === 4 ? [f[0], f[1], f[2], 'inf', f[4]] : i === 8 ? [f[0], f[1], 'n/a', f[3], f[4]] : f));
  const path = writeFile(tempDir(), 'bad-cells.csv', csv);
  const native = nativeFit(path, FORMULA, 'poisson');
  const cli = native.warnings.filter((w) => w.code === 'bad_cells').map((w) => w.message);
  expect(cli).toHaveLength(2);
  expect(cli[0]).toContain("Column 'children' holds words for a missing value, such as 'n/a' in row 9 (1 row in all). Leave the cell empty or write NA");
  expect(cli[1]).toContain("Column 'income_dep' holds infinite numbers (R reads them as Inf), such as 'inf' in row 5 (1 row in all).");
  expect(native.nobs).toBe(engine.makeSample('hood2021-referrals').csv.trim().split('\n').length - 3);

  await openFit(page);
  await dropFile(page, 'bad-cells.csv', csv);
  await expect(page.locator('#fit')).toHaveAttribute('data-file', 'bad-cells.csv', { timeout: 30_000 });
  // On loading: both cells named, in the command line's words.
  for (const message of cli) await expect(page.locator('#load-warnings')).toContainText(message);

  // The user's formula; the check names the cells and asks.
  await page.fill('#formula', FORMULA);
  await page.check('#family-poisson');
  const box = page.locator('#bad-cells');
  await expect(box).toBeVisible({ timeout: 30_000 });
  for (const message of cli) await expect(box).toContainText(message);
  await expect(page.locator('#not-ready')).toContainText('Not ready to fit: 2 cells of the model\'s columns are not numbers.');
  await expect(page.locator('#bad-cells-missing')).toBeVisible();
  await expect(page.locator('#bad-cells-fix')).toBeVisible();
  for (const [width, height] of [[1280, 800], [390, 844]]) {
    await page.setViewportSize({ width, height });
    await box.scrollIntoViewIfNeeded();
    await page.locator('#step-model').screenshot({ path: `${shots}/fit-bad-cells-${width}.png` });
  }

  // Fitting before choosing asks again, and changes nothing.
  await page.click('#fit-button');
  await expect(page.locator('#fit-results')).toContainText('treat them as missing, or fix the file');
  await expect(page.locator('#formula')).toHaveValue(FORMULA);

  // Treat them as missing: Ready, and the fit is the command line's, with the same warnings.
  await page.click('#bad-cells-missing');
  await expect(page.locator('#bad-cells-treated')).toBeVisible();
  await expect(page.locator('#validation .ok')).toBeVisible();
  await expect(page.locator('#formula')).toHaveValue(FORMULA);
  await fit(page);
  for (const message of cli) await expect(page.locator('#fit-warnings')).toContainText(message);
  const coefficients = await pageCoefficients(page);
  const est = Object.fromEntries(native.coefficients.map((c) => [c.term, c.estimate]));
  expect(Object.keys(coefficients).sort()).toEqual(Object.keys(est).sort());
  for (const [term, c] of Object.entries(coefficients)) expect(Math.abs(c.estimate - est[term])).toBeLessThan(5e-4);

  // Fix the file: the picker opens; the fixed file keeps the formula and family, with no question.
  const chooser = page.waitForEvent('filechooser');
  await page.click('#bad-cells-fix');
  const fixed = writeFile(tempDir(), 'fixed.csv', hoodCsv());
  await (await chooser).setFiles(fixed);
  await expect(page.locator('#fit')).toHaveAttribute('data-file', 'fixed.csv', { timeout: 30_000 });
  await expect(page.locator('#formula')).toHaveValue(FORMULA);
  await expect(page.locator('#family-poisson')).toBeChecked();
  await expect(page.locator('#validation .ok')).toBeVisible({ timeout: 30_000 });
  await expect(page.locator('#bad-cells')).toHaveCount(0);
  await expect(page.locator('#load-warnings')).toBeHidden();
});

test('a factor with many levels for its rows asks before it is fitted, and fits when confirmed', async ({ page }) => {
  // 'code' has 500 levels for 2,957 rows: fewer than 10 rows a level.
  const csv = hoodCsv((f, i) => [...f, `C${i % 500}`]).replace(/^(.*)\n/, '$1,code\n');
  await openFit(page);
  await dropFile(page, 'codes.csv', csv);
  await expect(page.locator('#fit')).toHaveAttribute('data-file', 'codes.csv', { timeout: 30_000 });
  const formula = 'referrals ~ income_dep + code + offset(log(children / 10000))';
  await page.fill('#formula', formula);
  await expect(page.locator('#not-ready')).toContainText("Not ready to fit: 'code' is a factor with 500 levels for 2957 rows, so the model would estimate 499 coefficients for it", { timeout: 30_000 });
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.locator('#many-levels').scrollIntoViewIfNeeded();
  await page.locator('#validation').screenshot({ path: `${shots}/fit-many-levels-1280x720.png` });
  await page.click('#many-levels');
  await expect(page.locator('#validation .ok')).toBeVisible({ timeout: 30_000 });
  await expect(page.locator('#formula')).toHaveValue(formula);
});
