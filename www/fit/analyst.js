// Checks an analyst runs on a fitted model before trusting it, under the results: predictions
// at chosen covariate values (population average and one LA), and a comparison with a second
// model the user writes (AIC, BIC, likelihood-ratio test when nested). The engine does the
// work in the fitting worker; this module builds the forms and shows the answers.
import { h, fmt, count } from '../dom.js';
import { table } from '../tables.js';

function pValue(p) {
  if (typeof p !== 'number' || !Number.isFinite(p)) return '–';
  return p < 0.001 ? '< 0.001' : p.toFixed(3);
}

/** Four significant figures, as the command line prints predictions. */
function sig(x) {
  return typeof x === 'number' && Number.isFinite(x) ? String(Number(x.toPrecision(4))) : '–';
}

/** A value of the data as the file writes it: `decimals` decimals, no thousands separator. */
function dataValue(x, decimals) {
  return typeof x === 'number' && Number.isFinite(x) ? x.toFixed(Math.min(decimals, 6)) : '';
}

function sentence(text) {
  return text ? text[0].toUpperCase() + text.slice(1) : '';
}

/**
 * The most levels of a group the level choice lists when it is made. A group with more (the
 * places of a spatial field: 32,844 for England's neighbourhoods) is listed when the choice is
 * first used: tens of thousands of options take the page's thread for seconds to make and lay
 * out, which would otherwise come with every fit's results.
 */
const LISTED_AT_ONCE = 1000;

/** How the page names a level of a group: the file's name for it with its code, else the code. */
function levelLabel(g, i) {
  return g.names.length ? `${g.names[i]} (${g.levels[i]})` : `${g.group} ${g.levels[i]}`;
}

/**
 * The prediction form for a fit, on the data's own scale: one field per column of the data the
 * model's terms read (a number starting at its median over the rows used, with the file's range;
 * a text column's level), the offset's columns (for an expected count), an optional level of a
 * random-effect group (an LA, by the file's name for it where the file has one), and the answer
 * with the model's columns as the model sees them. Choosing an LA puts its own values in the
 * columns that are one value per LA (its deprivation), and choosing none puts their medians
 * back. `inputs`: the engine's `predictionInputs`; `gradientTerm`: the headline's deprivation
 * term; `onPredict(request)` asks the engine; `roleOf(column)`: what the column is, in words,
 * or null; `memory`: a Map the form keeps what the user typed and chose in, so that a refit
 * (which builds a new form) keeps it.
 */
