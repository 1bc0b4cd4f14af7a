// The calculator on the published tables: LA context controls, result cards, charts with table
// alternatives, compare mode and the URL round trip. All numbers come from the engine (wasm).
import { h, fmt, dataTable } from './dom.js';
import { PRESETS, WEBB_LA, queryFromState, stateFromQuery, zScore } from './state.js';
import { drawChart } from './charts.js';

const OUTCOME_LABELS = {
  cin: 'Children in need (CIN)',
  cpp: 'Child protection plans (CPP)',
  cla: 'Children looked after (CLA)',
};

const NEIGHBOURHOOD = [
  { value: '', label: 'Any neighbourhood', area: '', density: '' },
  { value: 'urban', label: 'Urban neighbourhood (Table 16)', area: 'urban', density: '' },
  { value: 'rural', label: 'Rural neighbourhood (Table 16)', area: 'rural', density: '' },
  { value: 'density-low', label: 'Sparsely populated (Table 17)', area: '', density: 'low' },
  { value: 'density-mid', label: 'Medium density (Table 17)', area: '', density: 'mid' },
  { value: 'density-high', label: 'Densely populated (Table 17)', area: '', density: 'high' },
];

function neighbourhoodValue(ctx) {
  if (ctx.area) return ctx.area;
  if (ctx.density) return 'density-' + ctx.density;
  return '';
}

/** Hood et al. measures from the engine's catalogue, grouped by their table. */
function hoodMeasures(catalogue) {
  return catalogue.tables
    .filter((t) => t.source.startsWith('Hood') && t.role === 'gradient' && t.measures.length)
    .flatMap((t) => t.measures.map((m) => ({ name: m.name, label: m.label, group: `${t.table}: ${t.title}` })));
}

export class Calculator {
  constructor(engine, root) {
    this.engine = engine;
    this.root = root;
    this.hoodMeasures = hoodMeasures(engine.catalogue());
    this.measures = this.hoodMeasures.map((m) => m.name);
    this.state = stateFromQuery(location.search, this.measures);
    this.inputs = { a: {}, b: {} };
  }

  start() {
    this.buildChoices();
    this.buildContexts();
    const toggle = this.root.querySelector('#compare-toggle');
    toggle.checked = this.state.compare;
    toggle.addEventListener('change', () => {
      this.state.compare = toggle.checked;
      this.buildContexts();
      this.update();
    });
    this.root.querySelector('#copy-link').addEventListener('click', () => this.copyLink());
    window.addEventListener('popstate', () => {
      this.state = stateFromQuery(location.search, this.measures);
      this.buildChoices();
      this.buildContexts();
      this.update(false);
    });
    this.update();
  }

  // --- Controls -------------------------------------------------------------------------------

  buildChoices() {
    const old = this.root.querySelector('#choices');
    if (old) old.remove();
    const outcome = h('select', { id: 'outcome', 'aria-describedby': 'outcome-help' },
      Object.entries(OUTCOME_LABELS).map(([value, label]) => h('option', { value, selected: value === this.state.outcome }, label)));
    outcome.addEventListener('change', () => { this.state.outcome = outcome.value; this.update(); });

    const groups = new Map();
    for (const m of this.hoodMeasures) {
      if (!groups.has(m.group)) groups.set(m.group, []);
      groups.get(m.group).push(m);
    }
    const measure = h('select', { id: 'measure', 'aria-describedby': 'measure-help' },
      [...groups].map(([group, ms]) => h('optgroup', { label: group },
        ms.map((m) => h('option', { value: m.name, selected: m.name === this.state.measure }, m.label)))));
    measure.addEventListener('change', () => { this.state.measure = measure.value; this.update(); });

    const choices = h('fieldset', { id: 'choices', class: 'choices' },
      h('legend', {}, 'What to measure'),
      h('div', { class: 'field' },
        h('label', { for: 'outcome' }, 'Webb et al. 2020 outcome'),
        outcome,
        h('p', { id: 'outcome-help', class: 'hint' }, 'Rates per 10,000 children in 18 local authorities.')),
      h('div', { class: 'field' },
        h('label', { for: 'measure' }, 'Hood et al. 2021 threshold or group'),
        measure,
        h('p', { id: 'measure-help', class: 'hint' }, 'Referrals and what follows them, and groups of children, in every English local authority.')));
    this.root.querySelector('#contexts').before(choices);
  }

