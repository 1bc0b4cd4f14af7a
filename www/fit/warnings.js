// The fit's warnings in plain words: each with what happened and what to try, from the engine's
// {code, message, advice}, followed by the notes of the views.
import { h } from '../dom.js';

const capital = (text) => text[0].toUpperCase() + text.slice(1);

/** The warnings box of a fit report `r` and its views `v`. */
export function warningsBox(r, v) {
  const items = r.warnings.map((w) => h('li', { 'data-code': w.code },
    h('span', { class: 'warning-message' }, `${capital(w.message)}.`), ' ',
    h('span', { class: 'advice' }, h('strong', {}, 'What to try: '), w.advice)));
  for (const note of v.notes) items.push(h('li', {}, capital(note)));
  if (!r.converged && !r.warnings.some((w) => w.code === 'non_convergence' || w.code === 'hessian_not_pd')) {
    items.push(h('li', {}, 'The fit did not converge: the estimates may be unreliable.'));
  }
  if (!items.length) return h('p', { class: 'ok', id: 'fit-warnings' }, 'No warnings: the fit converged and every estimate is usable.');
  return h('div', { class: 'warning-box', id: 'fit-warnings', role: 'note' },
    h('h4', {}, 'Please read'),
    h('ul', {}, items));
}
