// Fitting benchmark in the browser (not a test): a CSV dropped on the fitting section of the built
// page in headless Chromium, timed in the page from the drop to the results on screen.
//   - national: the national sample on England's 32,844 real neighbourhoods (made here from the
//     two public tables with the same engine the page uses), with the model the page writes for
//     it when dropped as a file;
//   - FILE (optional, BIG_CSV=path, e.g. the 1,000,000-row file `scripts/bench.sh` writes with
//     BENCH_BIG=1): NB2 with an LA random intercept, `count ~ imd_z * la_imd +
//     offset(log(pop/10000)) + (1 | la)`, the benchmark's model.
// For each: drop -> file read (the "Loaded" line), drop -> "Ready" (the page's formula checked
// against the data), Fit clicked -> results drawn, and drop -> results without the time a person
// takes to click or type (national: drop -> Ready + Fit -> results; FILE: drop -> read + the fit
// of the benchmark's model, typed once the file is read).
//   - national_choice: the national sample chosen with its button, as a person would (the page
//     fetches its three tables from its own server, simulates the counts in the engine's worker,
//     reads them and checks the Hood preset), then fitted: choice -> tables fetched, -> sample
//     made, -> file read, -> "Ready", Fit clicked -> results drawn, and choice -> results
//     without the click; with the longest task of the page's own thread from the choice to the
//     results drawn.
// Medians of RUNS runs (default 5), as one JSON object.
//   node scripts/bench-fit-page.mjs [RUNS]   (build first: source scripts/lib.sh; build_wasm; build_web)
// SITE_DIR=path measures another build instead of dist/; BEFORE_DIR=path measures that build too,
// in the same run, its runs alternating with this one's, and prints both (`{before, after}`: an
// earlier version against this one). BENCH_NATIONAL=0 leaves the national sample out.
import { chromium } from '@playwright/test';
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { staticHandler } from './serve.mjs';
import * as engine from '../tests/wasm/engine.mjs';

const RUNS = Math.max(1, Number(process.argv[2] || 5));
const BIG_FORMULA = 'count ~ imd_z * la_imd + offset(log(pop/10000)) + (1 | la)';

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** The national sample's CSV, as the page makes it from the two tables. */
function nationalCsv() {
  const read = (name) => new Uint8Array(readFileSync(new URL(`../data/${name}`, import.meta.url)));
  return Buffer.from(engine.makeEnglandSample(read('england_lsoa11.csv'), read('england_upper_tier_las.csv'),
    read('england_lsoa11_centroids.csv')).csv);
}

