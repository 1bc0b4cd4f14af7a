// Steps the guided tour shows beside the engine's own: each is registered with a placeholder (so
// the tour counts it, and `?tour=N` reaches it, from the start) and the key of the engine's step
// it follows (the order a teacher would teach them in), and later given a provider that
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

/**
 * Adds a step after the engine's step `after` (a key; after the last when there is none such),
 * shown as `placeholder` until a provider is given.
 */
export function registerTourStep(key, placeholder, after) {
  extras.push({ key, after, placeholder: { ...placeholder, key }, provide: null, made: new Map() });
}

/**
 * The whole tour: the engine's `steps` with the extra steps (as `extraTourSteps` gives them for
 * LA `la`) each after the step it follows, all numbered from 1 in that order.
 */
export function withExtraSteps(steps, la = '') {
  const all = [...steps];
  extraTourSteps(la).forEach((step, i) => {
    const at = all.findIndex((s) => s.key === extras[i].after);
    all.splice(at < 0 ? all.length : at + 1, 0, step);
  });
  return all.map((s, i) => ({ ...s, number: i + 1 }));
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
