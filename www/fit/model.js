// Step 3: the model. Presets that mirror the studies, guided choices that write the formula,
// the formula itself (editable), its problems shown at the term, and the check of the data
// against it before fitting. Every control shows the page's one model state (model-state.js).
import { h, count } from '../dom.js';

/** Byte offset in the UTF-8 encoding of `text` -> index in the JavaScript string. */
export function byteToIndex(text, byte) {
  const encoder = new TextEncoder();
  let bytes = 0;
  let i = 0;
  for (const ch of text) {
    if (bytes >= byte) break;
    bytes += encoder.encode(ch).length;
    i += ch.length;
  }
  return i;
}

function select(id, options, value, onChange) {
  const el = h('select', { id }, options.map((o) => h('option', { value: o.value }, o.label)));
  el.value = value;
  el.addEventListener('change', () => onChange(el.value));
  return el;
}

export class ModelBuilder {
  /**
   * @param presets the engine's model presets
   * @param answers the engine's answers to each choice (`formAnswers()`: `families`, `centring`,
   *   `units`, `uses`, each `[{value, label}]`, families with a `hint`)
   * @param handlers onChoices(choices, presetId), onFormula(text), onRewrite(), onFit(),
   *   onBadCells('missing' | 'fix'), onManyLevels(), onZeroInflation(formula or null)
   */
  constructor(root, presets, answers, handlers) {
    this.root = root;
    this.presets = presets;
    this.answers = answers;
    this.handlers = handlers;
    this.controls = {};
  }

  /**
   * Builds the step for the model `state`; `coordinates` (the engine's `{x, y}` of the file, or
   * null) offers the spatial choice.
   */
  render(state, coordinates = null) {
    const { choices } = state;
    const presetButtons = this.presets.map((p) => h('button', {
      type: 'button', class: 'preset', 'data-preset': p.id, 'aria-pressed': String(p.id === state.presetId),
      onclick: () => this.handlers.onChoices({ ...p.choices }, p.id),
    }, h('strong', {}, p.title), h('span', { class: 'hint' }, p.description)));

    const change = (key) => (value) => this.handlers.onChoices({ ...this.choices, [key]: value }, null);
    const families = h('fieldset', { class: 'radios' }, h('legend', {}, 'Distribution of the outcome'),
      this.answers.families.map((f) => {
        const input = h('input', { type: 'radio', name: 'family', id: `family-${f.value}`, value: f.value });
        input.addEventListener('change', () => change('family')(f.value));
        this.controls[`family-${f.value}`] = input;
        return h('div', { class: 'radio' }, input, h('label', { for: `family-${f.value}` }, f.label, h('span', { class: 'hint' }, ` ${f.hint}`)));
      }));
    const checkbox = (key, label) => {
      const input = h('input', { type: 'checkbox', id: `choice-${key}` });
      input.addEventListener('change', () => change(key)(input.checked));
      this.controls[key] = input;
      return h('div', { class: 'check' }, input, h('label', { for: `choice-${key}` }, label));
    };
    const field = (key, label, options) => {
      const el = select(`choice-${key}`, options, choices[key], change(key));
      this.controls[key] = el;
      return h('div', { class: 'field' }, h('label', { for: `choice-${key}` }, label), el);
    };

    this.formula = h('textarea', {
      id: 'formula', rows: 3, spellcheck: 'false', autocomplete: 'off', autocapitalize: 'off',
      'aria-describedby': 'formula-help formula-error',
    });
    this.formula.value = state.formula;
    this.formula.addEventListener('input', () => this.handlers.onFormula(this.formula.value));
    this.edited = h('p', { id: 'formula-edited', class: 'note', hidden: true },
      'You have edited the formula, so the choices above no longer write it and are switched off; the distribution of the outcome still applies. ',
      h('button', { type: 'button', id: 'rewrite', onclick: () => this.handlers.onRewrite() }, 'Write it from the choices again'));
    this.errorBox = h('div', { id: 'formula-error', class: 'error-box', role: 'alert', hidden: true });
    this.meaning = h('div', { id: 'formula-meaning' });
    this.choiceProblem = h('p', { id: 'choice-problem', class: 'warning', role: 'alert', hidden: true });
    this.choiceNote = h('p', { id: 'choice-note', class: 'note', role: 'status', hidden: true });
    this.check = h('div', { id: 'validation', role: 'status', 'aria-live': 'polite' });
    this.modelLine = h('p', { id: 'model-line', class: 'hint' });
    this.fitButton = h('button', { type: 'button', class: 'primary big', id: 'fit-button', onclick: () => this.handlers.onFit() }, 'Fit the model');

    this.writers = [];
    this.root.replaceChildren(
      h('div', { class: 'presets-row', role: 'group', 'aria-label': 'Models from the studies' }, presetButtons),
      this.choiceProblem,
      this.choiceNote,
      h('details', { class: 'choices-box', open: true },
        h('summary', {}, 'Choices'),
        h('div', { class: 'choice-grid' },
          families,
          this.writer(h('fieldset', {}, h('legend', {}, 'Neighbourhood deprivation'),
            field('centring', 'Compare neighbourhoods', this.answers.centring),
            field('unit', 'Social gradient step', this.answers.units))),
          this.writer(h('fieldset', {}, h('legend', {}, 'What may change the social gradient'),
            field('la_deprivation', 'LA deprivation (inverse intervention)', this.answers.uses),
            field('la_unit', 'LA deprivation step', this.answers.units),
            field('gini', 'LA income inequality (Gini)', this.answers.uses),
            field('rural', 'Rural neighbourhoods', this.answers.uses))),
          this.writer(h('fieldset', {}, h('legend', {}, 'Random effects'),
            checkbox('la_intercept', 'Each LA its own rate (LA random intercept)'),
            checkbox('la_slope', 'Each LA its own social gradient (LA random slope)'),
            checkbox('msoa_intercept', 'Each MSOA its own rate (MSOA random intercept, nested in the LA)'),
            this.spatialChoice = h('div', { class: 'spatial-choice', hidden: !coordinates },
              checkbox('spatial', 'Spatial correlation between neighbourhoods'),
              h('p', { class: 'hint', id: 'spatial-hint' }, coordinates
                ? `Nearby neighbourhoods share part of their unexplained variation, less the further apart they are (a field over ${coordinates.x} and ${coordinates.y}, as Webb et al. 2020). Slower to fit.`
                : '')))))),
      h('div', { class: 'field formula-field' },
        h('label', { for: 'formula' }, 'Formula (glmmTMB / lme4 syntax; you can edit it)'),
        this.formula,
        h('p', { id: 'formula-help', class: 'hint' }, 'For example count ~ within(dep / 10, la) + offset(log(pop / 10000)) + (1 | la). within(x, g) compares x with its mean in group g.')),
      this.edited, this.errorBox, this.meaning, this.zeroInflationBox(state), this.check,
      h('p', { class: 'fit-row' }, this.fitButton), this.modelLine);
    this.show(state);
  }

