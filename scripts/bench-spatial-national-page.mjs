// The spatial model on England's 32,844 neighbourhoods in the browser (not a test): the built page
// in headless Chromium opens the national sample (real places and centroids, synthetic counts),
// chooses "spatial correlation between neighbourhoods" and fits it, as a person would. Printed, as
// one JSON object:
//   - open_to_ready_ms: the sample's button clicked -> its tables fetched from the page's own
//     server, the sample made and its model checked against it ("Ready");
//   - fit_to_results_ms: "Fit the model" clicked -> the results drawn, the field's map included;
//   - open_to_results_ms: the two together (without the time a person takes to click);
//   - map_redraw_ms: the field's map (32,844 points) drawn again after a resize of the window;
//   - longest_main_thread_task_ms: the longest task of the page's own thread while the fit ran
//     in its worker, up to the engine's last report (the page stays responsive when this is
//     short), and after it (the results taken in and shown); progress: the status lines the page showed during the fit, with when;
//   - memory: peak resident memory of the page's renderer process, which runs the fitting
//     worker and its WebAssembly memory (VmHWM from /proc, Linux), and the page's JS heap
//     (Chrome DevTools Protocol `Performance.getMetrics`, sampled every second, peak);
//   - the fitted field (sd, range) and the machine's load (`uptime`) before and after.
// Targets: within 3 minutes, within 2 GB.
//   node scripts/bench-spatial-national-page.mjs   (build first: source scripts/lib.sh; build_wasm; build_web)
// SITE_DIR=path measures another build instead of dist/.
import { chromium } from '@playwright/test';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { staticHandler } from './serve.mjs';

const site = process.env.SITE_DIR || fileURLToPath(new URL('../dist/', import.meta.url));
const load = () => loadavg().map((x) => Number(x.toFixed(2)));

/** Chromium's renderer processes among the descendants of `pid`, from /proc (Linux). */
function renderers(pid) {
  const children = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!children.has(parent)) children.set(parent, []);
      children.get(parent).push(Number(entry));
    } catch {
      // The process ended meanwhile.
    }
  }
  const out = [];
  const walk = (p) => {
    for (const c of children.get(p) || []) {
      try {
        if (readFileSync(`/proc/${c}/cmdline`, 'utf8').includes('--type=renderer')) out.push(c);
      } catch {
        // Ended meanwhile.
      }
      walk(c);
    }
  };
  walk(pid);
  return out;
}

/** `VmHWM` (peak resident set) and `VmRSS` of a process, in MiB. */
function memoryOf(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (key) => Number((status.match(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm')) || [0, 0])[1]);
    return { peak_mib: Math.round(kib('VmHWM') / 1024), rss_mib: Math.round(kib('VmRSS') / 1024) };
  } catch {
    return null;
  }
}

const server = createServer(staticHandler(site));
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const origin = `http://127.0.0.1:${server.address().port}`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});
const loadBefore = load();
const context = await browser.newContext({ serviceWorkers: 'block', viewport: { width: 1280, height: 800 } });
const page = await context.newPage();
const cdp = await context.newCDPSession(page);
await cdp.send('Performance.enable');
let heapPeak = 0;
const heapTimer = setInterval(async () => {
  try {
    const { metrics } = await cdp.send('Performance.getMetrics');
    heapPeak = Math.max(heapPeak, metrics.find((m) => m.name === 'JSHeapUsedSize')?.value || 0);
  } catch {
    // The page is closing.
  }
}, 1000);

await page.goto(`${origin}/#fit`);
await page.locator('#fit[data-ready=true]').waitFor({ state: 'attached', timeout: 300_000 });

// Open: the sample's button -> "Ready" (its tables fetched, the sample made, the model checked).
const opened = await page.evaluate(() => new Promise((resolve) => {
  const t = performance.now();
  new MutationObserver((_, o) => {
    const fit = document.querySelector('#fit');
    if (fit.dataset.file !== 'sample-hood2021-england.csv' || !document.querySelector('#validation .ok')) return;
    o.disconnect();
    resolve(performance.now() - t);
  }).observe(document.body, { childList: true, subtree: true, attributes: true });
  document.querySelector('[data-sample=hood2021-england]').click();
}));
await page.check('#choice-spatial');
await page.waitForFunction(() => /exp\(pos\(easting, northing\) \+ 0 \| country\)$/.test(document.querySelector('#formula').value));
await page.locator('#validation .ok').waitFor({ state: 'visible', timeout: 120_000 });
const formula = await page.inputValue('#formula');

