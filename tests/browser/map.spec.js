// England at a glance in a real browser: 151 areas drawn and coloured, tooltips, picking an LA by
// pointer and by keyboard, the ranked table, screenshots at laptop, phone and projector sizes, and
// no request outside the page's own origin.
import { test, expect } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { recordRequests, foreignRequests } from './network.js';
import { engine } from './fit-helpers.js';

const shots = 'tests/browser/screenshots';
mkdirSync(shots, { recursive: true });

const areas = (page) => page.locator('#england .map-areas path[data-code]');

/**
 * Opens the page, records picks, asks for the Hood et al. referral gradients with Blackpool chosen
 * (as the calculator does when its choices change), brings the map into view and waits until every
 * area has its colour.
 */
async function openMap(page, query = '') {
  await page.goto('/' + query);
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  await page.evaluate(() => {
    window.picks = [];
    document.addEventListener('calculator:pick-la', (e) => window.picks.push(e.detail.code));
    const detail = { laRequest: { source: 'hood2021', measure: 'referral' }, selected: 'E06000009' };
    document.dispatchEvent(new CustomEvent('calculator:change', { detail }));
  });
  await page.locator('#england').scrollIntoViewIfNeeded();
  await expect(areas(page)).toHaveCount(151);
  await expect(page.locator('#england .map-areas path[fill]')).toHaveCount(151);
}

const picks = (page) => page.evaluate(() => window.picks);

