/**
 * Bitget request authentication as a client sees it (reference §1, §2.4): every failure is
 * HTTP 400 with the Bitget code, `data: null`, and changes nothing.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createKey } from '../../src/accounts/keys.js';
import { call, placeMix, signBitget, startTestServer, type CallResult, type TestKey, type TestServer } from '../helpers.js';

let s: TestServer;
before(async () => {
  s = await startTestServer();
});
after(() => s.close());

const CANCEL_ALL = '/api/v2/mix/order/cancel-all-orders';
const PENDING = '/api/v2/mix/order/orders-pending?productType=USDT-FUTURES';
const cancelAllBody = { productType: 'USDT-FUTURES' };

function assertRejected(r: CallResult, code: string, msg?: string): void {
  assert.equal(r.status, 400, JSON.stringify(r.body));
  assert.equal(r.body.code, code, JSON.stringify(r.body));
  if (msg !== undefined) assert.equal(r.body.msg, msg);
  assert.equal(r.body.data, null);
  assert.equal(typeof r.body.requestTime, 'number');
}

async function pendingCount(key: TestKey = s.classic): Promise<number> {
  const r = await call(s, key, 'GET', PENDING);
  assert.equal(r.body.code, '00000');
  return r.body.data.entrustedList.length;
}

/** A signed inject with full control over the URL signed vs sent, the body, and the client address. */
async function signed(
  key: TestKey,
  method: 'GET' | 'POST',
  sentUrl: string,
  opts: { signedUrl?: string; body?: string; signedBody?: string; remoteAddress?: string; ts?: string } = {},
): Promise<CallResult> {
  const ts = opts.ts ?? String(Date.now());
  const body = opts.body ?? '';
  const sign = signBitget(key.secretKey, ts, method, opts.signedUrl ?? sentUrl, opts.signedBody ?? body);
  const res = await s.og.app.inject({
    method,
    url: sentUrl,
    remoteAddress: opts.remoteAddress,
    headers: {
      'content-type': 'application/json',
      'access-key': key.apiKey,
      'access-passphrase': key.passphrase,
      'access-timestamp': ts,
      'access-sign': sign,
    },
    ...(body !== '' ? { payload: body } : {}),
  });
  return { status: res.statusCode, body: JSON.parse(res.body), headers: res.headers };
}

test('a correctly signed request succeeds', async () => {
  const r = await call(s, s.classic, 'POST', CANCEL_ALL, cancelAllBody);
  assert.equal(r.status, 200);
  assert.equal(r.body.code, '00000');
  assert.equal(r.body.msg, 'success');
});

test('missing or empty headers: 40001, 40002, 40003, 40011, 40005', async () => {
  assertRejected(await call(s, s.classic, 'POST', CANCEL_ALL, cancelAllBody, { headers: { 'access-key': undefined } }), '40001', 'ACCESS_KEY cannot be empty');
  assertRejected(await call(s, s.classic, 'POST', CANCEL_ALL, cancelAllBody, { headers: { 'access-key': '' } }), '40001');
  assertRejected(await call(s, s.classic, 'POST', CANCEL_ALL, cancelAllBody, { headers: { 'access-sign': undefined } }), '40002', 'ACCESS_SIGN cannot be empty');
  assertRejected(await call(s, s.classic, 'POST', CANCEL_ALL, cancelAllBody, { headers: { 'access-sign': '' } }), '40003', 'Signature cannot be empty');
  assertRejected(
    await call(s, s.classic, 'POST', CANCEL_ALL, cancelAllBody, { headers: { 'access-passphrase': undefined } }),
    '40011',
    'ACCESS_PASSPHRASE cannot be empty',
  );
  assertRejected(await call(s, s.classic, 'POST', CANCEL_ALL, cancelAllBody, { headers: { 'access-timestamp': undefined } }), '40005', 'Invalid ACCESS_TIMESTAMP');
  for (const ts of ['abc', '17e11', '-1700000000000', '1700000000000.5', ' 1700000000000']) {
    assertRejected(await call(s, s.classic, 'POST', CANCEL_ALL, cancelAllBody, { timestamp: ts }), '40005');
  }
  // with no headers at all, the key is reported first
  const bare = await s.og.app.inject({ method: 'POST', url: CANCEL_ALL, headers: { 'content-type': 'application/json' }, payload: '{}' });
  assert.equal(bare.statusCode, 400);
  assert.equal(JSON.parse(bare.body).code, '40001');
});

