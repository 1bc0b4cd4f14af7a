// The fitting workflow: load -> map columns -> build the model -> results. The page keeps the
// file's bytes and every choice; two workers do the engine's work: one for quick tasks (reading,
// checking formulas), one for fits and comparisons, so that checks stay instant while a model
// fits and a fit can be cancelled by stopping its worker. The file is read once, by the quick
// worker; the fitting worker is given the data it read (columns as typed arrays), not the file,
// and checks the formula when it is free, so that the formula found ready is the one it fits.
import { count } from '../dom.js';
import { EngineWorker, Cancelled, EngineError } from './engine.js';
import { fetchEnglandTables } from './england.js';
import { leftOut, leftOutWords } from './left-out.js';
import { Loader } from './loader.js';
import { Mapping } from './mapping.js';
import { ModelBuilder } from './model.js';
import { ModelState, sameChoices } from './model-state.js';
import { Results } from './results.js';
import { dataBuffers } from './session-data.js';

const PREVIEW_ROWS = 8;

/**
 * How long reading a file may take before the worker is stopped: 15 s plus 1 s per MB (a
 * national file of 3 MB reads in well under a second).
 */
export function readTimeout(bytes) {
  return 15_000 + (1000 * bytes) / (1024 * 1024);
}

export class FitApp {
  /** `engine`: the page's own wasm module (chart drawing); `root`: the #fit section. */
  constructor(engine, root) {
    this.engine = engine;
    this.root = root;
    this.data = null; // { name, bytes, token, sample, overview }
    this.tokens = 0;
    this.roles = {};
    this.chosen = null; // the mapping as the user last set it: { roles, derive }
    this.deriveLa = false;
    this.derived = null; // the derivation applied to the data, or null
    this.state = null; // the model: formula, family, choices, options (model-state.js)
    this.guideSerial = 0;
    this.checkTimer = null;
    this.checkSerial = 0;
    this.fitSerial = 0;
    this.job = null; // the fit, profile, check or comparison running in the fitting worker
    this.reading = null; // the file being read in the quick worker: { name, cancel }
    this.waiting = []; // what to do with the loader once it is ready (a file dropped early)
  }

  /** Runs `task(loader)` now if the loader is shown, else as soon as it is. */
  whenReady(task) {
    if (this.loader) task(this.loader);
    else this.waiting.push(task);
  }

  async start() {
    const status = this.root.querySelector('#fit-status');
    status.textContent = 'Loading the fitting engine…';
    const onBytes = (received) => {
      status.textContent = `Loading the fitting engine: ${(received / 1024 / 1024).toFixed(1)} MB received…`;
    };
    this.quick = new EngineWorker(onBytes);
    this.fitter = new EngineWorker(onBytes);
    let samples;
    try {
      [samples, this.presets, this.answers] = await Promise.all(
        [this.quick.call('samples'), this.quick.call('presets'), this.quick.call('answers')]);
    } catch (e) {
      status.textContent = `The fitting engine could not start: ${e.message}.`;
      status.classList.add('error');
      return;
    }
    status.hidden = true;
    this.state = new ModelState(this.presets[0].choices, this.presets[0].id);
    this.samples = samples;
    this.loader = new Loader(this.root.querySelector('#loader'), samples, {
      onFile: (name, bytes) => this.load(name, bytes, null),
      onSample: (id) => this.loadSample(id),
    });
    this.loader.render();
    this.mapping = new Mapping(this.root.querySelector('#mapping'), this.answers.roles, { onChange: (roles, derive) => this.rolesChanged(roles, derive) });
    this.model = new ModelBuilder(this.root.querySelector('#model'), this.presets, this.answers, {
      onChoices: (choices, presetId) => this.choicesChanged(choices, presetId),
      onFormula: (text) => this.formulaTyped(text),
      onRewrite: () => this.writeFormula({ rewrite: true }),
      onFit: () => this.fit(),
      onBadCells: (choice) => this.badCells(choice),
      onManyLevels: () => {
        this.state.options.many_levels = true;
        this.scheduleCheck(0);
      },
      onZeroInflation: (zi) => this.zeroInflation(zi),
    });
    this.results = new Results(this.root.querySelector('#fit-results'), this.engine, this.answers, {
      onCancel: () => this.cancel(),
      onStop: () => this.stopJob(),
      onCompare: () => this.compare(),
      onCheck: () => this.checkModel(),
      onRanef: () => this.randomEffects(),
      onGradientTerm: (term) => this.changeGradientTerm(term),
      onProfile: () => this.profile(),
      onPredict: (request) => this.predict(request),
      onCompareModels: (second) => this.compareModels(second),
      onRefitZeroInflated: () => {
        this.model.setZeroInflation(this.state.options.zi || this.model.ziFormula.value.trim() || '~1');
        this.zeroInflation(this.model.ziFormula.value);
        this.fit();
      },
    });
    this.root.querySelector('#fit-app').hidden = false;
    this.root.dataset.ready = 'true';
    for (const task of this.waiting.splice(0)) task(this.loader);
  }

