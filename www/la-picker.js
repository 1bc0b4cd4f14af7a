// Type-ahead picker of the 151 English upper-tier local authorities (an ARIA 1.2 combobox with a
// listbox popup). The engine does the matching (`searchLas`): case, "&"/"and", punctuation and
// "City of" word order do not matter; codes (E06000009) match; names and codes of authorities
// created since April 2019 ("Cumberland", "BCP") lead to the 2019 authority that held them, with
// a note; and a typo or two is forgiven ("Birmingam").
import { h } from './dom.js';

const MAX_OPTIONS = 8;

let nextId = 0;

export class LaPicker {
  /**
   * @param engine the engine (`searchLas`, `las`)
   * @param options `{ label, id, onPick(la|null, hit), onNoMatch(text|null) }`: `onNoMatch` hears
   *   a text that matches no LA (the answer on screen is still the previous LA's), and null once
   *   the text matches again or is cleared.
   */
  constructor(engine, { label, onPick, onNoMatch = () => {}, id }) {
    this.engine = engine;
    this.onPick = onPick;
    this.onNoMatch = onNoMatch;
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
    // A listbox holds options only: "no match" is a status line of its own.
    this.none = h('p', { class: 'la-none', role: 'status', 'data-testid': `${this.id}-none`, hidden: true }, 'No local authority matches. Try part of the name, e.g. “Kingston” or “Tyne”.');
    this.help = h('p', { id: `${this.id}-help`, class: 'hint' }, 'One of the 151 English upper-tier (children\'s services) local authorities of 2019, by name or code; newer names such as Cumberland lead to the 2019 authority.');
    this.element = h('div', { class: 'la-picker' },
      h('label', { for: this.id }, label),
      h('div', { class: 'la-input-row' }, h('div', { class: 'la-combo' }, this.input, this.list), this.clear),
      this.none,
      this.help);
    this.input.addEventListener('input', () => this.search());
    this.input.addEventListener('keydown', (e) => this.key(e));
    this.input.addEventListener('focus', () => { if (this.input.value && !this.current) this.search(); });
    this.input.addEventListener('blur', () => setTimeout(() => this.close(), 150));
    this.clear.addEventListener('click', () => { this.show(null); this.onNoMatch(null); this.onPick(null, null); });
  }

  /** Show the chosen LA (or none) without announcing a pick. */
  show(la) {
    this.current = la;
    this.none.hidden = true;
    this.input.value = la ? la.la_name : '';
    this.clear.hidden = !la;
    this.close();
  }

  search() {
    const text = this.input.value;
    this.current = null;
    if (!text.trim()) {
      this.matches = [];
      this.none.hidden = true;
      this.onNoMatch(null);
      this.close();
      return;
    }
    this.matches = this.engine.searchLas(text, MAX_OPTIONS);
    this.onNoMatch(this.matches.length ? null : text.trim());
    this.active = this.matches.length ? 0 : -1;
    this.render();
  }

  render() {
    this.none.hidden = this.matches.length > 0;
    if (!this.matches.length) {
      this.list.replaceChildren();
      this.close();
      return;
    }
    this.list.replaceChildren(...(this.matches.length
      ? this.matches.map((hit, i) => {
        const label = hit.alias_name
          ? [hit.alias_name, h('span', { class: 'la-code' }, ` → ${hit.display_name} (the 2019 authority)`)]
          : [hit.la_name, h('span', { class: 'la-code' }, ` ${hit.la_code}`)];
        const option = h('li', { role: 'option', id: `${this.id}-opt-${i}`, 'aria-selected': String(i === this.active), 'data-code': hit.la_code, 'data-match': hit.matched }, ...label);
        option.addEventListener('mousedown', (e) => e.preventDefault());
        option.addEventListener('click', () => this.pick(hit));
        return option;
      })
      : []));
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

  /** Chooses the LA of a search hit (an alias's hit chooses the 2019 authority, keeping the hit for its note). */
  pick(hit) {
    const la = this.engine.las().find((x) => x.la_code === hit.la_code);
    if (!la) return;
    this.show(la);
    this.onNoMatch(null);
    this.onPick(la, hit);
  }
}
