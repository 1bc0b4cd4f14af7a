// The fitting results' tables on every screen (laptop, phone, a 1024x768 projector and a 1920x1080
// one): a table wider than the screen scrolls sideways in its box, its caption wraps within the
// box and stays in view (never clipped), and on a phone the first column (the row's name) stays
// in view while the rest scrolls. Screenshots of the coefficients, zero-inflation and random
// effects tables at each size.
import { test, expect } from '@playwright/test';
import { shots, openFit, loadSample, fit } from './fit-helpers.js';

test.describe.configure({ timeout: 600_000 });

const SIZES = [
  { name: 'laptop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
  { name: 'projector', width: 1024, height: 768 },
  { name: 'wide-projector', width: 1920, height: 1080 },
];

/** Where a table's caption, its box and its first cells are, in the window's pixels. */
function placement(box) {
  const rect = (el) => {
    const r = el.getBoundingClientRect();
    return { left: r.left, right: r.right, top: r.top, bottom: r.bottom };
  };
  const table = box.querySelector('table');
  return {
    box: rect(box),
    caption: rect(table.querySelector('caption')),
    rowName: rect(table.querySelector('tbody th[scope=row]')),
    scrolls: box.scrollWidth > box.clientWidth + 1,
    scrollLeft: box.scrollLeft,
  };
}

test('the results tables on every screen: captions in view, sideways scrolling, the row names kept in view on a phone', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await openFit(page);
  // Webb's model on its sample with zero inflation: coefficients, zero-inflation and random effects tables.
  await loadSample(page, 'webb2020-cla');
  await page.check('#choice-zi');
  await expect(page.locator('#validation .ok')).toBeVisible({ timeout: 60_000 });
  await fit(page, 300_000);
  const ids = ['coefficients-table', 'zi-table', 'random-table'];
  for (const id of ids) await expect(page.locator(`#${id} tbody tr`).first()).toBeVisible();

  for (const size of SIZES) {
    await page.setViewportSize({ width: size.width, height: size.height });
    await page.waitForTimeout(300);
    let scrolled = 0;
    for (const id of ids) {
      const box = page.locator(`.table-scroll:has(#${id})`);
      await box.scrollIntoViewIfNeeded();
      const at = await box.evaluate(placement);
      // The caption lies within its box, however wide the table.
      expect(at.caption.left, `${id} at ${size.name}`).toBeGreaterThanOrEqual(at.box.left - 1);
      expect(at.caption.right, `${id} at ${size.name}`).toBeLessThanOrEqual(at.box.right + 1);
      if (!at.scrolls) continue;
      scrolled += 1;
      // Scrolled to its far right: the caption has not moved, and on a phone the row names stay.
      await box.evaluate((b) => new Promise((resolve) => {
        b.scrollLeft = b.scrollWidth;
        requestAnimationFrame(() => resolve());
      }));
      const moved = await box.evaluate(placement);
      expect(moved.scrollLeft, id).toBeGreaterThan(0);
      expect(Math.abs(moved.caption.left - at.caption.left), `${id} caption moved`).toBeLessThan(1);
      if (size.width <= 600) expect(Math.abs(moved.rowName.left - at.rowName.left), `${id} row names moved`).toBeLessThan(1);
      await box.screenshot({ path: `${shots}/results-table-${id}-${size.name}-scrolled.png` });
      await box.evaluate((b) => {
        b.scrollLeft = 0;
      });
    }
    // On a phone the tables are wider than the screen and scroll.
    if (size.name === 'phone') expect(scrolled).toBeGreaterThan(0);
    for (const section of ['coef-section', 'zi-section', 're-section']) {
      await page.locator(`#${section}`).screenshot({ path: `${shots}/results-${section}-${size.name}.png` });
    }
  }
});
