/**
 * The PostgreSQL store on the machine's PostgreSQL (ORDERGATE_TEST_DATABASE_URL, default
 * postgres://postgres@127.0.0.1:5432/test), each test on a fresh schema. Fails (never skips)
 * when PostgreSQL is unreachable: CI starts it.
 *
 * Two stores on one schema stand for two server instances: each has its own pool.
 * What every store must do (round trips, clientOid, scopes, queries, keys) is in contract.test.ts;
 * this file keeps what is PostgreSQL's own: URLs, migrations, instances, locking, faults.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { BitgetError } from '../../src/domain/errors.js';
import { Engine } from '../../src/engine/engine.js';
import { IdGenerator } from '../../src/engine/ids.js';
import type { PlaceCommand } from '../../src/engine/place.js';
import { loadCatalogue } from '../../src/markets/catalogue.js';
import { openStore } from '../../src/store/open.js';
import { PostgresStore, dropPostgresSchema, parseDatabaseUrl } from '../../src/store/postgres/index.js';
import { POSTGRES_MIGRATIONS } from '../../src/store/postgres/schema.js';
import type { ApiKeyRecord } from '../../src/store/types.js';
import { freshSchemaUrl } from '../helpers.js';
import { insert, order } from '../fixtures/orders.js';

/** Opens `n` stores ("instances") on one fresh schema; `done()` closes them and drops it. */
async function instances(n: number, opts: Partial<Parameters<typeof PostgresStore.open>[0]> = {}) {
  const url = freshSchemaUrl('st');
  const stores = await Promise.all(Array.from({ length: n }, () => PostgresStore.open({ url, ...opts })));
  return {
    url,
    stores,
    async done() {
      await Promise.all(stores.map((s) => s.close().catch(() => undefined)));
      await dropPostgresSchema(url);
    },
  };
}

/** A plain connection to the schema of `url` (plays "another transaction"). */
async function side(url: string): Promise<pg.Client> {
  const p = parseDatabaseUrl(url);
  const c = new pg.Client({ connectionString: p.connectionString, options: p.options });
  await c.connect();
  return c;
}

const mixPlace = (uid: string, clientOid?: string): PlaceCommand => ({
  uid,
  category: 'USDT-FUTURES',
  marginMode: 'crossed',
  symbol: 'BTCUSDT',
  side: 'buy',
  orderType: 'limit',
  force: 'gtc',
  price: '30000',
  size: '0.01',
  marginCoin: 'USDT',
  ...(clientOid ? { clientOid } : {}),
});

