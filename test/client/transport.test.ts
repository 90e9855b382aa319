/**
 * Transport: Bitget signing of what is actually sent, envelope parsing into typed errors,
 * retry/backoff rules (429 and network errors; placements never repeated once they may have
 * arrived), and the account-mode probe. A scripted fetch stands in for the network here; the
 * live-server tests are in cancel.test.ts / signing.test.ts / faults.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BitgetApiError,
  BitgetClient,
  BitgetNetworkError,
  BitgetRateLimitError,
  ENDPOINTS,
  PacerRegistry,
  Transport,
} from '../../src/client/index.js';
import { signBitget } from '../helpers.js';

type Step = { status: number; body: unknown } | { fail: string };

interface Seen {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string;
}

/** A fetch that answers `steps` in order and records what it was sent. */
function scripted(steps: Step[]) {
  const seen: Seen[] = [];
  const fetchFn = (async (url: string, init: RequestInit) => {
    seen.push({ url, method: String(init.method), headers: init.headers as Record<string, string>, body: String(init.body ?? '') });
    const step = steps.shift();
    if (!step) throw new Error('script exhausted');
    if ('fail' in step) throw Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error(step.fail), { code: step.fail }) });
    return new Response(typeof step.body === 'string' ? step.body : JSON.stringify(step.body), { status: step.status });
  }) as unknown as typeof fetch;
  return { fetchFn, seen };
}

const ok = (data: unknown) => ({ status: 200, body: { code: '00000', msg: 'success', requestTime: 1, data } });
const tooMany = { status: 429, body: { code: '429', msg: 'Too Many Requests', requestTime: 1, data: null } };
const creds = { apiKey: 'bg_k', secretKey: 'sekret', passphrase: 'pp' };

function transport(steps: Step[], extra: Partial<ConstructorParameters<typeof Transport>[0]> = {}) {
  const { fetchFn, seen } = scripted(steps);
  const t = new Transport({
    baseUrl: 'http://og.test/',
    credentials: creds,
    fetch: fetchFn,
    retry: { baseDelayMs: 1, maxDelayMs: 2 },
    pacers: new PacerRegistry({ enabled: false }),
    ...extra,
  });
  return { t, seen };
}

test('GET: sorted, encoded query sent and signed exactly as sent; headers as Bitget wants', async () => {
  const { t, seen } = transport([ok([])], { demo: true });
  await t.send(ENDPOINTS.spot.openOrders, { symbol: 'BTCUSDT', limit: 100, idLessThan: undefined, a: 'x y:z/é' });
  const req = seen[0];
  assert.equal(req.url, 'http://og.test/api/v2/spot/trade/unfilled-orders?a=x%20y%3Az%2F%C3%A9&limit=100&symbol=BTCUSDT');
  assert.equal(req.method, 'GET');
  assert.equal(req.body, '');
  const h = req.headers;
  assert.equal(h['ACCESS-KEY'], 'bg_k');
  assert.equal(h['ACCESS-PASSPHRASE'], 'pp');
  assert.match(h['ACCESS-TIMESTAMP'], /^\d{13}$/);
  assert.equal(h['ACCESS-SIGN'], signBitget('sekret', h['ACCESS-TIMESTAMP'], 'GET', '/api/v2/spot/trade/unfilled-orders?a=x%20y%3Az%2F%C3%A9&limit=100&symbol=BTCUSDT', ''));
  assert.equal(h['Content-Type'], 'application/json');
  assert.equal(h.locale, 'en-US');
  assert.equal(h.paptrading, '1');
});

test('POST: the exact JSON text sent is signed (v3 bare arrays too); no demo header unless asked', async () => {
  const { t, seen } = transport([ok([])]);
  const body = [{ orderId: '1', category: 'SPOT', symbol: 'BTCUSDT' }];
  await t.send(ENDPOINTS.uta.batchCancel, body);
  const req = seen[0];
  assert.equal(req.body, JSON.stringify(body));
  assert.equal(req.headers['ACCESS-SIGN'], signBitget('sekret', req.headers['ACCESS-TIMESTAMP'], 'POST', '/api/v3/trade/cancel-batch', req.body));
  assert.equal(req.headers.paptrading, undefined);
});

test('an error envelope becomes a BitgetApiError with the Bitget code and msg, not retried', async () => {
  const { t, seen } = transport([{ status: 400, body: { code: '43001', msg: 'The order does not exist', requestTime: 5, data: null } }]);
  await assert.rejects(t.send(ENDPOINTS.spot.cancelOrder, { symbol: 'BTCUSDT', orderId: '1' }), (e: unknown) => {
    assert.ok(e instanceof BitgetApiError);
    assert.equal(e.code, '43001');
    assert.equal(e.msg, 'The order does not exist');
    assert.equal(e.httpStatus, 400);
    assert.equal(e.path, '/api/v2/spot/trade/cancel-order');
    assert.equal(e.requestTime, 5);
    assert.equal(e.isAuthError, false);
    return true;
  });
  assert.equal(seen.length, 1);
  // a non-JSON failure carries the HTTP status as code
  const { t: t2 } = transport([{ status: 404, body: '<html>nope</html>' }]);
  await assert.rejects(t2.send(ENDPOINTS.spot.orderInfo!, { orderId: '1' }, 'once'), (e: any) => e instanceof BitgetApiError && e.code === '404');
});