test('the map draws 151 coloured areas and the table ranks all 151', async ({ page }) => {
  const requests = recordRequests(page);
  await openMap(page);
  const fills = await areas(page).evaluateAll((paths) => paths.map((p) => p.getAttribute('fill')));
  expect(fills.every((f) => /^#[0-9a-f]{6}$/.test(f))).toBe(true);
  expect(new Set(fills).size).toBeGreaterThan(20);
  const codes = await areas(page).evaluateAll((paths) => paths.map((p) => p.dataset.code));
  expect(new Set(codes).size).toBe(151);
  // Each area's name and value are what a screen reader hears.
  await expect(page.locator('#england-la-E06000009')).toHaveAttribute('aria-label', /^Blackpool: \d\.\d\d, ranked \d+=? of 149, outside the range the tables print$/);
  // The ranked table, once opened, has a row per LA: the 149 ranked ones from 1, scores falling,
  // then the two with very few children, unranked; ranks are the engine's, as in the tour.
  await page.locator('#england details.map-table summary').click();
  const rows = page.locator('#england table.map-ranking tbody tr');
  await expect(rows).toHaveCount(151);
  await expect(rows.first().locator('td').first()).toHaveText('1');
  await expect(page.locator('#england table.map-ranking thead')).toContainText('Score');
  await expect(page.locator('#england table.map-ranking thead')).not.toContainText('95% CI');
  const table = await rows.evaluateAll((trs) => trs.map((tr) => ({
    rank: tr.querySelectorAll('td')[0].textContent,
    score: parseFloat(tr.querySelectorAll('td')[1].textContent),
    code: tr.querySelector('button').dataset.code,
  })));
  const ranked = table.slice(0, 149);
  expect(ranked.every((r, i) => i === 0 || r.score <= ranked[i - 1].score)).toBe(true);
  expect(table.slice(149).map((r) => r.rank)).toEqual(['–', '–']);
  expect(table.slice(149).map((r) => r.code).sort()).toEqual(['E06000053', 'E09000001']);
  // Equal scores share a rank, marked "=" (Knowsley and Middlesbrough, the least steep).
  const knowsley = table.find((r) => r.code === 'E08000011');
  const middlesbrough = table.find((r) => r.code === 'E06000002');
  expect(knowsley.rank).toBe(middlesbrough.rank);
  expect(knowsley.rank).toMatch(/^\d+=$/);
  const engineRanks = engine.laGradients({ source: 'hood2021', measure: 'referral' });
  for (const row of table) {
    const item = engineRanks.items.find((it) => it.la_code === row.code);
    expect(row.rank).toBe(item.rank_shown ?? '–');
  }
  // The tour's step 6 names the same steepest LA as the table's first row.
  const tour = engine.tourSteps({});
  expect(tour.steps[5].answer).toContain(engineRanks.items.find((it) => it.rank === 1).la_name);
  // The darkest area has the highest score of all (the Isles of Scilly, unranked, may be it).
  const darkest = await areas(page).evaluateAll((paths) => {
    const lum = (hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).reduce((a, b) => a + b);
    return paths.reduce((a, b) => (lum(b.getAttribute('fill')) < lum(a.getAttribute('fill')) ? b : a)).dataset.code;
  });
  const darkestScore = table.find((r) => r.code === darkest).score;
  expect(darkestScore).toBe(Math.max(...table.map((r) => r.score)));
  await expect(page.locator('#england .map-reading')).toContainText('Ranks are out of 149');
  // The geometry is fetched once, from the page's own origin.
  expect(requests.filter((r) => r.url.endsWith('/england-las.json'))).toHaveLength(1);
  expect(foreignRequests(requests, new URL(page.url()).origin)).toEqual([]);
});

test('hovering shows the name and clicking an area picks it', async ({ page }) => {
  const requests = recordRequests(page);
  await page.setViewportSize({ width: 1280, height: 800 });
  await openMap(page);
  const cornwall = page.locator('#england-la-E06000052');
  const tooltip = page.locator('#england .map-tooltip');
  // The map may still be taking the calculator's first values; hover again until it shows.
  await expect(async () => {
    await page.mouse.move(0, 0);
    await cornwall.hover();
    await expect(tooltip).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 15000 });
  await expect(tooltip).toContainText('Cornwall');
  await cornwall.click();
  expect(await picks(page)).toEqual(['E06000052']);
  await expect(cornwall).toHaveAttribute('aria-selected', 'true');
  await expect(page.locator('#england .map-selected path')).toHaveCount(2);
  await expect(page.locator('#england .map-chosen')).toContainText('Cornwall');
  // A London borough through the enlarged inset.
  await page.locator('#england .map-inset use[data-code=E09000033]').click();
  expect(await picks(page)).toEqual(['E06000052', 'E09000033']);
  await expect(page.locator('#england .map-chosen')).toContainText('Westminster');
  await page.locator('#england').screenshot({ path: `${shots}/map-laptop.png` });
  expect(foreignRequests(requests, new URL(page.url()).origin)).toEqual([]);
});

test('the keyboard reaches the map in one tab stop, moves with the arrows and picks with Enter', async ({ page }) => {
  await openMap(page);
  // Tabbing forward from the calculator, the first stop inside the map section (after the choice
  // of colouring, a radio group: one stop) is an area, with the focus outline drawn round it, and
  // Tab again leaves the map (one stop).
  await page.locator('#england-title').evaluate((el) => el.scrollIntoView());
  await page.evaluate(() => {
    const before = [...document.querySelectorAll('#calculator button, #calculator summary, #calculator input, #calculator select')].at(-1);
    before.focus();
  });
  let first = null;
  const before = [];
  for (let i = 0; i < 30 && !first; i++) {
    await page.keyboard.press('Tab');
    first = await page.evaluate(() => {
      const a = document.activeElement;
      return a.closest('#england') ? { tag: a.tagName, code: a.dataset.code || null, colouring: Boolean(a.closest('#map-colouring')) } : null;
    });
    if (first?.colouring) {
      before.push(first);
      first = null;
    }
  }
  expect(before.length).toBeLessThanOrEqual(1);
  expect(first?.tag).toBe('path');
  expect(first?.code).toMatch(/^E\d{8}$/);
  await expect(page.locator('#england .map-focus path')).not.toHaveCount(0);
  await page.keyboard.press('ArrowDown');
  const moved = await page.evaluate(() => document.activeElement.dataset.code);
  expect(moved).not.toBe(first.code);
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.activeElement.tagName)).not.toBe('path');
  // Exactly one area is in the tab order.
  await expect(page.locator('#england .map-areas path[tabindex="0"]')).toHaveCount(1);
  await page.locator('#england .map-areas path[tabindex="0"]').focus();
  const focused = () => page.evaluate(() => document.activeElement.dataset.code);
  const start = await focused();
  expect(start).toMatch(/^E\d{8}$/);
  // The focus outline (edge and line, and the same again in an inset box if the area has one)
  // traces the focused area.
  const outlines = await page.locator('#england .map-focus path').evaluateAll((ps) => ps.map((p) => p.getAttribute('d')));
  expect([2, 4]).toContain(outlines.length);
  const d = await page.evaluate(() => document.activeElement.getAttribute('d'));
  expect(new Set(outlines)).toEqual(new Set([d]));
  await expect(page.locator('#england .map-tooltip')).toBeVisible();
  // From Cornwall, right goes east (to Plymouth, on the border), and Enter picks it.
  await page.locator('#england-la-E06000052').focus();
  await page.keyboard.press('ArrowRight');
  expect(await focused()).toBe('E06000026');
  await expect(page.locator('#england .map-tooltip')).toContainText('Plymouth');
  await page.keyboard.press('Enter');
  expect(await picks(page)).toEqual(['E06000026']);
  await expect(page.locator('#england-la-E06000026')).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowUp');
  expect(await focused()).not.toBe('E06000026');
  await page.keyboard.press(' ');
  expect((await picks(page)).length).toBe(2);
  // The roving tab stop follows the focus: still one tab stop.
  await expect(page.locator('#england .map-areas path[tabindex="0"]')).toHaveCount(1);
  // Home goes to the steepest area, the first row of the ranked table.
  await page.keyboard.press('Home');
  const home = await focused();
  await page.locator('#england details.map-table summary').click();
  const top = await page.locator('#england table.map-ranking tbody tr').first().locator('button').getAttribute('data-code');
  expect(home).toBe(top);
});

