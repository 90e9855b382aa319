/**
 * Bad input as a client sees it: every answer is a Bitget envelope (string code, numeric
 * requestTime, data null on errors) with an x-request-id, never a 5xx, and nothing changes.
 */
import type { InjectOptions } from 'fastify';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { allEndpoints } from '../../src/http/routes/index.js';
import { call, placeMix, signBitget, startTestServer, type CallResult, type TestKey, type TestServer } from '../helpers.js';

let s: TestServer;
let ids: string[];
let pendingBefore: unknown;

const PENDING = '/api/v2/mix/order/orders-pending?productType=USDT-FUTURES';
const BATCH = '/api/v2/mix/order/batch-cancel-orders';
const CANCEL = '/api/v2/mix/order/cancel-order';

before(async () => {
  s = await startTestServer();
  ids = await placeMix(s, s.classic, 3);
  pendingBefore = (await call(s, s.classic, 'GET', PENDING)).body.data;
});
after(() => s.close());

type Raw = { status: number; body: any; headers: Record<string, unknown> };

function assertEnvelope(r: Raw, label: string): void {
  assert.ok(r.status < 500, `${label}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
  assert.equal(typeof r.body, 'object', `${label}: body is not JSON: ${JSON.stringify(r.body)}`);
  assert.equal(typeof r.body.code, 'string', `${label}: code ${JSON.stringify(r.body)}`);
  assert.equal(typeof r.body.msg, 'string', label);
  assert.equal(typeof r.body.requestTime, 'number', label);
  assert.ok('data' in r.body, label);
  if (r.body.code !== '00000') assert.equal(r.body.data, null, label);
  assert.equal(typeof r.headers['x-request-id'], 'string', `${label}: x-request-id`);
  assert.ok((r.headers['x-request-id'] as string).length > 0, label);
  assert.match(String(r.headers['content-type']), /^application\/json/, label);
}

function expectError(r: Raw, status: number, code: string, msg?: string, label = ''): void {
  assertEnvelope(r, label || code);
  assert.equal(r.status, status, `${label} ${JSON.stringify(r.body)}`);
  assert.equal(r.body.code, code, `${label} ${JSON.stringify(r.body)}`);
  if (msg !== undefined) assert.equal(r.body.msg, msg, label);
}

async function inject(opts: InjectOptions): Promise<Raw> {
  const res = await s.og.app.inject(opts as never);
  let body: unknown;
  try {
    body = JSON.parse(res.body);
  } catch {
    body = res.body;
  }
  return { status: res.statusCode, body, headers: res.headers };
}

const post = (path: string, raw: string, headers: Record<string, string | undefined> = {}) =>
  call(s, s.classic, 'POST', path, undefined, { rawBody: raw, headers });

test('malformed JSON 40017', async () => {
  for (const raw of ['{"productType":', '{productType:"USDT-FUTURES"}', "{'a':1}", '{"a":1}}', 'nul', '\u0000']) {
    expectError(await post(BATCH, raw), 400, '40017', 'Parameter verification failed malformed JSON body', raw);
  }
});

test('wrong or missing content type 40007', async () => {
  const body = JSON.stringify({ productType: 'USDT-FUTURES', symbol: 'BTCUSDT', orderIdList: [{ orderId: ids[0] }] });
  for (const ct of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml']) {
    expectError(await post(BATCH, body, { 'content-type': ct }), 400, '40007', undefined, ct);
  }
  expectError(await post(BATCH, body, { 'content-type': undefined }), 400, '40007', undefined, 'no content-type');
  // a charset parameter is fine
  const ok = await call(s, s.other, 'POST', BATCH, { productType: 'USDT-FUTURES' }, { headers: { 'content-type': 'application/json; charset=utf-8' } });
  assert.equal(ok.body.code, '00000');
});

test('body over 1 MiB is refused with 40017 (not 413)', async () => {
  const big = JSON.stringify({ productType: 'USDT-FUTURES', pad: 'x'.repeat(1024 * 1024) });
  const r = await post(BATCH, big);
  expectError(r, 400, '40017');
  assert.match(r.body.msg, /larger than 1048576 bytes/);
  // just under the limit is parsed (and then validated)
  const fits = JSON.stringify({ productType: 'USDT-FUTURES', symbol: 'BTCUSDT', pad: 'x'.repeat(1024 * 1024 - 100) });
  const r2 = await call(s, s.other, 'POST', BATCH, undefined, { rawBody: fits });
  assert.equal(r2.body.code, '00000', JSON.stringify(r2.body).slice(0, 200));
});

test('JSON nested 40 deep is refused with 40017; strings with brackets do not count', async () => {
  const deep = `{"productType":"USDT-FUTURES","x":${'['.repeat(40)}${']'.repeat(40)}}`;
  expectError(await post(BATCH, deep), 400, '40017', 'Parameter verification failed JSON nested deeper than 32');
  const deepObj = `{"productType":"USDT-FUTURES","x":${'{"a":'.repeat(40)}1${'}'.repeat(40)}}`;
  expectError(await post(BATCH, deepObj), 400, '40017');
  const brackets = JSON.stringify({ productType: 'USDT-FUTURES', symbol: 'BTCUSDT', note: '['.repeat(100) });
  assert.equal((await call(s, s.other, 'POST', BATCH, undefined, { rawBody: brackets })).body.code, '00000');
});

test('a body of the wrong JSON type is 40017', async () => {
  for (const raw of ['[]', '[{"productType":"USDT-FUTURES"}]', 'null', '"x"', '5', 'true']) {
    const r = await post(BATCH, raw);
    expectError(r, 400, '40017', undefined, raw);
    assert.match(r.body.msg, /request body must be a JSON object/, raw);
  }
});

test('wrong field types, empty and oversized lists, null items', async () => {
  const base = { symbol: 'BTCUSDT', productType: 'USDT-FUTURES' };
  const j = (o: unknown) => JSON.stringify(o);
  expectError(await post(CANCEL, j({ ...base, orderId: Number(ids[0].slice(0, 15)) })), 400, '40020', 'Parameter orderId error');
  expectError(await post(CANCEL, j({ ...base, orderId: null })), 400, '40020', 'Parameter orderId error');
  expectError(await post(CANCEL, j({ ...base, orderId: [ids[0]] })), 400, '40020', 'Parameter orderId error');
  expectError(await post(CANCEL, j({ ...base, productType: 1, orderId: ids[0] })), 400, '40020', 'Parameter productType error');
  expectError(await post(CANCEL, j({ ...base, symbol: 'X'.repeat(65), orderId: ids[0] })), 400, '40020', 'Parameter symbol error');
  expectError(await post(CANCEL, j({ symbol: 'BTCUSDT', orderId: ids[0] })), 400, '40019', 'Parameter productType cannot be empty');
  expectError(await post(CANCEL, j({ ...base, orderId: '', clientOid: '' })), 400, '40924', 'orderId and clientOid must have one');
  expectError(await post(CANCEL, j({ ...base })), 400, '40924');
  expectError(await post(BATCH, j({ ...base, orderIdList: [] })), 400, '40019', 'Parameter orderIdList cannot be empty');
  const fiftyOne = Array.from({ length: 51 }, (_, i) => ({ orderId: ids[i % ids.length] }));
  expectError(await post(BATCH, j({ ...base, orderIdList: fiftyOne })), 400, '40912', 'single cancel cannot exceed 50');
  expectError(await post(BATCH, j({ ...base, orderIdList: [null] })), 400, '40020', 'Parameter orderIdList error');
  expectError(await post(BATCH, j({ ...base, orderIdList: [{ orderId: ids[0] }, null] })), 400, '40020');
  expectError(await post(BATCH, j({ ...base, orderIdList: [ids[0]] })), 400, '40020');
  expectError(await post(BATCH, j({ ...base, orderIdList: { orderId: ids[0] } })), 400, '40020', 'Parameter orderIdList error');
  expectError(await post(BATCH, j({ ...base, orderIdList: [{ orderId: ids[0] }, {}] })), 400, '40924');
  expectError(await post(BATCH, j({ productType: 'USDT-FUTURES', orderIdList: [{ orderId: ids[0] }] })), 400, '40019', 'Parameter symbol cannot be empty');
  expectError(await post(BATCH, j({ ...base, productType: 'SPOT', orderIdList: [{ orderId: ids[0] }] })), 400, '40020', 'Parameter productType error');
  // duplicated query parameters arrive as an array
  expectError(await call(s, s.classic, 'GET', `${PENDING}&productType=COIN-FUTURES`), 400, '40020', 'Parameter productType error');
});

test('unknown paths and wrong methods are 404 40404', async () => {
  const notFound = 'Request URL NOT FOUND';
  expectError(await call(s, s.classic, 'POST', '/api/v2/mix/order/no-such-thing', {}), 404, '40404', notFound);
  expectError(await inject({ method: 'GET', url: '/' }), 404, '40404', notFound);
  expectError(await inject({ method: 'GET', url: '/api/v9/x?y=1' }), 404, '40404', notFound);
  expectError(await call(s, s.classic, 'GET', `${CANCEL}?symbol=BTCUSDT&productType=USDT-FUTURES&orderId=${ids[0]}`), 404, '40404', notFound);
  expectError(await call(s, s.classic, 'POST', '/api/v2/mix/order/orders-pending', { productType: 'USDT-FUTURES' }), 404, '40404', notFound);
  // HEAD on a GET endpoint: 404 like every other method Bitget does not serve (no body on HEAD)
  assert.equal((await s.og.app.inject({ method: 'HEAD', url: '/api/v2/mix/order/orders-pending?productType=USDT-FUTURES' })).statusCode, 404);
  for (const method of ['PUT', 'DELETE', 'PATCH'] as const) {
    expectError(await inject({ method, url: BATCH, payload: '{}', headers: { 'content-type': 'application/json' } }), 404, '40404', undefined, method);
  }
  // a path that cannot be percent-decoded names no endpoint either
  expectError(await inject({ method: 'GET', url: '/api/%zz' }), 404, '40404', undefined, 'bad url');
});

test('a Bitget endpoint ordergate does not serve: 404 40404 naming it, distinct from an unknown path', async () => {
  const cases: Array<['GET' | 'POST', string, string]> = [
    ['GET', '/api/v2/spot/wallet/deposit-address?coin=USDT', '/api/v2/spot/wallet/deposit-address'], // wallet: not served
    ['GET', '/api/v2/mix/account/bill?productType=USDT-FUTURES', '/api/v2/mix/account/bill'],
    ['POST', '/api/v2/mix/order/place-tpsl-order', '/api/v2/mix/order/place-tpsl-order'],
    ['GET', '/api/v3/account/funding-assets', '/api/v3/account/funding-assets'],
    ['GET', '/api/v2/spot/market/tickers/', '/api/v2/spot/market/tickers'], // trailing slash ignored
  ];
  for (const [method, url, path] of cases) {
    const r = method === 'GET' ? await call(s, s.classic, 'GET', url) : await call(s, s.classic, 'POST', url, {});
    expectError(r, 404, '40404', `Request URL NOT FOUND: ${method} ${path} is a Bitget endpoint that ordergate does not implement`, url);
  }
  // the same path under a method Bitget does not serve it with, and mistyped paths: the plain answer
  expectError(await call(s, s.classic, 'POST', '/api/v2/spot/account/assets', {}), 404, '40404', 'Request URL NOT FOUND');
  expectError(await call(s, s.classic, 'GET', '/api/v2/spot/account/asset'), 404, '40404', 'Request URL NOT FOUND');
  expectError(await inject({ method: 'GET', url: '/api/v2/spot/account/assets/../x' }), 404, '40404', 'Request URL NOT FOUND');
});

test('GET /health: no auth, {"status":"ok"} with the store kind', async () => {
  const r = await s.og.app.inject({ method: 'GET', url: '/health' });
  assert.equal(r.statusCode, 200);
  assert.deepEqual(JSON.parse(r.body), { status: 'ok', store: s.og.store.kind });
});

test('GET /health: 503 when the store does not answer', async () => {
  const t = await startTestServer();
  try {
    await t.og.store.close();
    const r = await t.og.app.inject({ method: 'GET', url: '/health' });
    assert.equal(r.statusCode, 503);
    assert.deepEqual(JSON.parse(r.body), { status: 'unavailable', store: t.og.store.kind });
  } finally {
    await t.close().catch(() => undefined); // the store is closed already; the PostgreSQL schema is still dropped
  }
});

test('x-request-id: generated on every response, or echoed when the client sends a sane one', async () => {
  const a = await call(s, s.classic, 'GET', PENDING);
  const b = await call(s, s.classic, 'GET', PENDING);
  assert.equal(typeof a.headers['x-request-id'], 'string');
  assert.notEqual(a.headers['x-request-id'], b.headers['x-request-id']);
  const echoed = await call(s, s.classic, 'GET', PENDING, undefined, { headers: { 'x-request-id': 'bot-42.retry-1' } });
  assert.equal(echoed.headers['x-request-id'], 'bot-42.retry-1');
  const replaced = await call(s, s.classic, 'GET', PENDING, undefined, { headers: { 'x-request-id': 'bad id with spaces' } });
  assert.notEqual(replaced.headers['x-request-id'], 'bad id with spaces');
  assert.equal(typeof replaced.headers['x-request-id'], 'string');
  const nf = await inject({ method: 'GET', url: '/nope', headers: { 'x-request-id': 'trace-1' } });
  assert.equal(nf.headers['x-request-id'], 'trace-1');
});

test('success envelope: code "00000", msg "success", numeric requestTime near now', async () => {
  const r = await call(s, s.classic, 'GET', PENDING);
  assertEnvelope(r, 'ok');
  assert.equal(r.status, 200);
  assert.equal(r.body.code, '00000');
  assert.equal(r.body.msg, 'success');
  assert.ok(Math.abs(r.body.requestTime - Date.now()) < 5000);
});

/** Field names any endpoint might read, to steer generated bodies past the first check. */
const FIELDS = [
  'symbol', 'productType', 'category', 'marginCoin', 'marginMode', 'orderId', 'clientOid', 'clientId', 'orderIdList', 'orderList',
  'size', 'qty', 'price', 'side', 'orderType', 'force', 'timeInForce', 'batchMode', 'baseSize', 'quoteSize', 'loanType',
  'requestTime', 'receiveWindow', 'limit', 'idLessThan', 'startTime', 'endTime', 'status', 'tradeSide', 'reduceOnly', 'cursor',
];
const plausible = fc.constantFrom(
  'BTCUSDT', 'ETHUSDT', 'USDT-FUTURES', 'usdt-futures', 'SPOT', 'MARGIN', 'USDT', 'crossed', 'isolated', 'buy', 'sell',
  'limit', 'market', 'gtc', 'GTC', 'ioc', 'post_only', '0.01', '30000', '0', '-1', '1e5', '', ' ', 'multiple', 'single',
  '9999999999999999999', '1', 'normal', 'open', 'YES', String(Date.now()), '60001',
);
const leaf = fc.oneof(plausible, fc.string({ maxLength: 12 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null));
const value = fc.oneof(
  { weight: 4, arbitrary: leaf },
  { weight: 1, arbitrary: fc.array(fc.oneof(leaf, fc.dictionary(fc.constantFrom(...FIELDS), leaf, { maxKeys: 4 })), { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.constantFrom(...FIELDS), leaf, { maxKeys: 3 }) },
);
const body = fc.oneof(
  { weight: 6, arbitrary: fc.dictionary(fc.constantFrom(...FIELDS), value, { maxKeys: 8 }) },
  { weight: 2, arbitrary: fc.array(fc.dictionary(fc.constantFrom(...FIELDS), value, { maxKeys: 5 }), { maxLength: 22 }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);

test('generated bodies and queries on every endpoint: always an envelope, never a 5xx', async () => {
  const fuzzKey = (path: string): TestKey => (path.startsWith('/api/v3/') ? s.otherUnified : s.other);
  const pick = (o: Record<string, unknown>) =>
    Object.entries(o)
      .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(typeof v === 'string' ? v : JSON.stringify(v))}`)
      .join('&');
  for (const ep of allEndpoints) {
    await fc.assert(
      fc.asyncProperty(body, fc.dictionary(fc.constantFrom(...FIELDS), fc.oneof(plausible, fc.string({ maxLength: 8 })), { maxKeys: 6 }), async (b, q) => {
        let r: CallResult;
        if (ep.method === 'POST') r = await call(s, ep.auth ? fuzzKey(ep.path) : undefined, 'POST', ep.path, b);
        else {
          const qs = pick(q);
          r = await call(s, ep.auth ? fuzzKey(ep.path) : undefined, 'GET', qs ? `${ep.path}?${qs}` : ep.path);
        }
        assertEnvelope(r, `${ep.method} ${ep.path} ${JSON.stringify(ep.method === 'POST' ? b : q)}`);
      }),
      { numRuns: 25, seed: 20240601 },
    );
  }
});

test('after all the bad requests, the orders are exactly as they were', async () => {
  const r = await call<{ entrustedList: Array<{ orderId: string }> }>(s, s.classic, 'GET', PENDING);
  const data = r.body.data;
  assert.equal(data.entrustedList.length, 3);
  assert.deepEqual(new Set(data.entrustedList.map((o) => o.orderId)), new Set(ids));
  assert.deepEqual(r.body.data, pendingBefore);
});