  step(id, visible) {
    this.root.querySelector(`#${id}`).hidden = !visible;
  }

  // --- Data ---------------------------------------------------------------------------------

  /** The data version a worker must hold: the file and the derivation applied to it. */
  version() {
    return this.data ? `${this.data.token}|${this.derived ? JSON.stringify(this.derived) : ''}` : null;
  }

  /**
   * Makes `worker` hold the current file and derived columns: the quick worker reads the file's
   * bytes (after a restart); the fitting worker is given the quick worker's data, read once.
   */
  async ensure(worker) {
    const want = this.version();
    if (worker.loadedToken === want) return;
    if (worker.loading && worker.loading.version === want) return worker.loading.promise;
    const promise = (async () => {
      if (worker === this.fitter) {
        await this.ensure(this.quick);
        const data = await this.quick.call('exportData');
        await worker.call('importData', { data }, null, dataBuffers(data));
      } else {
        const bytes = this.data.bytes.slice(0);
        await worker.call('load', { bytes, previewRows: PREVIEW_ROWS }, null, [bytes]);
        if (this.derived) await worker.call('derive', { request: this.derived });
      }
      worker.loadedToken = want;
    })();
    worker.loading = { version: want, promise };
    try {
      await promise;
    } finally {
      if (worker.loading && worker.loading.promise === promise) worker.loading = null;
    }
  }

  /**
   * Makes a sample in the quick worker, which reads it there at once (its overview comes with
   * its CSV's bytes), then loads it as a file.
   */
  async loadSample(id) {
    this.loader.showError(null);
    const entry = this.samples.find((s) => s.id === id);
    const previewRows = PREVIEW_ROWS;
    try {
      let made;
      if (entry && entry.realPlaces) {
        const { lsoas, las, centroids } = await fetchEnglandTables((text) => this.loader.setStatus(text));
        this.loader.setStatus('Simulating referrals for 32,844 real neighbourhoods, with a spatial field…');
        made = await this.quick.call('englandSample', { lsoas, las, centroids, previewRows }, null, [lsoas, las, centroids]);
      } else if (entry && entry.realCounts) {
        // The LA-by-year panel of DfE's real counts (src/samples/la_panel.rs): nothing simulated.
        made = await this.quick.call('laPanelSample', { previewRows });
      } else {
        this.loader.setStatus('Simulating the sample…');
        made = await this.quick.call('sample', { sampleId: id, previewRows });
      }
      await this.load(made.sample.file_name, made.bytes.buffer, made.sample, made.overview);
    } catch (e) {
      this.loader.showError(`The sample could not be made: ${e.message}.`);
    }
  }

