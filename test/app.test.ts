/**
 * Process assembly (src/app.ts): the admin endpoints (token checked before the body), demo
 * keys on an empty store and pinned from a file, keys picked up while running, and the
 * master key file.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readPinnedKeys } from '../src/accounts/demo.js';
import { createApp, ensureDemoKeys, provisionDemoKeys, type OrdergateApp } from '../src/app.js';
import { loadConfig, type Config } from '../src/config.js';
import { createKey } from '../src/accounts/keys.js';
import { dropPostgresSchema } from '../src/store/postgres/index.js';
import { TEST_STORE, call, freshSchemaUrl, placeMix, startTestServer, type TestServer } from './helpers.js';

const DETAIL = (id: string) => `/api/v2/mix/order/detail?symbol=BTCUSDT&productType=USDT-FUTURES&orderId=${id}`;

async function adminFill(s: TestServer, body: unknown, token?: string) {
  const res = await s.og.app.inject({
    method: 'POST',
    url: '/admin/fill',
    headers: { 'content-type': 'application/json', ...(token !== undefined ? { 'x-admin-token': token } : {}) },
    payload: JSON.stringify(body),
  });
  return { status: res.statusCode, body: JSON.parse(res.body), headers: res.headers };
}

test('without an admin token there is no admin route', async () => {
  const s = await startTestServer();
  try {
    const [id] = await placeMix(s, s.classic, 1);
    const r = await adminFill(s, { orderId: id }, '');
    assert.equal(r.status, 404);
    assert.equal(r.body.code, '40404');
    assert.equal((await call(s, s.classic, 'GET', DETAIL(id))).body.data.status, 'live');
  } finally {
    await s.close();
  }
});

test('admin fill: token checked (401), fills partially then fully, Bitget errors for bad input', async () => {
  const s = await startTestServer({ adminToken: 'sekrit-token' });
  try {
    const [id] = await placeMix(s, s.classic, 1);
    for (const token of [undefined, '', 'wrong', 'sekrit-token ', 'SEKRIT-TOKEN']) {
      const r = await adminFill(s, { orderId: id, size: '0.001' }, token);
      assert.equal(r.status, 401, String(token));
      assert.equal(r.body.code, '40014');
      assert.equal(r.body.data, null);
      assert.equal(typeof r.body.requestTime, 'number');
    }
    assert.equal((await call(s, s.classic, 'GET', DETAIL(id))).body.data.status, 'live', 'refused fills changed nothing');

    const part = await adminFill(s, { orderId: id, size: '0.004' }, 'sekrit-token');
    assert.equal(part.status, 200);
    assert.equal(part.body.code, '00000');
    assert.deepEqual(part.body.data, { orderId: id, clientOid: '', symbol: 'BTCUSDT', category: 'USDT-FUTURES', status: 'partially_filled', size: '0.01', filledSize: '0.004' });
    const d = (await call(s, s.classic, 'GET', DETAIL(id))).body.data;
    assert.equal(d.status, 'partially_filled');
    assert.equal(d.baseVolume, '0.004');

    const bad = async (body: unknown, code: string) => {
      const r = await adminFill(s, body, 'sekrit-token');
      assert.equal(r.status, 400, JSON.stringify(r.body));
      assert.equal(r.body.code, code, JSON.stringify(r.body));
      assert.equal(r.body.data, null);
    };
    await bad({}, '40019');
    await bad({ orderId: '' }, '40019');
    await bad({ orderId: 123 }, '40020'); // declared schema: a number where a string is due
    await bad({ orderId: id, size: 0.001 }, '40020');
    await bad({ orderId: id, size: '0.007' }, '40020'); // more than is left
    await bad({ orderId: '1234567890123456789' }, '43001');

    const rest = await adminFill(s, { orderId: id }, 'sekrit-token');
    assert.deepEqual(rest.body.data, { orderId: id, clientOid: '', symbol: 'BTCUSDT', category: 'USDT-FUTURES', status: 'filled', size: '0.01', filledSize: '0.01' });
    await bad({ orderId: id }, '40769');
    assert.equal((await call(s, s.classic, 'GET', DETAIL(id))).body.data.status, 'filled');
  } finally {
    await s.close();
  }
});

test('ensureDemoKeys: one classic and one unified trade key on an empty store, none otherwise', async () => {
  const og = await createApp({ ...loadConfig({}), dbPath: ':memory:', logLevel: 'silent', demoKeys: false, rateLimit: false, keyPollMs: 100 });
  try {
    const demo = await ensureDemoKeys(og.store, og.master);
    assert.equal(demo.length, 2);
    assert.deepEqual(demo.map((d) => d.mode), ['classic', 'unified']);
    assert.notEqual(demo[0].uid, demo[1].uid);
    for (const d of demo) {
      assert.match(d.apiKey, /^bg_[0-9a-f]{32}$/);
      assert.ok(d.secretKey.length >= 32);
      assert.ok(d.passphrase.length >= 8);
    }
    assert.deepEqual(await ensureDemoKeys(og.store, og.master), [], 'a store with keys gets none');
    assert.equal((await og.store.keys.listKeys()).length, 2);
    await og.keyring.refresh();
    const s = { og } as TestServer;
    const [classic, unified] = demo;
    const r = await call(s, classic, 'GET', '/api/v2/mix/order/orders-pending?productType=USDT-FUTURES');
    assert.equal(r.body.code, '00000', 'the classic demo key trades v2');
    const place = await call(s, classic, 'POST', '/api/v2/mix/order/place-order', {
      symbol: 'BTCUSDT', productType: 'USDT-FUTURES', marginMode: 'crossed', marginCoin: 'USDT',
      size: '0.01', price: '30000', side: 'buy', orderType: 'limit',
    });
    assert.equal(place.body.code, '00000', 'the demo key has trade permission');
    const u = await call(s, unified, 'GET', '/api/v2/mix/order/orders-pending?productType=USDT-FUTURES');
    assert.equal(u.body.code, '40085', 'the unified demo key is a unified account');
  } finally {
    await og.close();
  }
});

test('ensureDemoKeys: a store holding only a revoked key still counts as not empty', async () => {
  const og = await createApp({ ...loadConfig({}), dbPath: ':memory:', logLevel: 'silent', demoKeys: false, rateLimit: false, keyPollMs: 100 });
  try {
    const k = await createKey(og.store.keys, og.master, { uid: '42', mode: 'classic', permission: 'read', ips: [] });
    await og.store.keys.revokeKey(k.apiKey, Date.now());
    assert.deepEqual(await ensureDemoKeys(og.store, og.master), []);
  } finally {
    await og.close();
  }
});

test('a key created after start is usable within the key poll interval', async () => {
  const s = await startTestServer(); // keyPollMs 100
  try {
    const k = await createKey(s.og.store.keys, s.og.master, { uid: '3001', mode: 'classic', permission: 'trade', ips: [] });
    const key = { uid: '3001', apiKey: k.apiKey, secretKey: k.secretKey, passphrase: k.passphrase };
    const start = Date.now();
    const deadline = start + 30_000; // generous: a busy machine is slow
    let r = await call(s, key, 'GET', '/api/v2/mix/order/orders-pending?productType=USDT-FUTURES');
    while (r.body.code === '40006' && Date.now() < deadline) {
      await new Promise((res) => setTimeout(res, 20));
      r = await call(s, key, 'GET', '/api/v2/mix/order/orders-pending?productType=USDT-FUTURES');
    }
    assert.equal(r.body.code, '00000', `not usable after ${Date.now() - start} ms`);
  } finally {
    await s.close();
  }
});

test('a master.key file that does not hold 32 bytes is refused with a clear message', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'og-app-'));
  try {
    writeFileSync(join(dir, 'master.key'), '');
    await assert.rejects(
      createApp({ ...loadConfig({}), dbPath: join(dir, 'og.db'), logLevel: 'silent', demoKeys: false, rateLimit: false, keyPollMs: 100 }),
      /master\.key must hold the 32-byte master key/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('admin token is checked before the body is read: a wrong token is 401 whatever the body', async () => {
  const s = await startTestServer({ adminToken: 'sekrit-token' });
  try {
    const send = (token: string | undefined, payload: string, type = 'application/json') =>
      s.og.app.inject({
        method: 'POST',
        url: '/admin/fill',
        headers: { 'content-type': type, ...(token !== undefined ? { 'x-admin-token': token } : {}) },
        payload,
      });
    for (const [payload, type] of [
      ['{not json', 'application/json'],
      ['x'.repeat(2 * 1024 * 1024), 'application/json'], // over the 1 MiB body limit
      ['orderId=1', 'application/x-www-form-urlencoded'],
      ['[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]', 'application/json'],
    ] as const) {
      for (const token of [undefined, 'wrong']) {
        const r = await send(token, payload, type);
        assert.equal(r.statusCode, 401, `${type} ${payload.slice(0, 12)}: ${r.body}`);
        assert.equal(JSON.parse(r.body).code, '40014');
      }
    }
    // with the right token the same bodies reach the parser
    assert.equal(JSON.parse((await send('sekrit-token', '{not json')).body).code, '40017');
    assert.equal(JSON.parse((await send('sekrit-token', 'orderId=1', 'application/x-www-form-urlencoded')).body).code, '40007');
  } finally {
    await s.close();
  }
});

test('admin keys: create, list and revoke over HTTP; effective at once; Bitget errors for bad input', async () => {
  const s = await startTestServer({ adminToken: 'tok' });
  try {
    const admin = async (method: 'GET' | 'POST', url: string, body?: unknown, token = 'tok') => {
      const r = await s.og.app.inject({
        method,
        url,
        headers: { 'x-admin-token': token, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
      });
      return { status: r.statusCode, body: JSON.parse(r.body) };
    };
    assert.equal((await admin('GET', '/admin/keys', undefined, 'nope')).status, 401);
    const made = await admin('POST', '/admin/keys', { uid: '4242', mode: 'unified', permission: 'trade', label: 'bot' });
    assert.equal(made.status, 200, JSON.stringify(made.body));
    assert.equal(made.body.data.length, 1);
    const k = made.body.data[0];
    assert.equal(k.uid, '4242');
    assert.equal(k.mode, 'unified');
    // usable at once (no wait for the key poll)
    const q = '/api/v3/trade/unfilled-orders?category=SPOT';
    assert.equal((await call(s, k, 'GET', q)).body.code, '00000');

    const listed = await admin('GET', '/admin/keys');
    const row = listed.body.data.find((r: { apiKey: string }) => r.apiKey === k.apiKey);
    assert.deepEqual({ uid: row.uid, mode: row.mode, permission: row.permission, label: row.label, status: row.status }, { uid: '4242', mode: 'unified', permission: 'trade', label: 'bot', status: 'active' });
    assert.ok(!JSON.stringify(listed.body).includes(k.secretKey) && !JSON.stringify(listed.body).includes(k.passphrase), 'no secret listed');

    const many = await admin('POST', '/admin/keys', { count: 3 });
    assert.equal(new Set(many.body.data.map((x: { uid: string }) => x.uid)).size, 3);

    assert.equal((await admin('POST', '/admin/keys', {})).body.code, '40019');
    assert.equal((await admin('POST', '/admin/keys', { uid: '12ab' })).body.code, '40020');
    assert.equal((await admin('POST', '/admin/keys', { count: 0 })).body.code, '40020');
    assert.equal((await admin('POST', '/admin/keys', { uid: '4242', mode: 'hybrid' })).body.code, '40020');
    const conflict = await admin('POST', '/admin/keys', { uid: '4242', mode: 'classic' });
    assert.equal(conflict.body.code, '40017');
    assert.match(conflict.body.msg, /4242 exists in unified mode/);

    const rev = await admin('POST', '/admin/keys/revoke', { apiKey: k.apiKey });
    assert.deepEqual(rev.body.data, { apiKey: k.apiKey });
    assert.equal((await call(s, k, 'GET', q)).body.code, '40006', 'refused at once');
    const again = await admin('POST', '/admin/keys/revoke', { apiKey: k.apiKey });
    assert.equal(again.status, 400);
    assert.equal(again.body.code, '40037');
  } finally {
    await s.close();
  }
});

describe('pinned demo keys (ORDERGATE_DEMO_KEYS=file:PATH)', () => {
  let dir: string;
  const master = randomBytes(32).toString('hex');
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'og-pin-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  const storeConfig = (tag: string): Partial<Config> => (TEST_STORE === 'postgres' ? { databaseUrl: freshSchemaUrl(tag) } : { dbPath: join(dir, `${tag}.db`) });
  const open = (store: Partial<Config>, file: string) =>
    createApp({ ...loadConfig({}), dbPath: ':memory:', ...store, masterKey: master, logLevel: 'silent', demoKeys: { file }, rateLimit: false, keyPollMs: 100 });
  const closeAll = async (og: OrdergateApp, store: Partial<Config>, drop: boolean) => {
    await og.close();
    if (drop && store.databaseUrl) await dropPostgresSchema(store.databaseUrl);
  };

  test('fixed credentials: created once, usable, idempotent on restart; a missing file is written', async () => {
    const file = join(dir, 'keys.json');
    const pinned = [
      { uid: '1000000001', mode: 'classic', apiKey: 'bg_ci_classic', secretKey: 'ci-secret-1', passphrase: 'ciPass1' },
      { uid: '1000000002', mode: 'unified', apiKey: 'bg_ci_unified', secretKey: 'ci-secret-2', passphrase: 'ciPass2', permission: 'read' },
    ];
    writeFileSync(file, JSON.stringify(pinned));
    const store = storeConfig('pin');
    let og = await open(store, file);
    try {
      const first = await provisionDemoKeys(og, { demoKeys: { file } });
      assert.equal(first.source, 'file');
      assert.deepEqual(first.created.map((k) => k.apiKey), ['bg_ci_classic', 'bg_ci_unified']);
      const s = { og } as TestServer;
      const r = await call(s, { uid: '1000000001', apiKey: 'bg_ci_classic', secretKey: 'ci-secret-1', passphrase: 'ciPass1' }, 'GET', '/api/v2/mix/order/orders-pending?productType=USDT-FUTURES');
      assert.equal(r.body.code, '00000', JSON.stringify(r.body));
      const u = await call(s, { uid: '1000000002', apiKey: 'bg_ci_unified', secretKey: 'ci-secret-2', passphrase: 'ciPass2' }, 'GET', '/api/v3/trade/unfilled-orders?category=SPOT');
      assert.equal(u.body.code, '00000', JSON.stringify(u.body));
    } finally {
      await closeAll(og, store, false);
    }
    og = await open(store, file); // restart on the same store
    try {
      const again = await provisionDemoKeys(og, { demoKeys: { file } });
      assert.deepEqual(again.created, [], 'a restart creates nothing');
      assert.equal((await og.store.keys.listKeys()).length, 2);
      const s = { og } as TestServer;
      const r = await call(s, { uid: '1000000001', apiKey: 'bg_ci_classic', secretKey: 'ci-secret-1', passphrase: 'ciPass1' }, 'GET', '/api/v2/mix/order/orders-pending?productType=USDT-FUTURES');
      assert.equal(r.body.code, '00000');
      // the same apiKey with another secret is refused, naming the key
      const other = join(dir, 'other.json');
      writeFileSync(other, JSON.stringify([{ ...pinned[0], secretKey: 'changed' }]));
      await assert.rejects(provisionDemoKeys(og, { demoKeys: { file: other } }), /key bg_ci_classic exists in this store with other credentials/);
      await og.store.keys.revokeKey('bg_ci_unified', Date.now());
      await assert.rejects(provisionDemoKeys(og, { demoKeys: { file } }), /key bg_ci_unified is revoked in this store/);
    } finally {
      await closeAll(og, store, true);
    }

    // a file that does not exist is written (0600) with one classic and one unified key
    const fresh = join(dir, 'fresh.json');
    const store2 = storeConfig('fresh');
    og = await open(store2, fresh);
    try {
      const made = await provisionDemoKeys(og, { demoKeys: { file: fresh } });
      assert.equal(statSync(fresh).mode & 0o777, 0o600);
      const written = JSON.parse(readFileSync(fresh, 'utf8'));
      assert.deepEqual(written.map((k: { mode: string }) => k.mode), ['classic', 'unified']);
      assert.deepEqual(made.created.map((k) => k.apiKey), written.map((k: { apiKey: string }) => k.apiKey));
      assert.deepEqual((await provisionDemoKeys(og, { demoKeys: { file: fresh } })).created, []);
    } finally {
      await closeAll(og, store2, true);
    }
  });

  test('an invalid file is refused with a message naming the file and the problem', () => {
    const cases: Array<[unknown, RegExp]> = [
      ['{not json', /not valid JSON/],
      [[], /non-empty JSON array/],
      [{ uid: '1' }, /non-empty JSON array/],
      [[{ mode: 'classic', apiKey: 'a', secretKey: 's', passphrase: 'p' }], /entry 0: uid must be a string of 1-20 digits/],
      [[{ uid: '1', mode: 'hybrid', apiKey: 'a', secretKey: 's', passphrase: 'p' }], /entry 0: mode must be "classic" or "unified"/],
      [[{ uid: '1', mode: 'classic', apiKey: 'a', secretKey: '', passphrase: 'p' }], /entry 0: secretKey must be a non-empty printable ASCII string/],
      [[{ uid: '1', mode: 'classic', apiKey: 'a', secretKey: 's' }], /entry 0: passphrase must be/],
      [[{ uid: '1', mode: 'classic', apiKey: 'a', secretKey: 's', passphrase: 'p', permission: 'admin' }], /permission must be "read" or "trade"/],
      [[{ uid: '1', mode: 'classic', apiKey: 'a', secretKey: 's', passphrase: 'p' }, { uid: '2', mode: 'classic', apiKey: 'a', secretKey: 's', passphrase: 'p' }], /entry 1: apiKey a is listed twice/],
    ];
    for (const [i, [content, msg]] of cases.entries()) {
      const f = join(dir, `bad-${i}.json`);
      writeFileSync(f, typeof content === 'string' ? content : JSON.stringify(content));
      assert.throws(() => readPinnedKeys(f), (e: Error) => msg.test(e.message) && e.message.includes(f), `case ${i}`);
    }
  });
});
