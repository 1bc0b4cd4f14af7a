// Small DOM helpers: build elements without innerHTML, so no engine or user text is ever parsed
// as markup.

/** `h('p', {class: 'x'}, 'text', child)` creates an element with attributes and children. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (value === true) el.setAttribute(key, '');
    else el.setAttribute(key, String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/**
 * Runs `fn` in a task of its own once the next frame is painted: for work that can follow what is
 * on screen now (and `await new Promise(afterNextPaint)` waits for that moment).
 */
export function afterNextPaint(fn) {
  requestAnimationFrame(() => setTimeout(fn, 0));
}

/** Format a number with a fixed number of decimals, or an en dash when missing. */
export function fmt(x, digits = 2) {
  return typeof x === 'number' && Number.isFinite(x) ? x.toFixed(digits) : '–';
}

let counts = null;

/**
 * A count in the page's English (en-GB) form, "12,345", from one formatter made when first needed
 * (`toLocaleString` makes a formatter per call: slow for a table of hundreds of counts).
 */
export function count(n) {
  counts ??= new Intl.NumberFormat('en-GB');
  return counts.format(n);
}

/** A `<table>` from a caption, header cells and rows of cells. */
export function dataTable(caption, header, rows) {
  return h('table', { class: 'data' },
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, header.map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, rows.map((r) => h('tr', {}, r.map((c, i) => (i === 0 ? h('th', { scope: 'row' }, c) : h('td', {}, c)))))));
}
