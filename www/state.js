// The calculator's whole state, and its round trip through the URL query string, so that a
// shared link opens exactly the same view. Pure functions: no DOM access.
//
// A context may name a real local authority (`la`: its code). Its values then come from the
// engine's LA table, and only the inputs the user changed (`changed`) are written to the link:
// `?la=E06000009` opens on Blackpool, `?la=E06000009&gini=0.4` on Blackpool with Gini changed.

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
/** The inputs a user can change from an LA's own values. */
export const LA_INPUTS = ['imd', 'dep', 'gini'];

export function defaultContext() {
  return { la: '', changed: [], imd: WEBB_LA.imd.mean, gini: WEBB_LA.gini.mean, dep: 0, area: '', density: '' };
}

export function defaultState() {
  return { outcome: 'cla', measure: 'referral', compare: false, a: defaultContext(), b: { ...defaultContext(), ...PRESETS.deprivation.high } };
}

/** The context of LA `la` (an entry of `engine.las()`): its own values, nothing changed. */
export function laContext(la, ctx = defaultContext()) {
  return { ...ctx, la: la.la_code, changed: [], imd: la.la_imd, dep: +la.la_dep.toFixed(2), gini: WEBB_LA.gini.mean };
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

function readContext(params, prefix, laKey, fallback, las, problems) {
  const code = params.get(laKey);
  let ctx = { ...fallback, changed: [] };
  if (code !== null && code.trim() !== '') {
    const la = las.find((x) => x.la_code === code.trim().toUpperCase());
    if (la) ctx = laContext(la, ctx);
    else problems.push(`No English upper-tier local authority has the code “${code}”, so the page shows the England-average context. Pick your authority by name below.`);
  }
  for (const key of CONTEXT_KEYS) {
    const raw = params.get(prefix + key);
    if (raw === null) continue;
    if (key === 'area' || key === 'density') {
      ctx[key] = oneOf(raw, key === 'area' ? AREAS : DENSITIES, ctx[key]);
    } else {
      const x = number(raw, null);
      if (x === null) continue;
      ctx[key] = x;
      if (ctx.la) ctx.changed.push(key);
    }
  }
  return ctx;
}

/**
 * Parse a query string (`?a=1&b=2`) into a full state; unknown or bad values fall back to
 * defaults. `las` is the engine's LA list; a bad LA code is reported in `problems`.
 */
export function stateFromQuery(query, measures = null, las = []) {
  const params = new URLSearchParams(query);
  const d = defaultState();
  const measure = params.get('measure');
  const problems = [];
  const state = {
    outcome: oneOf(params.get('outcome'), OUTCOMES, d.outcome),
    measure: measure && (!measures || measures.includes(measure)) ? measure : d.measure,
    compare: params.get('compare') === '1',
    a: readContext(params, '', 'la', d.a, las, problems),
    b: readContext(params, 'b_', 'la_b', d.b, las, problems),
  };
  return { state, problems };
}

function writeContext(params, prefix, laKey, ctx) {
  if (ctx.la) params.set(laKey, ctx.la);
  for (const key of CONTEXT_KEYS) {
    const value = ctx[key];
    if (ctx.la && LA_INPUTS.includes(key) && !ctx.changed.includes(key)) continue;
    if (ctx.la && value === '') continue;
    params.set(prefix + key, String(value));
  }
}

/** Parameters of other views that the calculator's link keeps (the guided tour's step and mode). */
const KEPT = ['tour', 'projector'];

/**
 * The query string for a state: with an LA, only what the user changed from its values. The
 * parameters in `KEPT` are carried over from `current` (the page's query string).
 */
export function queryFromState(state, current = '') {
  const params = new URLSearchParams();
  const previous = new URLSearchParams(current);
  params.set('outcome', state.outcome);
  params.set('measure', state.measure);
  writeContext(params, '', 'la', state.a);
  if (state.compare) {
    params.set('compare', '1');
    writeContext(params, 'b_', 'la_b', state.b);
  }
  for (const key of KEPT) if (previous.has(key)) params.set(key, previous.get(key));
  return '?' + params.toString();
}

/** z-score of a raw LA value with Webb et al. 2020 Table 1's mean and SD. */
export function zScore(kind, raw) {
  const { mean, sd } = WEBB_LA[kind];
  return (raw - mean) / sd;
}
