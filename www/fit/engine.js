// The main thread's handle on the fitting worker: requests as promises, progress callbacks,
// and cancelling by terminating the worker and starting a fresh one. Every worker is given the
// engine compiled once on the page (engine-module.js).
import { engineModule } from './engine-module.js';

/** Raised for requests that were running when the worker was stopped. */
export class Cancelled extends Error {
  constructor() {
    super('cancelled');
    this.cancelled = true;
  }
}

/** An engine error from the worker: its message plus `kind`, `row`, `column`, `term`, `span`. */
export class EngineError extends Error {
  constructor(fields) {
    super(fields.message);
    Object.assign(this, fields);
  }
}

export class EngineWorker {
  /** `onBytes(received)` hears the engine's download the first time it is fetched. */
  constructor(onBytes) {
    this.onBytes = onBytes;
    this.nextId = 1;
    this.pending = new Map();
    this.loadedToken = null; // which version of the page's data the worker holds
    this.start();
  }

  start() {
    this.worker = new Worker(new URL('../worker.js', import.meta.url), { type: 'module', name: 'fitting-engine' });
    this.worker.onmessage = ({ data }) => {
      const entry = this.pending.get(data.id);
      if (!entry) return;
      if (data.progress) {
        if (entry.onProgress) entry.onProgress(data.progress);
        return;
      }
      this.pending.delete(data.id);
      if (data.ok) entry.resolve(data.result);
      else entry.reject(new EngineError(data.error));
    };
    this.worker.onerror = (event) => {
      event.preventDefault();
      const error = new EngineError({ message: `the engine stopped: ${event.message || 'unknown error'}` });
      for (const entry of this.pending.values()) entry.reject(error);
      this.pending.clear();
      this.restart();
    };
    this.loadedToken = null;
    this.loading = null;
    const worker = this.worker;
    // Requests wait for the engine; messages keep their order, so the module arrives first.
    this.ready = engineModule(this.onBytes).then((module) => worker.postMessage({ type: 'engine', module }));
  }

  /** Sends a request; `onProgress` receives progress objects while it runs. */
  call(type, payload = {}, onProgress = null, transfer = []) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onProgress });
      const worker = this.worker;
      this.ready.then(
        () => worker.postMessage({ id, type, ...payload }, transfer),
        (e) => {
          this.pending.delete(id);
          reject(new EngineError({ message: e.message || String(e) }));
        },
      );
    });
  }

  /** True while a request is running. */
  get busy() {
    return this.pending.size > 0;
  }

  /** Stops whatever runs (its promises reject with Cancelled) and starts a fresh worker. */
  restart() {
    this.worker.terminate();
    for (const entry of this.pending.values()) entry.reject(new Cancelled());
    this.pending.clear();
    this.start();
  }
}