  /**
   * The zero-inflation choice: a second, logistic model of "structural" zeros beside the counts
   * (glmmTMB's `ziformula`), with its formula (`~1` by default). Not written by the choices, so
   * it stays on while the formula is edited.
   */
  zeroInflationBox(state) {
    const zi = state.options.zi;
    this.ziCheck = h('input', { type: 'checkbox', id: 'choice-zi', checked: Boolean(zi) });
    this.ziFormula = h('input', {
      type: 'text', id: 'zi-formula', value: zi || this.ziText || '~1', spellcheck: 'false', autocomplete: 'off',
      autocapitalize: 'off', size: 24, 'aria-describedby': 'zi-hint zi-error',
    });
    this.ziError = h('p', { id: 'zi-error', class: 'error', role: 'alert', hidden: true });
    const changed = () => {
      this.ziText = this.ziFormula.value;
      this.ziFormula.disabled = !this.ziCheck.checked;
      this.showZiError(null);
      this.handlers.onZeroInflation(this.ziCheck.checked ? this.ziFormula.value : null);
    };
    this.ziCheck.addEventListener('change', changed);
    this.ziFormula.addEventListener('input', changed);
    this.ziFormula.disabled = !zi;
    return this.ziBox = h('fieldset', { id: 'zi-box', class: 'zi-box' }, h('legend', {}, 'Zero inflation'),
      h('div', { class: 'check' }, this.ziCheck, h('label', { for: 'choice-zi' }, 'Extra zeros (zero inflation)')),
      h('p', { class: 'hint', id: 'zi-hint' },
        'Some areas may record no cases whatever their rate (a service that records nothing there, say). Zero inflation adds a second model, of the chance that a count is such a "structural" zero, beside the model of the counts, as glmmTMB\'s ziformula does.'),
      h('div', { class: 'field inline' }, h('label', { for: 'zi-formula' }, 'Zero-inflation formula (fixed effects only; ~1: the same chance everywhere)'), this.ziFormula),
      this.ziError);
  }

