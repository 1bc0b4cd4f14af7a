// Page-load benchmark (not a test): serves dist/ with scripts/serve.mjs on a free port and opens
// the page in headless Chromium with an empty cache, RUNS times on localhost and RUNS times with
// the network throttled by the DevTools protocol (1.6 Mbps down, 750 kbps up, 150 ms latency).
// For each it measures, from navigation:
//   - first score: the calculator's first social-gradient score on screen (the first animation
//     frame after it is in the document, timed in the page);
//   - bytes before the first score: what went over the wire (compressed) until then, and which
//     files, from the DevTools protocol's network events;
//   - real figures: the DfE figures under the score (fetched with the engine after the first score)
//     shown, from navigation, and the bytes fetched for them after the first score;
//   - fitting ready: the "Fit your own data" section ready, opened with the #fit link once the
//     real figures are shown (from that moment and from navigation), and how many times the
//     engine's wasm was requested by the page and its workers;
//   - cumulative layout shift: in RUNS more loads of their own (left alone, nothing opened), the sum
//     of the page's layout shifts (the Layout Instability API's `layout-shift` entries without recent
//     input) from navigation until 2 s after the page is ready, in a 1280x800 window (good is under
//     0.1). The sum over the whole load is at least the largest session window that the Core Web
//     Vitals CLS reports.
// Prints the medians as one JSON object.
//   node scripts/bench-page.mjs [RUNS]   (build first: source scripts/lib.sh; build_wasm; build_web)
// SITE_DIR=path measures another build (an earlier version, say) instead of dist/; PAGE_QUERY
// opens the page with a query string (`PAGE_QUERY='?la=E06000009'`: an LA's figures and headline).
import { chromium } from '@playwright/test';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { staticHandler } from './serve.mjs';

const RUNS = Math.max(1, Number(process.argv[2] || 7));
const SLOW = { offline: false, latency: 150, downloadThroughput: 1.6e6 / 8, uploadThroughput: 0.75e6 / 8 };

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

async function serve() {
  const root = process.env.SITE_DIR || fileURLToPath(new URL('../dist/', import.meta.url));
  const server = createServer(staticHandler(root));
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { server, origin: `http://127.0.0.1:${server.address().port}` };
}

/** One page load in a fresh context: first-score time, bytes and files before it, fit readiness. */
async function load(browser, origin, throttled) {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  if (throttled) await cdp.send('Network.emulateNetworkConditions', SLOW);
  const requested = [];
  page.on('request', (r) => requested.push(r.url()));
  const urls = new Map();
  const sent = new Map();
  const files = [];
  cdp.on('Network.requestWillBeSent', (e) => {
    urls.set(e.requestId, e.request.url);
    sent.set(e.requestId, e.wallTime * 1000);
  });
  cdp.on('Network.loadingFinished', (e) => files.push({ url: urls.get(e.requestId), bytes: e.encodedDataLength, sent: sent.get(e.requestId) }));

  // The first score's time is taken in the page: the first animation frame after the score is
  // in the document, that is when it is painted (not when the harness next polls for it). The
  // harness awaits a promise rather than polling with selectors, whose injected script would
  // run on the page's main thread while it loads and delay what is measured.
  await page.addInitScript(() => {
    let painted;
    window.firstScoreFrame = new Promise((resolve) => { painted = resolve; });
    const seen = new MutationObserver(() => {
      if (!document.querySelector('[data-testid="webb-score"]')) return;
      seen.disconnect();
      requestAnimationFrame(() => painted(performance.now()));
    });
    seen.observe(document, { childList: true, subtree: true });
    // The real figures shown under the score: their first frame.
    window.figuresFrame = new Promise((resolve) => {
      const shown = new MutationObserver(() => {
        if (!document.querySelector('#la-figures[data-shown]')) return;
        shown.disconnect();
        requestAnimationFrame(() => resolve(performance.now()));
      });
      shown.observe(document, { attributes: true, attributeFilter: ['data-shown'], subtree: true });
    });
  });
  await page.goto(origin + '/' + (process.env.PAGE_QUERY || ''), { waitUntil: 'commit' });
  const firstScore = await page.evaluate(() => window.firstScoreFrame);
  const scoreWallTime = await page.evaluate((t) => performance.timeOrigin + t, firstScore);
  await page.getByTestId('webb-score').first().waitFor({ state: 'visible', timeout: 120_000 });
  // (An earlier build, SITE_DIR, may have no real figures: then there is nothing to wait for.)
  const figures = await page.evaluate(() => (document.getElementById('la-figures') ? window.figuresFrame : null));
  // Files asked for before the first score (their bytes were needed for it), and after it until
  // the real figures are shown (theirs).
  const before = files.filter((f) => f.sent <= scoreWallTime);
  const forFigures = files.filter((f) => f.sent > scoreWallTime);
  const start = await page.evaluate(() => performance.now());
  await page.evaluate(() => {
    location.hash = '#fit';
  });
  await page.locator('#fit[data-ready=true]').waitFor({ state: 'attached', timeout: 300_000 });
  const fitReady = (await page.evaluate(() => performance.now())) - start;
  const engineRequests = requested.filter((u) => /\/socgrad_bg\.[0-9a-f]+\.wasm$/.test(u)).length;
  await context.close();
  return {
    firstScore,
    bytes: before.reduce((s, f) => s + f.bytes, 0),
    files: before.map((f) => `${new URL(f.url).pathname} ${f.bytes}`),
    figures,
    figuresBytes: forFigures.reduce((s, f) => s + f.bytes, 0),
    figuresFiles: forFigures.map((f) => `${new URL(f.url).pathname} ${f.bytes}`),
    fitReady,
    fitFromNavigation: start + fitReady,
    engineRequests,
  };
}

