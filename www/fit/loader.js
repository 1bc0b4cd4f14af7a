// Step 1: choose a CSV file (picker or drag and drop) or a synthetic sample. The file's bytes
// are read here, on the page; they go to the engine's worker and nowhere else.
import { h, fmt, count } from '../dom.js';
import { table } from '../tables.js';

/** The largest file read, as the engine's `data::MAX_FILE_BYTES` (256 MB). */
const MAX_FILE_BYTES = 256 * 1024 * 1024;

/** A human-readable size. */
function size(bytes) {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export class Loader {
  /**
   * @param root element to fill
   * @param samples the engine's sample catalogue
   * @param onFile called with (name, ArrayBuffer) for a chosen file
   * @param onSample called with a sample id
   */
  constructor(root, samples, { onFile, onSample }) {
    this.root = root;
    this.samples = samples;
    this.onFile = onFile;
    this.onSample = onSample;
  }

  render() {
    // The native input stays out of the tab order; the button opens it (keyboard and mouse).
    const input = h('input', { type: 'file', id: 'file-input', accept: '.csv,.tsv,.txt,text/csv', class: 'visually-hidden', tabindex: '-1', 'aria-hidden': 'true' });
    input.addEventListener('change', () => {
      if (input.files && input.files[0]) this.read(input.files[0]);
      input.value = '';
    });
    const pick = h('button', { type: 'button', class: 'primary', id: 'choose-file', onclick: () => input.click() }, 'Choose a CSV file');
    this.zone = h('div', { class: 'dropzone', id: 'dropzone' },
      h('p', {}, pick, ' or drop a file here.'),
      h('p', { class: 'hint' }, 'One row per neighbourhood: a count, the child population, neighbourhood deprivation and the local authority; MSOA, LA deprivation, Gini and rural columns are optional. Comma, semicolon or tab separated, with a header row.'),
      input);
    for (const type of ['dragenter', 'dragover']) {
      this.zone.addEventListener(type, (e) => {
        e.preventDefault();
        this.zone.classList.add('over');
      });
    }
    for (const type of ['dragleave', 'dragend']) this.zone.addEventListener(type, () => this.zone.classList.remove('over'));
    this.zone.addEventListener('drop', (e) => {
      e.preventDefault();
      this.zone.classList.remove('over');
      const file = e.dataTransfer && e.dataTransfer.files && e.dataTransfer.files[0];
      if (file) this.read(file);
    });

    const sampleButtons = this.samples.map((s) => h('li', {},
      h('button', { type: 'button', 'data-sample': s.id, onclick: () => this.onSample(s.id) }, s.title),
      s.realPlaces ? h('span', { class: 'hint' }, ' Real places, synthetic counts: England\'s neighbourhoods (OGL v3.0), loaded when chosen (2.4 MB).') : null));
    this.status = h('div', { id: 'load-status', role: 'status', 'aria-live': 'polite' });
    this.error = h('div', { id: 'load-error', class: 'error-box', role: 'alert', hidden: true });
    this.warning = h('div', { id: 'load-warnings', class: 'warning-box', role: 'alert', hidden: true });
    this.sampleCard = h('div', { id: 'sample-card' });
    this.root.replaceChildren(
      this.zone,
      h('div', { class: 'samples' },
        h('h4', {}, 'Or try a sample'),
        h('p', { class: 'hint' }, 'Counts simulated from the published models, so you can watch a fit recover the values that generated them. They describe no real children: the first samples are synthetic throughout; the national one puts simulated counts on England\'s real neighbourhoods.'),
        h('ul', { class: 'sample-list' }, sampleButtons)),
      this.status, this.error, this.warning, this.sampleCard);
  }

  async read(file) {
    this.showError(null);
    if (file.size > MAX_FILE_BYTES) {
      // The engine's limit and words (data::MAX_FILE_BYTES), before the file is read into memory.
      const mb = (b) => Math.floor(b / 1024 / 1024);
      this.showError(`${file.name} cannot be used: the file is larger than the ${mb(MAX_FILE_BYTES)} MB this tool reads (${mb(file.size)} MB); an aggregate file (one row per neighbourhood) is a few MB: keep only the columns and rows the model needs.`);
      return;
    }
    this.setStatus(`Reading ${file.name} (${size(file.size)})…`);
    try {
      const bytes = await file.arrayBuffer();
      this.onFile(file.name, bytes);
    } catch (e) {
      this.showError(`The file could not be read from your computer: ${e.message || e}.`);
    }
  }

  setStatus(text) {
    this.status.textContent = text;
  }

  /** "Reading NAME…" with a Cancel button calling `onCancel` (`null`: reading is over). */
  showReading(name, onCancel) {
    if (!name) {
      if (this.cancelButton) this.cancelButton.remove();
      this.cancelButton = null;
      return;
    }
    this.setStatus(`Reading ${name}… `);
    this.cancelButton = h('button', { type: 'button', id: 'cancel-read', onclick: onCancel }, 'Cancel');
    this.status.append(this.cancelButton);
  }

  /** Shows a problem with the chosen file (`null` hides it). */
  showError(text) {
    this.error.hidden = !text;
    this.error.textContent = text || '';
  }

  /** Warnings about a file that was read but looks wrong (empty list: none). */
  showWarnings(warnings) {
    this.warning.hidden = !warnings.length;
    this.warning.replaceChildren(...(warnings.length ? [h('h4', {}, 'Check this file'), h('ul', {}, warnings.map((w) => h('li', {}, w)))] : []));
  }

  /** The description and generating parameters of a loaded sample (`null` clears them). */
  showSample(sample) {
    if (!sample) {
      this.sampleCard.replaceChildren();
      return;
    }
    if (sample.real_counts) {
      // Real counts (the LA-by-year panel): no model made them, so no generating values.
      this.sampleCard.replaceChildren(h('article', { class: 'card sample', 'aria-labelledby': 'sample-title' },
        h('h4', { id: 'sample-title' }, `${sample.label}: ${sample.title}`),
        h('p', {}, sample.description),
        h('p', { class: 'hint', id: 'sample-attribution' }, sample.attribution),
        h('p', { class: 'hint' }, `${count(sample.rows)} rows: ${sample.las} LAs in ${sample.years} years. A count DfE does not give is an empty cell; the note_ columns say why.`),
        h('p', {}, 'A formula to start from (family ', h('strong', {}, sample.family), '): how the rate rises with LA deprivation, allowing for each year and each LA\'s own level:'),
        h('pre', { class: 'formula-text' }, sample.formula)));
      return;
    }
    const rows = sample.parameters.map((p) => [p.label, p.term || '', fmt(p.shown, p.scale === 'rate per 10,000' ? 1 : 4), p.scale, p.source]);
    this.sampleCard.replaceChildren(h('article', { class: 'card sample', 'aria-labelledby': 'sample-title' },
      h('h4', { id: 'sample-title' }, `${sample.label}: ${sample.title}`),
      h('p', {}, sample.description),
      sample.attribution ? h('p', { class: 'hint', id: 'sample-attribution' }, sample.attribution) : null,
      h('p', { class: 'hint' }, `${count(sample.rows)} neighbourhoods in ${sample.las} LAs${sample.msoas ? ` and ${count(sample.msoas)} MSOAs` : ''}; random seed ${sample.seed}.`),
      h('p', {}, 'Formula that generated the counts (family ', h('strong', {}, sample.family), '):'),
      h('pre', { class: 'formula-text' }, sample.model.formula),
      h('div', { class: 'table-scroll' }, table('Parameters that generated the sample', ['Parameter', 'Term in the model', 'Value', 'Scale', 'Source'], rows))));
  }
}