export function predictionPanel(inputs, gradientTerm, onPredict, { roleOf = () => null, memory = new Map() } = {}) {
  const laColumns = new Set(inputs.groups.map((g) => g.group));
  const shown = inputs.data.filter((d) => !(d.role === 'group' && laColumns.has(d.name)));
  const fields = shown.map((d, i) => {
    const id = `predict-${i}`;
    const role = roleOf(d.name);
    let control;
    let hint;
    if (d.levels.length) {
      const options = d.role === 'group' ? [h('option', { value: '' }, `An average ${d.name} (the mean of its means)`)] : [];
      control = h('select', { id, 'data-column': d.name, 'data-kind': 'level' }, options, d.levels.map((l) => h('option', { value: l }, l)));
      hint = d.role === 'group' ? 'the group whose mean the model compares with' : `${d.levels.length} values; ${d.levels[0]} is the reference`;
    } else {
      control = h('input', { type: 'text', inputmode: 'decimal', id, 'data-column': d.name, 'data-kind': 'number', value: dataValue(d.median, d.decimals), size: 10 });
      const range = d.min === null ? 'no values' : `${dataValue(d.min, d.decimals)} to ${dataValue(d.max, d.decimals)} in the file, median ${dataValue(d.median, d.decimals)}`;
      hint = d.role === 'offset' ? `for the expected count of an area with this many; ${range}` : range;
    }
    const remembered = memory.get(`column:${d.name}`);
    if (remembered !== undefined && (control.tagName !== 'SELECT' || [...control.options].some((o) => o.value === remembered))) control.value = remembered;
    control.addEventListener('input', () => memory.set(`column:${d.name}`, control.value));
    control.addEventListener('change', () => memory.set(`column:${d.name}`, control.value));
    const own = h('span', { class: 'hint own-value', 'data-own': d.name });
    return h('div', { class: 'field inline predict-field' },
      h('label', { for: id }, h('code', {}, d.name), role ? ` ${role}` : null, h('span', { class: 'hint' }, ` (${hint})`), own), control);
  });
  const controlOf = (name) => fields.map((f) => f.querySelector('[data-column]')).find((x) => x.dataset.column === name);
  /** Lists the levels of group `k` in its optgroup. */
  const list = (optgroup, g, k) => {
    const all = document.createDocumentFragment();
    g.levels.forEach((l, i) => all.append(h('option', { value: JSON.stringify([k, i]) }, levelLabel(g, i))));
    optgroup.append(all);
  };
  const unlisted = []; // the groups of more than LISTED_AT_ONCE levels, until the choice is used
  const level = inputs.groups.length
    ? h('select', { id: 'predict-level' }, h('option', { value: '' }, 'No LA: an average LA'),
      inputs.groups.map((g, k) => {
        const optgroup = h('optgroup', { label: g.name_column ? `Levels of ${g.group}, named by ${g.name_column}` : `Levels of ${g.group}` });
        if (g.levels.length > LISTED_AT_ONCE) unlisted.push(() => list(optgroup, g, k));
        else list(optgroup, g, k);
        return optgroup;
      }))
    : null;
  const listAll = () => unlisted.splice(0).forEach((listGroup) => listGroup());
  // The choice is used by pointer, keyboard or focus: its long groups are listed before it opens.
  if (level && unlisted.length) for (const type of ['pointerdown', 'keydown', 'focus']) level.addEventListener(type, listAll);
  let applied = null; // the level whose own values the inputs hold: { label, columns }
  /** Puts the chosen level's own values of its one-value-per-level columns in the form (their medians for none). */
  const applyLevel = () => {
    for (const f of fields) f.querySelector('.own-value').textContent = '';
    applied = null;
    const chosen = level && level.value ? JSON.parse(level.value) : null;
    for (const g of inputs.groups) {
      g.own_data_columns.forEach((name, j) => {
        const control = controlOf(name);
        const d = inputs.data.find((x) => x.name === name);
        if (!control || !d) return;
        if (chosen && inputs.groups[chosen[0]] === g) {
          control.value = dataValue(g.own_data_values[chosen[1]][j], d.decimals);
          control.closest('.field').querySelector('.own-value').textContent = `; ${levelLabel(g, chosen[1])}'s own value`;
        } else {
          control.value = dataValue(d.median, d.decimals);
        }
        memory.delete(`column:${name}`);
      });
    }
    if (chosen) {
      const g = inputs.groups[chosen[0]];
      applied = { label: levelLabel(g, chosen[1]), columns: g.own_data_columns.filter((n) => controlOf(n)) };
    }
  };
  if (level) {
    // Remembered by group and level, not by position: another model may order them otherwise.
    const remembered = memory.get('level');
    if (remembered) listAll();
    const option = remembered && [...level.options].find((o) => {
      if (!o.value) return false;
      const [k, i] = JSON.parse(o.value);
      return inputs.groups[k].group === remembered[0] && inputs.groups[k].levels[i] === remembered[1];
    });
    if (option) {
      level.value = option.value;
      const kept = new Map([...memory].filter(([k]) => k.startsWith('column:')));
      applyLevel();
      for (const [k, v] of kept) {
        memory.set(k, v);
        const control = controlOf(k.slice('column:'.length));
        if (control) control.value = v;
      }
    }
    level.addEventListener('change', () => {
      if (level.value) {
        const [k, i] = JSON.parse(level.value);
        memory.set('level', [inputs.groups[k].group, inputs.groups[k].levels[i]]);
      } else {
        memory.delete('level');
      }
      applyLevel();
    });
  }
  const out = h('div', { id: 'prediction-out' });
  const error = (text) => out.replaceChildren(h('p', { class: 'error-box', role: 'alert' }, text));
  const submit = (event) => {
    event.preventDefault();
    const row = [];
    for (const control of fields.map((f) => f.querySelector('[data-column]'))) {
      const name = control.dataset.column;
      const text = control.value.trim();
      if (control.dataset.kind === 'level') {
        if (text) row.push([name, text]);
        continue;
      }
      const value = Number(text);
      if (text === '' || !Number.isFinite(value)) {
        error(`The value of ${name} must be a number, found '${control.value}'.`);
        control.focus();
        return;
      }
      row.push([name, value]);
    }
    const chosen = level && level.value ? JSON.parse(level.value) : null;
    const g = chosen ? inputs.groups[chosen[0]] : null;
    out.setAttribute('role', 'status');
    out.textContent = 'Predicting…';
    section.asked = { applied: chosen ? applied : null };
    onPredict({ row, gradient_term: gradientTerm || null, group: g ? g.group : null, level: g ? g.levels[chosen[1]] : null });
  };
  const withinGroups = inputs.data.filter((d) => d.role === 'group' && laColumns.has(d.name)).map((d) => d.name);
  const form = h('form', { id: 'prediction-form' },
    h('div', { class: 'predict-grid' }, fields),
    level ? h('div', { class: 'field inline' }, h('label', { for: 'predict-level' }, 'For one LA'), level) : null,
    level && inputs.groups.some((g) => g.own_data_columns.length)
      ? h('p', { class: 'hint', id: 'predict-level-note' }, 'Choosing an LA puts its own values in the columns that are one value per LA (',
        inputs.groups.flatMap((g) => g.own_data_columns).flatMap((n, i) => (i ? [', ', h('code', {}, n)] : [h('code', {}, n)])), '); you can still change them.')
      : null,
    withinGroups.length
      ? h('p', { class: 'hint', id: 'predict-average-note' }, `With no LA chosen, the model compares a neighbourhood with an average LA: the mean of the ${withinGroups.join(', ')} means of the file, each LA counted once.`)
      : null,
    h('p', {}, h('button', { type: 'submit', id: 'predict-button' }, 'Predict')));
  form.addEventListener('submit', submit);
  const section = h('section', { id: 'prediction', 'aria-labelledby': 'prediction-title' },
    h('h4', { id: 'prediction-title' }, 'Predictions at values you choose'),
    h('p', {}, 'The expected rate per 10,000 children and the social gradient score for an area with these values, in the units of your file. ',
      'Each number starts at its median over the rows used; the engine transforms them as the fit did (centring, scaling, logarithms), and shows the result as the model sees it. ',
      h('strong', {}, 'Intervals reflect the uncertainty of the fixed effects only'), ' (delta method).'),
    fields.length ? form : h('p', { class: 'note' }, 'The model has no covariates: its prediction is the intercept\'s rate.'),
    out);
  if (!fields.length) {
    if (level) section.insertBefore(h('div', { class: 'field inline' }, h('label', { for: 'predict-level' }, 'For one LA'), level), out);
    section.append(h('p', {}, h('button', { type: 'button', id: 'predict-button', onclick: submit }, 'Predict')));
  }
  section.asked = { applied: null };
  section.showPrediction = (p) => showPrediction(out, p, inputs, section.asked.applied);
  section.showError = error;
  return section;
}

