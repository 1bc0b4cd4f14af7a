// The real figures in a real browser: an LA's Department for Education figures beside England's
// under the headline (checked against `socgrad rates`), the trend chart with its gaps and table,
// the funnel plot with the LA marked and every LA named on hover and on focus (outliers checked
// against `socgrad expected`), rates against deprivation, the map coloured by a rate and by
// observed ÷ expected, the tour step printed on the handout, the link's measure= and year=, the
// Gini coefficient from income bands used in the calculator, the LA panel of real counts fitted
// as on the command line, and the first score's download (at most 200 KB, the figures after it).
// Screenshots at laptop (1280x800), phone (390x844) and projector (1280x720) sizes.
import { test, expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { socgradJson } from './cli.js';
import { recordRequests, foreignRequests } from './network.js';
import { shots, tempDir, engine, openFit, fit, pageCoefficients, nativeFit, writeFile } from './fit-helpers.js';

test.describe.configure({ timeout: 180_000 });

const SIZES = { laptop: [1280, 800], phone: [390, 844], projector: [1280, 720] };

/** Opens the page and waits until the real figures for `shown` (`CODE|measure|year`) are shown. */
async function open(page, query = '', shown = /./) {
  await page.goto('/' + query);
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  await expect(page.locator('#la-figures')).toHaveAttribute('data-shown', shown, { timeout: 60_000 });
}

/** The chart canvas matched by `selector` is drawn: it has pixels that are not background. */
async function expectInk(page, selector) {
  const canvas = page.locator(selector);
  await expect(canvas).toBeVisible();
  await expect.poll(() => canvas.evaluate((c) => {
    const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i] < 200 || data[i + 1] < 200 || data[i + 2] < 200) n += 1;
    return n;
  })).toBeGreaterThan(1000);
}

