// "Random effects by LA" in a real browser: after a fit with a random slope, each LA's
// conditional mode with its interval as caterpillar charts and tables and each LA's social
// gradient, computed in the worker; and a singular fit's warning shown with its advice.
import { test, expect } from '@playwright/test';
import { shots, openFit, loadSample, dropFile, fit, expectDrawn } from './fit-helpers.js';

test.describe.configure({ timeout: 300_000 });

const SLOPES = 'referrals ~ income_dep + offset(log(children / 10000)) + (1 + income_dep | la)';

for (const [width, height] of [[1280, 800], [390, 844]]) {
  test(`a random slope by LA: caterpillar charts, tables and per-LA gradients (${width}x${height})`, async ({ page }) => {
    await page.setViewportSize({ width, height });
    await openFit(page);
    await loadSample(page, 'hood2021-referrals');
    await page.fill('#formula', SLOPES);
    await page.check('#family-poisson');
    await fit(page);
    await expect(page.locator('#ranef h4')).toHaveText('Random effects by LA');
    await page.click('#ranef-button');
    await expect(page.locator('#ranef-out figure[data-chart=ranef_1]')).toBeVisible({ timeout: 60_000 });
    await expect(page.locator('#fit-results')).toHaveAttribute('data-drawn', 'true');
    await expect(page.locator('#ranef-note')).toContainText('ranef(condVar = TRUE)');
    await expectDrawn(page, '#ranef-out', 'ranef_1');
    await expectDrawn(page, '#ranef-out', 'ranef_2');
    await expectDrawn(page, '#ranef-out', 'ranef_gradient');
    await expect(page.locator('#ranef-out figure[data-chart=ranef_1] figcaption')).toHaveText('The random intercept of each la (caterpillar plot)');
    await expect(page.locator('#ranef-out figure[data-chart=ranef_2] figcaption')).toHaveText('The random slope of income_dep of each la (caterpillar plot)');

    // The tables: 40 LAs each, lowest mode first, each interval mode -+ 1.96 SD.
    const intercepts = page.locator('#ranef-out figure[data-chart=ranef_1] details');
    await intercepts.locator('summary').click();
    const rows = await intercepts.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
    expect(rows).toHaveLength(40);
    const modes = rows.map((r) => Number(r[2]));
    expect([...modes].sort((a, b) => a - b)).toEqual(modes);
    for (const [, n, mode, sd, interval, ratio] of rows) {
      expect(Number(n)).toBeGreaterThanOrEqual(60);
      const [low, high] = interval.split(' to ').map(Number);
      expect(Math.abs(low - (Number(mode) - 1.96 * Number(sd)))).toBeLessThan(0.003);
      expect(Math.abs(high - (Number(mode) + 1.96 * Number(sd)))).toBeLessThan(0.003);
      expect(Math.abs(Number(ratio) - Math.exp(Number(mode)))).toBeLessThan(0.01);
    }
    const gradients = page.locator('#ranef-out figure[data-chart=ranef_gradient] details');
    await gradients.locator('summary').click();
    await expect(gradients.locator('tbody tr')).toHaveCount(40);
    await expect(page.locator('.ranef-gradient-note')).toContainText('includes the uncertainty of the fixed effects');
    await page.screenshot({ path: `${shots}/fit-ranef-${width}x${height}.png`, fullPage: false });
    await page.locator('#ranef').screenshot({ path: `${shots}/fit-ranef-panel-${width}.png` });
  });
}

/** Counts with no differences between LAs beyond the covariate: the LA variance is zero. */
function flatCsv() {
  const lines = ['la,x,pop,count'];
  for (let i = 0; i < 180; i += 1) {
    const x = (((i * 7) % 11) - 5) / 3;
    const pop = 100 + ((i * 13) % 50);
    lines.push(`LA${String(i % 12).padStart(2, '0')},${x.toFixed(4)},${pop},${Math.round((pop / 100) * 5 * Math.exp(0.3 * x))}`);
  }
  return `${lines.join('\n')}\n`;
}

test('a singular fit is explained with what to try', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await openFit(page);
  await dropFile(page, 'flat.csv', flatCsv());
  await expect(page.locator('#fit')).toHaveAttribute('data-file', 'flat.csv', { timeout: 30_000 });
  await page.fill('#formula', 'count ~ x + offset(log(pop/100)) + (1 | la)');
  await page.check('#family-poisson');
  await fit(page);
  const item = page.locator('#fit-warnings li[data-code=singular_fit]');
  await expect(item).toBeVisible();
  await expect(item.locator('.warning-message')).toHaveText('The la random-effect variance is estimated as (near) zero: singular fit.');
  await expect(item.locator('.advice')).toContainText('What to try: The data show no differences between these groups');
  await page.click('#ranef-button');
  await expect(page.locator('#ranef-no-slope')).toBeVisible({ timeout: 60_000 });
  await expect(page.locator('#ranef-out figure[data-chart=ranef_1] tbody tr')).toHaveCount(12);
  await page.locator('#fit-warnings').screenshot({ path: `${shots}/fit-warnings-singular.png` });
});