  /** Shows the zero-inflation choice as `zi` (its formula, or null for none). */
  setZeroInflation(zi) {
    this.ziCheck.checked = Boolean(zi);
    if (zi) this.ziFormula.value = zi;
    this.ziFormula.disabled = !zi;
  }

  /** A problem with the zero-inflation formula, shown under it (`null` hides it). */
  showZiError(message) {
    this.ziError.hidden = !message;
    this.ziError.textContent = message || '';
    if (message) this.ziFormula.setAttribute('aria-invalid', 'true');
    else this.ziFormula.removeAttribute('aria-invalid');
  }

  /** A fieldset of controls that write the formula (switched off while the formula is edited). */
  writer(fieldset) {
    this.writers.push(fieldset);
    return fieldset;
  }

  /** Shows the model `state` in every control: choices, preset, formula, edited or not. */
  show(state) {
    this.setChoices(state.choices, state.edited ? null : state.presetId);
    this.setFormula(state.formula);
    this.edited.hidden = !state.edited;
    for (const f of this.writers) f.disabled = state.edited;
    this.modelLine.textContent = state.formula.trim()
      ? `Fit will use: ${this.answers.families.find((f) => f.value === state.family).label} with the formula above${state.options.zi ? `, and zero inflation ${state.options.zi}` : ''}.`
      : '';
    this.modelLine.dataset.family = state.family;
  }

  /** Why a preset or choice could not be used (`null` hides it). */
  showChoiceProblem(text) {
    this.choiceProblem.hidden = !text;
    this.choiceProblem.textContent = text || '';
  }

  /** Says what a study's model was written without, and why (`null`: nothing left out). */
  showChoiceNote(text) {
    this.choiceNote.hidden = !text;
    this.choiceNote.textContent = text || '';
  }

  /** Shows `choices` in the controls. */
  setChoices(choices, presetId) {
    this.choices = { ...choices };
    for (const f of this.answers.families) this.controls[`family-${f.value}`].checked = choices.family === f.value;
    for (const key of ['centring', 'unit', 'la_unit', 'la_deprivation', 'gini', 'rural']) this.controls[key].value = choices[key];
    for (const key of ['la_intercept', 'la_slope', 'msoa_intercept', 'spatial']) this.controls[key].checked = Boolean(choices[key]);
    for (const b of this.root.querySelectorAll('[data-preset]')) b.setAttribute('aria-pressed', String(b.dataset.preset === presetId));
  }

  /** Replaces the formula text (the user's edits are the caller's to keep). */
  setFormula(text) {
    if (this.formula.value !== text) this.formula.value = text;
  }

  /**
   * Shows a problem with the formula; with a `span` (UTF-8 byte range), the formula is shown
   * with the offending term marked, and a button selects it in the editor.
   */
  showError(message, span = null) {
    if (!message) {
      this.errorBox.hidden = true;
      this.errorBox.replaceChildren();
      this.formula.removeAttribute('aria-invalid');
      return;
    }
    const text = this.formula.value;
    const parts = [h('p', {}, message)];
    if (span) {
      const start = byteToIndex(text, span.start);
      const end = Math.max(start + 1, byteToIndex(text, span.end));
      parts.push(h('pre', { class: 'formula-text', 'aria-hidden': 'true' },
        text.slice(0, start), h('mark', {}, text.slice(start, end) || ' '), text.slice(end)));
      parts.push(h('button', {
        type: 'button', id: 'goto-error',
        onclick: () => { this.formula.focus(); this.formula.setSelectionRange(start, Math.min(end, text.length)); },
      }, 'Select the problem in the formula'));
    }
    this.errorBox.replaceChildren(...parts);
    this.errorBox.hidden = false;
    this.formula.setAttribute('aria-invalid', 'true');
  }

  /** What the guided formula's constants and terms mean (`null` clears it). */
  showMeaning(guided, note = null) {
    if (!guided) {
      this.meaning.replaceChildren(note ? h('p', { class: 'note' }, note) : '');
      return;
    }
    this.meaning.replaceChildren(h('details', { class: 'meaning' },
      h('summary', {}, 'What the formula means'),
      h('ul', {}, guided.terms.map((t) => h('li', {}, h('code', {}, t.term), ': ', t.label))),
      guided.constants.length ? h('p', {}, 'Numbers computed from your data and written into the formula:') : null,
      guided.constants.length ? h('ul', {}, guided.constants.map((c) => h('li', {}, h('code', {}, String(c.value)), `: ${c.description}`))) : null));
  }

