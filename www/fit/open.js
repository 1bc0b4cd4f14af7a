// The fitting workflow starts (and its engine downloads) only when it is wanted: when the page is
// opened at #fit or the "Fit your own data" link is followed, when the section is scrolled into
// view, or when a file is dropped on the section before it is ready (the file is then loaded as
// soon as the engine is).
import { FitApp } from './app.js';

/** Starts the `FitApp` for the `#fit` section `root` on first need; `engine`: the page's module. */
export function startFittingWhenOpened(engine, root) {
  let app = null;
  const start = () => {
    if (!app) {
      app = new FitApp(engine, root);
      app.start();
    }
    return app;
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
    if (file) start().whenReady((loader) => loader.read(file));
  });
}
