// The calculator on the published tables: LA context controls, result cards, charts with table
// alternatives, compare mode and the URL round trip. All numbers come from the engine (wasm).
import { h, afterNextPaint } from './dom.js';
import { choicesFrom, defaultContext, laContext, queryFromState, stateFromQuery } from './state.js';
import { LaPicker } from './la-picker.js';
import { chartFigure, drawFigure } from './charts.js';

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
    .flatMap((t) => t.measures.map((m) => ({ name: m.name, label: m.label, scope: m.scope, group: `${t.table}: ${t.title}` })));
}

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

/** The measures Tables 16 and 17 give (their context tables' measures), from the engine's catalogue. */
function contextMeasures(catalogue) {
  return new Set(catalogue.tables.filter((t) => t.role === 'context').flatMap((t) => t.measures.map((m) => m.name)));
}

/** "Steeper" from "steeper". */
const capital = (text) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * Webb et al. 2020's own comparison of two gradients (their CLA example, p. 20 of the seed): the
 * percentage increase per step in each and how many times one is the other.
 */
const WEBB_FRAMING = 'Webb et al. 2020 compare two gradients by their percentage increases per step: for children looked after, “around five times stronger (129 per cent increase) than … (25.8 per cent increase)” in their most and least favourable contexts.';

export class Calculator {
  constructor(engine, root) {
    this.engine = engine;
    this.root = root;
    const catalogue = engine.catalogue();
    this.hoodMeasures = hoodMeasures(catalogue);
    this.contextMeasures = contextMeasures(catalogue);
    this.choices = choicesFrom(catalogue); // the outcomes, measures and neighbourhoods a link may name
    this.las = () => engine.las(); // the page converts the list once, when first needed
    this.study = engine.studyContexts(); // presets and Webb et al. 2020 Table 1's LA statistics
    this.readUrl();
    this.inputs = { a: {}, b: {} };
    this.pickers = {};
    this.painted = false; // whether the first answer is on screen (the charts follow it)
    this.pendingCharts = null; // until then, the latest charts to show
  }

  /** The state in the link, with a neighbourhood type the chosen measure cannot have taken out (and said). */
  readUrl() {
    const resolve = (text) => this.engine.resolveLa(text);
    const { state, problems } = stateFromQuery(this.study, location.search, this.choices, this.las, resolve);
    for (const which of ['a', 'b']) {
      const ctx = state[which];
      if ((ctx.area || ctx.density) && !this.contextMeasures.has(state.measure)) {
        problems.push(`${this.measureLabel(state.measure)} is not given for one kind of neighbourhood (Tables 16 and 17 give only referrals, children in need and child protection plans), so the page shows it for any neighbourhood.`);
        ctx.area = '';
        ctx.density = '';
      }
    }
    this.state = state;
    this.problems = problems;
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
      this.readUrl();
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
    this.root.classList.remove('loading');
  }

  /** The April-2019 LA a link's code stands for (a newer authority's code leads to the one that held it). */
  la(code) {
    if (!code) return null;
    const found = this.engine.resolveLa(code);
    return found ? this.las().find((x) => x.la_code === found.la_code) || null : null;
  }