  /**
   * Reads a file in the quick worker, which a Cancel button or the time limit (`readTimeout`)
   * stops and restarts; a new file stops the reading of the one before. Resolves with the
   * overview, or rejects with `Cancelled` (with `timedOut` when the time ran out).
   */
  async read(name, bytes) {
    if (this.reading) this.reading.cancel();
    const reading = { name };
    this.reading = reading;
    let timedOut = false;
    const stop = () => {
      if (this.reading !== reading) return;
      this.reading = null;
      this.quick.restart(); // the fresh worker is given the page's data again when next needed
    };
    reading.cancel = stop;
    const timer = setTimeout(() => {
      timedOut = true;
      stop();
    }, readTimeout(bytes.byteLength));
    this.loader.showReading(name, stop);
    try {
      const copy = bytes.slice(0);
      return await this.quick.call('load', { bytes: copy, previewRows: PREVIEW_ROWS }, null, [copy]);
    } catch (e) {
      if (timedOut) e.timedOut = true;
      throw e;
    } finally {
      clearTimeout(timer);
      if (this.reading === reading) this.reading = null;
      if (!this.reading) this.loader.showReading(null);
    }
  }

  /**
   * Reads a file; a file that cannot be read (or whose reading stops) leaves everything as it was.
   * `read`: the overview of a sample the quick worker has made and read already (it is taken
   * there as the loaded file, or read again if that worker was restarted meanwhile).
   */
  async load(name, bytes, sample, read = null) {
    this.loader.showError(null);
    const previous = this.data;
    let overview;
    try {
      overview = read ? await this.quick.call('adoptSample').then(() => read, () => this.read(name, bytes)) : await this.read(name, bytes);
    } catch (e) {
      if (e instanceof Cancelled && !e.timedOut && this.reading) return; // replaced by a newer file
      const kept = previous ? ` The page still holds ${previous.name}; your column choices and formula are kept.` : '';
      this.loader.setStatus('');
      this.loader.showWarnings([]);
      if (e instanceof Cancelled && e.timedOut) {
        this.loader.showError(`${name} could not be read in ${Math.round(readTimeout(bytes.byteLength) / 1000)} seconds, so reading it was stopped: check that it is a CSV file with one row per neighbourhood and a header row of column names.${kept}`);
      } else if (e instanceof Cancelled) {
        this.loader.setStatus(`Reading ${name} was cancelled.${kept}`);
      } else {
        this.loader.showError(`${name} cannot be used: ${e.message}.${kept}`);
      }
      // A worker that failed to read kept its previous session; a stopped one is given it again.
      return;
    }
    if (this.fitter.busy) this.fitter.restart(); // a new file replaces a running fit or load
    this.data = { name, bytes, token: ++this.tokens, sample, overview };
    this.derived = null;
    this.quick.loadedToken = this.version();
    this.root.dataset.file = name;
    this.loader.setStatus(`Loaded ${name}: ${count(overview.rows)} rows, ${overview.columns.length} columns.`);
    this.loader.showSample(sample);
    this.loader.showWarnings(overview.warnings);
    this.results.clear();
    this.step('step-results', false);

    // Keep the roles the user set where the new file has the column; guess the others. A sample
    // comes with its own roles (and leaves the user's choices for their next file).
    const names = new Set(overview.columns.map((c) => c.name));
    const guessed = sample ? sample.roles : overview.roles;
    const mine = !sample && this.chosen ? this.chosen.roles : {};
    const roles = {};
    for (const { key } of this.answers.roles) {
      roles[key] = mine[key] && names.has(mine[key]) ? mine[key] : guessed[key] || null;
    }
    let deriveWanted = sample ? Boolean(sample.derive) : !roles.la_deprivation;
    // The user's choice: derive; or a column, derived instead when the new file lacks it; or none.
    if (!sample && this.chosen) deriveWanted = this.chosen.derive || (!roles.la_deprivation && Boolean(mine.la_deprivation));
    this.roles = roles;
    this.deriveLa = deriveWanted && Boolean(roles.deprivation && roles.population && roles.la);
    this.mapping.render(overview, roles, this.deriveLa);
    this.step('step-map', true);
    if (sample && !this.state.edited) {
      // A sample opens with the study preset it was simulated from.
      const preset = this.presets.find((p) => sample.id.startsWith(p.id)) || this.presets[0];
      this.state.choices = { ...preset.choices };
      this.state.presetId = preset.id;
    }
    if (sample && sample.formula) {
      // A sample of real counts opens with a formula of its own, as if typed (its family too).
      this.state.choices = { ...this.state.choices, family: sample.family };
      this.state.presetId = null;
      this.state.typed(sample.formula);
    }
    // The spatial choice needs coordinates: a file without them does not keep it.
    if (!overview.coordinates && this.state.choices.spatial) this.state.choices = { ...this.state.choices, spatial: false };
    this.model.render(this.state, overview.coordinates);
    this.step('step-model', true);
    await this.applyDerivation();
    // The fitting worker is given the data while the formula is written, ready for its check.
    if (!this.job) this.ensure(this.fitter).catch(() => {});
    await this.writeFormula();
  }

