// Charts sharp on high-density screens and at browser zoom: every chart of both sections has a
// backing store of its CSS size times the device pixel ratio, also after the window is resized.
import { test, expect } from '@playwright/test';
import { shots, openFit, loadSample, fit } from './fit-helpers.js';

test.describe.configure({ timeout: 300_000 });
test.use({ deviceScaleFactor: 2 });

/** Each chart canvas's backing store and CSS size. */
function canvases(page, selector) {
  return page.locator(selector).evaluateAll((list) =>
    list.map((c) => ({ id: c.id, width: c.width, height: c.height, cssWidth: c.clientWidth, cssHeight: c.clientHeight })));
}

function expectSharp(list, ratio) {
  expect(list.length).toBeGreaterThan(0);
  for (const c of list) {
    expect(c.width, c.id).toBe(ratio * c.cssWidth);
    expect(Math.abs(c.height - ratio * c.cssHeight), c.id).toBeLessThanOrEqual(ratio);
    expect(c.cssWidth, c.id).toBeGreaterThan(200);
  }
}

test('calculator and fit charts are drawn at twice their CSS size on a 2x screen', async ({ page }) => {
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/');
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  await expect(page.locator('#charts canvas')).toHaveCount(2);
  await page.waitForFunction(() => [...document.querySelectorAll('#charts canvas')].every((c) => c.dataset.shape));
  const calculator = await canvases(page, '#charts canvas');
  expect(calculator.map((c) => c.id)).toEqual(['webb-chart', 'hood-chart']);
  expectSharp(calculator, 2);
  await page.locator('#charts').screenshot({ path: `${shots}/charts-2x.png` });

  // A narrower window (one chart a row): redrawn at the new size.
  await page.setViewportSize({ width: 700, height: 900 });
  await page.waitForFunction(() => {
    const c = document.getElementById('webb-chart');
    return c.width === 2 * c.clientWidth;
  });
  const narrow = await canvases(page, '#charts canvas');
  expectSharp(narrow, 2);
  expect(narrow[0].cssWidth).not.toBe(calculator[0].cssWidth);
  await page.locator('#charts').screenshot({ path: `${shots}/charts-2x-narrow.png` });

  await page.setViewportSize({ width: 1280, height: 720 });
  await openFit(page);
  await loadSample(page, 'hood2021-referrals');
  await fit(page);
  const results = await canvases(page, '#fit-results canvas');
  expect(results.map((c) => c.id)).toEqual(['chart-deciles', 'chart-la_gradients', 'chart-observed_fitted']);
  expectSharp(results, 2);
  await page.locator('#fit-results .fit-charts').first().screenshot({ path: `${shots}/fit-charts-2x.png` });
  expect(errors).toEqual([]);
});
