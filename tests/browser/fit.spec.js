// The fitting workflow in a real browser: samples fitted with the studies' presets and checked
// against the native engine's fit of the same file and formula, column mapping on a dropped
// file, formula errors at their term, the model comparison, downloads, keyboard use and a
// phone-sized screen.
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import {
  shots, engine, tempDir, openFit, loadSample, dropFile, fit, pageCoefficients, nativeFit, withDerivedColumn, writeFile,
} from './fit-helpers.js';

test.describe.configure({ timeout: 300_000 });

/** Every coefficient on the page equals the native fit's, to the 4 decimals shown. */
function expectSameCoefficients(onPage, native) {
  expect(Object.keys(onPage)).toEqual(native.coefficients.map((c) => c.term));
  for (const c of native.coefficients) {
    const shown = onPage[c.term];
    expect(Math.abs(shown.estimate - c.estimate), c.term).toBeLessThanOrEqual(0.00005 + 1e-9);
    expect(Math.abs(shown.se - c.std_error), c.term).toBeLessThanOrEqual(0.00005 + 1e-9);
    expect(Math.abs(shown.irr - c.irr), c.term).toBeLessThanOrEqual(0.0005 + 1e-9);
  }
}

test('Hood preset on its sample: the page shows the native fit, and the fit recovers Table 2', async ({ page }) => {
  await openFit(page);
  await page.screenshot({ path: `${shots}/fit-start.png` });
  await loadSample(page, 'hood2021-referrals');
  await expect(page.locator('#sample-card')).toContainText('Hood et al. 2021, Table 2: referral social gradient score 1.62');
  await expect(page.locator('[data-preset=hood2021]')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator('#role-la_deprivation')).toHaveValue('__derive__');
  await expect(page.locator('#derive-note')).toContainText('la_income_dep');
  const formula = await page.inputValue('#formula');
  expect(formula).toMatch(/^referrals ~ within\(income_dep \/ 10, la\) \* I\(\(la_income_dep - [\d.]+\) \/ 10\) \+ offset\(log\(children \/ 10000\)\) \+ \(1 \| la\)$/);
  await page.locator('#step-load').screenshot({ path: `${shots}/fit-sample.png` });
  await page.locator('#step-map').screenshot({ path: `${shots}/fit-mapping.png` });
  await page.locator('#step-model').screenshot({ path: `${shots}/fit-model.png` });

  await fit(page);
  await page.locator('#step-results').screenshot({ path: `${shots}/fit-results-hood.png` });
  await page.locator('#results-title').scrollIntoViewIfNeeded();
  await page.evaluate(() => document.getElementById('results-title').scrollIntoView());
  await page.screenshot({ path: `${shots}/fit-projector.png` });

  // The native engine on the same data (the derived column computed here) and formula.
  const made = engine.makeSample('hood2021-referrals');
  const dir = tempDir();
  const file = writeFile(dir, 'hood.csv', withDerivedColumn(made.csv, made.sample.derive));
  const native = nativeFit(file, formula, 'poisson');
  expectSameCoefficients(await pageCoefficients(page), native);
  const gradient = native.coefficients[1];
  await expect(page.getByTestId('fit-score')).toHaveText(gradient.irr.toFixed(2));
  await expect(page.getByTestId('fit-ci')).toHaveText(`95% CI ${gradient.irr_ci_low.toFixed(2)} to ${gradient.irr_ci_high.toFixed(2)}`);
  await expect(page.getByTestId('fit-reading')).toContainText('times as high');
  // Simulated with 1.62 and 0.80 (Hood et al. 2021, Table 2): both inside the intervals.
  expect(gradient.irr_ci_low).toBeLessThan(1.62);
  expect(gradient.irr_ci_high).toBeGreaterThan(1.62);
  const interaction = native.coefficients[3];
  expect(interaction.irr_ci_low).toBeLessThan(0.8);
  expect(interaction.irr_ci_high).toBeGreaterThan(0.8);
  // The table shows the value each coefficient was simulated with.
  await expect(page.locator('#coefficients-table tbody tr').nth(1)).toContainText('1.620');
  // Contexts: low, average and high LA deprivation, the gradient weakening as LA deprivation rises.
  const scores = await page.locator('#contexts-table tbody tr td:nth-child(3)').allTextContents();
  expect(scores.length).toBe(3);
  expect(Number(scores[0])).toBeGreaterThan(Number(scores[2]));
  await expect(page.locator('#fit-warnings')).toContainText('No warnings');
  for (const id of ['deciles', 'la_gradients', 'observed_fitted']) {
    await expect(page.locator(`#chart-${id}`)).toBeVisible();
  }
  const decileRows = page.locator('figure[data-chart=deciles] table tbody tr');
  await expect(decileRows).toHaveCount(10);
  await expect(page.locator('figure[data-chart=la_gradients] table tbody tr')).toHaveCount(40);
  await page.locator('figure[data-chart=deciles]').screenshot({ path: `${shots}/fit-chart-deciles.png` });
  await page.locator('figure[data-chart=la_gradients]').screenshot({ path: `${shots}/fit-chart-la.png` });
});

