// The guided tour ("Teach this"): the engine's steps (words, numbers, chart, table and sources,
// all from `engine.tourSteps`) and the real figures' step (tour-extra.js) shown one at a time over
// the whole window, for a teacher in front of a class.
//
// - ArrowRight / ArrowLeft (or PageDown / PageUp) and the Next / Previous buttons move between
//   steps; Home and End go to the first and last; Escape closes the tour.
// - The step is in the link as `?tour=N` (1-based), beside the calculator's own parameters, so a
//   teacher can link to step 3; `&projector=1` turns on projector mode (large type, high
//   contrast); `la=CODE` (the calculator's LA) fills the "your local authority" step.
// - Focus moves to the step's heading; the chart has a text label and a table with its numbers.
// - Printing while the tour is open prints every step as a handout (text and tables).
import { h } from './dom.js';
import { drawChart } from './charts.js';
import { table as dataTable } from './tables.js';
import { queryWithTour, tourFromQuery } from './tour-link.js';
import { isExtraStep, withExtraSteps } from './tour-extra.js';

const KEYS_NEXT = ['ArrowRight', 'PageDown'];
const KEYS_PREV = ['ArrowLeft', 'PageUp'];

/** A step's table: words left-aligned, numbers right-aligned. */
function table(t) {
  return dataTable(t.caption, t.header, t.rows);
}

export class Tour {
  constructor(engine, opener) {
    this.engine = engine;
    this.opener = opener;
    this.step = 0;
    this.projector = false;
    this.tour = null;
    this.onKey = (e) => this.key(e);
  }

  start() {
    this.opener.addEventListener('click', () => this.open(1));
    window.addEventListener('popstate', () => this.fromUrl());
    window.addEventListener('beforeprint', () => { if (this.step) this.renderHandout(); });
    // Steps added after the engine's (tour-extra.js) arrive later: show them when they do.
    document.addEventListener('tour:steps-changed', () => {
      const shown = this.step && this.tour ? this.tour.steps[this.step - 1] : null;
      this.tour = null;
      if (!this.step) return;
      if (shown && isExtraStep(shown.key)) this.render();
      else this.load(); // asks for the added steps, so that they are ready when shown or printed
      this.renderHandout();
    });
    this.fromUrl();
  }

  fromUrl() {
    // `open` keeps the step within the tour; the steps are computed only when a step is asked for.
    const { step, projector } = tourFromQuery(location.search, Number.MAX_SAFE_INTEGER);
    this.projector = projector;
    if (step) this.open(step);
    else if (this.step) this.close();
  }

  count() {
    return this.load().steps.length;
  }

  /** The engine's steps for the LA in the link (or none, when the code is unknown). */
  load() {
    const { la } = tourFromQuery(location.search, 1);
    if (this.tour && this.tour.la === la) return this.tour;
    let steps;
    try {
      steps = this.engine.tourSteps({ la: la || null });
    } catch {
      steps = this.engine.tourSteps({});
    }
    // The steps other parts of the page add (tour-extra.js), each after the step it follows.
    this.tour = { la, ...steps, steps: withExtraSteps(steps.steps, la) };
    return this.tour;
  }

  open(step) {
    if (!this.root) this.build();
    this.step = Math.min(Math.max(step, 1), this.count());
    this.root.hidden = false;
    document.body.classList.add('touring');
    for (const el of document.body.children) if (el !== this.root) el.inert = true;
    document.addEventListener('keydown', this.onKey);
    this.render();
  }

  close() {
    this.step = 0;
    if (this.root) this.root.hidden = true;
    document.body.classList.remove('touring');
    for (const el of document.body.children) el.inert = false;
    document.removeEventListener('keydown', this.onKey);
    this.writeUrl();
    this.opener.focus();
  }

  go(step) {
    const n = Math.min(Math.max(step, 1), this.count());
    if (n === this.step) return;
    this.step = n;
    this.render();
  }

  key(e) {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    if (e.key === 'Escape') { e.preventDefault(); this.close(); return; }
    if (e.target.closest?.('select, input, textarea')) return;
    if (KEYS_NEXT.includes(e.key)) { e.preventDefault(); this.go(this.step + 1); }
    else if (KEYS_PREV.includes(e.key)) { e.preventDefault(); this.go(this.step - 1); }
    else if (e.key === 'Home') { e.preventDefault(); this.go(1); }
    else if (e.key === 'End') { e.preventDefault(); this.go(this.count()); }
  }

  writeUrl() {
    history.replaceState(null, '', location.pathname + queryWithTour(location.search, this.step, this.projector) + location.hash);
  }

  build() {
    this.projectorToggle = h('button', { type: 'button', class: 'tour-projector', 'aria-pressed': 'false',
      onclick: () => { this.projector = !this.projector; this.render(); } }, 'Projector mode');
    this.counter = h('p', { class: 'tour-counter' });
    this.content = h('div', { class: 'tour-step' });
    this.prev = h('button', { type: 'button', class: 'tour-prev', onclick: () => this.go(this.step - 1) }, '← Previous');
    this.next = h('button', { type: 'button', class: 'tour-next primary', onclick: () => this.go(this.step + 1) }, 'Next →');
    this.dots = h('ol', { class: 'tour-dots', 'aria-label': 'Steps' });
    this.handout = h('div', { class: 'tour-handout' });
    this.root = h('section', { id: 'tour', class: 'tour', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'tour-heading', hidden: true },
      h('div', { class: 'tour-bar' },
        h('p', { class: 'tour-name' }, 'Teach this'),
        this.counter,
        this.projectorToggle,
        h('button', { type: 'button', class: 'tour-print', onclick: () => window.print() }, 'Print handout'),
        h('button', { type: 'button', class: 'tour-close', onclick: () => this.close() }, 'Close (Esc)')),
      this.content,
      h('nav', { class: 'tour-nav', 'aria-label': 'Tour steps' }, this.prev, this.dots, this.next),
      this.handout);
    document.body.append(this.root);
  }

