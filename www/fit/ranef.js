// The "Random effects by LA" panel under the results: a button, then each LA's conditional mode
// with its 95% interval as caterpillar charts (drawn from the engine's chart specs) with their
// tables, and the per-LA social gradient when the model has a random slope.
import { h, fmt, count } from '../dom.js';
import { table } from '../tables.js';

/** Levels above which the engine draws no chart (`MAX_CHART_LEVELS` in src/fit_views/ranef_charts.rs). */
const MAX_CHART_LEVELS = 400;

/**
 * What the panel shows, on the scale of the model's linear predictor (`scale` of the engine's
 * random-effects report: `log` for counts, `log-odds`, `probit` or `complementary log-log` for a
 * proportion).
 */
function intro(scale) {
  const ratio = scale === 'log' ? ' (0 is average; exp(mode) is its rate ratio)'
    : scale === 'log-odds' ? ' (0 is average; exp(mode) is its odds ratio)' : ' (0 is average)';
  return `How far each local authority sits from the average LA once the model’s other terms are taken into account: its conditional mode on the ${scale} scale${ratio} with a 95% interval from the conditional SD, as glmmTMB’s ranef(condVar = TRUE) gives them, and each LA’s own social gradient when the model has a random slope.`;
}

export class RandomEffectsPanel {
  /** `chart(view)`: a figure for a chart view; `onShow()`: asks for the random effects. */
  constructor({ chart, onShow }) {
    this.chart = chart;
    this.out = h('div', { id: 'ranef-out' });
    this.root = h('section', { id: 'ranef', 'aria-labelledby': 'ranef-title' },
      h('h4', { id: 'ranef-title' }, 'Random effects by LA'),
      this.intro = h('p', { id: 'ranef-intro' }, intro('log')),
      h('button', { type: 'button', id: 'ranef-button', onclick: () => onShow() }, 'Show the random effects by LA'),
      this.out);
  }

  start() {
    this.out.setAttribute('role', 'status');
    this.out.textContent = 'Working out the random effects…';
  }

  error(text) {
    this.out.removeAttribute('role');
    this.out.replaceChildren(h('p', { class: 'error-box', role: 'alert' }, text));
  }

  /** `report`: the engine's random effects by level; `charts`: its chart views (the LA-level terms). */
  show({ report, charts }) {
    this.intro.textContent = intro(report.scale ?? 'log');
    const fewest = Math.min(...report.terms.map((t) => t.levels.length));
    const la = report.terms.find((t) => t.levels.length === fewest).group;
    const others = report.terms.filter((t) => t.group !== la || t.levels.length > MAX_CHART_LEVELS);
    const gradient = report.gradients.length
      ? report.gradients.map((g) => h('p', { class: 'note ranef-gradient-note' }, `Social gradient of ${g.term} by ${g.group}: ${g.note}.`))
      : [h('p', { class: 'hint', id: 'ranef-no-slope' }, 'The model has no random slope, so every LA shares the same social gradient. Add one, such as (1 + deprivation | la), to see each LA’s own gradient.')];
    const otherTable = (t) => h('div', { class: 'table-scroll' }, table(`${t.term} by ${t.group}`,
      ['Level', 'Rows', 'Mode', 'Conditional SD', '95% interval'],
      t.levels.map((l) => [l.level, String(l.rows), fmt(l.mode, 3), fmt(l.sd, 3), `${fmt(l.ci_low, 3)} to ${fmt(l.ci_high, 3)}`])));
    this.out.removeAttribute('role');
    const parts = [
      h('p', { class: 'hint', id: 'ranef-note' }, report.note),
      h('section', { class: 'charts ranef-charts', 'aria-label': 'Charts of the random effects' }, charts.map((c) => this.chart(c))),
      ...gradient,
      others.length
        ? h('details', { id: 'ranef-other' },
          h('summary', {}, `Other random effects: ${others.map((t) => `${t.term} by ${t.group} (${count(t.levels.length)} levels)`).join('; ')}`),
          others.map(otherTable))
        : null,
    ];
    this.out.replaceChildren(...parts.filter(Boolean));
  }
}
