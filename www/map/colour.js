// The map's colour scale: a sequential, colour-blind-safe ramp (viridis, reversed so that light
// is low and dark is high) and round tick values for its legend.

/** Viridis at t = 0, 1/8, ..., 1 (matplotlib's table), from dark purple to yellow. */
const VIRIDIS = ['#440154', '#472d7b', '#3b528b', '#2c728e', '#21918c', '#28ae80', '#5ec962', '#addc30', '#fde725'];
const STOPS = VIRIDIS.map((hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16))).reverse();

/** Colour at t in [0, 1] (clamped): linear interpolation in sRGB between the two nearest stops. */
export function colourAt(t) {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(x));
  const f = x - i;
  const rgb = STOPS[i].map((c, k) => Math.round(c + (STOPS[i + 1][k] - c) * f));
  return `#${rgb.map((c) => c.toString(16).padStart(2, '0')).join('')}`;
}

/** The ramp's stops as [offset, colour] pairs, for a legend gradient. */
export function rampStops() {
  return STOPS.map((_, i) => [i / (STOPS.length - 1), colourAt(i / (STOPS.length - 1))]);
}

/**
 * Round values from lo to hi, about `count` of them: the spacing is the 1, 2 or 5 times a power of
 * ten nearest (in ratio) to (hi - lo) / (count - 1).
 */
export function niceTicks(lo, hi, count = 5) {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / Math.max(1, count - 1);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).reduce((a, b) => (Math.abs(Math.log(b / raw)) < Math.abs(Math.log(a / raw)) ? b : a));
  const first = Math.ceil(lo / step - 1e-9);
  const ticks = [];
  for (let k = first; k * step <= hi + step * 1e-9; k++) ticks.push(Number((k * step).toFixed(12)));
  return ticks;
}

/**
 * A linear scale over the finite values: t = (v - min) / (max - min), and its legend ticks. With a
 * single distinct value every area takes the middle colour.
 */
export function scaleFor(values) {
  const finite = values.filter(Number.isFinite);
  const lo = finite.length ? Math.min(...finite) : 0;
  const hi = finite.length ? Math.max(...finite) : 1;
  const t = (v) => (hi > lo ? (v - lo) / (hi - lo) : 0.5);
  return { lo, hi, t, colour: (v) => colourAt(t(v)), ticks: niceTicks(lo, hi, 5) };
}