  /** Derives LA-level deprivation when asked and possible; says what was done. */
  async applyDerivation() {
    const { deprivation, population, la } = this.roles;
    if (!this.deriveLa) {
      this.derived = null;
      this.mapping.setDeriveNote('');
      return;
    }
    if (!deprivation || !population || !la) {
      this.derived = null;
      this.mapping.setDeriveNote('To derive LA-level deprivation, choose the neighbourhood deprivation, child population and LA columns.');
      return;
    }
    const names = new Set(this.data.overview.columns.map((c) => c.name));
    let name = `la_${deprivation}`;
    while (names.has(name)) name += '_derived';
    const request = { value: deprivation, weight: population, group: la, name };
    if (JSON.stringify(request) === JSON.stringify(this.derived)) return;
    try {
      await this.ensure(this.quick);
      const d = await this.quick.call('derive', { request });
      this.derived = request;
      this.quick.loadedToken = this.version();
      this.mapping.setDeriveNote(`LA-level deprivation is the column ${d.name}: ${d.description} (${d.groups} LAs${d.groups_without_value ? `, ${d.groups_without_value} without a value` : ''}).`);
    } catch (e) {
      this.derived = null;
      this.quick.loadedToken = null;
      this.mapping.setDeriveNote(`LA-level deprivation cannot be derived: ${e.message}.`);
    }
  }

  /** The roles the model uses: the derived column stands in for LA-level deprivation. */
  effectiveRoles() {
    return { ...this.roles, la_deprivation: this.deriveLa && this.derived ? this.derived.name : this.roles.la_deprivation };
  }

  async rolesChanged(roles, derive) {
    this.roles = roles;
    this.chosen = { roles: { ...roles }, derive };
    this.deriveLa = derive;
    await this.applyDerivation();
    await this.writeFormula();
  }

  // --- Model --------------------------------------------------------------------------------

  /**
   * A preset or a choice control changed the choices. The change is made only if the engine can
   * write its formula for this file; otherwise the model stays as it was and the page says why
   * (a preset whose columns are missing names them). With an edited formula only the family
   * can change, and it changes nothing else.
   */
  async choicesChanged(choices, presetId) {
    const state = this.state;
    const match = this.presets.find((p) => sameChoices(p.choices, choices));
    const id = presetId || (match ? match.id : null);
    const familyOnly = !presetId && sameChoices({ ...choices, family: state.family }, state.choices);
    this.model.showChoiceProblem(null);
    if (!this.data || (state.edited && familyOnly)) {
      // Nothing to write: no file yet, or an edited formula of which only the family changes.
      state.choices = { ...choices };
      state.presetId = state.edited ? null : id;
      this.modelChanged();
      return;
    }
    const serial = ++this.guideSerial;
    const preset = presetId ? this.presets.find((p) => p.id === presetId) : null;
    const guide = (c) => this.quick.call('guide', { roles: this.effectiveRoles(), choices: c });
    let guided;
    let left = [];
    try {
      await this.ensure(this.quick);
      try {
        guided = await guide(choices);
      } catch (e) {
        // A study's model that only lacks LA characteristics this file has no column for is
        // written without them, and the page says which and why; otherwise the first reason stands.
        left = preset ? leftOut(choices, this.effectiveRoles()) : [];
        if (!left.length) throw e;
        const without = { ...choices, ...Object.fromEntries(left.map((l) => [l.choice, 'omit'])) };
        guided = await guide(without).catch(() => {
          throw e;
        });
        choices = without;
      }
    } catch (e) {
      if (serial !== this.guideSerial) return;
      this.model.showChoiceNote(null);
      const what = preset ? `The model "${preset.title}" cannot be used with this file` : 'That choice cannot be used with this file';
      this.model.showChoiceProblem(`${what}: ${e.message}. Choose the column in step 2, or another model. The model is unchanged.`);
      this.modelChanged();
      return;
    }
    if (serial !== this.guideSerial) return;
    this.model.showChoiceNote(left.length ? leftOutWords(preset, left) : null);
    state.written(choices, id, guided);
    this.modelChanged();
  }

