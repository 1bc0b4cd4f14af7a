// The national sample on England's real neighbourhoods (32,844 LSOAs in 151 LAs, counts simulated
// by the engine from Hood et al. 2021): its tables are not part of the first load, choosing it
// shows its loading progress, and a fit of the Hood preset recovers the generating gradient. From
// the choice to the results, the page stays responsive while a long fit runs, and the fit can be
// cancelled without losing anything. The time from choice to results is recorded (not asserted).
import { test, expect } from '@playwright/test';
import { shots, openFit, fit, pageCoefficients } from './fit-helpers.js';
import { recordRequests, foreignRequests } from './network.js';

test.describe.configure({ timeout: 300_000 });

const SAMPLE = 'hood2021-england';
const FILE = `sample-${SAMPLE}.csv`;
const lsoaTable = (requests) => requests.filter((r) => r.url.endsWith('/data/england_lsoa11.csv'));

/** Records every text the loader's status line shows, however briefly. */
async function watchStatus(page) {
  await page.evaluate(() => {
    window.statusTexts = [];
    const status = document.querySelector('#load-status');
    new MutationObserver(() => window.statusTexts.push(status.textContent)).observe(status, { childList: true, characterData: true, subtree: true });
  });
}

async function chooseNational(page) {
  await page.click(`[data-sample=${SAMPLE}]`);
  await expect(page.locator('#fit')).toHaveAttribute('data-file', FILE, { timeout: 60_000 });
}

test('the national sample on real places: loaded only when chosen, fitted with the Hood preset', async ({ page }) => {
  const requests = recordRequests(page);
  await openFit(page);
  // The first screen does not load the neighbourhood tables.
  expect(lsoaTable(requests)).toHaveLength(0);
  expect(requests.filter((r) => r.url.includes('/data/'))).toHaveLength(0);
  await expect(page.locator(`[data-sample=${SAMPLE}]`)).toContainText("England's 32,844 neighbourhoods");
  await expect(page.locator('.sample-list li').nth(2)).toContainText('Real places, synthetic counts');

  await watchStatus(page);
  const started = Date.now();
  await chooseNational(page);
  await expect(page.locator('#validation .ok')).toContainText('the model can use 32,844 of the 32,844 rows', { timeout: 60_000 });
  const ready = Date.now();
  const statuses = await page.evaluate(() => window.statusTexts);
  expect(statuses.some((t) => /^Loading England's 32,844 neighbourhoods and their centroids: [\d.]+( of [\d.]+)? MB…$/.test(t))).toBe(true);
  expect(statuses).toContain('Simulating referrals for 32,844 real neighbourhoods, with a spatial field…');
  await expect(page.locator('#load-status')).toHaveText(`Loaded ${FILE}: 32,844 rows, 11 columns.`);
  expect(lsoaTable(requests)).toHaveLength(1);
  expect(requests.filter((r) => r.url.endsWith('/data/england_lsoa11_centroids.csv'))).toHaveLength(1);
  expect(foreignRequests(requests, new URL(page.url()).origin)).toEqual([]);

  // Labelled as real places with synthetic counts, with the sources of both.
  await expect(page.locator('#sample-title')).toContainText('Real places, synthetic counts: England');
  await expect(page.locator('#sample-attribution')).toContainText('Open Government Licence v3.0');
  await expect(page.locator('#sample-card')).toContainText('children aged 0-15');
  await expect(page.locator('#sample-card table')).toContainText('Hood et al. 2021, Table 2: referral social gradient score 1.62');
  await expect(page.locator('#sample-card')).toContainText('32,844 neighbourhoods in 151 LAs and 6,791 MSOAs');
  // The columns map to the Hood preset by themselves.
  await expect(page.locator('#role-msoa')).toHaveValue('msoa');
  await expect(page.locator('#role-rural')).toHaveValue('rural');
  await expect(page.locator('#formula')).toHaveValue(/^referrals ~ within\(income_dep \/ 10, la\) \* I\(\(la_income_dep - [\d.]+\) \/ 10\) \+ offset\(log\(children \/ 10000\)\) \+ \(1 \| la\)$/);
  await page.locator('#step-load').screenshot({ path: `${shots}/fit-national-sample.png` });

  await fit(page);
  const done = Date.now();
  await expect(page.locator('#fit-summary')).toContainText('32,844 rows');
  await expect(page.locator('#fit-data-label')).toContainText('Real places, synthetic counts');
  // Simulated with a gradient of 1.62 per 10 points (Hood et al. 2021, Table 2).
  const gradient = (await pageCoefficients(page))['within(income_dep/10, la)'];
  expect(Math.abs(gradient.estimate - Math.log(1.62))).toBeLessThan(3.5 * gradient.se);
  const score = Number(await page.locator('[data-testid=fit-score]').textContent());
  expect(Math.abs(score - 1.62)).toBeLessThan(0.05);
  // Every LA but the Isles of Scilly, whose single LSOA has no slope of its own.
  await expect(page.locator('figure[data-chart=la_gradients] table tbody tr')).toHaveCount(150);
  await expect(page.locator('figure[data-chart=la_gradients]')).toContainText('LAs without a score: E06000053 (only 1 row');
  const timing = { rows: 32844, choice_to_ready_ms: ready - started, fit_to_results_ms: done - ready, choice_to_results_ms: done - started };
  test.info().annotations.push({ type: 'timing', description: JSON.stringify(timing) });
  console.log(`national sample on real places, choice to results: ${JSON.stringify(timing)}`);
});

test('the page answers during a long fit, and cancelling keeps the file and the formula', async ({ page }) => {
  await openFit(page);
  await chooseNational(page);
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
  await expect(page.locator('#fit')).toHaveAttribute('data-file', FILE);
  await expect(page.locator('#formula')).toHaveValue(formula);
  await expect(page.locator('#role-msoa')).toHaveValue('msoa');

  // A new model starts at once, on a fresh engine that is given the file again.
  await page.click('[data-preset=hood2021]');
  await expect(page.locator('#validation .ok')).toBeVisible();
  await fit(page);
  await expect(page.locator('#fit-summary')).toContainText('32,844 rows');
});
