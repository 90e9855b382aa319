import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BitgetError, Errors, err, formatMsg } from '../../src/domain/errors.js';

test('formatMsg fills positional placeholders and trims a trailing empty one', () => {
  assert.equal(formatMsg('Parameter {0} error', ['orderId']), 'Parameter orderId error');
  assert.equal(formatMsg('The order {0}:{1} have filled or cancelled', ['123', 'filled']), 'The order 123:filled have filled or cancelled');
  // a missing argument renders as '' and the message is not left with a trailing space
  assert.equal(formatMsg('Parameter verification failed {0}', []), 'Parameter verification failed');
  assert.equal(formatMsg('no placeholders', ['x']), 'no placeholders');
});

test('err() builds a BitgetError with code, filled msg and HTTP status', () => {
  const e = err(Errors.PARAM_EMPTY, 'symbol');
  assert.ok(e instanceof BitgetError);
  assert.ok(e instanceof Error);
  assert.equal(e.code, '40019');
  assert.equal(e.message, 'Parameter symbol cannot be empty');
  assert.equal(e.status, 400);
  assert.equal(err(Errors.AMOUNT_TOO_SMALL, '5').message, 'less than the minimum amount 5 USDT');
  assert.equal(err(Errors.PERMISSION_DENIED, 'contract order write').message, 'Incorrect permissions, need contract order write permissions');
});

test('catalogue: every code is a numeric string, HTTP status per Bitget (auth 400, 404, 429)', () => {
  for (const [name, d] of Object.entries(Errors)) {
    assert.match(d.code, /^\d{3,6}$/, name);
    assert.equal(typeof d.msg, 'string', name);
    assert.ok(Number.isInteger(d.status) && d.status >= 400 && d.status < 600, `${name} status ${d.status}`);
  }
  assert.equal(Errors.TOO_MANY_REQUESTS.status, 429);
  assert.equal(Errors.TOO_MANY_REQUESTS.code, '429');
  assert.equal(Errors.TOO_MANY_REQUESTS.msg, 'Too Many Requests');
  assert.equal(Errors.URL_NOT_FOUND.status, 404);
  assert.equal(Errors.URL_NOT_FOUND.code, '40404');
  // reference §2.4: every auth failure is HTTP 400
  for (const n of ['ACCESS_KEY_EMPTY', 'ACCESS_SIGN_EMPTY', 'SIGNATURE_EMPTY', 'TIMESTAMP_INVALID', 'ACCESS_KEY_INVALID', 'TIMESTAMP_EXPIRED', 'SIGN_ERROR', 'PASSPHRASE_EMPTY', 'PASSPHRASE_INCORRECT', 'PERMISSION_DENIED', 'IP_INVALID'] as const) {
    assert.equal(Errors[n].status, 400, n);
  }
  // exact texts clients match on (reference §3)
  assert.equal(Errors.SPOT_ORDER_NOT_FOUND.msg, 'The order does not exist');
  assert.equal(Errors.MIX_ORDER_NOT_FOUND.code, '40768');
  assert.equal(Errors.SIGN_ERROR.msg, 'sign signature error');
  assert.equal(Errors.BATCH_TOO_LARGE_V2.code, '40912');
});

test('catalogue entries are frozen', () => {
  assert.ok(Object.isFrozen(Errors.SIGN_ERROR));
  assert.throws(() => {
    (Errors.SIGN_ERROR as { code: string }).code = '0';
  }, TypeError);
});