  /** The model state changed: show it in the controls, check it, and mark older results. */
  modelChanged() {
    this.model.show(this.state);
    if (this.lastFit) this.results.markStale(this.lastFit.key !== this.state.key());
    this.scheduleCheck(0);
  }

  /**
   * Writes the formula from the guided choices, unless the user has edited it (`rewrite`: write
   * it again over the edit). When the choices cannot write a formula for this file (a column
   * they need is not chosen), there is no formula until they can, except that an edit asked to
   * be replaced is kept.
   */
  async writeFormula({ rewrite = false } = {}) {
    if (!this.data) return;
    const state = this.state;
    if (state.edited && !rewrite) {
      this.modelChanged();
      return;
    }
    const serial = ++this.guideSerial;
    try {
      await this.ensure(this.quick);
      const guided = await this.quick.call('guide', { roles: this.effectiveRoles(), choices: state.choices });
      if (serial !== this.guideSerial) return;
      state.written(state.choices, state.presetId, guided);
      this.model.showMeaning(guided);
    } catch (e) {
      if (serial !== this.guideSerial) return;
      if (!state.edited) state.unwritten();
      this.model.showMeaning(null, `The choices cannot write a formula yet: ${e.message}.`);
    }
    this.modelChanged();
  }

  formulaTyped(text) {
    const wasEdited = this.state.edited;
    this.state.typed(text);
    if (this.state.edited !== wasEdited) this.model.show(this.state);
    if (this.lastFit) this.results.markStale(this.lastFit.key !== this.state.key());
    this.scheduleCheck(300);
  }

  scheduleCheck(delay) {
    clearTimeout(this.checkTimer);
    this.checkTimer = setTimeout(() => this.check(), delay);
  }

  /**
   * Checks the formula against the data; the latest check wins. The fitting worker checks it
   * when it is free, and keeps the formula's design for the fit that follows (the fit does not
   * parse or build it again); while it fits or runs a job, the quick worker checks instead. A
   * check stopped with its worker is made again.
   */
  async check() {
    const serial = ++this.checkSerial;
    const request = this.state.request();
    const formula = request.formula;
    if (!this.data) return;
    if (!formula.trim()) {
      this.model.showError('Write a formula, or choose a model above.');
      this.model.showCheck(null);
      return;
    }
    try {
      const worker = this.job ? this.quick : this.fitter;
      await this.ensure(worker);
      const result = await worker.call('readiness', { request });
      if (serial !== this.checkSerial) return;
      const termProblem = result.validation.problems.find((p) => p.span && p.row === null);
      this.model.showError(termProblem ? termProblem.message : null, termProblem ? termProblem.span : null);
      this.model.showCheck(result, this.data.badCellsMissing);
      const ziProblem = request.zi && result.fit_error && /zero-inflation formula/.test(result.fit_error.message) ? result.fit_error.message : null;
      this.model.showZiError(ziProblem && `${ziProblem[0].toUpperCase()}${ziProblem.slice(1)}.`);
      this.lastCheck = { ...result, key: JSON.stringify(request) };
    } catch (e) {
      if (serial !== this.checkSerial) return;
      if (e instanceof Cancelled) {
        this.scheduleCheck(0);
        return;
      }
      this.model.showError(e.message, e.span || null);
      this.model.showCheck(null);
      this.lastCheck = null;
    }
  }

