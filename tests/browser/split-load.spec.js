// What the page downloads: the first score needs only the calculator's engine; the fitting
// engine is fetched after it (it holds the real figures shown under the score), once for the page
// and all its workers, and not again when the fitting section opens or a worker is restarted.
import { test, expect } from '@playwright/test';
import { recordRequests } from './network.js';
import { loadSample } from './fit-helpers.js';

const CALCULATOR_WASM = /^\/socgrad_calc_bg\.[0-9a-f]{8}\.wasm$/;
const ENGINE_WASM = /^\/socgrad_bg\.[0-9a-f]{8}\.wasm$/;

const paths = (requests) => requests.map((r) => new URL(r.url).pathname);

test('the first score needs only the calculator; the fitting engine is fetched once, after it', async ({ browser }) => {
  // No offline copy: it would fetch every file of the page in the background.
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const page = await context.newPage();
  const requests = recordRequests(page);
  // The first score's frame, timed in the page: what the page asked for before it is what the
  // score needed (the real figures start right after it).
  await page.addInitScript(() => {
    let painted;
    window.firstScoreFrame = new Promise((resolve) => { painted = resolve; });
    const seen = new MutationObserver(() => {
      if (!document.querySelector('[data-testid="webb-score"]')) return;
      seen.disconnect();
      requestAnimationFrame(() => painted(performance.now()));
    });
    seen.observe(document, { childList: true, subtree: true });
  });
  await page.goto('/');
  // Webb et al. 2020 Table 3: CLA, average LA.
  await expect(page.getByTestId('webb-score').first()).toHaveText('1.70');
  const atFirstScore = await page.evaluate(async () => {
    const score = await window.firstScoreFrame;
    return performance.getEntriesByType('resource').filter((e) => e.startTime < score).map((e) => new URL(e.name).pathname);
  });
  expect(atFirstScore.filter((p) => p.endsWith('.wasm'))).toEqual([expect.stringMatching(CALCULATOR_WASM)]);
  // Neither the fitting workflow's script nor its worker.
  expect(atFirstScore.filter((p) => /^\/(fit|fitting-engine)\./.test(p))).toEqual([]);

  // After the first score, the real figures under it fetch the engine (which holds them), once.
  await expect(page.locator('#la-figures')).toHaveAttribute('data-shown', /./, { timeout: 60_000 });
  expect(paths(requests).filter((p) => ENGINE_WASM.test(p))).toHaveLength(1);
  expect(paths(requests).filter((p) => /^\/fit\./.test(p))).toEqual([]);

  await page.click('a[href="#fit"]');
  await expect(page.locator('#fit')).toHaveAttribute('data-ready', 'true', { timeout: 60_000 });
  // Both workers are running (samples and presets came from the quick one; the fitting one is
  // given the sample's file), beside the real figures' one, from one download.
  await loadSample(page, 'hood2021-referrals');
  const workers = page.workers().map((w) => w.url());
  expect(workers.filter((u) => /fitting-engine\./.test(u)).length).toBe(3);
  expect(paths(requests).filter((p) => ENGINE_WASM.test(p))).toHaveLength(1);

  // A cancelled fit restarts the fitting worker: the compiled engine is handed to it again.
  await page.evaluate(() => {
    document.querySelector('#fit-button').click();
    document.querySelector('#cancel-fit').click();
  });
  await expect(page.locator('#fit')).toHaveAttribute('data-fit-state', 'cancelled');
  await page.click('#fit-button');
  await expect(page.locator('#fit')).toHaveAttribute('data-fit-state', 'done', { timeout: 120_000 });
  expect(paths(requests).filter((p) => ENGINE_WASM.test(p))).toHaveLength(1);
  expect(paths(requests).filter((p) => CALCULATOR_WASM.test(p))).toHaveLength(1);
  await context.close();
});

test('a file dropped on the fitting section before it has started is loaded once the engine is ready', async ({ page }) => {
  await page.goto('/');
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  const csv = 'la,children,income_dep,referrals\nA,100,10,3\nA,120,20,5\nB,90,15,4\nB,80,30,6\n';
  const dataTransfer = await page.evaluateHandle((text) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], 'early.csv', { type: 'text/csv' }));
    return dt;
  }, csv);
  for (const event of ['dragenter', 'dragover', 'drop']) await page.dispatchEvent('#fit', event, { dataTransfer });
  await expect(page.locator('#load-status')).toHaveText('Loaded early.csv: 4 rows, 4 columns.', { timeout: 60_000 });
});
