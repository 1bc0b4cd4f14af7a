// Accessibility checked by axe-core (the npm package, run inside the page; see axe.js) in the
// views a reader meets: the first screen, compare mode, the map, the real figures (the LA's
// figures, the funnel, the scatter, the map coloured by them), the six-LA section, the guided tour
// with a table open, and the fitting section's results. Every rule axe has; no violation allowed.
import { test, expect } from '@playwright/test';
import { axeViolations } from './axe.js';
import { openFit, loadSample, fit } from './fit-helpers.js';

async function open(page, query = '') {
  await page.goto('/' + query);
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
}

test('the first screen, with an LA outside the printed contexts, has no axe violation', async ({ page }) => {
  for (const viewport of [{ width: 1280, height: 800 }, { width: 390, height: 844 }]) {
    await page.setViewportSize(viewport);
    await open(page, '?la=E06000009');
    await expect(page.getByTestId('headline-range')).toBeVisible();
    expect(await axeViolations(page, '#calculator'), `${viewport.width}px`).toEqual([]);
  }
  // A stale answer and an open "Where these numbers come from" too.
  await page.locator('#la-headline details summary').first().click();
  await page.locator('#la-picker').fill('Atlantis');
  await expect(page.getByTestId('headline-stale')).toBeVisible();
  expect(await axeViolations(page, '#calculator')).toEqual([]);
});

test('compare mode has no axe violation', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await open(page, '?outcome=cla&la=E06000009&compare=1&la_b=E06000040');
  await expect(page.getByTestId('webb-framing')).toBeVisible();
  expect(await axeViolations(page, '#calculator')).toEqual([]);
});

test('the map, its zoom and its ranked table have no axe violation', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await open(page, '?la=E06000009');
  await page.locator('#england').scrollIntoViewIfNeeded();
  await expect(page.locator('#england .map-areas path[fill]')).toHaveCount(151);
  await page.locator('#england-la-E06000009').click();
  await page.getByTestId('map-zoom-in').click();
  await page.locator('#england details.map-table summary').click();
  await expect(page.locator('#england table.map-ranking tbody tr')).toHaveCount(151);
  expect(await axeViolations(page, '#england')).toEqual([]);
});

test('the real figures (the LA\'s figures, the funnel, the scatter, the map coloured by them) have no axe violation', async ({ page }) => {
  for (const viewport of [{ width: 1280, height: 800 }, { width: 390, height: 844 }]) {
    await page.setViewportSize(viewport);
    await open(page, '?la=E06000009&map=ratio');
    await expect(page.locator('#la-figures')).toHaveAttribute('data-shown', 'E06000009|cla_at31|2025', { timeout: 60_000 });
    await expect(page.locator('#rates-figures-table tbody tr')).toHaveCount(5);
    expect(await axeViolations(page, '#la-figures'), `figures, ${viewport.width}px`).toEqual([]);
    await page.locator('#real-figures').scrollIntoViewIfNeeded();
    await expect(page.locator('#rates-funnel-chart')).toBeVisible();
    await expect(page.locator('#rates-scatter-chart')).toBeVisible();
    await page.locator('#rates-model summary').click();
    expect(await axeViolations(page, '#real-figures'), `funnel and scatter, ${viewport.width}px`).toEqual([]);
    await page.locator('#england').scrollIntoViewIfNeeded();
    await expect(page.locator('#england')).toHaveAttribute('data-colouring', 'ratio|cla_at31|2025', { timeout: 30_000 });
    await page.locator('#england details.map-table summary').click();
    expect(await axeViolations(page, '#england'), `map by observed ÷ expected, ${viewport.width}px`).toEqual([]);
  }
});

test('the six-LA section, a forest plot and its table open, has no axe violation', async ({ page }) => {
  for (const viewport of [{ width: 1280, height: 800 }, { width: 390, height: 844 }]) {
    await page.setViewportSize(viewport);
    await open(page, '#six-las');
    await expect(page.locator('#six-las')).toHaveAttribute('data-ready', 'true', { timeout: 30_000 });
    await expect(page.locator('.six-las-view figure canvas')).toBeVisible();
    for (const summary of await page.locator('#six-las details summary').all()) await summary.click();
    expect(await axeViolations(page, '#six-las'), `${viewport.width}px`).toEqual([]);
  }
});

test('the tour, each step with its table open, has no axe violation', async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 768 });
  await open(page, '?la=E06000009&tour=1');
  for (let n = 1; n <= 10; n += 1) {
    await expect(page.locator('.tour-step')).toHaveAttribute('data-drawn', String(n));
    // Step 8, the real figures', once they have arrived from the engine (not its placeholder).
    if (n === 8) await expect(page.locator('.tour-text')).toContainText('children looked after per 10,000', { timeout: 60_000 });
    await page.click('.tour-table summary');
    await page.click('.tour-reveal');
    expect(await axeViolations(page, '#tour'), `step ${n}`).toEqual([]);
    if (n < 10) await page.click('.tour-next');
  }
});

test('the fitting section\'s results have no axe violation', async ({ page }) => {
  test.setTimeout(180_000);
  await openFit(page);
  await loadSample(page, 'hood2021-referrals');
  await fit(page);
  await expect(page.locator('#step-results')).toBeVisible();
  expect(await axeViolations(page, '#step-results')).toEqual([]);
});