/** The built page in `root`, plus the files to drop at /bench-files/NAME (fetched before the clock starts). */
async function serve(root, files) {
  const site = staticHandler(root);
  const server = createServer((req, res) => {
    const name = (req.url || '').startsWith('/bench-files/') ? req.url.slice('/bench-files/'.length) : null;
    const file = name && files[name];
    if (!file) return site(req, res);
    if (Buffer.isBuffer(file)) return res.writeHead(200, { 'Content-Type': 'text/csv' }).end(file);
    res.writeHead(200, { 'Content-Type': 'text/csv', 'Content-Length': statSync(file).size });
    return createReadStream(file).pipe(res);
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { server, origin: `http://127.0.0.1:${server.address().port}` };
}

/** One drop and fit in a fresh page: times in ms, from the page's own clock. */
async function dropAndFit(browser, origin, name, { formula = null, family = null } = {}) {
  const context = await browser.newContext({ serviceWorkers: 'block', viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(`${origin}/#fit`);
  await page.locator('#fit[data-ready=true]').waitFor({ state: 'attached', timeout: 300_000 });
  // The file is fetched into the page first; the clock starts at the drop.
  await page.evaluate(async (name) => {
    const blob = await (await fetch(`/bench-files/${name}`)).blob();
    window.benchFile = new File([blob], name, { type: 'text/csv' });
  }, name);
  const dropped = await page.evaluate((name) => {
    const t = performance.now();
    window.benchTimes = { loaded: null, ready: null };
    const status = document.querySelector('#load-status');
    new MutationObserver((_, o) => {
      if (!status.textContent.startsWith(`Loaded ${name}`)) return;
      window.benchTimes.loaded = performance.now();
      o.disconnect();
    }).observe(status, { childList: true, subtree: true, characterData: true });
    new MutationObserver((_, o) => {
      if (!document.querySelector('#validation .ok, #validation .error')) return;
      window.benchTimes.ready = performance.now();
      o.disconnect();
    }).observe(document.body, { childList: true, subtree: true });
    const dt = new DataTransfer();
    dt.items.add(window.benchFile);
    const zone = document.querySelector('#dropzone');
    for (const type of ['dragenter', 'dragover', 'drop']) zone.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
    return t;
  }, name);
  // The model the page writes for the file, checked against it (drop -> "Ready" for the
  // national sample); with `formula`, the benchmark's model is then typed and fitted at once.
  await page.locator('#validation .ok, #validation .error').first().waitFor({ state: 'visible', timeout: 300_000 });
  const { loaded, ready } = await page.evaluate(() => window.benchTimes);
  if (formula) {
    if (family) await page.check(`#family-${family}`);
    await page.fill('#formula', formula);
  } else {
    await page.locator('#validation .ok').waitFor({ state: 'visible', timeout: 1000 });
  }
  const shown = await page.inputValue('#formula');
  const clicked = await fitAndDraw(page);
  await context.close();
  const fitted = clicked.end - clicked.t;
  return {
    formula: shown,
    read_ms: loaded - dropped,
    drop_to_ready_ms: formula ? null : ready - dropped,
    fit_to_results_ms: fitted,
    // Typed formula: the file read, then the fit of the formula typed once it is read.
    drop_to_results_ms: formula ? loaded - dropped + fitted : ready - dropped + fitted,
  };
}

/** Clicks "Fit the model" in `page` and resolves with the page's ms from the click to the results drawn. */
async function fitAndDraw(page) {
  const clicked = await page.evaluate(() => new Promise((resolve) => {
    const fit = document.querySelector('#fit');
    const results = document.querySelector('#fit-results');
    const t = performance.now();
    const done = () => fit.dataset.fitState === 'done' && results.dataset.drawn === 'true';
    new MutationObserver((_, o) => {
      if (fit.dataset.fitState === 'error') resolve({ error: document.querySelector('#fit-results').textContent.slice(0, 300) });
      if (!done()) return;
      o.disconnect();
      requestAnimationFrame(() => resolve({ t, end: performance.now() }));
    }).observe(document.querySelector('#fit'), { attributes: true, subtree: true, attributeFilter: ['data-fit-state', 'data-drawn'] });
    delete results.dataset.drawn;
    document.querySelector('#fit-button').click();
  }));
  if (clicked.error) throw new Error(`the fit failed: ${clicked.error}`);
  return clicked;
}

/** The national sample chosen with its button in a fresh page, then fitted: times in ms, from the page's own clock. */
async function chooseAndFit(browser, origin) {
  const context = await browser.newContext({ serviceWorkers: 'block', viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(`${origin}/#fit`);
  await page.locator('#fit[data-ready=true]').waitFor({ state: 'attached', timeout: 300_000 });
  await page.evaluate(() => {
    const at = {};
    window.benchChoice = at;
    window.benchLongTasks = [];
    new PerformanceObserver((list) => window.benchLongTasks.push(...list.getEntries().map((e) => [e.startTime, e.duration])))
      .observe({ type: 'longtask' });
    const status = document.querySelector('#load-status');
    new MutationObserver(() => {
      const text = status.textContent;
      if (text.startsWith('Simulating')) at.fetched ??= performance.now();
      if (text.startsWith('Reading') || text.startsWith('Loaded')) at.made ??= performance.now();
      if (text.startsWith('Loaded')) at.read ??= performance.now();
    }).observe(status, { childList: true, subtree: true, characterData: true });
    new MutationObserver((_, o) => {
      if (!document.querySelector('#validation .ok, #validation .error')) return;
      at.ready = performance.now();
      o.disconnect();
    }).observe(document.body, { childList: true, subtree: true });
    at.chosen = performance.now();
    document.querySelector('[data-sample=hood2021-england]').click();
  });
  await page.locator('#validation .ok').waitFor({ state: 'visible', timeout: 300_000 });
  const formula = await page.inputValue('#formula');
  const { t, end } = await fitAndDraw(page);
  const { at, longest } = await page.evaluate(() => ({
    at: window.benchChoice,
    longest: Math.max(0, ...window.benchLongTasks.map(([, d]) => d)),
  }));
  await context.close();
  const from = (key) => (at[key] === undefined ? null : at[key] - at.chosen);
  return {
    formula,
    tables_fetched_ms: from('fetched'),
    sample_made_ms: from('made'),
    read_ms: from('read'),
    choice_to_ready_ms: from('ready'),
    fit_to_results_ms: end - t,
    choice_to_results_ms: from('ready') + end - t,
    longest_main_thread_task_ms: longest,
  };
}

/** Medians of `runs` (each one drop and fit's times) as one object. */
function medians(runs) {
  const out = { formula: runs[0].formula };
  for (const key of Object.keys(runs[0]).filter((k) => k.endsWith('_ms'))) {
    out[key] = runs[0][key] === null ? null : Math.round(median(runs.map((r) => r[key])));
  }
  return out;
}

const files = {};
if (process.env.BENCH_NATIONAL !== '0') files['national.csv'] = nationalCsv();
if (process.env.BIG_CSV) files['big.csv'] = process.env.BIG_CSV;
const cases = [];
if (files['national.csv']) cases.push({ key: 'national', name: 'national.csv', rows: 32844, options: {} });
if (process.env.BENCH_NATIONAL !== '0') cases.push({ key: 'national_choice', choice: true, rows: 32844 });
if (files['big.csv']) {
  const rows = readFileSync(files['big.csv'], 'latin1').split('\n').filter(Boolean).length - 1;
  cases.push({ key: 'big', name: 'big.csv', rows, options: { formula: BIG_FORMULA, family: 'nbinom2' } });
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});
const sites = [[process.env.BEFORE_DIR ? 'after' : 'measured', process.env.SITE_DIR || fileURLToPath(new URL('../dist/', import.meta.url))]];
if (process.env.BEFORE_DIR) sites.unshift(['before', process.env.BEFORE_DIR]);
const served = await Promise.all(sites.map(([, root]) => serve(root, files)));
// The builds' runs alternate (before, after, before, ...), so that a machine busier at one
// moment than another weighs on both alike.
const out = { runs: RUNS };
for (const [label, root] of sites) out[label] = { site: root };
for (const c of cases) {
  const runs = sites.map(() => []);
  for (let i = 0; i < RUNS; i++) {
    for (const [k, { origin }] of served.entries()) {
      runs[k].push(await (c.choice ? chooseAndFit(browser, origin) : dropAndFit(browser, origin, c.name, c.options)));
    }
  }
  for (const [k, [label]] of sites.entries()) out[label][c.key] = { rows: c.rows, ...medians(runs[k]) };
}
for (const { server } of served) server.close();
await browser.close();
console.log(JSON.stringify(out, null, 2));