/** A rate as the engine shows it: as DfE prints it (whole numbers for children looked after, else one decimal), thousands separated. */
const rateText = (x, decimals) => x.toLocaleString('en-GB', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
const decimalsOf = (measure) => (measure === 'cla_at31' ? 0 : 1);

test('picking an LA shows its DfE figures beside England\'s, as socgrad rates prints them', async ({ page }) => {
  const requests = recordRequests(page);
  await page.setViewportSize({ width: 1280, height: 800 });
  await open(page, '', 'england|cla_at31|2025');
  await expect(page.locator('#la-figures-title')).toHaveText('England in the Department for Education\'s figures');
  await page.locator('#la-picker').fill('blackp');
  await page.keyboard.press('Enter');
  await expect(page.locator('#la-figures')).toHaveAttribute('data-shown', 'E06000009|cla_at31|2025', { timeout: 30_000 });
  await expect(page.locator('#la-figures-title')).toHaveText('Blackpool in the Department for Education\'s figures');
  const cli = socgradJson('rates', '--la', 'E06000009', '--year', '2025', '--json');
  const rows = page.locator('#rates-figures-table tbody tr');
  await expect(rows).toHaveCount(5);
  for (const [i, r] of cli.rows.entries()) {
    const cells = rows.nth(i).locator('th, td');
    await expect(cells.nth(1)).toHaveText(rateText(r.rate, decimalsOf(r.measure)));
    await expect(cells.nth(2)).toHaveText(r.count.toLocaleString('en-GB'));
    await expect(cells.nth(3)).toHaveText(new RegExp(`^${rateText(r.england_rate, decimalsOf(r.measure))} \\((149|151)\\)$`));
  }
  // Blackpool looks after more children per head than any other LA (of the 149 with a figure).
  await expect(rows.nth(4).locator('td').last()).toHaveText('1 of 149');
  await expect(rows.nth(4)).toHaveClass(/chosen/);
  await expect(page.locator('.rates-what')).toContainText('not the studies\' neighbourhood rates');
  await page.locator('#la-figures').screenshot({ path: `${shots}/rates-figures-laptop.png` });
  expect(foreignRequests(requests, new URL(page.url()).origin)).toEqual([]);
});

test('the trend chart shows a gap where DfE has no figure, says why, and has a table of the same numbers', async ({ page }) => {
  await open(page, '?la=E09000012&measure=cin_at31&year=2020', 'E09000012|cin_at31|2020');
  await expect(page.locator('#rates-measure')).toHaveValue('cin_at31');
  await expect(page.locator('#rates-year')).toHaveValue('2020');
  await expectInk(page, '#rates-trend-chart');
  await expect(page.getByTestId('trend-gaps')).toContainText("No figure for Hackney in 2021 and 2022: not available (DfE 'x').");
  const table = page.locator('.rates-trend .chart-table');
  await table.locator('summary').click();
  const rows = table.locator('tbody tr');
  await expect(rows).toHaveCount(13);
  // The same numbers as the data: Hackney's CIN rate 2020 and the gap after it.
  const cli = socgradJson('rates', '--la', 'E09000012', '--json');
  const cin = (y) => cli.rows.find((r) => r.year === y && r.measure === 'cin_at31');
  await expect(rows.nth(7).locator('td').first()).toHaveText(rateText(cin(2020).rate, 1));
  await expect(rows.nth(8).locator('td').first()).toHaveText('– (not published)');
  await expect(rows.nth(8).locator('td').nth(1)).toContainText(rateText(cin(2021).england_rate, 1));
  await expect(page.getByTestId('similar-las')).toContainText('the five authorities nearest to it on three measures');
});

test('the funnel marks the LA, names every LA on hover and on focus, and lists the LAs outside the limits', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await open(page, '?la=E06000009', 'E06000009|cla_at31|2025');
  const cli = socgradJson('expected', '--measure', 'cla_at31', '--year', '2025', '--json');
  const mine = cli.las.find((l) => l.la_code === 'E06000009');
  await expect(page.getByTestId('expected-sentence')).toHaveText(new RegExp(
    `^In 2025 Blackpool's rate of children looked after was ${mine.ratio.toFixed(2)} times what the model expects`));
  await expect(page.getByTestId('expected-sentence')).toContainText(`(${mine.observed} children looked after at 31 March, ${Math.round(mine.expected)} expected)`);
  await expectInk(page, '#rates-funnel-chart');
  // The LAs above and below the 99.8% limits are the command line's.
  const above = cli.las.filter((l) => l.observed > l.limits_998[1]);
  const below = cli.las.filter((l) => l.observed < l.limits_998[0]);
  const outliers = page.getByTestId('outliers');
  await expect(outliers).toContainText(`Higher than expected (${above.length})`);
  await expect(outliers).toContainText(`Lower than expected (${below.length})`);
  for (const l of above) await expect(outliers).toContainText(`${l.observed} against ${Math.round(l.expected)} expected`);
  // Every LA of the model is a named point; the chosen one takes the tab stop.
  const points = page.locator('.rates-funnel .chart-point');
  await expect(points).toHaveCount(cli.model.n);
  const blackpool = page.locator('.rates-funnel .chart-point[data-code=E06000009]');
  await expect(blackpool).toHaveAttribute('tabindex', '0');
  await blackpool.focus();
  const tooltip = page.locator('.rates-funnel .chart-tooltip');
  await expect(tooltip).toBeVisible();
  await expect(tooltip).toHaveText(`Blackpool: ${mine.ratio.toFixed(2)} times expected (${mine.observed} observed, ${Math.round(mine.expected)} expected)`);
  await expect(blackpool).toHaveAttribute('aria-label', await tooltip.textContent());
  await page.locator('.rates-funnel').screenshot({ path: `${shots}/rates-funnel-focus.png` });
  // The arrow keys move along the horizontal axis (the next larger expected count).
  await page.keyboard.press('ArrowRight');
  const next = [...cli.las].sort((a, b) => a.expected - b.expected).find((l) => l.expected > mine.expected);
  await expect(tooltip).toHaveText(new RegExp(`\\(${next.observed} observed, ${Math.round(next.expected)} expected\\)$`));
  // The pointer on a point names it too.
  await page.keyboard.press('Escape');
  const shropshire = page.locator('.rates-funnel .chart-point[data-code=E06000051]');
  const box = await shropshire.boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await expect(tooltip).toContainText('Shropshire');
  // Enter on a point chooses that LA in the calculator.
  await shropshire.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('headline-place')).toHaveText('Shropshire');
  await expect(page.locator('#la-figures')).toHaveAttribute('data-shown', 'E06000051|cla_at31|2025');
  // The table alternative and the model with its R code.
  await expect(page.locator('.rates-funnel .chart-table tbody tr')).toHaveCount(cli.model.n);
  await page.locator('#rates-model summary').click();
  await expect(page.getByTestId('rates-r-code')).toContainText('glm.nb(count ~ z + offset(log(children_0_17)), data = d)');
  const theta = await page.locator('#rates-model').textContent();
  expect(theta).toContain(`${cli.model.theta.toFixed(3)}`);
  // Allowing for IDACI too changes the model, its R code and the sentence, as the command line does.
  await page.locator('#rates-cov-idaci').check();
  await expect(page.getByTestId('rates-r-code')).toContainText('glm.nb(count ~ z + idaci_z + offset(log(children_0_17)), data = d)');
  const withIdaci = socgradJson('expected', '--measure', 'cla_at31', '--year', '2025', '--with', 'idaci', '--json');
  const chosenNow = withIdaci.las.find((l) => l.la_code === 'E06000051');
  await expect(page.getByTestId('expected-sentence')).toContainText(`was ${chosenNow.ratio.toFixed(2)} times what the model expects`);
  await expect(page.locator('#rates-coefficients tbody tr')).toHaveCount(3);
});

