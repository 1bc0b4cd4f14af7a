// Charts drawn sharp on any screen and at any zoom, the same way in both sections: the canvas's
// backing store is its CSS size times the device pixel ratio, and the engine scales text, margins
// and lines by that ratio (text stays at least 14 CSS px). Charts are redrawn when the window is
// resized or zoomed, since both change the CSS size or the ratio.

/** The smallest CSS height of a chart, so that narrow screens still leave room for the plot. */
const MIN_HEIGHT = 320;

/** Charts on the page, with what they were drawn from, to redraw on resize or zoom. */
const drawn = new Map();
let pending = false;

/**
 * Draws `spec` with `engine.drawChart` on `canvas`, whose `width` and `height` attributes give its
 * shape (and its size when it is not laid out yet).
 */
export function drawChart(engine, canvas, spec) {
  canvas.dataset.shape ??= `${canvas.width}x${canvas.height}`;
  const [width, height] = canvas.dataset.shape.split('x').map(Number);
  const ratio = Math.max(1, window.devicePixelRatio || 1);
  const cssWidth = canvas.clientWidth || width;
  const cssHeight = Math.max(Math.round((cssWidth * height) / width), MIN_HEIGHT);
  canvas.width = Math.round(cssWidth * ratio);
  canvas.height = Math.round(cssHeight * ratio);
  engine.drawChart(canvas, spec, ratio);
  drawn.set(canvas, { engine, spec });
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
