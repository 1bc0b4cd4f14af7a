// The first screen as a councillor reads it: for every one of the 151 local authorities, every
// rounded point lies inside its rounded interval and no sentence contradicts the headline's
// direction; the screenshots of Blackpool, Windsor and Maidenhead, Bristol and Cumberland at laptop
// and phone sizes and of Blackpool against Windsor and Maidenhead; names people use (Cumberland,
// BCP, North Northamptonshire, a typo); a failed search greys the old answer; measures a
// neighbourhood type cannot give are disabled with the reason; an engine error keeps the last
// good answer; and nothing moves while the page loads.
import { test, expect } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { socgradJson } from './cli.js';
import { recordRequests, foreignRequests } from './network.js';

const shots = 'tests/browser/screenshots';
mkdirSync(shots, { recursive: true });
const LAPTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

async function open(page, query = '') {
  await page.goto('/' + query);
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
}

/** A number as the page writes it ("1,340", "−7.8") as a number. */
const num = (text) => Number(String(text).replace(/,/g, '').replace('−', '-'));

/**
 * What the first screen says for the LA now chosen, read in the page: the headline's direction,
 * score, comparison, interval, the gap sentence and its explanation, and each card's score and
 * interval.
 */
function readFirstScreen() {
  const t = (id) => document.querySelector(`[data-testid="${id}"]`)?.textContent ?? null;
  const block = document.querySelector('[data-testid="headline-block"]');
  return {
    direction: block?.dataset.direction,
    place: t('headline-place'),
    score: t('headline-score'),
    compare: t('headline-compare'),
    ci: t('headline-ci'),
    sentence: t('headline-sentence'),
    explanation: t('headline-explanation'),
    // Everything the first screen says outside "Where these numbers come from".
    visible: [...document.querySelectorAll('#la-headline .headline-body p')].filter((p) => !p.closest('details')).map((p) => p.textContent).join(' '),
    cards: ['webb', 'hood'].map((key) => ({ key, score: t(`${key}-score`), ci: t(`${key}-ci`) })),
  };
}

const OPPOSITE = { steeper: 'flatter', flatter: 'steeper' };

/** The checks of one LA's first screen; returns a list of problems (empty when all is well). */
function problemsOf(code, s) {
  const problems = [];
  const say = (what) => problems.push(`${code} ${s.place}: ${what}`);
  // Rounded points inside their rounded intervals.
  const inside = (point, interval, where) => {
    const m = interval && interval.match(/95% CI (−?[\d.,]+) to (−?[\d.,]+)/);
    if (!m) return;
    const [p, lo, hi] = [num(point), num(m[1]), num(m[2])];
    if (!(lo <= p && p <= hi)) say(`${where}: ${point} outside ${m[0]}`);
    const decimals = (x) => (x.split('.')[1] || '').length;
    if (decimals(point) !== decimals(m[1]) || decimals(point) !== decimals(m[2])) say(`${where}: ${point} and ${m[0]} at different precisions`);
  };
  inside(s.score, s.ci, 'headline');
  for (const c of s.cards) inside(c.score, c.ci, `${c.key} card`);
  const gap = s.sentence && s.sentence.match(/about ([\d.,]+) times the rate in its least deprived tenth(?: \((95% CI [^)]*)\))?; in a typical LA, about ([\d.,]+) times/);
  if (!gap) say(`no gap sentence: ${s.sentence}`);
  else inside(gap[1], gap[2], 'gap');
  // The headline's direction, said once and never contradicted.
  if (!['steeper', 'flatter', 'same'].includes(s.direction)) say(`direction ${s.direction}`);
  const avg = s.compare.match(/\(([\d.]+)\)$/);
  if (!avg) say(`no average in "${s.compare}"`);
  else {
    const [mine, theirs] = [num(s.score), num(avg[1])];
    const want = mine > theirs ? 'steeper' : mine < theirs ? 'flatter' : 'same';
    if (want !== s.direction) say(`${s.score} against ${avg[1]} is ${want}, headline says ${s.direction}`);
    if (want !== 'same' && !s.compare.includes(want)) say(`comparison "${s.compare}" lacks "${want}"`);
  }
  const opposite = OPPOSITE[s.direction];
  if (opposite && s.visible.includes(opposite)) say(`"${opposite}" on a ${s.direction} first screen: ${s.visible}`);
  if (s.direction === 'same' && /steeper|flatter/.test(s.visible.replace(s.compare, ''))) say(`a direction word on a "same" first screen`);
  if (gap) {
    const [mine, typical] = [num(gap[1]), num(gap[3])];
    const word = mine > typical ? 'larger than' : mine < typical ? 'smaller than' : 'about the same as';
    if (!s.explanation.startsWith(`That gap is ${word} a typical LA's`)) say(`gap ${gap[1]} against ${gap[3]}, explanation: ${s.explanation}`);
    // "but" exactly when the gradient per step and the spread pull the gap opposite ways.
    const spreadMore = /are (much |a little )?more spread out/.test(s.explanation);
    const spreadLess = /are (much |a little )?less spread out/.test(s.explanation);
    const pullsApart = (s.direction === 'flatter' && spreadMore) || (s.direction === 'steeper' && spreadLess);
    if (pullsApart !== / but its neighbourhoods/.test(s.explanation)) say(`connective: ${s.explanation}`);
  }
  return problems;
}

