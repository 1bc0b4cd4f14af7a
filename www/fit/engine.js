// The main thread's handle on the fitting worker: requests as promises, progress callbacks,
// and cancelling by terminating the worker and starting a fresh one.

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
  constructor() {
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
  }

  /** Sends a request; `onProgress` receives progress objects while it runs. */
  call(type, payload = {}, onProgress = null, transfer = []) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onProgress });
      this.worker.postMessage({ id, type, ...payload }, transfer);
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
