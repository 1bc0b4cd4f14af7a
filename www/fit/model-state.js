// The model the page fits, held in one place: the formula, the family, the guided choices that
// wrote the formula (or the fact that the user edited it) and the fitting options. The presets,
// the choice controls, the formula editor, the "Ready" check, the fit request and the results
// header all read this object, and only the fitting workflow (app.js) changes it, so what is
// shown is always what is fitted.

/** True when two choice objects are the same. */
export function sameChoices(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

export class ModelState {
  /** `choices`: the guided choices (with `family`); `presetId`: the preset they match, or null. */
  constructor(choices, presetId) {
    this.choices = { ...choices };
    this.presetId = presetId;
    this.formula = '';
    this.guided = null; // the engine's guided model that wrote `formula` (kept when it is edited), or null
    this.edited = false; // the user has typed the formula: the choices no longer write it
    this.options = {}; // fitting options beyond formula and family (many_levels: a many-level factor confirmed)
  }

  get family() {
    return this.choices.family;
  }

  /** The fit request this state stands for. */
  request() {
    return { formula: this.formula, family: this.family, ...this.options };
  }

  /** A key that changes whenever the request does. */
  key() {
    return JSON.stringify(this.request());
  }

  /** The formula the engine wrote from `choices` (`guided`), replacing any edit. */
  written(choices, presetId, guided) {
    this.choices = { ...choices };
    this.presetId = presetId;
    this.guided = guided;
    this.formula = guided.formula;
    this.edited = false;
  }

  /** The choices could not write a formula for this file: no formula until they can. */
  unwritten() {
    this.guided = null;
    this.formula = '';
    this.edited = false;
  }

  /** The user typed `text` in the formula editor. */
  typed(text) {
    this.formula = text;
    if (!this.guided || text !== this.guided.formula) this.edited = true;
  }
}