test('every LA: rounded points inside their rounded intervals, and no sentence against the headline', async ({ page }) => {
  test.setTimeout(300_000);
  await page.setViewportSize(LAPTOP);
  await open(page);
  const all = socgradJson('las', '--json').map((la) => la.la_code);
  expect(all).toHaveLength(151);
  // The reader is handed to the page once (evaluated by the test harness, not by the page).
  await page.evaluate(`window.readFirstScreen = ${readFirstScreen.toString()}`);
  const problems = [];
  const directions = {};
  for (const code of all) {
    const s = await page.evaluate((c) => {
      document.dispatchEvent(new CustomEvent('calculator:pick-la', { detail: { code: c } }));
      return window.readFirstScreen();
    }, code);
    directions[s.direction] = (directions[s.direction] || 0) + 1;
    problems.push(...problemsOf(code, s));
  }
  expect(problems).toEqual([]);
  // Both directions occur, and most LAs differ from the average.
  expect(directions.steeper).toBeGreaterThan(30);
  expect(directions.flatter).toBeGreaterThan(30);
});

for (const [name, query, place] of [
  ['blackpool', '?la=E06000009', 'Blackpool'],
  ['windsor-and-maidenhead', '?la=E06000040', 'Windsor and Maidenhead'],
  ['bristol', '?la=E06000023', 'Bristol, City of'],
  ['cumberland', '?la=E06000063', 'Cumbria'],
]) {
  test(`first screen of ${place} at laptop and phone sizes`, async ({ page }) => {
    const requests = recordRequests(page);
    for (const [size, viewport] of [['laptop', LAPTOP], ['phone', PHONE]]) {
      await page.setViewportSize(viewport);
      await open(page, query);
      await expect(page.getByTestId('headline-place')).toHaveText(place);
      const code = new URLSearchParams(query).get('la');
      const want = socgradJson('gradient', '--source', 'hood2021', '--measure', 'referral', '--la', code, '--json');
      await expect(page.getByTestId('headline-score')).toHaveText(want.shown.value);
      await expect(page.getByTestId('headline-compare')).toHaveText(want.average.words);
      await expect(page.getByTestId('headline-sentence')).toHaveText(want.within_la.sentence);
      await expect(page.getByTestId('headline-explanation')).toHaveText(want.within_la.explanation);
      const s = await page.evaluate(readFirstScreen);
      expect(problemsOf(code, s)).toEqual([]);
      if (name === 'cumberland') {
        await expect(page.getByTestId('headline-alias')).toContainText('Cumberland was part of Cumbria until Cumbria was split on 1 April 2023');
      }
      // The answer is on the first screen: score, its interval or why none, and the gap sentence.
      for (const id of ['headline-score', 'headline-ci', 'headline-sentence']) {
        const box = await page.getByTestId(id).boundingBox();
        expect(box.y + box.height, `${id} at ${size}`).toBeLessThanOrEqual(viewport.height);
        expect(box.x + box.width).toBeLessThanOrEqual(viewport.width + 1);
      }
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
      await page.screenshot({ path: `${shots}/first-screen-${name}-${size}.png` });
    }
    expect(foreignRequests(requests, new URL(page.url()).origin)).toEqual([]);
  });
}