test('DATABASE_URL: ?schema= is taken out and becomes search_path; bad URLs are refused', () => {
  const p = parseDatabaseUrl('postgres://u@h:5432/db?schema=og_x&sslmode=disable');
  assert.equal(p.schema, 'og_x');
  assert.equal(p.options, '-c search_path=og_x');
  assert.equal(p.connectionString, 'postgres://u@h:5432/db?sslmode=disable');
  assert.equal(parseDatabaseUrl('postgresql://u@h/db').schema, undefined);
  assert.throws(() => parseDatabaseUrl('mysql://u@h/db'), /postgres:\/\//);
  assert.throws(() => parseDatabaseUrl('postgres://u@h/db?schema=x;drop'), /schema/);
  assert.throws(() => parseDatabaseUrl('not a url'), /valid URL/);
});

test('migrations: versioned, applied once, safe when several instances start at once', async () => {
  const t = await instances(3); // three concurrent opens on one brand-new schema
  try {
    const [a] = t.stores;
    assert.equal(await a.schemaVersion(), POSTGRES_MIGRATIONS.length);
    const rows = (await a.pool.query('SELECT version FROM schema_migrations ORDER BY version')).rows;
    assert.deepEqual(rows.map((r) => r.version), POSTGRES_MIGRATIONS.map((_, i) => i + 1));
    const o = order();
    await a.execute({ uid: '1001' }, insert(o));
    // reopening migrates nothing and keeps the data
    const again = await PostgresStore.open({ url: t.url });
    assert.equal(await again.schemaVersion(), POSTGRES_MIGRATIONS.length);
    assert.deepEqual(await again.getOrder('1001', { orderId: o.orderId }), o);
    await again.close();
    // the tables live in the named schema, not in public
    const where = await a.pool.query(`SELECT table_schema FROM information_schema.tables WHERE table_name = 'orders' AND table_schema = $1`, [a.schema]);
    assert.equal(where.rowCount, 1);
  } finally {
    await t.done();
  }
});

test('openStore picks PostgreSQL for DATABASE_URL; an unreachable server fails the start quickly', async () => {
  const url = freshSchemaUrl('st');
  const s = await openStore({ dbPath: ':memory:', databaseUrl: url });
  assert.equal(s.kind, 'postgres');
  await s.close();
  await dropPostgresSchema(url);
  const t0 = Date.now();
  await assert.rejects(PostgresStore.open({ url: 'postgres://postgres@127.0.0.1:1/test', connectTimeoutMs: 1000 }));
  assert.ok(Date.now() - t0 < 15_000, 'the connect timeout bounds the wait (generous: a busy machine is slow)');
});

test('instanceId: distinct per process on one database (order ids cannot collide)', async () => {
  const t = await instances(4);
  try {
    const ids = await Promise.all(t.stores.map((s) => s.instanceId()));
    assert.equal(new Set(ids).size, 4);
    for (const i of ids) assert.ok(i >= 0 && i < 1024);
    assert.equal(await t.stores[0].instanceId(), ids[0], 'stable within a process');
  } finally {
    await t.done();
  }
});

test('execute: decide throwing writes nothing and its own error comes back unchanged; a failing write rolls the whole unit back', async () => {
  const t = await instances(1);
  const [s] = t.stores;
  try {
    const existing = order();
    await s.execute({ uid: '1001' }, insert(existing));
    const boom = new BitgetError('40769', 'Reject order has been completed', 400);
    await assert.rejects(
      s.execute({ uid: '1001', orderIds: [existing.orderId] }, () => {
        throw boom;
      }),
      (e) => e === boom,
    );
    // first insert is fine, the second repeats a primary key: neither may remain
    const half = order();
    await assert.rejects(s.execute({ uid: '1001' }, insert(half, { ...existing })), (e: unknown) => e instanceof BitgetError && e.code === '40015');
    assert.equal(await s.getOrder('1001', { orderId: half.orderId }), undefined);
    // a cancel batch is applied whole: an update batch with one bad row changes nothing
    const a = order();
    const b = order();
    await s.execute({ uid: '1001' }, insert(a, b));
    await assert.rejects(
      s.execute({ uid: '1001', orderIds: [a.orderId, b.orderId] }, () => ({
        writes: {
          inserts: [],
          updates: [
            { orderId: a.orderId, status: 'cancelled', filledSize: '0', filledQuote: '0', uTime: '5', cancelReason: 'normal_cancel' },
            { orderId: b.orderId, status: 'cancelled', filledSize: '0', filledQuote: '0', uTime: 'not-a-number', cancelReason: 'normal_cancel' },
          ],
        },
        result: null,
      })),
      (e: unknown) => e instanceof BitgetError && e.code === '40015' && e.status === 500,
    );
    assert.equal((await s.getOrder('1001', { orderId: a.orderId }))?.status, 'live');
    assert.equal((await s.getOrder('1001', { orderId: b.orderId }))?.status, 'live');
  } finally {
    await t.done();
  }
});

/** Creates UID 1001 (classic) and funds its USDT-M account: placements hold margin (issue 10). */
async function fund(e: Engine): Promise<void> {
  await e.store.keys.ensureAccount('1001', 'classic');
  await e.deposit('1001', 'USDT', '100000000', 'usdt-futures');
}

test('two instances, overlapping batch cancels: every order cancelled exactly once', async () => {
  const t = await instances(3);
  try {
    const cat = loadCatalogue();
    const engines = await Promise.all(t.stores.map(async (s) => new Engine(s, cat, new IdGenerator(await s.instanceId()))));
    await fund(engines[0]);
    const placed = await engines[0].place('mix', Array.from({ length: 120 }, (_, i) => mixPlace('1001', `c${i}`)));
    const ids = placed.map((p) => p.orderId);
    assert.equal(new Set(ids).size, 120);
    const target = { uid: '1001', categories: ['USDT-FUTURES' as const] };
    // 12 batches of 30 refs; each order named in 3 batches, by id or by clientOid, in shuffled order
    const batches = Array.from({ length: 12 }, (_, b) =>
      Array.from({ length: 30 }, (_, k) => {
        const i = (b * 30 + k) % 120;
        return b % 2 ? { ref: { clientOid: `c${i}` } } : { ref: { orderId: ids[i] } };
      }).sort(() => Math.random() - 0.5),
    );
    const results = await Promise.all(batches.map((items, b) => engines[b % 3].cancel('mix', target, items)));
    const wins = new Map<string, number>();
    for (const r of results.flat()) {
      if (r.ok) wins.set(r.orderId, (wins.get(r.orderId) ?? 0) + 1);
      else assert.equal(r.code, '40769', `a loser sees the order finished: ${JSON.stringify(r)}`);
    }
    assert.equal(wins.size, 120);
    assert.deepEqual([...new Set(wins.values())], [1]);
    const left = await t.stores[1].listOrders({ uid: '1001', categories: ['USDT-FUTURES'], open: true, limit: 100 });
    assert.equal(left.length, 0);
  } finally {
    await t.done();
  }
});

test('cancel-all racing a batch cancel on another instance: each order reported cancelled once', async () => {
  const t = await instances(2);
  try {
    const cat = loadCatalogue();
    const [e1, e2] = await Promise.all(t.stores.map(async (s) => new Engine(s, cat, new IdGenerator(await s.instanceId()))));
    await fund(e1);
    for (let round = 0; round < 5; round++) {
      const placedR = await e1.place("mix", Array.from({ length: 40 }, () => mixPlace("1001")));
      if (!placedR[0].ok) throw new Error(JSON.stringify(placedR[0]));
      const ids = placedR.map((p) => p.orderId);
      const [all, batch] = await Promise.all([
        e2.cancelScope({ uid: '1001', categories: ['USDT-FUTURES'], symbol: 'BTCUSDT' }),
        e1.cancel('mix', { uid: '1001', categories: ['USDT-FUTURES'] }, ids.map((orderId) => ({ ref: { orderId } }))),
      ]);
      const won = [...all.filter((x) => x.ok), ...batch.filter((x) => x.ok)].map((x) => x.orderId).sort();
      assert.deepEqual(won, [...ids].sort(), `round ${round}`);
    }
  } finally {
    await t.done();
  }
});

test('same clientOid placed on two instances at once: the loser gets the duplicate code, not a 5xx', async () => {
  const t = await instances(2);
  const c = await side(t.url);
  try {
    const cat = loadCatalogue();
    const [e1, e2] = await Promise.all(t.stores.map(async (s) => new Engine(s, cat, new IdGenerator(await s.instanceId()))));
    await fund(e1);
    // Deterministic race: another transaction has inserted open clientOid "dup" but not committed;
    // the placement sees no open "dup", inserts, waits on the unique index, then collides.
    await c.query('BEGIN');
    await c.query(
      `INSERT INTO orders (order_id, uid, client_oid, category, margin_mode, symbol, side, order_type, force, price, size,
         filled_size, filled_quote, status, margin_coin, extra, c_time, u_time, cancel_reason, is_open)
       VALUES ('1899999999999999999', '1001', 'dup', 'USDT-FUTURES', 'crossed', 'BTCUSDT', 'buy', 'limit', 'gtc', '30000', '0.01',
         '0', '0', 'live', 'USDT', '{}', 1, 1, '', true)`,
    );
    const pending = e1.place('mix', [mixPlace('1001', 'dup'), mixPlace('1001', 'fresh')]);
    await new Promise((r) => setTimeout(r, 150));
    await c.query('COMMIT');
    const [dup, fresh] = await pending;
    assert.deepEqual({ ok: dup.ok, code: (dup as { code?: string }).code }, { ok: false, code: '45034' });
    assert.equal(fresh.ok, true, 'the other item of the batch still succeeds (retried unit)');
    // and free-running races on every clientOid: exactly one winner each
    for (let i = 0; i < 20; i++) {
      const [a, b] = await Promise.all([e1.place('mix', [mixPlace('1001', `r${i}`)]), e2.place('mix', [mixPlace('1001', `r${i}`)])]);
      const oks = [a[0], b[0]].filter((x) => x.ok).length;
      assert.equal(oks, 1, `race ${i}: ${JSON.stringify([a, b])}`);
      assert.ok([a[0], b[0]].every((x) => x.ok || x.code === '45034'));
    }
  } finally {
    await c.end();
    await t.done();
  }
});

test('faults: a row lock held too long and a killed connection both end in 40015 quickly; the pool recovers', async () => {
  const t = await instances(1, { lockTimeoutMs: 300 });
  const [s] = t.stores;
  const patient = await PostgresStore.open({ url: t.url, lockTimeoutMs: 20_000 });
  const c = await side(t.url);
  try {
    const o = order();
    await s.execute({ uid: '1001' }, insert(o));
    await c.query('BEGIN');
    await c.query(`SELECT 1 FROM orders WHERE order_id = $1 FOR UPDATE`, [o.orderId]);
    const cancel = (st: PostgresStore) =>
      st.execute({ uid: '1001', orderIds: [o.orderId] }, () => ({
        writes: { inserts: [], updates: [{ orderId: o.orderId, status: 'cancelled', filledSize: '0', filledQuote: '0', uTime: '9', cancelReason: 'normal_cancel' }] },
        result: true,
      }));
    let t0 = Date.now();
    await assert.rejects(cancel(s), (e: unknown) => e instanceof BitgetError && e.code === '40015' && e.status === 500);
    assert.ok(Date.now() - t0 < 15_000, 'lock_timeout bounds the wait (generous: a busy machine is slow)');

    // a unit waiting on the lock whose connection is killed (as in a server restart)
    const waiting = cancel(patient).then(
      () => undefined,
      (e: unknown) => e,
    );
    let pid: number | undefined;
    for (let i = 0; i < 100 && pid === undefined; i++) {
      // the backend blocked by this test's lock (other test files' servers wait on locks too)
      const r = await c.query(`SELECT pid FROM pg_stat_activity WHERE application_name = 'ordergate' AND pg_backend_pid() = ANY(pg_blocking_pids(pid))`);
      pid = r.rows[0]?.pid;
      if (pid === undefined) await new Promise((r) => setTimeout(r, 20));
    }
    assert.ok(pid, 'the unit is waiting on the row lock');
    t0 = Date.now();
    await c.query(`SELECT pg_terminate_backend($1)`, [pid]);
    const e = (await waiting) as BitgetError & { cause?: { code?: string } };
    assert.ok(e instanceof BitgetError && e.code === '40015', String(e));
    assert.equal(e.cause?.code, '57P01', 'failed because its connection was terminated');
    assert.ok(Date.now() - t0 < 15_000, 'the terminated unit fails at once, not after a timeout');
    await c.query('ROLLBACK');
    assert.equal((await s.getOrder('1001', { orderId: o.orderId }))?.status, 'live', 'nothing half-applied');
    // the same store goes on working with fresh connections
    assert.equal(await cancel(patient), true);
    assert.equal((await s.getOrder('1001', { orderId: o.orderId }))?.status, 'cancelled');
  } finally {
    await c.end().catch(() => undefined);
    await patient.close();
    await t.done();
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

test('key store: every change is seen by every instance (keysVersion, keys, accounts)', async () => {
  const t = await instances(2);
  const [s, other] = t.stores;
  try {
    const v0 = await other.keysVersion();
    await s.ensureAccount('1001', 'classic');
    const v1 = await other.keysVersion();
    assert.ok(v1 > v0);
    await s.insertKey(keyRec('k1', '1001'));
    const v2 = await other.keysVersion();
    assert.ok(v2 > v1);
    assert.deepEqual(await other.listKeys(), [keyRec('k1', '1001')]);
    assert.equal(await s.revokeKey('k1', 5), true);
    assert.ok((await other.keysVersion()) > v2);
    assert.equal((await other.listKeys())[0].revokedAt, 5);
    assert.equal(await other.revokeKey('k1', 6), false);
    await other.ensureAccount('2001', 'unified');
    assert.deepEqual((await s.listAccounts()).map((a) => a.uid), ['1001', '2001']);
  } finally {
    await t.done();
  }
});
