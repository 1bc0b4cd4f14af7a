// What you fit is what you see: one model state (formula, family, options) drives the presets,
// the choice controls, the formula editor, the "Ready" check, the fit and the results header;
// "Ready" means the fit can run; implausible values and thousands separators are explained
// before fitting, naming row and column.
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { shots, engine, openFit, loadSample, dropFile, fit, nativeFit, pageCoefficients, tempDir, writeFile } from './fit-helpers.js';

const HOOD_FAMILY = 'poisson';

/** The Hood sample's CSV (columns neighbourhood, la, children, income_dep, referrals). */
function hoodCsv(edit = (f, i) => f) {
  const lines = engine.makeSample('hood2021-referrals').csv.trim().split('\n');
  return [lines[0], ...lines.slice(1).map((l, i) => edit(l.split(','), i).join(','))].join('\n') + '\n';
}

test('a preset whose columns are missing says which and changes nothing', async ({ page }) => {
  await openFit(page);
  await loadSample(page, 'hood2021-referrals');
  const before = await page.locator('#formula').inputValue();
  await expect(page.locator(`#family-${HOOD_FAMILY}`)).toBeChecked();

  // The Hood sample has no Gini or MSOA column: the Webb preset cannot write its formula.
  await page.click('[data-preset=webb2020]');
  await expect(page.locator('#choice-problem')).toBeVisible();
  await expect(page.locator('#choice-problem')).toContainText('cannot be used with this file');
  await expect(page.locator('#choice-problem')).toContainText(/Gini|inequality/);
  await expect(page.locator('#choice-problem')).toContainText('The model is unchanged.');
  // Nothing moved: formula, family, preset buttons.
  await expect(page.locator('#formula')).toHaveValue(before);
  await expect(page.locator(`#family-${HOOD_FAMILY}`)).toBeChecked();
  await expect(page.locator('#family-nbinom1')).not.toBeChecked();
  await expect(page.locator('[data-preset=webb2020]')).toHaveAttribute('aria-pressed', 'false');
  await expect(page.locator('[data-preset=hood2021]')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator('#model-line')).toContainText('Fit will use: Poisson');
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.locator('#step-model').screenshot({ path: `${shots}/fit-state-preset-missing-1280.png` });

  // The fit is the model shown: Poisson with the Hood formula.
  await fit(page);
  await expect(page.locator('#fit-summary')).toContainText('Poisson model fitted');
  await expect(page.locator('#fit-summary')).toHaveAttribute('data-family', 'poisson');
  await expect(page.locator('#fit-summary code')).toContainText('within(income_dep/10, la)');
});

test('after editing the formula the family buttons set the family only, and the fit uses both', async ({ page }) => {
  await openFit(page);
  await loadSample(page, 'hood2021-referrals');
  const edited = 'referrals ~ within(income_dep / 10, la) + offset(log(children / 10000)) + (1 | la)';
  await page.fill('#formula', edited);
  await expect(page.locator('#formula-edited')).toBeVisible();
  await expect(page.locator('#formula-edited')).toContainText('the distribution of the outcome still applies');
  // The controls that wrote the formula are switched off; the family is not.
  await expect(page.locator('#choice-la_intercept')).toBeDisabled();
  await expect(page.locator('#choice-centring')).toBeDisabled();
  await expect(page.locator('#family-nbinom2')).toBeEnabled();

  await page.check('#family-nbinom2');
  await expect(page.locator('#formula')).toHaveValue(edited);
  await expect(page.locator('#model-line')).toContainText('Fit will use: Negative binomial, quadratic variance (NB2)');
  await expect(page.locator('#validation .ok')).toBeVisible();
  await fit(page);
  await expect(page.locator('#fit-summary')).toContainText('Negative binomial (NB2) model fitted');
  await expect(page.locator('#fit-summary code')).toHaveText('referrals ~ within(income_dep/10, la) + offset(log(children/10000)) + (1 | la)');

  // Changing the model after the fit marks the results as another model's.
  await expect(page.locator('#fit-stale')).toBeHidden();
  await page.check('#family-poisson');
  await expect(page.locator('#fit-stale')).toBeVisible();
  await page.check('#family-nbinom2');
  await expect(page.locator('#fit-stale')).toBeHidden();

  // Writing the formula from the choices again switches them back on.
  await page.click('#rewrite');
  await expect(page.locator('#formula-edited')).toBeHidden();
  await expect(page.locator('#choice-la_intercept')).toBeEnabled();
});

