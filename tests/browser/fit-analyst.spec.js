// The checks an analyst runs before trusting a model, on the page, against the native command
// line on the same file: profile-likelihood intervals (one click, beside Wald), predictions at
// chosen values for the population average and one LA, and a second model the user writes
// compared with the fitted one.
import { test, expect } from '@playwright/test';
import { socgradJson } from './cli.js';
import { shots, engine, tempDir, openFit, loadSample, fit, writeFile } from './fit-helpers.js';

test.describe.configure({ timeout: 240_000 });

const FORMULA = 'referrals ~ within(income_dep / 10, la) + offset(log(children / 10000)) + (1 | la)';
const TERM = 'within(income_dep/10, la)';

/** The native command line's JSON for `args` (after the subcommand and file). */
function cli(...args) {
  return socgradJson(...args);
}

function sampleFile() {
  return writeFile(tempDir(), 'hood.csv', engine.makeSample('hood2021-referrals').csv);
}

/** Loads the Hood sample, types the formula, chooses NB2 and fits. */
async function fitNb2(page) {
  await openFit(page);
  await loadSample(page, 'hood2021-referrals');
  await page.fill('#formula', FORMULA);
  await page.check('#family-nbinom2');
  await expect(page.locator('#validation .ok')).toBeVisible();
  await fit(page);
}

/** The cells of a table's body rows. */
async function cells(page, selector) {
  return page.locator(`${selector} tbody tr`).evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
}

/** "a to b" -> [a, b]. */
function pair(text) {
  return text.split(' to ').map(Number);
}

/** As the page shows predictions: 4 significant figures. */
function sig(x) {
  return String(Number(x.toPrecision(4)));
}

test('one click adds profile-likelihood intervals beside Wald, as the command line computes them', async ({ page }) => {
  const native = cli('fit', sampleFile(), '--formula', FORMULA, '--family', 'nbinom2', '--profile', '--profile-term', '(Intercept)', '--profile-term', TERM, '--json');
  await fitNb2(page);
  // Before: Wald only, and the dispersion's interval is in its own table under a CI heading.
  await expect(page.locator('#coefficients-table thead')).not.toContainText('profile');
  await expect(page.locator('#dispersion-table thead th')).toHaveText(['Parameter', 'Estimate', '95% CI (Wald)']);
  await expect(page.locator('#random-table thead th')).toHaveText(['Group', 'Term', 'Standard deviation', 'Variance', 'Correlations', 'Value that generated the sample']);

  await page.click('#profile-button');
  await expect(page.locator('#fit-results')).toHaveAttribute('data-profiled', 'true', { timeout: 120_000 });
  await expect(page.locator('#profile-button')).toBeDisabled();

  const header = await page.locator('#coefficients-table thead th').allTextContents();
  expect(header.slice(5, 8)).toEqual(['95% CI (Wald)', '95% CI (profile)', 'p']);
  const coefficients = await cells(page, '#coefficients-table');
  for (const c of native.coefficients) {
    const row = coefficients.find((r) => r[0] === c.term);
    const [low, high] = pair(row[6]);
    expect(Math.abs(low - Math.exp(c.profile_ci[0]))).toBeLessThan(6e-4);
    expect(Math.abs(high - Math.exp(c.profile_ci[1]))).toBeLessThan(6e-4);
  }
  const [re] = await cells(page, '#random-table');
  const [sdLow, sdHigh] = pair(re[3]);
  expect(Math.abs(sdLow - native.random_effects[0].sd_profile_ci[0])).toBeLessThan(6e-5);
  expect(Math.abs(sdHigh - native.random_effects[0].sd_profile_ci[1])).toBeLessThan(6e-5);
  const [dispersion] = await cells(page, '#dispersion-table');
  expect(dispersion[0]).toBe(native.dispersion_name);
  const [dLow, dHigh] = pair(dispersion[3]);
  expect(Math.abs(dLow - native.dispersion_profile_ci[0])).toBeLessThan(6e-5);
  expect(Math.abs(dHigh - native.dispersion_profile_ci[1])).toBeLessThan(6e-5);
  // Profiling a fit does not change its estimates.
  expect(Number(dispersion[1])).toBeCloseTo(native.dispersion, 4);

  await page.setViewportSize({ width: 1280, height: 800 });
  await page.locator('#re-section').screenshot({ path: `${shots}/fit-profile-1280.png` });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.locator('#re-section').screenshot({ path: `${shots}/fit-profile-390.png` });
});