test('timestamp window is 30 s either way (40008); 29 s is accepted', async () => {
  const now = Date.now();
  assertRejected(await call(s, s.classic, 'GET', PENDING, undefined, { timestamp: String(now - 31_000) }), '40008', 'Request timestamp expired');
  assertRejected(await call(s, s.classic, 'GET', PENDING, undefined, { timestamp: String(now + 31_000) }), '40008');
  // seconds instead of milliseconds is far outside the window
  assertRejected(await call(s, s.classic, 'GET', PENDING, undefined, { timestamp: String(Math.floor(now / 1000)) }), '40008');
  assert.equal((await call(s, s.classic, 'GET', PENDING, undefined, { timestamp: String(now - 29_000) })).body.code, '00000');
  assert.equal((await call(s, s.classic, 'GET', PENDING, undefined, { timestamp: String(now + 29_000) })).body.code, '00000');
});

test('unknown key 40006', async () => {
  assertRejected(await call(s, { ...s.classic, apiKey: 'bg_00000000000000000000000000000000' }, 'GET', PENDING), '40006', 'Invalid ACCESS_KEY');
});

test('bad signature 40009: wrong secret, garbage, tampered body / path / query', async () => {
  assertRejected(await call(s, { ...s.classic, secretKey: s.other.secretKey }, 'GET', PENDING), '40009', 'sign signature error');
  assertRejected(await call(s, s.classic, 'GET', PENDING, undefined, { headers: { 'access-sign': 'not base64 at all!' } }), '40009');
  assertRejected(await call(s, s.classic, 'GET', PENDING, undefined, { headers: { 'access-sign': Buffer.alloc(32).toString('base64') } }), '40009');

  // tampered body: signed over one cancel-all, sent another
  await placeMix(s, s.classic, 2);
  const before = await pendingCount();
  assertRejected(
    await signed(s.classic, 'POST', CANCEL_ALL, { body: '{"productType":"USDT-FUTURES"}', signedBody: '{"productType":"COIN-FUTURES"}' }),
    '40009',
  );
  assert.equal(await pendingCount(), before, 'a rejected request changes nothing');
  // tampered path
  assertRejected(
    await signed(s.classic, 'POST', CANCEL_ALL, { body: '{"productType":"USDT-FUTURES"}', signedUrl: '/api/v2/mix/order/batch-cancel-orders' }),
    '40009',
  );
  // tampered query
  assertRejected(await signed(s.classic, 'GET', PENDING + '&symbol=ETHUSDT', { signedUrl: PENDING + '&symbol=BTCUSDT' }), '40009');
  assertRejected(await signed(s.classic, 'GET', PENDING + '&limit=5', { signedUrl: PENDING }), '40009');
  // method is part of the prehash
  const ts = String(Date.now());
  const r = await call(s, s.classic, 'GET', PENDING, undefined, {
    timestamp: ts,
    headers: { 'access-sign': signBitget(s.classic.secretKey, ts, 'POST', PENDING, '') },
  });
  assertRejected(r, '40009');
  // a signature made with another timestamp
  const r2 = await call(s, s.classic, 'GET', PENDING, undefined, {
    timestamp: ts,
    headers: { 'access-sign': signBitget(s.classic.secretKey, String(Number(ts) - 1), 'GET', PENDING, '') },
  });
  assertRejected(r2, '40009');
});