/**
 * One page load in a fresh 1280x800 context (opened with PAGE_QUERY too), left alone until 2 s
 * after the first score (the charts, the map's colours and the tour start in that time): the sum
 * of its layout shifts.
 */
async function layoutShift(browser, origin, throttled) {
  const context = await browser.newContext({ serviceWorkers: 'block', viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  if (throttled) await cdp.send('Network.emulateNetworkConditions', SLOW);
  await page.addInitScript(() => {
    window.layoutShift = { total: 0, shifts: [] };
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        if (entry.hadRecentInput) continue;
        window.layoutShift.total += entry.value;
        window.layoutShift.shifts.push({
          value: Number(entry.value.toFixed(4)),
          at: Math.round(entry.startTime),
          nodes: (entry.sources || []).map((x) => (x.node ? `${x.node.nodeName}#${x.node.id || ''}.${x.node.className || ''}` : '?')),
        });
      }
    }).observe({ type: 'layout-shift', buffered: true });
  });
  await page.goto(origin + '/' + (process.env.PAGE_QUERY || ''), { waitUntil: 'commit' });
  await page.locator('body[data-ready=true]').waitFor({ state: 'attached', timeout: 120_000 });
  await page.waitForTimeout(2000);
  const shift = await page.evaluate(() => window.layoutShift);
  await context.close();
  return shift;
}

const { server, origin } = await serve();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});
const out = { runs: RUNS };
for (const [name, throttled] of [['localhost', false], ['throttled_1.6Mbps_150ms', true]]) {
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await load(browser, origin, throttled));
  const shifts = [];
  for (let i = 0; i < RUNS; i++) shifts.push(await layoutShift(browser, origin, throttled));
  out[name] = {
    first_score_ms: Math.round(median(runs.map((r) => r.firstScore))),
    bytes_before_first_score: median(runs.map((r) => r.bytes)),
    real_figures_shown_ms: runs[0].figures === null ? null : Math.round(median(runs.map((r) => r.figures))),
    bytes_for_real_figures_after_first_score: median(runs.map((r) => r.figuresBytes)),
    fitting_ready_after_opening_ms: Math.round(median(runs.map((r) => r.fitReady))),
    fitting_ready_from_navigation_ms: Math.round(median(runs.map((r) => r.fitFromNavigation))),
    engine_wasm_requests: Math.max(...runs.map((r) => r.engineRequests)),
    cumulative_layout_shift_1280x800: Number(median(shifts.map((r) => r.total)).toFixed(4)),
    cumulative_layout_shift_worst: Number(Math.max(...shifts.map((r) => r.total)).toFixed(4)),
    layout_shifts_of_worst_run: shifts.reduce((a, b) => (b.total > a.total ? b : a)).shifts,
    files_before_first_score: runs[0].files,
    files_for_real_figures: runs[0].figuresFiles,
  };
}
await browser.close();
server.close();
console.log(JSON.stringify(out, null, 2));