test('a prediction on the data\'s own scale, for an average LA and one LA, matches the command line and survives a refit', async ({ page }) => {
  const file = sampleFile();
  await fitNb2(page);
  // The inputs are the file's own columns: deprivation at its median, the child population for
  // an expected count; the LA is chosen below, not typed.
  const input = page.locator('#prediction-form [data-column="income_dep"]');
  const children = page.locator('#prediction-form [data-column="children"]');
  const native0 = cli('fit', file, '--formula', FORMULA, '--family', 'nbinom2', '--predict', 'income_dep=1', '--json');
  expect(native0.prediction.inputs[0].column).toBe('income_dep');
  const start = await input.inputValue();
  expect(Number(start)).toBeGreaterThan(1);
  await expect(page.locator('label[for="predict-0"]')).toContainText(/income_dep neighbourhood deprivation \([\d.]+ to [\d.]+ in the file, median [\d.]+\)/);
  await expect(page.locator('#prediction-form [data-column="la"]')).toHaveCount(0);
  await expect(page.locator('#predict-average-note')).toContainText('the mean of the la means of the file, each LA counted once');
  await expect(page.locator('#prediction')).toContainText('Intervals reflect the uncertainty of the fixed effects only');
  const pop = await children.inputValue();

  const expected = (label, r, s) => [label, `${sig(r.rate)} per 10,000`, `${sig(r.ci_low)} to ${sig(r.ci_high)}`,
    `${sig(r.count.count)} (${sig(r.count.ci_low)} to ${sig(r.count.ci_high)})`, sig(s.score), `${sig(s.ci_low)} to ${sig(s.ci_high)}`];
  // No LA: an average LA.
  {
    const native = cli('fit', file, '--formula', FORMULA, '--family', 'nbinom2', '--predict', `income_dep=25,children=${pop}`, '--gradient-term', TERM, '--json').prediction;
    await input.fill('25');
    await page.click('#predict-button');
    await expect(page.locator('#prediction-table caption')).toHaveText(`Prediction at income_dep = 25, children = ${Number(pop)}`);
    expect(await cells(page, '#prediction-table')).toEqual([expected('Population average (random effects at 0)', native.rate, native.score)]);
    await expect(page.locator('#prediction-derived')).toHaveText(`As the model sees it: ${TERM} = ${sig(native.at[0][1])}.`);
    await expect(page.locator('#prediction-note')).toContainText('no la given, so');
  }
  for (const [value, la] of [['31.5', 'LA003'], ['4', 'LA011']]) {
    const native = cli('fit', file, '--formula', FORMULA, '--family', 'nbinom2', '--predict', `income_dep=${value},children=${pop}`, '--gradient-term', TERM, '--la', la, '--json').prediction;
    await input.fill(value);
    await page.selectOption('#predict-level', { label: `la ${la}` });
    await page.click('#predict-button');
    await expect(page.locator('#prediction-table caption')).toHaveText(`Prediction at income_dep = ${Number(value)}, children = ${Number(pop)}, la = ${la}`);
    const rows = await cells(page, '#prediction-table');
    expect(rows).toEqual([
      expected(`An LA with la ${la}'s values (random effects at 0)`, native.rate, native.score),
      expected(`la ${la}`, native.level.rate, native.level.score),
    ]);
    // The LA's own mean of income_dep/10 is what the model compares with.
    await expect(page.locator('#prediction-derived')).toHaveText(`As the model sees it: ${TERM} = ${sig(native.at[0][1])}.`);
    await expect(page.locator('#prediction-note')).toContainText('fixed effects only (delta method)');
  }
  // A refit keeps what was typed and chosen.
  await input.fill('27.5');
  await fit(page);
  await expect(input).toHaveValue('27.5');
  await expect(page.locator('#predict-level option:checked')).toHaveText('la LA011');
  // A value that is not a number is refused, naming the column.
  await input.fill('abc');
  await page.click('#predict-button');
  await expect(page.locator('#prediction-out')).toContainText('The value of income_dep must be a number, found \'abc\'.');

  await page.setViewportSize({ width: 1280, height: 800 });
  await input.fill('31.5');
  await page.click('#predict-button');
  await expect(page.locator('#prediction-table')).toBeVisible();
  await expect(page.locator('#prediction-derived')).toBeVisible();
  await page.locator('#prediction').screenshot({ path: `${shots}/fit-prediction-1280.png` });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.locator('#prediction').screenshot({ path: `${shots}/fit-prediction-390.png` });
});

test('comparing with a second written model gives the command line\'s LR test, or says why there is none', async ({ page }) => {
  const file = sampleFile();
  const second = 'referrals ~ within(income_dep / 10, la) + offset(log(children / 10000))';
  const native = cli('compare-models', file, '--formula', FORMULA, '--formula', second, '--family', 'nbinom2', '--family', 'nbinom2', '--json');
  await fitNb2(page);
  await expect(page.locator('#second-formula')).toHaveValue(FORMULA);
  await expect(page.locator('#second-family')).toHaveValue('nbinom2');
  await page.fill('#second-formula', second);
  await page.click('#compare-models-button');
  await expect(page.locator('#second-table')).toBeVisible({ timeout: 120_000 });
  const rows = await cells(page, '#second-table');
  expect(rows.map((r) => [r[3], r[4], r[5], r[6]])).toEqual(native.models.map((m) => [m.loglik.toFixed(2), String(m.df), m.aic.toFixed(2), m.bic.toFixed(2)]));
  const t = native.lr_test;
  const p = t.p < 0.001 ? '< 0.001' : `= ${t.p.toFixed(3)}`;
  await expect(page.locator('#second-lr')).toHaveText(
    `Likelihood-ratio test of Model ${t.restricted} (simpler) within Model ${t.general}: LR = ${t.statistic.toFixed(3)} on ${t.df} df, p ${p}.`);
  await expect(page.locator('#second-preferred')).toHaveText(`Lower AIC: Model ${native.preferred_by_aic}; lower BIC: Model ${native.preferred_by_bic}.`);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.locator('#compare-models').screenshot({ path: `${shots}/fit-compare-two-1280.png` });

  // Models that are not nested: AIC and BIC, and the engine's reason for no test.
  const other = 'referrals ~ income_dep + offset(log(children / 10000)) + (1 | la)';
  const notNested = cli('compare-models', file, '--formula', FORMULA, '--formula', other, '--family', 'nbinom2', '--family', 'poisson', '--json');
  expect(notNested.lr_test).toBeNull();
  await page.fill('#second-formula', other);
  await page.selectOption('#second-family', 'poisson');
  await page.click('#compare-models-button');
  await expect(page.locator('#second-not-nested')).toHaveText(`No likelihood-ratio test: ${notNested.not_nested}.`, { timeout: 120_000 });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.locator('#compare-models').screenshot({ path: `${shots}/fit-compare-two-390.png` });
});
