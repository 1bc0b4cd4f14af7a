// Inside six local authorities: the child-level study of Hood et al. (2020), one table at a time.
// The views (forest plot, the same numbers as a table, a reading, what the numbers are and are
// not, the citation) come from six-las.json, which the engine writes from its typed tables; the
// page only lays them out and draws the forest plots with the engine's forest-plot build, sharp at
// the screen's pixel ratio and as tall as their rows need at the width they are given.
//
// The chosen table is in the link as #six-las/KEY (e.g. #six-las/table13_demand_classes).
import { h } from './dom.js';
import { chartFigure } from './charts.js';
import { scrollBox, table } from './tables.js';

const HASH = '#six-las';

/** The view key in the address, if any. */
function keyFromHash() {
  return location.hash.startsWith(HASH + '/') ? decodeURIComponent(location.hash.slice(HASH.length + 1)) : null;
}

export class SixLas {
  constructor(root) {
    this.root = root;
    this.data = null;
    this.current = null;
    this.figure = null;
    this.figures = null; // six-las-figure.js: the forest engine and the views
    this.forest = null;
  }

  async start() {
    // The drawing module is shared with the tour (one chunk, one engine, one fetch of the views).
    this.figures = await import(/* webpackChunkName: "six-las-figure" */ './six-las-figure.js');
    [this.data, this.forest] = await Promise.all([this.figures.sixLasPage(), this.figures.forestEngine()]);
    this.views = new Map(this.data.views.map((v) => [v.key, v]));
    this.build();
    const wanted = keyFromHash();
    this.show(this.views.has(wanted) ? wanted : this.data.first);
    if (wanted) this.root.scrollIntoView();
    window.addEventListener('hashchange', () => {
      const key = keyFromHash();
      if (key && this.views.has(key) && key !== this.current) {
        this.show(key);
        this.root.scrollIntoView();
      }
    });
    let pending = false;
    window.addEventListener('resize', () => {
      if (pending) return;
      pending = true;
      requestAnimationFrame(() => {
        pending = false;
        this.redraw();
      });
    });
    this.root.dataset.ready = 'true';
  }

  build() {
    const d = this.data;
    this.select = h('select', { id: 'six-las-choice' },
      d.groups.map((g) => h('optgroup', { label: g.label },
        g.views.map((key) => h('option', { value: key }, this.views.get(key).choice)))));
    this.select.addEventListener('change', () => {
      this.show(this.select.value);
      history.replaceState(null, '', location.pathname + location.search + `${HASH}/${encodeURIComponent(this.select.value)}`);
    });
    this.view = h('div', { class: 'six-las-view', 'aria-live': 'polite' });
    this.root.querySelector('.six-las-body').replaceChildren(
      ...d.intro.map((p) => h('p', { class: 'lede' }, p)),
      h('div', { class: 'field' }, h('label', { for: 'six-las-choice' }, 'Table'), this.select),
      this.view,
      h('p', { class: 'source' }, 'Source: ', d.source, '.'));
  }

  /** Shows the view `key`: its reading, its forest plot (with its table) or its tables, what it is. */
  show(key) {
    const v = this.views.get(key);
    this.current = key;
    this.select.value = key;
    this.figure = null;
    const parts = [h('h3', {}, v.title)];
    if (v.reading.length) parts.push(h('div', { class: 'card' }, h('p', {}, h('strong', {}, 'What it shows')), h('ul', {}, v.reading.map((r) => h('li', {}, r)))));
    if (v.figure) {
      this.figure = chartFigure(v.figure, { canvasId: 'six-las-forest', size: [760, 600] });
      this.figure.dataset.view = key;
      parts.push(this.figure);
    }
    // Tables that are not a figure's are shown open.
    const own = v.figure ? v.tables.slice(1) : v.tables;
    for (const t of own) parts.push(scrollBox(table(t.caption, t.header, t.rows)));
    parts.push(h('h4', {}, 'What these numbers are, and are not'), h('ul', { class: 'prose' }, v.about.map((a) => h('li', {}, a))));
    if (v.notes.length) parts.push(h('ul', { class: 'hint' }, v.notes.map((n) => h('li', {}, n))));
    parts.push(h('p', { class: 'source' }, 'Source: ', v.citation, '.'));
    this.view.replaceChildren(...parts);
    this.view.dataset.view = key;
    if (this.figure) requestAnimationFrame(() => this.redraw());
  }

  /** Draws the current forest plot again at the width it now has. */
  redraw() {
    const fig = this.figure;
    const canvas = fig && fig.querySelector('canvas');
    if (!canvas || !canvas.isConnected) return;
    try {
      this.figures.drawForest(this.forest, canvas, fig.spec);
      fig.dataset.drawn = 'true';
    } catch (e) {
      canvas.replaceWith(h('p', { class: 'error' }, String(e.message || e)));
    }
  }
}
