/**
 * The SQLite store's own behaviour: group commit (one transaction per tick, a savepoint per
 * unit), durability. What every store must do (round trips, clientOid, scopes, queries, keys)
 * is in contract.test.ts; schema v2 and the hot paths in sqlite-v2.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../../src/store/sqlite/index.js';
import type { Loaded } from '../../src/store/types.js';
import { insert, order } from '../fixtures/orders.js';

const mem = () => new SqliteStore({ path: ':memory:' });

test('execute: concurrent calls in one tick share one transaction and all commit', async () => {
  const s = mem();
  const real = s.db.exec.bind(s.db);
  let begins = 0;
  (s.db as { exec: (sql: string) => unknown }).exec = (sql: string) => {
    if (/^BEGIN/.test(sql)) begins++;
    return real(sql);
  };
  const orders = Array.from({ length: 200 }, () => order());
  const results = await Promise.all(orders.map((o) => s.execute({ uid: '1001' }, insert(o))));
  assert.equal(begins, 1, 'one transaction (one fsync) for the whole tick');
  assert.deepEqual(results.flat(), orders.map((o) => o.orderId));
  const open = await s.listOrders({ uid: '1001', categories: ['USDT-FUTURES'], open: true, limit: 100 });
  assert.equal(open.length, 100);
  // a later tick is a new transaction
  await s.execute({ uid: '1001' }, insert(order()));
  assert.equal(begins, 2);
  await s.close();
});

test('execute: a failing unit rolls back alone; the others in the same group commit', async () => {
  const s = mem();
  const existing = order();
  await s.execute({ uid: '1001' }, insert(existing));
  const a = order();
  const b = order();
  const c = order();
  const half = order();
  const boom = new Error('decide failed');
  const results = await Promise.allSettled([
    s.execute({ uid: '1001' }, insert(a)),
    s.execute({ uid: '1001' }, () => {
      throw boom;
    }),
    // writes one order then hits the primary key of `existing`: its first insert must vanish too
    s.execute({ uid: '1001' }, insert(half, { ...existing })),
    s.execute({ uid: '1001' }, insert(b)),
    s.execute({ uid: '1001' }, insert(c)),
  ]);
  assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'rejected', 'fulfilled', 'fulfilled']);
  assert.equal((results[1] as PromiseRejectedResult).reason, boom);
  for (const o of [a, b, c, existing]) assert.ok(await s.getOrder('1001', { orderId: o.orderId }), o.orderId);
  assert.equal(await s.getOrder('1001', { orderId: half.orderId }), undefined);
  await s.close();
});

test('execute: units of one group run in order and see earlier units (no double cancel)', async () => {
  const s = mem();
  const o = order();
  await s.execute({ uid: '1001' }, insert(o));
  const cancelIfOpen = (l: Loaded) => {
    const x = l.byId.get(o.orderId);
    const open = x?.status === 'live';
    return {
      writes: { inserts: [], updates: open ? [{ orderId: o.orderId, status: 'cancelled' as const, filledSize: '0', filledQuote: '0', uTime: '1', cancelReason: 'normal_cancel' }] : [] },
      result: open,
    };
  };
  const r = await Promise.all(Array.from({ length: 5 }, () => s.execute({ uid: '1001', orderIds: [o.orderId] }, cancelIfOpen)));
  assert.deepEqual(r, [true, false, false, false, false]);
  const after = await s.getOrder('1001', { orderId: o.orderId });
  assert.equal(after?.status, 'cancelled');
  assert.equal(after?.cancelReason, 'normal_cancel');
  await s.close();
});

test('durability: a file store runs WAL with synchronous=FULL and survives reopening', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'og-sqlite-'));
  try {
    const path = join(dir, 'nested', 'og.db');
    const s = new SqliteStore({ path });
    assert.equal(s.db.pragma('synchronous', { simple: true }), 2);
    assert.equal(s.db.pragma('journal_mode', { simple: true }), 'wal');
    const o = order();
    await s.execute({ uid: '1001' }, insert(o));
    await s.close();
    const again = new SqliteStore({ path });
    assert.equal((await again.getOrder('1001', { orderId: o.orderId }))?.orderId, o.orderId);
    await again.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
