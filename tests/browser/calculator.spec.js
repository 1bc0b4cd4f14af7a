// The calculator in a real browser: published values on screen, URL round trip, compare mode,
// bad input kept, and no request outside the page's own origin.
import { test, expect } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { recordRequests, foreignRequests } from './network.js';

const shots = 'tests/browser/screenshots';
mkdirSync(shots, { recursive: true });

async function open(page, query = '') {
  await page.goto('/' + query);
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
}

const score = (page, key) => page.getByTestId(`${key}-score`).first();

test('default view shows the Table 3 gradients for an average LA', async ({ page }) => {
  await open(page);
  // Webb et al. 2020 Table 3: CLA Exp(B) of LSOA IMD score = 1.698 (average LA context), shown
  // as every score is, to three figures, with its interval at the same precision.
  await expect(score(page, 'webb')).toHaveText('1.70');
  await expect(page.getByTestId('webb-ci')).toHaveText('95% CI 1.60 to 1.80');
  // Hood et al. 2021 Table 2: referral social gradient 1.62 (1.62 to 1.63) at the average LA.
  await expect(score(page, 'hood')).toHaveText('1.62');
  await expect(page.getByTestId('hood-card')).toContainText('95% CI 1.62 to 1.63');
});

test('a chosen context reproduces Table 4 and Table 2, and the link round-trips', async ({ page, context }) => {
  const requests = recordRequests(page);
  await open(page);
  await page.selectOption('#outcome', 'cla');
  await page.selectOption('#measure', 'cp_plan');
  await page.click('[data-context=a] [data-preset=deprivation-low]');
  await page.click('[data-context=a] [data-preset=inequality-high]');
  // Webb et al. 2020 Table 4: CLA, low deprivation and high income inequality: 2.291.
  await expect(score(page, 'webb')).toHaveText('2.29');
  await expect(page.getByTestId('webb-card')).toContainText('Table 4 prints 2.29 for an LA with low deprivation, high income inequality');
  await expect(page.getByTestId('webb-card')).toContainText('95% CI');
  // Hood et al. 2021 Table 2: CP plan, Low IMD context (-10 points): 2.33.
  await expect(score(page, 'hood')).toHaveText('2.33');
  await expect(page.getByTestId('hood-card')).toContainText('Printed in the table');
  await expect(page.locator('#webb-chart')).toBeVisible();
  await expect(page.locator('#hood-chart')).toBeVisible();
  await page.screenshot({ path: `${shots}/calculator.png`, fullPage: true });

  const url = page.url();
  expect(url).toContain('outcome=cla');
  expect(url).toContain('measure=cp_plan');
  const again = await context.newPage();
  await again.goto(url);
  await expect(again.locator('body')).toHaveAttribute('data-ready', 'true');
  await expect(score(again, 'webb')).toHaveText('2.29');
  await expect(score(again, 'hood')).toHaveText('2.33');
  await expect(again.locator('#outcome')).toHaveValue('cla');
  await expect(again.locator('#a-imd')).toHaveValue('13.86');
  await expect(again.locator('#a-gini')).toHaveValue('0.4');

  expect(foreignRequests(requests, new URL(url).origin)).toEqual([]);
});

test('compare mode shows both contexts and leads with one comparison', async ({ page }) => {
  await open(page, '?outcome=cla&measure=referral&imd=13.86&gini=0.4&dep=-10&compare=1&b_imd=30.14&b_gini=0.372&b_dep=10');
  const webb = page.getByTestId('webb-score');
  await expect(webb).toHaveCount(2);
  // Table 4: CLA low deprivation + high inequality 2.291; high deprivation + low inequality 1.258.
  await expect(webb.nth(0)).toHaveText('2.29');
  await expect(webb.nth(1)).toHaveText('1.26');
  await expect(page.getByTestId('webb-lead')).toHaveText('Per step up in neighbourhood deprivation, the gradient is steeper in context A: 2.29 against 1.26 in context B.');
  // Webb et al. 2020's own framing of this very comparison: +129% against +25.8%, "around five times".
  await expect(page.getByTestId('webb-pct-a')).toHaveText('+129%');
  await expect(page.getByTestId('webb-pct-b')).toHaveText('+26%');
  await expect(page.getByTestId('webb-pct-ratio')).toHaveText('5.0');
  // Hood Table 2, referral: Low IMD 2.03, High IMD 1.29.
  const hood = page.getByTestId('hood-score');
  await expect(hood.nth(0)).toHaveText('2.03');
  await expect(hood.nth(1)).toHaveText('1.29');
  await expect(page.getByTestId('headline-comparison')).toHaveText('Per 10-point step, the referral gradient is steeper in context A (2.03) than in context B (1.29).');
  await page.screenshot({ path: `${shots}/compare.png`, fullPage: true });
});

test('typing a bad number keeps the text, explains, and leaves the results as they were', async ({ page }) => {
  await open(page);
  await page.fill('#a-gini', '');
  await page.type('#a-gini', 'abc');
  await expect(page.locator('#a-gini-error')).toContainText('Enter a number');
  await expect(score(page, 'webb')).toHaveText('1.70');
  await page.fill('#a-gini', '1.5');
  await expect(page.getByTestId('webb-error')).toContainText('Gini');
});

test('a phone-sized screen still shows the calculator', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await open(page);
  await expect(score(page, 'webb')).toBeVisible();
  await page.screenshot({ path: `${shots}/phone.png`, fullPage: false });
});