/**
 * A prediction as a table: the row without random effects, then the LA's; the values it was
 * made at as the file writes them, and as the model sees them. `applied`: the LA whose own
 * values the request held, if any (the first row is then an LA with those values rather than an
 * average LA).
 */
function showPrediction(out, p, inputs, applied) {
  const per = (r) => (r.per === 1 ? 'per unit of exposure' : 'per 10,000');
  const first = applied ? `An LA with ${applied.label}'s values (random effects at 0)` : 'Population average (random effects at 0)';
  const named = (l) => {
    const g = inputs.groups.find((x) => x.group === l.group);
    const i = g ? g.levels.indexOf(l.level) : -1;
    return i >= 0 ? levelLabel(g, i) : `${l.group} ${l.level}`;
  };
  const withCount = Boolean(p.rate.count);
  const zi = p.zero_inflation || null;
  // With zero inflation, the expected rate counting structural zeros: (1 - p) x the rate.
  const row = (label, r, s, expected) => [label, `${sig(r.rate)} ${per(r)}`, `${sig(r.ci_low)} to ${sig(r.ci_high)}`,
    ...(zi ? [expected === null || expected === undefined ? '–' : `${sig(expected)} ${per(r)}`] : []),
    ...(withCount ? [r.count ? `${sig(r.count.count)} (${sig(r.count.ci_low)} to ${sig(r.count.ci_high)})` : '–'] : []),
    s ? sig(s.score) : '–', s ? `${sig(s.ci_low)} to ${sig(s.ci_high)}` : '–'];
  const rows = [row(first, p.rate, p.score, zi && zi.expected)];
  if (p.level) rows.push(row(named(p.level), p.level.rate, p.level.score, zi && zi.expected_level));
  const given = p.inputs.filter((i) => i.source === 'given');
  const own = p.inputs.filter((i) => i.source === 'level_own');
  const at = p.inputs.length
    ? [...given.map((i) => `${i.column} = ${i.value}`), ...own.map((i) => `${i.column} = ${sig(i.value)} (its own)`)].join(', ')
    : p.at.length ? p.at.map(([n, v]) => `${n} = ${v}`).join(', ') : 'every covariate at 0';
  const offsetInput = withCount ? p.inputs.find((i) => inputs.data.some((d) => d.role === 'offset' && d.name === i.column)) : null;
  const header = ['For', zi ? 'Expected rate (counts model)' : 'Expected rate', '95% CI',
    ...(zi ? ['Expected rate with extra zeros, (1 − p) × rate'] : []), ...(withCount ? [`Expected count${zi ? ', counts model' : ''}${offsetInput ? ` (${offsetInput.column} = ${offsetInput.value})` : ''}`] : []), 'Social gradient score', '95% CI'];
  out.removeAttribute('role');
  // (A part not shown is null, which replaceChildren would write as text.)
  out.replaceChildren(...[
    h('div', { class: 'table-scroll' }, table(`Prediction at ${at}`, header, rows, 'prediction-table')),
    p.inputs.length
      ? h('p', { class: 'hint', id: 'prediction-derived' }, 'As the model sees it: ',
        p.at.length ? p.at.flatMap(([n, v], i) => [i ? ', ' : '', h('code', {}, n), ` = ${sig(v)}`]) : 'no covariates', '.')
      : null,
    zi
      ? h('p', { id: 'prediction-zi' }, `Probability of a structural zero here: p = ${sig(zi.structural_zero)} (${(100 * zi.structural_zero).toFixed(1)}%). The expected rate with extra zeros is (1 − p) times the counts model's rate (glmmTMB's predict(type = "response"))`,
        p.rate.count ? `; the expected count with extra zeros is ${sig((1 - zi.structural_zero) * p.rate.count.count)}.` : '.')
      : null,
    h('p', { class: 'hint', id: 'prediction-note' }, `${sentence(p.note)}.`),
  ].filter(Boolean));
}

