/**
 * Rate limits (reference §7): per UID and per endpoint, Bitget's per-second numbers, HTTP 429
 * with the Bitget envelope, and `x-mbx-used-remain-limit` counting down.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { FlexibleRateLimiter, NoRateLimiter } from '../../src/http/ratelimit.js';
import { call, placeMix, startTestServer, type TestKey, type TestServer } from '../helpers.js';

let s: TestServer;
before(async () => {
  s = await startTestServer({ rateLimit: true });
});
after(() => s.close());

const CANCEL = '/api/v2/mix/order/cancel-order';
const cancel = (key: TestKey, orderId: string) =>
  call(s, key, 'POST', CANCEL, { symbol: 'BTCUSDT', productType: 'USDT-FUTURES', orderId });

const COUNTDOWN = ['9', '8', '7', '6', '5', '4', '3', '2', '1', '0'];

/**
 * Runs `attempt` until its ten requests fell into one rate-limit window (the remaining-limit
 * header counted 9..0 without restarting); a loaded machine may straddle a window boundary,
 * which only means another try a second later.
 */
async function inOneWindow(attempt: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 5; i++) {
    if (await attempt()) return;
    await new Promise((res) => setTimeout(res, 1100));
  }
  assert.fail('never managed 11 requests inside one 1 s window');
}

test('the 11th cancel in one second is HTTP 429; the remaining-limit header counts down', async () => {
  let keep = '';
  await inOneWindow(async () => {
    [keep] = await placeMix(s, s.classic, 1);
    const remaining: string[] = [];
    for (let i = 0; i < 10; i++) {
      const r = await cancel(s.classic, String(1000 + i)); // unknown orders still count
      assert.equal(r.status, 400);
      assert.equal(r.body.code, '40768');
      remaining.push(String(r.headers['x-mbx-used-remain-limit']));
    }
    if (remaining.join() !== COUNTDOWN.join()) return false;
    const r = await cancel(s.classic, keep);
    if (r.status === 200) return false; // the window ended just before the 11th
    assert.equal(r.status, 429);
    assert.equal(r.body.code, '429');
    assert.equal(r.body.msg, 'Too Many Requests');
    assert.equal(r.body.data, null);
    assert.equal(typeof r.body.requestTime, 'number');
    assert.equal(r.headers['x-mbx-used-remain-limit'], '0');
    assert.equal(typeof r.headers['x-request-id'], 'string');
    return true;
  });

  // the refused cancel did nothing
  const d = await call(s, s.classic, 'GET', `/api/v2/mix/order/detail?symbol=BTCUSDT&productType=USDT-FUTURES&orderId=${keep}`);
  assert.equal(d.body.data.status, 'live');

  // another UID on the same endpoint is unaffected
  const o = await cancel(s.other, '1');
  assert.equal(o.status, 400);
  assert.equal(o.body.code, '40768');
  assert.equal(o.headers['x-mbx-used-remain-limit'], '9');

  // the same UID on another endpoint is unaffected
  const b = await call(s, s.classic, 'POST', '/api/v2/mix/order/batch-cancel-orders', {
    symbol: 'BTCUSDT',
    productType: 'USDT-FUTURES',
    orderIdList: [{ orderId: keep }],
  });
  assert.equal(b.status, 200);
  assert.equal(b.body.code, '00000');
  assert.deepEqual(b.body.data.successList, [{ orderId: keep, clientOid: '' }]);

  // the window is one second: shortly after, cancels are allowed again
  const deadline = Date.now() + 3000;
  let again = await cancel(s.classic, '1');
  while (again.status === 429 && Date.now() < deadline) {
    await new Promise((res) => setTimeout(res, 50));
    again = await cancel(s.classic, '1');
  }
  assert.equal(again.status, 400);
  assert.equal(again.body.code, '40768');
});

test('the limit is per UID, not per key: two keys of one UID share the bucket', async () => {
  // orders-pending is 10/s per UID (not used by the other tests); classic and readOnly are two keys of UID 1001
  const path = '/api/v2/mix/order/orders-pending?productType=USDT-FUTURES';
  await inOneWindow(async () => {
    const remaining: string[] = [];
    for (let i = 0; i < 10; i++) {
      const r = await call(s, i % 2 ? s.readOnly : s.classic, 'GET', path);
      assert.equal(r.status, 200);
      remaining.push(String(r.headers['x-mbx-used-remain-limit']));
    }
    if (remaining.join() !== COUNTDOWN.join()) return false;
    const r = await call(s, s.readOnly, 'GET', path);
    if (r.status === 200) return false;
    assert.equal(r.status, 429);
    assert.equal(r.body.code, '429');
    return true;
  });
});

test('requests refused by auth do not use up the caller\'s quota', async () => {
  const path = '/api/v2/mix/order/orders-history?productType=USDT-FUTURES';
  for (let i = 0; i < 15; i++) {
    const r = await call(s, { ...s.otherUnified, apiKey: s.other.apiKey }, 'GET', path); // wrong secret
    assert.equal(r.body.code, '40009');
  }
  const ok = await call(s, s.other, 'GET', path);
  assert.equal(ok.status, 200);
  assert.equal(ok.headers['x-mbx-used-remain-limit'], '9');
});

test('FlexibleRateLimiter: separate buckets, per-second windows; NoRateLimiter never refuses', async () => {
  const l = new FlexibleRateLimiter();
  const a = [];
  for (let i = 0; i < 4; i++) a.push(await l.consume('a', 3));
  assert.deepEqual(a.map((v) => [v.allowed, v.remaining]), [[true, 2], [true, 1], [true, 0], [false, 0]]);
  assert.ok(a[3].resetMs > 0 && a[3].resetMs <= 1000);
  assert.deepEqual((await l.consume('b', 3)).remaining, 2);
  // the same key with another limit is another bucket
  assert.equal((await l.consume('a', 5)).allowed, true);
  await l.close();
  const n = new NoRateLimiter();
  for (let i = 0; i < 100; i++) assert.equal((await n.consume('x', 1)).allowed, true);
});