/** The first `las` LAs of the real LA-by-year panel (tests/reference/crossed), rows with a count. */
function laYearCsv(las) {
  const lines = readFileSync('tests/reference/crossed/data/la_panel.csv', 'utf8').trim().split('\n');
  const header = lines[0].split(',');
  const [la, count, pop] = ['la_code', 'cla_at31', 'children_0_17'].map((c) => header.indexOf(c));
  const kept = [...new Set(lines.slice(1).map((l) => l.split(',')[la]))].slice(0, las);
  const rows = lines.slice(1).map((l) => l.split(',')).filter((r) => kept.includes(r[la]) && r[count] !== '' && r[pop] !== '');
  return [lines[0], ...rows.map((r) => r.join(','))].join('\n') + '\n';
}

test('crossed LA and year effects are Ready and fitted, shown in the random-effects table as the native fit', async ({ page }) => {
  await openFit(page);
  const csv = laYearCsv(24);
  await dropFile(page, 'la-years.csv', csv);
  await expect(page.locator('#fit')).toHaveAttribute('data-file', 'la-years.csv', { timeout: 30_000 });
  const formula = 'cla_at31 ~ imd2019 + offset(log(children_0_17)) + (1 | la_code) + (1 | year)';
  await page.fill('#formula', formula);
  await page.check('#family-nbinom2');
  await expect(page.locator('#validation .ok')).toBeVisible({ timeout: 30_000 });
  await expect(page.locator('#not-ready')).toBeHidden();
  await fit(page);
  await expect(page.locator('#fit-summary')).toContainText('Negative binomial (NB2) model fitted');
  const native = nativeFit(writeFile(tempDir(), 'la-years.csv', csv), formula, 'nbinom2');
  const shown = await pageCoefficients(page);
  for (const c of native.coefficients) {
    expect(Math.abs(shown[c.term].estimate - c.estimate), c.term).toBeLessThanOrEqual(0.00005 + 1e-9);
  }
  // One row per grouping factor, each with the native SD.
  const rows = await page.locator('#random-table tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
  expect(rows.map((r) => r[0])).toEqual(['la_code', 'year']);
  for (const [k, re] of native.random_effects.entries()) {
    expect(Math.abs(Number(rows[k][2]) - re.sd), re.group).toBeLessThanOrEqual(0.0005 + 1e-9);
  }
  for (const [width, height] of [[1280, 800], [390, 844]]) {
    await page.setViewportSize({ width, height });
    await page.locator('#random-table').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${shots}/fit-crossed-${width}.png` });
  }
});

test('implausible values and thousands separators are explained, naming row and column', async ({ page }) => {
  await openFit(page);
  // Row 7 has a child population of 1e308; row 12 more referrals than children.
  const csv = hoodCsv((f, i) => (i === 6 ? [f[0], f[1], '1e308', f[3], f[4]] : i === 11 ? [f[0], f[1], '5', f[3], '9'] : f));
  await dropFile(page, 'odd-values.csv', csv);
  await expect(page.locator('#validation .ok')).toBeVisible({ timeout: 30_000 });
  const warnings = page.locator('#value-warnings');
  await expect(warnings.locator('li[data-column=children]')).toContainText("Column 'children' (the exposure of the offset) holds implausibly large values (row 7: children is 1e308)");
  await expect(warnings.locator('li[data-column=referrals]')).toContainText("Column 'referrals' has more counted than the population they come from (row 12: referrals is 9 but children is 5)");
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.locator('#step-model').screenshot({ path: `${shots}/fit-state-implausible-1280.png` });
  // The fit runs, and its results repeat the warning: the estimates may be distorted.
  await fit(page);
  await expect(page.locator('#fit-value-warnings')).toContainText('the estimates may be distorted');
  await expect(page.locator('#fit-value-warnings')).toContainText('row 7: children is 1e308');

  // "1,234" in two columns: each is explained as a thousands separator.
  const quoted = hoodCsv((f, i) => (i === 2 ? [f[0], f[1], '"1,234"', f[3], '"1,001"'] : f));
  await dropFile(page, 'separators.csv', quoted);
  const load = page.locator('#load-warnings');
  await expect(load).toContainText("Column 'children' holds numbers written with a thousands separator, such as '1,234' in row 3 (1 row in all).");
  await expect(load).toContainText("Column 'referrals' holds numbers written with a thousands separator, such as '1,001' in row 3 (1 row in all).");
  await expect(load).toContainText('Save the file with plain numbers (1234, not 1,234)');
});