  buildContexts() {
    const holder = this.root.querySelector('#contexts');
    holder.replaceChildren();
    holder.append(this.contextFieldset('a'));
    if (this.state.compare) holder.append(this.contextFieldset('b'));
    holder.classList.toggle('two', this.state.compare);
  }

  contextFieldset(which) {
    const ctx = this.state[which];
    const id = (name) => `${which}-${name}`;
    const title = this.state.compare ? `Context ${which.toUpperCase()}` : 'Your local authority';
    this.inputs[which] = {};

    const presetRow = (kind, label) => h('div', { class: 'presets', role: 'group', 'aria-label': `${label} presets for ${title}` },
      ['low', 'average', 'high'].map((level) => h('button', {
        type: 'button', 'data-preset': `${kind}-${level}`,
        onclick: () => { Object.assign(this.state[which], PRESETS[kind][level]); this.syncInputs(which); this.update(); },
      }, `${level[0].toUpperCase()}${level.slice(1)} ${label.toLowerCase()}`)));

    const slider = (name, label, unit, min, max, step, help) => {
      const range = h('input', { type: 'range', id: id(name + '-range'), min, max, step, value: ctx[name], 'aria-label': `${label} (slider)`, 'aria-describedby': id(name + '-help') });
      const num = h('input', { type: 'number', id: id(name), step, value: ctx[name], inputmode: 'decimal', 'aria-describedby': id(name + '-help') + ' ' + id(name + '-error') });
      const error = h('span', { id: id(name + '-error'), class: 'field-error', role: 'alert' });
      const z = h('span', { class: 'z', id: id(name + '-z') });
      const set = (value, from) => {
        const x = Number(value);
        if (value === '' || !Number.isFinite(x)) {
          error.textContent = `Enter a number (${unit}).`;
          num.setAttribute('aria-invalid', 'true');
          return;
        }
        error.textContent = '';
        num.removeAttribute('aria-invalid');
        this.state[which][name] = x;
        if (from !== range) range.value = String(x);
        if (from !== num) num.value = String(x);
        this.update();
      };
      range.addEventListener('input', () => set(range.value, range));
      num.addEventListener('input', () => set(num.value, num));
      this.inputs[which][name] = { range, num, z };
      return h('div', { class: 'field slider' },
        h('label', { for: id(name) }, label, h('span', { class: 'unit' }, ` (${unit})`)),
        h('div', { class: 'slider-row' }, range, num, z),
        h('p', { id: id(name + '-help'), class: 'hint' }, help),
        error);
    };

    const neighbourhood = h('select', { id: id('neighbourhood') },
      NEIGHBOURHOOD.map((n) => h('option', { value: n.value, selected: n.value === neighbourhoodValue(ctx) }, n.label)));
    neighbourhood.addEventListener('change', () => {
      const n = NEIGHBOURHOOD.find((x) => x.value === neighbourhood.value) || NEIGHBOURHOOD[0];
      this.state[which].area = n.area;
      this.state[which].density = n.density;
      this.update();
    });
    this.inputs[which].neighbourhood = neighbourhood;

    const fs = h('fieldset', { class: 'context', 'data-context': which },
      h('legend', {}, title),
      h('h3', {}, 'LA deprivation'),
      presetRow('deprivation', 'Deprivation'),
      slider('imd', 'LA IMD 2015 average score, for Webb et al.', 'IMD score; higher is more deprived', 5, 45, 0.01,
        `In the study: mean ${WEBB_LA.imd.mean}, SD ${WEBB_LA.imd.sd}, range ${WEBB_LA.imd.min} to ${WEBB_LA.imd.max} (Webb et al. 2020, Table 1).`),
      slider('dep', 'LA income deprivation, for Hood et al.', 'percentage points above (+) or below (−) the England LA average', -20, 20, 0.5,
        'The report prints low and high contexts at −10 and +10 points (Hood et al. 2021, Tables 2-8).'),
      h('h3', {}, 'Income inequality'),
      presetRow('inequality', 'Inequality'),
      slider('gini', 'LA Gini coefficient, for Webb et al.', '0 = everyone has the same income, 1 = maximal inequality', 0.33, 0.44, 0.001,
        `In the study: mean ${WEBB_LA.gini.mean}, SD ${WEBB_LA.gini.sd}, range ${WEBB_LA.gini.min} to ${WEBB_LA.gini.max} (Webb et al. 2020, Table 1).`),
      h('h3', {}, 'Neighbourhood type'),
      h('div', { class: 'field' },
        h('label', { for: id('neighbourhood') }, 'Urban/rural or population density, for Hood et al.'),
        neighbourhood,
        h('p', { class: 'hint' }, 'Tables 16 and 17 give referrals, CIN and CP plans only.')));
    this.syncZ(which);
    return fs;
  }

