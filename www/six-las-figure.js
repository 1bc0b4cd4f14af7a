// Forest plots on the page: drawn by the engine's forest-plot build (socgrad_forest, a small
// WebAssembly module of its own, loaded with the first forest plot, after the first score), from
// the six-LA study's views (six-las.json, which the engine writes from its typed tables), fetched
// once. Used by the "Inside six local authorities" section and by the tour's "What kind of need?".
import init, * as forestBuild from './pkg/socgrad_forest.js';
import { h } from './dom.js';
import { withSafeDrawing } from './fit/cssom.js';

const VIEWS_URL = 'six-las.json';
/** The smallest CSS height of a chart drawn at a fixed shape, as charts.js draws charts. */
const MIN_HEIGHT = 320;

let engine = null;
let views = null;

/** Memoises `promise()`, forgetting it if it fails so that a later call tries again. */
function once(cache, promise) {
  if (!cache.value) {
    cache.value = promise();
    cache.value.catch(() => { cache.value = null; });
  }
  return cache.value;
}
const engineCache = {};
const viewsCache = {};

/** The forest plots' engine (`drawChart`, `forestHeight`), loaded once. */
export function forestEngine() {
  engine = once(engineCache, () => init().then(() => withSafeDrawing(forestBuild)));
  return engine;
}

/** The six-LA study's page: `{ title, intro, first, groups, views, source }`, fetched once. */
export function sixLasPage() {
  views = once(viewsCache, async () => {
    const response = await fetch(VIEWS_URL);
    if (!response.ok) throw new Error(`the six-LA study's tables could not be loaded (${response.status})`);
    return response.json();
  });
  return views;
}

/**
 * Draws the forest plot `spec` with `forest` (the forest engine) on `canvas`: as wide as it is
 * laid out, `height` CSS px tall or, by default, as tall as its rows need at that width, at the
 * device pixel ratio.
 */
export function drawForest(forest, canvas, spec, height = null) {
  const ratio = Math.max(1, window.devicePixelRatio || 1);
  const cssWidth = canvas.clientWidth || Number(canvas.getAttribute('width')) || 720;
  const cssHeight = height ?? Math.ceil(forest.forestHeight(spec, cssWidth));
  canvas.width = Math.round(cssWidth * ratio);
  canvas.height = Math.round(cssHeight * ratio);
  forest.drawChart(canvas, spec, ratio);
}

/**
 * The figure of the six-LA view `key` on `canvas` at the canvas's own shape (its `width` and
 * `height` attributes, at least 320 CSS px tall, as charts.js draws): the tour's chart. A figure
 * that cannot be drawn is replaced by the reason.
 */
export async function drawSixLasFigure(canvas, key) {
  try {
    const [forest, page] = await Promise.all([forestEngine(), sixLasPage()]);
    const view = page.views.find((v) => v.key === key);
    if (!view || !view.figure) throw new Error(`there is no figure ${key}`);
    canvas.dataset.shape ??= `${canvas.width}x${canvas.height}`;
    const [width, height] = canvas.dataset.shape.split('x').map(Number);
    const cssWidth = canvas.clientWidth || width;
    drawForest(forest, canvas, view.figure.spec, Math.max(Math.round((cssWidth * height) / width), MIN_HEIGHT));
  } catch (e) {
    if (canvas.isConnected) canvas.replaceWith(h('p', { class: 'error' }, `The chart could not be drawn: ${e.message || e}.`));
  }
}
