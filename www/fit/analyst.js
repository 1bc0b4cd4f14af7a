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

/**
 * A starting value for a form field: the mean to 4 significant figures; a mean within rounding
 * error of 0 (a centred column, such as within-LA deprivation) as 0.
 */
function startValue(x) {
  return Math.abs(x) < 1e-9 ? '0' : String(Number(x.toPrecision(4)));
}

function sentence(text) {
  return text ? text[0].toUpperCase() + text.slice(1) : '';
}

/** How the page names a level of a group: the file's name for it with its code, else the code. */
function levelLabel(g, i) {
  return g.names.length ? `${g.names[i]} (${g.levels[i]})` : `${g.group} ${g.levels[i]}`;
}

/**
 * The prediction form for a fit: one number per main-effect column of the model (starting at
 * its mean over the rows used, 0 for a 0/1 column), an optional level of a random-effect group
 * (an LA, by the file's name for it where the file has one), and the answer. Choosing an LA sets
 * the group-level columns (its deprivation, say) to that LA's own values, and choosing none
 * sets them back to their means. `inputs`: the engine's `predictionInputs`; `gradientTerm`: the
 * headline's deprivation term; `onPredict(request)` asks the engine.
 */
export function predictionPanel(inputs, gradientTerm, onPredict) {
  const fields = inputs.columns.map((c, i) => {
    const input = h('input', { type: 'text', inputmode: 'decimal', id: `predict-${i}`, 'data-column': c.name, value: startValue(c.default), size: 10 });
    const hint = c.indicator ? '0/1 column: 0 is the reference level' : `mean ${fmt(c.mean, 3)} over the rows used`;
    const own = h('span', { class: 'hint own-value', 'data-own': c.name });
    return h('div', { class: 'field inline' }, h('label', { for: `predict-${i}` }, h('code', {}, c.name), h('span', { class: 'hint' }, ` (${hint})`), own), input);
  });
  const level = inputs.groups.length
    ? h('select', { id: 'predict-level' }, h('option', { value: '' }, 'Population average only'),
      inputs.groups.map((g, k) => h('optgroup', { label: g.name_column ? `Levels of ${g.group}, named by ${g.name_column}` : `Levels of ${g.group}` },
        g.levels.map((l, i) => h('option', { value: JSON.stringify([k, i]) }, levelLabel(g, i))))))
    : null;
  const inputOf = (name) => fields.map((f) => f.querySelector('input')).find((x) => x.dataset.column === name);
  let applied = null; // the level whose own values the inputs hold: { label, columns }
  /** Puts the chosen level's own values of its group-level columns in the form (their means for none). */
  const applyLevel = () => {
    for (const f of fields) f.querySelector('.own-value').textContent = '';
    applied = null;
    const chosen = level && level.value ? JSON.parse(level.value) : null;
    for (const g of inputs.groups) {
      g.own_columns.forEach((name, j) => {
        const input = inputOf(name);
        const column = inputs.columns.find((c) => c.name === name);
        if (!input || !column) return;
        if (chosen && inputs.groups[chosen[0]] === g) {
          input.value = startValue(g.own_values[chosen[1]][j]);
          input.closest('.field').querySelector('.own-value').textContent = `; ${levelLabel(g, chosen[1])}'s own value`;
        } else {
          input.value = startValue(column.default);
        }
      });
    }
    if (chosen) {
      const g = inputs.groups[chosen[0]];
      applied = { label: levelLabel(g, chosen[1]), columns: g.own_columns.filter((n) => inputOf(n)) };
    }
  };
  if (level) level.addEventListener('change', applyLevel);
  const out = h('div', { id: 'prediction-out' });
  const error = (text) => out.replaceChildren(h('p', { class: 'error-box', role: 'alert' }, text));
  const submit = (event) => {
    event.preventDefault();
    const at = [];
    for (const input of fields.map((f) => f.querySelector('input'))) {
      const value = Number(input.value.trim());
      if (input.value.trim() === '' || !Number.isFinite(value)) {
        error(`The value of ${input.dataset.column} must be a number, found '${input.value}'.`);
        input.focus();
        return;
      }
      at.push([input.dataset.column, value]);
    }
    const chosen = level && level.value ? JSON.parse(level.value) : null;
    const g = chosen ? inputs.groups[chosen[0]] : null;
    out.setAttribute('role', 'status');
    out.textContent = 'Predicting…';
    section.asked = { applied: chosen ? applied : null };
    onPredict({ at, gradient_term: gradientTerm || null, group: g ? g.group : null, level: g ? g.levels[chosen[1]] : null });
  };
  const form = h('form', { id: 'prediction-form' },
    h('div', { class: 'predict-grid' }, fields),
    level ? h('div', { class: 'field inline' }, h('label', { for: 'predict-level' }, 'Also for one group (an LA)'), level) : null,
    level && inputs.groups.some((g) => g.own_columns.length)
      ? h('p', { class: 'hint', id: 'predict-level-note' }, 'Choosing an LA puts its own values in the LA-level columns (',
        inputs.groups.flatMap((g) => g.own_columns).flatMap((n, i) => (i ? [', ', h('code', {}, n)] : [h('code', {}, n)])), '); you can still change them.')
      : null,
    h('p', {}, h('button', { type: 'submit', id: 'predict-button' }, 'Predict')));
  form.addEventListener('submit', submit);
  const section = h('section', { id: 'prediction', 'aria-labelledby': 'prediction-title' },
    h('h4', { id: 'prediction-title' }, 'Predictions at values you choose'),
    h('p', {}, 'The expected rate per 10,000 children and the social gradient score for an area with these values of the model\'s columns. ',
      'Each value starts at its mean over the rows used (an average area), and a 0/1 column at 0 (its reference level). ',
      h('strong', {}, 'Intervals reflect the uncertainty of the fixed effects only'), ' (delta method).'),
    inputs.columns.length ? form : h('p', { class: 'note' }, 'The model has no covariates: its prediction is the intercept\'s rate.'),
    out);
  if (!inputs.columns.length) section.append(h('p', {}, h('button', { type: 'button', id: 'predict-button', onclick: submit }, 'Predict')));
  section.asked = { applied: null };
  section.showPrediction = (p) => showPrediction(out, p, inputs, section.asked.applied);
  section.showError = error;
  return section;
}

