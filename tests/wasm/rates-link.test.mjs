// The real figures' link parameters (www/rates/link.js): `measure=` beside the calculator's own
// measure, `year=` and `map=`, read and written without disturbing the calculator's parameters.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { queryWithRates, ratesFromQuery } from '../../www/rates/link.js';

test('the defaults when the link names nothing of its own', () => {
  assert.deepEqual(ratesFromQuery('?outcome=cla&measure=referral&la=E06000009'), { measure: 'cla_at31', year: 2025, map: 'gradient' });
  assert.deepEqual(ratesFromQuery('?year=2012&measure=cla'), { measure: 'cla_at31', year: 2025, map: 'gradient' });
  assert.deepEqual(ratesFromQuery('?year=2020.5'), { measure: 'cla_at31', year: 2025, map: 'gradient' });
});

test('a DfE measure and a year, beside the calculator measure or alone', () => {
  assert.deepEqual(ratesFromQuery('?measure=referral&measure=cpp_at31&year=2020'), { measure: 'cpp_at31', year: 2020, map: 'gradient' });
  assert.deepEqual(ratesFromQuery('?measure=referrals&year=2013&map=ratio'), { measure: 'referrals', year: 2013, map: 'ratio' });
  assert.deepEqual(ratesFromQuery('?map=colour'), { measure: 'cla_at31', year: 2025, map: 'gradient' });
});

test('writing keeps the calculator parameters and leaves the defaults out', () => {
  const calc = '?outcome=cla&measure=referral&la=E06000009';
  assert.equal(queryWithRates(calc, { measure: 'cla_at31', year: 2025 }), calc);
  assert.equal(queryWithRates(calc, { measure: 'referrals', year: 2020 }), `${calc}&measure=referrals&year=2020`);
  // Written again with other values, the old ones are replaced, not repeated.
  const twice = queryWithRates(queryWithRates(calc, { measure: 'referrals', year: 2020 }), { measure: 'cin_at31', year: 2025 });
  assert.equal(twice, `${calc}&measure=cin_at31`);
  assert.deepEqual(ratesFromQuery(twice), { measure: 'cin_at31', year: 2025, map: 'gradient' });
  // The map's colouring: written when not the predicted gradient, replaced when changed.
  const coloured = queryWithRates(calc, { measure: 'cla_at31', year: 2025, map: 'rate' });
  assert.equal(coloured, `${calc}&map=rate`);
  assert.equal(queryWithRates(coloured, { measure: 'cla_at31', year: 2025, map: 'ratio' }), `${calc}&map=ratio`);
  assert.equal(queryWithRates(coloured, { measure: 'cla_at31', year: 2025, map: 'gradient' }), calc);
  assert.equal(queryWithRates('', { measure: 'cla_at31', year: 2025 }), '');
});