test('Webb preset on its sample: NB1 with nested random effects and a random slope, as the native fit', async ({ page }) => {
  await openFit(page);
  await loadSample(page, 'webb2020-cla');
  await expect(page.locator('[data-preset=webb2020]')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator('#family-nbinom1')).toBeChecked();
  await expect(page.locator('#role-la_deprivation')).toHaveValue('la_imd');
  await expect(page.locator('#role-gini')).toHaveValue('gini');
  await expect(page.locator('#role-msoa')).toHaveValue('msoa');
  const formula = await page.inputValue('#formula');
  expect(formula).toContain('(1 + within(imd / ');
  expect(formula).toContain('| la) + (1 | la:msoa)');
  await fit(page);
  await page.locator('#step-results').screenshot({ path: `${shots}/fit-results-webb.png` });

  const made = engine.makeSample('webb2020-cla');
  const file = writeFile(tempDir(), 'webb.csv', made.csv);
  const native = nativeFit(file, formula, 'nbinom1');
  expectSameCoefficients(await pageCoefficients(page), native);
  // Random effects: LA intercept and slope, MSOA intercept; the NB1 dispersion in its own table.
  const random = page.locator('#random-table tbody tr');
  await expect(random).toHaveCount(3);
  await expect(page.locator('#dispersion-table tbody tr')).toHaveCount(1);
  await expect(page.locator('#dispersion-table tbody tr')).toContainText(native.dispersion_name);
  // Low / average / high for LA deprivation and for Gini, and the four combined contexts.
  await expect(page.locator('#contexts-table tbody tr')).toHaveCount(10);
  await expect(page.locator('#contexts-table')).toContainText('Low LA deprivation and high income inequality');
});

test('a dropped file: roles guessed and changed, LA deprivation derived, downloads made on the page', async ({ page }) => {
  // A user's file with its own column names: the Hood sample renamed.
  const made = engine.makeSample('hood2021-referrals');
  const renamed = made.csv.replace('neighbourhood,la,children,income_dep,referrals', 'LSOA,LA code,Child population,Income deprivation %,Referrals');
  await openFit(page);
  await dropFile(page, 'my referrals.csv', renamed);
  await expect(page.locator('#load-status')).toContainText('Loaded my referrals.csv: 2,957 rows, 5 columns.');
  await expect(page.locator('#role-count')).toHaveValue('Referrals');
  await expect(page.locator('#role-population')).toHaveValue('Child population');
  await expect(page.locator('#role-deprivation')).toHaveValue('Income deprivation %');
  await expect(page.locator('#role-la')).toHaveValue('LA code');
  await expect(page.locator('#role-la_deprivation')).toHaveValue('__derive__');
  await expect(page.locator('#validation .ok')).toBeVisible();
  // Names that are not R names are written in backticks.
  await expect(page.locator('#formula')).toHaveValue(/^Referrals ~ within\(`Income deprivation %` \/ 10, `LA code`\)/);

  // Changing a role rewrites the formula: without LA-level deprivation the interaction goes.
  await page.selectOption('#role-la_deprivation', '');
  await expect(page.locator('#formula-meaning')).toContainText('choose the LA-level deprivation column');
  await page.selectOption('#choice-la_deprivation', 'omit');
  await expect(page.locator('#formula')).toHaveValue('Referrals ~ within(`Income deprivation %` / 10, `LA code`) + offset(log(`Child population` / 10000)) + (1 | `LA code`)');
  await page.selectOption('#role-la_deprivation', '__derive__');
  await page.click('[data-preset=hood2021]');
  await expect(page.locator('#formula')).toHaveValue(/\* I\(\(`la_Income deprivation %` - [\d.]+\) \/ 10\)/);
  await fit(page);

  // Downloads are made locally: check each file's contents.
  const save = async (selector) => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
    expect(download.url()).toMatch(/^blob:/);
    return { name: download.suggestedFilename(), body: readFileSync(await download.path()) };
  };
  const csv = await save('[data-download=csv]');
  expect(csv.name).toBe('my-referrals-results.csv');
  const text = csv.body.toString();
  expect(text.split('\r\n')[0]).toBe('section,name,meaning,estimate,std_error,rate_ratio,ci_low,ci_high,p');
  expect(text).toContain('coefficient,(Intercept),');
  expect(text).toContain('social gradient,"within(`Income deprivation %`/10, `LA code`)"');
  const json = JSON.parse((await save('[data-download=json]')).body.toString());
  expect(json.report.coefficients.length).toBe(4);
  expect(json.views.charts.length).toBe(3);
  const r = (await save('[data-download=r]')).body.toString();
  expect(r).toContain('library(glmmTMB)');
  expect(r).toContain('data <- read.csv("my referrals.csv"');
  expect(r).toContain('data[["la_Income deprivation %"]] <- weighted_group_mean(data[["Income deprivation %"]], data[["Child population"]], data[["LA code"]])');
  expect(r).toContain('  family = poisson,');
  const png = await save('[data-download=png-deciles]');
  expect(png.name).toBe('my-referrals-deciles.png');
  expect([...png.body.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
});

test('a formula error is shown at its term, and the data check lists row problems', async ({ page }) => {
  await openFit(page);
  await loadSample(page, 'hood2021-referrals');
  const formula = page.locator('#formula');
  await formula.fill('referrals ~ within(income_dep / 10, la) + offset(log(children / 10000)) + (1 | la');
  await expect(page.locator('#formula-error')).toBeVisible();
  await expect(page.locator('#formula-error')).toContainText('formula:');
  await expect(formula).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('#formula-edited')).toBeVisible();

  await formula.fill('referrals ~ within(incme_dep / 10, la) + offset(log(children / 10000)) + (1 | la)');
  await expect(page.locator('#formula-error mark')).toHaveText('incme_dep');
  await expect(page.locator('#formula-error')).toContainText("unknown column 'incme_dep' in term 'within(incme_dep / 10, la)' (did you mean 'income_dep'?)");
  await page.locator('#step-model').screenshot({ path: `${shots}/fit-formula-error.png` });
  await page.click('#goto-error');
  const selected = await formula.evaluate((el) => el.value.slice(el.selectionStart, el.selectionEnd));
  expect(selected).toBe('incme_dep');
  await expect(formula).toBeFocused();

  // A row problem: a formula whose offset is not finite in some rows.
  await formula.fill('referrals ~ within(income_dep / 10, la) + offset(log(income_dep - 1)) + (1 | la)');
  await expect(page.locator('#problems li').first()).toContainText(/^row \d+: /);

  // Back to the choices: the guided formula returns and the error goes.
  await page.click('#rewrite');
  await expect(page.locator('#formula-error')).toBeHidden();
  await expect(page.locator('#validation .ok')).toBeVisible();
});