  /** Choose LA `la` (or the England average, for null) for context `which`; `hit` is the picker's entry. */
  pickLa(which, la, hit = null) {
    const keep = { area: this.state[which].area, density: this.state[which].density };
    const base = { ...defaultContext(this.study), ...keep };
    this.state[which] = la ? laContext(this.study, la, base, hit?.alias_code || la.la_code) : base;
    this.stale[which] = null;
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
    this.stale = { a: null, b: null };
    const pickers = contexts.map((which) => {
      const picker = new LaPicker(this.engine, {
        id: which === 'a' ? 'la-picker' : 'la-picker-b',
        label: this.state.compare ? `Local authority ${which.toUpperCase()}` : 'Your local authority',
        onPick: (la, hit) => this.pickLa(which, la, hit),
        onNoMatch: (text) => this.markStale(which, text),
      });
      picker.show(this.la(this.state[which].la));
      this.pickers[which] = picker;
      return picker.element;
    });
    const problems = this.problems.map((p) => h('p', { class: 'error', role: 'alert', 'data-testid': 'url-problem' }, p));
    hero.replaceChildren(
      h('div', { class: 'pickers' + (this.state.compare ? ' two' : '') }, pickers),
      ...problems,
      h('div', { id: 'la-headline', class: 'headline', 'data-testid': 'headline' },
        h('p', { class: 'calc-error', role: 'alert', 'data-testid': 'headline-error', hidden: true }),
        h('div', { class: 'headline-body', 'aria-live': 'polite' })));
  }

  /**
   * A search that matches no LA (`text`), or none (null): the answer on screen is for the LA chosen
   * before, so it is greyed and says so until another is chosen or the text is cleared.
   */
  markStale(which, text) {
    this.stale[which] = text;
    const holder = this.root.querySelector('#la-headline');
    if (!holder) return;
    const any = Object.entries(this.stale).filter(([, t]) => t);
    holder.classList.toggle('stale', any.length > 0);
    const note = holder.querySelector('.stale-note') || holder.insertBefore(h('p', { class: 'stale-note', 'data-testid': 'headline-stale', role: 'status' }), holder.firstChild);
    note.hidden = any.length === 0;
    if (any.length) {
      const [w, t] = any[0];
      const la = this.la(this.state[w].la);
      note.textContent = `No local authority matches “${t}”: the answer below is still for ${la ? la.display_name : 'an average English local authority'}.`;
    }
  }

  buildChoices() {
    const old = this.root.querySelector('#choices');
    if (old) old.remove();
    const outcome = h('select', { id: 'outcome', 'aria-describedby': 'outcome-help' },
      this.choices.outcomes.map((o) => h('option', { value: o.name, selected: o.name === this.state.outcome }, o.label)));
    outcome.addEventListener('change', () => { this.state.outcome = outcome.value; this.update(); });

    const groups = new Map();
    for (const m of this.hoodMeasures) {
      if (!groups.has(m.group)) groups.set(m.group, []);
      groups.get(m.group).push(m);
    }
    const measure = h('select', { id: 'measure', 'aria-describedby': 'measure-help measure-limit' },
      [...groups].map(([group, ms]) => h('optgroup', { label: group },
        ms.map((m) => h('option', { value: m.name, selected: m.name === this.state.measure, 'data-label': m.label }, m.label)))));
    measure.addEventListener('change', () => {
      this.state.measure = measure.value;
      this.syncAvailability();
      this.update();
    });
    this.measureSelect = measure;

    const choices = h('fieldset', { id: 'choices', class: 'choices' },
      h('legend', {}, 'What to measure'),
      h('div', { class: 'field' },
        h('label', { for: 'outcome' }, 'Webb et al. 2020 outcome'),
        outcome,
        h('p', { id: 'outcome-help', class: 'hint' }, `Rates per 10,000 children: ${this.choices.outcomes.map((o) => o.scope.replace(/ \(.*\)$/, '').toLowerCase()).join('; ')} (Table 3).`)),
      h('div', { class: 'field' },
        h('label', { for: 'measure' }, 'Hood et al. 2021 threshold or group'),
        measure,
        h('p', { id: 'measure-help', class: 'hint' }, 'Referrals and what follows them, and groups of children aged 5 to 15, in every English local authority.'),
        h('p', { id: 'measure-limit', class: 'hint limit', 'data-testid': 'measure-limit', hidden: true })));
    this.root.querySelector('#contexts').before(choices);
  }

