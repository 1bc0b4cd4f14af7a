// The fitting workflow's bindings under Node: reading, summarising, validating, deriving,
// guided formulas, fitting and comparing, against glmmTMB's numbers for the same data
// (tests/report_support/la12.csv, fitted in R by glmmTMB 1.1.5).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as engine from './engine.mjs';

const LA12 = readFileSync(new URL('../report_support/la12.csv', import.meta.url));
const FORMULA_A = 'count ~ imd_z * la_imd + offset(log(pop/10000)) + (1 + imd_z | la)';
const bytes = (text) => new TextEncoder().encode(text);
const close = (a, b, tol, what) => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);

test("the forms' roles and answers come from the engine, with the values it reads", () => {
  const answers = engine.formAnswers();
  const s = new engine.Session(LA12);
  const entries = answers.roles;
  assert.deepEqual(entries.map((r) => r.key).sort(), Object.keys(s.overview(0).roles).sort());
  assert.deepEqual(entries.filter((r) => r.required).map((r) => r.key), ['count', 'population', 'deprivation']);
  for (const r of entries) assert.ok(r.label.length > 2 && r.hint.length > 10, r.key);
  assert.deepEqual(answers.families.map((f) => [f.value, f.name]),
    [['poisson', 'Poisson'], ['nbinom2', 'Negative binomial (NB2)'], ['nbinom1', 'Negative binomial (NB1)'],
      ['binomial', 'Binomial (proportions)']]);
  // Every preset's choices are among the answers offered.
  for (const { choices } of engine.modelPresets()) {
    assert.ok(answers.families.some((f) => f.value === choices.family));
    assert.ok(answers.centring.some((a) => a.value === choices.centring));
    for (const key of ['unit', 'la_unit']) assert.ok(answers.units.some((a) => a.value === choices[key]), key);
    for (const key of ['la_deprivation', 'gini', 'rural']) assert.ok(answers.uses.some((a) => a.value === choices[key]), key);
  }
  s.free();
});

test('a file is read, summarised and its column roles guessed', () => {
  const s = new engine.Session(LA12);
  const o = s.overview(3);
  assert.equal(o.rows, 300);
  assert.deepEqual(o.columns.map((c) => c.name), ['la', 'msoa', 'imd_z', 'la_imd', 'pop', 'count']);
  // The same summary computed here from the file's text.
  const lines = LA12.toString().trim().split('\n').slice(1).map((l) => l.split(','));
  const imd = lines.map((l) => Number(l[2]));
  const imdSummary = o.columns[2];
  assert.equal(imdSummary.kind, 'number');
  assert.equal(imdSummary.min, Math.min(...imd));
  assert.equal(imdSummary.max, Math.max(...imd));
  assert.equal(o.columns[0].kind, 'text');
  assert.equal(o.columns[0].distinct, 12);
  assert.equal(o.columns[5].whole_non_negative, true);
  assert.deepEqual(o.preview.row_numbers, [1, 2, 3]);
  assert.deepEqual(o.preview.rows[0], ['LA01', 'LA01_M1', '-0.626', '0.894', '492', '0']);
  assert.deepEqual(o.roles, {
    count: 'count', population: 'pop', deprivation: 'imd_z', la: 'la', msoa: 'msoa', la_deprivation: 'la_imd', gini: null, rural: null,
  });
  assert.equal(o.delimiter, ',');
  s.free();
});

test('validation names rows and counts the rows a model drops', () => {
  const csv = 'la,pop,dep,k\nA,100,10,3\nA,120,20,5\nA,90,15,-2\nB,80,30,4\nB,,35,6\nB,70,25,2\n';
  const s = new engine.Session(bytes(csv));
  const v = s.checkFormula('k ~ dep + offset(log(pop)) + (1 | la)').validation;
  assert.equal(v.rows_read, 6);
  assert.equal(v.rows_dropped_missing, 1);
  assert.equal(v.rows_used, 5);
  const negative = v.problems.find((p) => p.row === 3);
  assert.ok(negative, JSON.stringify(v.problems));
  assert.match(negative.message, /^row 3: /);
  assert.equal(negative.column, 'k');
  // A formula that cannot be parsed is an error at its term.
  assert.throws(() => s.checkFormula('k ~ dep +'), (e) => e instanceof Error && e.kind === 'formula' && e.span.start === 8);
  // An unknown column is a problem located in the formula.
  const unknown = s.checkFormula('k ~ deprivation').validation.problems[0];
  assert.deepEqual(unknown.span, { start: 4, end: 15 });
  assert.match(unknown.message, /unknown column 'deprivation'/);
  s.free();
});

