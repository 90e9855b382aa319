/**
 * The PostgreSQL event stream across instances (always on the machine's PostgreSQL, a fresh
 * schema per test, in both passes of the suite): three in-process ordergate apps on one schema
 * doing concurrent, overlapping units all see every event, once, complete, in one identical
 * order; a listener whose connection is killed reconnects and catches up with nothing missed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { createApp, type OrdergateApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { Engine } from '../../src/engine/engine.js';
import { IdGenerator } from '../../src/engine/ids.js';
import type { PlaceCommand } from '../../src/engine/place.js';
import type { StoredEvent } from '../../src/events/types.js';
import { loadCatalogue } from '../../src/markets/catalogue.js';
import { PostgresStore, dropPostgresSchema, parseDatabaseUrl } from '../../src/store/postgres/index.js';
import { freshSchemaUrl } from '../helpers.js';
import { brief, collect, range, seqs, waitFor, type Collector } from './collect.js';

const UID = '1001';
const cmd = (clientOid?: string): PlaceCommand => ({
  uid: UID,
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
const target = { uid: UID, categories: ['USDT-FUTURES' as const] };

async function sideClient(url: string): Promise<pg.Client> {
  const p = parseDatabaseUrl(url);
  const c = new pg.Client({ connectionString: p.connectionString, options: p.options });
  await c.connect();
  return c;
}

test('three instances, concurrent units: every instance sees every event once, complete, in one order', { timeout: 120_000 }, async () => {
  const url = freshSchemaUrl('ev');
  const apps: OrdergateApp[] = [];
  const cols: Collector[] = [];
  try {
    for (let i = 0; i < 3; i++) {
      apps.push(await createApp({ ...loadConfig({}), dbPath: ':memory:', databaseUrl: url, logLevel: 'silent', demoKeys: false, rateLimit: false }));
    }
    await apps[0].store.keys.ensureAccount(UID, 'classic'); // funded by the start balance
    for (const og of apps) cols.push(collect(og.events));
    let expected = 0;
    const placed: string[][] = [[], [], []];
    // each instance: rounds of a batch placement, a cancel of its own order, a fill of one of
    // the previous instance's orders, and a cancel of one of the next instance's (contended)
    await Promise.all(
      apps.map(async (og, i) => {
        for (let round = 0; round < 8; round++) {
          const out = await og.engine.place('mix', [cmd(`c${i}-${round}`), cmd(), cmd(), cmd()]);
          const ok = out.filter((o) => o.ok).map((o) => o.orderId);
          expected += ok.length;
          placed[i].push(...ok);
          const [cancelled] = await og.engine.cancel('mix', target, [{ ref: { orderId: ok[0] } }]);
          if (cancelled.ok) expected++;
          const theirs = placed[(i + 2) % 3];
          if (theirs.length > 2) {
            try {
              await og.engine.fill(theirs[theirs.length - 2], '0.005');
              expected++;
            } catch {
              /* already cancelled by its neighbour: a rejected unit, no event */
            }
          }
          const next = placed[(i + 1) % 3];
          if (next.length > 1) {
            const res = await og.engine.cancel('mix', target, [{ ref: { orderId: next[next.length - 1] } }, { ref: { orderId: next[1] } }]);
            expected += res.filter((r) => r.ok).length;
          }
        }
      }),
    );
    // then all three cancel everything at once: each open order is cancelled by exactly one
    const all = await Promise.all(apps.map((og) => og.engine.cancelScope({ uid: UID, categories: ['USDT-FUTURES'] })));
    expected += all.reduce((n, r) => n + r.length, 0);

    for (const [i, c] of cols.entries()) await waitFor(() => c.events.length >= expected, `instance ${i}: ${expected} events`, 60_000);
    // a moment more for anything unexpected (duplicates) to show up
    await new Promise((r) => setTimeout(r, 300));
    for (const [i, c] of cols.entries()) {
      assert.equal(c.events.length, expected, `instance ${i}: every order event once`);
      assert.deepEqual(seqs(c.all), range(1, cols[0].all.length), `instance ${i}: every sequence once, in order`);
    }
    const order0 = c0json(cols[0].all);
    assert.equal(c0json(cols[1].all), order0, 'instances 0 and 1 saw the same stream');
    assert.equal(c0json(cols[2].all), order0, 'instances 0 and 2 saw the same stream');
    // complete: every order's last event is what the store holds, every order is cancelled or filled at the end
    const last = new Map<string, StoredEvent>();
    for (const e of cols[0].events) if (e.event.kind === 'order.created' || e.event.kind === 'order.updated') last.set(e.event.order.orderId, e);
    assert.equal(last.size, placed.flat().length);
    for (const [orderId, e] of last) {
      const stored = await apps[0].store.getOrder(UID, { orderId });
      assert.ok(e.event.kind === 'order.created' || e.event.kind === 'order.updated');
      assert.deepEqual(e.event.order, stored, `last event of ${orderId} = stored order`);
      assert.notEqual(stored?.status, 'live');
    }
    // every cancel event carries its reason
    for (const e of cols[0].events) if (brief(e).startsWith('cancel ')) assert.ok(brief(e).endsWith(' cancelled normal_cancel'));
  } finally {
    for (const c of cols) c.close();
    await Promise.allSettled(apps.map((og) => og.close()));
    await dropPostgresSchema(url);
  }
});

