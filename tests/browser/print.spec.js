// The printed handout: "Print / save as PDF" prints the calculator's view on at most two A4 pages
// with the scores, the charts' captions and the sources; page 1 is saved as a picture to look at.
import { test, expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { shots, tempDir } from './fit-helpers.js';

test('the view prints on at most two A4 pages with its scores and sources', async ({ page }) => {
  await page.goto('/');
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  await expect(page.getByTestId('webb-score').first()).toHaveText('1.70');
  // The button opens the browser's print dialog.
  await page.evaluate(() => { window.print = () => { document.body.dataset.printed = 'yes'; }; });
  await page.click('#print-page');
  await expect(page.locator('body')).toHaveAttribute('data-printed', 'yes');

  const dir = tempDir();
  const pdf = join(dir, 'handout.pdf');
  await page.pdf({ path: pdf, format: 'A4', printBackground: true });
  execFileSync('pdftoppm', ['-png', '-r', '70', '-f', '1', '-l', '1', '-singlefile', pdf, join(shots, 'print-page1')]);
  const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' });
  const pages = Number(info.match(/^Pages:\s+(\d+)/m)[1]);
  expect(pages).toBeGreaterThanOrEqual(1);
  expect(pages).toBeLessThanOrEqual(2);
  const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
  // Webb et al. 2020 Table 3 (CLA, average LA) and Hood et al. 2021 Table 2 (referrals).
  expect(text).toContain('1.70');
  expect(text).toContain('95% CI 1.60 to 1.80');
  expect(text).toContain('1.62');
  expect(text).toContain('Webb, C. et al. (2020)');
  expect(text).toContain('Hood, R., Goldacre, A.');
  expect(text).not.toContain('Fit the models to your own data');
  expect(text).not.toContain('Print / save as PDF');
});
