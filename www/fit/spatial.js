// The spatial field of a fit in plain words: how much of their unexplained variation
// neighbourhoods a given distance apart share (its SD and range, worded by the engine:
// src/fit_views/spatial.rs), what the field is and is not, the fitted correlation against
// distance and a map-like scatter of the field at the coordinates, each with its table.
import { h } from '../dom.js';

/** The card of `spatial` (the engine's `views.spatial`); `chart(view)` makes a chart's figure. */
export function spatialCard(spatial, chart) {
  return h('section', { class: 'card spatial', id: 'spatial-field', 'aria-labelledby': 'spatial-title' },
    h('h4', { id: 'spatial-title' }, 'Spatial correlation between neighbourhoods'),
    h('p', { class: 'reading', 'data-testid': 'spatial-headline' }, spatial.headline),
    h('p', {}, spatial.sd_words),
    h('p', {}, spatial.range_words),
    h('p', { class: 'note', id: 'spatial-caveat' }, spatial.caveat),
    h('div', { class: 'charts' }, spatial.correlation ? chart(spatial.correlation) : null, chart(spatial.map)));
}