/** Creates the test UID (classic) and funds its USDT-M account: placements hold margin (issue 10). */
async function fund(e: Engine): Promise<void> {
  await e.store.keys.ensureAccount(UID, 'classic');
  await e.deposit(UID, 'USDT', '100000000', 'usdt-futures');
}

const c0json = (events: readonly StoredEvent[]) => JSON.stringify(events);

test('the listener connection is killed: it reconnects and catches up with nothing missed', { timeout: 60_000 }, async () => {
  const url = freshSchemaUrl('evr');
  const errors: Error[] = [];
  // the poll is off (1 h): only LISTEN and the catch-up after a reconnect can deliver
  const reader = await PostgresStore.open({ url, eventPollMs: 3_600_000, onError: (e) => errors.push(e) });
  const writer = await PostgresStore.open({ url });
  const side = await sideClient(url);
  try {
    const engine = new Engine(writer, loadCatalogue(), new IdGenerator(await writer.instanceId()));
    await fund(engine); // event 1: the deposit's balance
    await waitFor(() => reader.events.lastSequence() === 1, 'the deposit');
    const c = collect(reader.events);
    await engine.place('mix', [cmd(), cmd()]);
    await waitFor(() => c.events.length === 2, 'the first placement');
    const pid = reader.events.listenerPid();
    assert.ok(pid);
    const killed = await side.query(`SELECT pg_terminate_backend($1) AS ok`, [pid]);
    assert.equal(killed.rows[0].ok, true);
    // committed while the listener is down or reconnecting
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(...(await engine.place('mix', [cmd()])).map((o) => o.orderId));
    await engine.cancel('mix', target, ids.map((orderId) => ({ ref: { orderId } })));
    await waitFor(() => c.events.length >= 12, 'the catch-up after the reconnect', 30_000);
    await waitFor(() => reader.events.listenerPid() !== undefined && reader.events.listenerPid() !== pid, 'a new listener connection');
    assert.deepEqual(seqs(c.all), range(2, c.all.length + 1));
    assert.ok(errors.some((e) => /listener connection lost/.test(e.message)), 'the drop was reported');
    // and it is live again
    await engine.place('mix', [cmd()]);
    await waitFor(() => c.events.length >= 13, 'live after the reconnect');
    assert.deepEqual(seqs(c.all), range(2, c.all.length + 1));
  } finally {
    await side.end().catch(() => undefined);
    await Promise.allSettled([reader.close(), writer.close()]);
    await dropPostgresSchema(url);
  }
});

test('sequences follow commit order, not statement order: a unit that waited commits after', { timeout: 60_000 }, async () => {
  // a long transaction holding an order's lock: the unit cancelling that order waits, units
  // on other orders commit meanwhile and take the earlier sequences
  const url = freshSchemaUrl('evo');
  const a = await PostgresStore.open({ url });
  const side = await sideClient(url);
  try {
    const engine = new Engine(a, loadCatalogue(), new IdGenerator(await a.instanceId()));
    await fund(engine);
    const [x, y] = (await engine.place('mix', [cmd(), cmd()])).map((o) => o.orderId);
    const c = collect(a.events, 0);
    await waitFor(() => c.events.length === 2, 'the placement');
    await side.query('BEGIN');
    await side.query(`SELECT 1 FROM orders WHERE order_id = $1 FOR UPDATE`, [x]);
    const slow = engine.cancel('mix', target, [{ ref: { orderId: x } }]);
    await new Promise((r) => setTimeout(r, 200));
    await engine.cancel('mix', target, [{ ref: { orderId: y } }]);
    await side.query('COMMIT');
    await slow;
    await waitFor(() => c.events.length === 4, 'both cancels');
    assert.deepEqual(c.events.slice(2).map(brief), [`cancel ${y} cancelled normal_cancel`, `cancel ${x} cancelled normal_cancel`]);
    assert.deepEqual(seqs(c.all), range(1, c.all.length));
  } finally {
    await side.query('ROLLBACK').catch(() => undefined);
    await side.end().catch(() => undefined);
    await a.close();
    await dropPostgresSchema(url);
  }
});
