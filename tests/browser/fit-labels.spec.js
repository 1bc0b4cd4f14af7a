// The analyst's labels follow the parsed model, not the formula's text: an edit that keeps the
// model (spacing) keeps every plain-words meaning and context label; predictions for one LA start
// from that LA's own LA-level values; LAs are listed by the names the file gives them.
import { test, expect } from '@playwright/test';
import { shots, engine, openFit, loadSample, fit, dropFile } from './fit-helpers.js';

test.describe.configure({ timeout: 240_000 });

/** The cells of a table's body rows. */
async function cells(page, selector) {
  return page.locator(`${selector} tbody tr`).evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
}

test('an edit that keeps the model keeps its meanings, and an LA is predicted at its own values', async ({ page }) => {
  await openFit(page);
  await loadSample(page, 'hood2021-referrals');
  await fit(page);
  const meanings = async () => (await cells(page, '#coefficients-table')).map((r) => [r[0], r[1]]);
  const guided = await meanings();
  const contexts = await cells(page, '#contexts-table');
  const reading = await page.getByTestId('fit-reading').textContent();
  // Every coefficient but the intercept has its meaning, and the contexts are in words.
  expect(guided.slice(1).every(([, meaning]) => meaning.length > 0), JSON.stringify(guided)).toBe(true);
  expect(contexts[0][1]).toMatch(/^Low LA deprivation/);

  // The same model, written with other spacing.
  const formula = await page.locator('#formula').inputValue();
  const spaced = formula.replaceAll(' | ', '|').replaceAll(' + ', '+');
  expect(spaced).not.toBe(formula);
  await page.fill('#formula', spaced);
  await expect(page.locator('#formula-edited')).toBeVisible();
  await expect(page.locator('#validation .ok')).toBeVisible({ timeout: 30_000 });
  await fit(page);
  await expect.poll(meanings).toEqual(guided);
  await expect.poll(() => cells(page, '#contexts-table')).toEqual(contexts);
  await expect(page.getByTestId('fit-reading')).toHaveText(reading);
  await expect(page.getByTestId('fit-reading')).not.toContainText('1 unit of');
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.locator('#coef-section').screenshot({ path: `${shots}/fit-labels-edited-1280.png` });

  // The LA-level deprivation column starts at its median; choosing an LA puts that LA's own value.
  const laTerm = guided.map(([term]) => term).find((t) => t.startsWith('I((la_'));
  const laColumn = laTerm.match(/^I\(\((la_\w+)/)[1];
  const input = page.locator(`#prediction-form [data-column="${laColumn}"]`);
  const start = await input.inputValue();
  await expect(page.locator('#predict-level-note')).toContainText(laColumn);
  await page.selectOption('#predict-level', { label: 'la LA003' });
  // The LA's own values arrive from the engine: wait for them rather than read at once.
  await expect(input).not.toHaveValue(start);
  const own = await input.inputValue();
  await expect(page.locator(`.own-value[data-own="${laColumn}"]`)).toHaveText("; la LA003's own value");
  await page.click('#predict-button');
  // The prediction comes from the fitting worker: wait for its rows.
  await expect.poll(async () => (await cells(page, '#prediction-table')).map((r) => r[0]), { timeout: 30_000 })
    .toEqual(["An LA with la LA003's values (random effects at 0)", 'la LA003']);
  await expect(page.locator('#prediction-table caption')).toContainText(`${laColumn} = ${Number(own)}`);
  // As the model sees it: the centred LA deprivation of the guided model.
  await expect(page.locator('#prediction-derived')).toContainText(`${laTerm} = `);
  // Another LA, then none: its own value, then the median again.
  await page.selectOption('#predict-level', { label: 'la LA031' });
  await expect(input).not.toHaveValue(own);
  await page.selectOption('#predict-level', { label: 'No LA: an average LA' });
  await expect(input).toHaveValue(start);
  await expect(page.locator(`.own-value[data-own="${laColumn}"]`)).toHaveText('');
  await page.selectOption('#predict-level', { label: 'la LA003' });
  await page.click('#predict-button');
  await expect(page.locator('#prediction-table')).toBeVisible();
  await page.locator('#prediction').screenshot({ path: `${shots}/fit-labels-prediction-1280.png` });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.locator('#prediction').screenshot({ path: `${shots}/fit-labels-prediction-390.png` });
  await page.locator('#coef-section').screenshot({ path: `${shots}/fit-labels-edited-390.png` });
});

test('LAs are listed by the names the file gives them', async ({ page }) => {
  const { csv } = engine.makeSample('hood2021-referrals');
  const lines = csv.trim().split('\n');
  const la = lines[0].split(',').indexOf('la');
  const named = [`${lines[0]},la_name`, ...lines.slice(1).map((l) => `${l},Borough of ${l.split(',')[la].slice(2)}`)].join('\n');
  await openFit(page);
  await dropFile(page, 'named.csv', named);
  await expect(page.locator('#fit')).toHaveAttribute('data-file', 'named.csv', { timeout: 30_000 });
  await page.fill('#formula', 'referrals ~ within(income_dep / 10, la) + offset(log(children / 10000)) + (1 | la)');
  await expect(page.locator('#validation .ok')).toBeVisible({ timeout: 30_000 });
  await fit(page);
  await expect(page.locator('#predict-level optgroup')).toHaveAttribute('label', 'Levels of la, named by la_name');
  await page.selectOption('#predict-level', { label: 'Borough of 003 (LA003)' });
  await page.click('#predict-button');
  await expect.poll(async () => (await cells(page, '#prediction-table')).map((r) => r[0]), { timeout: 30_000 })
    .toEqual(["An LA with Borough of 003 (LA003)'s values (random effects at 0)", 'Borough of 003 (LA003)']);
});
