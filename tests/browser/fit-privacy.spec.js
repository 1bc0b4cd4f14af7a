// Privacy, shown and tested: a full fitting session makes no request outside the page's origin,
// only fetches the page's own static files, and no request carries the file's contents; the
// Content-Security-Policy is same-origin and nothing on the page breaks it.
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { engine, openFit, dropFile, fit } from './fit-helpers.js';
import { foreignRequests } from './network.js';

test.describe.configure({ timeout: 300_000 });

test('a full session sends nothing anywhere: same-origin static files only', async ({ page, context }) => {
  const requests = [];
  context.on('request', (r) => requests.push({ url: r.url(), method: r.method(), body: r.postData(), type: r.resourceType(), offlineCopy: Boolean(r.serviceWorker()) }));
  const violations = [];
  page.on('console', (m) => { if (m.type() === 'error') violations.push(m.text()); });
  page.on('pageerror', (e) => violations.push(e.message));

  await openFit(page);
  await expect(page.locator('#privacy')).toContainText('never uploaded');
  const atStart = requests.length;

  // A user's file with a marker that must never appear in any request.
  const marker = 'PRIVATE-LA-7f3a9c';
  const csv = engine.makeSample('hood2021-referrals').csv.replace(/LA001/g, marker);
  await dropFile(page, 'private.csv', csv);
  await expect(page.locator('#validation .ok')).toBeVisible({ timeout: 30_000 });
  await fit(page);
  await page.click('#compare-button');
  await expect(page.locator('#comparison-table')).toBeVisible({ timeout: 120_000 });
  for (const what of ['csv', 'json', 'r', 'png-deciles']) {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click(`[data-download=${what}]`)]);
    await download.path();
  }
  // The marker is in the results (it names an LA), so the check below is meaningful.
  await expect(page.locator('figure[data-chart=la_gradients] table')).toContainText(marker);

  const origin = new URL(page.url()).origin;
  // The log covers the workers and the offline service worker too: both engines were fetched.
  expect(requests.some((r) => /\/socgrad_calc_bg\.[0-9a-f]{8}\.wasm$/.test(r.url))).toBe(true);
  expect(requests.some((r) => /\/socgrad_bg\.[0-9a-f]{8}\.wasm$/.test(r.url))).toBe(true);
  expect(foreignRequests(requests, origin)).toEqual([]);
  expect(requests.filter((r) => r.method !== 'GET')).toEqual([]);
  expect(requests.filter((r) => r.body)).toEqual([]);
  expect(requests.filter((r) => r.url.includes(marker) || decodeURIComponent(r.url).includes(marker))).toEqual([]);
  // Only the page's own files: the page, its scripts (the page's, the fitting workflow's, the
  // worker's, the real figures'), the calculator and the fitting engine, the style sheets (screen, tour, print and the real figures'), the icons, the app manifest, the map's geometry, the six-LA section's script, tables and forest-plot engine (fetched when the section comes near), the national sample's tables and the offline service worker, which fetches the same
  // files to keep them (blob: URLs are the downloads, made on the page).
  const paths = new Set(requests.filter((r) => r.url.startsWith(origin)).map((r) => new URL(r.url).pathname));
  for (const path of paths) {
    expect(path).toMatch(/^\/(index\.html)?$|^\/(main|fit|fitting-engine|rates|six-las|six-las-figure)\.[0-9a-f]{8}\.js$|^\/socgrad(_calc|_forest)?_bg\.[0-9a-f]{8}\.wasm$|^\/six-las\.json$|^\/(style|tour|print|rates)\.css$|^\/favicon\.svg$|^\/icon-(192|512)\.png$|^\/manifest\.webmanifest$|^\/sw\.js$|^\/england-las\.json$|^\/data\/england_(lsoa11|upper_tier_las|lsoa11_centroids)\.csv$/);
  }
  // Loading, fitting and downloading fetched nothing but the engine's own files (and the map's
  // geometry, fetched once when the map comes into view, and the app's icon, which the browser
  // fetches for the manifest when it likes, and the real figures' script and styles, fetched after
  // the first score); the offline copy, made in the background after the first score, may still be
  // fetching the page's files.
  const later = requests.slice(atStart).filter((r) => !r.url.startsWith('blob:') && !r.offlineCopy);
  for (const r of later) expect(new URL(r.url).pathname).toMatch(/^\/(fitting-engine\.[0-9a-f]{8}\.js|socgrad_bg\.[0-9a-f]{8}\.wasm|england-las\.json|six-las(-figure)?\.[0-9a-f]{8}\.js|socgrad_forest_bg\.[0-9a-f]{8}\.wasm|six-las\.json|icon-(192|512)\.png|manifest\.webmanifest|rates\.[0-9a-f]{8}\.js|rates\.css)$/);
  expect(violations).toEqual([]);
});

test('the policy is same-origin, in the header and in the page', async ({ page }) => {
  const response = await page.goto('/');
  const header = response.headers()['content-security-policy'];
  expect(header).toContain("default-src 'self'");
  expect(header).toContain("connect-src 'self'");
  expect(header).toContain("worker-src 'self'");
  expect(header).not.toMatch(/https?:|\*/);
  const meta = await page.locator('meta[http-equiv=Content-Security-Policy]').getAttribute('content');
  expect(meta).toContain("default-src 'self'");
  expect(meta).not.toMatch(/https?:|\*|unsafe-inline/);
  // The built page names no other host: no analytics, fonts or scripts from elsewhere.
  const html = readFileSync('dist/index.html', 'utf8');
  const links = html.match(/(src|href|content)=("[^"]*"|[^\s>]+)/g);
  expect(links.length).toBeGreaterThan(2);
  expect(links.filter((a) => /\/\//.test(a))).toEqual([]);
});
