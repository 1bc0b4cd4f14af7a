// Proportions in a real browser: a file of re-referrals out of referrals per neighbourhood, mapped
// as successes (the count column) out of totals (the population column), fitted as a binomial
// model with an LA random intercept. The page writes cbind(successes, totals - successes), shows
// odds ratios, and agrees with the native command line (itself checked against glmmTMB).
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { shots, openFit, dropFile, fit, pageCoefficients, nativeFit, tempDir, writeFile } from './fit-helpers.js';

test.describe.configure({ timeout: 300_000 });

const CSV = readFileSync('tests/reference/binomial/data/rereferrals.csv', 'utf8');

for (const [width, height] of [[1280, 800], [390, 844]]) {
  test(`a binomial model of re-referrals out of referrals, as odds ratios (${width}x${height})`, async ({ page }) => {
    await page.setViewportSize({ width, height });
    await openFit(page);
    await dropFile(page, 'rereferrals.csv', CSV);
    await expect(page.locator('#load-status')).toContainText('Loaded rereferrals.csv: 891 rows');
    await page.selectOption('#role-count', 'rereferrals');
    await page.selectOption('#role-population', 'referrals');
    await page.selectOption('#role-deprivation', 'imd_z');
    await page.selectOption('#role-la', 'la');
    await page.selectOption('#role-la_deprivation', 'ladep');
    await page.check('#family-binomial');
    await expect(page.locator('#formula')).toHaveValue(/^cbind\(rereferrals, referrals - rereferrals\) ~ /);
    await expect(page.locator('#formula')).not.toHaveValue(/offset/);

    // A simpler model, written by hand, as an analyst would.
    const formula = 'cbind(rereferrals, referrals - rereferrals) ~ imd_z + ladep + (1 | la)';
    await page.fill('#formula', formula);
    await expect(page.locator('#validation .ok')).toBeVisible();
    await fit(page);
    await expect(page.locator('#fit-summary')).toHaveAttribute('data-family', 'binomial');
    await expect(page.locator('#coefficients-table thead')).toContainText('Odds ratio');
    await expect(page.locator('#coefficients-table caption')).toContainText('odds ratios');

    const ours = await pageCoefficients(page);
    const file = writeFile(tempDir(), 'rereferrals.csv', CSV);
    const native = nativeFit(file, formula, 'binomial');
    expect(native.link).toBe('logit');
    for (const c of native.coefficients) {
      expect(Math.abs(ours[c.term].estimate - c.estimate)).toBeLessThan(1e-4 * Math.max(1, Math.abs(c.estimate)));
      expect(Math.abs(ours[c.term].irr / c.odds_ratio - 1)).toBeLessThan(2e-3);
    }
    // The random effects by LA are read on the log-odds scale, as odds ratios.
    await page.click('#ranef-button');
    await expect(page.locator('#ranef-out figure[data-chart=ranef_1]')).toBeVisible({ timeout: 60_000 });
    await expect(page.locator('#ranef-intro')).toContainText('on the log-odds scale (0 is average; exp(mode) is its odds ratio)');
    await page.screenshot({ path: `${shots}/fit-binomial-${width}x${height}.png`, fullPage: false });
    await page.locator('#coef-section').screenshot({ path: `${shots}/fit-binomial-coefficients-${width}.png` });
  });
}