/**
 * Compare the fitted model with a second one the user writes: same family by default. Shows
 * both models' fit statistics, the likelihood-ratio test when one is nested in the other, or
 * why it is not. `families`: the engine's distributions of the counts (`[{value, name}]`);
 * `onCompare({formula, family, zi})` asks the engine; `zi`: the fitted model's zero-inflation
 * formula, the second model's to start with.
 */
export function compareModelsPanel(formula, family, families, onCompare, zi = null) {
  const text = h('textarea', { id: 'second-formula', rows: 2, spellcheck: 'false', autocomplete: 'off', autocapitalize: 'off' });
  text.value = formula;
  const ziText = h('input', { type: 'text', id: 'second-zi', size: 18, spellcheck: 'false', autocomplete: 'off', autocapitalize: 'off', value: zi || '' });
  const familySelect = h('select', { id: 'second-family' }, families.map((f) => h('option', { value: f.value }, f.name)));
  familySelect.value = family;
  const out = h('div', { id: 'second-out' });
  const section = h('section', { id: 'compare-models', 'aria-labelledby': 'compare-models-title' },
    h('h4', { id: 'compare-models-title' }, 'Compare with a model you write'),
    h('p', {}, 'Fit a second model on the same rows and compare it with this one: AIC and BIC always, and a likelihood-ratio test when one model is nested in the other.'),
    h('div', { class: 'field formula-field' }, h('label', { for: 'second-formula' }, 'Second model\'s formula'), text),
    h('div', { class: 'field inline' }, h('label', { for: 'second-family' }, 'Its distribution'), familySelect),
    h('div', { class: 'field inline' }, h('label', { for: 'second-zi' }, 'Its zero-inflation formula (empty: none)'), ziText),
    h('p', {}, h('button', {
      type: 'button', id: 'compare-models-button',
      onclick: () => onCompare({ formula: text.value, family: familySelect.value, ...(ziText.value.trim() ? { zi: ziText.value.trim() } : {}) }),
    }, 'Compare the two models')),
    out);
  section.out = out; // the running comparison's progress is shown here
  section.showError = (message) => out.replaceChildren(h('p', { class: 'error-box', role: 'alert' }, message));
  section.showComparison = (c) => showModelComparison(out, c, families);
  return section;
}

function showModelComparison(out, c, families) {
  const name = (k) => `Model ${k}`;
  const rows = c.models.map((m, i) => [name(i + 1), m.formula, families.find((f) => f.value === m.family).name,
    fmt(m.loglik, 2), String(m.df), fmt(m.aic, 2), fmt(m.bic, 2), m.converged ? 'yes' : 'no']);
  const parts = [
    h('div', { class: 'table-scroll' }, table(`Two models on the same ${count(c.nobs)} rows`,
      ['Model', 'Formula', 'Distribution', 'Log-likelihood', 'Parameters', 'AIC', 'BIC', 'Converged'], rows, 'second-table')),
    h('p', { id: 'second-preferred' }, `Lower AIC: ${name(c.preferred_by_aic)}; lower BIC: ${name(c.preferred_by_bic)}.`),
  ];
  if (c.lr_test) {
    const t = c.lr_test;
    parts.push(h('p', { id: 'second-lr' },
      `Likelihood-ratio test of ${name(t.restricted)} (simpler) within ${name(t.general)}: LR = ${fmt(t.statistic, 3)} on ${t.df} df, p ${t.p < 0.001 ? '< 0.001' : `= ${pValue(t.p)}`}.`),
    h('p', { class: 'hint' }, sentence(t.note)));
  } else {
    parts.push(h('p', { id: 'second-not-nested', class: 'note' }, `No likelihood-ratio test: ${c.not_nested}.`));
  }
  out.removeAttribute('role');
  out.replaceChildren(...parts);
}
