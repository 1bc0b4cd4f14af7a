// The calculator on the published tables: LA context controls, result cards, charts with table
// alternatives, compare mode and the URL round trip. All numbers come from the engine (wasm).
import { h, fmt, afterNextPaint } from './dom.js';
import { defaultContext, laContext, queryFromState, stateFromQuery } from './state.js';
import { LaPicker } from './la-picker.js';
import { chartFigure, drawFigure } from './charts.js';

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

const HOOD_SCOPE = 'Children aged 5 to 15, all English local authorities, 2018-19';
const WEBB_SCOPE = {
  cin: 'Children in need in 13 local authorities (Webb et al. 2020, Table 3)',
  cpp: 'Child protection plans in 18 local authorities (Webb et al. 2020, Table 3)',
  cla: 'Children looked after in 18 local authorities (Webb et al. 2020, Table 3)',
};

/** Slider steps: arrow keys move `step`, PageUp/PageDown move `page`. */
const SLIDERS = {
  imd: { min: 5, max: 45, step: 0.5, page: 5 },
  dep: { min: -20, max: 20, step: 0.5, page: 5 },
  gini: { min: 0.33, max: 0.44, step: 0.001, page: 0.01 },
};

/** A Table 1 row (`{ mean, sd, min, max }`) in words. */
function summary(row) {
  return `mean ${row.mean}, SD ${row.sd}, range ${row.min} to ${row.max}`;
}

/** "+26%" for a rate ratio of 1.26: the percentage increase per step, as Webb et al. 2020 frame it. */
function percentIncrease(score) {
  const p = (score - 1) * 100;
  return `${p >= 0 ? '+' : '−'}${Math.abs(p).toFixed(Math.abs(p) < 10 ? 1 : 0)}%`;
}

export class Calculator {
  constructor(engine, root) {
    this.engine = engine;
    this.root = root;
    this.hoodMeasures = hoodMeasures(engine.catalogue());
    this.measures = this.hoodMeasures.map((m) => m.name);
    this.las = () => engine.las(); // the page converts the list once, when first needed
    this.study = engine.studyContexts(); // presets and Webb et al. 2020 Table 1's LA statistics
    const { state, problems } = stateFromQuery(this.study, location.search, this.measures, this.las);
    this.state = state;
    this.problems = problems;
    this.inputs = { a: {}, b: {} };
    this.pickers = {};
    this.painted = false; // whether the first answer is on screen (the charts follow it)
    this.pendingCharts = null; // until then, the latest charts to show
  }

  start() {
    this.buildHero();
    this.buildChoices();
    this.buildContexts();
    const toggle = this.root.querySelector('#compare-toggle');
    toggle.checked = this.state.compare;
    toggle.addEventListener('change', () => {
      this.state.compare = toggle.checked;
      this.buildHero();
      this.buildContexts();
      this.update();
    });
    this.root.querySelector('#copy-link').addEventListener('click', () => this.copyLink());
    window.addEventListener('popstate', () => {
      ({ state: this.state, problems: this.problems } = stateFromQuery(this.study, location.search, this.measures, this.las));
      this.buildHero();
      this.buildChoices();
      this.buildContexts();
      this.update(false);
    });
    document.addEventListener('calculator:pick-la', (e) => {
      const la = this.las().find((x) => x.la_code === e.detail?.code);
      if (la) this.pickLa('a', la);
    });
    // A Gini coefficient estimated on the page from income bands (www/rates/gini.js) becomes
    // the first context's, as if typed.
    document.addEventListener('calculator:set-gini', (e) => {
      const gini = Number(e.detail?.gini);
      if (!Number.isFinite(gini)) return;
      this.state.a.gini = gini;
      this.markChanged('a', ['gini']);
      this.syncInputs('a');
      this.update();
    });
    // The first answer is painted first; the charts of the latest update follow it.
    afterNextPaint(() => {
      this.painted = true;
      this.pendingCharts?.();
      this.pendingCharts = null;
    });
    this.update();
  }

