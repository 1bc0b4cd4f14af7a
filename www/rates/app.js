// The real figures on the page: the chosen local authority's figures from the Department for
// Education under the headline (its five rates beside England's, its rank, the trend of one
// measure), then "higher or lower than expected" (the funnel plot), the inverse intervention law
// in real data, the Gini coefficient from income bands, and colourings of the map. Everything is
// computed by the fitting engine in a worker of its own (the figures live in the engine's build,
// not in the calculator's first download). The measure, year and map colouring are in the link (link.js).
import { EngineWorker } from '../fit/engine.js';
import { provideTourStep } from '../tour-extra.js';
import { DEFAULT_MEASURE, queryWithRates, ratesFromQuery } from './link.js';
import { LaFigures } from './figures.js';
import { ExpectedSection } from './expected.js';
import { ScatterSection } from './scatter.js';
import { GiniSection } from './gini.js';
import { MapColouring } from './map-modes.js';
import { OPENED_WITH, TOUR_STEP } from './start.js';

/** Loads the view's style sheet once; resolves when it applies (or failed: the view still works). */
function loadStyles() {
  if (document.querySelector('link[data-rates]')) return Promise.resolve();
  return new Promise((resolve) => {
    const link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = 'rates.css';
    link.dataset.rates = '';
    link.onload = resolve;
    link.onerror = resolve;
    document.head.append(link);
  });
}

export class RealFigures {
  constructor(page, { root, section, map, onBytes }) {
    this.page = page;
    this.root = root;
    this.section = section;
    this.map = map;
    this.worker = new EngineWorker(onBytes);
    const { measure, year, map: colouring } = ratesFromQuery(OPENED_WITH);
    // The calculator's LA from the link, as the calculator reads it (an unknown code: none).
    const code = (new URLSearchParams(location.search).get('la') || '').trim().toUpperCase();
    const la = code && page.las().some((x) => x.la_code === code) ? code : '';
    this.state = { la, measure, year, covariates: [], map: colouring };
    this.serial = 0;
    this.view = null;
  }

  async start() {
    await loadStyles();
    this.figures = new LaFigures(this.root, this.page, {
      onMeasure: (measure) => this.set({ measure }),
      onYear: (year) => this.set({ year }),
    });
    this.expected = new ExpectedSection(this.section, this.page, { onCovariates: (covariates) => this.set({ covariates }) });
    this.scatter = new ScatterSection(this.section, this.page);
    this.gini = new GiniSection(this.section, this.page, this.worker);
    this.colouring = this.map
      ? new MapColouring(this.map, this.worker, () => this.state, (map) => this.set({ map }, true, false))
      : null;
    if (this.colouring && this.state.map !== 'gradient') this.colouring.choose(this.state.map);
    provideTourStep(TOUR_STEP, (la) => this.worker.call('ratesTourStep', { request: { la: la || null } }));
    document.addEventListener('calculator:change', (e) => {
      const la = e.detail?.selected || '';
      this.writeLink(); // the calculator has just written its own link
      if (la !== this.state.la) this.set({ la });
    });
    window.addEventListener('popstate', () => {
      const { measure, year, map } = ratesFromQuery(location.search);
      if (map !== this.state.map) this.colouring?.choose(map);
      if (measure !== this.state.measure || year !== this.state.year) this.set({ measure, year, map }, false);
      else this.state.map = map;
    });
    this.writeLink(); // the link as opened, with the calculator's parameters as it wrote them
    await this.refresh();
    this.root.dataset.ready = 'true';
  }

  /** Changes the state, writes the link and (unless only the map's colouring changed) shows the new view. */
  set(change, write = true, refresh = true) {
    Object.assign(this.state, change);
    if (write) this.writeLink();
    if (refresh) this.refresh();
  }

  writeLink() {
    const query = queryWithRates(location.search, this.state);
    if (query !== location.search) history.replaceState(history.state, '', location.pathname + query + location.hash);
  }

  /** Asks the engine for the view of the current state; the latest request wins. */
  async refresh() {
    const serial = ++this.serial;
    const { la, measure, year, covariates } = this.state;
    this.root.setAttribute('aria-busy', 'true');
    let view;
    try {
      view = await this.worker.call('ratesView', { request: { la: la || null, measure, year, covariates } });
    } catch (e) {
      if (serial !== this.serial) return;
      this.root.removeAttribute('aria-busy');
      this.figures.showError(`The figures could not be shown: ${e.message}.`);
      return;
    }
    if (serial !== this.serial) return;
    this.view = view;
    this.root.removeAttribute('aria-busy');
    this.figures.show(view);
    this.expected.show(view);
    this.scatter.show(view);
    this.gini.show(view);
    this.colouring?.refresh();
    this.root.dataset.shown = `${view.la_code || 'england'}|${view.measure}|${view.year}`;
    this.section.dataset.shown = this.root.dataset.shown;
  }
}

export { DEFAULT_MEASURE };
