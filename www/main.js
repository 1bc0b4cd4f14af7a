// Page entry: load the engine (WebAssembly), then start the calculator and the fitting workflow.
import init, * as engine from './pkg/socgrad.js';
import { Calculator } from './calculator.js';
import { FitApp } from './fit/app.js';
import { withSafeDrawing } from './fit/cssom.js';
import { connectEnglandMap } from './map.js';
import { registerOfflineWorker } from './offline.js';
import { Tour } from './tour.js';

async function main() {
  document.body.dataset.build = __BUILD__;
  registerOfflineWorker();
  const status = document.getElementById('engine-status');
  try {
    await init();
  } catch (e) {
    status.textContent = `The calculator could not start: ${e.message || e}. It needs a browser with WebAssembly.`;
    status.classList.add('error');
    return;
  }
  status.hidden = true;
  const section = document.getElementById('calculator');
  section.hidden = false;
  const page = withSafeDrawing(engine);
  connectEnglandMap(page, document.getElementById('england'));
  new Calculator(page, section).start();
  document.getElementById('print-page').addEventListener('click', () => window.print());
  new Tour(page, document.getElementById('teach-this')).start();
  document.body.dataset.ready = 'true';
  new FitApp(page, document.getElementById('fit')).start();
}

main();
