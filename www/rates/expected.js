// "Higher or lower than expected?": for the chosen measure and year, the engine's negative
// binomial model of every LA's count on its deprivation. The chosen LA's observed ÷ expected in
// words, the funnel plot (every LA a point, named on hover and focus; the chosen LA marked; the
// 95% and 99.8% limits of the fitted distribution), the LAs outside the 99.8% limits, and the
// model itself with the R code that reproduces it.
import { h, fmt } from '../dom.js';
import { chartFigure, drawFigure } from '../charts.js';
import { scrollBox, table } from '../tables.js';
import { chartPoints, chartSize, namePoints } from './points.js';

const COVARIATES = [
  { value: 'idaci', label: 'IDACI 2019 score (children in income-deprived families)' },
  { value: 'rural', label: 'Share of people in rural neighbourhoods' },
];

function outlierList(list) {
  return list.length
    ? h('ul', {}, list.map((o) => h('li', {}, `${o.la_name}: ${o.shown}`)))
    : h('p', { class: 'hint' }, 'None.');
}

export class ExpectedSection {
  constructor(section, page, { onCovariates }) {
    this.page = page;
    this.section = section;
    section.querySelector('.rates-status')?.remove();
    this.sentence = h('p', { class: 'rates-sentence', 'data-testid': 'expected-sentence', 'aria-live': 'polite' });
    this.reading = h('p', { class: 'hint' });
    this.funnel = h('div', { class: 'rates-funnel' });
    this.outliers = h('div', { class: 'rates-outliers', 'data-testid': 'outliers' });
    this.checks = COVARIATES.map((c) => {
      const input = h('input', { type: 'checkbox', id: `rates-cov-${c.value}`, value: c.value });
      input.addEventListener('change', () => onCovariates(this.checks.filter((x) => x.checked).map((x) => x.value)));
      return input;
    });
    this.model = h('div', { class: 'rates-model-body' });
    this.error = h('p', { class: 'error', role: 'alert', hidden: true });
    this.body = h('div', { class: 'rates-expected' },
      this.sentence, this.error, this.reading, this.funnel, this.outliers,
      h('details', { class: 'rates-model', id: 'rates-model' },
        h('summary', {}, 'The model, and the R code that reproduces it'),
        h('fieldset', { class: 'rates-covariates' },
          h('legend', {}, 'Besides the IMD 2019 score, also allow for'),
          COVARIATES.map((c, i) => h('div', { class: 'check' }, this.checks[i], h('label', { for: `rates-cov-${c.value}` }, c.label)))),
        this.model));
    section.append(this.body);
  }

  show(view) {
    const e = view.expected;
    this.error.hidden = !view.expected_error;
    this.error.textContent = view.expected_error ? `The model could not be fitted: ${view.expected_error}.` : '';
    if (!e) {
      this.sentence.textContent = '';
      this.funnel.replaceChildren();
      this.outliers.replaceChildren();
      this.model.replaceChildren();
      return;
    }
    const measure = view.measure_label.toLowerCase();
    this.sentence.textContent = e.chosen
      ? e.chosen.sentence
      : view.la_code
        ? `${view.la_name} has no figure for ${measure} in ${view.year}, so it is not in the model.`
        : `Pick a local authority above to see whether its ${measure} in ${view.year} is higher or lower than the model expects.`;
    this.reading.textContent = e.reading;

    const fig = chartFigure(e.funnel.view, { canvasId: 'rates-funnel-chart', size: chartSize([760, 460]) });
    namePoints(fig, chartPoints(e.funnel), {
      chosen: view.la_code,
      label: `Local authorities on the funnel plot (${e.n}): the arrow keys move from one to the next, Enter chooses it`,
      describe: (p) => `${p.name}: ${p.shown}`,
    });
    this.funnel.replaceChildren(fig);
    requestAnimationFrame(() => drawFigure(this.page, fig));

    this.outliers.replaceChildren(
      h('h3', {}, `Outside the 99.8% limits in ${view.year}`),
      h('div', { class: 'rates-outlier-lists' },
        h('div', {}, h('h4', {}, `Higher than expected (${e.above.length})`), outlierList(e.above)),
        h('div', {}, h('h4', {}, `Lower than expected (${e.below.length})`), outlierList(e.below))));

    const rows = e.coefficients.map((c) => [c.term, fmt(c.estimate, 4), fmt(c.std_error, 4), fmt(c.rate_ratio, 3), c.meaning]);
    this.model.replaceChildren(...[
      h('p', {}, 'Negative binomial (NB2, log link) over the ', h('strong', {}, `${e.n} LAs`), ' with a figure: ', h('code', {}, e.formula), '.'),
      h('p', { class: 'hint' }, e.standardised.map((s) => `${s.covariate === 'imd' ? 'z' : `${s.covariate}_z`} is the ${s.covariate === 'imd' ? 'IMD 2019 average score' : s.covariate === 'idaci' ? 'IDACI 2019 score' : 'rural share'} standardised over those LAs (mean ${fmt(s.mean, 3)}, SD ${fmt(s.sd, 3)}).`).join(' ')),
      scrollBox(table('Estimates (standard errors as summary(MASS::glm.nb) gives them)', ['Term', 'Estimate', 'Std. error', 'Rate ratio', 'Meaning'], rows, 'rates-coefficients')),
      h('p', {}, `Theta (the negative binomial's size: variance = mean + mean² / theta): ${fmt(e.theta, 3)}.`),
      e.missing.length ? h('p', { class: 'hint' }, `Not in the model, for want of a figure: ${e.missing.join('; ')}.`) : null,
      e.warnings.length ? h('ul', { class: 'warnings' }, e.warnings.map((w) => h('li', {}, w))) : null,
      h('p', {}, 'The same model in R (with this page\'s data files, data/england_la_csc_rates.csv and data/england_upper_tier_las.csv):'),
      h('pre', { class: 'formula-text rates-r', 'data-testid': 'rates-r-code' }, e.r_code)].filter(Boolean));
  }
}