test('rates against deprivation: every LA a named point, with the model\'s curve', async ({ page }) => {
  await open(page, '?la=E06000009&measure=referrals', 'E06000009|referrals|2025');
  await expectInk(page, '#rates-scatter-chart');
  await expect(page.locator('.rates-scatter .chart-point')).toHaveCount(151);
  const p = page.locator('.rates-scatter .chart-point[data-code=E06000009]');
  await p.focus();
  const cli = socgradJson('rates', '--la', 'E06000009', '--year', '2025', '--json');
  const referrals = cli.rows.find((r) => r.measure === 'referrals');
  await expect(page.locator('.rates-scatter .chart-tooltip')).toHaveText(new RegExp(`^Blackpool: ${referrals.rate.toFixed(1)} per 10,000 children, IMD 2019 score 45\\.0$`));
  await expect(page.getByTestId('law-reading')).toContainText('for every 10 points of IMD score');
});

test('the map is coloured by a rate and by observed ÷ expected, and its table follows', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await open(page, '?la=E06000009', 'E06000009|cla_at31|2025');
  await page.locator('#england').scrollIntoViewIfNeeded();
  const blackpool = page.locator('#england-la-E06000009');
  await expect(blackpool).toHaveAttribute('aria-label', /^Blackpool: \d\.\d\d/);
  const gradientFill = await blackpool.getAttribute('fill');

  await page.locator('#map-colour-rate').check();
  await expect(page.locator('#england')).toHaveAttribute('data-colouring', 'rate|cla_at31|2025');
  await expect(blackpool).toHaveAttribute('aria-label', 'Blackpool: 184 per 10,000, ranked 1 of 149');
  expect(new URL(page.url()).searchParams.get('map')).toBe('rate');
  await expect(page.locator('.map-legend-title')).toHaveText('Children looked after per 10,000 children, 2025');
  await expect(page.locator('#england .map-lede, #england > .lede')).toBeHidden();
  const table = page.locator('#england table.map-ranking');
  await expect(table.locator('thead th').nth(2)).toHaveText('Rate per 10,000');
  await expect(table.locator('tbody tr').first().locator('th')).toHaveText('Blackpool');
  // LAs without a figure are listed last, unranked, with the reason.
  await expect(table.locator('tbody tr').last()).toContainText('no figure');
  const rateFill = await blackpool.getAttribute('fill');
  expect(rateFill).not.toBe(gradientFill);
  await page.locator('#england').screenshot({ path: `${shots}/rates-map-rate-laptop.png` });

  await page.locator('#map-colour-ratio').check();
  await expect(page.locator('#england')).toHaveAttribute('data-colouring', 'ratio|cla_at31|2025');
  const cli = socgradJson('expected', '--measure', 'cla_at31', '--year', '2025', '--json');
  const mine = cli.las.find((l) => l.la_code === 'E06000009');
  await expect(blackpool).toHaveAttribute('aria-label', new RegExp(`^Blackpool: ${mine.ratio.toFixed(2)} × expected, ranked \\d+=? of \\d+$`));
  expect(new URL(page.url()).searchParams.get('map')).toBe('ratio');
  await expect(page.locator('.map-legend-ends')).toHaveText(/lower than expected\s*higher than expected/);
  const top = [...cli.las].sort((a, b) => b.ratio - a.ratio)[0];
  await expect(table.locator('thead th').nth(2)).toHaveText('Observed ÷ expected');
  await expect(table.locator('tbody tr').first().locator('td').nth(1)).toHaveText(new RegExp(`^${top.ratio.toFixed(2)} × expected`));
  // On a diverging scale centred on 1: the legend's middle tick is 1.00.
  await expect(page.locator('.map-tick-label', { hasText: '1.00' })).toHaveCount(1);
  await page.locator('#england').screenshot({ path: `${shots}/rates-map-ratio-laptop.png` });

  // Changing the year recolours the map.
  await page.locator('#rates-year').selectOption('2020');
  await expect(page.locator('#england')).toHaveAttribute('data-colouring', 'ratio|cla_at31|2020');
  await page.locator('#map-colour-gradient').check();
  await expect(blackpool).toHaveAttribute('aria-label', /^Blackpool: \d\.\d\d/);
  await expect(page.locator('#england > .lede')).toBeVisible();
  expect(new URL(page.url()).searchParams.get('map')).toBeNull();
});

