// The guided tour's place in the link: `?tour=N` (1-based step) and `&projector=1`, beside the
// calculator's own parameters (which are kept). Pure functions: no DOM access.

/** The tour parameters of a query string: `{step, projector, la}` (step 0 when closed). */
export function tourFromQuery(query, count) {
  const params = new URLSearchParams(query);
  const raw = params.get('tour');
  const n = raw === null ? 0 : Math.round(Number(raw));
  const step = raw === null ? 0 : Number.isFinite(n) ? Math.min(Math.max(n, 1), count) : 1;
  return { step, projector: params.get('projector') === '1', la: (params.get('la') || '').trim() };
}

/** `query` with the tour's parameters set (or removed when `step` is 0), keeping the others. */
export function queryWithTour(query, step, projector) {
  const params = new URLSearchParams(query);
  params.delete('tour');
  params.delete('projector');
  if (step > 0) {
    params.set('tour', String(step));
    if (projector) params.set('projector', '1');
  }
  const text = params.toString();
  return text ? '?' + text : '';
}
