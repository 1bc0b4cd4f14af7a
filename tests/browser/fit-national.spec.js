// A national-size file (33,000 neighbourhoods in 150 LAs, simulated by the engine): from the drop
// to the results, the page stays responsive while a long fit runs, and the fit can be
// cancelled without losing anything. The time from drop to results is recorded (not asserted).
import { test, expect } from '@playwright/test';
import { shots, engine, openFit, dropFile, fit, pageCoefficients } from './fit-helpers.js';

test.describe.configure({ timeout: 300_000 });

const national = engine.makeSample('national-referrals').csv;

test('a national-size file dropped: results, and the time it took', async ({ page }) => {
  await openFit(page);
  const started = Date.now();
  await dropFile(page, 'england.csv', national);
  await expect(page.locator('#validation .ok')).toContainText('the model can use 33,000 of the 33,000 rows', { timeout: 60_000 });
  const ready = Date.now();
  await fit(page);
  const done = Date.now();
  await expect(page.locator('#fit-summary')).toContainText('33,000 rows');
  // Simulated with a gradient of 1.62 per 10 points (Hood et al. 2021, Table 2): the estimate
  // is within 3.5 standard errors of log(1.62).
  const gradient = (await pageCoefficients(page))['within(income_dep/10, la)'];
  expect(Math.abs(gradient.estimate - Math.log(1.62))).toBeLessThan(3.5 * gradient.se);
  await expect(page.locator('figure[data-chart=la_gradients] table tbody tr')).toHaveCount(150);
  const timing = { rows: 33000, drop_to_ready_ms: ready - started, fit_to_results_ms: done - ready, drop_to_results_ms: done - started };
  test.info().annotations.push({ type: 'timing', description: JSON.stringify(timing) });
  console.log(`national-size file, drop to results: ${JSON.stringify(timing)}`);
});

test('the page answers during a long fit, and cancelling keeps the file and the formula', async ({ page }) => {
  await openFit(page);
  await dropFile(page, 'england.csv', national);
  await expect(page.locator('#validation .ok')).toBeVisible({ timeout: 60_000 });
  // A heavy model: negative binomial, LA random slopes and MSOA random intercepts.
  await page.check('#family-nbinom1');
  await page.check('#choice-la_slope');
  await page.check('#choice-msoa_intercept');
  await expect(page.locator('#formula')).toHaveValue(/\(1 \+ within\(income_dep \/ 10, la\) \| la\) \+ \(1 \| la:msoa\)$/);
  const formula = await page.inputValue('#formula');
  await page.click('#fit-button');
  await expect(page.locator('#progress-text')).toContainText('step', { timeout: 30_000 });
  await page.locator('#step-results').screenshot({ path: `${shots}/fit-progress.png` });

  // The main thread keeps drawing frames while the engine works in its worker.
  const frames = await page.evaluate(() => new Promise((resolve) => {
    let n = 0;
    const end = performance.now() + 1000;
    const tick = (t) => { n += 1; if (t < end) requestAnimationFrame(tick); else resolve(n); };
    requestAnimationFrame(tick);
  }));
  expect(frames).toBeGreaterThan(20);
  // Controls respond, and the formula is still checked against the data meanwhile.
  await page.click('#choice-la_slope');
  await expect(page.locator('#formula')).toHaveValue(/\(1 \| la\) \+ \(1 \| la:msoa\)$/);
  await page.click('#choice-la_slope');
  await expect(page.locator('#formula')).toHaveValue(formula);
  await expect(page.locator('#fit')).toHaveAttribute('data-fit-state', 'running');

  await page.click('#cancel-fit');
  await expect(page.locator('#fit')).toHaveAttribute('data-fit-state', 'cancelled');
  await expect(page.locator('#fit-message')).toContainText('The fit was cancelled. Your file, column choices and formula are kept');
  await expect(page.locator('#fit')).toHaveAttribute('data-file', 'england.csv');
  await expect(page.locator('#formula')).toHaveValue(formula);
  await expect(page.locator('#role-msoa')).toHaveValue('msoa');

  // A new model starts at once, on a fresh engine that is given the file again.
  await page.click('[data-preset=hood2021]');
  await expect(page.locator('#validation .ok')).toBeVisible();
  await fit(page);
  await expect(page.locator('#fit-summary')).toContainText('33,000 rows');
});
