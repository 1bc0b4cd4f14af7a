// "Inside six local authorities" starts after the first score, and only when wanted: its script,
// its tables (six-las.json, written from the engine's typed tables) and the forest plots' engine
// are fetched when the section comes near the screen or the page is opened at #six-las (or
// #six-las/TABLE).

/** Shows the section `root` and starts the view on first need. */
export function startSixLasWhenNear(root) {
  let started = null;
  const start = () => {
    started ??= import(/* webpackChunkName: "six-las" */ './six-las.js').then(
      ({ SixLas }) => new SixLas(root).start(),
      (e) => {
        started = null;
        root.querySelector('.six-las-status').textContent = `This section could not start: ${e.message || e}.`;
      },
    );
    return started;
  };
  root.hidden = false;
  const fromHash = () => {
    if (location.hash.startsWith('#six-las')) start();
  };
  fromHash();
  window.addEventListener('hashchange', fromHash);
  const near = new IntersectionObserver((entries) => {
    if (entries.some((e) => e.isIntersecting)) {
      near.disconnect();
      start();
    }
  }, { rootMargin: '300px' });
  near.observe(root);
}
