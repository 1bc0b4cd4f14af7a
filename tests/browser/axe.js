// axe-core, the accessibility engine (npm package axe-core), run inside the page under test: its
// source is handed to the page by the test harness (no request, so the page's Content-Security-
// Policy and its own-files-only rule are untouched), then every rule axe has is run.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const source = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/**
 * The violations axe finds in `page` (or only inside the element `selector`), each as
 * `{id, impact, help, nodes: ['selector: what fails', ...]}`: an empty list when there are none.
 */
export async function axeViolations(page, selector = null) {
  await page.evaluate(source);
  return page.evaluate(async (include) => {
    const result = await window.axe.run(include ? { include: [include] } : document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 6).map((n) => `${n.target.join(' ')}: ${n.failureSummary}`),
    }));
  }, selector);
}
