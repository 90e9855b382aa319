import { test } from 'node:test';
import assert from 'node:assert/strict';
import { divRound, isNegative, max, min, neg, round, sum } from '../../src/domain/decimal.js';
import { Errors } from '../../src/domain/errors.js';

test('signed decimal helpers the ledger uses', () => {
  assert.equal(round('0.123', 2, 'up'), '0.13');
  assert.equal(round('0.121', 2, 'down'), '0.12');
  assert.equal(round('-0.125', 2, 'up'), '-0.13');
  assert.equal(round('0.125', 2, 'half_even'), '0.12');
  assert.equal(round('0.135', 2, 'half_even'), '0.14');
  assert.equal(divRound('10', '3', 8, 'up'), '3.33333334');
  assert.equal(divRound('10', '3', 8, 'down'), '3.33333333');
  assert.throws(() => divRound('1', '0', 2, 'up'));
  assert.equal(neg('1.5'), '-1.5');
  assert.equal(neg('-2'), '2');
  assert.equal(neg('0'), '0');
  assert.equal(isNegative('-0.00000001'), true);
  assert.equal(isNegative('0'), false);
  assert.equal(isNegative('-0'), false);
  assert.equal(min('1.50', '2'), '1.5');
  assert.equal(max('-1', '-2'), '-1');
  assert.equal(sum(['0.1', '0.2', '-0.3']), '0');
  assert.equal(sum([]), '0');
});

test('insufficient-balance codes exactly as Bitget sends them (reference §3.3)', () => {
  assert.deepEqual([Errors.INSUFFICIENT_BALANCE_SPOT.code, Errors.INSUFFICIENT_BALANCE_SPOT.msg], ['43012', 'Insufficient balance']);
  assert.deepEqual([Errors.INSUFFICIENT_BALANCE_MIX.code, Errors.INSUFFICIENT_BALANCE_MIX.msg], ['40762', 'The order amount exceeds the balance']);
  assert.deepEqual([Errors.INSUFFICIENT_BALANCE_UTA.code, Errors.INSUFFICIENT_BALANCE_UTA.msg], ['25202', 'Insufficient balance']);
  assert.deepEqual([Errors.BALANCE_NOT_ENOUGH.code, Errors.BALANCE_NOT_ENOUGH.msg], ['40754', 'balance not enough']);
  for (const e of [Errors.INSUFFICIENT_BALANCE_SPOT, Errors.INSUFFICIENT_BALANCE_MIX, Errors.INSUFFICIENT_BALANCE_UTA, Errors.BALANCE_NOT_ENOUGH]) assert.equal(e.status, 400);
});