  syncInputs(which) {
    for (const name of ['imd', 'dep', 'gini']) {
      const input = this.inputs[which][name];
      if (!input) continue;
      input.range.value = String(this.state[which][name]);
      input.num.value = String(this.state[which][name]);
      input.num.removeAttribute('aria-invalid');
    }
  }

  syncZ(which) {
    const ctx = this.state[which];
    const inputs = this.inputs[which];
    if (inputs.imd) inputs.imd.z.textContent = `z = ${fmt(zScore('imd', ctx.imd))}`;
    if (inputs.gini) inputs.gini.z.textContent = `z = ${fmt(zScore('gini', ctx.gini))}`;
  }

  // --- Engine calls ---------------------------------------------------------------------------

  webbRequest(ctx) {
    return { source: 'webb2020', outcome: this.state.outcome, la_imd: ctx.imd, gini: ctx.gini };
  }

  hoodRequest(ctx) {
    const req = { source: 'hood2021', measure: this.state.measure, la_dep: ctx.dep };
    if (ctx.area) req.area = ctx.area;
    if (ctx.density) req.density = ctx.density;
    return req;
  }

  compute(request) {
    try {
      return { ok: this.engine.gradient(request) };
    } catch (e) {
      return { error: e instanceof Error ? e.message : String(e) };
    }
  }

  // --- Rendering ------------------------------------------------------------------------------

  update(pushUrl = true) {
    for (const which of ['a', 'b']) this.syncZ(which);
    if (pushUrl) history.replaceState(null, '', queryFromState(this.state) + location.hash);
    const contexts = this.state.compare ? ['a', 'b'] : ['a'];
    const webb = contexts.map((w) => this.compute(this.webbRequest(this.state[w])));
    const hood = contexts.map((w) => this.compute(this.hoodRequest(this.state[w])));
    const results = this.root.querySelector('#results');
    results.replaceChildren(
      this.card('webb', 'Webb et al. 2020', OUTCOME_LABELS[this.state.outcome], webb),
      this.card('hood', 'Hood et al. 2021', this.measureLabel(), hood));
    this.renderCharts(contexts);
  }

  measureLabel() {
    const m = this.hoodMeasures.find((x) => x.name === this.state.measure);
    return m ? m.label : this.state.measure;
  }

  card(key, source, label, outcomes) {
    const columns = outcomes.map((o, i) => this.resultBlock(key, o, this.state.compare ? `Context ${'AB'[i]}` : null));
    const first = outcomes.find((o) => o.ok)?.ok;
    const body = [h('div', { class: 'result-columns' }, columns)];
    if (this.state.compare && outcomes.every((o) => o.ok)) {
      const ratio = outcomes[0].ok.estimate / outcomes[1].ok.estimate;
      body.push(h('p', { class: 'ratio', 'data-testid': `${key}-ratio` },
        `Ratio of gradients, A ÷ B: `, h('strong', {}, fmt(ratio)),
        ` — the gradient in context A is ${fmt(ratio)} times ${ratio >= 1 ? 'as steep as' : 'the steepness of'} the gradient in context B.`));
    }
    return h('article', { class: 'card', 'data-testid': `${key}-card`, 'aria-labelledby': `${key}-title` },
      h('h3', { id: `${key}-title` }, `${source}: ${label}`),
      first ? h('p', { class: 'unit' }, `Social gradient score ${first.unit}.`) : null,
      body,
      first ? h('p', { class: 'source' }, `Source: ${first.source}, ${first.table}.`) : null);
  }

