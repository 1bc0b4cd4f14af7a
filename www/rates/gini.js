// Your LA's Gini coefficient: Gini coefficients are not published for local authorities, but an
// analyst may have household incomes in bands (commercial income data, or their own survey). The
// user pastes the bands; the engine estimates the Gini coefficient with a bootstrap interval as
// Webb et al. (2020) estimated theirs (src/gini), says which choices it made, and the estimate
// can be used as the calculator's Gini for the chosen context.
import { h, fmt, count } from '../dom.js';

/** Made-up bands for an example (not any real authority's): £5,000 bands, an open top band. */
const EXAMPLE = [
  'Household income\tHouseholds',
  '£0 - £4,999\t310',
  '£5,000 - £9,999\t1,450',
  '£10,000 - £14,999\t2,880',
  '£15,000 - £19,999\t3,560',
  '£20,000 - £24,999\t3,720',
  '£25,000 - £29,999\t3,540',
  '£30,000 - £34,999\t3,190',
  '£35,000 - £39,999\t2,760',
  '£40,000 - £44,999\t2,330',
  '£45,000 - £49,999\t1,930',
  '£50,000 - £54,999\t1,580',
  '£55,000 - £59,999\t1,280',
  '£60,000 - £64,999\t1,030',
  '£65,000 - £69,999\t830',
  '£70,000 - £74,999\t670',
  '£75,000 - £79,999\t540',
  '£80,000 - £84,999\t430',
  '£85,000 - £89,999\t350',
  '£90,000 - £94,999\t280',
  '£95,000 - £99,999\t230',
  '£100,000 and over\t1,090',
].join('\n');

export class GiniSection {
  constructor(section, page, worker) {
    this.page = page;
    this.worker = worker;
    const study = page.studyContexts().gini;
    this.bands = h('textarea', { id: 'gini-bands', rows: 10, spellcheck: 'false', 'aria-describedby': 'gini-bands-help gini-error',
      placeholder: '£0 - £4,999\t310\n£5,000 - £9,999\t1,450\n…\n£100,000 and over\t1,090' });
    this.mean = h('input', { id: 'gini-mean', type: 'number', inputmode: 'decimal', min: 0, step: 100 });
    this.sample = h('input', { id: 'gini-sample', type: 'number', inputmode: 'numeric', min: 10, step: 1 });
    this.error = h('p', { id: 'gini-error', class: 'error', role: 'alert' });
    this.result = h('div', { class: 'gini-result', 'aria-live': 'polite', 'data-testid': 'gini-result' });
    const estimate = h('button', { type: 'button', class: 'primary', id: 'gini-estimate', onclick: () => this.estimate() }, 'Estimate the Gini coefficient');
    const example = h('button', { type: 'button', id: 'gini-example', onclick: () => { this.bands.value = EXAMPLE; this.bands.focus(); } }, 'Fill in an example');
    section.append(
      h('h2', { id: 'rates-gini-title' }, 'Your local authority\'s Gini coefficient'),
      h('div', { class: 'rates-gini' },
        h('p', {}, `Gini coefficients of income inequality are not published for local authorities. Webb et al. (2020) estimated theirs from household incomes in bands of £5,000 (their LAs: mean ${study.mean}, SD ${study.sd}, from ${study.min} to ${study.max}; Table 1). If you have such bands for your authority (commercial income data, or your own survey), paste them here: the estimate can then stand for the Gini coefficient in the calculator.`),
        h('div', { class: 'field' },
          h('label', { for: 'gini-bands' }, 'Household income bands and the number of households in each'),
          h('p', { id: 'gini-bands-help', class: 'hint' }, 'One band per line: the lower limit, the upper limit and the households, as copied from a spreadsheet or a CSV file ("£5,000 - £9,999, 1,234"); the top band may be open ("£100,000 and over, 567").'),
          this.bands),
        h('div', { class: 'gini-options' },
          h('div', { class: 'field' }, h('label', { for: 'gini-mean' }, 'Mean household income, if known (£)'), this.mean,
            h('p', { class: 'hint' }, 'It sets the shape of the open top band.')),
          h('div', { class: 'field' }, h('label', { for: 'gini-sample' }, 'Households surveyed, if the counts are estimates from a survey'), this.sample,
            h('p', { class: 'hint' }, 'The interval reflects a sample of this size (the counts\' total when empty).'))),
        h('p', { class: 'gini-actions' }, estimate, ' ', example),
        this.error,
        this.result));
  }

  show() {}

  async estimate() {
    this.error.textContent = '';
    this.bands.removeAttribute('aria-invalid');
    const request = { bands: this.bands.value };
    const mean = Number(this.mean.value);
    if (this.mean.value.trim() !== '' && Number.isFinite(mean)) request.mean_income = mean;
    const sample = Number(this.sample.value);
    if (this.sample.value.trim() !== '' && Number.isFinite(sample)) request.sample_size = sample;
    this.result.replaceChildren(h('p', { class: 'hint' }, 'Estimating…'));
    let g;
    try {
      g = await this.worker.call('giniFromBands', { request });
    } catch (e) {
      this.result.replaceChildren();
      this.error.textContent = `These bands cannot be used: ${e.message}.`;
      this.bands.setAttribute('aria-invalid', 'true');
      return;
    }
    const value = Number(g.gini.toFixed(3));
    const use = h('button', { type: 'button', id: 'gini-use', onclick: () => {
      document.dispatchEvent(new CustomEvent('calculator:set-gini', { detail: { gini: value } }));
      use.textContent = `Used: the calculator's Gini coefficient is now ${fmt(value, 3)}`;
    } }, `Use ${fmt(value, 3)} as the Gini coefficient in the calculator`);
    this.result.replaceChildren(...[
      h('p', { class: 'gini-value' }, 'Gini coefficient ', h('strong', { 'data-testid': 'gini-value' }, fmt(g.gini, 3)),
        ` (95% interval ${fmt(g.ci_low, 3)} to ${fmt(g.ci_high, 3)}), from ${count(Math.round(g.households))} households in ${g.bands} bands; mean income £${count(Math.round(g.mean_income))}.`),
      h('p', {}, use),
      g.warnings.length ? h('ul', { class: 'warnings' }, g.warnings.map((w) => h('li', {}, w))) : null,
      h('details', {}, h('summary', {}, 'How it is estimated'),
        h('ul', {}, g.method.map((m) => h('li', {}, m))),
        h('p', { class: 'hint' }, 'Checked against the exact Gini coefficients of incomes simulated from lognormal and Pareto-tailed distributions and counted in £5,000 bands: within 0.01.'))].filter(Boolean));
  }
}