  // --- Fitting ------------------------------------------------------------------------------

  /**
   * What the results need to know beyond the formula. The guided model's gradient term, step and
   * moderators are sent even after the formula is edited: the engine uses those the fitted model
   * still has (it matches them to the parsed model's columns, not to the formula's text).
   */
  viewRequest() {
    const g = this.state.guided;
    const term = this.chosenTerm || (g ? g.gradient_term : null);
    return {
      roles: this.effectiveRoles(),
      gradient_term: term,
      gradient_step: g && term === g.gradient_term ? g.gradient_step : null, // the words of the guided term's step
      moderators: g ? g.moderators : [],
    };
  }

  /**
   * The meanings of the guided model's coefficients by column name: the results show them for the
   * coefficients the fitted model has, so an edit that keeps a term (spaces, another random term)
   * keeps its meaning, and a changed term (another centre, say) has none.
   */
  labels() {
    const g = this.state.guided;
    return new Map(g ? g.terms.map((t) => [t.term, t.label]) : []);
  }

  /**
   * The user's answer about the cells of the model's columns that are not numbers: treat them
   * as missing (the fit then leaves their rows out, as the command line does), or fix the file
   * (the file picker opens; column choices and formula are kept for the new file).
   */
  badCells(choice) {
    if (!this.data) return;
    if (choice === 'missing') {
      this.data.badCellsMissing = true;
      if (this.lastCheck) this.model.showCheck(this.lastCheck, true);
    } else {
      this.root.querySelector('#file-input').click();
    }
  }

  async fit() {
    if (!this.data) return;
    if (this.lastCheck && this.lastCheck.key === JSON.stringify(this.state.request())
        && (this.lastCheck.bad_cells || []).length && !this.data.badCellsMissing) {
      this.results.showMessage('Some cells of the model\'s columns are not numbers (listed under the formula): treat them as missing, or fix the file and load it again, before fitting.', 'error');
      this.step('step-results', true);
      this.root.querySelector('#bad-cells')?.scrollIntoView({ block: 'center' });
      return;
    }
    if (this.job) this.fitter.restart(); // a new model replaces the running fit or comparison
    const request = this.state.request();
    const { formula, family } = request;
    const key = this.state.key();
    this.chosenTerm = null;
    this.step('step-results', true);
    const started = performance.now();
    this.root.dataset.fitState = 'running';
    this.model.setFitting(true);
    this.results.showProgress('Fitting the model', started);
    const run = ++this.fitSerial;
    const job = {};
    this.job = job;
    try {
      await this.ensure(this.fitter);
      if (job.cancelled) throw new Cancelled(); // stopped before the fit was sent
      const page = { fit: request, view: this.viewRequest() };
      const version = this.version();
      // The fit, then what the results ask of the fitted model, sent together: the worker answers
      // them in turn, without waiting for the page between them.
      const [result, inputs, rScript] = await Promise.all([
        this.fitter.call('fit', { request: page }, (p) => this.results.updateProgress(p)),
        this.fitter.call('predictionInputs'),
        this.fitter.call('rscript', { request: { file_name: this.data.name } }), // the fitted model's
      ]);
      if (run !== this.fitSerial) return;
      this.lastFit = { result, formula, family, key, page, version };
      delete this.root.dataset.keptModel;
      this.results.showResult(result, {
        fileName: this.data.name, formula, family, labels: this.labels(), inputs, roles: this.effectiveRoles(),
        truth: this.data.sample ? this.data.sample.parameters : null,
        sample: this.data.sample,
        elapsed: performance.now() - started, rScript,
      });
      this.results.showValueWarnings(this.valueWarnings(key));
      this.root.dataset.fitState = 'done';
    } catch (e) {
      if (run !== this.fitSerial) return;
      if (e instanceof Cancelled) {
        this.results.showMessage('The fit was cancelled. Your file, column choices and formula are kept: change the model or fit again.');
        this.root.dataset.fitState = 'cancelled';
      } else {
        const where = e.row ? ` (row ${e.row})` : '';
        // Implausible values found before fitting are the likeliest cause: name them again.
        const values = this.valueWarnings(key);
        const warned = values.length ? ` The check before fitting found values to look at: ${values.join(' ')}` : '';
        this.results.showMessage(`The model could not be fitted${where}: ${e.message}.${warned}`, 'error');
        if (e.span) this.model.showError(e.message, e.span);
        if (request.zi && /zero-inflation formula/.test(e.message)) this.model.showZiError(`${e.message[0].toUpperCase()}${e.message.slice(1)}.`);
        this.root.dataset.fitState = 'error';
      }
    } finally {
      if (this.job === job) this.job = null;
      if (run === this.fitSerial) this.model.setFitting(false);
    }
  }

