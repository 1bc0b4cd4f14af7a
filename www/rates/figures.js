// Under the headline: the chosen local authority in the Department for Education's figures. Its
// five rates in the chosen year beside England's (the LAs' counts over their children, saying
// how many LAs), its rank, and the trend of one measure 2013-2025 for the LA, England and the LAs
// most like it, with the table of the same numbers; a year without a figure is a gap in the line,
// and the notes say why. The controls (measure, year) also drive the sections further down and
// the map.
import { h } from '../dom.js';
import { chartFigure, drawFigure } from '../charts.js';
import { chartSize } from './points.js';
import { scrollBox, table } from '../tables.js';

export class LaFigures {
  constructor(root, page, { onMeasure, onYear }) {
    this.root = root;
    this.page = page;
    this.handlers = { onMeasure, onYear };
    this.title = h('h2', { id: 'la-figures-title' }, root.querySelector('h2')?.textContent || '');
    this.intro = h('p', { class: 'hint rates-what' });
    this.measure = h('select', { id: 'rates-measure' });
    this.year = h('select', { id: 'rates-year' });
    this.measure.addEventListener('change', () => onMeasure(this.measure.value));
    this.year.addEventListener('change', () => onYear(Number(this.year.value)));
    this.table = h('div', { class: 'rates-table' });
    this.trend = h('div', { class: 'rates-trend' });
    this.error = h('p', { class: 'error', role: 'alert', hidden: true });
    this.source = h('p', { class: 'hint rates-source' });
    // Shown with the first view (show), so the loading line stays until then and nothing inside
    // moves as the title and words arrive.
    this.parts = [
      this.title,
      this.intro,
      h('div', { class: 'rates-controls', role: 'group', 'aria-label': 'Which figures' },
        h('div', { class: 'field' }, h('label', { for: 'rates-measure' }, 'Measure'), this.measure),
        h('div', { class: 'field' }, h('label', { for: 'rates-year' }, 'Year ending 31 March'), this.year)),
      this.error,
      h('div', { class: 'rates-grid' }, this.table, this.trend),
      this.source,
      h('p', { class: 'rates-more' }, h('a', { href: '#real-figures' }, 'Higher or lower than expected for an authority as deprived? The funnel plot, the model and the map'), '.')];
  }

  showError(message) {
    this.attach();
    this.error.textContent = message;
    this.error.hidden = false;
  }

  /** The options of the controls, kept as they are when they already match. */
  controls(view) {
    if (this.measure.options.length !== view.measures.length) {
      this.measure.replaceChildren(...view.measures.map((m) => h('option', { value: m.name }, m.label)));
      this.year.replaceChildren(...[...view.years].reverse().map((y) => h('option', { value: y }, String(y))));
    }
    this.measure.value = view.measure;
    this.year.value = String(view.year);
  }

  /** Puts the view's parts in place of the loading line, once. */
  attach() {
    if (this.parts) this.root.replaceChildren(...this.parts);
    this.parts = null;
  }

  show(view) {
    this.attach();
    this.error.hidden = true;
    this.controls(view);
    const place = view.la_name || 'England';
    this.title.textContent = `${place} in the Department for Education's figures`;
    this.intro.textContent = view.what_they_are;
    this.source.textContent = `Source: ${view.source.replace(/ \(data\/SOURCES-csc\.md\)$/, '')}; Open Government Licence v3.0.`;
    this.showTable(view);
    this.showTrend(view);
  }

  showTable(view) {
    // Every number as the engine shows it (src/calculator/format.rs), ranks as the map's.
    let t;
    if (view.la_code) {
      const rows = view.figures.map((f) => [
        f.label,
        f.rate_shown ?? `– (${f.reason})`,
        f.count_shown ?? '–',
        `${f.england_shown} (${f.england.las})`,
        f.rank_shown !== null ? `${f.rank_shown} of ${f.ranked}` : '–',
      ]);
      t = table(`${view.la_name}, year ending 31 March ${view.year}: per 10,000 children aged 0-17`,
        ['Measure', `${view.la_name}`, 'Count', 'England (LAs)', 'Rank'], rows, 'rates-figures-table');
      const i = view.figures.findIndex((f) => f.measure === view.measure);
      t.querySelectorAll('tbody tr')[i]?.classList.add('chosen');
    } else {
      const rows = view.measures.map((m, i) => [m.label, `${view.england_shown[i]} (${view.england[i].las})`]);
      t = table(`England, year ending 31 March ${view.year}: per 10,000 children aged 0-17`,
        ['Measure', 'England (LAs)'], rows, 'rates-figures-table');
    }
    const notes = view.la_code ? view.figures.filter((f) => f.note).map((f) => f.note) : [];
    const how = h('p', { class: 'hint' }, 'England: the counts of the LAs with a figure over their children (how many LAs, in brackets)',
      view.la_code ? `; rank: 1 is the highest rate of those LAs (tied rates share a rank, marked =; the Isles of Scilly and the City of London, with very few children, are not ranked).` : '.');
    this.table.replaceChildren(...[scrollBox(t), how,
      view.la_code ? null : h('p', { class: 'hint' }, 'Pick a local authority above to see its own figures beside England\'s.'),
      notes.length ? h('p', { class: 'hint' }, [...new Set(notes)].join(' ')) : null].filter(Boolean));
  }

  showTrend(view) {
    const { trend } = view;
    const extras = [];
    if (trend.gaps.length) extras.push(h('ul', { class: 'rates-gaps', 'data-testid': 'trend-gaps' }, trend.gaps.map((g) => h('li', {}, g))));
    if (trend.similar.length) {
      extras.push(h('p', { class: 'hint', 'data-testid': 'similar-las' },
        `Similar LAs: ${trend.similar.map((s) => s.la_name).join(', ')}; ${trend.how_chosen}.`));
    }
    const fig = chartFigure(trend.chart, { canvasId: 'rates-trend-chart', size: chartSize([720, 400], [400, 470]), extras });
    this.trend.replaceChildren(fig);
    requestAnimationFrame(() => drawFigure(this.page, fig));
  }
}