test('wrong passphrase 40012', async () => {
  assertRejected(await call(s, { ...s.classic, passphrase: s.classic.passphrase + 'x' }, 'GET', PENDING), '40012', 'apikey/password is incorrect');
  // the right passphrase still works afterwards (and after it was verified once)
  assert.equal((await call(s, s.classic, 'GET', PENDING)).body.code, '00000');
  assertRejected(await call(s, { ...s.classic, passphrase: s.other.passphrase }, 'GET', PENDING), '40012');
});

test('revoked key 40006 once the ring refreshes', async () => {
  const k = await createKey(s.og.store.keys, s.og.master, { uid: '1001', mode: 'classic', permission: 'trade', ips: [] });
  await s.og.keyring.refresh();
  const key = { uid: '1001', apiKey: k.apiKey, secretKey: k.secretKey, passphrase: k.passphrase };
  assert.equal((await call(s, key, 'GET', PENDING)).body.code, '00000');
  assert.equal(await s.og.store.keys.revokeKey(k.apiKey, Date.now()), true);
  await s.og.keyring.refresh();
  assertRejected(await call(s, key, 'GET', PENDING), '40006');
  // the other keys of the same UID are unaffected
  assert.equal((await call(s, s.classic, 'GET', PENDING)).body.code, '00000');
});

test('IP whitelist 40018; a whitelisted address (also IPv4-mapped IPv6) passes', async () => {
  const k = await createKey(s.og.store.keys, s.og.master, { uid: '1001', mode: 'classic', permission: 'trade', ips: ['10.1.2.3', '10.1.2.4'] });
  await s.og.keyring.refresh();
  const key = { uid: '1001', apiKey: k.apiKey, secretKey: k.secretKey, passphrase: k.passphrase };
  assertRejected(await signed(key, 'GET', PENDING, { remoteAddress: '10.9.9.9' }), '40018', 'Invalid IP');
  assertRejected(await signed(key, 'GET', PENDING, { remoteAddress: '127.0.0.1' }), '40018');
  assert.equal((await signed(key, 'GET', PENDING, { remoteAddress: '10.1.2.3' })).body.code, '00000');
  assert.equal((await signed(key, 'GET', PENDING, { remoteAddress: '10.1.2.4' })).body.code, '00000');
  assert.equal((await signed(key, 'GET', PENDING, { remoteAddress: '::ffff:10.1.2.3' })).body.code, '00000');
  // a key without a whitelist works from anywhere
  assert.equal((await signed(s.classic, 'GET', PENDING, { remoteAddress: '10.9.9.9' })).body.code, '00000');
});

test('account mode: unified key on a v2 path 40085; classic key on a v3 path 40084', async () => {
  assertRejected(
    await call(s, s.unified, 'GET', PENDING),
    '40085',
    'You are in Unified Account mode, and the Classic Account API is not supported at this time',
  );
  assertRejected(await call(s, s.unified, 'POST', CANCEL_ALL, cancelAllBody), '40085');
  // 40084 needs a v3 route; the UTA dialect registers /api/v3/trade/cancel-batch
  if (s.og.app.hasRoute({ method: 'POST', url: '/api/v3/trade/cancel-batch' })) {
    assertRejected(
      await call(s, s.classic, 'POST', '/api/v3/trade/cancel-batch', [{ orderId: '1', symbol: 'BTCUSDT', category: 'SPOT' }]),
      '40084',
      'You are in Classic Account mode, and the Unified Account API is not supported at this time',
    );
  }
});

test('read-only key: reads work, trading is 40014 and changes nothing', async () => {
  await placeMix(s, s.classic, 1);
  const before = await pendingCount(s.readOnly);
  assert.ok(before > 0);
  assertRejected(
    await call(s, s.readOnly, 'POST', CANCEL_ALL, cancelAllBody),
    '40014',
    'Incorrect permissions, need contract order write permissions',
  );
  assertRejected(
    await call(s, s.readOnly, 'POST', '/api/v2/mix/order/place-order', {
      symbol: 'BTCUSDT',
      productType: 'USDT-FUTURES',
      marginMode: 'crossed',
      marginCoin: 'USDT',
      size: '0.01',
      price: '30000',
      side: 'buy',
      orderType: 'limit',
    }),
    '40014',
  );
  assert.equal(await pendingCount(s.readOnly), before);
});

