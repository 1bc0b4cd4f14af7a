// Files that are not what the page expects, each generated here: every one gives a clear
// message, the page stays usable, and what the user typed (formula, column choices) is kept.
import { test, expect } from '@playwright/test';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { shots, engine, tempDir, openFit, loadSample, dropFile, chooseFile, fit } from './fit-helpers.js';

test.describe.configure({ timeout: 300_000 });

const USER_FORMULA = 'referrals ~ within(income_dep / 10, la) + offset(log(children / 1e4)) + (1 | la)';

/** The Hood sample's rows, with `edit(fields)` applied to each data row (fields: neighbourhood, la, children, income_dep, referrals). */
function hoodCsv(edit = (f) => f) {
  const lines = engine.makeSample('hood2021-referrals').csv.trim().split('\n');
  return [lines[0], ...lines.slice(1).map((l) => edit(l.split(',')).join(','))].join('\n') + '\n';
}

/** Loads the Hood sample, then types a formula and sets a column role by hand. */
async function userState(page) {
  await openFit(page);
  await loadSample(page, 'hood2021-referrals');
  await page.fill('#formula', USER_FORMULA);
  await page.selectOption('#role-msoa', 'neighbourhood');
  await expect(page.locator('#formula-edited')).toBeVisible();
}

/** What the user typed is still there. */
async function expectKept(page) {
  await expect(page.locator('#formula')).toHaveValue(USER_FORMULA);
}

test('unreadable files are refused with a clear message and change nothing', async ({ page }) => {
  await userState(page);
  const cases = [
    ['empty.csv', Buffer.alloc(0), 'empty.csv cannot be used: the file is empty; it needs a header row and at least one data row.'],
    ['blank.csv', Buffer.from('\n\n  \n'), 'the file is empty'],
    ['picture.csv', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]), 'it is a PNG image'],
    ['workbook.csv', Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(64, 7)]), 'cannot be read as CSV text'],
    ['header-only.csv', Buffer.from('la,children,income_dep,referrals\n'), 'the file has a header row but no data rows'],
    ['ragged.csv', Buffer.from('la,children,income_dep,referrals\nA,100,10,3\nB,90,20\n'), 'row 2 (line 3 of the file) has 3 cells but the header has 4 columns'],
  ];
  for (const [name, content, message] of cases) {
    await dropFile(page, name, content);
    await expect(page.locator('#load-error')).toContainText(message);
    await expect(page.locator('#load-error')).toContainText('The page still holds sample-hood2021-referrals.csv');
    await expect(page.locator('#fit')).toHaveAttribute('data-file', 'sample-hood2021-referrals.csv');
    await expectKept(page);
    await expect(page.locator('#role-msoa')).toHaveValue('neighbourhood');
  }
  await page.locator('#step-load').screenshot({ path: `${shots}/fit-bad-file.png` });
  // Still usable: the kept formula fits the kept data.
  await fit(page);
  await expect(page.locator('#fit-summary')).toContainText('offset(log(children/10000))');
});

test('files that load but cannot be modelled as they are say why, and the user keeps their work', async ({ page }) => {
  await userState(page);

  // Wrong delimiter: one column, named.
  await dropFile(page, 'pipes.csv', hoodCsv().replace(/,/g, '|'));
  await expect(page.locator('#load-warnings')).toContainText("the file seems to separate its columns with '|'");
  await expectKept(page);
  await expect(page.locator('#formula-error')).toContainText("unknown column 'referrals'");

  // No header row: the first row of data is taken for names.
  await dropFile(page, 'no-header.csv', hoodCsv().split('\n').slice(1).join('\n'));
  await expect(page.locator('#load-warnings')).toContainText('The first row looks like data rather than column names');
  await expectKept(page);

  // A required column missing: no child population.
  await dropFile(page, 'no-population.csv', hoodCsv().replace('neighbourhood,la,children,', 'neighbourhood,la,kids,'));
  // The choice is made on this file's columns, not on the previous file's while this one loads.
  await expect(page.locator('#fit')).toHaveAttribute('data-file', 'no-population.csv');
  await page.selectOption('#role-population', '');
  await expect(page.locator('#formula-error')).toContainText("unknown column 'children'");
  await page.click('#rewrite');
  await expect(page.locator('#formula-meaning')).toContainText('choose the column that holds the child population');
  await page.fill('#formula', USER_FORMULA);

  // A single LA: the LA random intercept cannot be estimated.
  await dropFile(page, 'one-la.csv', hoodCsv((f) => [f[0], 'LA001', ...f.slice(2)]));
  await expect(page.locator('#problems')).toContainText("the grouping factor 'la' has only one level");
  await expectKept(page);

  // All counts zero.
  await dropFile(page, 'zeros.csv', hoodCsv((f) => [...f.slice(0, 4), '0']));
  await expect(page.locator('#problems')).toContainText('referrals is 0 in every row used; a count model needs some counts above 0');
  await page.click('#fit-button');
  await expect(page.locator('#fit-message')).toContainText('The model could not be fitted');
  await page.locator('#step-model').screenshot({ path: `${shots}/fit-all-zero.png` });

  // A good file again: the typed formula and the column chosen by hand are back in use.
  await dropFile(page, 'good.csv', hoodCsv());
  await expect(page.locator('#role-msoa')).toHaveValue('neighbourhood');
  await expectKept(page);
  await expect(page.locator('#validation .ok')).toBeVisible();
  await fit(page);
  await expect(page.getByTestId('fit-score')).toBeVisible();
});

test('a 1,000,000-row file is read, checked and fitted while the page stays usable', async ({ page }) => {
  // Generated on the fly: 2,000 LAs of 500 neighbourhoods.
  const path = `${tempDir()}/million.csv`;
  const out = createWriteStream(path);
  out.write('la,children,income_dep,referrals\n');
  let seed = 7;
  const rand = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
  for (let block = 0; block < 100; block++) {
    let chunk = '';
    for (let i = block * 10_000; i < (block + 1) * 10_000; i++) {
      const dep = rand() * 40 + 1;
      const children = 200 + Math.floor(rand() * 250);
      const referrals = Math.floor(rand() * (4 + dep / 3));
      chunk += `LA${String(Math.floor(i / 500)).padStart(4, '0')},${children},${dep.toFixed(1)},${referrals}\n`;
    }
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');

  await openFit(page);
  await chooseFile(page, path);
  await expect(page.locator('#load-status')).toContainText('Loaded million.csv: 1,000,000 rows, 4 columns.', { timeout: 120_000 });
  await expect(page.locator('#validation .ok')).toContainText('the model can use 1,000,000 of the 1,000,000 rows', { timeout: 120_000 });
  await page.click('#fit-button');
  await expect(page.locator('#fit-progress')).toBeVisible();
  // The page answers while the engine works: the choices still rewrite the formula.
  await page.selectOption('#choice-unit', 'one_point');
  await expect(page.locator('#formula')).toHaveValue(/^referrals ~ within\(income_dep, la\)/);
  await page.selectOption('#choice-unit', 'ten_points');
  await expect(page.locator('#fit')).toHaveAttribute('data-fit-state', 'done', { timeout: 240_000 });
  await expect(page.locator('#fit-summary')).toContainText('1,000,000 rows');
});