test('compare Blackpool with Windsor and Maidenhead: one lead comparison, the paper\'s framing only for Webb\'s CLA', async ({ page }) => {
  await page.setViewportSize(LAPTOP);
  await open(page, '?outcome=cla&measure=referral&la=E06000009&compare=1&la_b=E06000040');
  await expect(page.getByTestId('headline-place-a')).toHaveText('Blackpool');
  await expect(page.getByTestId('headline-place-b')).toHaveText('Windsor and Maidenhead');
  const a = socgradJson('gradient', '--source', 'hood2021', '--measure', 'referral', '--la', 'E06000009', '--json');
  const b = socgradJson('gradient', '--source', 'hood2021', '--measure', 'referral', '--la', 'E06000040', '--json');
  await expect(page.getByTestId('headline-comparison')).toHaveText(
    `Per 10-point step, the referral gradient is steeper in Windsor and Maidenhead (${b.shown.value}) than in Blackpool (${a.shown.value}).`);
  // No second ratio beside it, and no "times as strong" outside Webb et al.'s own CLA framing.
  await expect(page.locator('#la-headline')).not.toContainText('times as strong');
  await expect(page.locator('#la-headline')).not.toContainText('Ratio of the scores');
  await expect(page.getByTestId('hood-card')).not.toContainText('times as strong');
  await expect(page.getByTestId('hood-lead')).toHaveText(`Per 10-point step, the gradient is steeper in Windsor and Maidenhead: ${b.shown.value} against ${a.shown.value} in Blackpool.`);
  await expect(page.getByTestId('webb-framing')).toContainText('As the paper compares them');
  for (const which of ['a', 'b']) {
    const s = await page.evaluate((w) => ({
      direction: document.querySelector(`[data-testid="headline-block-${w}"]`).dataset.direction,
      visible: [...document.querySelectorAll(`[data-testid="headline-block-${w}"] p`)].filter((p) => !p.closest('details')).map((p) => p.textContent).join(' '),
    }), which);
    expect(s.visible).not.toContain(OPPOSITE[s.direction]);
  }
  await page.screenshot({ path: `${shots}/compare-blackpool-windsor-laptop.png` });
  await page.screenshot({ path: `${shots}/compare-blackpool-windsor-full.png`, fullPage: true });
  // For children in need the paper's framing is not used.
  await page.selectOption('#outcome', 'cin');
  await expect(page.getByTestId('webb-framing')).toHaveCount(0);
  await expect(page.getByTestId('webb-lead')).toContainText('Per step up in neighbourhood deprivation, the gradient is steeper in');
  await page.setViewportSize(PHONE);
  await open(page, '?outcome=cla&measure=referral&la=E06000009&compare=1&la_b=E06000040');
  await page.screenshot({ path: `${shots}/compare-blackpool-windsor-phone.png` });
});

test('names people use: newer authorities, short names and typos lead to the 2019 authority', async ({ page }) => {
  await page.setViewportSize(LAPTOP);
  await open(page);
  const picker = page.locator('#la-picker');
  const options = page.locator('#la-picker-list [role=option]');
  for (const [typed, alias, held, code] of [
    ['Cumberland', 'Cumberland', 'Cumbria', 'E10000006'],
    ['Westmorland', 'Westmorland and Furness', 'Cumbria', 'E10000006'],
    ['North Northamptonshire', 'North Northamptonshire', 'Northamptonshire', 'E10000021'],
    ['West Northamp', 'West Northamptonshire', 'Northamptonshire', 'E10000021'],
    ['BCP', 'BCP', 'Bournemouth, Christchurch and Poole', 'E06000058'],
  ]) {
    await picker.fill(typed);
    const option = options.filter({ hasText: alias }).first();
    await expect(option).toContainText(`→ ${held.replace(', City of', '')}`);
    await option.click();
    await expect(page.getByTestId('headline-place')).toHaveText(held);
    if (alias !== 'BCP') await expect(page.getByTestId('headline-alias')).toContainText(`${alias} `);
    expect(page.url()).toMatch(/la=E0\d{7}/);
    const map = await page.evaluate(() => document.querySelector('#england .map-areas path[aria-selected=true]')?.dataset.code ?? null);
    if (map) expect(map).toBe(code);
  }
  // A typo is forgiven: "Birmingam" lists Birmingham first, and Enter picks it.
  await picker.fill('Birmingam');
  await expect(options.first()).toContainText('Birmingham');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('headline-place')).toHaveText('Birmingham');
  await page.screenshot({ path: `${shots}/picker-birmingham.png` });
  // A failed search greys the answer and says whose it still is; clearing the text restores it.
  await picker.fill('Atlantis');
  await expect(page.getByTestId('la-picker-none')).toBeVisible();
  await expect(page.locator('#la-picker-list')).toBeHidden();
  await expect(page.getByTestId('headline')).toHaveClass(/stale/);
  await expect(page.getByTestId('headline-stale')).toHaveText('No local authority matches “Atlantis”: the answer below is still for Birmingham.');
  await page.screenshot({ path: `${shots}/picker-no-match.png` });
  await picker.fill('');
  await expect(page.getByTestId('headline')).not.toHaveClass(/stale/);
  // A link with a newer authority's code opens on the 2019 authority, with the note.
  await open(page, '?la=E06000061');
  await expect(page.getByTestId('headline-place')).toHaveText('Northamptonshire');
  await expect(page.getByTestId('headline-alias')).toContainText('North Northamptonshire was part of Northamptonshire');
});

