// Every long job on a fitted model can be stopped like a fit: profile intervals, the model check,
// the comparison of the six models and the comparison with a second model. Stop terminates the
// fitting worker, which held the fitted model; the page says what was stopped, keeps the results
// and everything the user entered, and brings the model back in a fresh worker by itself, with
// the controls that need it waiting until it is back. Then jobs run to completion again.
import { test, expect } from '@playwright/test';
import { shots, openFit, loadSample, fit } from './fit-helpers.js';

test.describe.configure({ timeout: 600_000 });

const NEEDS_MODEL = ['#profile-button', '#compare-button', '#compare-models-button', '#predict-button', '#check-button', '#ranef-button'];

/** Frames the main thread draws in one second (a frozen page draws none). */
function framesInASecond(page) {
  return page.evaluate(() => new Promise((resolve) => {
    let n = 0;
    const end = performance.now() + 1000;
    const tick = (t) => { n += 1; if (t < end) requestAnimationFrame(tick); else resolve(n); };
    requestAnimationFrame(tick);
  }));
}

/** What the page shows the moment a job is stopped: where the model is, and the waiting controls. */
function stateAfterStop(page) {
  return page.evaluate((selectors) => ({
    kept: document.querySelector('#fit').dataset.keptModel,
    disabled: selectors.map((s) => document.querySelector(s).disabled),
    notes: selectors.map((s) => document.querySelector(s).nextElementSibling?.classList.contains('model-away') ?? false),
  }), NEEDS_MODEL);
}

/** Waits until the fitted model is back, and checks that the waiting controls are given back. */
async function modelBack(page, timeout = 60_000) {
  await expect(page.locator('#fit')).toHaveAttribute('data-kept-model', 'back', { timeout });
  await expect(page.locator('.model-away')).toHaveCount(0);
  for (const s of NEEDS_MODEL.filter((x) => x !== '#profile-button')) await expect(page.locator(s)).toBeEnabled();
}

/** Starts a job with its button and stops it at once, in one task (so it is surely still running). */
async function startAndStop(page, start, stop) {
  await page.evaluate(([a, b]) => {
    document.querySelector(a).click();
    document.querySelector(b).click();
  }, [start, stop]);
}

test('profile intervals on the national sample stop at once, and the fitted model comes back by itself', async ({ page }) => {
  await openFit(page);
  await page.click('[data-sample=hood2021-england]');
  await expect(page.locator('#validation .ok')).toBeVisible({ timeout: 120_000 });
  await page.check('#family-nbinom2');
  await page.check('#choice-la_slope');
  await expect(page.locator('#formula')).toHaveValue(/\(1 \+ within\(income_dep \/ 10, la\) \| la\)$/);
  await expect(page.locator('#validation .ok')).toBeVisible({ timeout: 60_000 });
  const formula = await page.inputValue('#formula');
  await fit(page, 300_000);
  const coefficients = await page.locator('#coefficients-table').textContent();

  // The profiles of this model take well under a second, so Stop is focused as soon as the
  // job starts and reached with the keyboard like the fit's Cancel.
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.evaluate(() => {
    document.querySelector('#profile-button').click();
    document.querySelector('#stop-profile').focus();
  });
  await page.keyboard.press('Enter');
  const stopped = Date.now();
  const after = await stateAfterStop(page);
  await expect(page.locator('#profile-stopped')).toHaveText('Profile intervals stopped; the Wald intervals are shown.');
  await expect(page.locator('#profile-stopped')).toBeFocused();
  await expect(page.locator('#stop-profile')).toHaveCount(0);
  expect(after.kept).toBe('restoring');
  expect(after.disabled).toEqual(NEEDS_MODEL.map(() => true));
  expect(after.notes).toEqual(NEEDS_MODEL.map(() => true));
  await page.locator('#profile-panel').screenshot({ path: `${shots}/fit-stop-profile-stopped.png` });

  // The page answers while the model is refitted, the results stay and nothing entered is lost.
  expect(await framesInASecond(page)).toBeGreaterThan(20);
  await expect(page.locator('#coefficients-table')).toHaveText(coefficients);
  await expect(page.locator('#coefficients-table thead')).not.toContainText('profile');
  await expect(page.locator('#formula')).toHaveValue(formula);
  await expect(page.locator('#fit')).toHaveAttribute('data-fit-state', 'done');

  await modelBack(page, 300_000);
  const timing = { rows: 32844, model: 'NB2, LA random slope', stop_to_model_back_ms: Date.now() - stopped };
  test.info().annotations.push({ type: 'timing', description: JSON.stringify(timing) });
  console.log(`stopped profiles, the fitted model back after: ${JSON.stringify(timing)}`);
  await expect(page.locator('#profile-button')).toBeEnabled();
  // A question to the kept model is answered (the fresh worker holds it) ...
  await page.click('#predict-button');
  await expect(page.locator('#prediction-table')).toBeVisible({ timeout: 60_000 });
  // ... and a comparison runs to completion.
  await page.fill('#second-formula', formula.replace('(1 + within(income_dep / 10, la) | la)', '(1 | la)'));
  await page.click('#compare-models-button');
  await expect(page.locator('#second-lr')).toContainText('Likelihood-ratio test', { timeout: 400_000 });
});

test('the model check and both comparisons stop too; afterwards profiles and the check run to completion', async ({ page }) => {
  await openFit(page);
  await loadSample(page, 'hood2021-referrals');
  await fit(page);
  const coefficients = await page.locator('#coefficients-table').textContent();

  await startAndStop(page, '#check-button', '#stop-check');
  await expect(page.locator('#check-stopped')).toHaveText('The model check was stopped; nothing was changed.');
  await page.setViewportSize({ width: 390, height: 844 });
  await page.locator('#model-check').screenshot({ path: `${shots}/fit-stop-check-phone.png` });
  await modelBack(page);

  await startAndStop(page, '#compare-button', '#stop-compare');
  await expect(page.locator('#compare-stopped')).toHaveText('The comparison of the six models was stopped.');
  await modelBack(page);

  const second = 'referrals ~ offset(log(children / 10000)) + (1 | la)';
  await page.fill('#second-formula', second);
  await startAndStop(page, '#compare-models-button', '#stop-second');
  await expect(page.locator('#second-stopped')).toHaveText('The comparison with the second model was stopped; its formula is kept.');
  await expect(page.locator('#second-formula')).toHaveValue(second);
  await modelBack(page);

  await startAndStop(page, '#profile-button', '#stop-profile');
  await expect(page.locator('#profile-stopped')).toHaveText('Profile intervals stopped; the Wald intervals are shown.');
  await modelBack(page);
  await page.setViewportSize({ width: 1280, height: 720 });
  await expect(page.locator('#coefficients-table')).toHaveText(coefficients);

  // With the model back, each job runs to completion.
  await page.click('#profile-button');
  await expect(page.locator('#fit-results')).toHaveAttribute('data-profiled', 'true', { timeout: 120_000 });
  await expect(page.locator('#coefficients-table thead')).toContainText('95% CI (profile)');
  await page.click('#check-button');
  await expect(page.locator('#check-table')).toBeVisible({ timeout: 120_000 });
  await page.click('#compare-models-button');
  await expect(page.locator('#second-table')).toBeVisible({ timeout: 120_000 });
  await page.locator('#fit-results').screenshot({ path: `${shots}/fit-stop-after-projector.png` });
});