test('the map\'s colouring is in the link: map=ratio opens the map coloured by observed ÷ expected, ranked by the engine', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await open(page, '?la=E06000009&map=ratio', 'E06000009|cla_at31|2025');
  await page.locator('#england').scrollIntoViewIfNeeded();
  await expect(page.locator('#map-colour-ratio')).toBeChecked();
  await expect(page.locator('#england')).toHaveAttribute('data-colouring', 'ratio|cla_at31|2025', { timeout: 30_000 });
  // No hatching here (nothing is extrapolated), and no stray words where its note would be.
  await expect(page.locator('#england .map-legend')).not.toContainText('null');
  const cli = socgradJson('expected', '--measure', 'cla_at31', '--year', '2025', '--json');
  const ranked = cli.las.filter((l) => !['E06000053', 'E09000001'].includes(l.la_code)).sort((a, b) => b.ratio - a.ratio);
  const table = page.locator('#england table.map-ranking');
  await expect(table.locator('tbody tr').first().locator('td').first()).toHaveText('1');
  await expect(table.locator('caption')).toContainText(`${ranked.length} local authorities ranked from the most above what the model expects`);
  await expect(page.locator('#england .map-chosen')).toContainText(/ranked \d+=? of \d+ \(1 is the most above expected\)/);
  // The keyboard's one stop on the map, zoom and the nearby list work with this colouring too.
  await page.getByTestId('map-zoom-in').click();
  await expect(page.getByTestId('map-zoom-reset')).toBeEnabled();
  await expect(page.getByTestId('map-nearby').locator('button')).not.toHaveCount(0);
  await page.locator('#england').screenshot({ path: `${shots}/rates-map-ratio-phone.png` });
  await page.getByTestId('map-nearby').locator('button').first().click();
  await expect(page.locator('#england')).toHaveAttribute('data-colouring', 'ratio|cla_at31|2025');
  await expect.poll(() => new URL(page.url()).searchParams.get('map')).toBe('ratio');
});

test('the measure and year are in the link, beside the calculator\'s own measure', async ({ page }) => {
  await open(page, '?la=E06000009&measure=referrals&year=2020', 'E06000009|referrals|2020');
  await expect(page.locator('#rates-measure')).toHaveValue('referrals');
  await expect(page.locator('#rates-year')).toHaveValue('2020');
  await expect(page.getByTestId('expected-sentence')).toContainText("In 2020 Blackpool's referral rate was");
  await page.locator('#rates-measure').selectOption('cpp_at31');
  await expect(page.locator('#la-figures')).toHaveAttribute('data-shown', 'E06000009|cpp_at31|2020');
  const params = new URL(page.url()).searchParams;
  expect(params.getAll('measure')).toEqual(['referral', 'cpp_at31']);
  expect(params.get('year')).toBe('2020');
  expect(params.get('la')).toBe('E06000009');
  // The calculator's measure is unchanged, and a change of it keeps the real figures' values.
  await expect(page.locator('#measure')).toHaveValue('referral');
  await page.locator('#measure').selectOption('cp_plan');
  await expect.poll(() => new URL(page.url()).searchParams.getAll('measure')).toEqual(['cp_plan', 'cpp_at31']);
  await page.reload();
  await expect(page.locator('#la-figures')).toHaveAttribute('data-shown', 'E06000009|cpp_at31|2020', { timeout: 60_000 });
  await expect(page.locator('#measure')).toHaveValue('cp_plan');
  // The defaults leave the calculator's link as it was.
  await page.locator('#rates-measure').selectOption('cla_at31');
  await page.locator('#rates-year').selectOption('2025');
  await expect.poll(() => new URL(page.url()).search).toBe('?outcome=cla&measure=cp_plan&la=E06000009');
});

