// Steps the guided tour shows after the engine's own: each is registered with a placeholder (so
// the tour counts it, and `?tour=N` reaches it, from the start) and later given a provider that
// makes the real step for the tour's local authority, asynchronously (the real figures' step
// comes from the fitting engine's worker). `tour:steps-changed` on the document tells the tour
// to show a step that has arrived.

const extras = [];

function changed() {
  document.dispatchEvent(new CustomEvent('tour:steps-changed'));
}

/** Whether `key` is a step added here. */
export function isExtraStep(key) {
  return extras.some((e) => e.key === key);
}

/** Adds a step after the tour's own, shown as `placeholder` until a provider is given. */
export function registerTourStep(key, placeholder) {
  extras.push({ key, placeholder: { ...placeholder, key }, provide: null, made: new Map() });
}

/** `provide(la)` (an LA code, or '' for none) resolves with step `key` for that LA. */
export function provideTourStep(key, provide) {
  const extra = extras.find((e) => e.key === key);
  if (!extra) return;
  extra.provide = provide;
  extra.made.clear();
  changed();
}

/** The extra steps for LA `la` as they stand (placeholders where not made yet), asking for them. */
export function extraTourSteps(la = '') {
  return extras.map((extra) => {
    const made = extra.made.get(la);
    if (made && made.step) return made.step;
    if (extra.provide && !made) {
      const entry = { step: null };
      extra.made.set(la, entry);
      extra.provide(la).then(
        (step) => { entry.step = { ...step, key: extra.key }; changed(); },
        (e) => {
          entry.step = { ...extra.placeholder, body: [`This step could not be made: ${e.message || e}.`] };
          changed();
        },
      );
    }
    return extra.placeholder;
  });
}
