// The calculator's whole state, and its round trip through the URL query string, so that a
// shared link opens exactly the same view. Pure functions: no DOM access.
//
// A context may name a real local authority (`la`: its code). Its values then come from the
// engine's LA table, and only the inputs the user changed (`changed`) are written to the link:
// `?la=E06000009` opens on Blackpool, `?la=E06000009&gini=0.4` on Blackpool with Gini changed.

// The study's numbers (Webb et al. 2020 Table 1's LA IMD score and Gini, the low / average /
// high presets) come from the engine as `study`, the object `engine.studyContexts()` returns:
// `study.deprivation.low` is `{ imd, dep }`, `study.inequality.high` is `{ gini }`.

export const OUTCOMES = ['cin', 'cpp', 'cla'];
export const AREAS = ['', 'urban', 'rural'];
export const DENSITIES = ['', 'low', 'mid', 'high'];
/** The inputs a user can change from an LA's own values. */
export const LA_INPUTS = ['imd', 'dep', 'gini'];

/** An average LA: both studies' average presets. */
export function defaultContext(study) {
  const { imd, dep } = study.deprivation.average;
  return { la: '', changed: [], imd, gini: study.inequality.average.gini, dep, area: '', density: '' };
}

export function defaultState(study) {
  return { outcome: 'cla', measure: 'referral', compare: false, a: defaultContext(study), b: { ...defaultContext(study), ...study.deprivation.high } };
}

/**
 * The context of LA `la` (an entry of `engine.las()`) on `ctx`: its own values, nothing changed,
 * and the study-average Gini (not published for real LAs). `linkCode` is what the link keeps:
 * the LA's code, or the code of a newer authority it held (`E06000063` for Cumberland, in
 * Cumbria), so that the page can say so.
 */
export function laContext(study, la, ctx = defaultContext(study), linkCode = la.la_code) {
  return { ...ctx, la: linkCode, changed: [], imd: la.la_imd, dep: +la.la_dep.toFixed(2), gini: study.inequality.average.gini };
}

/** The default resolver of a link's LA: an April-2019 code of `las()`, as `engine.resolveLa` answers. */
function byCode(las) {
  return (text) => {
    const la = las().find((x) => x.la_code === text.trim().toUpperCase());
    return la ? { la_code: la.la_code, alias_code: null } : null;
  };
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

function readContext(study, params, prefix, laKey, fallback, las, problems, resolve) {
  const code = params.get(laKey);
  let ctx = { ...fallback, changed: [] };
  if (code !== null && code.trim() !== '') {
    const found = resolve(code.trim());
    const la = found && las().find((x) => x.la_code === found.la_code);
    if (la) ctx = laContext(study, la, ctx, found.alias_code || la.la_code);
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
 * defaults (`study`: the engine's presets). `las` gives the engine's LA list (called only when
 * the link names an LA) and `resolve` turns a link's LA into `{la_code, alias_code}` (the
 * engine's `resolveLa`: codes of authorities since 2019 too); a bad LA code is reported in
 * `problems`.
 */
export function stateFromQuery(study, query, measures = null, las = () => [], resolve = byCode(las)) {
  const params = new URLSearchParams(query);
  const d = defaultState(study);
  const measure = params.get('measure');
  const problems = [];
  const state = {
    outcome: oneOf(params.get('outcome'), OUTCOMES, d.outcome),
    measure: measure && (!measures || measures.includes(measure)) ? measure : d.measure,
    compare: params.get('compare') === '1',
    a: readContext(study, params, '', 'la', d.a, las, problems, resolve),
    b: readContext(study, params, 'b_', 'la_b', d.b, las, problems, resolve),
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
