// Step 4: the results of a fit. Headline social gradient score with a sentence, scores in LA
// contexts, coefficients with rate ratios, random effects, warnings in plain words, charts with
// table alternatives, the random effects by LA, the model comparison, and downloads.
import { h, fmt, count } from '../dom.js';
import { table } from '../tables.js';
import { download, resultsCsv, savePng, fileName } from './downloads.js';
import { chartFigure, drawFigure } from '../charts.js';
import { warningsBox } from './warnings.js';
import { RandomEffectsPanel } from './ranef.js';
import { spatialCard } from './spatial.js';
import { predictionPanel, compareModelsPanel } from './analyst.js';
import { jobProgress, stoppedMessage } from './job-progress.js';

/** The controls that ask the fitting worker's kept model something (they wait while it is brought back). */
const NEEDS_MODEL = '#gradient-term, #profile-button, #compare-button, #compare-models-button, #predict-button, #check-button, #ranef-button';

function pValue(p) {
  if (typeof p !== 'number' || !Number.isFinite(p)) return '–';
  return p < 0.001 ? '< 0.001' : p.toFixed(3);
}

function ci(low, high, digits = 2) {
  return `${fmt(low, digits)} to ${fmt(high, digits)}`;
}

/** A profile limit: `null` is a side the profile does not reach before the parameter's bound. */
function limit(v, digits, transform = (x) => x) {
  return v === null ? 'bound' : fmt(transform(v), digits);
}

/** The profile interval `[low, high]` as text, or '' when there is none. */
function profileCi(pair, digits, transform) {
  return pair ? `${limit(pair[0], digits, transform)} to ${limit(pair[1], digits, transform)}` : '';
}

function seconds(ms) {
  return `${(ms / 1000).toFixed(1)} s`;
}

let logLikFormat = null;