test('the model comparison marks the preferred model', async ({ page }) => {
  await openFit(page);
  await loadSample(page, 'hood2021-referrals');
  await fit(page);
  await page.click('#compare-button');
  await expect(page.locator('#comparison-table tbody tr')).toHaveCount(6, { timeout: 120_000 });
  const preferred = page.locator('#comparison-table tr.preferred');
  await expect(preferred).toHaveCount(1);
  await expect(preferred).toContainText('Preferred (lowest AIC)');
  // The counts were simulated as Poisson with an LA effect: that model has the lowest AIC.
  await expect(page.locator('#preferred')).toContainText('Poisson + (1 | la)');
  await expect(page.locator('#lr-tests tbody tr').first()).toBeVisible();
  await page.locator('#comparison').screenshot({ path: `${shots}/fit-comparison.png` });
});

test('keyboard only: every control is labelled, focus is visible, and a fit runs without a mouse', async ({ page }) => {
  await openFit(page);
  await page.focus('[data-sample=hood2021-referrals]');
  await page.keyboard.press('Enter');
  await expect(page.locator('#validation .ok')).toBeVisible({ timeout: 30_000 });
  // Every visible form control has a label (the native file input is hidden from assistive
  // technology: the "Choose a CSV file" button opens it).
  const unlabelled = await page.locator('#fit').evaluate((root) => [...root.querySelectorAll('input, select, textarea, button')]
    .filter((el) => el.offsetParent !== null && el.getAttribute('aria-hidden') !== 'true')
    .filter((el) => !(el.labels && el.labels.length) && !el.getAttribute('aria-label') && !el.textContent.trim())
    .map((el) => el.outerHTML.slice(0, 80)));
  expect(unlabelled).toEqual([]);
  // Focus is visible: a focused button has an outline.
  await page.focus('[data-preset=webb2020]');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Shift+Tab');
  const outline = await page.locator('[data-preset=webb2020]').evaluate((el) => getComputedStyle(el).outlineStyle);
  expect(outline).toBe('solid');
  // The Hood sample has no Gini column: the Webb preset says so and changes nothing.
  await page.keyboard.press('Space');
  await expect(page.locator('#choice-problem')).toContainText('choose the LA Gini coefficient column');
  await expect(page.locator('[data-preset=webb2020]')).toHaveAttribute('aria-pressed', 'false');
  await page.focus('[data-preset=hood2021]');
  await page.keyboard.press('Enter');
  await expect(page.locator('#validation .ok')).toBeVisible();
  await page.focus('#fit-button');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('fit-score')).toBeVisible({ timeout: 60_000 });
});

test('a phone-sized screen: the workflow fits the width', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await openFit(page);
  await loadSample(page, 'hood2021-referrals');
  await fit(page);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await page.locator('#headline').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${shots}/fit-phone.png` });
});
