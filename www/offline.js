// Offline use: registers the page's service worker (dist/sw.js, see scripts/offline-worker.mjs), which
// keeps the page's own files so that after one visit the calculator and the fitting engine work
// without a network. When a new version has been installed while this page is open, it offers to
// reload into it rather than switching under a running session.
import { h } from './dom.js';

/** Registers the worker in production builds served over http(s); does nothing otherwise. */
export function registerOfflineWorker() {
  if (process.env.NODE_ENV !== 'production') return;
  if (!('serviceWorker' in navigator) || !/^https?:$/.test(location.protocol)) return;
  // `sw.js` beside index.html: same origin, scope the page's folder.
  navigator.serviceWorker.register('sw.js').then(watchForUpdates, () => {
    // Without a worker the page still works online; it is only not kept for offline use.
  });
}

function watchForUpdates(registration) {
  offer(registration.waiting);
  registration.addEventListener('updatefound', () => {
    const worker = registration.installing;
    worker?.addEventListener('statechange', () => {
      if (worker.state === 'installed') offer(worker);
    });
  });
}

/** Shows "a new version is ready" for a worker that waits behind the one controlling this page. */
function offer(worker) {
  if (!worker || !navigator.serviceWorker.controller || document.getElementById('update-banner')) return;
  const reload = () => {
    navigator.serviceWorker.addEventListener('controllerchange', () => location.reload(), { once: true });
    worker.postMessage({ type: 'SKIP_WAITING' });
  };
  document.body.append(h('div', { id: 'update-banner', class: 'update-banner', role: 'status' },
    'A new version of the calculator is ready. ',
    h('button', { type: 'button', id: 'update-reload', onclick: reload }, 'Reload to use it')));
}