  render() {
    const { steps, la_name: laName } = this.load();
    const s = steps[this.step - 1];
    const n = steps.length;
    this.writeUrl();
    document.body.classList.toggle('projector', this.projector);
    this.projectorToggle.setAttribute('aria-pressed', String(this.projector));
    this.counter.textContent = `Step ${s.number} of ${n}`;
    this.prev.disabled = s.number === 1;
    this.next.disabled = s.number === n;
    this.dots.replaceChildren(...steps.map((x) => h('li', {},
      h('button', { type: 'button', 'aria-label': `Step ${x.number}: ${x.title}`, 'aria-current': x.number === s.number ? 'step' : false,
        onclick: () => this.go(x.number) }, String(x.number)))));

    const answer = h('p', { class: 'tour-answer', id: 'tour-answer', hidden: true }, s.answer);
    const reveal = h('button', { type: 'button', class: 'tour-reveal', 'aria-controls': 'tour-answer', 'aria-expanded': 'false',
      onclick: () => { answer.hidden = false; reveal.setAttribute('aria-expanded', 'true'); reveal.hidden = true; answer.focus(); } },
    'Reveal the answer');
    answer.tabIndex = -1;
    const heading = h('h2', { id: 'tour-heading', tabindex: '-1' }, s.title);
    const canvas = h('canvas', { width: 720, height: 440, role: 'img', 'data-testid': 'tour-chart',
      'aria-label': `Chart: ${s.table.caption}. The same numbers are in the table “${s.table.caption}”.` });
    const text = h('div', { class: 'tour-text' },
      heading,
      s.body.map((p) => h('p', {}, p)),
      s.key === 'your_la' ? this.laChooser(laName) : null,
      h('div', { class: 'tour-question' }, h('p', {}, h('strong', {}, 'Ask the class: '), s.question), reveal, answer));
    const figure = h('figure', { class: 'tour-chart' }, canvas,
      h('figcaption', { class: 'tour-sources' }, 'Sources: ', s.citations.join('; '), '.'),
      h('details', { class: 'tour-table' }, h('summary', {}, 'The numbers as a table'),
        h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': s.table.caption }, table(s.table))));
    this.content.replaceChildren(text, figure);
    this.content.dataset.step = String(s.number);
    requestAnimationFrame(async () => {
      // A step may show a figure of "Inside six local authorities", drawn by the forest plots' engine.
      if (s.six_las_figure) await (await import(/* webpackChunkName: "six-las-figure" */ './six-las-figure.js')).drawSixLasFigure(canvas, s.six_las_figure);
      else if (s.chart) {
        // The chart takes the height the step leaves it, up to a square: in a narrow column a
        // legend below the axes would otherwise leave little room for the plot.
        const room = this.content.clientHeight - (figure.offsetHeight - canvas.offsetHeight) - 12;
        const width = canvas.clientWidth;
        if (width > 0 && room > canvas.clientHeight) [canvas.width, canvas.height] = [width, Math.round(Math.min(room, width))];
        drawChart(this.engine, canvas, s.chart);
      }
      if (this.content.dataset.step === String(s.number)) this.content.dataset.drawn = String(s.number);
    });
    heading.focus();
  }

  /** A picker for the "your local authority" step: sets the calculator's LA (and the link's `la`). */
  laChooser(laName) {
    const select = h('select', { id: 'tour-la' },
      h('option', { value: '' }, laName ? 'Choose another local authority' : 'Choose a local authority'),
      this.engine.las().map((la) => h('option', { value: la.la_code }, la.la_name)));
    select.addEventListener('change', () => {
      if (!select.value) return;
      document.dispatchEvent(new CustomEvent('calculator:pick-la', { detail: { code: select.value } }));
      const params = new URLSearchParams(location.search);
      params.set('la', select.value);
      history.replaceState(null, '', location.pathname + '?' + params.toString() + location.hash);
      this.render();
    });
    return h('p', { class: 'tour-la' }, h('label', { for: 'tour-la' }, 'Local authority: '), select);
  }

  /** Every step as text and tables, for printing. */
  renderHandout() {
    const { steps } = this.load();
    this.handout.replaceChildren(
      h('h1', {}, 'The social gradient in children\'s social care: a guided tour'),
      ...steps.map((s) => h('section', {},
        h('h2', {}, `${s.number}. ${s.title}`),
        s.body.map((p) => h('p', {}, p)),
        h('p', {}, h('strong', {}, 'Question: '), s.question, ' ', h('strong', {}, 'Answer: '), s.answer),
        table(s.table),
        h('p', { class: 'tour-sources' }, 'Sources: ', s.citations.join('; '), '.'))));
  }
}
