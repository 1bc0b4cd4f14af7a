// The real figures' place in the link: `measure=` (one of DfE's five measures), `year=` (2013
// to 2025) and `map=` (the map's colouring: `rate` or `ratio`, observed ÷ expected; the predicted
// gradient when absent), beside the calculator's parameters. The calculator's own `measure=` names a Hood et al.
// measure (`referral`, `cp_plan`, ...); the two vocabularies do not overlap, so a link may carry
// both (`?measure=referral&measure=cla_at31`) and each part of the page reads its own. Only values
// other than the defaults are written, so the calculator's links are unchanged until the user
// chooses another measure or year here. Pure functions: no DOM access.

export const MEASURES = ['referrals', 'cin_at31', 'cpp_starts', 'cpp_at31', 'cla_at31'];
export const DEFAULT_MEASURE = 'cla_at31';
export const FIRST_YEAR = 2013;
export const LATEST_YEAR = 2025;
export const MAP_COLOURINGS = ['gradient', 'rate', 'ratio'];
export const DEFAULT_MAP = 'gradient';

/** The measure, year and map colouring a query string asks for (the defaults where it names none or a bad one). */
export function ratesFromQuery(query) {
  const params = new URLSearchParams(query);
  const measure = params.getAll('measure').find((m) => MEASURES.includes(m)) || DEFAULT_MEASURE;
  const raw = params.get('year');
  const y = raw === null ? NaN : Number(raw);
  const year = Number.isInteger(y) && y >= FIRST_YEAR && y <= LATEST_YEAR ? y : LATEST_YEAR;
  const map = MAP_COLOURINGS.includes(params.get('map')) ? params.get('map') : DEFAULT_MAP;
  return { measure, year, map };
}

/** `query` with the real figures' measure, year and map colouring set (left out when they are the defaults). */
export function queryWithRates(query, { measure, year, map = DEFAULT_MAP }) {
  const kept = [...new URLSearchParams(query)].filter(([k, v]) => !(k === 'measure' && MEASURES.includes(v)) && k !== 'year' && k !== 'map');
  const params = new URLSearchParams(kept);
  if (measure !== DEFAULT_MEASURE) params.append('measure', measure);
  if (year !== LATEST_YEAR) params.set('year', String(year));
  if (map !== DEFAULT_MAP) params.set('map', map);
  const text = params.toString();
  return text ? '?' + text : '';
}
