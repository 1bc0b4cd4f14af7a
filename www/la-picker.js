// Type-ahead picker of the 151 English upper-tier local authorities (an ARIA 1.2 combobox with a
// listbox popup). Matching uses the engine's name normalisation, so case, "&"/"and",
// punctuation and "City of" word order do not matter; codes (E06000009) match too.
import { h } from './dom.js';

const MAX_OPTIONS = 8;

let nextId = 0;

/** Rank an LA for a normalised query: 0 name starts with it, 1 a word does, 2 contains it. */
function rank(la, q, code) {
  if (code && la.la_code.startsWith(code)) return 0;
  const key = la.search_key;
  const core = key.replace(/^(city|county) of /, '');
  if (core.startsWith(q) || key.startsWith(q)) return 0;
  if ((' ' + key).includes(' ' + q)) return 1;
  if (key.includes(q)) return 2;
  return null;
}

export class LaPicker {
  /**
   * @param engine the engine (for `normaliseName`)
   * @param las gives the list from `engine.las()` (asked for when the user first types)
   * @param options `{ label, onPick(la|null), id }`
   */
  constructor(engine, las, { label, onPick, id }) {
    this.engine = engine;
    this.las = las;
    this.onPick = onPick;
    this.id = id || `la-picker-${nextId++}`;
    this.matches = [];
    this.active = -1;
    this.input = h('input', {
      type: 'text', id: this.id, role: 'combobox', autocomplete: 'off', spellcheck: 'false',
      'aria-autocomplete': 'list', 'aria-expanded': 'false', 'aria-controls': `${this.id}-list`,
      'aria-describedby': `${this.id}-help`, placeholder: 'Type a name, e.g. Leeds or Hull',
    });
    this.list = h('ul', { id: `${this.id}-list`, role: 'listbox', class: 'la-options', hidden: true, 'aria-label': 'Matching local authorities' });
    this.clear = h('button', { type: 'button', class: 'la-clear', 'data-testid': `${this.id}-clear` }, 'England average');
    this.help = h('p', { id: `${this.id}-help`, class: 'hint' }, 'One of the 151 English upper-tier (children\'s services) local authorities, by name or code.');
    this.element = h('div', { class: 'la-picker' },
      h('label', { for: this.id }, label),
      h('div', { class: 'la-input-row' }, h('div', { class: 'la-combo' }, this.input, this.list), this.clear),
      this.help);
    this.input.addEventListener('input', () => this.search());
    this.input.addEventListener('keydown', (e) => this.key(e));
    this.input.addEventListener('focus', () => { if (this.input.value && !this.current) this.search(); });
    this.input.addEventListener('blur', () => setTimeout(() => this.close(), 150));
    this.clear.addEventListener('click', () => { this.show(null); this.onPick(null); });
  }

  /** Show the chosen LA (or none) without announcing a pick. */
  show(la) {
    this.current = la;
    this.input.value = la ? la.la_name : '';
    this.clear.hidden = !la;
    this.close();
  }

  search() {
    const text = this.input.value;
    const q = this.engine.normaliseName(text);
    const code = /^e\d/i.test(text.trim()) ? text.trim().toUpperCase() : '';
    this.current = null;
    if (!q) {
      this.close();
      return;
    }
    this.matches = this.las()
      .map((la) => ({ la, r: rank(la, q, code) }))
      .filter((m) => m.r !== null)
      .sort((a, b) => a.r - b.r || a.la.la_name.localeCompare(b.la.la_name))
      .slice(0, MAX_OPTIONS)
      .map((m) => m.la);
    this.active = this.matches.length ? 0 : -1;
    this.render();
  }

  render() {
    this.list.replaceChildren(...(this.matches.length
      ? this.matches.map((la, i) => {
        const option = h('li', { role: 'option', id: `${this.id}-opt-${i}`, 'aria-selected': String(i === this.active), 'data-code': la.la_code },
          la.la_name, h('span', { class: 'la-code' }, ` ${la.la_code}`));
        option.addEventListener('mousedown', (e) => e.preventDefault());
        option.addEventListener('click', () => this.pick(la));
        return option;
      })
      : [h('li', { class: 'la-none', role: 'presentation' }, 'No local authority matches. Try part of the name, e.g. “Kingston” or “Tyne”.')]));
    this.list.hidden = false;
    this.input.setAttribute('aria-expanded', 'true');
    if (this.active >= 0) this.input.setAttribute('aria-activedescendant', `${this.id}-opt-${this.active}`);
    else this.input.removeAttribute('aria-activedescendant');
  }

  close() {
    this.list.hidden = true;
    this.input.setAttribute('aria-expanded', 'false');
    this.input.removeAttribute('aria-activedescendant');
  }

  key(e) {
    const open = !this.list.hidden && this.matches.length;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      if (!open) { this.search(); e.preventDefault(); return; }
      const n = this.matches.length;
      this.active = (this.active + (e.key === 'ArrowDown' ? 1 : n - 1)) % n;
      this.render();
      e.preventDefault();
    } else if (e.key === 'Enter') {
      if (open && this.active >= 0) {
        this.pick(this.matches[this.active]);
        e.preventDefault();
      }
    } else if (e.key === 'Escape') {
      this.close();
    }
  }

  pick(la) {
    this.show(la);
    this.onPick(la);
  }
}
