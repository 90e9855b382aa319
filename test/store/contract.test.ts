/**
 * The store contract (src/store/types.ts): the SAME cases against the SQLite store (in memory)
 * and the PostgreSQL store (a fresh schema per case, dropped after), in one run, so the two
 * cannot drift apart. Which orders a scope, a query and a clientOid select is defined once in
 * src/engine/scope.ts; the cases check both stores against it and against spelled-out answers.
 * Store-specific behaviour (migrations, group commit, locking across instances, faults) stays in
 * sqlite*.test.ts and postgres.test.ts.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CancelScope, Order } from '../../src/domain/types.js';
import { CLIENT_OID_ORDER, compareBy, matches, querySelection, scopeSelection } from '../../src/engine/scope.js';
import { ORDER_COLUMNS, ORDER_FIELD_COUNT, columnValue, orderFromValues, orderToValues } from '../../src/store/columns.js';
import { PostgresStore, dropPostgresSchema, parseDatabaseUrl } from '../../src/store/postgres/index.js';
import { SqliteStore } from '../../src/store/sqlite/index.js';
import type { ApiKeyRecord, Loaded, OrderQuery, OrderStore, OrderUpdate } from '../../src/store/types.js';
import { freshSchemaUrl } from '../helpers.js';
import { insert, order } from '../fixtures/orders.js';

const nothing = { inserts: [], updates: [] };

interface Opened {
  store: OrderStore;
  /** Column name, type and nullability of `orders` as the migrated database has them. */
  columns(): Promise<Array<{ name: string; type: string; notNull: boolean; collateC?: boolean }>>;
  close(): Promise<void>;
}

const STORES: Record<'sqlite' | 'postgres', () => Promise<Opened>> = {
  async sqlite() {
    const s = new SqliteStore({ path: ':memory:' });
    return {
      store: s,
      async columns() {
        const rows = s.db.prepare(`PRAGMA table_info(orders)`).all() as Array<{ name: string; type: string; notnull: number }>;
        return rows.map((r) => ({ name: r.name, type: r.type, notNull: r.notnull === 1 }));
      },
      close: () => s.close(),
    };
  },
  async postgres() {
    const url = freshSchemaUrl('contract');
    let s: PostgresStore;
    try {
      s = await PostgresStore.open({ url });
    } catch (e) {
      await dropPostgresSchema(url).catch(() => undefined);
      throw e;
    }
    return {
      store: s,
      async columns() {
        const r = await s.pool.query(
          `SELECT column_name, data_type, is_nullable, collation_name FROM information_schema.columns
           WHERE table_schema = $1 AND table_name = 'orders' ORDER BY ordinal_position`,
          [parseDatabaseUrl(url).schema],
        );
        return (r.rows as Array<{ column_name: string; data_type: string; is_nullable: string; collation_name: string | null }>).map((x) => ({
          name: x.column_name,
          type: x.data_type,
          notNull: x.is_nullable === 'NO',
          collateC: x.collation_name === 'C' || undefined,
        }));
      },
      async close() {
        try {
          await s.close();
        } finally {
          await dropPostgresSchema(url);
        }
      },
    };
  },
};

const keyRec = (apiKey: string, uid: string, createdAt = 1): ApiKeyRecord => ({
  apiKey,
  uid,
  permission: 'trade',
  ips: ['10.0.0.1', '10.0.0.2'],
  secretEnc: 'v1:xx',
  passphraseHash: 'scrypt$x',
  label: 'l',
  createdAt,
  revokedAt: null,
});

const ids = (os: readonly Order[]) => os.map((o) => o.orderId);

/** A cancel of `o` as the engine writes it. */
const cancel = (o: Order, uTime = '1700000009999'): OrderUpdate => ({
  orderId: o.orderId,
  status: 'cancelled',
  filledSize: o.filledSize,
  filledQuote: o.filledQuote,
  uTime,
  cancelReason: 'normal_cancel',
});

/** Runs `f` with Date.now frozen at `t` (accounts take their createdAt from it). */
async function at<T>(t: number, f: () => Promise<T>): Promise<T> {
  const real = Date.now;
  Date.now = () => t;
  try {
    return await f();
  } finally {
    Date.now = real;
  }
}

