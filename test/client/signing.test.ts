/**
 * Signing (reference §1.1): the prehash and query serialisation, and a live ordergate
 * accepting what the client signs — including query values with reserved characters and
 * v3 bare-array bodies.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { BitgetApiError, buildQuery, sign, signedHeaders } from '../../src/client/index.js';
import { clientFor, startLive, type LiveServer } from './fixtures.js';

test('buildQuery sorts keys, percent-encodes values and drops undefined', () => {
  assert.equal(buildQuery({ symbol: 'BTCUSDT', limit: 100, cursor: undefined, a: 'x y&z=1/é' }), 'a=x%20y%26z%3D1%2F%C3%A9&limit=100&symbol=BTCUSDT');
  assert.equal(buildQuery({}), '');
  assert.equal(buildQuery(undefined), '');
});

test('sign = base64(HMAC-SHA256(secret, ts + METHOD + path + ?query + body))', () => {
  const want = (pre: string) => createHmac('sha256', 's3cr3t').update(pre).digest('base64');
  assert.equal(sign('s3cr3t', '1700000000000', 'get', '/api/v2/mix/market/depth', 'limit=20&symbol=BTCUSDT', ''), want('1700000000000GET/api/v2/mix/market/depth?limit=20&symbol=BTCUSDT'));
  assert.equal(sign('s3cr3t', '1700000000000', 'POST', '/api/v2/spot/trade/cancel-order', '', '{"symbol":"BTCUSDT"}'), want('1700000000000POST/api/v2/spot/trade/cancel-order{"symbol":"BTCUSDT"}'));
  assert.equal(sign('s3cr3t', '1', 'GET', '/p', '', ''), want('1GET/p'), 'no "?" without a query');
  const h = signedHeaders({ apiKey: 'k', secretKey: 's3cr3t', passphrase: 'p' }, 'GET', '/p', '', '', 42);
  assert.deepEqual(h, { 'ACCESS-KEY': 'k', 'ACCESS-SIGN': want('42GET/p'), 'ACCESS-TIMESTAMP': '42', 'ACCESS-PASSPHRASE': 'p' });
});

let s: LiveServer;
before(async () => {
  s = await startLive({ rateLimit: false });
});
after(async () => s.close());

test('a live ordergate accepts the signatures: reserved characters in query values, v3 array bodies', async () => {
  const cc = clientFor(s, s.classic, { accountMode: 'classic' });
  const oddOid = 'q=1&b:c/d%+x';
  const placed = await cc.placeOrder('SPOT', { symbol: 'BTCUSDT', side: 'buy', orderType: 'limit', price: '100', size: '1', clientOid: oddOid });
  const got = await cc.getOrder('SPOT', { symbol: 'BTCUSDT', clientOid: oddOid });
  assert.equal(got?.orderId, placed.orderId);
  assert.equal(got?.clientOid, oddOid);

  const uc = clientFor(s, s.unified, { accountMode: 'unified' });
  const r = await uc.placeOrders('SPOT', [
    { symbol: 'BTCUSDT', side: 'buy', orderType: 'limit', price: '100', size: '1', clientOid: 'a:b/c_1.x' },
    { symbol: 'ETHUSDT', side: 'buy', orderType: 'limit', price: '100', size: '1', clientOid: 'a:b/c_2.x' },
  ]);
  assert.equal(r.successList.length, 2);
  const u = await uc.getOrder('SPOT', { symbol: 'BTCUSDT', clientOid: 'a:b/c_1.x' });
  assert.equal(u?.status, 'live');
  const c = await uc.cancelOrders('SPOT', [
    { symbol: 'BTCUSDT', clientOid: 'a:b/c_1.x' },
    { symbol: 'ETHUSDT', clientOid: 'a:b/c_2.x' },
  ]);
  assert.equal(c.successList.length, 2);
});

test('a wrong secret is refused by the server with 40009', async () => {
  const bad = clientFor(s, { ...s.classic, secretKey: 'not-the-secret' }, { accountMode: 'classic' });
  await assert.rejects(bad.getOpenOrders('SPOT'), (e: unknown) => e instanceof BitgetApiError && e.code === '40009' && e.msg === 'sign signature error');
});
