// The real figures start after the page's first score is painted: the fitting engine (which
// holds the Department for Education's figures and the model of "higher or lower than expected")
// is fetched and compiled once (../fit/engine-module.js, shared with the fitting section), and the
// view's own script, a chunk of its own, is loaded beside it. Until then the tour counts the
// real figures' step with a placeholder, so a link to it opens it.
import { engineModule } from '../fit/engine-module.js';
import { registerTourStep } from '../tour-extra.js';

export const TOUR_STEP = 'real_figures';

/**
 * The link as the page was opened: the calculator writes its own link before the real figures
 * start, and keeps only its own parameters, so theirs (`measure=`, `year=`) are read from this.
 */
export const OPENED_WITH = location.search;

/** The tour's placeholder for the real figures' step: call before the tour starts. */
export function registerRealFiguresStep() {
  registerTourStep(TOUR_STEP, {
    title: 'What actually happens in England',
    body: ['Loading the Department for Education\'s figures for every local authority…'],
    question: 'How do real rates compare with what a model of deprivation expects?',
    answer: 'The figures are still loading.',
    chart: null,
    table: { caption: 'England per 10,000 children aged 0-17 (DfE)', header: ['Measure'], rows: [['Loading the figures…']] },
    citations: ['Department for Education, Children in need and Children looked after in England including adoptions'],
  }, 'your_la'); // after the LA's predicted gradient, its real figures
}

/**
 * Starts the real figures: `page` is the calculator's engine (chart drawing, the LA list, the
 * study's statistics), `map` the England map (a colouring can be chosen for it).
 */
export function startRealFigures(page, map) {
  const root = document.getElementById('la-figures');
  const section = document.getElementById('real-figures');
  if (!root || !section) return;
  const status = root.querySelector('.rates-status');
  const onBytes = (received) => {
    if (status) status.textContent = `Loading the figures: ${(received / 1024 / 1024).toFixed(1)} MB received…`;
  };
  engineModule(onBytes).catch(() => {}); // the download starts now; its failure is shown by the view
  import(/* webpackChunkName: "rates" */ './app.js').then(
    ({ RealFigures }) => new RealFigures(page, { root, section, map, onBytes }).start(),
    (e) => {
      if (status) {
        status.textContent = `The figures could not be loaded: ${e.message || e}.`;
        status.classList.add('error');
      }
    },
  );
}
