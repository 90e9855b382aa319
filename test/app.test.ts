/**
 * Process assembly (src/app.ts): the admin fill route, demo keys on an empty store, keys
 * picked up while running, and the master key file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, ensureDemoKeys } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createKey } from '../src/accounts/keys.js';
import { call, placeMix, startTestServer, type TestServer } from './helpers.js';

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
    assert.deepEqual(part.body.data, { orderId: id, clientOid: '', status: 'partially_filled', size: '0.01', filledSize: '0.004' });
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
    await bad({ orderId: 123 }, '40019');
    await bad({ orderId: id, size: 0.001 }, '40020');
    await bad({ orderId: id, size: '0.007' }, '40020'); // more than is left
    await bad({ orderId: '1234567890123456789' }, '43001');

    const rest = await adminFill(s, { orderId: id }, 'sekrit-token');
    assert.deepEqual(rest.body.data, { orderId: id, clientOid: '', status: 'filled', size: '0.01', filledSize: '0.01' });
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
    const deadline = start + 3000;
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