/**
 * A prediction as a table: the row without random effects, then the LA's. `applied`: the LA whose
 * own values of the LA-level columns the request held, if any (the first row is then an LA with
 * those values rather than the population average).
 */
function showPrediction(out, p, inputs, applied) {
  const per = (r) => (r.per === 1 ? 'per unit of exposure' : 'per 10,000');
  const first = applied && applied.columns.length ? `An LA with ${applied.label}'s values (random effects at 0)` : 'Population average (random effects at 0)';
  const named = (l) => {
    const g = inputs.groups.find((x) => x.group === l.group);
    const i = g ? g.levels.indexOf(l.level) : -1;
    return i >= 0 ? levelLabel(g, i) : `${l.group} ${l.level}`;
  };
  const rows = [[ first, `${sig(p.rate.rate)} ${per(p.rate)}`, `${sig(p.rate.ci_low)} to ${sig(p.rate.ci_high)}`,
    p.score ? sig(p.score.score) : '–', p.score ? `${sig(p.score.ci_low)} to ${sig(p.score.ci_high)}` : '–']];
  if (p.level) {
    const l = p.level;
    rows.push([named(l), `${sig(l.rate.rate)} ${per(l.rate)}`, `${sig(l.rate.ci_low)} to ${sig(l.rate.ci_high)}`,
      l.score ? sig(l.score.score) : '–', l.score ? `${sig(l.score.ci_low)} to ${sig(l.score.ci_high)}` : '–']);
  }
  const at = p.at.length ? p.at.map(([n, v]) => `${n} = ${v}`).join(', ') : 'every covariate at 0';
  out.removeAttribute('role');
  out.replaceChildren(
    h('div', { class: 'table-scroll' }, table(`Prediction at ${at}`, ['For', 'Expected rate', '95% CI', 'Social gradient score', '95% CI'], rows, 'prediction-table')),
    h('p', { class: 'hint', id: 'prediction-note' }, `${sentence(p.note)}.`));
}

/**
 * Compare the fitted model with a second one the user writes: same family by default. Shows
 * both models' fit statistics, the likelihood-ratio test when one is nested in the other, or
 * why it is not. `families`: the engine's distributions of the counts (`[{value, name}]`);
 * `onCompare({formula, family})` asks the engine.
 */
export function compareModelsPanel(formula, family, families, onCompare) {
  const text = h('textarea', { id: 'second-formula', rows: 2, spellcheck: 'false', autocomplete: 'off', autocapitalize: 'off' });
  text.value = formula;
  const familySelect = h('select', { id: 'second-family' }, families.map((f) => h('option', { value: f.value }, f.name)));
  familySelect.value = family;
  const out = h('div', { id: 'second-out' });
  const section = h('section', { id: 'compare-models', 'aria-labelledby': 'compare-models-title' },
    h('h4', { id: 'compare-models-title' }, 'Compare with a model you write'),
    h('p', {}, 'Fit a second model on the same rows and compare it with this one: AIC and BIC always, and a likelihood-ratio test when one model is nested in the other.'),
    h('div', { class: 'field formula-field' }, h('label', { for: 'second-formula' }, 'Second model\'s formula'), text),
    h('div', { class: 'field inline' }, h('label', { for: 'second-family' }, 'Its distribution'), familySelect),
    h('p', {}, h('button', {
      type: 'button', id: 'compare-models-button',
      onclick: () => onCompare({ formula: text.value, family: familySelect.value }),
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
