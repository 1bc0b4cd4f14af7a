// Inside six local authorities: the section loads after the first score (its tables and the forest
// plots' engine are not fetched before it is near), the forest plots of Table 10 and Table 13 draw
// the six LAs on every row (with intervals where the report prints them), the same numbers are in a
// table reached with the keyboard and equal to `socgrad six-las`, the choice is in the link, and
// the tour's "What kind of need?" fits 1280x720 and 1024x768 in projector mode. Screenshots are
// saved as six-las-*.png and tour-kind-of-need-*.png.
import { test, expect } from '@playwright/test';
import { join } from 'node:path';
import { shots } from './fit-helpers.js';
import { recordRequests, foreignRequests } from './network.js';
import { socgradJson } from './cli.js';

/** The six LAs' colours (Okabe-Ito: blue, vermillion, bluish green, reddish purple, orange, black). */
const LA_COLOURS = [[0, 114, 178], [213, 94, 0], [0, 158, 115], [204, 121, 167], [230, 159, 0], [0, 0, 0]];

async function ready(page, url) {
  await page.goto(url);
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
}

/** Waits for the section's figure of `key` to be drawn. */
async function shown(page, key) {
  await expect(page.locator('#six-las')).toHaveAttribute('data-ready', 'true');
  await expect(page.locator('.six-las-view')).toHaveAttribute('data-view', key);
  await expect(page.locator(`figure[data-view="${key}"]`)).toHaveAttribute('data-drawn', 'true');
}

/** Per item of the figure's spec: how many estimates, and how many with an interval. */
function specRows(page) {
  return page.locator('.six-las-view figure').evaluate((fig) => fig.spec.sections.flatMap((s) => s.items.map((i) => ({
    label: i.label,
    estimates: i.estimates.filter(Boolean).length,
    intervals: i.estimates.filter((e) => e && e.interval).length,
  }))));
}

/** Pixels of each LA's colour on the canvas (within 12 of each channel), and whether it is sharp. */
function inkByLa(page) {
  return page.locator('.six-las-view figure canvas').evaluate((c, colours) => {
    const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    const counts = colours.map(() => 0);
    for (let i = 0; i < data.length; i += 4) {
      colours.forEach(([r, g, b], k) => {
        if (Math.abs(data[i] - r) < 12 && Math.abs(data[i + 1] - g) < 12 && Math.abs(data[i + 2] - b) < 12) counts[k] += 1;
      });
    }
    return { counts, sharp: c.width === Math.round(c.clientWidth * devicePixelRatio), cssHeight: c.clientHeight };
  }, LA_COLOURS);
}

/** The page's table cell "1.33 (1.26 to 1.40)" in the command line's printed form "OR 1.33 (CI 1.26-1.40)". */
function asPrinted(cell) {
  if (cell === 'N/A') return cell;
  const m = cell.match(/^([\d.]+) \(([\d.]+) to ([\d.]+)\)$/);
  return m ? `OR ${m[1]} (CI ${m[2]}-${m[3]})` : cell;
}

