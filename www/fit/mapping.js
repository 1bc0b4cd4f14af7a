// Step 2: what is in the file (first rows, one summary per column) and which column plays which
// role in the model. Roles are guessed by the engine and can be changed; LA-level deprivation can
// be derived from neighbourhood deprivation.
import { h, fmt, count, afterNextPaint } from '../dom.js';
import { table } from '../tables.js';
import { PREVIEW_COLUMNS, SHOWN_COLUMNS, shorten } from './shown.js';

/** The select value that derives LA-level deprivation. */
export const DERIVE = '__derive__';

export class Mapping {
  /**
   * `roles`: the engine's roles in the order the form shows them (`[{key, label, hint,
   * required}]`); `onChange(roles, laDeprivationMode)` is called whenever a choice changes.
   */
  constructor(root, roles, { onChange }) {
    this.root = root;
    this.roles = roles;
    this.onChange = onChange;
    this.selects = {};
  }

  /** Shows a file's overview with the current roles. */
  render(overview, roles, deriveLa) {
    this.overview = overview;
    const names = overview.columns.map((c) => c.name);
    const preview = overview.preview;
    const ofAll = (n) => (n < names.length ? ` (the first ${n} of ${count(names.length)} columns)` : '');
    const shown = Math.min(names.length, SHOWN_COLUMNS);
    const previewed = Math.min(names.length, PREVIEW_COLUMNS);
    const previewRows = preview.rows.map((r, i) => [String(preview.row_numbers[i]), ...r.slice(0, previewed).map((c) => (c === null ? '(missing)' : c))]);
    const summaryRows = overview.columns.slice(0, shown).map((c) => [
      shorten(c.name),
      c.kind === 'number' ? (c.whole_non_negative ? 'whole numbers' : 'numbers') : 'text',
      count(c.missing),
      c.min === null ? '–' : fmt(c.min, Number.isInteger(c.min) ? 0 : 2),
      c.max === null ? '–' : fmt(c.max, Number.isInteger(c.max) ? 0 : 2),
      `${count(c.distinct)}${c.distinct_capped ? '+' : ''}`,
      shorten(c.examples.join(', ')),
    ]);

    // Every select offers every column. The options are made once and copied (a native copy);
    // for a file wider than SHOWN_COLUMNS, a select holds only its chosen column until it is
    // first used, so that thousands of options are not laid out eight times while the file loads.
    let columnOptions = null;
    const allOptions = () => {
      if (!columnOptions) {
        columnOptions = document.createDocumentFragment();
        for (const name of names) columnOptions.append(h('option', { value: name }, shorten(name)));
      }
      return columnOptions.cloneNode(true);
    };
    const lazy = names.length > SHOWN_COLUMNS;
    const fields = this.roles.map((role) => {
      const id = `role-${role.key}`;
      const options = [h('option', { value: '' }, role.required ? '— choose a column —' : '— not in this file —')];
      if (role.key === 'la_deprivation') {
        options.push(h('option', { value: DERIVE }, 'Derive: population-weighted mean of neighbourhood deprivation in each LA'));
      }
      const fixed = options.length;
      const chosen = roles[role.key];
      if (!lazy) options.push(allOptions());
      else if (chosen) options.push(h('option', { value: chosen }, shorten(chosen)));
      const select = h('select', { id, 'aria-describedby': `${id}-hint` }, options);
      if (lazy) {
        let filled = false;
        const fill = () => {
          if (filled) return;
          filled = true;
          const value = select.value;
          while (select.options.length > fixed) select.remove(fixed);
          select.append(allOptions());
          select.value = value;
        };
        for (const type of ['focus', 'pointerdown', 'keydown']) select.addEventListener(type, fill);
      }
      select.value = role.key === 'la_deprivation' && deriveLa ? DERIVE : roles[role.key] || '';
      select.addEventListener('change', () => this.changed());
      this.selects[role.key] = select;
      return h('div', { class: 'field' },
        h('label', { for: id }, role.label, role.required ? h('span', { class: 'unit' }, ' (needed)') : null),
        select,
        h('p', { class: 'hint', id: `${id}-hint` }, role.hint));
    });

    const previewBox = h('div', { class: 'table-scroll' });
    const summaryBox = h('div', { class: 'table-scroll' });
    this.root.replaceChildren(
      h('p', {}, `${count(overview.rows)} rows and ${names.length} columns.`),
      h('details', { class: 'preview', open: true },
        h('summary', {}, `First ${preview.rows.length} rows${ofAll(previewed)}`), previewBox),
      h('details', { class: 'preview', open: true },
        h('summary', { id: 'column-summary-title' }, `Summary of each column${ofAll(shown)}`), summaryBox),
      h('fieldset', { class: 'roles' }, h('legend', {}, 'What each column holds'), h('div', { class: 'role-grid' }, fields)),
      this.deriveNote = h('p', { id: 'derive-note', role: 'status', class: 'hint' }));
    // The two tables (up to 200 rows) are built after the choices are on screen, each in a task
    // of its own, so that the page answers input while a wide file's overview is shown.
    const later = (fill) => afterNextPaint(() => {
      if (this.overview === overview) fill();
    });
    later(() => previewBox.append(table('First rows of the file (row numbers count data rows, the header excluded)',
      ['Row', ...preview.names.slice(0, previewed).map(shorten)], previewRows)));
    later(() => summaryBox.append(table('Column summaries',
      ['Column', 'Type', 'Missing', 'Smallest', 'Largest', 'Distinct values', 'Examples'], summaryRows)));
  }

  /** The roles chosen, and whether LA-level deprivation is to be derived. */
  read() {
    const roles = {};
    for (const role of this.roles) roles[role.key] = this.selects[role.key].value || null;
    const derive = roles.la_deprivation === DERIVE;
    if (derive) roles.la_deprivation = null;
    return { roles, derive };
  }

  changed() {
    const { roles, derive } = this.read();
    this.onChange(roles, derive);
  }

  /** Says what the derived column is (or why it cannot be made). */
  setDeriveNote(text) {
    if (this.deriveNote) this.deriveNote.textContent = text || '';
  }
}