/** A log-likelihood as the running fit reports it: "-98,765.4". */
function logLikWords(x) {
  logLikFormat ??= new Intl.NumberFormat('en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  return logLikFormat.format(x);
}

export class Results {
  /**
   * `handlers`: onCancel() (the fit), onStop() (a profile, check or comparison), onCompare(), onCheck(), onGradientTerm(term), onProfile(), onPredict(request), onCompareModels(second), onRefitZeroInflated(). `engine`: the page's wasm, for drawing.
   * `answers`: the engine's words for its values (`formAnswers()`), to name the distributions
   * of the counts (`families`) and the stages of a running fit (`stages`).
   */
  constructor(root, engine, answers, handlers) {
    this.root = root;
    this.engine = engine;
    this.families = answers.families;
    this.stages = answers.stages;
    this.roleEntries = answers.roles || [];
    this.handlers = handlers;
  }

  clear() {
    this.root.replaceChildren();
  }

  /** "Negative binomial (NB2)" for `nbinom2`. */
  familyName(value) {
    const f = this.families.find((x) => x.value === value);
    return f ? f.name : value;
  }

  /** The running fit: what it is doing, for how long, and a way to stop it. */
  showProgress(what, started) {
    const box = jobProgress({
      id: 'fit-progress', what, text: `${what}: starting…`, textId: 'progress-text',
      stop: { id: 'cancel-fit', label: 'Cancel', hint: 'Your file, column choices and formula are kept.', onStop: () => this.handlers.onCancel() },
    });
    this.progressText = box.status;
    this.modelAway = false;
    this.root.replaceChildren(box);
    this.started = started;
    this.what = what;
    this.fitProgress = null;
    // The time so far keeps counting between the engine's reports (a step of a large model can
    // take seconds).
    const timer = setInterval(() => {
      if (!box.isConnected) clearInterval(timer);
      else this.showFitProgress();
    }, 500);
  }

  /** The engine's latest report on the running fit: its stage, step and log-likelihood. */
  updateProgress(p) {
    this.fitProgress = p;
    this.reportedAt = performance.now();
    this.showFitProgress();
  }

  showFitProgress() {
    if (!this.progressText) return;
    const elapsed = seconds(performance.now() - this.started);
    const p = this.fitProgress;
    if (!p) {
      this.progressText.textContent = `${this.what}: starting…; ${elapsed} so far.`;
      return;
    }
    const model = p.models ? `model ${p.model} of ${p.models} (${p.name}), ` : '';
    const logLik = Number.isFinite(p.objective) ? `, log-likelihood ${logLikWords(-p.objective)}` : '';
    // A long silence is said, so that it does not look like a stall: a step of a large model
    // (or the work between the stages and after the last) can take minutes.
    const quiet = performance.now() - this.reportedAt;
    const since = quiet > 10_000 ? ` (still working: last step reported ${Math.round(quiet / 1000)} s ago)` : '';
    const stage = this.stages.find((s) => s.value === p.stage);
    const label = stage?.label ?? p.stage;
    // A stage that is one piece of work (the curvature at the start and at the estimates) has no steps.
    const doing = stage?.one_off ? `working out ${label}` : `fitting ${label}, step ${p.iteration}`;
    this.progressText.textContent = `${this.what}: ${model}${doing}${logLik}${since}; ${elapsed} so far.`;
  }

  showMessage(text, kind = 'note') {
    this.progressText = null;
    this.modelAway = false;
    this.root.replaceChildren(h('p', { class: kind === 'error' ? 'error-box' : 'note', id: 'fit-message', role: kind === 'error' ? 'alert' : 'status' }, text));
  }

  /**
   * Shows a fit. `ctx`: { fileName, formula, family, labels: Map term -> meaning, truth (sample
   * parameters or null), sample (the loaded sample or null), elapsed (ms), rScript }.
   */
  showResult(result, ctx) {
    this.progressText = null;
    this.modelAway = false;
    this.jobs = {};
    this.result = result;
    this.ctx = ctx;
    const r = result.report;
    const v = result.views;
    this.staleNote = h('p', { class: 'warning', id: 'fit-stale', hidden: true },
      'The model in step 3 has changed since this fit: these results are for the model named just below. Fit again to see the new one.');
    const parts = [
      this.staleNote,
      h('p', { class: 'hint', id: 'fit-summary', role: 'status', 'data-family': r.family },
        `${this.familyName(r.family)} model fitted to ${count(r.nobs)} rows in ${seconds(ctx.elapsed)}. `,
        h('code', {}, r.formula), r.zi_formula ? [', zero inflation ', h('code', {}, r.zi_formula)] : null),
    ];
    if (ctx.sample) {
      parts.push(h('p', { class: 'note', id: 'fit-data-label' },
        ctx.sample.real_counts
          ? `Data: ${ctx.sample.label}. ${ctx.sample.title}.`
          : `Data: ${ctx.sample.label}. ${ctx.sample.title}. The "value that generated the sample" columns show the model the counts were drawn from.`,
        ctx.sample.attribution ? ` ${ctx.sample.attribution}` : ''));
    }
    parts.push(this.headline(v));
    parts.push(warningsBox(r, v));
    if (v.gradient && v.gradient.contexts.length) parts.push(this.contexts(v.gradient));
    this.coefSection = this.coefficients(r, ctx);
    this.reSection = this.randomEffects(r, ctx);
    parts.push(this.coefSection, this.zeroInflationSection(r), this.reSection, this.profilePanel(r));
    if (v.spatial) parts.push(spatialCard(v.spatial, (c) => this.chart(c, ctx)));
    parts.push(this.statistics(r));
    parts.push(h('section', { class: 'charts fit-charts', 'aria-label': 'Charts' }, v.charts.map((c) => this.chart(c, ctx))));
    this.ranef = null;
    if (r.random_effects.length) {
      this.ranef = new RandomEffectsPanel({ chart: (c) => this.chart(c, ctx), onShow: () => this.handlers.onRanef() });
      parts.push(this.ranef.root);
    }
    this.comparisonBox = h('section', { id: 'comparison', 'aria-labelledby': 'comparison-title' },
      h('h4', { id: 'comparison-title' }, 'Which distribution and random effects?'),
      h('p', {}, 'Fit Poisson, NB2 and NB1 models with and without the random effects of this formula, and compare them by AIC, BIC and likelihood-ratio tests (as Webb et al. 2020, Table 2).'),
      r.zi_formula ? h('p', { class: 'hint', id: 'comparison-zi-note' }, 'The six models have no zero inflation; compare this model with the same one without it (or with another zero-inflation formula) below, under "Compare with a model you write".') : null,
      h('button', { type: 'button', id: 'compare-button', onclick: () => this.handlers.onCompare() }, 'Compare the six models'),
      this.comparisonOut = h('div', { id: 'comparison-out' }));
    parts.push(this.comparisonBox);
    this.secondModel = compareModelsPanel(ctx.formula, ctx.family, this.families, (second) => this.handlers.onCompareModels(second), r.zi_formula);
    parts.push(this.secondModel);
    // What the user typed in the prediction form outlives the form: a refit keeps it.
    this.predictionMemory ??= new Map();
    const roleLabels = new Map(this.roleEntries.map((r) => [r.key, r.label]));
    const roleOf = (column) => {
      const key = Object.keys(ctx.roles || {}).find((k) => ctx.roles[k] === column);
      if (!key || !roleLabels.has(key)) return null;
      // "Neighbourhood deprivation" reads "neighbourhood deprivation"; "LA-level ..." keeps its capitals.
      const label = roleLabels.get(key);
      return /^[A-Z]{2}/.test(label) ? label : label[0].toLowerCase() + label.slice(1);
    };
    this.predictions = ctx.inputs
      ? predictionPanel(ctx.inputs, v.gradient_term, (request) => this.handlers.onPredict(request), { roleOf, memory: this.predictionMemory })
      : null;
    parts.push(this.predictions);
    parts.push(this.checkPanel());
    parts.push(this.downloads(ctx));
    this.root.replaceChildren(...parts.filter(Boolean)); // a section not shown is null, not text
    this.drawCharts();
  }

  headline(v) {
    const choose = v.candidate_terms.length > 1 || !v.gradient_term
      ? h('div', { class: 'field inline' },
        h('label', { for: 'gradient-term' }, 'Social gradient term'),
        (() => {
          const s = h('select', { id: 'gradient-term' },
            v.gradient_term ? null : h('option', { value: '' }, '— choose —'),
            v.candidate_terms.map((t) => h('option', { value: t, selected: t === v.gradient_term }, t)));
          s.addEventListener('change', () => { if (s.value) this.handlers.onGradientTerm(s.value); });
          return s;
        })())
      : null;
    if (!v.gradient) {
      return h('article', { class: 'card headline', id: 'headline' }, h('h4', {}, 'Social gradient score'),
        h('p', {}, 'Choose the term that measures neighbourhood deprivation to see the social gradient score.'), choose);
    }
    const s = v.gradient.headline.score;
    return h('article', { class: 'card headline', id: 'headline', 'aria-labelledby': 'headline-title' },
      h('h4', { id: 'headline-title' }, `Social gradient score, per ${v.gradient.headline.step}`),
      h('p', { class: 'score' },
        h('span', { class: 'value', 'data-testid': 'fit-score' }, fmt(s.score, 2)),
        h('span', { class: 'ci', 'data-testid': 'fit-ci' }, `95% CI ${ci(s.ci_low, s.ci_high)}`)),
      h('p', { class: 'reading', 'data-testid': 'fit-reading' }, v.gradient.headline.sentence),
      choose);
  }

  contexts(g) {
    const rows = g.contexts.map((c) => [c.group, c.label, fmt(c.score.score, 2), ci(c.score.ci_low, c.score.ci_high)]);
    const contextsTable = h('table', { class: 'data', id: 'contexts-table' },
      h('caption', {}, 'The social gradient score in different contexts (as Hood et al. 2021, Table 2)'),
      h('thead', {}, h('tr', {}, ['What varies', 'Context', 'Score', '95% CI'].map((c, j) => h('th', { scope: 'col', class: j < 2 ? 'text' : null }, c)))),
      h('tbody', {}, rows.map((r, i) => h('tr', { title: g.contexts[i].sentence },
        h('td', { class: 'text' }, r[0]), h('th', { scope: 'row', class: 'text' }, r[1]), h('td', {}, r[2]), h('td', {}, r[3])))));
    return h('section', { 'aria-labelledby': 'contexts-title' }, h('h4', { id: 'contexts-title' }, 'Social gradient in different LA contexts'),
      h('div', { class: 'table-scroll' }, contextsTable),
      h('details', {}, h('summary', {}, 'Read each context as a sentence'), h('ul', {}, g.contexts.map((c) => h('li', {}, c.sentence)))));
  }

  coefficients(r, ctx) {
    const truth = ctx.truth ? new Map(ctx.truth.filter((p) => p.kind === 'fixed').map((p) => [p.term, p])) : new Map();
    const showTruth = r.coefficients.some((c) => truth.has(c.term));
    const profiled = r.coefficients.some((c) => c.profile_ci);
    // A binomial model reads as odds ratios (logit link), a count model as rate ratios.
    const odds = r.family === 'binomial';
    const ratio = (c) => (odds ? [c.odds_ratio, c.odds_ratio_ci_low, c.odds_ratio_ci_high] : [c.irr, c.irr_ci_low, c.irr_ci_high]);
    const header = ['Term', 'Meaning', odds ? 'Estimate (log odds)' : 'Estimate (log)', 'Std. error', odds ? 'Odds ratio' : 'Rate ratio', '95% CI (Wald)', 'p'];
    if (profiled) header.splice(6, 0, '95% CI (profile)');
    if (showTruth) header.push('Value that generated the sample');
    const rows = r.coefficients.map((c) => {
      const [value, low, high] = ratio(c);
      const row = [c.term, ctx.labels.get(c.term) || '', fmt(c.estimate, 4), fmt(c.std_error, 4), fmt(value, 3), ci(low, high, 3), pValue(c.p)];
      if (profiled) row.splice(6, 0, profileCi(c.profile_ci, 3, Math.exp));
      if (showTruth) row.push(truth.has(c.term) ? fmt(Math.exp(truth.get(c.term).value), 3) : '');
      return row;
    });
    const caption = odds
      ? 'Fixed effects: odds ratios (exp of the estimates) with 95% intervals. The intercept\'s odds ratio is the odds of a success (successes to failures) when every covariate is 0.'
      : 'Fixed effects: rate ratios (exp of the estimates) with 95% intervals. The intercept\'s rate ratio is a rate per unit of the offset\'s exposure: per 10,000 children with offset(log(children / 10000)), per child with offset(log(children)).';
    const t = table(caption, header, rows, 'coefficients-table');
    return h('section', { id: 'coef-section', 'aria-labelledby': 'coef-title' }, h('h4', { id: 'coef-title' }, 'Coefficients'), h('div', { class: 'table-scroll' }, t));
  }

  /**
   * The zero-inflation model's coefficients (logit scale) with odds ratios of a structural zero,
   * as glmmTMB's `summary(fit)$coefficients$zi`; nothing for a model without zero inflation.
   */
  zeroInflationSection(r) {
    if (!r.zi_coefficients || !r.zi_coefficients.length) return null;
    const rows = r.zi_coefficients.map((c) => [c.term, fmt(c.estimate, 4), fmt(c.std_error, 4), fmt(c.irr, 3), ci(c.irr_ci_low, c.irr_ci_high, 3), pValue(c.p)]);
    const t = table(`Zero inflation ${r.zi_formula}: odds ratios of a structural zero`,
      ['Term', 'Estimate (log odds)', 'Std. error', 'Odds ratio', '95% CI (Wald)', 'p'], rows, 'zi-table');
    const intercept = r.zi_coefficients.find((c) => c.term === '(Intercept)');
    const p0 = intercept ? 1 / (1 + Math.exp(-intercept.estimate)) : null;
    return h('section', { id: 'zi-section', 'aria-labelledby': 'zi-title' }, h('h4', { id: 'zi-title' }, 'Extra zeros (zero inflation)'),
      h('p', { id: 'zi-reading' },
        'The model treats each count as either a "structural" zero, an area where no case is recorded whatever its rate, or a count from the model above. ',
        p0 !== null
          ? `With every zero-inflation covariate at 0, the probability of a structural zero is ${fmt(100 * p0, 1)}%. `
          : '',
        r.zi_coefficients.length > 1
          ? 'An odds ratio above 1 means areas with more of that covariate are more likely to be structural zeros. '
          : '',
        'This is an association, not a cause: it says where zeros are more common than the counts\' model expects, not why.'),
      h('div', { class: 'table-scroll' }, t));
  }

  /**
   * The random effects (SD, variance, correlations) and, in its own table, the dispersion
   * parameter with its Wald interval; profile-likelihood intervals beside them once computed.
   */
  randomEffects(r, ctx) {
    if (!r.random_effects.length && r.dispersion === null) return null;
    const truth = ctx.truth || [];
    const generated = (group, term) => truth.find((p) => p.kind === 'random_sd' && p.group === group && p.term === term);
    const parts = [h('h4', { id: 're-title' }, 'Random effects and dispersion')];
    if (r.random_effects.length) {
      const showTruth = r.random_effects.some((e) => generated(e.group, e.term));
      const profiled = r.random_effects.some((e) => e.sd_profile_ci);
      const header = ['Group', 'Term', 'Standard deviation', 'Variance', 'Correlations'];
      if (profiled) header.splice(3, 0, 'SD 95% CI (profile)');
      if (showTruth) header.push('Value that generated the sample');
      const rows = r.random_effects.map((e) => {
        const row = [e.group, e.term, fmt(e.sd, 4), fmt(e.variance, 4), e.corr.map((c) => `${c.term}: ${fmt(c.value, 2)}`).join('; ')];
        if (profiled) row.splice(3, 0, profileCi(e.sd_profile_ci, 4));
        if (showTruth) row.push(generated(e.group, e.term) ? fmt(generated(e.group, e.term).value, 4) : '');
        return row;
      });
      const groups = r.groups.map((g) => `${count(g.levels)} levels of ${g.group}`).join(', ');
      parts.push(h('div', { class: 'table-scroll' }, table(`Random effects${groups ? ` (${groups})` : ''}`, header, rows, 'random-table')));
    }
    if (r.dispersion !== null) {
      const d = truth.find((p) => p.kind === 'dispersion');
      const header = ['Parameter', 'Estimate', '95% CI (Wald)'];
      const row = [r.dispersion_name, fmt(r.dispersion, 4), ci(r.dispersion_ci_low, r.dispersion_ci_high, 4)];
      if (r.dispersion_profile_ci) {
        header.push('95% CI (profile)');
        row.push(profileCi(r.dispersion_profile_ci, 4));
      }
      if (d) {
        header.push('Value that generated the sample');
        row.push(fmt(d.value, 4));
      }
      parts.push(h('div', { class: 'table-scroll' }, table('Dispersion of the counts', header, [row], 'dispersion-table')));
    }
    return h('section', { id: 're-section', 'aria-labelledby': 're-title' }, ...parts);
  }

  /** The button that adds profile-likelihood intervals to the tables above, and its progress. */
  profilePanel(r) {
    const profiled = r.coefficients.some((c) => c.profile_ci);
    this.profileOut = h('span', { id: 'profile-out', class: 'hint' },
      profiled ? ' Profile-likelihood intervals are shown beside the Wald intervals.' : '');
    this.profileButton = h('button', { type: 'button', id: 'profile-button', disabled: profiled, onclick: () => this.handlers.onProfile() },
      'Profile-likelihood intervals');
    this.profileStatus = h('div', { id: 'profile-status' });
    return h('div', { id: 'profile-panel' },
      h('p', { id: 'profile-row' }, this.profileButton,
        h('span', { class: 'hint' }, ' Wald intervals assume a symmetric likelihood; profile intervals refit the model along each parameter, as glmmTMB\'s confint(method = "profile") does, and are better for variances and small samples.'),
        this.profileOut),
      this.profileStatus);
  }

  /** Whether the shown fit has its profile intervals already. */
  profiled() {
    return Boolean(this.result && this.result.report.coefficients.some((c) => c.profile_ci));
  }

  /**
   * Shows a job running in the fitting worker in `out`: its progress box, whose status line
   * says `text` and the time so far (every 0.5 s), with a Stop button. `kind` names the job.
   */
  startJob(kind, out, what, text) {
    const started = performance.now();
    const box = jobProgress({
      id: `${kind}-progress`, what, text: `${text}…`,
      stop: { id: `stop-${kind}`, label: 'Stop', hint: 'The results above stay.', onStop: () => this.handlers.onStop() },
    });
    box.text = text;
    box.tick = () => box.set(`${box.text}; ${seconds(performance.now() - started)} so far…`);
    const timer = setInterval(() => {
      if (!box.isConnected) clearInterval(timer);
      else box.tick();
    }, 500);
    out.removeAttribute('role');
    out.replaceChildren(box);
    this.jobs[kind] = box;
    return box;
  }

  /** Says that the job `kind` was stopped (`text`), in place of its progress box. */
  jobStopped(kind, text) {
    const box = this.jobs && this.jobs[kind];
    if (!box) return;
    this.jobs[kind] = null;
    stoppedMessage(box, text, `${kind}-stopped`);
    if (kind === 'profile') this.profileButton.disabled = Boolean(this.modelAway) || this.profiled();
  }

  /**
   * While the fitting worker's kept model is being brought back (after a stop), every control
   * that needs it is disabled with a short note beside it; `away` false gives them back.
   */
  setModelAway(away, note = 'Waiting for the fitted model to be brought back…') {
    this.modelAway = away;
    for (const el of this.root.querySelectorAll(NEEDS_MODEL)) {
      el.disabled = away || (el === this.profileButton && this.profiled());
      const next = el.nextElementSibling;
      const shown = next && next.classList.contains('model-away') ? next : null;
      if (away && shown) shown.textContent = ` ${note}`;
      else if (away) el.after(h('span', { class: 'hint model-away', role: 'note' }, ` ${note}`));
      else if (shown) shown.remove();
    }
  }

  startProfile() {
    this.profileButton.disabled = true;
    this.profileOut.textContent = '';
    this.startJob('profile', this.profileStatus, 'Computing the profile-likelihood intervals',
      'Computing the profiles: every parameter is held at values around its estimate while the others are refitted');
  }

  /** The report with profile intervals: the tables are redrawn with them beside Wald. */
  showProfiles(report) {
    this.profileStatus.replaceChildren();
    this.result = { ...this.result, report };
    const coef = this.coefficients(report, this.ctx);
    this.coefSection.replaceWith(coef);
    this.coefSection = coef;
    const re = this.randomEffects(report, this.ctx);
    if (this.reSection && re) this.reSection.replaceWith(re);
    this.reSection = re;
    this.profileOut.textContent = ' Profile-likelihood intervals are shown beside the Wald intervals (a "bound" limit is one the profile does not reach before the parameter\'s bound, such as an SD of 0).';
    this.root.dataset.profiled = 'true';
  }

  showProfileError(text) {
    if (!this.profileOut) return;
    this.profileStatus.replaceChildren();
    this.profileButton.disabled = Boolean(this.modelAway);
    this.profileOut.replaceChildren(h('span', { class: 'error', role: 'alert' }, ` ${text}`));
  }

  showPrediction(p) {
    if (this.predictions) this.predictions.showPrediction(p);
  }

  showPredictionError(text) {
    if (this.predictions) this.predictions.showError(text);
  }

  startModelComparison() {
    this.startJob('second', this.secondModel.out, 'Comparing with the second model', 'Fitting the second model and comparing');
  }

  showModelComparison(c) {
    this.secondModel.showComparison(c);
  }

  showModelComparisonError(text) {
    if (this.secondModel) this.secondModel.showError(text);
  }

  /** Values the check before fitting found implausible: the estimates may be distorted by them. */
  showValueWarnings(messages) {
    if (!messages.length) return;
    this.staleNote.after(h('div', { class: 'warning-box', id: 'fit-value-warnings', role: 'note' },
      h('p', {}, 'These values looked implausible before fitting, and the estimates may be distorted by them:'),
      h('ul', {}, messages.map((m) => h('li', {}, m)))));
  }

  /** Marks the results as made by another model than the one now in step 3. */
  markStale(stale) {
    if (this.staleNote) this.staleNote.hidden = !stale;
  }

  statistics(r) {
    const rows = [
      ['Rows used', count(r.nobs)],
      ['Rows left out (missing values)', count(r.rows_dropped)],
      ['Log-likelihood', fmt(r.loglik, 2)],
      ['AIC', fmt(r.aic, 2)],
      ['BIC', fmt(r.bic, 2)],
      ['Parameters', String(r.df)],
      ['Converged', r.converged ? 'yes' : 'no'],
      ['Iterations', String(r.iterations)],
    ];
    return h('details', { class: 'stats' }, h('summary', {}, 'Fit statistics and the full summary'),
      table('Fit statistics', ['Statistic', 'Value'], rows),
      h('pre', { class: 'summary-text' }, r.text));
  }

  chart(view, ctx) {
    const button = h('button', { type: 'button', 'data-download': `png-${view.id}`, onclick: () => savePng(fig.querySelector('canvas'), fileName(ctx.fileName, view.id, 'png')) }, 'Download the chart (PNG)');
    const fig = chartFigure(view, { canvasId: `chart-${view.id}`, extras: [h('p', {}, button)] });
    return fig;
  }

  /**
   * Draws every chart of the results, one per frame, so that the page answers between them (a
   * map of thousands of places takes a while); `data-drawn` says when the last is drawn.
   */
  drawCharts() {
    const figures = [...this.root.querySelectorAll('figure[data-chart]')];
    const next = () => {
      const fig = figures.shift();
      if (!fig) {
        this.root.dataset.drawn = 'true';
        return;
      }
      if (fig.isConnected) drawFigure(this.engine, fig);
      requestAnimationFrame(next);
    };
    requestAnimationFrame(next);
  }

  downloads(ctx) {
    const json = () => JSON.stringify({
      file: ctx.fileName, formula: ctx.formula, family: ctx.family, report: this.result.report, views: this.result.views,
    }, null, 2);
    return h('section', { class: 'downloads', 'aria-labelledby': 'downloads-title' },
      h('h4', { id: 'downloads-title' }, 'Take the results away'),
      h('p', { class: 'hint' }, 'Files are made on this page and saved by your browser.'),
      h('p', { class: 'download-row' },
        h('button', { type: 'button', 'data-download': 'csv', onclick: () => download(fileName(ctx.fileName, 'results', 'csv'), resultsCsv(this.result, ctx.labels), 'text/csv') }, 'Results (CSV)'),
        h('button', { type: 'button', 'data-download': 'json', onclick: () => download(fileName(ctx.fileName, 'results', 'json'), json(), 'application/json') }, 'Results (JSON)'),
        h('button', { type: 'button', 'data-download': 'r', onclick: () => download(fileName(ctx.fileName, 'glmmTMB', 'R'), ctx.rScript) }, 'R script (glmmTMB)')),
      h('details', {}, h('summary', {}, 'Show the R script'), h('pre', { class: 'r-script', id: 'r-script' }, ctx.rScript)));
  }

  startRanef() {
    this.ranef?.start();
  }

  showRanefError(text) {
    this.ranef?.error(text);
  }

  showRanef(result) {
    if (!this.ranef) return;
    this.ranef.show(result);
    this.drawCharts();
  }

  /** The "Check the model" panel: a button, then the tests, their readings and two charts. */
  checkPanel() {
    this.checkOut = h('div', { id: 'check-out' });
    return h('section', { id: 'model-check', 'aria-labelledby': 'check-title' },
      h('h4', { id: 'check-title' }, 'Check the model'),
      h('p', {}, 'Simulate 250 data sets from the fitted model and see whether your counts look like them: scaled residuals (as the DHARMa package makes them), tests of their distribution, dispersion and zero counts, and, when the file has coordinates, whether neighbouring areas have alike residuals.'),
      h('button', { type: 'button', id: 'check-button', onclick: () => this.handlers.onCheck() }, 'Check the model'),
      this.checkOut);
  }

  startCheck() {
    this.startJob('check', this.checkOut, 'Checking the model', 'Simulating 250 data sets from the model');
  }

  showCheckError(text) {
    if (this.checkOut) this.checkOut.replaceChildren(h('p', { class: 'error-box', role: 'alert' }, text));
  }

  showCheck({ check, charts }, elapsed) {
    const test = (name, statistic, t) => [name, statistic, pValue(t.p_value), t.reading];
    const rows = [
      test('Uniformity of the residuals (Kolmogorov-Smirnov)', `D = ${fmt(check.uniformity.statistic, 3)}`, check.uniformity),
      test('Dispersion', `ratio ${fmt(check.dispersion.ratio, 2)}`, check.dispersion),
      test('Zero inflation', `${check.zero_inflation.observed} zeros, ${fmt(check.zero_inflation.simulated_mean, 1)} expected`, check.zero_inflation),
    ];
    if (check.spatial) {
      const s = check.spatial;
      rows.push(test(`Spatial autocorrelation (Moran's I, ${s.neighbours} nearest neighbours by ${s.columns.x}, ${s.columns.y})`, `I = ${fmt(s.observed, 3)}`, s));
    }
    const tests = h('table', { class: 'data', id: 'check-table' },
      h('caption', {}, 'Tests of the scaled residuals'),
      h('thead', {}, h('tr', {}, ['Test', 'Statistic', 'p', 'Reading'].map((x, j) => h('th', { scope: 'col', class: j === 0 || j === 3 ? 'text' : null }, x)))),
      h('tbody', {}, rows.map((r) => h('tr', {},
        h('th', { scope: 'row', class: 'text' }, r[0]), h('td', {}, r[1]), h('td', {}, r[2]), h('td', { class: 'text reading' }, r[3])))));
    const z = check.zero_inflation;
    const extraZeros = z.p_value < 0.05 && z.observed > z.simulated_mean && !this.result.report.zi_coefficients?.length
      ? h('div', { class: 'warning-box', id: 'check-zi', role: 'note' },
        h('p', {}, `There are more zero counts than the model expects (${count(z.observed)} observed, ${fmt(z.simulated_mean, 1)} expected). A model with extra zeros (zero inflation) treats some zeros as "structural": areas where no case is recorded whatever their rate.`),
        h('p', {}, h('button', { type: 'button', class: 'primary', id: 'refit-zi', onclick: () => this.handlers.onRefitZeroInflated() }, 'Refit with zero inflation'),
          h('span', { class: 'hint' }, ' The same model with the zero-inflation formula of step 3 (~1 unless you change it).')))
      : null;
    this.checkOut.removeAttribute('role');
    this.checkOut.replaceChildren(...[
      h('p', { class: 'hint', id: 'check-summary' }, `${check.simulation[0].toUpperCase()}${check.simulation.slice(1)}; ${seconds(elapsed)}.`),
      h('div', { class: 'table-scroll' }, tests),
      extraZeros,
      check.spatial_note ? h('p', { class: 'note', id: 'check-spatial-note' }, `${check.spatial_note[0].toUpperCase()}${check.spatial_note.slice(1)}.`) : null,
      h('section', { class: 'charts check-charts', 'aria-label': 'Charts of the model check' }, charts.map((c) => this.chart(c, this.ctx))),
    ].filter(Boolean));
    this.drawCharts();
  }

  /** Progress of the comparison. */
  comparisonProgress(p) {
    const box = this.jobs && this.jobs.compare;
    if (!box) return;
    box.text = `Fitting model ${p.model} of ${p.models} (${p.name}), step ${p.iteration}`;
    box.tick();
  }

  startComparison() {
    this.startJob('compare', this.comparisonOut, 'Comparing the six models', 'Starting the comparison');
  }

  showComparisonError(text) {
    if (this.comparisonOut) this.comparisonOut.replaceChildren(h('p', { class: 'error-box', role: 'alert' }, text));
  }

  showComparison(c) {
    const header = ['Model', 'Log-likelihood', 'Parameters', 'AIC', 'BIC', 'Converged', 'Preferred'];
    const comparison = h('table', { class: 'data', id: 'comparison-table' },
      h('caption', {}, `Model comparison on ${count(c.nobs)} rows (as Webb et al. 2020, Table 2)`),
      h('thead', {}, h('tr', {}, header.map((x, j) => h('th', { scope: 'col', class: j === 0 || j === 6 ? 'text' : null }, x)))),
      h('tbody', {}, c.models.map((m) => {
        const preferred = m.name === c.preferred;
        const bic = m.name === c.preferred_by_bic && c.preferred_by_bic !== c.preferred;
        return h('tr', { class: preferred ? 'preferred' : null },
          h('th', { scope: 'row', class: 'text' }, m.name, m.error ? h('span', { class: 'error' }, ` (could not be fitted: ${m.error.message})`) : null),
          h('td', {}, fmt(m.loglik, 2)), h('td', {}, m.df === null ? '–' : String(m.df)),
          h('td', {}, fmt(m.aic, 2)), h('td', {}, fmt(m.bic, 2)),
          h('td', {}, m.converged === null ? '–' : m.converged ? 'yes' : 'no'),
          h('td', { class: 'text' }, preferred ? h('strong', { class: 'badge printed' }, '★ Preferred (lowest AIC)') : bic ? h('span', { class: 'badge derived' }, 'Lowest BIC') : ''));
      })));
    const tests = c.lr_tests.length
      ? table('Likelihood-ratio tests of nested models', ['Simpler model', 'Larger model', 'LR statistic', 'df', 'p', 'Note'],
        c.lr_tests.map((t) => [t.restricted, t.general, fmt(t.statistic, 2), String(t.df), pValue(t.p), t.note]), 'lr-tests')
      : null;
    this.comparisonOut.removeAttribute('role');
    this.comparisonOut.replaceChildren(...[
      h('div', { class: 'table-scroll' }, comparison),
      c.preferred ? h('p', { id: 'preferred' }, 'Preferred: ', h('strong', {}, c.preferred), ', the converged model with the lowest AIC.') : null,
      tests ? h('div', { class: 'table-scroll' }, tests) : null,
      c.notes.length ? h('ul', { class: 'notes' }, c.notes.map((n) => h('li', {}, n[0].toUpperCase() + n.slice(1)))) : null,
    ].filter(Boolean));
  }
}
