// Downloads made on the page: results as CSV and JSON, the R script, charts as PNG. Each is a
// Blob turned into a local blob: URL; nothing is sent anywhere.
import { h } from '../dom.js';

/** Saves `content` (text or Blob) as a file called `name`. */
export function download(name, content, type = 'text/plain') {
  const blob = content instanceof Blob ? content : new Blob([content], { type: `${type};charset=utf-8` });
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

/** One CSV cell: quoted when it holds a comma, quote or line break. */
function cell(value) {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** CSV text from rows of cells (the first row is the header). */
export function csvText(rows) {
  return rows.map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

/**
 * The results as one CSV table, one row per quantity: coefficients, social gradient scores,
 * random effects, dispersion and fit statistics.
 */
export function resultsCsv(result, labels) {
  const r = result.report;
  const odds = r.family === 'binomial';
  const rows = [['section', 'name', 'meaning', 'estimate', 'std_error', odds ? 'odds_ratio' : 'rate_ratio', 'ci_low', 'ci_high', 'p']];
  for (const c of r.coefficients) {
    const ratio = odds ? [c.odds_ratio, c.odds_ratio_ci_low, c.odds_ratio_ci_high] : [c.irr, c.irr_ci_low, c.irr_ci_high];
    rows.push(['coefficient', c.term, labels.get(c.term) || '', c.estimate, c.std_error, ...ratio, c.p]);
  }
  const g = result.views.gradient;
  if (g) {
    const s = g.headline.score;
    rows.push(['social gradient', g.term, `average context, per ${g.headline.step}`, s.log_score, s.std_error, s.score, s.ci_low, s.ci_high, s.p]);
    for (const c of g.contexts) {
      rows.push(['social gradient', g.term, `${c.group}: ${c.label}`, c.score.log_score, c.score.std_error, c.score.score, c.score.ci_low, c.score.ci_high, c.score.p]);
    }
  }
  for (const e of r.random_effects) rows.push(['random effect SD', `${e.group}: ${e.term}`, '', e.sd, '', '', '', '', '']);
  if (r.dispersion !== null) rows.push(['dispersion', r.dispersion_name, '', r.dispersion, '', '', r.dispersion_ci_low, r.dispersion_ci_high, '']);
  for (const [name, value] of [['rows used', r.nobs], ['rows left out', r.rows_dropped], ['log-likelihood', r.loglik], ['AIC', r.aic], ['BIC', r.bic], ['parameters', r.df], ['converged', r.converged ? 1 : 0]]) {
    rows.push(['fit', name, '', value, '', '', '', '', '']);
  }
  return csvText(rows);
}

/** Saves a canvas as a PNG file. */
export function savePng(canvas, name) {
  canvas.toBlob((blob) => {
    if (blob) download(name, blob);
  }, 'image/png');
}

/** A file name from a data file's name: `referrals.csv` -> `referrals-<what>.<ext>`. */
export function fileName(dataName, what, ext) {
  const base = (dataName || 'data').replace(/\.[^.]+$/, '').replace(/[^A-Za-z0-9._-]+/g, '-');
  return `${base}-${what}.${ext}`;
}