  /**
   * The zero-inflation formula of the model (`null`: none). It is part of the fit request, so the
   * results of a fit without it are marked as made by another model.
   */
  zeroInflation(zi) {
    if (zi === null) delete this.state.options.zi;
    else this.state.options.zi = zi.trim() || '~1';
    this.model.show(this.state);
    if (this.lastFit) this.results.markStale(this.lastFit.key !== this.state.key());
    this.scheduleCheck(300);
  }

  /** The implausible-value warnings of the check of the request `key` (empty if none or not checked). */
  valueWarnings(key) {
    return this.lastCheck && this.lastCheck.key === key ? this.lastCheck.value_warnings.map((w) => w.message) : [];
  }

  /** Stops what runs in the fitting worker: the worker is terminated and a fresh one started. */
  cancel() {
    if (this.job) this.job.cancelled = true;
    this.fitter.restart();
  }

  /**
   * Stops the profile, check or comparison running on the last fit, as a fit's Cancel stops a
   * fit; the worker held the fitted model, so a fresh one is given it back (`restoreModel`).
   */
  stopJob() {
    if (!this.job || this.job.restoring) return;
    this.cancel();
    this.restoreModel();
  }

  /**
   * Gives the fresh fitting worker the file and refits the last fit's request in it, so that
   * profiles, checks and comparisons start from the fitted model again. That fit completed
   * once, so its refit is bounded by it; the results on screen stay as they are, and the
   * controls that need the model wait, with a note, until it is back. A new fit or file
   * replaces the refit as it replaces any job. `#fit[data-kept-model]` says where it is.
   */
  async restoreModel() {
    const fitted = this.lastFit;
    if (!fitted) return;
    const job = { restoring: true };
    this.job = job;
    this.root.dataset.keptModel = 'restoring';
    this.results.setModelAway(true);
    try {
      if (fitted.version !== this.version()) {
        throw new EngineError({ message: 'the column choices have changed since this fit' });
      }
      await this.ensure(this.fitter);
      await this.fitter.call('fit', { request: fitted.page });
      if (fitted !== this.lastFit || this.job !== job) return;
      this.results.setModelAway(false);
      this.root.dataset.keptModel = 'back';
    } catch (e) {
      if (e instanceof Cancelled || fitted !== this.lastFit) return;
      this.results.setModelAway(true, `Unavailable: the fitted model could not be brought back (${e.message}); fit the model again.`);
      this.root.dataset.keptModel = 'lost';
    } finally {
      if (this.job === job) this.job = null;
    }
  }

  async changeGradientTerm(term) {
    this.chosenTerm = term;
    try {
      const views = await this.fitter.call('views', { view: { ...this.viewRequest(), gradient_term: term } });
      const result = { ...this.lastFit.result, views };
      this.lastFit.result = result;
      this.results.showResult(result, { ...this.results.ctx });
    } catch (e) {
      this.results.showMessage(`The views could not be made: ${e.message}.`, 'error');
    }
  }