test('a measure a neighbourhood type cannot give is disabled with the reason, never an engine message', async ({ page }) => {
  await page.setViewportSize(LAPTOP);
  await open(page, '?la=E06000009');
  const measure = page.locator('#measure');
  await page.selectOption('#a-neighbourhood', 'rural');
  await expect(page.getByTestId('headline-score')).toBeVisible();
  const disabled = measure.locator('option[value=parents_mental_health]');
  await expect(disabled).toBeDisabled();
  await expect(disabled).toContainText('not for one kind of neighbourhood');
  await expect(page.getByTestId('measure-limit')).toContainText('Tables 16 and 17 give no others');
  await expect(measure.locator('option[value=cp_plan]')).toBeEnabled();
  // And the other way round: with such a measure, the kinds of neighbourhood are disabled.
  await page.selectOption('#a-neighbourhood', '');
  await page.selectOption('#measure', 'parents_mental_health');
  await expect(page.locator('#a-neighbourhood option[value=rural]')).toBeDisabled();
  await expect(page.locator('#a-neighbourhood-help')).toContainText('is given for any neighbourhood only');
  await expect(page.getByTestId('headline')).not.toContainText('parents_mental_health');
  // A link asking for both gets the measure for any neighbourhood, and says why.
  await open(page, '?la=E06000009&measure=parents_mental_health&area=rural');
  await expect(page.getByTestId('url-problem')).toContainText('is not given for one kind of neighbourhood');
  await expect(page.getByTestId('headline-score')).toBeVisible();
  await expect(page.locator('body')).not.toContainText('parents_mental_health');
});

test('an engine error gets a plain message and the last good answer stays, greyed', async ({ page }) => {
  await page.setViewportSize(LAPTOP);
  await open(page, '?la=E06000009');
  const before = await page.getByTestId('webb-score').textContent();
  await page.fill('#a-gini', '1.5');
  await expect(page.getByTestId('webb-error')).toHaveText('A Gini coefficient of 1.5 is not possible: a Gini coefficient lies strictly between 0 and 1. The score below is the last one that could be computed.');
  await expect(page.getByTestId('webb-score')).toHaveText(before);
  await expect(page.getByTestId('webb-card')).toHaveClass(/stale/);
  await page.getByTestId('webb-card').screenshot({ path: `${shots}/error-keeps-last-answer.png` });
  await page.fill('#a-gini', '0.39');
  await expect(page.getByTestId('webb-error')).toBeHidden();
  await expect(page.getByTestId('webb-card')).not.toHaveClass(/stale/);
});

test('nothing moves while the page loads: layout shift under 0.1 at 1280x800', async ({ page }) => {
  await page.setViewportSize(LAPTOP);
  await page.addInitScript(() => {
    window.shift = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (!e.hadRecentInput) window.shift += e.value;
    }).observe({ type: 'layout-shift', buffered: true });
  });
  await open(page, '?la=E06000009');
  await page.waitForTimeout(1500);
  expect(await page.evaluate(() => window.shift)).toBeLessThan(0.1);
});
