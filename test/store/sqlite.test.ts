import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../../src/store/sqlite/index.js';
import type { ApiKeyRecord, Loaded } from '../../src/store/types.js';
import { insert, order } from '../fixtures/orders.js';

const mem = () => new SqliteStore({ path: ':memory:' });

test('execute: inserted orders read back identically (all fields, decimal strings kept)', async () => {
  const s = mem();
  const o = order({ clientOid: 'abc', price: '30000.10', size: '0.0100', extra: { tradeSide: 'open', posSide: 'long' } });
  await s.execute({ uid: '1001' }, insert(o));
  assert.deepEqual(await s.getOrder('1001', { orderId: o.orderId }), o);
  await s.close();
});

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

test('load: orderIds are scoped to the uid; uid null (admin) sees every order', async () => {
  const s = mem();
  const mine = order();
  const theirs = order({ uid: '9999' });
  await s.execute({ uid: null }, insert(mine, theirs));
  const seen = await s.execute({ uid: '1001', orderIds: [mine.orderId, theirs.orderId] }, (l) => ({
    writes: { inserts: [], updates: [] },
    result: [...l.byId.keys()],
  }));
  assert.deepEqual(seen, [mine.orderId]);
  const admin = await s.execute({ uid: null, orderIds: [mine.orderId, theirs.orderId] }, (l) => ({
    writes: { inserts: [], updates: [] },
    result: [...l.byId.keys()].sort(),
  }));
  assert.deepEqual(admin, [mine.orderId, theirs.orderId].sort());
  assert.equal(await s.getOrder('1001', { orderId: theirs.orderId }), undefined);
  await s.close();
});

test('clientOid lookup prefers the open order, else the newest closed one', async () => {
  const s = mem();
  const old = order({ clientOid: 'X', status: 'cancelled', cTime: '1700000000001', cancelReason: 'normal_cancel' });
  const open = order({ clientOid: 'X', status: 'live', cTime: '1700000000000' });
  const newerClosed = order({ clientOid: 'X', status: 'filled', cTime: '1700000000009', filledSize: '0.01' });
  await s.execute({ uid: '1001' }, insert(old, open, newerClosed));
  assert.equal((await s.getOrder('1001', { clientOid: 'X' }))?.orderId, open.orderId);
  const viaLoad = await s.execute({ uid: '1001', clientOids: ['X'] }, (l) => ({ writes: { inserts: [], updates: [] }, result: l.byClientOid.get('X')?.orderId }));
  assert.equal(viaLoad, open.orderId);
  // once the open one is closed, the newest closed one is returned
  await s.execute({ uid: '1001' }, () => ({
    writes: { inserts: [], updates: [{ orderId: open.orderId, status: 'cancelled', filledSize: '0', filledQuote: '0', uTime: '2', cancelReason: 'normal_cancel' }] },
    result: null,
  }));
  assert.equal((await s.getOrder('1001', { clientOid: 'X' }))?.orderId, newerClosed.orderId);
  // another uid's clientOid is invisible
  assert.equal(await s.getOrder('1002', { clientOid: 'X' }), undefined);
  await s.close();
});

test('two open orders of one uid cannot share a clientOid (the store refuses it too)', async () => {
  const s = mem();
  await s.execute({ uid: '1001' }, insert(order({ clientOid: 'dup' })));
  await assert.rejects(s.execute({ uid: '1001' }, insert(order({ clientOid: 'dup' }))));
  await s.execute({ uid: '1002' }, insert(order({ uid: '1002', clientOid: 'dup' })));
  await s.close();
});