for (const kind of ['sqlite', 'postgres'] as const) {
  describe(`store contract: ${kind}`, { timeout: 120_000 }, () => {
    /** Opens a fresh store for one case and closes (drops) it whatever happens. */
    const withStore = async (f: (s: OrderStore, o: Opened) => Promise<void>) => {
      const o = await STORES[kind]();
      try {
        await f(o.store, o);
      } finally {
        await o.close();
      }
    };

    test('the migrated orders table is exactly the column table (names, order, types, nullability)', () =>
      withStore(async (_s, o) => {
        const want = ORDER_COLUMNS.map((c) =>
          kind === 'sqlite'
            ? { name: c.name, type: c.sqlite.type, notNull: c.sqlite.notNull }
            : { name: c.name, type: c.postgres.type, notNull: c.postgres.notNull, collateC: c.postgres.collateC },
        );
        assert.deepEqual(await o.columns(), want);
      }));

    test('execute/getOrder: every field reads back identically, by id and by load (decimal strings, nulls, extra)', () =>
      withStore(async (s) => {
        const fut = order({ clientOid: 'abc', price: '30000.10', size: '0.0100', extra: { tradeSide: 'open', posSide: 'long' } });
        const spot = order({ category: 'SPOT', marginMode: null, marginCoin: null, symbol: 'ETHUSDT', extra: {}, price: '', orderType: 'market' });
        const odd = order({ clientOid: 'quote\'"\\ü', extra: { note: '{"a":[1,2]}', empty: '' }, cTime: '1', uTime: '9999999999999' });
        assert.deepEqual(await s.execute({ uid: '1001' }, insert(fut, spot, odd)), ids([fut, spot, odd]));
        for (const o of [fut, spot, odd]) assert.deepEqual(await s.getOrder('1001', { orderId: o.orderId }), o);
        const loaded = await s.execute({ uid: '1001', orderIds: ids([fut, spot, odd]) }, (l) => ({ writes: nothing, result: l.byId }));
        assert.deepEqual([...loaded.values()].sort(compareBy([{ by: 'orderId' }])), [fut, spot, odd]);
        assert.deepEqual(await s.getOrder('1001', { clientOid: 'abc' }), fut);
        assert.equal(await s.getOrder('1001', { orderId: '1' }), undefined);
        assert.equal(await s.getOrder('1001', {}), undefined);
        // the written-out mappings are the column table's: every column, every field round-trips
        for (const o of [fut, spot, odd, { ...odd, status: 'cancelled' as const }]) {
          const values = orderToValues(o, kind);
          assert.deepEqual(values, ORDER_COLUMNS.map((c) => columnValue(c, o, kind)));
          const fieldValues = values.filter((_, i) => ORDER_COLUMNS[i].name !== 'is_open');
          assert.equal(fieldValues.length, ORDER_FIELD_COUNT);
          assert.deepEqual(orderFromValues(fieldValues), o);
          const money = { account: 'spot', held: '1.5', holdCoin: 'USDT', leverage: '', fee: '0', feeCoin: '' };
          assert.deepEqual(orderFromValues(orderToValues({ ...o, ...money }, kind).filter((_, i) => ORDER_COLUMNS[i].name !== 'is_open')), { ...o, ...money });
          assert.deepEqual(ORDER_COLUMNS.filter((c) => c.field).map((c) => c.field).sort(), Object.keys({ ...o, ...money }).sort());
        }
      }));

    test('execute: updates change status, fills and cancelReason; the order moves from open to history', () =>
      withStore(async (s) => {
        const a = order();
        const b = order();
        await s.execute({ uid: '1001' }, insert(a, b));
        const fill: OrderUpdate = { orderId: a.orderId, status: 'partially_filled', filledSize: '0.004', filledQuote: '120', uTime: '1700000000500', cancelReason: '' };
        await s.execute({ uid: '1001', orderIds: [a.orderId] }, () => ({ writes: { inserts: [], updates: [fill] }, result: null }));
        assert.deepEqual(await s.getOrder('1001', { orderId: a.orderId }), { ...a, status: 'partially_filled', filledSize: '0.004', filledQuote: '120', uTime: '1700000000500' });
        await s.execute({ uid: '1001' }, () => ({ writes: { inserts: [], updates: [cancel(b)] }, result: null }));
        const q: OrderQuery = { uid: '1001', categories: ['USDT-FUTURES'], open: true, limit: 100 };
        assert.deepEqual(ids(await s.listOrders(q)), [a.orderId]);
        assert.deepEqual(await s.listOrders({ ...q, open: false }), [{ ...b, ...cancel(b) }]);
      }));

    test('load by id: scoped to the unit uid; uid null (admin) sees every order', () =>
      withStore(async (s) => {
        const mine = order();
        const theirs = order({ uid: '9999' });
        await s.execute({ uid: null }, insert(mine, theirs));
        const keys = (l: Loaded) => ({ writes: nothing, result: [...l.byId.keys()].sort() });
        assert.deepEqual(await s.execute({ uid: '1001', orderIds: [mine.orderId, theirs.orderId, '1800000000000000000'] }, keys), [mine.orderId]);
        assert.deepEqual(await s.execute({ uid: null, orderIds: [theirs.orderId, mine.orderId, mine.orderId] }, keys), ids([mine, theirs]).sort());
        assert.equal(await s.getOrder('1001', { orderId: theirs.orderId }), undefined);
      }));

    test('clientOid: the open order, else the newest closed by cTime, equal cTimes by the higher orderId; per uid', () =>
      withStore(async (s) => {
        const T = 1700000000000;
        // X: an old closed, the open one, a newer closed
        const xOld = order({ clientOid: 'X', status: 'cancelled', cTime: String(T + 1), cancelReason: 'normal_cancel' });
        const xOpen = order({ clientOid: 'X', status: 'live', cTime: String(T) });
        const xNewer = order({ clientOid: 'X', status: 'filled', cTime: String(T + 9), filledSize: '0.01' });
        // Y, Z: two closed orders with the same cTime, the higher id inserted first (Y) or last (Z)
        const y1 = order({ clientOid: 'Y', status: 'cancelled', cTime: String(T), cancelReason: 'normal_cancel' });
        const y2 = order({ clientOid: 'Y', status: 'filled', cTime: String(T), filledSize: '0.01' });
        const z1 = order({ clientOid: 'Z', status: 'cancelled', cTime: String(T), cancelReason: 'normal_cancel' });
        const z2 = order({ clientOid: 'Z', status: 'cancelled', cTime: String(T), cancelReason: 'normal_cancel' });
        // W: the newer cTime wins even with the lower id
        const wHighId = order({ clientOid: 'W', status: 'cancelled', cTime: String(T), cancelReason: 'normal_cancel' });
        const wLowId = { ...order({ clientOid: 'W', status: 'filled', cTime: String(T + 5), filledSize: '0.01' }), orderId: '1700000000000000001' };
        await s.execute({ uid: '1001' }, insert(xOld, xOpen, xNewer, y2, y1, z1, z2, wHighId, wLowId));

        const viaLoad = (coids: string[]) =>
          s.execute({ uid: '1001', clientOids: coids }, (l) => ({ writes: nothing, result: Object.fromEntries(coids.map((c) => [c, l.byClientOid.get(c)?.orderId])) }));
        const viaGet = async (coids: string[]) => Object.fromEntries(await Promise.all(coids.map(async (c) => [c, (await s.getOrder('1001', { clientOid: c }))?.orderId])));
        const want = { X: xOpen.orderId, Y: y2.orderId, Z: z2.orderId, W: wLowId.orderId };
        // the definition (engine/scope.ts) says the same
        const all = [xOld, xOpen, xNewer, y1, y2, z1, z2, wHighId, wLowId];
        for (const [c, id] of Object.entries(want)) assert.equal(all.filter((o) => o.clientOid === c).sort(compareBy(CLIENT_OID_ORDER))[0].orderId, id);
        assert.deepEqual(await viaGet(Object.keys(want)), want);
        assert.deepEqual(await viaLoad(Object.keys(want)), want);

        // once the open one is closed, the newest closed one is named
        await s.execute({ uid: '1001' }, () => ({ writes: { inserts: [], updates: [cancel(xOpen)] }, result: null }));
        assert.equal((await viaGet(['X'])).X, xNewer.orderId);
        assert.equal((await viaLoad(['X'])).X, xNewer.orderId);
        // another uid's clientOid is invisible
        assert.equal(await s.getOrder('1002', { clientOid: 'X' }), undefined);
        assert.equal(await s.execute({ uid: '1002', clientOids: ['X'] }, (l) => ({ writes: nothing, result: l.byClientOid.size })), 0);
      }));

    test('two open orders of one uid cannot share a clientOid (the store refuses it); other uids and closed ones may', () =>
      withStore(async (s) => {
        await s.execute({ uid: '1001' }, insert(order({ clientOid: 'dup' })));
        await assert.rejects(s.execute({ uid: '1001' }, insert(order({ clientOid: 'dup' }))));
        await s.execute({ uid: '1002' }, insert(order({ uid: '1002', clientOid: 'dup' })));
        await s.execute({ uid: '1001' }, insert(order({ clientOid: 'dup', status: 'cancelled', cancelReason: 'normal_cancel' })));
        // '' (no clientOid) is never unique
        await s.execute({ uid: '1001' }, insert(order(), order()));
      }));

    test('scope: the open orders of uid, categories, symbol, marginCoin, marginMode; oldest first', () =>
      withStore(async (s) => {
        const mine = order();
        const theirs = order({ uid: '9999' });
        const eth = order({ symbol: 'ETHUSDT' });
        const isolated = order({ marginMode: 'isolated' });
        const partial = order({ status: 'partially_filled', filledSize: '0.001', filledQuote: '30' });
        const filled = order({ status: 'filled', filledSize: '0.01' });
        const cancelled = order({ status: 'cancelled', cancelReason: 'normal_cancel' });
        const coin = order({ category: 'COIN-FUTURES', symbol: 'BTCUSD', marginCoin: 'BTC' });
        const spot = order({ category: 'SPOT', marginMode: null, marginCoin: null });
        const all = [coin, mine, theirs, eth, isolated, partial, filled, cancelled, spot];
        // inserted out of id order: the answer is still oldest (lowest id) first
        await s.execute({ uid: null }, insert(...all));
        const scoped = (scope: CancelScope) => s.execute({ uid: scope.uid, scope }, (l) => ({ writes: nothing, result: ids(l.scoped) }));
        const cases: Array<[CancelScope, Order[]]> = [
          [{ uid: '1001', categories: ['USDT-FUTURES'] }, [mine, eth, isolated, partial]],
          [{ uid: '1001', categories: ['USDT-FUTURES'], symbol: 'BTCUSDT' }, [mine, isolated, partial]],
          [{ uid: '1001', categories: ['USDT-FUTURES'], marginMode: 'isolated' }, [isolated]],
          [{ uid: '1001', categories: ['USDT-FUTURES', 'COIN-FUTURES'], marginCoin: 'BTC' }, [coin]],
          [{ uid: '1001', categories: ['COIN-FUTURES'], marginCoin: 'USDT' }, []],
          [{ uid: '1001', categories: ['SPOT', 'COIN-FUTURES'] }, [coin, spot]],
          [{ uid: '9999', categories: ['USDT-FUTURES'] }, [theirs]],
          [{ uid: '1001', categories: [] }, []],
        ];
        for (const [scope, want] of cases) {
          const sel = scopeSelection(scope);
          assert.deepEqual(ids(all.filter((o) => matches(o, sel.where)).sort(compareBy(sel.orderBy))), ids(want), `definition ${JSON.stringify(scope)}`);
          assert.deepEqual(await scoped(scope), ids(want), JSON.stringify(scope));
        }
      }));

    test('listOrders: every filter before the limit, newest first, idLessThan paging; the same as the definition', () =>
      withStore(async (s) => {
        const T = 1700000000000;
        const statuses = ['live', 'partially_filled', 'filled', 'cancelled'] as const;
        const all: Order[] = [];
        for (let i = 0; i < 40; i++) {
          const status = statuses[i % 4];
          all.push(
            order({
              uid: i % 10 === 9 ? '1002' : '1001',
              category: i % 7 === 3 ? 'COIN-FUTURES' : 'USDT-FUTURES',
              symbol: i % 3 === 0 ? 'ETHUSDT' : 'BTCUSDT',
              marginMode: i % 5 === 0 ? 'isolated' : 'crossed',
              status,
              filledSize: status === 'live' ? '0' : '0.005',
              cancelReason: status === 'cancelled' ? 'normal_cancel' : '',
              // times not in id order, with ties
              cTime: String(T + ((i * 7) % 13) * 1000),
            }),
          );
        }
        await s.execute({ uid: null }, insert(...[...all].reverse()));
        const base = { uid: '1001', categories: ['USDT-FUTURES' as const] };
        const queries: OrderQuery[] = [];
        for (const open of [true, false]) {
          queries.push(
            { ...base, open, limit: 100 },
            { ...base, open, limit: 3 },
            { ...base, open, limit: 1, symbol: 'ETHUSDT' },
            { ...base, open, limit: 100, marginMode: 'isolated' },
            { ...base, open, limit: 2, statuses: open ? ['partially_filled'] : ['filled'] },
            { ...base, open, limit: 100, statuses: ['live', 'filled'] },
            { ...base, open, limit: 100, statuses: [] },
            { ...base, open, limit: 100, categories: ['USDT-FUTURES', 'COIN-FUTURES'] },
            { ...base, open, limit: 100, categories: ['SPOT'] },
            { ...base, open, limit: 100, idLessThan: all[20].orderId },
            { ...base, open, limit: 100, idLessThan: '5' },
            { ...base, open, limit: 100, startTime: T + 3000, endTime: T + 8000 },
            { ...base, open, limit: 2, startTime: T + 3000, endTime: T + 3000, symbol: 'BTCUSDT' },
            { ...base, uid: '1002', open, limit: 100 },
          );
        }
        for (const q of queries) {
          const sel = querySelection(q);
          const want = all.filter((o) => matches(o, sel.where)).sort(compareBy(sel.orderBy)).slice(0, sel.limit);
          assert.deepEqual(ids(await s.listOrders(q)), ids(want), JSON.stringify(q));
        }
        // spelled out: open BTC orders of 1001 newest first, a partially filled page that is full
        const partial = all.filter((o) => o.uid === '1001' && o.category === 'USDT-FUTURES' && o.status === 'partially_filled');
        assert.ok(partial.length >= 4);
        const page = await s.listOrders({ ...base, open: true, limit: 2, statuses: ['partially_filled'] });
        assert.deepEqual(ids(page), ids(partial).reverse().slice(0, 2));
        assert.deepEqual(await s.listOrders({ ...base, open: true, limit: 100, statuses: ['filled'] }), []);

        // paging with idLessThan = the last id of the previous page visits every order once
        const seen: string[] = [];
        let cursor: string | undefined;
        for (;;) {
          const p = await s.listOrders({ ...base, open: false, limit: 3, idLessThan: cursor });
          if (p.length === 0) break;
          seen.push(...ids(p));
          cursor = p[p.length - 1].orderId;
        }
        const history = all.filter((o) => o.uid === '1001' && o.category === 'USDT-FUTURES' && (o.status === 'filled' || o.status === 'cancelled'));
        assert.deepEqual(seen, ids(history).reverse());
      }));

    test('accounts: ensureAccount creates once (same mode), refuses another mode; listed by createdAt, then uid', () =>
      withStore(async (s) => {
        const k = s.keys;
        const v0 = await k.keysVersion();
        const acc = await at(1700000000000, () => k.ensureAccount('3003', 'classic'));
        assert.deepEqual(acc, { uid: '3003', mode: 'classic', createdAt: 1700000000000 });
        const v1 = await k.keysVersion();
        assert.ok(v1 > v0);
        assert.deepEqual(await at(1700000000999, () => k.ensureAccount('3003', 'classic')), acc);
        assert.equal(await k.keysVersion(), v1, 'no change, no new version');
        await assert.rejects(k.ensureAccount('3003', 'unified'), /classic/);
        // same createdAt: by uid, whatever the insertion order
        await at(1700000000000, async () => {
          await k.ensureAccount('1001', 'unified');
          await k.ensureAccount('2002', 'classic');
        });
        await at(1699999999999, () => k.ensureAccount('9009', 'classic'));
        assert.deepEqual(
          (await k.listAccounts()).map((a) => [a.uid, a.mode, a.createdAt]),
          [
            ['9009', 'classic', 1699999999999],
            ['1001', 'unified', 1700000000000],
            ['2002', 'classic', 1700000000000],
            ['3003', 'classic', 1700000000000],
          ],
        );
        assert.deepEqual(await k.getAccount('1001'), { uid: '1001', mode: 'unified', createdAt: 1700000000000 });
        assert.equal(await k.getAccount('404'), undefined);
      }));

    test('keys: insert needs the account; listed by createdAt then apiKey; revoke once; keysVersion moves on every change', () =>
      withStore(async (s) => {
        const k = s.keys;
        await k.ensureAccount('1001', 'classic');
        await k.ensureAccount('2001', 'unified');
        const v1 = await k.keysVersion();
        await k.insertKey(keyRec('kb', '1001', 5));
        await k.insertKey({ ...keyRec('ka', '2001', 5), ips: [], permission: 'read', label: '' });
        await k.insertKey(keyRec('kc', '1001', 1));
        const v2 = await k.keysVersion();
        assert.ok(v2 > v1);
        assert.deepEqual(await k.listKeys(), [keyRec('kc', '1001', 1), { ...keyRec('ka', '2001', 5), ips: [], permission: 'read', label: '' }, keyRec('kb', '1001', 5)]);
        await assert.rejects(k.insertKey(keyRec('kx', '777')));
        await assert.rejects(k.insertKey(keyRec('kb', '1001')));
        assert.equal(await k.keysVersion(), v2, 'a refused insert changes nothing');

        assert.equal(await k.revokeKey('kb', 7), true);
        const v3 = await k.keysVersion();
        assert.ok(v3 > v2);
        assert.deepEqual((await k.listKeys()).map((r) => [r.apiKey, r.revokedAt]), [['kc', null], ['ka', null], ['kb', 7]]);
        assert.equal(await k.revokeKey('kb', 8), false);
        assert.equal(await k.revokeKey('nope', 8), false);
        assert.equal(await k.keysVersion(), v3);
      }));
  });
}
