// Offline use, in a real browser: after one visit the page (calculator, fitting engine, samples)
// works with the network off, served by its service worker from the page's own cached files; a new
// build replaces the cached files (never mixing old and new) when the page is next opened.
import { test, expect } from '@playwright/test';
import { spawn, execFileSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { engine, openFit, loadSample, fit, pageCoefficients, tempDir, withDerivedColumn } from './fit-helpers.js';
import { foreignRequests } from './network.js';

test.describe.configure({ timeout: 300_000 });

/** Waits until the service worker has installed (precached every file) and controls the page. */
async function waitForOfflineWorker(page) {
  await page.waitForFunction(() => navigator.serviceWorker.controller?.state === 'activated', null, { timeout: 60_000 });
}

/** Every URL in the page's caches. */
function cachedUrls(page) {
  return page.evaluate(async () => {
    const urls = [];
    for (const name of await caches.keys()) {
      for (const request of await (await caches.open(name)).keys()) urls.push(request.url);
    }
    return urls;
  });
}

/** The files the built dist/sw.js precaches, with their sizes. */
function precached(dir) {
  const sw = readFileSync(join(dir, 'sw.js'), 'utf8');
  const urls = [...sw.matchAll(/url:"([^"]+)"/g)].map((m) => m[1]);
  return urls.map((url) => ({ url, bytes: statSync(join(dir, url)).size }));
}

test('the service worker precaches exactly the files of the build, with no runtime caching', async () => {
  // Every file of the build but the worker itself and the precompressed copies (the same files,
  // for the server to send compressed).
  const files = readdirSync('dist', { recursive: true })
    .filter((f) => statSync(join('dist', f)).isFile() && f !== 'sw.js' && !/\.(br|gz)$/.test(f))
    .sort();
  const cached = precached('dist');
  expect(cached.map((c) => c.url).sort()).toEqual(files);
  const sw = readFileSync('dist/sw.js', 'utf8');
  // The Workbox runtime is bundled in: no script is imported, from here or anywhere else.
  expect(sw).not.toContain('importScripts');
  const bytes = cached.reduce((s, c) => s + c.bytes, 0);
  console.log(`Offline cache: ${cached.length} files, ${bytes} bytes (${(bytes / 1048576).toFixed(2)} MiB)`);
  const manifest = JSON.parse(readFileSync('dist/manifest.webmanifest', 'utf8'));
  expect(manifest).toMatchObject({ start_url: '.', display: 'standalone', theme_color: '#0072b2', background_color: '#ffffff' });
  expect(manifest.icons.map((i) => i.sizes)).toEqual(['any', '192x192', '512x512']);
  for (const icon of manifest.icons) expect(files).toContain(icon.src);
});

test('after one visit, offline: the calculator shows its scores and a sample is fitted, nothing fails', async ({ page, context }) => {
  const requests = [];
  const failed = [];
  context.on('request', (r) => requests.push(r.url()));
  // A request the page itself cancels (net::ERR_ABORTED: an engine worker replaced while it was still
  // loading, a navigation) is no failure; anything else (no network, not cached) is.
  context.on('requestfailed', (r) => {
    if (r.failure()?.errorText !== 'net::ERR_ABORTED') failed.push(`${r.url()}: ${r.failure()?.errorText}`);
  });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));

  const response = await page.goto('/');
  expect(response.headers()['content-type']).toContain('text/html');
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  await waitForOfflineWorker(page);
  const manifest = await page.request.get('/manifest.webmanifest');
  expect(manifest.headers()['content-type']).toBe('application/manifest+json');

  // Let the first visit finish loading (the fitting engine too, which starts when its section is
  // opened), so a reload aborts nothing.
  await page.evaluate(() => {
    location.hash = '#fit';
  });
  await expect(page.locator('#fit')).toHaveAttribute('data-ready', 'true', { timeout: 30_000 });
  failed.length = 0;

  await context.setOffline(true);
  const offline = await page.reload();
  expect(offline.fromServiceWorker()).toBe(true);
  // Webb et al. 2020 Table 3 (CLA, average LA) and Hood et al. 2021 Table 2 (referrals).
  await expect(page.getByTestId('webb-score').first()).toHaveText('1.70');
  await expect(page.getByTestId('hood-score').first()).toHaveText('1.62');

  await openFit(page);
  await loadSample(page, 'hood2021-referrals');
  const formula = await page.inputValue('#formula');
  await fit(page);
  // The same fit by the engine under Node (the Hood preset is a Poisson model), to the decimals shown.
  const made = engine.makeSample('hood2021-referrals');
  const csv = withDerivedColumn(made.csv, made.sample.derive);
  const report = new engine.Session(new TextEncoder().encode(csv)).fitReport({ formula, family: 'poisson' }, () => {});
  const shown = await pageCoefficients(page);
  expect(Object.keys(shown)).toEqual(report.coefficients.map((c) => c.term));
  for (const c of report.coefficients) expect(Math.abs(shown[c.term].estimate - c.estimate), c.term).toBeLessThanOrEqual(0.00005 + 1e-9);
  await expect(page.getByTestId('fit-score')).toHaveText(report.coefficients[1].irr.toFixed(2));

  expect(failed).toEqual([]);
  expect(errors).toEqual([]);
  // Nothing but the build's own files was cached, the fitted sample included.
  const cached = (await cachedUrls(page)).map((u) => new URL(u).pathname.slice(1));
  expect(cached.sort()).toEqual(precached('dist').map((c) => c.url).sort());
  expect(foreignRequests(requests.map((url) => ({ url })), new URL(page.url()).origin)).toEqual([]);
});