test('listOrders: newest first, open vs history, filters, limit and idLessThan paging', async () => {
  const s = mem();
  const open = Array.from({ length: 7 }, (_, i) => order({ cTime: String(1700000000000 + i * 1000) }));
  const eth = order({ symbol: 'ETHUSDT', cTime: '1700000100000' });
  const coin = order({ category: 'COIN-FUTURES', symbol: 'BTCUSD', marginCoin: 'BTC' });
  const done = order({ status: 'filled', filledSize: '0.01' });
  const foreign = order({ uid: '1002' });
  await s.execute({ uid: null }, insert(...open, eth, coin, done, foreign));

  const q = { uid: '1001', categories: ['USDT-FUTURES'] as const, open: true, limit: 100 };
  const all = await s.listOrders({ ...q, categories: [...q.categories] });
  assert.deepEqual(all.map((o) => o.orderId), [eth, ...open].map((o) => o.orderId).sort().reverse());

  const btc = await s.listOrders({ ...q, categories: ['USDT-FUTURES'], symbol: 'BTCUSDT' });
  assert.equal(btc.length, 7);

  // page through 3 at a time with idLessThan = last id of the previous page
  const pages: string[][] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await s.listOrders({ ...q, categories: ['USDT-FUTURES'], symbol: 'BTCUSDT', limit: 3, idLessThan: cursor });
    if (page.length === 0) break;
    pages.push(page.map((o) => o.orderId));
    cursor = page[page.length - 1].orderId;
  }
  assert.deepEqual(pages.map((p) => p.length), [3, 3, 1]);
  assert.deepEqual(pages.flat(), open.map((o) => o.orderId).reverse());

  const hist = await s.listOrders({ ...q, categories: ['USDT-FUTURES'], open: false });
  assert.deepEqual(hist.map((o) => o.orderId), [done.orderId]);

  const both = await s.listOrders({ ...q, categories: ['USDT-FUTURES', 'COIN-FUTURES'] });
  assert.equal(both.length, 9);

  const timed = await s.listOrders({ ...q, categories: ['USDT-FUTURES'], startTime: 1700000002000, endTime: 1700000004000 });
  assert.deepEqual(timed.map((o) => o.orderId), open.slice(2, 5).map((o) => o.orderId).reverse());
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

const keyRec = (apiKey: string, uid: string): ApiKeyRecord => ({
  apiKey,
  uid,
  permission: 'trade',
  ips: ['10.0.0.1', '10.0.0.2'],
  secretEnc: 'v1:xx',
  passphraseHash: 'scrypt$x',
  label: 'l',
  createdAt: 1,
  revokedAt: null,
});

test('key store: accounts, mode conflict, keys, revoke, keysVersion', async () => {
  const s = mem();
  const v0 = await s.keysVersion();
  const acc = await s.ensureAccount('1001', 'classic');
  assert.equal(acc.mode, 'classic');
  const v1 = await s.keysVersion();
  assert.ok(v1 > v0);
  // idempotent in the same mode, no version change
  assert.equal((await s.ensureAccount('1001', 'classic')).createdAt, acc.createdAt);
  assert.equal(await s.keysVersion(), v1);
  await assert.rejects(s.ensureAccount('1001', 'unified'), /classic/);
  assert.equal((await s.getAccount('1001'))?.mode, 'classic');
  assert.equal(await s.getAccount('404'), undefined);

  await s.insertKey(keyRec('k1', '1001'));
  const v2 = await s.keysVersion();
  assert.ok(v2 > v1);
  const [k] = await s.listKeys();
  assert.deepEqual(k, keyRec('k1', '1001'));
  // a key needs an existing account
  await assert.rejects(s.insertKey(keyRec('k2', '777')));
  assert.equal(await s.keysVersion(), v2);

  assert.equal(await s.revokeKey('k1', 5), true);
  const v3 = await s.keysVersion();
  assert.ok(v3 > v2);
  assert.equal((await s.listKeys())[0].revokedAt, 5);
  assert.equal(await s.revokeKey('k1', 6), false);
  assert.equal(await s.revokeKey('nope', 6), false);
  assert.equal(await s.keysVersion(), v3);
  await s.ensureAccount('2001', 'unified');
  assert.deepEqual((await s.listAccounts()).map((a) => [a.uid, a.mode]).sort(), [['1001', 'classic'], ['2001', 'unified']]);
  await s.close();
});