test('GET query: the signature may cover the raw query or its percent-decoded form', async () => {
  const path = '/api/v2/mix/order/orders-pending';
  const sent = `${path}?productType=USDT-FUTURES&symbol=BTC%2FUSDT&clientOid=a%20b`;
  const decoded = `${path}?productType=USDT-FUTURES&symbol=BTC/USDT&clientOid=a b`;
  const raw = await signed(s.classic, 'GET', sent);
  assert.equal(raw.status, 200, JSON.stringify(raw.body));
  assert.equal(raw.body.code, '00000');
  const dec = await signed(s.classic, 'GET', sent, { signedUrl: decoded });
  assert.equal(dec.body.code, '00000', JSON.stringify(dec.body));
  // '+' as a space (form encoding) is decoded too
  const plus = await signed(s.classic, 'GET', `${path}?productType=USDT-FUTURES&clientOid=a+b`, { signedUrl: `${path}?productType=USDT-FUTURES&clientOid=a b` });
  assert.equal(plus.body.code, '00000', JSON.stringify(plus.body));
  // but a third form (re-encoded differently) is not
  assertRejected(await signed(s.classic, 'GET', sent, { signedUrl: `${path}?productType=USDT-FUTURES&symbol=BTC%2fUSDT&clientOid=a%20b` }), '40009');
  // query order matters: the signature covers the query as sent
  assertRejected(await signed(s.classic, 'GET', `${path}?symbol=BTCUSDT&productType=USDT-FUTURES`, { signedUrl: `${path}?productType=USDT-FUTURES&symbol=BTCUSDT` }), '40009');
});

test('POST {} may be signed over {} or over an empty body; an empty body over ""', async () => {
  const a = await signed(s.classic, 'POST', '/api/v2/mix/order/cancel-all-orders', { body: '{}', signedBody: '' });
  assert.equal(a.body.code, '40019', JSON.stringify(a.body)); // authenticated; productType is missing
  const b = await signed(s.classic, 'POST', '/api/v2/mix/order/cancel-all-orders', { body: '{}', signedBody: '{}' });
  assert.equal(b.body.code, '40019');
  const c = await signed(s.classic, 'POST', '/api/v2/mix/order/cancel-all-orders', { body: '', signedBody: '' });
  assert.equal(c.body.code, '40019', JSON.stringify(c.body));
  // a non-empty body must be signed exactly as sent
  assertRejected(await signed(s.classic, 'POST', CANCEL_ALL, { body: '{"productType":"USDT-FUTURES"}', signedBody: '' }), '40009');
  assertRejected(await signed(s.classic, 'POST', CANCEL_ALL, { body: '{"productType":"USDT-FUTURES"}', signedBody: '{"productType": "USDT-FUTURES"}' }), '40009');
});

test('client headers locale, paptrading and X-CHANNEL-API-CODE are accepted', async () => {
  for (const headers of [{ locale: 'zh-CN' }, { locale: 'en-US' }, { paptrading: '1' }, { 'X-CHANNEL-API-CODE': 'hbnni' }, { 'x-channel-api-code': 'p4sve', PAPTRADING: '1' }]) {
    const r = await call(s, s.classic, 'POST', CANCEL_ALL, cancelAllBody, { headers });
    assert.equal(r.status, 200, JSON.stringify(headers));
    assert.equal(r.body.code, '00000');
  }
});

test('auth failures keep the Bitget envelope shape exactly', async () => {
  const r = await call(s, s.classic, 'GET', PENDING, undefined, { headers: { 'access-sign': '' } });
  assert.deepEqual(Object.keys(r.body).sort(), ['code', 'data', 'msg', 'requestTime']);
  assert.equal(typeof r.body.code, 'string');
  assert.ok(Math.abs(r.body.requestTime - Date.now()) < 5000);
  assert.match(String(r.headers['content-type']), /application\/json/);
});