test('Table 10 and Table 13: forest plots of the six LAs, the same numbers as a table, the choice in the link', async ({ page }) => {
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const requests = recordRequests(page);
  await ready(page, '/');
  // Nothing of the section before it is wanted.
  expect(requests.filter((r) => /six-las|socgrad_forest/.test(r.url))).toEqual([]);
  await page.click('nav a[href="#six-las"]');
  await shown(page, 'table10_most_deprived');
  expect(requests.some((r) => r.url.endsWith('/six-las.json'))).toBe(true);
  expect(requests.some((r) => /socgrad_forest_bg\.[0-9a-f]{8}\.wasm$/.test(r.url))).toBe(true);

  // Table 10, most deprived third: every row has the six LAs, each with its interval.
  const rows10 = await specRows(page);
  expect(rows10.length).toBe(8);
  for (const r of rows10) expect([r.label, r.estimates, r.intervals]).toEqual([r.label, 6, 6]);
  const ink10 = await inkByLa(page);
  expect(ink10.sharp).toBe(true);
  ink10.counts.forEach((n, k) => expect(n, `LA${k}`).toBeGreaterThan(300));
  await expect(page.locator('.six-las-view .card')).toContainText('CP Conferences: higher odds in four of the six (LA0, LA1, LA2 and LA3) and an interval reaching 1 in LA4 and LA5.');
  await expect(page.locator('.six-las-view figure canvas')).toHaveAttribute('role', 'img');
  await expect(page.locator('.six-las-view figure canvas')).toHaveAttribute('aria-label', /six LAs' odds ratios and 95% intervals on a log scale/);

  // The table alternative, opened with the keyboard, equals the command line's cells.
  const summary = page.locator('.six-las-view details.chart-table summary');
  await summary.focus();
  await page.keyboard.press('Enter');
  const table = page.locator('.six-las-view details.chart-table table');
  await expect(table).toBeVisible();
  const cells = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
  expect(cells.length).toBe(8);
  const cli = socgradJson('six-las', '--table', '10', '--json').tables[0].cells;
  for (const row of cells) {
    const label = row[0].replace(/ \(against .*\)$/, '');
    const las = ['LA0', 'LA1', 'LA2', 'LA3', 'LA4', 'LA5'];
    const printed = las.map((la) => cli.find((c) => c.citation.row === `MOST DEPRIVED / ${row[1]} / ${label}` && c.citation.column === la).printed);
    expect(row.slice(2, 8).map(asPrinted), label).toEqual(printed);
  }
  await page.locator('#six-las').screenshot({ path: join(shots, 'six-las-table10.png') });

  // Table 13 chosen from the list: seven kinds of need, six LAs each, no intervals (none printed).
  await page.focus('#six-las-choice');
  await page.selectOption('#six-las-choice', 'table13_demand_classes');
  await shown(page, 'table13_demand_classes');
  expect(new URL(page.url()).hash).toBe('#six-las/table13_demand_classes');
  const rows13 = await specRows(page);
  expect(rows13.map((r) => r.label)[0]).toBe('Neglect');
  expect(rows13.length).toBe(7);
  for (const r of rows13) expect([r.estimates, r.intervals]).toEqual([6, 0]);
  const ink13 = await inkByLa(page);
  ink13.counts.forEach((n, k) => expect(n, `LA${k}`).toBeGreaterThan(150));
  await expect(page.locator('.six-las-view .card')).toContainText('In four authorities (LA0, LA1, LA2 and LA5), neglect was the kind of need most sensitive to deprivation');
  await expect(page.locator('.six-las-view')).toContainText("The report's text says that in all the LAs except one (LA3)");
  const t13 = await page.locator('.six-las-view details.chart-table tbody tr').first().evaluate((tr) => [...tr.children].map((c) => c.textContent));
  expect(t13.slice(0, 7)).toEqual(['Neglect', '+33%', '+32%', '+35%', '+20%', '+22%', '+62%']);
  await page.locator('#six-las').screenshot({ path: join(shots, 'six-las-table13.png') });

  // A table without a figure (Table 6), then a link straight to a view.
  await page.selectOption('#six-las-choice', 'table6');
  await expect(page.locator('.six-las-view')).toHaveAttribute('data-view', 'table6');
  await expect(page.locator('.six-las-view table').first()).toContainText('.580** (p < 0.001; N 150)');
  await ready(page, '/#six-las/table7_female');
  await shown(page, 'table7_female');
  expect(await page.locator('#six-las-choice').inputValue()).toBe('table7_female');

  expect(foreignRequests(requests, new URL(page.url()).origin)).toEqual([]);
  expect(errors).toEqual([]);
});

test('on a phone the forest plot puts its labels above the rows and stays within the screen', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await ready(page, '/#six-las/table10_least_deprived');
  await shown(page, 'table10_least_deprived');
  const box = await page.locator('.six-las-view figure canvas').boundingBox();
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(390);
  const ink = await inkByLa(page);
  expect(ink.sharp).toBe(true);
  // Three LA5 cells are N/A: LA5's colour is on fewer rows, but every LA is drawn.
  ink.counts.forEach((n, k) => expect(n, `LA${k}`).toBeGreaterThan(100));
  expect(ink.cssHeight).toBeGreaterThan(600); // rows at their natural spacing, labels above them
  const scrolls = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  expect(scrolls).toBe(false);
  await page.locator('.six-las-view figure').screenshot({ path: join(shots, 'six-las-phone.png') });
  await page.locator('#six-las').screenshot({ path: join(shots, 'six-las-phone-section.png') });
});

/** Every visible element of the tour lies inside the window, and the tour does not scroll. */
function fitsWindow(page) {
  return page.evaluate(() => {
    const tour = document.getElementById('tour');
    const outside = [];
    for (const el of tour.querySelectorAll('h2, p, button, canvas, summary, li, figcaption')) {
      const r = el.getBoundingClientRect();
      if ((r.width === 0 && r.height === 0) || el.closest('.tour-handout')) continue;
      if (r.left < -0.5 || r.top < -0.5 || r.right > innerWidth + 0.5 || r.bottom > innerHeight + 0.5) outside.push(`${el.tagName} ${el.textContent.slice(0, 40)}`);
    }
    return { outside, scrolls: tour.scrollHeight > tour.clientHeight + 1 || tour.scrollWidth > tour.clientWidth + 1 };
  });
}