test('429 is retried with backoff, each attempt re-signed; persisting 429 raises BitgetRateLimitError', async () => {
  const { t, seen } = transport([tooMany, tooMany, ok({ orderId: '7', clientOid: '' })]);
  const r = await t.send(ENDPOINTS.mix.cancelOrder, { symbol: 'BTCUSDT', productType: 'USDT-FUTURES', orderId: '7' });
  assert.deepEqual(r.data, { orderId: '7', clientOid: '' });
  assert.equal(r.attempts, 3);
  assert.equal(r.ambiguous, false, 'a 429 was never processed');
  assert.deepEqual(t.snapshot(), { requests: 3, retries: 2, http429: 2, networkErrors: 0 });
  for (const s of seen) assert.equal(s.headers['ACCESS-SIGN'], signBitget('sekret', s.headers['ACCESS-TIMESTAMP'], 'POST', '/api/v2/mix/order/cancel-order', s.body));

  const { t: t2, seen: seen2 } = transport([tooMany, tooMany, tooMany], { retry: { maxRetries: 2, baseDelayMs: 1 } });
  await assert.rejects(t2.send(ENDPOINTS.spot.placeOrder, {}, 'once'), (e: any) => e instanceof BitgetRateLimitError && e.code === '429' && e.httpStatus === 429);
  assert.equal(seen2.length, 3);
});

test('network errors: cancels and queries retried (marked ambiguous); placements only when never sent', async () => {
  const { t } = transport([{ fail: 'ECONNRESET' }, { fail: 'UND_ERR_SOCKET' }, ok({ successList: [], failureList: [] })]);
  const r = await t.send(ENDPOINTS.spot.batchCancel, { symbol: 'BTCUSDT', orderList: [{ orderId: '1' }] });
  assert.equal(r.attempts, 3);
  assert.equal(r.ambiguous, true);
  assert.equal(t.snapshot().networkErrors, 2);

  const { t: t2, seen } = transport([{ fail: 'ECONNRESET' }, ok({})]);
  await assert.rejects(t2.send(ENDPOINTS.spot.placeOrder, { symbol: 'BTCUSDT' }, 'once'), (e: any) => {
    assert.ok(e instanceof BitgetNetworkError);
    assert.equal(e.errno, 'ECONNRESET');
    assert.equal(e.maybeProcessed, true);
    return true;
  });
  assert.equal(seen.length, 1, 'a placement that may have arrived is not repeated');

  const { t: t3, seen: seen3 } = transport([{ fail: 'ECONNREFUSED' }, ok({ orderId: '9', clientOid: 'x' })]);
  const r3 = await t3.send(ENDPOINTS.spot.placeOrder, { symbol: 'BTCUSDT' }, 'once');
  assert.equal(r3.attempts, 2);
  assert.equal(r3.ambiguous, false);
  assert.equal(seen3.length, 2);
});

test('5xx: retried for idempotent requests (ambiguous), surfaced for placements', async () => {
  const err500 = { status: 500, body: { code: '40015', msg: 'System is abnormal, please try again later', requestTime: 1, data: null } };
  const { t } = transport([err500, ok([])]);
  const r = await t.send(ENDPOINTS.uta.orderInfo!, { orderId: '1' });
  assert.equal(r.attempts, 2);
  assert.equal(r.ambiguous, true);
  const { t: t2 } = transport([err500, ok({})]);
  await assert.rejects(t2.send(ENDPOINTS.uta.placeOrder, {}, 'once'), (e: any) => e.code === '40015' && e.httpStatus === 500);
});

test('account mode probe: success = unified, 40084 or 404 = classic, bad credentials throw, network retried', async () => {
  const mk = (steps: Step[]) => {
    const { fetchFn, seen } = scripted(steps);
    const c = new BitgetClient({ baseUrl: 'http://og.test', ...creds, fetch: fetchFn, retry: { baseDelayMs: 1 }, pacing: { enabled: false } });
    return { c, seen };
  };
  const u = mk([ok({ accountMode: 'unified' })]);
  assert.equal(await u.c.accountMode(), 'unified');
  assert.equal(await u.c.accountMode(), 'unified');
  assert.equal(u.seen.length, 1, 'probed once, then cached');
  assert.ok(u.seen[0].url.endsWith('/api/v3/account/settings'));
  const c1 = mk([{ status: 400, body: { code: '40084', msg: 'You are in Classic Account mode, and the Unified Account API is not supported at this time', requestTime: 1, data: null } }]);
  assert.equal(await c1.c.accountMode(), 'classic');
  const c2 = mk([{ status: 404, body: { code: '40404', msg: 'Request URL NOT FOUND', requestTime: 1, data: null } }]);
  assert.equal(await c2.c.accountMode(), 'classic');
  const bad = mk([{ status: 400, body: { code: '40009', msg: 'sign signature error', requestTime: 1, data: null } }]);
  await assert.rejects(bad.c.accountMode(), (e: any) => e instanceof BitgetApiError && e.code === '40009' && e.isAuthError);
  const flaky = mk([{ fail: 'ECONNRESET' }, ok({})]);
  assert.equal(await flaky.c.accountMode(), 'unified');
  // an explicit mode is never probed
  const fixed = mk([]);
  const c3 = new BitgetClient({ baseUrl: 'http://og.test', ...creds, accountMode: 'classic', fetch: (fixed.c.options.fetch as typeof fetch) });
  assert.equal(await c3.accountMode(), 'classic');
  assert.equal(fixed.seen.length, 0);
});

test('client construction refuses incomplete credentials', () => {
  assert.throws(() => new BitgetClient({ baseUrl: 'http://x', apiKey: 'k', secretKey: '', passphrase: 'p' }), /all required/);
});
