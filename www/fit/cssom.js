// Chart drawing under the page's Content-Security-Policy. The chart library measures text by
// giving a temporary <span> a `style` attribute, which `style-src 'self'` refuses (the text
// would then be measured at the wrong size). While a chart is drawn, a `style` attribute is
// applied through the CSS object model instead, which the policy allows; nothing else changes.

/** Runs `draw` with `setAttribute('style', ...)` applied as `element.style.cssText`. */
function withCssomStyles(draw) {
  const original = Element.prototype.setAttribute;
  Element.prototype.setAttribute = function setAttribute(name, value) {
    if (String(name).toLowerCase() === 'style' && this.style) {
      this.style.cssText = String(value);
      return undefined;
    }
    return original.call(this, name, value);
  };
  try {
    return draw();
  } finally {
    Element.prototype.setAttribute = original;
  }
}

/** The engine's exports, with `drawChart` made safe under the policy. */
export function withSafeDrawing(engine) {
  return { ...engine, drawChart: (canvas, spec, ratio) => withCssomStyles(() => engine.drawChart(canvas, spec, ratio)) };
}