  la(code) {
    return code ? this.las().find((x) => x.la_code === code) || null : null;
  }

  /** Choose LA `la` (or the England average, for null) for context `which`. */
  pickLa(which, la) {
    const keep = { area: this.state[which].area, density: this.state[which].density };
    const base = { ...defaultContext(this.study), ...keep };
    this.state[which] = la ? laContext(this.study, la, base) : base;
    this.pickers[which]?.show(la);
    this.syncInputs(which);
    this.buildContexts();
    this.update();
  }

  // --- Controls -------------------------------------------------------------------------------

  /** The first screen: the LA picker(s) and the headline score. */
  buildHero() {
    const hero = this.root.querySelector('#hero');
    const contexts = this.state.compare ? ['a', 'b'] : ['a'];
    this.pickers = {};
    const pickers = contexts.map((which) => {
      const picker = new LaPicker(this.engine, this.las, {
        id: which === 'a' ? 'la-picker' : 'la-picker-b',
        label: this.state.compare ? `Local authority ${which.toUpperCase()}` : 'Your local authority',
        onPick: (la) => this.pickLa(which, la),
      });
      picker.show(this.la(this.state[which].la));
      this.pickers[which] = picker;
      return picker.element;
    });
    const problems = this.problems.map((p) => h('p', { class: 'error', role: 'alert', 'data-testid': 'url-problem' }, p));
    hero.replaceChildren(
      h('div', { class: 'pickers' + (this.state.compare ? ' two' : '') }, pickers),
      ...problems,
      h('div', { id: 'la-headline', class: 'headline', 'data-testid': 'headline', 'aria-live': 'polite' }));
  }

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
        h('p', { id: 'outcome-help', class: 'hint' }, 'Rates per 10,000 children: children in need in 13 local authorities, child protection plans and children looked after in 18 (Table 3).')),
      h('div', { class: 'field' },
        h('label', { for: 'measure' }, 'Hood et al. 2021 threshold or group'),
        measure,
        h('p', { id: 'measure-help', class: 'hint' }, 'Referrals and what follows them, and groups of children aged 5 to 15, in every English local authority.')));
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
    const la = this.la(ctx.la);
    const place = la ? `an LA like ${la.display_name}` : 'an average LA';
    const title = this.state.compare ? `Context ${which.toUpperCase()}: ${place}` : `Adjust the context: ${place}`;
    this.inputs[which] = {};

    const presetRow = (kind, label) => h('div', { class: 'presets', role: 'group', 'aria-label': `${label} presets for ${title}` },
      ['low', 'average', 'high'].map((level) => h('button', {
        type: 'button', 'data-preset': `${kind}-${level}`, 'aria-pressed': 'false',
        onclick: () => {
          const values = this.study[kind][level];
          Object.assign(this.state[which], values);
          this.markChanged(which, Object.keys(values));
          this.syncInputs(which);
          this.update();
        },
      }, `${level[0].toUpperCase()}${level.slice(1)} ${label.toLowerCase()}`)));

    const slider = (name, label, unit, help) => {
      const { min, max, step, page } = SLIDERS[name];
      const range = h('input', { type: 'range', id: id(name + '-range'), min, max, step, value: ctx[name], 'aria-label': `${label} (slider)`, 'aria-describedby': id(name + '-help') });
      const num = h('input', { type: 'number', id: id(name), step: name === 'gini' ? 0.001 : 0.01, value: ctx[name], inputmode: 'decimal', 'aria-describedby': id(name + '-help') + ' ' + id(name + '-error') });
      range.addEventListener('keydown', (e) => {
        if (e.key !== 'PageUp' && e.key !== 'PageDown') return;
        e.preventDefault();
        const x = Number(range.value) + (e.key === 'PageUp' ? page : -page);
        set(String(+Math.min(max, Math.max(min, x)).toFixed(3)), null);
      });
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
        this.markChanged(which, [name]);
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
      slider('imd', 'LA IMD 2015 average score, for Webb et al.', 'IMD score; higher is more deprived',
        `In the study: ${summary(this.study.la_imd)} (Webb et al. 2020, Table 1).`),
      slider('dep', 'LA income deprivation, for Hood et al.', 'percentage points above (+) or below (−) the England LA average',
        'The report prints low and high contexts at −10 and +10 points (Hood et al. 2021, Tables 2-8). For a real LA: its IoD 2019 income score minus the average of the 151 LAs.'),
      h('h3', {}, 'Income inequality'),
      presetRow('inequality', 'Inequality'),
      slider('gini', 'LA Gini coefficient, for Webb et al.', '0 = everyone has the same income, 1 = maximal inequality',
        `Not published for real LAs: it stays at the study average unless you change it. In the study: ${summary(this.study.gini)} (Webb et al. 2020, Table 1).`),
      h('h3', {}, 'Neighbourhood type'),
      h('div', { class: 'field' },
        h('label', { for: id('neighbourhood') }, 'Urban/rural or population density, for Hood et al.'),
        neighbourhood,
        h('p', { class: 'hint' }, 'Tables 16 and 17 give referrals, CIN and CP plans only.')));
    return fs;
  }

  /** With a real LA, note which of its values the user replaced. */
  markChanged(which, names) {
    const ctx = this.state[which];
    if (!ctx.la) return;
    for (const name of names) if (!ctx.changed.includes(name)) ctx.changed.push(name);
  }

  /** Show which preset buttons match the current values. */
  syncPresets(which) {
    const ctx = this.state[which];
    const fs = this.root.querySelector(`fieldset[data-context="${which}"]`);
    if (!fs) return;
    for (const button of fs.querySelectorAll('[data-preset]')) {
      const [kind, level] = button.dataset.preset.split('-');
      const values = this.study[kind][level];
      const on = Object.entries(values).every(([k, v]) => Math.abs(ctx[k] - v) < 1e-9);
      button.setAttribute('aria-pressed', String(on));
    }
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

  /** Shows the z-scores the engine used for context `which` (from its Webb result), or a dash. */
  syncZ(which, webb) {
    const inputs = this.inputs[which];
    const context = webb && webb.ok ? webb.ok.context : null;
    const z = (value) => `z = ${context ? fmt(value) : '–'}`;
    if (inputs.imd) inputs.imd.z.textContent = z(context?.la_imd_z);
    if (inputs.gini) inputs.gini.z.textContent = z(context?.gini_z);
  }

  // --- Engine calls ---------------------------------------------------------------------------

  /** With a real LA the engine fills its own values; only what the user changed is sent. */
  webbRequest(ctx) {
    const req = { source: 'webb2020', outcome: this.state.outcome };
    if (ctx.la) req.la = ctx.la;
    if (!ctx.la || ctx.changed.includes('imd')) req.la_imd = ctx.imd;
    if (!ctx.la || ctx.changed.includes('gini')) req.gini = ctx.gini;
    return req;
  }

  hoodRequest(ctx) {
    const req = { source: 'hood2021', measure: this.state.measure };
    if (ctx.la) req.la = ctx.la;
    if (!ctx.la || ctx.changed.includes('dep')) req.la_dep = ctx.dep;
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
    for (const which of ['a', 'b']) this.syncPresets(which);
    if (pushUrl) history.replaceState(null, '', queryFromState(this.state, location.search) + location.hash);
    const contexts = this.state.compare ? ['a', 'b'] : ['a'];
    const webb = contexts.map((w) => this.compute(this.webbRequest(this.state[w])));
    contexts.forEach((w, i) => this.syncZ(w, webb[i]));
    const hood = contexts.map((w) => this.compute(this.hoodRequest(this.state[w])));
    const results = this.root.querySelector('#results');
    results.replaceChildren(
      this.card('webb', 'Webb et al. 2020', OUTCOME_LABELS[this.state.outcome], webb),
      this.card('hood', 'Hood et al. 2021', this.measureLabel(), hood));
    this.renderHeadline(contexts, hood);
    this.renderCharts(contexts, webb);
    const laRequest = { source: 'hood2021', measure: this.state.measure };
    if (this.state.a.area) laRequest.area = this.state.a.area;
    if (this.state.a.density) laRequest.density = this.state.a.density;
    document.dispatchEvent(new CustomEvent('calculator:change', { detail: { laRequest, selected: this.state.a.la || null } }));
  }

  /** The first screen's answer: the Hood et al. 2021 score for the chosen measure and place(s). */
  renderHeadline(contexts, outcomes) {
    const holder = this.root.querySelector('#la-headline');
    if (!holder) return;
    const blocks = contexts.map((which, i) => {
      const o = outcomes[i];
      const la = this.la(this.state[which].la);
      const place = la ? la.la_name : 'An average English local authority';
      if (o.error) return h('div', { class: 'headline-block' }, h('p', { class: 'headline-place' }, place), h('p', { class: 'error' }, o.error));
      const r = o.ok;
      const ci = r.ci_low !== null && r.ci_high !== null
        ? `95% CI ${fmt(r.ci_low)} to ${fmt(r.ci_high)}`
        : 'no 95% CI: the report prints one only for an average LA';
      const within = r.within_la;
      const changed = r.la_changed?.length ? ` (with the ${r.la_changed.join(' and ')} changed)` : '';
      const notes = [...(r.la_notes || []), ...(within ? within.assumptions : [])];
      const suffix = contexts.length > 1 ? `-${which}` : '';
      return h('div', { class: 'headline-block' },
        h('p', { class: 'headline-place', 'data-testid': `headline-place${suffix}` }, place + changed),
        h('p', { class: 'headline-measure' }, `${this.measureLabel()}: social gradient score`),
        h('p', { class: 'score' },
          h('span', { class: 'value', 'data-testid': `headline-score${suffix}` }, fmt(r.estimate)),
          h('span', { class: 'ci', 'data-testid': `headline-ci${suffix}` }, ci),
          r.extrapolated ? h('span', { class: 'badge extrapolated' }, 'Extrapolated beyond the study') : null),
        h('p', { class: 'headline-sentence', 'data-testid': `headline-sentence${suffix}` }, within ? within.sentence : r.reading),
        notes.length ? h('details', { class: 'headline-details' }, h('summary', {}, 'Where these numbers come from'),
          h('ul', {}, notes.map((n) => h('li', {}, n)))) : null);
    });
    const first = outcomes.find((o) => o.ok)?.ok;
    const parts = [h('div', { class: 'headline-blocks' + (contexts.length > 1 ? ' two' : '') }, blocks)];
    if (contexts.length > 1 && outcomes.every((o) => o.ok)) parts.push(this.comparison('headline', outcomes.map((o) => o.ok), 'step in neighbourhood deprivation (10 points of income deprivation)'));
    if (first) {
      parts.push(h('p', { class: 'headline-source' },
        `${first.source}, ${first.table}. ${HOOD_SCOPE}. A score of 1.5 means each 10-point rise in a neighbourhood's share of income-deprived families goes with a 50% higher rate. An association, not a cause.`));
    }
    holder.replaceChildren(...parts);
  }

  /**
   * Two gradients framed as Webb et al. 2020 frame them: the percentage increase per step in each
   * and the ratio of those increases ("around five times stronger"), with the ratio of scores.
   */
  comparison(key, [a, b], step) {
    const [pa, pb] = [(a.estimate - 1) * 100, (b.estimate - 1) * 100];
    const names = ['A', 'B'].map((w, i) => {
      const la = this.la(this.state[w.toLowerCase()].la);
      return la ? la.display_name : `context ${w}`;
    });
    const ratio = a.estimate / b.estimate;
    const strong = pa > 0 && pb > 0 ? (pa >= pb ? [0, pa / pb] : [1, pb / pa]) : null;
    return h('div', { class: 'comparison', 'data-testid': `${key}-comparison` },
      h('p', {},
        `Per ${step}, the rate rises by `, h('strong', { 'data-testid': `${key}-pct-a` }, percentIncrease(a.estimate)), ` in ${names[0]} and by `,
        h('strong', { 'data-testid': `${key}-pct-b` }, percentIncrease(b.estimate)), ` in ${names[1]}`,
        strong ? [': the gradient is about ', h('strong', { 'data-testid': `${key}-pct-ratio` }, fmt(strong[1], 1)), ` times as strong in ${names[strong[0]]} (ratio of the percentage increases, as Webb et al. 2020 compare gradients).`] : '.'),
      h('p', { class: 'ratio', 'data-testid': `${key}-ratio` },
        'Ratio of the scores, A ÷ B: ', h('strong', {}, fmt(ratio)),
        ` (the rate ratio per step in ${names[0]} divided by that in ${names[1]}).`));
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
      const step = key === 'webb' ? '1 SD rise in neighbourhood IMD score' : '10-point rise in neighbourhood income deprivation';
      body.push(this.comparison(key, outcomes.map((o) => o.ok), step));
    }
    const scope = key === 'webb' ? WEBB_SCOPE[this.state.outcome] : HOOD_SCOPE;
    return h('article', { class: 'card', 'data-testid': `${key}-card`, 'aria-labelledby': `${key}-title` },
      h('h3', { id: `${key}-title` }, `${source}: ${label}`),
      first ? h('p', { class: 'unit' }, `The score is a ${first.unit}.`) : null,
      body,
      first ? h('p', { class: 'source' }, `Source: ${first.source}, ${first.table}. ${scope}.`) : null);
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
      r.la_notes?.length ? h('ul', { class: 'la-notes' }, r.la_notes.map((n) => h('li', {}, n))) : null,
      r.warnings.length ? h('ul', { class: 'warnings' }, r.warnings.map((w) => h('li', {}, w))) : null);
  }

  /** The engine's charts of `contexts`; the Webb curve at the z-scores of each context's Webb result. */
  renderCharts(contexts, webbResults) {
    const request = {
      outcome: this.state.outcome,
      measure: this.state.measure,
      contexts: contexts.map((which, i) => {
        const ctx = this.state[which];
        const used = webbResults[i].ok ? webbResults[i].ok.context : null;
        return {
          name: this.state.compare ? `Context ${'AB'[i]}` : 'Your LA context',
          webb: used ? { la_imd_z: used.la_imd_z, gini_z: used.gini_z } : null,
          la_dep: ctx.dep, area: ctx.area || null, density: ctx.density || null,
        };
      }),
    };
    const show = () => {
      const charts = this.engine.calculatorCharts(request);
      this.root.querySelector('#charts').replaceChildren(this.chart(charts.webb), this.chart(charts.hood));
    };
    // Before the next paint, so the charts never lag a moving control; until the first answer
    // is painted, kept for then (see `start`), so the answer does not wait for them.
    if (this.painted) show();
    else this.pendingCharts = show;
  }

  /** A figure for one of the engine's charts (null: no chart for this choice), drawn on the next frame. */
  chart(view) {
    if (!view) return h('figure', { class: 'chart' }, h('p', { class: 'muted' }, 'No chart for this choice: the table compares gradients rather than describing rates.'));
    const warnings = view.warnings.length ? [h('ul', { class: 'warnings' }, view.warnings.map((w) => h('li', {}, w)))] : [];
    const fig = chartFigure(view, { canvasId: view.id, size: [720, 420], extras: warnings });
    // Drawn before the next paint, so a chart never shows empty while a control moves.
    requestAnimationFrame(() => drawFigure(this.engine, fig));
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

