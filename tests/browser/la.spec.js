// Real local authorities in a real browser: the type-ahead picker, the headline on the first
// screen at laptop and phone sizes, `?la=` links, comparing two LAs as the studies frame it, a bad
// code, changed values, slider keys and preset states. Headline numbers are checked against the
// native command line for the same LA.
import { test, expect } from '@playwright/test';
import { socgradJson } from './cli.js';
import { mkdirSync } from 'node:fs';
import { recordRequests, foreignRequests } from './network.js';

const shots = 'tests/browser/screenshots';
mkdirSync(shots, { recursive: true });

async function open(page, query = '') {
  await page.goto('/' + query);
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
}

/** `socgrad gradient ... --json` from the native build, as a user of the command line runs it. */
function cli(...args) {
  return socgradJson('gradient', ...args, '--json');
}

async function expectInViewport(page, locator) {
  const box = await locator.boundingBox();
  const viewport = page.viewportSize();
  expect(box).not.toBeNull();
  expect(box.y).toBeGreaterThanOrEqual(0);
  expect(box.y + box.height).toBeLessThanOrEqual(viewport.height);
  expect(box.x + box.width).toBeLessThanOrEqual(viewport.width + 1);
}

test('typing part of a name picks the LA, and the headline matches the command line', async ({ page }) => {
  const requests = recordRequests(page);
  await page.setViewportSize({ width: 1280, height: 800 });
  await open(page);
  // The England-average context: Hood et al. 2021 Table 2, referral 1.62.
  await expect(page.getByTestId('headline-score')).toHaveText('1.62');
  await page.locator('#la-picker').fill('blackp');
  // Blackpool first; a name one typo away (Blackburn) may follow.
  await expect(page.locator('#la-picker-list [role=option]').first()).toContainText('Blackpool');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('headline-place')).toHaveText('Blackpool');
  const want = cli('--source', 'hood2021', '--measure', 'referral', '--la', 'Blackpool');
  await expect(page.getByTestId('headline-score')).toHaveText(want.shown.value);
  // The report prints no interval for Blackpool's context; the page says so once, as the CLI does.
  expect(want.ci_low).toBeNull();
  await expect(page.getByTestId('headline-ci')).toHaveText('No 95% CI: the report prints a 95% CI only for an LA of average income deprivation.');
  await expect(page.getByTestId('headline-sentence')).toHaveText(want.within_la.sentence);
  await expect(page.getByTestId('headline-sentence')).not.toContainText('CI');
  // Hood et al. cover every English LA: Blackpool lies outside the contexts the report prints.
  await expect(page.getByTestId('headline-range')).toHaveText('Outside the contexts the report prints');
  await expect(page.getByTestId('headline')).not.toContainText('Extrapolated beyond the study');
  expect(page.url()).toContain('la=E06000009');
  // Webb et al. 2020 for the same LA: its IMD 2015 score 42.00 lies beyond the study's range.
  const webb = cli('--source', 'webb2020', '--outcome', 'cla', '--la', 'E06000009');
  await expect(page.getByTestId('webb-score').first()).toHaveText(webb.shown.value);
  await expect(page.getByTestId('webb-ci')).toHaveText(`95% CI ${webb.shown.ci_low} to ${webb.shown.ci_high}`);
  await expect(page.getByTestId('webb-card')).toContainText('Outside the study\'s LAs');
  await expect(page.getByTestId('webb-card')).toContainText('Blackpool\'s LA IMD score, 42.0, is above the highest of the study\'s LAs (41.2, Table 1)');
  await expect(page.getByTestId('webb-card')).toContainText('Gini coefficient: not published for real LAs');
  // Forgiving matching: "&" for "and", any case, "upon".
  await page.locator('#la-picker').fill('BRIGHTON & HO');
  await expect(page.locator('#la-picker-list [role=option]').first()).toContainText('Brighton and Hove');
  await page.locator('#la-picker').fill('kingston upon');
  await expect(page.locator('#la-picker-list [role=option]')).toHaveCount(2);
  await page.locator('#la-picker-list [role=option]', { hasText: 'Hull' }).click();
  await expect(page.getByTestId('headline-place')).toHaveText('Kingston upon Hull, City of');
  const hull = cli('--source', 'hood2021', '--measure', 'referral', '--la', 'E06000010');
  await expect(page.getByTestId('headline-score')).toHaveText(hull.shown.value);
  expect(foreignRequests(requests, new URL(page.url()).origin)).toEqual([]);
});

