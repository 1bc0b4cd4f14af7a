// Data tables whose text columns are left-aligned and number columns right-aligned, and the box
// that scrolls a wide one sideways.
import { dataTable, h } from './dom.js';

/** Numbers, intervals ("1.2 to 3.4"), p-values ("< 0.001") and dashes count as numbers. */
const NUMBER = /^\s*(<\s*)?[-−+]?[\d.,]+(e[-+]?\d+)?%?(\s+to\s+[-−+]?[\d.,]+(e[-+]?\d+)?)?\s*$|^\s*–?\s*$/;

/** `dataTable` with a `text` class on the cells (and header) of columns holding words. */
export function table(caption, header, rows, id = null) {
  const t = dataTable(caption, header, rows);
  if (id) t.id = id;
  const textColumn = header.map((_, j) => rows.some((r) => !NUMBER.test(String(r[j] ?? ''))));
  for (const tr of t.querySelectorAll('tr')) {
    [...tr.children].forEach((cell, j) => {
      if (textColumn[j]) cell.classList.add('text');
    });
  }
  return t;
}

/**
 * A box that scrolls `table` sideways on a narrow screen: a region named by the table's caption
 * that the keyboard can reach (Tab, then the arrow keys), as a scrolling area must be.
 */
export function scrollBox(table, label = table.querySelector('caption')?.textContent || 'Table') {
  return h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': label }, table);
}
