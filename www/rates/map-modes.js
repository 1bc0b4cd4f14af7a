// The map can show real figures too: besides the social gradient the study predicts (the map's
// own colouring), each LA's rate of the chosen measure in the chosen year (the same sequential
// scale), or its observed ÷ expected from the model (a diverging scale centred on 1, even on a
// log scale, so that half and twice as many are equally far from it). The ranked table beside
// the map follows the same choice. The measure and year are the real figures' (the controls
// under the headline).
import { h } from '../dom.js';
import { rampStops, scaleFor } from '../map/colour.js';

/** ColorBrewer's RdBu, reversed (blue below 1, red above), colour-blind safe. */
const DIVERGING = ['#2166ac', '#4393c3', '#92c5de', '#d1e5f0', '#f7f7f7', '#fddbc7', '#f4a582', '#d6604d', '#b2182b'];
const RGB = DIVERGING.map((hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)));

function diverging(t) {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0.5)) * (RGB.length - 1);
  const i = Math.min(RGB.length - 2, Math.floor(x));
  const f = x - i;
  return `#${RGB[i].map((c, k) => Math.round(c + (RGB[i + 1][k] - c) * f).toString(16).padStart(2, '0')).join('')}`;
}

/** Ratio ticks to choose from: symmetric about 1 on a log scale. */
const RATIO_TICKS = [0.25, 1 / 3, 0.5, 2 / 3, 0.8, 1, 1.25, 1.5, 2, 3, 4];

/**
 * A diverging scale for observed ÷ expected: `t = 1/2 + ln(v) / (2 m)`, `m` the largest
 * `|ln v|`, so that 1 is the middle and v and 1/v are equally far from it.
 */
export function ratioScale(values) {
  const finite = values.filter((v) => Number.isFinite(v) && v > 0);
  const m = Math.max(Math.log(1.25), ...finite.map((v) => Math.abs(Math.log(v))));
  const t = (v) => 0.5 + Math.log(v) / (2 * m);
  const ticks = RATIO_TICKS.filter((v) => Math.abs(Math.log(v)) <= m + 1e-9);
  return { lo: Math.exp(-m), hi: Math.exp(m), t, colour: (v) => diverging(t(v)), ticks };
}

/** What a screen reader hears for an area: its value, and its rank as the map's table gives it. */
function areaLabelOf(valueText) {
  return (name, item, rankedCount) => `${name}: ${valueText(item)}${item?.rank_shown ? `, ranked ${item.rank_shown} of ${rankedCount}` : ''}`;
}

/**
 * The map's display for a colouring by a rate, or by observed ÷ expected: every value as the
 * engine shows it (`item.shown`), ranks as the engine ranks (`item.rank_shown`).
 */
export function display(mode, decimals) {
  if (mode === 'rate') {
    const valueText = (item) => (item && item.shown ? `${item.shown.value} per 10,000` : `no figure${item?.note ? `: ${item.note}` : ''}`);
    return {
      scale: scaleFor,
      stops: () => rampStops(),
      ends: ['lower rate', 'higher rate'],
      most: 'Highest',
      least: 'Lowest',
      first: '1 is the highest rate',
      unranked: 'not ranked: very few children, or no figure',
      header: () => 'Rate per 10,000',
      order: 'from the highest rate to the lowest',
      tickDecimals: decimals,
      valueText,
      areaLabel: areaLabelOf(valueText),
    };
  }
  const valueText = (item) => {
    if (!item || !item.shown) return `not in the model${item?.note ? `: ${item.note}` : ''}`;
    const outside = item.outside === 'above998' ? ', above the 99.8% limits' : item.outside === 'below998' ? ', below the 99.8% limits' : '';
    return `${item.shown.value} × expected${outside}`;
  };
  return {
    scale: ratioScale,
    stops: () => DIVERGING.map((c, i) => [i / (DIVERGING.length - 1), c]),
    ends: ['lower than expected', 'higher than expected'],
    most: 'Most above expected',
    least: 'Most below expected',
    first: '1 is the most above expected',
    unranked: 'not ranked: very few children, or not in the model',
    header: () => 'Observed ÷ expected',
    order: 'from the most above what the model expects to the most below',
    tickDecimals: 2,
    valueText,
    areaLabel: areaLabelOf(valueText),
  };
}

/** The colouring control in the map's section, and the map's values for it. */
export class MapColouring {
  /** `state()` gives the real figures' state; `onChoose(mode)` is told of the user's choice (for the link). */
  constructor(map, worker, state, onChoose = () => {}) {
    this.map = map;
    this.worker = worker;
    this.state = state;
    this.onChoose = onChoose;
    this.mode = 'gradient';
    this.serial = 0;
    const section = document.getElementById('england');
    this.lede = section.querySelector('.lede');
    const options = [
      ['gradient', 'The social gradient the study predicts (Hood et al. 2021)'],
      ['rate', 'A DfE rate per 10,000 children'],
      ['ratio', 'Higher or lower than expected: observed ÷ expected'],
    ];
    this.radios = options.map(([value, label]) => {
      const input = h('input', { type: 'radio', name: 'map-colouring', id: `map-colour-${value}`, value, checked: value === 'gradient' });
      input.addEventListener('change', () => {
        if (!input.checked) return;
        this.choose(value);
        this.onChoose(value);
      });
      return h('div', { class: 'radio' }, input, h('label', { for: `map-colour-${value}` }, label));
    });
    this.what = h('p', { class: 'hint map-colouring-what', 'aria-live': 'polite' });
    section.querySelector('.england-map').before(h('fieldset', { class: 'map-colouring', id: 'map-colouring' },
      h('legend', {}, 'Colour the map by'), this.radios, this.what));
  }

  /** Colours the map by `mode` (`gradient`, `rate` or `ratio`), its radio button checked. */
  choose(mode) {
    this.mode = mode;
    for (const radio of this.radios) {
      const input = radio.querySelector('input');
      input.checked = input.value === mode;
    }
    this.lede.hidden = mode !== 'gradient';
    if (mode === 'gradient') {
      this.what.textContent = '';
      this.map.override = null;
      this.map.refresh?.();
      return;
    }
    this.map.override = (selected) => this.colour(selected);
    this.colour(this.selected());
  }

  selected() {
    return this.state().la || null;
  }

  /** The measure or year changed: recolour if the map shows real figures. */
  refresh() {
    if (this.mode !== 'gradient') this.colour(this.selected());
  }

  async colour(selected) {
    const serial = ++this.serial;
    const { measure, year, covariates } = this.state();
    let view;
    try {
      view = await this.worker.call('ratesMap', { request: { measure, year, mode: this.mode, covariates } });
    } catch (e) {
      if (serial === this.serial) this.map.showError(`The map could not be coloured: ${e.message}`);
      return;
    }
    if (serial !== this.serial || this.mode === 'gradient') return;
    this.what.textContent = `${view.label}: ${view.unit}. ${view.source}.`;
    const items = view.items.map(({ la_code, la_name, ...rest }) => ({ code: la_code, name: la_name, ...rest }));
    this.map.update({ items, label: view.label, unit: view.unit, source: 'DfE figures', table: view.mode === 'ratio' ? 'negative binomial model of LA deprivation' : 'children aged 0-17', selected,
      ranked_count: view.ranked_count, unranked_note: view.unranked_note, any_interval: false, display: display(view.mode, view.decimals) });
    document.getElementById('england').dataset.colouring = `${view.mode}|${measure}|${year}`;
  }
}

