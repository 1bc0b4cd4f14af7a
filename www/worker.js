// The fitting engine in a Web Worker: reading files, checking formulas, fitting and comparing
// models run here, so the page never freezes. The worker holds one Session (the loaded file and
// its derived columns). A file is read once, in the worker that checks formulas; the fitting
// worker is given its data already read (`exportData` -> `importData`: the columns as typed
// arrays, moved rather than copied). The page keeps the file's bytes, so a cancelled fit (the
// worker is terminated) loses nothing: a fresh worker is given the data again. The engine's compiled
// WebAssembly module comes from the page (its first message), so it is downloaded once for the
// page and all its workers.
import init, * as engine from './pkg/socgrad.js';
import { shownOverview } from './fit/shown.js';
import { dataBuffers } from './fit/session-data.js';

let startEngine;
const ready = new Promise((resolve) => {
  startEngine = resolve;
});
let session = null;
let staged = null; // a sample made and read here, until the page makes it the session (`adoptSample`)

/** A plain, cloneable copy of an engine error: message plus its location fields. */
function plainError(e) {
  if (!(e instanceof Error)) return { message: String(e) };
  const out = { message: e.message };
  for (const key of ['kind', 'reason', 'row', 'column', 'term', 'span', 'problems']) {
    if (e[key] !== undefined && e[key] !== null) out[key] = e[key];
  }
  return out;
}

function needSession() {
  if (!session) throw new Error('no file is loaded yet');
  return session;
}

/** Sends at most one progress message per 50 ms, and always the first. */
function progressSender(id) {
  let last = 0;
  return (progress) => {
    const now = performance.now();
    if (now - last < 50) return;
    last = now;
    postMessage({ id, progress });
  };
}

/**
 * Reads `made` ({sample, csv}, a sample the engine simulated) as a loaded file would be read:
 * `{sample, bytes, overview}`, the CSV's UTF-8 bytes moved to the page (which keeps them) rather
 * than copied, so that a sample crosses to the page once and is not sent back to be read. The
 * session is staged: it replaces the worker's when the page takes the sample (`adoptSample`).
 */
function openSample(made, previewRows) {
  const bytes = new TextEncoder().encode(made.csv);
  const next = new engine.Session(bytes);
  if (staged) staged.free();
  staged = next;
  return { sample: made.sample, bytes, overview: shownOverview(staged.overview(previewRows)) };
}

/** The buffers a result moves to the page rather than copies (none for most requests). */
function transferred(type, result) {
  if (type === 'exportData') return dataBuffers(result);
  if (result && result.bytes instanceof Uint8Array) return [result.bytes.buffer];
  return [];
}

const handlers = {
  // The simulated samples, then the one on England's real neighbourhoods (its tables are
  // fetched by the page when it is chosen), then the LA-by-year panel of real counts.
  samples: () => [
    ...engine.sampleCatalogue(),
    { ...engine.englandSampleEntry(), realPlaces: true },
    { ...engine.laPanelSampleEntry(), realCounts: true },
  ],
  presets: () => engine.modelPresets(),
  answers: () => engine.formAnswers(),
  // A sample made and read at once (`openSample`), then taken as the loaded file.
  sample: ({ sampleId, previewRows }) => openSample(engine.makeSample(sampleId), previewRows),
  englandSample: ({ lsoas, las, centroids, previewRows }) => openSample(engine.makeEnglandSample(new Uint8Array(lsoas), new Uint8Array(las), new Uint8Array(centroids)), previewRows),
  // The LA-by-year panel of real counts, made and read in the same way.
  laPanelSample: ({ previewRows }) => openSample(engine.makeLaPanelSample(), previewRows),
  adoptSample: () => {
    if (!staged) throw new Error('no sample is waiting to be taken');
    if (session) session.free();
    session = staged;
    staged = null;
    return null;
  },
  load: ({ bytes, previewRows }) => {
    // Read first: a file that cannot be read leaves the previous one in place.
    const next = new engine.Session(new Uint8Array(bytes));
    if (session) session.free();
    session = next;
    return shownOverview(session.overview(previewRows));
  },
  exportData: () => needSession().exportData(),
  importData: ({ data }) => {
    const next = engine.Session.fromData(data);
    if (session) session.free();
    session = next;
    return null;
  },
  derive: ({ request }) => needSession().derive(request),
  guide: ({ roles, choices }) => needSession().guide(roles, choices),
  readiness: ({ request }) => needSession().readiness(request),
  fit: ({ request }, id) => needSession().fit(request, progressSender(id)),
  views: ({ view }) => needSession().views(view),
  compare: ({ formula }, id) => needSession().compare(formula, progressSender(id)),
  checkModel: ({ options }) => needSession().checkModel(options),
  ranef: () => needSession().randomEffects(),
  profile: ({ terms }) => needSession().profile(terms),
  predictionInputs: () => needSession().predictionInputs(),
  predict: ({ request }) => needSession().predict(request),
  compareModels: ({ request }) => needSession().compareModels(request),
  rscript: ({ request }) => needSession().rScript(request),
  // --- The real figures (www/rates/): DfE rates, the funnel, the map, the tour step, the Gini ---
  ratesView: ({ request }) => engine.ratesView(request),
  ratesMap: ({ request }) => engine.ratesMap(request),
  ratesTourStep: ({ request }) => engine.ratesTourStep(request),
  giniFromBands: ({ request }) => engine.giniFromBands(request),
};

self.onmessage = async ({ data }) => {
  const { id, type } = data;
  if (type === 'engine') {
    startEngine(init({ module_or_path: data.module }));
    return;
  }
  try {
    await ready;
    const handler = handlers[type];
    if (!handler) throw new Error(`unknown request '${type}'`);
    const result = handler(data, id);
    postMessage({ id, ok: true, result }, transferred(type, result));
  } catch (e) {
    postMessage({ id, ok: false, error: plainError(e) });
  }
};
