// The calculator's whole state, and its round trip through the URL query string, so that a
// shared link opens exactly the same view. Pure functions: no DOM access.

/** Table 1 of Webb et al. 2020: LA IMD score and LA Gini, mean and SD (used for z-scores). */
export const WEBB_LA = {
  imd: { mean: 22.0, sd: 8.14, min: 8.86, max: 41.2 },
  gini: { mean: 0.386, sd: 0.014, min: 0.358, max: 0.415 },
};

/** Presets: low / average / high LA deprivation and inequality (about the tertile midpoints). */
export const PRESETS = {
  deprivation: {
    low: { imd: +(WEBB_LA.imd.mean - WEBB_LA.imd.sd).toFixed(2), dep: -10 },
    average: { imd: WEBB_LA.imd.mean, dep: 0 },
    high: { imd: +(WEBB_LA.imd.mean + WEBB_LA.imd.sd).toFixed(2), dep: 10 },
  },
  inequality: {
    low: { gini: +(WEBB_LA.gini.mean - WEBB_LA.gini.sd).toFixed(3) },
    average: { gini: WEBB_LA.gini.mean },
    high: { gini: +(WEBB_LA.gini.mean + WEBB_LA.gini.sd).toFixed(3) },
  },
};

export const OUTCOMES = ['cin', 'cpp', 'cla'];
export const AREAS = ['', 'urban', 'rural'];
export const DENSITIES = ['', 'low', 'mid', 'high'];

export function defaultContext() {
  return { imd: WEBB_LA.imd.mean, gini: WEBB_LA.gini.mean, dep: 0, area: '', density: '' };
}

export function defaultState() {
  return { outcome: 'cla', measure: 'referral', compare: false, a: defaultContext(), b: { ...defaultContext(), ...PRESETS.deprivation.high } };
}

const CONTEXT_KEYS = ['imd', 'gini', 'dep', 'area', 'density'];

function number(value, fallback) {
  if (value === null || value.trim() === '') return fallback;
  const x = Number(value);
  return Number.isFinite(x) ? x : fallback;
}

function oneOf(value, allowed, fallback) {
  return value !== null && allowed.includes(value) ? value : fallback;
}

function readContext(params, prefix, fallback) {
  return {
    imd: number(params.get(prefix + 'imd'), fallback.imd),
    gini: number(params.get(prefix + 'gini'), fallback.gini),
    dep: number(params.get(prefix + 'dep'), fallback.dep),
    area: oneOf(params.get(prefix + 'area'), AREAS, fallback.area),
    density: oneOf(params.get(prefix + 'density'), DENSITIES, fallback.density),
  };
}

/** Parse a query string (`?a=1&b=2`) into a full state; unknown or bad values fall back to defaults. */
export function stateFromQuery(query, measures = null) {
  const params = new URLSearchParams(query);
  const d = defaultState();
  const measure = params.get('measure');
  return {
    outcome: oneOf(params.get('outcome'), OUTCOMES, d.outcome),
    measure: measure && (!measures || measures.includes(measure)) ? measure : d.measure,
    compare: params.get('compare') === '1',
    a: readContext(params, '', d.a),
    b: readContext(params, 'b_', d.b),
  };
}

/** The query string for a state (only what differs from nothing is omitted: every key is written). */
export function queryFromState(state) {
  const params = new URLSearchParams();
  params.set('outcome', state.outcome);
  params.set('measure', state.measure);
  for (const key of CONTEXT_KEYS) params.set(key, String(state.a[key]));
  if (state.compare) {
    params.set('compare', '1');
    for (const key of CONTEXT_KEYS) params.set('b_' + key, String(state.b[key]));
  }
  return '?' + params.toString();
}

/** z-score of a raw LA value with Webb et al. 2020 Table 1's mean and SD. */
export function zScore(kind, raw) {
  const { mean, sd } = WEBB_LA[kind];
  return (raw - mean) / sd;
}
