/** Funding: the rate formula and the 8-hour settlement (issue 11 item 2). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fundingPayment, fundingRate, fundingTimesBetween, nextFundingTime, premiumOf } from '../../src/market/funding.js';

const T = (iso: string) => Date.parse(iso);

test('settlement every 8 h at 00:00, 08:00, 16:00 UTC of market time', () => {
  assert.equal(nextFundingTime(T('2026-12-02T07:59:59Z')), T('2026-12-02T08:00:00Z'));
  assert.equal(nextFundingTime(T('2026-12-02T08:00:00Z')), T('2026-12-02T16:00:00Z'));
  assert.deepEqual(fundingTimesBetween(T('2026-12-02T08:00:00Z'), T('2026-12-03T08:00:00Z')), [
    T('2026-12-02T16:00:00Z'),
    T('2026-12-03T00:00:00Z'),
    T('2026-12-03T08:00:00Z'),
  ]);
  assert.deepEqual(fundingTimesBetween(T('2026-12-02T08:00:01Z'), T('2026-12-02T15:59:59Z')), []);
});

test('rate: interest 0.01% when price = index; damped premium; capped', () => {
  assert.equal(fundingRate([]), '0.0001');
  assert.equal(fundingRate([premiumOf('30000', '30000')]), '0.0001');
  // premium 0.0003 inside the damper: rate = interest
  assert.equal(fundingRate([premiumOf('30009', '30000')]), '0.0001');
  // premium 0.001: 0.001 + clamp(0.0001 - 0.001 = -0.0009 -> -0.0005) = 0.0005
  assert.equal(fundingRate([premiumOf('30030', '30000')]), '0.0005');
  // mean of samples
  assert.equal(fundingRate(['0.002', '0']), '0.0005');
  // negative premium -0.002: -0.002 + 0.0005 = -0.0015
  assert.equal(fundingRate([premiumOf('29940', '30000')]), '-0.0015');
  // capped at 0.3%
  assert.equal(fundingRate([premiumOf('31000', '30000')]), '0.003');
  assert.equal(fundingRate([premiumOf('29000', '30000')], '0.001'), '-0.001');
});

test('payment: longs pay shorts when positive, in the margin coin; payer rounds up, receiver down', () => {
  const p = { size: '0.1234', markPrice: '30000.3', rate: '0.0001', inverse: false, scale: 8 } as const;
  // 0.1234 x 30000.3 x 0.0001 = 0.370203702
  assert.equal(fundingPayment({ ...p, holdSide: 'long' }), '-0.37020371');
  assert.equal(fundingPayment({ ...p, holdSide: 'short' }), '0.3702037');
  assert.equal(fundingPayment({ ...p, holdSide: 'long', rate: '-0.0001' }), '0.3702037');
  assert.equal(fundingPayment({ ...p, holdSide: 'short', rate: '-0.0001' }), '-0.37020371');
  // COIN-M: size x rate in the base coin
  assert.equal(fundingPayment({ ...p, holdSide: 'long', inverse: true }), '-0.00001234');
  assert.equal(fundingPayment({ ...p, holdSide: 'long', rate: '0' }), '0');
});