test('a fit through the session agrees with glmmTMB (NB2, random slopes)', () => {
  const s = new engine.Session(LA12);
  let calls = 0;
  const stages = new Set();
  const out = s.fit({ fit: { formula: FORMULA_A, family: 'nbinom2' }, view: { roles: s.overview(1).roles } }, (p) => { calls += 1; stages.add(p.stage); });
  const r = out.report;
  assert.ok(calls > 0);
  // The page names every stage the progress reports with the engine's words for it.
  const named = engine.formAnswers().stages.map((x) => x.value);
  assert.ok(stages.has('laplace') && [...stages].every((x) => named.includes(x)), [...stages].join());
  // glmmTMB(FORMULA_A, family = nbinom2, data = la12)
  close(r.loglik, -593.09955963432, 1e-5, 'logLik');
  close(r.aic, 1202.19911926864, 1e-4, 'AIC');
  const beta = [4.00905156779365, 0.341643387252425, 0.24641900706787, -0.210738890959707];
  assert.deepEqual(r.coefficients.map((c) => c.term), ['(Intercept)', 'imd_z', 'la_imd', 'imd_z:la_imd']);
  r.coefficients.forEach((c, i) => close(c.estimate, beta[i], 1e-5, c.term));
  close(r.dispersion, 11.4418440910278, 11.44 * 1e-4, 'theta');
  close(r.random_effects[0].sd, 0.463200205072578, 0.4632 * 1e-3, 'LA intercept SD');
  // The views: the gradient is imd_z, moderated by la_imd (guessed: it is the LA-level column).
  const v = out.views;
  assert.equal(v.gradient_term, 'imd_z');
  close(v.gradient.headline.score.score, Math.exp(beta[1]), 1e-5, 'score');
  assert.equal(v.gradient.contexts.length, 3);
  close(v.gradient.contexts[0].score.score, Math.exp(beta[1] - beta[3]), 1e-5, 'low context');
  assert.deepEqual(v.charts.map((c) => c.id), ['deciles', 'la_gradients', 'observed_fitted']);
  // Random slopes give the per-LA scores: one row per LA.
  assert.equal(v.charts[1].table.rows.length, 12);
  const script = s.rScript({ file_name: 'la12.csv', formula: FORMULA_A, family: 'nbinom2' });
  assert.match(script, /family = nbinom2/);
  assert.match(script, /#   imd_z: 0\.34164/);
  s.free();
});

test('fitReport returns the engine report alone, agreeing with glmmTMB, and leaves the session usable', () => {
  const s = new engine.Session(LA12);
  const r = s.fitReport({ formula: FORMULA_A, family: 'nbinom2' }, () => {});
  // glmmTMB(FORMULA_A, family = nbinom2, data = la12)
  close(r.loglik, -593.09955963432, 1e-5, 'logLik');
  close(r.coefficients[1].estimate, 0.341643387252425, 1e-5, 'imd_z');
  assert.equal(r.family, 'nbinom2');
  assert.equal(r.converged, true);
  assert.throws(() => s.fitReport({ formula: 'count ~ imd_zz', family: 'poisson' }, () => {}), (e) => e.term === 'imd_zz');
  assert.throws(() => s.views({}), /no model has been fitted/);
  s.free();
});

test('the comparison agrees with glmmTMB and marks the preferred model', () => {
  const s = new engine.Session(LA12);
  const seen = new Set();
  const c = s.compare(FORMULA_A, (p) => seen.add(p.model));
  assert.deepEqual([...seen], [1, 2, 3, 4, 5, 6]);
  const aic = [1500.37161257775, 1292.55265354656, 1334.57243024224, 1211.63345178157, 1202.19911926864, 1202.07227903121];
  c.models.forEach((m, i) => close(m.aic, aic[i], 1e-4, m.name));
  assert.equal(c.preferred, 'Negative binomial 1 + (1 + imd_z | la)');
  assert.ok(c.lr_tests.length >= 4);
  s.free();
});

test('LA deprivation derived and the Hood preset written, fitted and recovered on its sample', () => {
  const made = engine.makeSample('hood2021-referrals');
  const s = new engine.Session(bytes(made.csv));
  const derived = s.derive(made.sample.derive);
  assert.equal(derived.name, 'la_income_dep');
  assert.equal(derived.groups, 40);
  const roles = { ...s.overview(1).roles, la_deprivation: 'la_income_dep' };
  const hood = engine.modelPresets().find((p) => p.id === 'hood2021');
  const g = s.guide(roles, hood.choices);
  assert.equal(g.formula, made.sample.model.formula);
  assert.match(g.formula, /^referrals ~ within\(income_dep \/ 10, la\) \* I\(\(la_income_dep - [\d.]+\) \/ 10\) \+ offset\(log\(children \/ 10000\)\) \+ \(1 \| la\)$/);
  const out = s.fit({ fit: { formula: g.formula, family: 'poisson' }, view: { roles, gradient_term: g.gradient_term, gradient_step: g.gradient_step, moderators: g.moderators } }, () => {});
  const score = out.views.gradient.headline.score;
  // Simulated with Hood et al. 2021, Table 2: 1.62 per 10 points, interaction 0.80.
  assert.ok(score.ci_low < 1.62 && 1.62 < score.ci_high, JSON.stringify(score));
  const interaction = out.report.coefficients.find((c) => c.term.includes(':'));
  assert.ok(interaction.irr_ci_low < 0.8 && 0.8 < interaction.irr_ci_high, JSON.stringify(interaction));
  // Deriving the same name again replaces the column.
  assert.equal(s.derive(made.sample.derive).groups, 40);
  s.free();
});

test('samples are deterministic, carry their sources, and reach national size', () => {
  const a = engine.makeSample('webb2020-cla');
  const b = engine.makeSample('webb2020-cla');
  assert.equal(a.csv, b.csv);
  assert.equal(a.sample.family, 'nbinom1');
  const gradient = a.sample.parameters.find((p) => p.label.startsWith('Social gradient'));
  assert.equal(gradient.value, 0.5293); // Webb et al. 2020, Table 3, CLA: LSOA IMD score B
  assert.match(gradient.source, /Table 3/);
  const national = engine.makeSample('national-referrals');
  assert.equal(national.sample.rows, 33000);
  assert.equal(national.csv.trim().split('\n').length, 33001);
  assert.deepEqual(engine.sampleCatalogue().map((s) => s.id), ['hood2021-referrals', 'webb2020-cla']);
  assert.throws(() => engine.makeSample('nope'), /no sample called 'nope'/);
});

test('errors are Error objects carrying kind, row, column and term', () => {
  const kinds = (fn) => {
    try {
      fn();
    } catch (e) {
      assert.ok(e instanceof Error);
      return e;
    }
    assert.fail('no error');
  };
  let e = kinds(() => new engine.Session(new Uint8Array()));
  assert.equal(e.kind, 'data_file');
  assert.equal(e.reason, 'empty');
  e = kinds(() => new engine.Session(bytes('a,b\n1,2\n3\n')));
  assert.equal(e.reason, 'ragged');
  assert.equal(e.row, 2);
  assert.match(e.message, /^row 2 \(line 3 of the file\)/);
  e = kinds(() => new engine.Session(bytes('\u0000\u0001\u0002PK\u0003\u0004binary')));
  assert.equal(e.kind, 'data_file');

  const s = new engine.Session(bytes('la,pop,dep,k,name\nA,100,10,0,x\nA,120,20,0,y\nB,80,30,0,z\nB,70,25,0,w\n'));
  e = kinds(() => s.fit({ fit: { formula: 'name ~ dep', family: 'poisson' } }, () => {}));
  assert.equal(e.kind, 'formula');
  assert.equal(e.term, 'name');
  e = kinds(() => s.fit({ fit: { formula: 'k ~ dep + offset(log(pop))', family: 'poisson' } }, () => {}));
  assert.equal(e.kind, 'data');
  assert.equal(e.message, 'k is 0 in every row used; a count model needs some counts above 0');
  e = kinds(() => s.guide({ count: 'k', population: 'pop', deprivation: 'dep' }, engine.modelPresets()[0].choices));
  assert.match(e.message, /local authority \(LA\) column/);
  e = kinds(() => s.derive({ value: 'name', weight: 'pop', group: 'la', name: 'la_name' }));
  assert.equal(e.column, 'name');
  assert.throws(() => s.views({}), /no model has been fitted yet/);
  // The module still works after every error.
  assert.equal(s.overview(1).rows, 4);
  s.free();
});

test('a semicolon file keeps its delimiter for the R script', () => {
  const s = new engine.Session(bytes('la;pop;dep;k\nA;100;1,5;3\nA;120;2,5;5\nB;80;3,5;4\nB;70;0,5;2\n'));
  assert.equal(s.overview(1).delimiter, ';');
  const script = s.rScript({ file_name: 'x.csv', formula: 'k ~ dep', family: 'poisson' });
  assert.match(script, /read\.csv2\("x\.csv"/);
  s.free();
});

test('the national sample on England\'s real neighbourhoods, from the three public tables', () => {
  const read = (name) => new Uint8Array(readFileSync(new URL(`../../data/${name}`, import.meta.url)));
  const [lsoas, las, centroids] = [read('england_lsoa11.csv'), read('england_upper_tier_las.csv'), read('england_lsoa11_centroids.csv')];
  const entry = engine.englandSampleEntry();
  assert.equal(entry.id, 'hood2021-england');
  assert.match(entry.title, /^England's 32,844 neighbourhoods/);
  assert.match(entry.description, /^The neighbourhoods are England's real LSOAs/);
  const a = engine.makeEnglandSample(lsoas, las, centroids);
  const { sample } = a;
  assert.deepEqual([sample.rows, sample.las, sample.msoas], [32844, 151, 6791]);
  assert.equal(sample.label, 'Real places, synthetic counts');
  assert.match(sample.attribution, /Open Government Licence v3\.0/);
  const lines = a.csv.trim().split('\n');
  assert.equal(lines.length, 32845);
  assert.equal(lines[0], 'neighbourhood,la,la_name,easting,northing,country,msoa,children,income_dep,rural,referrals');
  assert.match(lines[1], /^E01000001,E09000001,City of London,532179\.2,181797\.7,England,E02000001,175,0\.7,0,\d+$/);
  assert.match(sample.attribution, /Contains OS data/);
  assert.deepEqual(sample.parameters.filter((p) => p.kind.startsWith('field')).map((p) => p.value), [0.3, 5000]);
  assert.equal(engine.makeEnglandSample(lsoas, las, centroids).csv, a.csv); // same seed, same counts
  assert.deepEqual(sample.roles, { count: 'referrals', population: 'children', deprivation: 'income_dep', la: 'la', msoa: 'msoa', la_deprivation: null, gini: null, rural: 'rural' });
  const gradient = sample.parameters.find((p) => p.label.startsWith('Social gradient'));
  assert.ok(Math.abs(gradient.shown - 1.62) < 1e-12);
  assert.match(gradient.source, /Hood et al\. 2021, Table 2/);
  // A broken table is an error naming the file, row and column.
  const broken = new TextEncoder().encode(new TextDecoder().decode(lsoas).replace(',0.007,', ',x,'));
  assert.throws(() => engine.makeEnglandSample(broken, las, centroids), /england_lsoa11\.csv, row 1, column income2019_score/);
});

test('commas in quoted header names do not hide a semicolon file from the R script', () => {
  const s = new engine.Session(bytes('la;k;"dep, score";"notes, if, any"\nA;3;1,5;a\nA;5;2,5;b\nB;4;3,5;"c, d"\n'));
  const o = s.overview(1);
  assert.equal(o.delimiter, ';');
  assert.equal(o.decimal_comma, true);
  assert.deepEqual(o.columns.map((c) => c.name), ['la', 'k', 'dep, score', 'notes, if, any']);
  const script = s.rScript({ file_name: 'x.csv', formula: 'k ~ 1', family: 'poisson' });
  assert.match(script, /data <- read\.csv2\("x\.csv", check\.names = FALSE/);
  const points = new engine.Session(bytes('la;k;dep\nA;3;1.5\nB;4;2.5\n'));
  assert.equal(points.overview(1).decimal_comma, false);
  assert.match(points.rScript({ file_name: 'y.csv', formula: 'k ~ dep', family: 'poisson' }), /read\.csv\("y\.csv", sep = ";"/);
  s.free();
  points.free();
});

test('the random effects by LA: modes, conditional SDs, intervals, charts and warnings with advice', () => {
  const s = new engine.Session(LA12);
  assert.throws(() => s.randomEffects(), /no model has been fitted yet/);
  const out = s.fit({ fit: { formula: FORMULA_A, family: 'nbinom2' }, view: { roles: s.overview(1).roles } }, () => {});
  for (const w of out.report.warnings) assert.deepEqual(Object.keys(w).sort(), ['advice', 'code', 'message']);
  const { report, charts } = s.randomEffects();
  assert.deepEqual(report.terms.map((t) => [t.group, t.term, t.levels.length]), [['la', '(Intercept)', 12], ['la', 'imd_z', 12]]);
  const fitted = out.report.random_effects;
  for (const [k, t] of report.terms.entries()) {
    close(t.sd, fitted[k].sd, 1e-12, 'SD');
    for (const l of t.levels) {
      assert.equal(l.rows, 25);
      close(l.ci_low, l.mode - 1.959963984540054 * l.sd, 1e-12, `${l.level} low`);
      assert.ok(l.sd > 0 && l.sd < t.sd, `${l.level}: ${l.sd}`);
    }
  }
  assert.deepEqual(charts.map((c) => c.id), ['ranef_1', 'ranef_2', 'ranef_gradient']);
  assert.equal(charts[0].table.rows.length, 12);
  const modes = charts[0].table.rows.map((r) => Number(r[2]));
  assert.deepEqual([...modes].sort((a, b) => a - b), modes);
  assert.equal(report.gradients[0].gradients.length, 12);
  s.free();
});