// Fit: "Fit the model" -> results drawn; the page's long tasks and its status lines meanwhile.
const fitted = await page.evaluate(() => new Promise((resolve) => {
  const fit = document.querySelector('#fit');
  const results = document.querySelector('#fit-results');
  const progress = [];
  let reported = 0; // when the engine last reported a step
  const entries = [];
  const tasks = new PerformanceObserver((list) => entries.push(...list.getEntries()));
  tasks.observe({ type: 'longtask' });
  const t = performance.now();
  // The status lines, each once (without the time so far, which changes every half second).
  const watch = setInterval(() => {
    const text = document.querySelector('#progress-text')?.textContent.replace(/( \(still working[^)]*\))?; [\d.]+ s so far\.$/, '');
    if (text && text !== progress.at(-1)?.text) {
      progress.push({ s: Math.round((performance.now() - t) / 100) / 10, text });
      reported = performance.now();
    }
  }, 250);
  new MutationObserver((_, o) => {
    if (fit.dataset.fitState === 'error') {
      o.disconnect();
      clearInterval(watch);
      resolve({ error: results.textContent.slice(0, 400) });
    }
    if (fit.dataset.fitState !== 'done' || results.dataset.drawn !== 'true') return;
    o.disconnect();
    requestAnimationFrame(() => {
      const end = performance.now();
      clearInterval(watch);
      tasks.disconnect();
      // Tasks begun before the engine's last report are during the fit; later ones take in and show the results.
      const longest = (keep) => Math.max(0, ...entries.filter((e) => keep(e.startTime < reported)).map((e) => e.duration));
      resolve({ ms: end - t, longest: longest((before) => before), shown: longest((before) => !before), progress, summary: document.querySelector('#fit-summary')?.textContent });
    });
  }).observe(fit, { attributes: true, subtree: true, attributeFilter: ['data-fit-state', 'data-drawn'] });
  delete results.dataset.drawn;
  document.querySelector('#fit-button').click();
}));
if (fitted.error) throw new Error(`the fit failed: ${fitted.error}`);

// The map drawn again: a resize redraws every chart; the map's time is from the chart drawn before it.
const redraw = await page.evaluate(() => new Promise((resolve) => {
  const canvases = [...document.querySelectorAll('#fit-results figure[data-chart] canvas')];
  const stamps = new Map();
  let start = 0;
  for (const c of canvases) c.addEventListener('chart:drawn', () => stamps.set(c, performance.now()), { once: true });
  requestAnimationFrame(() => {
    start = performance.now();
    requestAnimationFrame(() => setTimeout(() => {
      const map = canvases.find((c) => c.closest('figure').dataset.chart === 'spatial_field_map');
      const before = canvases.filter((c) => stamps.get(c) < stamps.get(map)).map((c) => stamps.get(c));
      resolve({ map: stamps.get(map) - Math.max(start, ...before), all: Math.max(...stamps.values()) - start, charts: stamps.size });
    }, 0));
  });
  window.dispatchEvent(new Event('resize'));
}));
const card = await page.locator('#spatial-field').textContent();
// Chromium runs under this process: its renderers are found among its descendants.
const memory = renderers(process.pid).map(memoryOf).filter(Boolean);
clearInterval(heapTimer);
const { metrics } = await cdp.send('Performance.getMetrics');
const heapNow = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value || 0;
await context.close();
await browser.close();
server.close();

const mib = (bytes) => Math.round(bytes / 1024 / 1024);
console.log(JSON.stringify({
  site,
  rows: 32844,
  formula,
  open_to_ready_ms: Math.round(opened),
  fit_to_results_ms: Math.round(fitted.ms),
  open_to_results_ms: Math.round(opened + fitted.ms),
  map_redraw_ms: Math.round(redraw.map),
  all_charts_redraw_ms: Math.round(redraw.all),
  longest_main_thread_task_ms: { during_fit: Math.round(fitted.longest), showing_results: Math.round(fitted.shown) },
  memory: {
    renderer_peak_mib: Math.max(...memory.map((m) => m.peak_mib)),
    renderers: memory,
    page_js_heap_peak_mib: mib(Math.max(heapPeak, heapNow)),
  },
  field: (card.match(/The range is [^:]+/) || [''])[0],
  summary: fitted.summary,
  progress: fitted.progress,
  load_before: loadBefore,
  load_after: load(),
}, null, 2));
