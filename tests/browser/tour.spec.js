// The guided tour ("Teach this"): walked with the keyboard, opened at a step by its link, every step
// within 1280x720 and 1024x768 in projector mode (checked by bounding boxes), focus on the step's
// heading, nothing requested outside the page's origin, and printed as a handout of at most two A4
// pages. Screenshots of every step at projector size are saved as tour-step-N.png.
import { test, expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { recordRequests, foreignRequests } from './network.js';
import { tempDir } from './fit-helpers.js';

const shots = 'tests/browser/screenshots';
mkdirSync(shots, { recursive: true });
const STEPS = 10; // the engine's nine, with the real figures' (www/rates, tests/browser/rates.spec.js) after step 7

async function ready(page, url) {
  await page.goto(url);
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
}

const heading = (page) => page.locator('#tour-heading');

/** Waits for step `n`'s chart to be drawn. */
async function atStep(page, n) {
  await expect(page.locator('.tour-step')).toHaveAttribute('data-drawn', String(n));
  await expect(page.locator('.tour-counter')).toHaveText(`Step ${n} of ${STEPS}`);
  expect(new URL(page.url()).searchParams.get('tour')).toBe(String(n));
}

/** Every visible element of the tour lies inside the window, and the tour does not scroll. */
async function fitsWindow(page) {
  return page.evaluate(() => {
    const tour = document.getElementById('tour');
    const { innerWidth: w, innerHeight: hh } = window;
    const outside = [];
    for (const el of tour.querySelectorAll('h2, p, button, canvas, summary, select, li, figcaption')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      if (el.closest('.tour-handout')) continue;
      if (r.left < -0.5 || r.top < -0.5 || r.right > w + 0.5 || r.bottom > hh + 0.5) {
        outside.push(`${el.tagName}.${el.className} ${Math.round(r.left)},${Math.round(r.top)},${Math.round(r.right)},${Math.round(r.bottom)}: ${el.textContent.slice(0, 40)}`);
      }
    }
    const step = tour.querySelector('.tour-step');
    const scrolls = [tour, step].some((el) => el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1);
    return { outside, scrolls };
  });
}

test('the tour is walked with the keyboard, focus on each heading, nothing leaves the origin', async ({ page }) => {
  const requests = recordRequests(page);
  await ready(page, '/?la=E06000009');
  await page.focus('#teach-this');
  await page.keyboard.press('Enter');
  await atStep(page, 1);
  await expect(heading(page)).toBeFocused();
  await expect(heading(page)).toHaveText('What is a social gradient?');
  // Numbers from the engine with their sources (Hood et al. 2021, section 3.1).
  await expect(page.locator('.tour-text')).toContainText('more than 1,340');
  await expect(page.locator('.tour-step .tour-sources')).toContainText('Hood et al. 2021, section 3.1');
  // The calculator's own parameters stay in the link.
  expect(new URL(page.url()).searchParams.get('la')).toBe('E06000009');
  const titles = [];
  for (let n = 1; n <= STEPS; n += 1) {
    await atStep(page, n);
    await expect(heading(page)).toBeFocused();
    titles.push(await heading(page).textContent());
    if (n === 7) await expect(page.locator('.tour-text')).toContainText('predicted referral score 1.');
    // The chart's text alternative: a label and a table with the same numbers.
    await expect(page.getByTestId('tour-chart')).toHaveAttribute('role', 'img');
    expect(await page.locator('.tour-table table tbody tr').count()).toBeGreaterThan(0);
    if (n < STEPS) await page.keyboard.press('ArrowRight');
  }
  expect(titles[6]).toBe('Your local authority: Blackpool');
  // The last step stays the last; ArrowLeft goes back; Home and End jump.
  await page.keyboard.press('ArrowRight');
  await atStep(page, STEPS);
  await page.keyboard.press('ArrowLeft');
  await atStep(page, STEPS - 1);
  await page.keyboard.press('Home');
  await atStep(page, 1);
  await page.keyboard.press('End');
  await atStep(page, STEPS);
  // The question's answer is revealed by its button.
  await expect(page.locator('.tour-answer')).toBeHidden();
  await page.click('.tour-reveal');
  await expect(page.locator('.tour-answer')).toBeVisible();
  await expect(page.locator('.tour-answer')).toContainText('62% more common');
  // Escape closes the tour, takes the step out of the link and gives focus back.
  await page.keyboard.press('Escape');
  await expect(page.locator('#tour')).toBeHidden();
  await expect(page.locator('#teach-this')).toBeFocused();
  expect(new URL(page.url()).searchParams.get('tour')).toBeNull();
  expect(new URL(page.url()).searchParams.get('la')).toBe('E06000009');
  expect(foreignRequests(requests, new URL(page.url()).origin)).toEqual([]);
});

test('?tour=3 opens step 3, the buttons move between steps, the LA can be chosen in the tour', async ({ page }) => {
  await ready(page, '/?tour=3');
  await atStep(page, 3);
  await expect(heading(page)).toHaveText('The inverse intervention law');
  await expect(heading(page)).toBeFocused();
  await expect(page.locator('.tour-text')).toContainText('2.03');
  await expect(page.locator('.tour-text')).toContainText('1.29');
  await page.click('.tour-next');
  await atStep(page, 4);
  await page.click('.tour-prev');
  await atStep(page, 3);
  await page.click('.tour-dots button >> text="7"');
  await atStep(page, 7);
  await expect(heading(page)).toHaveText('Your local authority');
  await page.selectOption('#tour-la', 'E06000052');
  await atStep(page, 7);
  await expect(heading(page)).toHaveText('Your local authority: Cornwall');
  const url = new URL(page.url());
  expect(url.searchParams.get('la')).toBe('E06000052');
  expect(url.searchParams.get('tour')).toBe('7');
  // A bad step number opens the nearest step.
  await ready(page, '/?tour=99');
  await atStep(page, STEPS);
});

for (const [w, hh] of [[1280, 720], [1024, 768]]) {
  test(`in projector mode every step fits ${w}x${hh} without scrolling`, async ({ page }) => {
    await page.setViewportSize({ width: w, height: hh });
    await ready(page, '/?la=E06000009&tour=1&projector=1');
    await expect(page.locator('.tour-projector')).toHaveAttribute('aria-pressed', 'true');
    const size = await page.evaluate(() => parseFloat(getComputedStyle(document.getElementById('tour')).fontSize));
    expect(size).toBeGreaterThanOrEqual(19);
    for (let n = 1; n <= STEPS; n += 1) {
      await atStep(page, n);
      for (const state of ['question', 'answer']) {
        if (state === 'answer') await page.click('.tour-reveal');
        const fit = await fitsWindow(page);
        expect(fit.outside, `step ${n}, ${state}`).toEqual([]);
        expect(fit.scrolls, `step ${n}, ${state}: the tour scrolls`).toBe(false);
      }
      if (w === 1280) await page.screenshot({ path: join(shots, `tour-step-${n}.png`) });
      if (n < STEPS) await page.keyboard.press('ArrowRight');
    }
  });
}

for (const [w, hh] of [[1024, 768], [1280, 720]]) {
  test(`at ${w}x${hh} an opened table scrolls inside the step, above the navigation, and is not clipped`, async ({ page }) => {
    await page.setViewportSize({ width: w, height: hh });
    await ready(page, '/?la=E06000009&tour=1&projector=1');
    for (let n = 1; n <= STEPS; n += 1) {
      await atStep(page, n);
      await page.click('.tour-table summary');
      const last = page.locator('.tour-table table tbody tr').last();
      await last.scrollIntoViewIfNeeded();
      const fit = await page.evaluate(() => {
        const nav = document.querySelector('.tour-nav').getBoundingClientRect();
        const step = document.querySelector('.tour-step').getBoundingClientRect();
        const rows = [...document.querySelectorAll('.tour-table tbody tr')];
        const lastRow = rows.at(-1).getBoundingClientRect();
        const scroller = document.querySelector('.tour-table .table-scroll');
        return {
          stepAboveNav: step.bottom <= nav.top + 0.5,
          lastRowVisible: lastRow.bottom <= Math.min(step.bottom, nav.top) + 0.5 && lastRow.top >= step.top - 0.5,
          clipped: scroller.scrollWidth > scroller.clientWidth + 1,
          tourScrolls: document.getElementById('tour').scrollHeight > document.getElementById('tour').clientHeight + 1,
        };
      });
      expect(fit, `step ${n}`).toEqual({ stepAboveNav: true, lastRowVisible: true, clipped: false, tourScrolls: false });
      // The table's first row is reachable too (scrolled back), and the navigation still works.
      await page.locator('.tour-table caption').scrollIntoViewIfNeeded();
      if (w === 1024) await page.screenshot({ path: join(shots, `tour-step-${n}-table-1024.png`) });
      if (n < STEPS) await page.click('.tour-next');
    }
  });
}

test('the tour and the map say the same: ranks out of 149, the same steepest and the same rank for the LA', async ({ page }) => {
  await ready(page, '/?la=E06000009&tour=6');
  await atStep(page, 6);
  await expect(page.locator('.tour-text')).toContainText('Ranks are out of 149');
  const steepest = await page.locator('.tour-table tbody tr').first().locator('td').first().textContent();
  await page.click('.tour-next');
  await atStep(page, 7);
  const rank = (await page.locator('.tour-text').textContent()).match(/ranked (\d+=?) of 149/)[1];
  await page.keyboard.press('Escape');
  await page.evaluate(() => document.dispatchEvent(new CustomEvent('calculator:change', { detail: { laRequest: { source: 'hood2021', measure: 'referral' }, selected: 'E06000009' } })));
  await page.locator('#england').scrollIntoViewIfNeeded();
  await expect(page.locator('#england .map-chosen')).toContainText(`ranked ${rank} of 149`);
  await expect(page.locator('#england .map-reading')).toContainText(`Steepest: ${steepest}`);
});

test('printing while the tour is open prints every step as a handout on at most two A4 pages', async ({ page }) => {
  await ready(page, '/?la=E06000009&tour=2');
  await atStep(page, 2);
  await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
  const dir = tempDir();
  const pdf = join(dir, 'tour.pdf');
  await page.pdf({ path: pdf, format: 'A4', printBackground: true });
  const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' });
  const pages = Number(info.match(/^Pages:\s+(\d+)/m)[1]);
  expect(pages).toBeLessThanOrEqual(2);
  const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
  const titles = ['What is a social gradient?', 'The gradient as one number', 'The inverse intervention law',
    'The inequality effect', 'Rural and sparsely populated areas', "England's local authorities",
    'Your local authority: Blackpool', 'What actually happens in England', 'What kind of need?', 'What the numbers are not'];
  titles.forEach((title, i) => expect(text).toContain(`${i + 1}. ${title}`));
  expect(text).toContain('Webb et al. 2020, Table 4');
  // The handout ranks as the map does: out of 149, Blackpool's rank as the engine gives it.
  const flowing = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  expect(flowing).toMatch(/Ranks are out of 149/);
  expect(flowing).toMatch(/ranked \d+=? of 149 as on the map/);
  expect(text).not.toContain('Fit the models to your own data');
  execFileSync('pdftoppm', ['-png', '-r', '70', '-f', '1', '-l', '1', '-singlefile', pdf, join(shots, 'tour-handout-page1')]);
});