  resultBlock(key, outcome, heading) {
    if (outcome.error) {
      return h('div', { class: 'result error', 'data-testid': `${key}-error` }, heading ? h('h4', {}, heading) : null, outcome.error);
    }
    const r = outcome.ok;
    const digits = key === 'webb' ? 3 : 2;
    const ci = r.ci_low !== null && r.ci_high !== null ? `95% CI ${fmt(r.ci_low, digits)} to ${fmt(r.ci_high, digits)}` : 'no confidence interval published for this context';
    return h('div', { class: 'result' },
      heading ? h('h4', {}, heading) : null,
      h('p', { class: 'score' }, h('span', { class: 'value', 'data-testid': `${key}-score` }, fmt(r.estimate, key === 'webb' ? 3 : 2)), h('span', { class: 'ci' }, ci)),
      h('p', { class: 'badges' },
        h('span', { class: r.published ? 'badge printed' : 'badge derived' }, r.published ? 'Printed in the table' : 'Derived from the table'),
        r.extrapolated ? h('span', { class: 'badge extrapolated' }, 'Extrapolated beyond the study') : null),
      r.ci_note ? h('p', { class: 'ci-note' }, r.ci_note) : null,
      h('p', { class: 'reading', 'data-testid': `${key}-reading` }, r.reading),
      r.warnings.length ? h('ul', { class: 'warnings' }, r.warnings.map((w) => h('li', {}, w))) : null);
  }

  renderCharts(contexts) {
    const holder = this.root.querySelector('#charts');
    const webb = [];
    const hood = [];
    contexts.forEach((which, i) => {
      const ctx = this.state[which];
      const name = this.state.compare ? `Context ${'AB'[i]}` : 'Your LA context';
      const webbCurve = this.curve(() => this.engine.webbRateCurve({
        outcome: this.state.outcome, la_imd_z: zScore('imd', ctx.imd), gini_z: zScore('gini', ctx.gini), points: 41,
      }));
      const hoodCurve = this.curve(() => this.engine.hoodRelativeCurve({
        measure: this.state.measure, la_dep: ctx.dep, area: ctx.area || null, density: ctx.density || null, points: 41,
      }));
      // Each curve holds the requested context first and the average LA second.
      for (const [curve, out] of [[webbCurve, webb], [hoodCurve, hood]]) {
        if (!curve) continue;
        if (!out.length) out.push(curve);
        out.push({ ...curve.series[0], label: name, colour: i, kind: 'line' });
      }
    });
    const spec = (list) => {
      if (!list.length) return null;
      const [curve, ...mine] = list;
      const average = { ...curve.series[curve.series.length - 1], colour: 6, kind: 'dashed' };
      return { curve, series: [...mine, average] };
    };
    holder.replaceChildren(
      this.chart('webb-chart', spec(webb), true),
      this.chart('hood-chart', spec(hood), false));
  }

  curve(make) {
    try {
      return make();
    } catch {
      return null; // the result card already explains why
    }
  }

  chart(id, made, yFromZero) {
    if (!made) return h('figure', { class: 'chart' }, h('p', { class: 'muted' }, 'No chart for this choice: the table compares gradients rather than describing rates.'));
    const { curve, series } = made;
    const title = `${curve.title} (${curve.source}, ${curve.table})`;
    const canvas = h('canvas', { id, width: 720, height: 420, role: 'img', 'aria-label': `${title}. The same numbers are in the table below.` });
    const spec = {
      title: '',
      x_label: curve.x_label,
      y_label: curve.y_label,
      series: series.map((s) => ({ name: s.label, kind: s.kind, colour: s.colour, points: s.points.map((p) => [p.x, p.y]) })),
      y_from_zero: yFromZero,
      font_px: 16,
    };
    const fig = h('figure', { class: 'chart' }, h('figcaption', {}, title), canvas);
    if (curve.warnings.length) fig.append(h('ul', { class: 'warnings' }, curve.warnings.map((w) => h('li', {}, w))));
    const n = series[0].points.length;
    const step = Math.max(1, Math.floor((n - 1) / 8));
    const rows = [];
    for (let i = 0; i < n; i += step) {
      rows.push([fmt(series[0].points[i].x, 1), ...series.map((s) => fmt(s.points[i]?.y, yFromZero ? 1 : 2))]);
    }
    fig.append(h('details', { class: 'chart-table' }, h('summary', {}, 'Show these numbers as a table'),
      h('div', { class: 'table-scroll' }, dataTable(title, [curve.x_label, ...series.map((s) => s.label)], rows))));
    requestAnimationFrame(() => {
      try {
        drawChart(this.engine, canvas, spec);
      } catch (e) {
        canvas.replaceWith(h('p', { class: 'error' }, String(e.message || e)));
      }
    });
    return fig;
  }

  async copyLink() {
    const status = this.root.querySelector('#copy-status');
    const url = location.href;
    try {
      await navigator.clipboard.writeText(url);
      status.textContent = 'Link copied.';
    } catch {
      status.textContent = `Copy this link: ${url}`;
    }
  }
}