test('on a phone the map fits the width, zooms so that small areas can be touched, and lists nearby areas', async ({ page }) => {
  const requests = recordRequests(page);
  await page.setViewportSize({ width: 390, height: 844 });
  await openMap(page);
  const box = await page.locator('#england .map-svg').boundingBox();
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(390);
  expect(box.width).toBeGreaterThan(300);
  // Norfolk is at the east edge; its tooltip must not spill off the screen.
  await page.locator('#england-la-E10000020').click();
  const tip = await page.locator('#england .map-tooltip').boundingBox();
  expect(tip.x).toBeGreaterThanOrEqual(0);
  expect(tip.x + tip.width).toBeLessThanOrEqual(390);
  // Whole, most areas are too small for a finger: Blackpool is a few pixels.
  const blackpool = page.locator('#england-la-E06000009');
  const small = await blackpool.boundingBox();
  expect(Math.min(small.width, small.height)).toBeLessThan(24);
  // Zoomed in on the chosen area, Blackpool is at least 24 px each way, and a tap chooses it.
  await page.evaluate(() => document.dispatchEvent(new CustomEvent('calculator:pick-la', { detail: { code: 'E06000009' } })));
  await expect(page.locator('#england .map-chosen')).toContainText('Blackpool');
  for (let i = 0; i < 3; i++) await page.getByTestId('map-zoom-in').click();
  await expect(page.getByTestId('map-zoom-in')).toBeDisabled();
  const big = await blackpool.boundingBox();
  expect(Math.min(big.width, big.height)).toBeGreaterThanOrEqual(24);
  await page.locator('#england .map-svg').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${shots}/map-phone-zoomed.png` });
  await blackpool.click();
  await expect(page.locator('#england .map-chosen')).toContainText('Blackpool');
  // Nearby areas are offered as buttons big enough for a finger; one of them chooses it.
  const nearby = page.getByTestId('map-nearby').locator('button');
  await expect(nearby).toHaveCount(6);
  const sizes = await nearby.evaluateAll((bs) => bs.map((b) => b.getBoundingClientRect().height));
  expect(Math.min(...sizes)).toBeGreaterThanOrEqual(24);
  const name = await nearby.first().textContent();
  await nearby.first().click();
  await expect(page.locator('#england .map-chosen')).toContainText(name);
  await page.getByTestId('map-zoom-reset').click();
  await expect(page.getByTestId('map-zoom-reset')).toBeDisabled();
  await page.locator('#england .map-svg').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${shots}/map-phone.png` });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  expect(foreignRequests(requests, new URL(page.url()).origin)).toEqual([]);
});

test('projected at 1280x720 the whole map and a legend of at least 14 px fit on the screen', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await openMap(page);
  await page.locator('#england-title').evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await page.locator('#england-la-E08000012').click();
  const svg = await page.locator('#england .map-svg').boundingBox();
  expect(svg.height).toBeLessThanOrEqual(720);
  const sizes = await page.locator('#england .map-legend-bar text, #england .map-legend-title').evaluateAll((els) =>
    els.map((el) => parseFloat(getComputedStyle(el).fontSize)));
  expect(sizes.length).toBeGreaterThan(2);
  expect(Math.min(...sizes)).toBeGreaterThanOrEqual(14);
  await page.locator('#england .map-svg').evaluate((el) => el.scrollIntoView({ block: 'end' }));
  await page.mouse.move(1270, 710);
  await page.screenshot({ path: `${shots}/map-projector.png` });
});
