// Charts drawn sharp on any screen and at any zoom, the same way in both sections: the canvas's
// backing store is its CSS size times the device pixel ratio, and the engine scales text, margins
// and lines by that ratio (text stays at least 14 CSS px). Charts are redrawn when the window is
// resized or zoomed, since both change the CSS size or the ratio.
//
// Every chart reaches the page as the engine's chart view `{ id, title, description, spec, table }`
// (the calculator's, the fitting results' and the model check's alike); `chartFigure` lays one out.
import { h } from './dom.js';
import { scrollBox, table } from './tables.js';

/** The smallest CSS height of a chart, so that narrow screens still leave room for the plot. */
const MIN_HEIGHT = 320;

/** Charts on the page, with what they were drawn from, to redraw on resize or zoom. */
const drawn = new Map();
let pending = false;

/**
 * Draws `spec` with `engine.drawChart` on `canvas`, whose `width` and `height` attributes give its
 * shape (and its size when it is not laid out yet). Returns where the plot is (the engine's
 * frame: `{plot: [left, top, right, bottom], x, y}`, CSS pixels and data units), also sent as the
 * detail of a `chart:drawn` event on the canvas, so that a layer over the chart can follow
 * every redraw.
 */
export function drawChart(engine, canvas, spec) {
  canvas.dataset.shape ??= `${canvas.width}x${canvas.height}`;
  const [width, height] = canvas.dataset.shape.split('x').map(Number);
  const ratio = Math.max(1, window.devicePixelRatio || 1);
  const cssWidth = canvas.clientWidth || width;
  const cssHeight = Math.max(Math.round((cssWidth * height) / width), MIN_HEIGHT);
  canvas.width = Math.round(cssWidth * ratio);
  canvas.height = Math.round(cssHeight * ratio);
  const frame = engine.drawChart(canvas, spec, ratio);
  drawn.set(canvas, { engine, spec });
  canvas.dispatchEvent(new CustomEvent('chart:drawn', { detail: frame }));
  return frame;
}

function redrawAll() {
  pending = false;
  for (const [canvas, { engine, spec }] of drawn) {
    if (canvas.isConnected) drawChart(engine, canvas, spec);
    else drawn.delete(canvas);
  }
}

window.addEventListener('resize', () => {
  if (pending) return;
  pending = true;
  requestAnimationFrame(redrawAll);
});

/**
 * A figure for the engine's chart view `view`: its title, the canvas (labelled with the title and
 * description), what it shows in words, the table of the same numbers behind a disclosure, then
 * `extras` (notes, buttons). The canvas has the id `canvasId` and is drawn later with
 * `drawChart(engine, canvas, figure.spec)`; `size` is its shape `[width, height]`.
 */
export function chartFigure(view, { canvasId, size = [760, 460], extras = [] } = {}) {
  const [width, height] = size;
  const canvas = h('canvas', { id: canvasId, width, height, role: 'img', 'aria-label': `${view.title}. ${view.description} The same numbers are in the table below the chart.` });
  const fig = h('figure', { class: 'chart', 'data-chart': view.id },
    h('figcaption', {}, view.title), canvas,
    h('p', { class: 'hint' }, view.description),
    h('details', { class: 'chart-table' }, h('summary', {}, 'Show these numbers as a table'),
      scrollBox(table(view.table.caption, view.table.header, view.table.rows))),
    ...extras);
  fig.spec = view.spec;
  return fig;
}

/** Draws a `chartFigure` on its canvas; a chart that cannot be drawn is replaced by the reason. */
export function drawFigure(engine, fig) {
  const canvas = fig.querySelector('canvas');
  if (!canvas) return;
  try {
    drawChart(engine, canvas, fig.spec);
  } catch (e) {
    canvas.replaceWith(h('p', { class: 'error' }, String(e.message || e)));
  }
}
