// Names the points of a chart on hover and on focus. A layer over the canvas holds one small
// option per named point, placed from the frame the engine returns each time the chart is drawn
// (so it follows resizing and zoom). The layer is a listbox with a single tab stop: the arrow keys
// move from point to point along the horizontal axis, Home and End go to the ends, Enter chooses
// the point's local authority in the calculator. The pointer or the keyboard on a point shows a
// tooltip with its name and values, and screen readers hear the same as the option's label.
import { h } from '../dom.js';

/** Pixel position of data point (x, y) in the frame `{plot: [l, t, r, b], x: [x0, x1], y: [y0, y1]}`. */
export function pixel(frame, x, y) {
  const [left, top, right, bottom] = frame.plot;
  return [
    left + ((x - frame.x[0]) / (frame.x[1] - frame.x[0])) * (right - left),
    bottom - ((y - frame.y[0]) / (frame.y[1] - frame.y[0])) * (bottom - top),
  ];
}

/**
 * Adds the layer to `figure` (a chart figure whose canvas is drawn later). `points` are
 * `{x, y, code, name}`; `describe(point)` gives a point's words; `chosen` is the code of the point
 * that takes the tab stop first; `label` names the listbox.
 */
export function namePoints(figure, points, { describe, chosen = null, label }) {
  const canvas = figure.querySelector('canvas');
  if (!canvas || !points.length) return;
  const ordered = [...points].sort((a, b) => a.x - b.x || a.y - b.y);
  const wrap = h('div', { class: 'chart-canvas' });
  canvas.replaceWith(wrap);
  const tooltip = h('div', { class: 'chart-tooltip', hidden: true, 'aria-hidden': 'true' });
  const layer = h('div', { class: 'chart-points', role: 'listbox', 'aria-label': label });
  const options = ordered.map((p) => {
    const option = h('span', { class: 'chart-point', role: 'option', tabindex: '-1', 'aria-selected': 'false', 'data-code': p.code, 'aria-label': describe(p) });
    option.point = p;
    return option;
  });
  layer.append(...options);
  wrap.append(canvas, layer, tooltip);
  let stop = options.find((o) => o.point.code === chosen) || options[0];
  const setStop = (option) => {
    for (const o of options) o.tabIndex = o === option ? 0 : -1;
    stop = option;
  };
  setStop(stop);
  const show = (option) => {
    tooltip.textContent = describe(option.point);
    tooltip.hidden = false;
    const x = parseFloat(option.style.left);
    const y = parseFloat(option.style.top);
    const width = wrap.clientWidth;
    tooltip.style.left = `${Math.max(0, Math.min(x + 12, width - tooltip.offsetWidth))}px`;
    tooltip.style.top = `${Math.max(0, y - tooltip.offsetHeight - 12)}px`;
  };
  const hide = () => { tooltip.hidden = true; };
  const place = (frame) => {
    if (!frame || !frame.plot) return;
    for (const o of options) {
      const [x, y] = pixel(frame, o.point.x, o.point.y);
      o.style.left = `${x}px`;
      o.style.top = `${y}px`;
    }
  };
  canvas.addEventListener('chart:drawn', (e) => place(e.detail));
  for (const o of options) {
    o.addEventListener('pointerenter', () => show(o));
    o.addEventListener('pointerleave', () => { if (document.activeElement !== o) hide(); });
    o.addEventListener('focus', () => {
      setStop(o);
      for (const other of options) other.setAttribute('aria-selected', String(other === o));
      show(o);
    });
    o.addEventListener('blur', hide);
    o.addEventListener('click', () => o.focus());
  }
  layer.addEventListener('keydown', (e) => {
    const i = options.indexOf(document.activeElement);
    if (i < 0) return;
    let next = null;
    if (e.key === 'ArrowRight' || e.key === 'ArrowDown') next = options[Math.min(i + 1, options.length - 1)];
    else if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') next = options[Math.max(i - 1, 0)];
    else if (e.key === 'Home') next = options[0];
    else if (e.key === 'End') next = options[options.length - 1];
    else if (e.key === 'Escape') hide();
    else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      document.dispatchEvent(new CustomEvent('calculator:pick-la', { detail: { code: options[i].point.code } }));
      return;
    }
    if (next) {
      e.preventDefault();
      next.focus();
    }
  });
}

/** The named points of a pointed chart (`{view, labels}` from the engine): `{x, y, code, name}`. */
export function chartPoints(pointed) {
  return pointed.view.spec.series.flatMap((s, k) => (pointed.labels[k] || []).map((label, i) => ({
    x: s.points[i][0], y: s.points[i][1], code: label.code, name: label.name, shown: label.shown,
  })));
}

/**
 * A chart's shape `[width, height]`: `wide` on a screen of more than 600 CSS pixels, else the
 * taller `narrow`, so that on a phone the plot keeps its height under the legend and titles.
 */
export function chartSize(wide, narrow = [400, 560]) {
  return window.matchMedia('(max-width: 600px)').matches ? narrow : wide;
}