for (const [w, hh] of [[1280, 720], [1024, 768]]) {
  test(`the tour's "What kind of need?" fits ${w}x${hh} in projector mode, with Table 13's forest plot`, async ({ page }) => {
    await page.setViewportSize({ width: w, height: hh });
    await ready(page, '/?tour=9&projector=1');
    await expect(page.locator('#tour-heading')).toHaveText('What kind of need?');
    await expect(page.locator('.tour-step')).toHaveAttribute('data-drawn', '9');
    await expect(page.locator('.tour-text')).toContainText('neglect was the kind of need whose odds rose most with neighbourhood deprivation in four of the six (LA0, LA1, LA2 and LA5)');
    await expect(page.locator('.tour-text')).toContainText('a child protection conference and plan in four of the six (LA0, LA1, LA2 and LA3)');
    const ink = await page.getByTestId('tour-chart').evaluate((c, colours) => {
      const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      const counts = colours.map(() => 0);
      for (let i = 0; i < data.length; i += 4) {
        colours.forEach(([r, g, b], k) => {
          if (Math.abs(data[i] - r) < 12 && Math.abs(data[i + 1] - g) < 12 && Math.abs(data[i + 2] - b) < 12) counts[k] += 1;
        });
      }
      return counts;
    }, LA_COLOURS);
    ink.forEach((n, k) => expect(n, `LA${k}`).toBeGreaterThan(100));
    for (const state of ['question', 'answer']) {
      if (state === 'answer') await page.click('.tour-reveal');
      const fit = await fitsWindow(page);
      expect(fit.outside, state).toEqual([]);
      expect(fit.scrolls, state).toBe(false);
      await page.screenshot({ path: join(shots, `tour-kind-of-need-${w}x${hh}-${state}.png`) });
    }
    await expect(page.locator('.tour-answer')).toContainText('not in LA3 (multiple complex needs II, +42%; neglect +20%)');
    // The numbers as a table, and the sources.
    await expect(page.locator('.tour-table table tbody tr')).toHaveCount(7);
    await expect(page.locator('.tour-step .tour-sources')).toContainText('Hood et al. 2020, Table 13');
  });
}

test('Table 6 beside the same correlations computed from the DfE figures, with the number of LAs and why they differ', async ({ page }) => {
  const cli = socgradJson('six-las', '--table', '6', '--json').table6_computed;
  for (const [w, hh] of [[1280, 800], [390, 844]]) {
    await page.setViewportSize({ width: w, height: hh });
    await ready(page, '/#six-las/table6');
    await expect(page.locator('#six-las')).toHaveAttribute('data-ready', 'true');
    await expect(page.locator('.six-las-view')).toHaveAttribute('data-view', 'table6');
    const compared = page.locator('.six-las-view table').filter({ has: page.locator('caption', { hasText: 'computed from the DfE figures' }) });
    await expect(compared.locator('thead th')).toHaveText(['Demand indicator', 'Year', 'Published (N LAs)', 'Computed here (N LAs)', 'Same sign']);
    const rows = compared.locator('tbody tr');
    await expect(rows).toHaveCount(20);
    let i = 0;
    for (const r of cli.rows) {
      for (const y of r.years) {
        const cells = rows.nth(i).locator('th, td');
        await expect(cells.nth(0)).toHaveText(r.label);
        await expect(cells.nth(1)).toHaveText(String(y.year));
        await expect(cells.nth(2)).toContainText(`(N ${y.published.n})`);
        await expect(cells.nth(3)).toHaveText(`${y.computed.toFixed(3)} (N ${y.n})`);
        // The computed coefficient has the published sign, every year.
        await expect(cells.nth(4)).toHaveText('yes');
        i += 1;
      }
    }
    const about = page.locator('.six-las-view ul.prose');
    await expect(about).toContainText('20 of 20 coefficients have the published sign');
    await expect(about).toContainText('Why they differ');
    await expect(about).toContainText('revised after Census 2021');
    await expect(about).toContainText('IMD 2015 average score');
    await expect(about).toContainText('"Children taken into care"');
    await compared.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(shots, `six-las-table6-computed-${w}.png`) });
  }
});