test('?la= opens on that LA, with the headline on the first screen of a laptop and a phone', async ({ page }) => {
  for (const [name, size] of [['laptop', { width: 1280, height: 800 }], ['phone', { width: 390, height: 844 }]]) {
    await page.setViewportSize(size);
    await open(page, '?la=E06000041');
    await expect(page.getByTestId('headline-place')).toHaveText('Wokingham');
    const want = cli('--source', 'hood2021', '--measure', 'referral', '--la', 'E06000041');
    await expect(page.getByTestId('headline-score')).toHaveText(want.shown.value);
    await expect(page.locator('#la-picker')).toHaveValue('Wokingham');
    await expectInViewport(page, page.locator('#la-picker'));
    await expectInViewport(page, page.getByTestId('headline-score'));
    await expectInViewport(page, page.getByTestId('headline-ci'));
    await expectInViewport(page, page.getByTestId('headline-sentence'));
    await page.screenshot({ path: `${shots}/first-screen-${name}.png` });
  }
  // Without la= the page opens on the England-average context, on a phone too.
  await open(page);
  await expect(page.getByTestId('headline-score')).toHaveText('1.62');
  await expect(page.getByTestId('headline-ci')).toHaveText('95% CI 1.62 to 1.63');
  await expectInViewport(page, page.getByTestId('headline-ci'));
  await page.screenshot({ path: `${shots}/first-screen-phone-average.png` });
});

test('a bad LA code gets a clear message and the default view', async ({ page }) => {
  await open(page, '?la=E99999999');
  await expect(page.getByTestId('url-problem')).toContainText('E99999999');
  await expect(page.getByTestId('headline-score')).toHaveText('1.62');
  await expect(page.locator('#la-picker')).toHaveValue('');
});

test('comparing two LAs leads with where the gradient per step is steeper', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await open(page, '?outcome=cla&la=E06000041&compare=1&la_b=E06000009');
  await expect(page.getByTestId('headline-place-a')).toHaveText('Wokingham');
  await expect(page.getByTestId('headline-place-b')).toHaveText('Blackpool');
  const a = cli('--source', 'webb2020', '--outcome', 'cla', '--la', 'Wokingham');
  const b = cli('--source', 'webb2020', '--outcome', 'cla', '--la', 'Blackpool');
  await expect(page.getByTestId('webb-lead')).toHaveText(`Per step up in neighbourhood deprivation, the gradient is steeper in Wokingham: ${a.shown.value} against ${b.shown.value} in Blackpool.`);
  // Webb et al. 2020's framing, labelled as theirs: the percentage increases and how many times one is the other.
  const pct = (x) => `+${Math.round((x - 1) * 100)}%`;
  await expect(page.getByTestId('webb-pct-a')).toHaveText(pct(a.estimate));
  await expect(page.getByTestId('webb-pct-b')).toHaveText(pct(b.estimate));
  const ratio = (a.estimate - 1) / (b.estimate - 1);
  await expect(page.getByTestId('webb-pct-ratio')).toHaveText(ratio.toFixed(1));
  await expect(page.getByTestId('webb-framing')).toContainText('As the paper compares them');
  await expect(page.getByTestId('headline-comparison')).toContainText('steeper in Wokingham');
  await expect(page.locator('#la-picker-b')).toHaveValue('Blackpool');
  await page.screenshot({ path: `${shots}/compare-las.png`, fullPage: true });
  // Webb et al. 2020 frame Table 4's contexts as "around five times stronger": +129% against +25.8%.
  await open(page, '?outcome=cla&imd=13.86&gini=0.4&compare=1&b_imd=30.14&b_gini=0.372');
  await expect(page.getByTestId('webb-pct-a')).toHaveText('+129%');
  await expect(page.getByTestId('webb-pct-b')).toHaveText('+26%');
  await expect(page.getByTestId('webb-pct-ratio')).toHaveText('5.0');
});

test('changing an LA value says so and keeps it in the link; slider keys and presets behave', async ({ page }) => {
  await open(page, '?la=E06000009');
  await page.click('[data-context=a] [data-preset=inequality-high]');
  await expect(page.locator('[data-context=a] [data-preset=inequality-high]')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator('[data-context=a] [data-preset=inequality-low]')).toHaveAttribute('aria-pressed', 'false');
  await expect(page.getByTestId('webb-reading')).toContainText('an LA like Blackpool with the Gini coefficient changed');
  expect(page.url()).toContain('la=E06000009');
  expect(page.url()).toContain('gini=0.4');
  // LA IMD slider: arrow keys move half a point, PageUp five.
  const range = page.locator('#a-imd-range');
  await page.locator('#a-imd').fill('20');
  await range.focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.locator('#a-imd')).toHaveValue('20.5');
  await page.keyboard.press('PageUp');
  await expect(page.locator('#a-imd')).toHaveValue('25.5');
  await page.keyboard.press('PageDown');
  await page.keyboard.press('PageDown');
  await expect(page.locator('#a-imd')).toHaveValue('15.5');
  await expect(page.getByTestId('webb-reading')).toContainText('LA IMD score and Gini coefficient changed');
  // The "England average" button returns to the average context.
  await page.getByTestId('la-picker-clear').click();
  await expect(page.getByTestId('headline-score')).toHaveText('1.62');
  expect(page.url()).not.toContain('la=');
});