  /**
   * Tables 16 and 17 give referrals, children in need and child protection plans only: with a kind
   * of neighbourhood chosen, the other measures are disabled, and with another measure chosen, the
   * kinds of neighbourhood are, each saying why.
   */
  syncAvailability() {
    const contexts = this.state.compare ? ['a', 'b'] : ['a'];
    const typed = contexts.some((w) => this.state[w].area || this.state[w].density);
    const measureOk = this.contextMeasures.has(this.state.measure);
    if (this.measureSelect) {
      for (const option of this.measureSelect.querySelectorAll('option')) {
        const off = typed && !this.contextMeasures.has(option.value);
        option.disabled = off;
        option.textContent = off ? `${option.dataset.label} (not for one kind of neighbourhood)` : option.dataset.label;
      }
      const limit = this.root.querySelector('#measure-limit');
      limit.hidden = !typed;
      limit.textContent = typed ? 'With a kind of neighbourhood chosen (urban, rural or a population density), only referrals, children in need and child protection plans can be given: Tables 16 and 17 give no others. Choose “Any neighbourhood” for the rest.' : '';
    }
    for (const which of contexts) {
      const select = this.inputs[which]?.neighbourhood;
      if (!select) continue;
      for (const option of select.querySelectorAll('option')) {
        const off = option.value !== '' && !measureOk;
        option.disabled = off;
        option.textContent = off ? `${option.dataset.label} (referrals, CIN and CP plans only)` : option.dataset.label;
      }
      const hint = this.root.querySelector(`#${which}-neighbourhood-help`);
      if (hint) {
        hint.textContent = measureOk
          ? 'Tables 16 and 17 give referrals, CIN and CP plans only.'
          : `${this.measureLabel()} is given for any neighbourhood only: Tables 16 and 17 give referrals, children in need and child protection plans by kind of neighbourhood, and no other measure.`;
      }
    }
  }

  buildContexts() {
    const holder = this.root.querySelector('#contexts');
    holder.replaceChildren();
    holder.append(this.contextFieldset('a'));
    if (this.state.compare) holder.append(this.contextFieldset('b'));
    holder.classList.toggle('two', this.state.compare);
    this.syncAvailability();
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
      this.inputs[which][name] = { range, num };
      return h('div', { class: 'field slider' },
        h('label', { for: id(name) }, label, h('span', { class: 'unit' }, ` (${unit})`)),
        h('div', { class: 'slider-row' }, range, num),
        h('p', { id: id(name + '-help'), class: 'hint' }, help),
        error);
    };

    const neighbourhood = h('select', { id: id('neighbourhood'), 'aria-describedby': id('neighbourhood-help') },
      NEIGHBOURHOOD.map((n) => h('option', { value: n.value, selected: n.value === neighbourhoodValue(ctx), 'data-label': n.label }, n.label)));
    neighbourhood.addEventListener('change', () => {
      const n = NEIGHBOURHOOD.find((x) => x.value === neighbourhood.value) || NEIGHBOURHOOD[0];
      this.state[which].area = n.area;
      this.state[which].density = n.density;
      this.syncAvailability();
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
        h('p', { class: 'hint', id: id('neighbourhood-help') }, 'Tables 16 and 17 give referrals, CIN and CP plans only.')));
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