/** Every visible element of the tour lies inside the window (as the tour's own test checks). */
async function tourFitsWindow(page) {
  return page.evaluate(() => {
    const tour = document.getElementById('tour');
    const outside = [];
    for (const el of tour.querySelectorAll('h2, p, button, canvas, summary, select, li, figcaption')) {
      const r = el.getBoundingClientRect();
      if ((r.width === 0 && r.height === 0) || el.closest('.tour-handout')) continue;
      if (r.left < -0.5 || r.top < -0.5 || r.right > innerWidth + 0.5 || r.bottom > innerHeight + 0.5) outside.push(el.textContent.slice(0, 40));
    }
    return { outside, scrolls: tour.scrollHeight > tour.clientHeight + 1 };
  });
}

test('the tour step "What actually happens in England": real rates, the funnel, a question, on the handout', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/?la=E06000009&tour=8');
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  await expect(page.locator('.tour-counter')).toHaveText('Step 8 of 10');
  await expect(page.locator('#tour-heading')).toHaveText('What actually happens in England');
  // The figures arrive from the engine's worker and replace the placeholder.
  await expect(page.locator('.tour-text')).toContainText('67 children looked after per 10,000 children', { timeout: 60_000 });
  await expect(page.locator('.tour-text')).toContainText('Blackpool: 1.22 times expected (531 against 437)');
  await expect(page.locator('.tour-question')).toContainText('99.8% limits');
  await expectInk(page, '[data-testid=tour-chart]');
  await page.locator('.tour-table summary').click();
  await expect(page.locator('.tour-table tbody tr')).toHaveCount(5);
  await page.locator('.tour-table summary').click();
  for (const [w, h] of [[1280, 720], [1024, 768]]) {
    await page.setViewportSize({ width: w, height: h });
    await page.locator('.tour-projector').click();
    await expect(page.locator('body')).toHaveClass(/projector/);
    // With the answer shown, the longest the step gets.
    await page.locator('.tour-reveal').click();
    await expect(page.locator('.tour-answer')).toContainText('Not necessarily');
    await page.waitForTimeout(300);
    expect(await tourFitsWindow(page)).toEqual({ outside: [], scrolls: false });
    await page.screenshot({ path: `${shots}/rates-tour-step-projector-${w}.png` });
    await page.locator('.tour-projector').click();
  }
  await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
  const pdf = join(tempDir(), 'handout.pdf');
  await page.pdf({ path: pdf, format: 'A4', printBackground: true });
  const pages = Number(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }).match(/^Pages:\s+(\d+)/m)[1]);
  expect(pages).toBeLessThanOrEqual(2);
  const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
  expect(text).toContain('8. What actually happens in England');
  expect(text).toContain('67 children looked after');
});

test('a Gini coefficient estimated from income bands becomes the calculator\'s', async ({ page }) => {
  await open(page, '?la=E06000009', 'E06000009|cla_at31|2025');
  await page.locator('#gini-bands').fill('0,5000,10\n5000,10000\n10000,,4');
  await page.locator('#gini-estimate').click();
  await expect(page.locator('#gini-error')).toContainText('line 2');
  await expect(page.locator('#gini-bands')).toHaveAttribute('aria-invalid', 'true');
  await page.locator('#gini-example').click();
  await page.locator('#gini-estimate').click();
  const bands = await page.locator('#gini-bands').inputValue();
  const expected = engine.giniFromBands({ bands });
  await expect(page.getByTestId('gini-value')).toHaveText(expected.gini.toFixed(3));
  await expect(page.getByTestId('gini-result')).toContainText(`95% interval ${expected.ci_low.toFixed(3)} to ${expected.ci_high.toFixed(3)}`);
  const webbBefore = await page.getByTestId('webb-score').first().textContent();
  await page.locator('#gini-use').click();
  await expect(page.locator('#a-gini')).toHaveValue(expected.gini.toFixed(3).replace(/0+$/, ''));
  await expect.poll(() => new URL(page.url()).searchParams.get('gini')).toBe(String(Number(expected.gini.toFixed(3))));
  await expect(page.getByTestId('webb-score').first()).not.toHaveText(webbBefore);
  await page.locator('.rates-gini').screenshot({ path: `${shots}/rates-gini-laptop.png` });
});