/** A server for one folder, on a free port, whose contents the test can swap; resolves to it and its origin. */
async function serveFolder(dir) {
  const server = spawn(process.execPath, ['scripts/serve.mjs'], { env: { ...process.env, SITE_DIR: dir, PORT: '0' }, stdio: ['ignore', 'pipe', 'inherit'] });
  const origin = await new Promise((resolve, reject) => {
    server.stdout.once('data', (line) => resolve(String(line).match(/http:\/\/[\d.]+:\d+/)[0]));
    server.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  return { server, origin };
}

function replaceFolder(dir, from) {
  rmSync(dir, { recursive: true, force: true });
  cpSync(from, dir, { recursive: true });
}

test.describe('a new build', () => {
  const work = tempDir();
  const [buildA, buildB, site] = ['a', 'b', 'site'].map((d) => join(work, d));
  let server;
  let origin;

  test.beforeAll(async () => {
    test.setTimeout(300_000);
    // Build A is the tested dist/; build B is the same page with another build label.
    cpSync('dist', buildA, { recursive: true });
    execFileSync('npx', ['webpack', '--mode', 'production', '--env', 'build=second', '--output-path', buildB], { stdio: 'ignore' });
    replaceFolder(site, buildA);
    ({ server, origin } = await serveFolder(site));
  });
  test.afterAll(() => {
    server?.kill();
    rmSync(work, { recursive: true, force: true });
  });
  test.beforeEach(() => replaceFolder(site, buildA));

  const mainScript = (dir) => readdirSync(dir).find((f) => /^main\.[0-9a-f]{8}\.js$/.test(f));
  const labelA = JSON.parse(readFileSync('package.json', 'utf8')).version;

  /** After the switch: the page runs B's files only, and the cache holds B's files only. */
  async function expectBuildB(page, requests) {
    await expect(page.locator('body')).toHaveAttribute('data-build', 'second');
    await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
    await expect(page.getByTestId('webb-score').first()).toHaveText('1.70');
    const filesB = new Set(readdirSync(buildB));
    const paths = requests.map((u) => new URL(u).pathname.slice(1)).filter((p) => p && !p.startsWith('?'));
    for (const p of paths) expect(filesB.has(p) || p === 'index.html', p).toBe(true);
    expect(paths).toContain(mainScript(buildB));
    expect(paths).not.toContain(mainScript(buildA));
    const cached = (await cachedUrls(page)).map((u) => new URL(u).pathname.slice(1));
    expect(cached.sort()).toEqual(precached(buildB).map((c) => c.url).sort());
    expect(cached).not.toContain(mainScript(buildA));
  }

  test('is used when the page is next opened, and its files replace the old ones', async ({ context }) => {
    expect(mainScript(buildA)).not.toBe(mainScript(buildB));
    const first = await context.newPage();
    await first.goto(origin + '/');
    await expect(first.locator('body')).toHaveAttribute('data-build', labelA);
    await waitForOfflineWorker(first);
    await first.close();

    // Deployed: the next visit finds the new worker, which installs B beside the running A...
    replaceFolder(site, buildB);
    const second = await context.newPage();
    await second.goto(origin + '/');
    await expect(second.locator('body')).toHaveAttribute('data-build', labelA);
    await expect(second.locator('#update-banner')).toBeVisible({ timeout: 60_000 });
    await second.close();

    // ...and the visit after that runs B.
    const third = await context.newPage();
    const requests = [];
    third.on('request', (r) => requests.push(r.url()));
    await third.goto(origin + '/');
    await expectBuildB(third, requests);
  });

  test('"Reload to use it" switches an open page to the new version', async ({ page }) => {
    await page.goto(origin + '/');
    await waitForOfflineWorker(page);
    replaceFolder(site, buildB);
    await page.reload();
    await expect(page.locator('body')).toHaveAttribute('data-build', labelA);
    await expect(page.locator('#update-banner')).toBeVisible({ timeout: 60_000 });
    const requests = [];
    page.on('request', (r) => requests.push(r.url()));
    await Promise.all([page.waitForNavigation(), page.click('#update-reload')]);
    await expectBuildB(page, requests);
  });
});