  /** `{ok: result}`, or `{error}` with the engine's plain message. */
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
    const hood = contexts.map((w) => this.compute(this.hoodRequest(this.state[w])));
    this.renderCard('webb', 'Webb et al. 2020', this.outcome().label, webb);
    this.renderCard('hood', 'Hood et al. 2021', this.measureLabel(), hood);
    this.renderHeadline(contexts, hood);
    this.renderCharts(contexts, webb);
    const laRequest = { source: 'hood2021', measure: this.state.measure };
    if (this.state.a.area) laRequest.area = this.state.a.area;
    if (this.state.a.density) laRequest.density = this.state.a.density;
    const selected = hood[0].ok?.la_code || webb[0].ok?.la_code || null;
    document.dispatchEvent(new CustomEvent('calculator:change', { detail: { laRequest, selected } }));
  }

  /** A context's name in sentences: the LA's everyday name, or "context A". */
  contextName(which) {
    const la = this.la(this.state[which].la);
    return la ? la.display_name : `context ${which.toUpperCase()}`;
  }

  /**
   * Shows an engine error (its plain message) in `holder`'s error line and keeps what was shown
   * before, greyed, as the last good answer; or clears the error.
   */
  showError(holder, message, what) {
    const line = holder.querySelector(':scope > .calc-error');
    const body = holder.querySelector(':scope > .headline-body, :scope > .card-body');
    const hadAnswer = body && body.childElementCount > 0;
    holder.classList.toggle('stale', Boolean(message) && hadAnswer);
    if (!line) return;
    line.hidden = !message;
    line.textContent = message ? `${message}${hadAnswer ? ` The ${what} below is the last one that could be computed.` : ''}` : '';
  }

  /** The first screen's answer: the Hood et al. 2021 score for the chosen measure and place(s). */
  renderHeadline(contexts, outcomes) {
    const holder = this.root.querySelector('#la-headline');
    if (!holder) return;
    const failed = outcomes.find((o) => o.error);
    this.showError(holder, failed ? failed.error : null, 'answer');
    if (failed) return;
    const results = outcomes.map((o) => o.ok);
    const blocks = contexts.map((which, i) => this.headlineBlock(which, results[i], contexts.length > 1 ? `-${which}` : ''));
    const parts = [];
    if (contexts.length > 1) parts.push(this.headlineComparison(results));
    parts.push(h('div', { class: 'headline-blocks' + (contexts.length > 1 ? ' two' : '') }, blocks));
    const first = results[0];
    parts.push(h('p', { class: 'headline-source' },
      `${first.source}, ${first.table}. ${this.hoodMeasure().scope}. A score of 1.5 means each 10-point rise in a neighbourhood's share of income-deprived families goes with a 50% higher rate. An association, not a cause.`));
    holder.querySelector('.headline-body').replaceChildren(...parts);
    if (Object.values(this.stale).some(Boolean)) holder.classList.add('stale');
  }

  /** One place's headline: its score against the average LA's, the interval or why none, its gap. */
  headlineBlock(which, r, suffix) {
    const within = r.within_la;
    const changed = r.la_changed?.length ? ` (with the ${r.la_changed.join(' and ')} changed)` : '';
    const place = r.la_name ? r.la_name + changed : 'An average English local authority';
    const notes = [
      r.ci_note,
      ...(r.la_notes || []).filter((n) => n !== r.la_alias?.note),
      ...(within ? within.assumptions : []),
      ...r.warnings.filter((w) => w !== r.range?.explanation),
      `The score is a ${r.unit}.`,
      ...r.technical,
    ];
    const ci = r.shown.ci_low !== null
      ? `95% CI ${r.shown.ci_low} to ${r.shown.ci_high}`
      : `No 95% CI: ${r.ci_note.charAt(0).toLowerCase()}${r.ci_note.slice(1)}`;
    return h('div', { class: 'headline-block', 'data-direction': r.average.direction, 'data-testid': `headline-block${suffix}` },
      h('p', { class: 'headline-place', 'data-testid': `headline-place${suffix}` }, place),
      r.la_alias ? h('p', { class: 'headline-alias', 'data-testid': `headline-alias${suffix}` }, r.la_alias.note) : null,
      h('p', { class: 'headline-measure' }, `${this.measureLabel()}: social gradient score per step of neighbourhood deprivation`),
      h('p', { class: 'score' },
        h('span', { class: 'value', 'data-testid': `headline-score${suffix}` }, r.shown.value),
        h('span', { class: 'headline-compare', 'data-testid': `headline-compare${suffix}` }, r.average.words)),
      h('p', { class: 'ci headline-ci', 'data-testid': `headline-ci${suffix}` }, ci),
      within ? h('p', { class: 'headline-sentence', 'data-testid': `headline-sentence${suffix}` }, within.sentence) : h('p', { class: 'headline-sentence', 'data-testid': `headline-sentence${suffix}` }, r.reading),
      within ? h('p', { class: 'headline-explanation', 'data-testid': `headline-explanation${suffix}` }, within.explanation) : null,
      r.range ? h('p', { class: 'range-line' }, h('span', { class: 'badge extrapolated', 'data-testid': `headline-range${suffix}` }, r.range.badge), ' ', h('span', { class: 'range-why' }, r.range.explanation)) : null,
      h('details', { class: 'headline-details' }, h('summary', {}, 'Where these numbers come from'),
        h('ul', {}, notes.map((n) => h('li', {}, n)))));
  }

  /** Compare mode's one lead comparison: per step, where the gradient is steeper. */
  headlineComparison([a, b]) {
    const names = ['a', 'b'].map((w) => this.contextName(w));
    const direction = this.engine.direction(a.estimate, b.estimate, true);
    let text;
    if (direction === 'same') {
      text = `Per 10-point step, the ${this.measureLabel().toLowerCase()} gradient is the same in ${names[0]} and ${names[1]} (${a.shown.value}).`;
    } else {
      const [hi, lo] = direction === 'steeper' || direction === 'higher' ? [0, 1] : [1, 0];
      const word = direction === 'steeper' || direction === 'flatter' ? 'steeper' : 'higher';
      const r = [a, b];
      text = `Per 10-point step, the ${this.measureLabel().toLowerCase()} gradient is ${word} in ${names[hi]} (${r[hi].shown.value}) than in ${names[lo]} (${r[lo].shown.value}).`;
    }
    return h('p', { class: 'headline-lead', 'data-testid': 'headline-comparison' }, text);
  }

  /** The chosen Webb et al. 2020 outcome: its catalogue entry, `{ name, label, scope }`. */
  outcome() {
    return this.choices.outcomes.find((o) => o.name === this.state.outcome);
  }

  /** The chosen Hood et al. 2021 measure: `{ name, label, scope, group }`. */
  hoodMeasure() {
    return this.hoodMeasures.find((x) => x.name === this.state.measure);
  }

  measureLabel(name = this.state.measure) {
    const m = this.hoodMeasures.find((x) => x.name === name);
    return m ? m.label : name;
  }

  /** One study's card: each context's score, reading and notes, and in compare mode one comparison. */
  renderCard(key, source, label, outcomes) {
    const results = this.root.querySelector('#results');
    let card = results.querySelector(`[data-testid="${key}-card"]`);
    if (!card) {
      card = h('article', { class: 'card', 'data-testid': `${key}-card`, 'aria-labelledby': `${key}-title` },
        h('h3', { id: `${key}-title` }),
        h('p', { class: 'calc-error', role: 'alert', 'data-testid': `${key}-error`, hidden: true }),
        h('div', { class: 'card-body' }));
      results.append(card);
      // The Webb card first, then the Hood card.
      if (key === 'webb') results.prepend(card);
    }
    const failed = outcomes.find((o) => o.error);
    this.showError(card, failed ? failed.error : null, 'score');
    if (failed) return;
    card.querySelector('h3').textContent = `${source}: ${label}`;
    const results2 = outcomes.map((o) => o.ok);
    const first = results2[0];
    const columns = results2.map((r, i) => this.resultBlock(key, r, this.state.compare ? `Context ${'AB'[i]}: ${this.contextName('ab'[i])}` : null));
    const body = [
      h('p', { class: 'unit' }, `How many times the rate multiplies with ${first.step_words}.`),
      h('div', { class: 'result-columns' }, columns),
    ];
    if (this.state.compare) body.push(this.cardComparison(key, results2));
    const scope = (key === 'webb' ? this.outcome() : this.hoodMeasure()).scope;
    body.push(h('p', { class: 'source' }, `Source: ${first.source}, ${first.table}. ${scope}.`));
    card.querySelector('.card-body').replaceChildren(...body);
  }

  /** Compare mode in a card: where the gradient per step is steeper, and, for Webb et al.'s CLA, their own framing. */
  cardComparison(key, [a, b]) {
    const names = ['a', 'b'].map((w) => this.contextName(w));
    const direction = this.engine.direction(a.estimate, b.estimate, true);
    const step = key === 'webb' ? 'step up in neighbourhood deprivation' : '10-point step';
    const parts = [];
    if (direction === 'same') {
      parts.push(h('p', { 'data-testid': `${key}-lead` }, `Per ${step}, the gradient is the same in ${names[0]} and ${names[1]} (${a.shown.value}).`));
    } else {
      const [hi, lo] = direction === 'steeper' || direction === 'higher' ? [0, 1] : [1, 0];
      const r = [a, b];
      const word = direction === 'steeper' || direction === 'flatter' ? 'steeper' : 'higher';
      parts.push(h('p', { 'data-testid': `${key}-lead` },
        `Per ${step}, the gradient is ${word} in ${names[hi]}: ${r[hi].shown.value} against ${r[lo].shown.value} in ${names[lo]}.`));
      if (key === 'webb' && this.state.outcome === 'cla' && r[hi].estimate > 1 && r[lo].estimate > 1) {
        const pct = r.map((x) => this.engine.formatNumber('percent', 100 * (x.estimate - 1)));
        const times = this.engine.formatNumber('times', (r[hi].estimate - 1) / (r[lo].estimate - 1));
        parts.push(h('p', { class: 'paper-framing', 'data-testid': 'webb-framing' },
          h('span', { class: 'paper-label' }, 'As the paper compares them: '),
          `${WEBB_FRAMING} Compared the same way, `,
          h('strong', { 'data-testid': `webb-pct-${'ab'[hi]}` }, pct[hi]), ` in ${names[hi]} is about `,
          h('strong', { 'data-testid': 'webb-pct-ratio' }, times), ` times the `,
          h('strong', { 'data-testid': `webb-pct-${'ab'[lo]}` }, pct[lo]), ` in ${names[lo]}.`));
      }
    }
    return h('div', { class: 'comparison', 'data-testid': `${key}-comparison` }, parts);
  }

  resultBlock(key, r, heading) {
    const ci = r.shown.ci_low !== null ? `95% CI ${r.shown.ci_low} to ${r.shown.ci_high}` : 'No 95% CI';
    const notes = [
      r.ci_note,
      ...(r.range ? [r.range.explanation] : []),
      ...(r.la_notes || []),
      ...r.warnings.filter((w) => w !== r.range?.explanation),
      `The score is a ${r.unit}.`,
      ...r.technical,
    ];
    return h('div', { class: 'result' },
      heading ? h('h4', {}, heading) : null,
      h('p', { class: 'score' }, h('span', { class: 'value', 'data-testid': `${key}-score` }, r.shown.value), h('span', { class: 'ci', 'data-testid': `${key}-ci` }, ci)),
      h('p', { class: 'badges' },
        h('span', { class: r.published ? 'badge printed' : 'badge derived' }, r.published ? 'Printed in the table' : 'Derived from the table'),
        r.range ? h('span', { class: 'badge extrapolated' }, r.range.badge) : null),
      h('p', { class: 'reading', 'data-testid': `${key}-reading` }, r.reading),
      h('details', { class: 'card-details' }, h('summary', {}, 'Where these numbers come from'),
        h('ul', { class: 'la-notes' }, notes.map((n) => h('li', {}, n)))));
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
      let charts;
      try {
        charts = this.engine.calculatorCharts(request);
      } catch {
        return; // the cards already say why; the last charts stay
      }
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