  async compare() {
    try {
      await this.runJob(async () => {
        const c = await this.fitter.call('compare', { formula: this.lastFit.formula }, (p) => this.results.comparisonProgress(p));
        this.results.showComparison(c);
      }, () => this.results.startComparison());
    } catch (e) {
      if (e instanceof Cancelled) this.results.jobStopped('compare', 'The comparison of the six models was stopped.');
      else this.results.showComparisonError(`The comparison could not be made: ${e.message}.`);
    }
  }

  /**
   * Runs `work` in the fitting worker unless there is no fit or something else runs there (then
   * false): `started` shows at once that it has begun, before the worker is given the data.
   */
  async runJob(work, started = () => {}) {
    if (!this.lastFit || this.job) return false;
    const job = {};
    this.job = job;
    try {
      started();
      await this.ensure(this.fitter);
      if (job.cancelled) throw new Cancelled(); // stopped before the work was sent
      await work();
    } finally {
      if (this.job === job) this.job = null;
    }
    return true;
  }

  /** Profile-likelihood intervals of the last fit: the dispersion, random-effect SDs and every fixed effect. */
  async profile() {
    const fitted = this.lastFit;
    const terms = fitted ? fitted.result.report.coefficients.map((c) => c.term) : [];
    try {
      await this.runJob(async () => {
        const report = await this.fitter.call('profile', { terms });
        if (fitted !== this.lastFit) return;
        fitted.result = { ...fitted.result, report };
        this.results.showProfiles(report);
      }, () => this.results.startProfile());
    } catch (e) {
      if (e instanceof Cancelled) this.results.jobStopped('profile', 'Profile intervals stopped; the Wald intervals are shown.');
      else this.results.showProfileError(`The profile-likelihood intervals could not be computed: ${e.message}.`);
    }
  }

  /** Expected rates and scores of the last fit at the values of the prediction form. */
  async predict(request) {
    try {
      await this.runJob(async () => {
        const prediction = await this.fitter.call('predict', { request });
        this.results.showPrediction(prediction);
      });
    } catch (e) {
      this.results.showPredictionError(e instanceof Cancelled ? 'The prediction was stopped.' : `The prediction could not be made: ${e.message}.`);
    }
  }

  /** The last fit's model against a second formula (and family) the user wrote. */
  async compareModels(second) {
    const fitted = this.lastFit;
    try {
      await this.runJob(async () => {
        const first = { ...fitted.page.fit }; // the fitted request, its zero inflation too
        const comparison = await this.fitter.call('compareModels', { request: { first, second } });
        this.results.showModelComparison(comparison);
      }, () => this.results.startModelComparison());
    } catch (e) {
      if (e instanceof Cancelled) this.results.jobStopped('second', 'The comparison with the second model was stopped; its formula is kept.');
      else this.results.showModelComparisonError(`The models could not be compared: ${e.message}.`);
    }
  }

  /** Residual checks of the last fit: 250 data sets simulated in the worker from the model. */
  async checkModel() {
    try {
      await this.runJob(async () => {
        const started = performance.now();
        const c = await this.fitter.call('checkModel', { options: { simulations: 250, seed: 1 } });
        this.results.showCheck(c, performance.now() - started);
      }, () => this.results.startCheck());
    } catch (e) {
      if (e instanceof Cancelled) this.results.jobStopped('check', 'The model check was stopped; nothing was changed.');
      else this.results.showCheckError(`The model could not be checked: ${e.message}.`);
    }
  }

  /** The random effects of the last fit by LA, from the worker. */
  async randomEffects() {
    try {
      await this.runJob(async () => {
        this.results.showRanef(await this.fitter.call('ranef', {}));
      }, () => this.results.startRanef());
    } catch (e) {
      if (e instanceof Cancelled) this.results.showRanefError('Stopped.');
      else this.results.showRanefError(`The random effects could not be shown: ${e.message}.`);
    }
  }
}
