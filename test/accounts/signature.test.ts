/**
 * Bitget's signature check on its own (reference §1.1-1.4), without HTTP.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import { TIMESTAMP_WINDOW_MS, signatureMatches, timestampInWindow } from '../../src/accounts/signature.js';

const secret = 'f'.repeat(64);
const sign = (prehash: string) => createHmac('sha256', secret).update(prehash).digest('base64');
const key = Buffer.from(secret, 'utf8');
const ts = '1700000000000';

test('the prehash is timestamp + METHOD + path + ?query + body; every other form is refused', { timeout: 10_000 }, () => {
  const url = '/api/v2/mix/order/orders-pending?productType=USDT-FUTURES&symbol=BTC%2FUSDT';
  assert.equal(signatureMatches(key, { method: 'get', rawUrl: url, rawBody: '' }, ts, sign(`${ts}GET${url}`)), true);
  // ccxt signs the decoded query
  assert.equal(signatureMatches(key, { method: 'GET', rawUrl: url, rawBody: '' }, ts, sign(`${ts}GET${decodeURIComponent(url)}`)), true);
  const body = '{"productType":"USDT-FUTURES"}';
  const p = '/api/v2/mix/order/cancel-all-orders';
  assert.equal(signatureMatches(key, { method: 'POST', rawUrl: p, rawBody: body }, ts, sign(`${ts}POST${p}${body}`)), true);
  // a `{}` body may have been signed over an empty body; any other body may not
  assert.equal(signatureMatches(key, { method: 'POST', rawUrl: p, rawBody: '{}' }, ts, sign(`${ts}POST${p}`)), true);
  assert.equal(signatureMatches(key, { method: 'POST', rawUrl: p, rawBody: body }, ts, sign(`${ts}POST${p}`)), false);
  // other timestamp, method, path or body; a truncated or non-base64 signature
  assert.equal(signatureMatches(key, { method: 'POST', rawUrl: p, rawBody: body }, '1700000000001', sign(`${ts}POST${p}${body}`)), false);
  assert.equal(signatureMatches(key, { method: 'GET', rawUrl: p, rawBody: body }, ts, sign(`${ts}POST${p}${body}`)), false);
  assert.equal(signatureMatches(key, { method: 'POST', rawUrl: `${p}/`, rawBody: body }, ts, sign(`${ts}POST${p}${body}`)), false);
  assert.equal(signatureMatches(key, { method: 'POST', rawUrl: p, rawBody: body }, ts, sign(`${ts}POST${p}${body}`).slice(0, 20)), false);
  assert.equal(signatureMatches(key, { method: 'POST', rawUrl: p, rawBody: body }, ts, '!!not base64!!'), false);
});

test('the timestamp window is 30 s either way', { timeout: 10_000 }, () => {
  const now = Number(ts);
  assert.equal(TIMESTAMP_WINDOW_MS, 30_000);
  assert.equal(timestampInWindow(String(now - 30_000), now), true);
  assert.equal(timestampInWindow(String(now + 30_000), now), true);
  assert.equal(timestampInWindow(String(now - 30_001), now), false);
  assert.equal(timestampInWindow(String(now + 30_001), now), false);
});
