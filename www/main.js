// Page entry: load the calculator's engine (the small WebAssembly build: tables, places,
// calculator, charts, tour), start the calculator, the map and the tour, and start the fitting
// workflow, with the whole engine in its workers, only when its section is opened or a file dropped.
import init, * as calculator from './pkg/socgrad_calc.js';
import { Calculator } from './calculator.js';
import { afterNextPaint } from './dom.js';
import { startFittingWhenOpened } from './fit/open.js';
import { withSafeDrawing } from './fit/cssom.js';
import { connectEnglandMap } from './map.js';
import { registerOfflineWorker } from './offline.js';
import { registerRealFiguresStep, startRealFigures } from './rates/start.js';
import { startSixLasWhenNear } from './six-las-open.js';
import { Tour } from './tour.js';

/** Resolves once the whole document is parsed (the script is loaded async, so it may run before). */
function documentParsed() {
  return document.readyState === 'loading'
    ? new Promise((resolve) => document.addEventListener('DOMContentLoaded', resolve, { once: true }))
    : Promise.resolve();
}

async function main() {
  // The wasm compiles while the document is still being parsed.
  const engine = init();
  engine.catch(() => {}); // its failure is reported below, once the page can show it
  await documentParsed();
  document.body.dataset.build = __BUILD__;
  const status = document.getElementById('engine-status');
  try {
    await engine;
  } catch (e) {
    status.textContent = `The calculator could not start: ${e.message || e}. It needs a browser with WebAssembly.`;
    status.classList.add('error');
    return;
  }
  status.hidden = true;
  const section = document.getElementById('calculator');
  const page = withSafeDrawing(calculator);
  // The 151 LAs become JS objects once, when first needed (a link's LA, typing, the tour).
  let las = null;
  page.las = () => (las ??= calculator.las());
  const englandMap = connectEnglandMap(page, document.getElementById('england'));
  new Calculator(page, section).start();
  // The first score is painted before the rest of the page starts.
  await new Promise(afterNextPaint);
  document.getElementById('print-page').addEventListener('click', () => window.print());
  registerRealFiguresStep(); // the tour counts the real figures' step before its figures arrive
  new Tour(page, document.getElementById('teach-this')).start();
  document.body.dataset.ready = 'true';
  // The real figures (www/rates/): the fitting engine is fetched now, before the offline copy
  // asks for the same file, which then comes from the browser's cache.
  startRealFigures(page, englandMap);
  // The offline copy (every file of the page) is downloaded after the first score, not before.
  registerOfflineWorker();
  startFittingWhenOpened(page, document.getElementById('fit'));
  startSixLasWhenNear(document.getElementById('six-las'));
}

main();