test('the LA-by-year panel of real counts fits in the browser as on the command line', async ({ page }) => {
  test.setTimeout(300_000);
  await openFit(page);
  await page.click('[data-sample=dfe-la-panel]');
  await expect(page.locator('#fit')).toHaveAttribute('data-file', 'england-la-panel-2013-2025.csv', { timeout: 60_000 });
  await expect(page.locator('#sample-card')).toContainText('Real counts, not simulated');
  const formula = 'cla_at31 ~ scale(imd2019) + factor(year) + offset(log(children_0_17)) + (1 | la_code)';
  await expect(page.locator('#formula')).toHaveValue(formula);
  await expect(page.locator('#family-nbinom2')).toBeChecked();
  await expect(page.locator('#validation .ok')).toBeVisible({ timeout: 60_000 });
  await fit(page, 240_000);
  await expect(page.locator('#fit-summary')).toContainText('1,940 rows');
  await expect(page.locator('#fit-data-label')).toHaveText(/^Data: Real counts\./);
  const file = writeFile(tempDir(), 'panel.csv', engine.makeLaPanelSample().csv);
  const native = nativeFit(file, formula, 'nbinom2');
  const onPage = await pageCoefficients(page);
  for (const c of native.coefficients) {
    expect(Math.abs(onPage[c.term].estimate - c.estimate), c.term).toBeLessThanOrEqual(0.00005 + 1e-9);
  }
});

test('the first score needs at most 200 KB; the real figures and the engine come after it, once', async ({ browser }) => {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const page = await context.newPage();
  // The first score's frame, timed in the page (as scripts/bench-page.mjs times it).
  await page.addInitScript(() => {
    let painted;
    window.firstScoreFrame = new Promise((resolve) => { painted = resolve; });
    const seen = new MutationObserver(() => {
      if (!document.querySelector('[data-testid="webb-score"]')) return;
      seen.disconnect();
      requestAnimationFrame(() => painted(performance.now()));
    });
    seen.observe(document, { childList: true, subtree: true });
  });
  await page.goto('/');
  await expect(page.locator('#la-figures')).toHaveAttribute('data-shown', 'england|cla_at31|2025', { timeout: 60_000 });
  // Every file of the page with when it was asked for and what went over the wire (compressed).
  const { score, files } = await page.evaluate(async () => ({
    score: await window.firstScoreFrame,
    files: [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]
      .map((e) => ({ path: new URL(e.name).pathname, start: e.startTime, bytes: e.transferSize })),
  }));
  const before = files.filter((f) => f.start < score);
  const bytes = before.reduce((sum, f) => sum + f.bytes, 0);
  expect(bytes).toBeGreaterThan(100 * 1024);
  expect(bytes, JSON.stringify(before)).toBeLessThanOrEqual(200 * 1024);
  const late = /^\/(rates\.|fit\.|fitting-engine\.|socgrad_bg\.)/;
  expect(before.filter((f) => late.test(f.path))).toEqual([]);
  // After it: the engine (holding the figures) and the view's script and styles, each once.
  const after = files.filter((f) => f.start >= score).map((f) => f.path);
  expect(after.filter((p) => /^\/socgrad_bg\.[0-9a-f]{8}\.wasm$/.test(p))).toHaveLength(1);
  expect(after.filter((p) => /^\/rates\.[0-9a-f]{8}\.js$/.test(p))).toHaveLength(1);
  expect(after.filter((p) => p === '/rates.css')).toHaveLength(1);
  await context.close();
});

for (const [name, [w, h]] of Object.entries(SIZES)) {
  test(`screenshots at ${name} size (${w}x${h}): the figures under the headline and the sections below`, async ({ page }) => {
    await page.setViewportSize({ width: w, height: h });
    await open(page, '?la=E06000009', 'E06000009|cla_at31|2025');
    await expectInk(page, '#rates-trend-chart');
    await page.screenshot({ path: `${shots}/rates-first-screen-${name}.png` });
    await page.locator('#la-figures').screenshot({ path: `${shots}/rates-figures-${name}.png` });
    await expectInk(page, '#rates-funnel-chart');
    await page.locator('#real-figures').screenshot({ path: `${shots}/rates-sections-${name}.png` });
    // Nothing sticks out of the window sideways.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
    expect(overflow).toBeLessThanOrEqual(1);
  });
}