  /**
   * The engine's check of the fit request (`readiness`): problems by row, the error the fit
   * would stop with, implausible values, and how many rows the model drops. "Ready" only when
   * the fit can run.
   */
  showCheck(check, badCellsMissing = false) {
    if (!check) {
      this.check.replaceChildren();
      return;
    }
    const v = check.validation;
    const items = [];
    const bad = check.bad_cells || [];
    const cells = bad.reduce((n, b) => n + b.total, 0);
    if (v.problems_total === 0 && !check.fit_error && bad.length && !badCellsMissing) {
      items.push(h('p', { class: 'error', id: 'not-ready' }, `Not ready to fit: ${count(cells)} cell${cells === 1 ? '' : 's'} of the model's columns ${cells === 1 ? 'is' : 'are'} not ${cells === 1 ? 'a number' : 'numbers'}. Treat ${cells === 1 ? 'it' : 'them'} as missing, or fix the file and load it again.`));
    } else if (v.problems_total === 0 && check.fit_error) {
      items.push(h('p', { class: 'error', id: 'not-ready' }, `Not ready to fit: ${check.fit_error.message}.`));
      if (check.fit_error.reason === 'many_levels') {
        items.push(h('p', {}, h('button', { type: 'button', id: 'many-levels', onclick: () => this.handlers.onManyLevels() },
          `Fit '${check.fit_error.term}' as a factor all the same`)));
      }
    } else if (v.problems_total === 0) {
      items.push(h('p', { class: 'ok' }, `Ready to fit: the model can use ${count(v.rows_used)} of the ${count(v.rows_read)} rows.`));
    } else {
      items.push(h('p', { class: 'error' }, `${count(v.problems_total)} problem${v.problems_total === 1 ? '' : 's'} to fix before fitting:`));
      items.push(h('ul', { class: 'problems', id: 'problems' }, v.problems.map((p) => h('li', {}, p.message))));
      if (v.problems.length < v.problems_total) items.push(h('p', { class: 'hint' }, `The first ${v.problems.length} are listed.`));
    }
    if (v.rows_dropped_missing > 0) {
      items.push(h('p', { class: 'warning', id: 'rows-dropped' }, `${count(v.rows_dropped_missing)} row${v.rows_dropped_missing === 1 ? '' : 's'} will be left out because a column the model uses is missing there.`));
    }
    if (bad.length) items.push(this.badCellsBox(bad, cells, badCellsMissing));
    if (check.value_warnings.length) {
      items.push(h('div', { class: 'warning-box', id: 'value-warnings' },
        h('p', {}, 'Values to check before fitting:'),
        h('ul', {}, check.value_warnings.map((w) => h('li', { 'data-column': w.column }, w.message)))));
    }
    // A check that says the same again leaves the page as it is: a keyboard user's focus on one of
    // its buttons stays, and nothing under the reader's eyes is redrawn.
    const shown = this.check.childNodes;
    if (items.length === shown.length && items.every((item, i) => item.isEqualNode(shown[i]))) return;
    this.check.replaceChildren(...items);
  }

  /**
   * The cells of the model's columns that are not numbers, in the engine's words (the command
   * line prints the same), with the choice to treat them as missing or to fix the file.
   */
  badCellsBox(bad, cells, treated) {
    const them = cells === 1 ? 'it' : 'them';
    const choice = treated
      ? h('p', { class: 'note', id: 'bad-cells-treated' }, `Treated as missing: the fit leaves ${cells === 1 ? 'its row' : 'their rows'} out and says so in its warnings. `,
        h('button', { type: 'button', id: 'bad-cells-fix', onclick: () => this.handlers.onBadCells('fix') }, 'Load a fixed file instead'))
      : h('p', { class: 'choices' },
        h('button', { type: 'button', class: 'primary', id: 'bad-cells-missing', onclick: () => this.handlers.onBadCells('missing') }, `Treat ${them} as missing`),
        ' ',
        h('button', { type: 'button', id: 'bad-cells-fix', onclick: () => this.handlers.onBadCells('fix') }, 'Fix the file and load it again'));
    return h('div', { class: 'warning-box', id: 'bad-cells', role: 'note' },
      h('p', {}, `${cells === 1 ? 'A cell' : `${count(cells)} cells`} of the model's columns ${cells === 1 ? 'is' : 'are'} not ${cells === 1 ? 'a number' : 'numbers'}:`),
      h('ul', {}, bad.map((b) => h('li', { 'data-column': b.column }, b.message))),
      h('p', { class: 'hint' }, 'Your column choices and formula are kept either way.'),
      choice);
  }

  setFitting(running) {
    this.fitButton.textContent = running ? 'Fit again with this formula' : 'Fit the model';
  }
}
