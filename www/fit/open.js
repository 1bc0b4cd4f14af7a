// The fitting workflow starts (and its engine downloads) only when it is wanted: when the page is
// opened at #fit or the "Fit your own data" link is followed, when the section is scrolled into
// view, or when a file is dropped on the section before it is ready (the file is then loaded as
// soon as the engine is). The workflow's own script is a separate file, fetched then too.

/** Starts the `FitApp` for the `#fit` section `root` on first need; `engine`: the page's module. */
export function startFittingWhenOpened(engine, root) {
  let app = null;
  let loaded = null;
  const waiting = [];
  const start = () => {
    loaded ??= import(/* webpackChunkName: "fit" */ './app.js').then(
      ({ FitApp }) => {
        app = new FitApp(engine, root);
        for (const task of waiting.splice(0)) app.whenReady(task);
        app.start();
      },
      (e) => {
        loaded = null;
        const status = root.querySelector('#fit-status');
        status.textContent = `The fitting engine could not start: ${e.message || e}.`;
        status.classList.add('error');
      },
    );
  };
  /** Runs `task(loader)` once the workflow shows its loader. */
  const whenReady = (task) => {
    start();
    if (app) app.whenReady(task);
    else waiting.push(task);
  };
  const fromHash = () => {
    if (location.hash === '#fit') start();
  };
  fromHash();
  window.addEventListener('hashchange', fromHash);
  const seen = new IntersectionObserver((entries) => {
    if (entries.some((e) => e.isIntersecting)) {
      seen.disconnect();
      start();
    }
  });
  seen.observe(root);
  // Before the drop zone exists, the whole section takes a dropped file.
  for (const type of ['dragenter', 'dragover']) root.addEventListener(type, (e) => e.preventDefault());
  root.addEventListener('drop', (e) => {
    if (app && app.loader) return; // the drop zone handles it
    e.preventDefault();
    const file = e.dataTransfer && e.dataTransfer.files && e.dataTransfer.files[0];
    if (file) whenReady((loader) => loader.read(file));
  });
}
