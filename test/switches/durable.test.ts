// test-file-limit: 300s
/**
 * Kill switches are durable and shared (deadlines in the store, not in a timer of one process):
 * - a real `ordergate serve` on a SQLite file is SIGKILLed while a countdown is armed and
 *   restarted after its deadline: the restarted server fires it (late by the restart time);
 * - three `ordergate serve` instances on one PostgreSQL schema sweeping every 20 ms: every
 *   switch fires exactly once (one `switch` event each, every order cancelled once).
 * Child processes through test/multi/cluster.ts (test/support/children.ts).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { createKey } from '../../src/accounts/keys.js';
import { DEFAULT_START_BALANCE } from '../../src/config.js';
import { startBalanceOpening } from '../../src/ledger/start.js';
import { loadCatalogue } from '../../src/markets/catalogue.js';
import type { StoredEvent } from '../../src/events/types.js';
import { PostgresStore, dropPostgresSchema } from '../../src/store/postgres/index.js';
import { SqliteStore } from '../../src/store/sqlite/index.js';
import { freshSchemaUrl, type TestKey } from '../helpers.js';
import { MASTER_KEY, makeKeys, send, startInstance, startInstances, waitFor, type Instance } from '../multi/cluster.js';

const running: Instance[] = [];
const dirs: string[] = [];
after(async () => {
  await Promise.all(running.map((i) => i.stop()));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const UTA_SPOT = { category: 'SPOT', symbol: 'BTCUSDT', qty: '0.01', price: '30000', side: 'buy', orderType: 'limit' };

test('a server SIGKILLed while a countdown is armed fires it after its restart', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'og-switch-'));
  dirs.push(dir);
  const db = join(dir, 'og.db');
  let key: TestKey;
  {
    const store = new SqliteStore({ path: db });
    // the server's default start balance, as `ordergate keys create` credits it (issue 10)
    store.setOpening(startBalanceOpening(DEFAULT_START_BALANCE, loadCatalogue()));
    const k = await createKey(store.keys, Buffer.from(MASTER_KEY, 'hex'), { uid: '880001', mode: 'unified', permission: 'trade', ips: [] });
    key = { uid: '880001', apiKey: k.apiKey, secretKey: k.secretKey, passphrase: k.passphrase };
    await store.close();
  }
  const env = { ORDERGATE_DB: db, ORDERGATE_SWITCH_SWEEP_MS: '100' };
  const first = await startInstance(env);
  running.push(first);
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) {
    const r = await send(first.url, key, 'POST', '/api/v3/trade/place-order', UTA_SPOT);
    assert.equal(r.code, '00000', JSON.stringify(r.body));
    ids.push(r.body.data.orderId);
  }
  const armed = await send(first.url, key, 'POST', '/api/v3/trade/countdown-cancel-all', { countdown: '5' });
  assert.equal(armed.body.data, 'success');
  const armedAt = Date.now();
  first.proc.kill('SIGKILL');
  await new Promise<void>((r) => (first.proc.exitCode !== null || first.proc.signalCode !== null ? r() : first.proc.once('exit', () => r())));
  running.splice(running.indexOf(first), 1);
  // stay down past the deadline: nobody is there to fire it
  await new Promise((r) => setTimeout(r, Math.max(0, armedAt + 6_000 - Date.now())));
  const restartAt = Date.now();
  const second = await startInstance(env);
  running.push(second);
  const took = await waitFor(async () => {
    const r = await send(second.url, key, 'GET', '/api/v3/trade/unfilled-orders?category=SPOT');
    return r.code === '00000' && r.body.data.list.length === 0;
  }, 20_000);
  assert.ok(took >= 0, `the restarted server did not fire the countdown:\n${second.output()}`);
  const sw = (await send(second.url, key, 'GET', '/api/ordergate/v1/switches')).body.data.find((x: { kind: string }) => x.kind === 'countdown');
  assert.ok(sw.lastFire, JSON.stringify(sw));
  assert.ok(Number(sw.lastFire.deadline) < restartAt, 'the deadline passed while the server was down');
  assert.ok(Number(sw.lastFire.at) >= restartAt, 'fired by the restarted server');
  assert.equal(sw.lastFire.cancelled, '3');
  assert.equal(sw.armed, false);
  const hist = await send(second.url, key, 'GET', '/api/v3/trade/history-orders?category=SPOT');
  assert.equal(hist.body.data.list.length, 3);
  for (const o of hist.body.data.list) assert.equal(o.orderStatus ?? o.status, 'cancelled');
});

test('three instances on one PostgreSQL schema: each switch fires exactly once', async () => {
  const url = freshSchemaUrl('sw3');
  try {
    const uids = ['990001', '990002', '990003', '990004', '990005'];
    const keys = await makeKeys(url, uids);
    const instances = await startInstances(3, { DATABASE_URL: url, ORDERGATE_SWITCH_SWEEP_MS: '20' });
    running.push(...instances);
    const orders = new Map<string, string[]>();
    for (const [i, k] of keys.entries()) {
      const r = await send(instances[i % 3].url, k, 'POST', '/api/v2/mix/order/batch-place-order', {
        symbol: 'BTCUSDT', productType: 'USDT-FUTURES', marginMode: 'crossed', marginCoin: 'USDT',
        orderList: Array.from({ length: 10 }, () => ({ size: '0.01', price: '30000', side: 'buy', orderType: 'limit', force: 'gtc' })),
      });
      assert.equal(r.code, '00000', JSON.stringify(r.body));
      orders.set(k.uid, r.body.data.successList.map((x: { orderId: string }) => x.orderId));
    }
    // every UID's countdown (the extension: classic accounts) comes due at about the same moment
    for (const [i, k] of keys.entries()) {
      const r = await send(instances[(i + 1) % 3].url, k, 'POST', '/api/ordergate/v1/countdown-cancel-all', { countdown: '2' });
      assert.equal(r.code, '00000', JSON.stringify(r.body));
    }
    const store = await PostgresStore.open({ url });
    const events: StoredEvent[] = [];
    const sub = store.events.subscribe((b) => events.push(...b), 0);
    try {
      const all = [...orders.values()].flat();
      const took = await waitFor(async () => {
        const fired = events.filter((e) => e.event.kind === 'switch').length;
        const cancelled = new Set(events.flatMap((e) => (e.event.kind === 'order.updated' && e.event.change === 'cancel' ? [e.event.order.orderId] : [])));
        return fired >= uids.length && all.every((id) => cancelled.has(id));
      }, 20_000);
      assert.ok(took >= 0, `not every switch fired: ${events.filter((e) => e.event.kind === 'switch').length} events`);
      // a few more sweeps of every instance: nothing fires twice
      await new Promise((r) => setTimeout(r, 1_000));
      const fires = events.filter((e) => e.event.kind === 'switch');
      assert.equal(fires.length, uids.length, 'a switch fired more than once');
      assert.deepEqual(fires.map((e) => e.uid).sort(), [...uids].sort());
      const cancels = events.flatMap((e) => (e.event.kind === 'order.updated' && e.event.change === 'cancel' ? [e.event.order.orderId] : []));
      assert.equal(cancels.length, all.length, 'an order was cancelled more than once');
      assert.equal(new Set(cancels).size, all.length);
      for (const e of events) if (e.event.kind === 'order.updated') assert.equal(e.event.order.cancelReason, 'countdown_cancel_all');
      for (const sw of await store.switches.list()) {
        assert.equal(sw.armed, false);
        assert.equal(sw.lastFire?.cancelled, 10);
      }
    } finally {
      sub.close();
      await store.close();
    }
  } finally {
    await Promise.all(running.splice(0).map((i) => i.stop()));
    await dropPostgresSchema(url);
  }
});
