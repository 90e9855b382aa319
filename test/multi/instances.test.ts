/**
 * Three real `ordergate serve` processes on one PostgreSQL (the machine's, a fresh schema) and
 * one Redis (the machine's, a key prefix unique to this run), over real HTTP with Bitget
 * signatures. Fails (never skips) when PostgreSQL or Redis is unreachable: CI starts them.
 *
 * - overlapping batch cancels (by orderId and by clientOid) plus a cancel-all, sent at once to
 *   different instances: every order is in exactly one successList across all responses;
 * - order ids placed through different instances never collide (distinct instance numbers);
 * - a UID sending 30 req/s spread over the three instances to a 10/s endpoint gets ~10/s;
 * - a key created or revoked in the database works / stops working on every instance (the time
 *   taken is reported; the assert allows 30 s so that a busy machine cannot fail it).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { PostgresStore, dropPostgresSchema } from '../../src/store/postgres/index.js';
import { freshSchemaUrl, type TestKey } from '../helpers.js';
import { makeKeys, paced, send, startInstances, waitFor, warm, type Instance, type Reply } from './cluster.js';

const REDIS_URL = process.env.ORDERGATE_TEST_REDIS_URL || 'redis://127.0.0.1:6379';
const PT = 'USDT-FUTURES';

/** The instance number embedded in an order id (engine/ids.ts layout). */
const instanceOf = (orderId: string) => Number(((BigInt(orderId) - 10n ** 18n) >> 12n) & 1023n);

describe('three instances on one PostgreSQL and one Redis', { timeout: 240_000 }, () => {
  const dbUrl = freshSchemaUrl('mi');
  const redisUrl = `${REDIS_URL}${REDIS_URL.includes('?') ? '&' : '?'}keyPrefix=og-test-${Date.now()}-${randomBytes(3).toString('hex')}:`;
  let nodes: Instance[] = [];
  let bases: string[] = [];
  let keys: TestKey[] = [];

  before(async () => {
    // migrates the fresh schema and creates the keys the instances will load at start
    keys = await makeKeys(dbUrl, ['3001', '3002', '3003', '3004']);
    nodes = await startInstances(3, { DATABASE_URL: dbUrl, REDIS_URL: redisUrl });
    bases = nodes.map((n) => n.url);
    for (const n of nodes) assert.match(n.output(), /store: postgres/);
    await warm(bases, keys);
  });

  after(async () => {
    // (an instance started before a failure elsewhere is stopped by test/support/children.ts)
    await Promise.all(nodes.map((n) => n.stop()));
    await dropPostgresSchema(dbUrl);
  });

  test('overlapping batch cancels on different instances: every order in exactly one successList', async (t) => {
    const traders = keys.slice(0, 3);
    let raced = 0;
    let duplicates = 0;
    let losers = 0;
    let byScope = 0;
    const allIds: string[] = [];
    const idsByInstance: Map<number, Set<number>> = new Map([0, 1, 2].map((i) => [i, new Set<number>()]));
    for (let round = 0; round < 2; round++) {
      // stay inside the per-UID limits (now shared by all instances): a window opens when the
      // server counts a request, so the next round waits a window length after the last answer
      if (round > 0) await new Promise((r) => setTimeout(r, 1100));
      await Promise.all(
        traders.map(async (key) => {
          // 150 orders placed through the three instances at once (3 x 50)
          const placed = await Promise.all(
            [0, 1, 2].map((j) =>
              send(bases[j], key, 'POST', '/api/v2/mix/order/batch-place-order', {
                symbol: 'BTCUSDT',
                productType: PT,
                marginMode: 'crossed',
                marginCoin: 'USDT',
                orderList: Array.from({ length: 50 }, (_, k) => ({
                  size: '0.01',
                  price: '30000',
                  side: 'buy',
                  orderType: 'limit',
                  force: 'gtc',
                  clientOid: `r${round}-${j * 50 + k}`,
                })),
              }),
            ),
          );
          const orders: Array<{ orderId: string; clientOid: string }> = [];
          placed.forEach((r, j) => {
            assert.equal(r.code, '00000', `round ${round}: ${JSON.stringify(r.body)}`);
            assert.equal(r.body.data.failureList.length, 0);
            for (const o of r.body.data.successList) {
              orders.push(o);
              idsByInstance.get(j)!.add(instanceOf(o.orderId));
            }
          });
          assert.equal(orders.length, 150);
          allIds.push(...orders.map((o) => o.orderId));

          // 9 batches of 50 sliding by 17 (each order named 2-4 times), alternating orderId / clientOid refs
          const batches = Array.from({ length: 9 }, (_, b) =>
            Array.from({ length: 50 }, (_, k) => {
              const o = orders[(b * 17 + k) % 150];
              return b % 2 ? { clientOid: o.clientOid } : { orderId: o.orderId };
            }),
          );
          const named = new Map<string, number>();
          batches.forEach((items, b) =>
            items.forEach((_, k) => {
              const id = orders[(b * 17 + k) % 150].orderId;
              named.set(id, (named.get(id) ?? 0) + 1);
            }),
          );
          assert.ok([...named.values()].every((n) => n >= 2) && named.size === 150, 'every order is raced by at least two batches');

          const responses: Reply[] = await Promise.all([
            ...batches.map((orderIdList, b) =>
              send(bases[b % 3], key, 'POST', '/api/v2/mix/order/batch-cancel-orders', { symbol: 'BTCUSDT', productType: PT, orderIdList }),
            ),
            send(bases[round % 3], key, 'POST', '/api/v2/mix/order/cancel-all-orders', { productType: PT }),
          ]);
          const wins = new Map<string, number>();
          for (const r of responses) {
            assert.equal(r.status, 200, JSON.stringify(r.body));
            assert.equal(r.code, '00000', JSON.stringify(r.body));
            for (const s of r.body.data.successList) wins.set(s.orderId, (wins.get(s.orderId) ?? 0) + 1);
            for (const f of r.body.data.failureList) assert.equal(f.errorCode, '40769', JSON.stringify(f));
            losers += r.body.data.failureList.length;
          }
          byScope += responses[responses.length - 1].body.data.successList.length;
          for (const o of orders) {
            const n = wins.get(o.orderId) ?? 0;
            if (n > 1) duplicates += n - 1;
            assert.equal(n, 1, `order ${o.orderId} in ${n} successLists`);
          }
          assert.equal(wins.size, 150, 'no other order reported');
          raced += orders.length;
          const open = await send(bases[round % 3], key, 'GET', `/api/v2/mix/order/orders-pending?productType=${PT}`);
          assert.equal(open.code, '00000');
          assert.equal(open.body.data.entrustedList?.length ?? 0, 0);
        }),
      );
    }
    assert.equal(new Set(allIds).size, allIds.length, 'order ids unique across instances');
    const perInstance = [0, 1, 2].map((j) => [...idsByInstance.get(j)!]);
    for (const s of perInstance) assert.equal(s.length, 1, 'one instance number per process');
    assert.equal(new Set(perInstance.flat()).size, 3, 'distinct instance numbers');
    t.diagnostic(
      `orders raced: ${raced} (2 rounds x 3 UIDs x 150; ${2 * 3 * 9 * 50} batch refs + 6 cancel-alls); duplicates found: ${duplicates}; ` +
        `refs answered "finished" (lost the race): ${losers}; won by cancel-all: ${byScope}; ` +
        `distinct order ids: ${new Set(allIds).size}; instance numbers: ${perInstance.flat().join(',')}`,
    );
  });

  test('30 req/s spread over three instances to a 10/s endpoint: about 10/s accepted, the rest 429', async (t) => {
    const key = keys[3];
    const seconds = 3;
    const t0 = Date.now();
    const replies = await paced(bases, 30, 30 * seconds, (base) => send(base, key, 'GET', `/api/v2/mix/order/orders-pending?productType=${PT}`));
    // on a busy machine sending can stretch over more 1 s windows: allow 10 per window spanned
    const windows = Math.ceil((Date.now() - t0) / 1000) + 1;
    const accepted = replies.filter((r) => r.status === 200 && r.code === '00000').length;
    const limited = replies.filter((r) => r.status === 429 && r.code === '429').length;
    assert.equal(accepted + limited, replies.length, `only 200 or 429: ${JSON.stringify(replies.find((r) => r.status !== 200 && r.status !== 429))}`);
    t.diagnostic(`sent ${replies.length} in ${seconds} s over 3 instances: accepted ${accepted} (${(accepted / seconds).toFixed(1)}/s), 429: ${limited}`);
    // one shared budget: 10 per window (3-4 windows on a quiet machine); per-instance counting
    // would accept all 90
    assert.ok(accepted >= 20 && accepted <= Math.min(10 * windows, 70), `accepted ${accepted} over ${windows} windows`);
  });

  test('a key created or revoked in the database takes effect on every instance within the key poll (diagnostic), bounded at 30 s', async (t) => {
    const [fresh] = await makeKeys(dbUrl, ['3005']);
    const path = `/api/v2/mix/order/orders-pending?productType=${PT}`;
    // auth runs before the rate limit: 200 or 429 both mean the key was accepted
    const state = async (b: string) => (await send(b, fresh, 'GET', path)).code;
    const accepted = (c: string) => c === '00000' || c === '429';
    const createdMs = await waitFor(async () => (await Promise.all(bases.map(state))).every(accepted), 30_000, 200);
    assert.ok(createdMs >= 0, 'new key accepted by all three instances within 30 s');
    const store = await PostgresStore.open({ url: dbUrl });
    try {
      assert.equal(await store.keys.revokeKey(fresh.apiKey, Date.now()), true);
    } finally {
      await store.close();
    }
    const revokedMs = await waitFor(async () => (await Promise.all(bases.map(state))).every((c) => c === '40006'), 30_000, 200);
    assert.ok(revokedMs >= 0, 'revoked key refused (40006) by all three instances within 30 s');
    t.diagnostic(`key creation seen by all instances after ${createdMs} ms, revocation after ${revokedMs} ms`);
  });
});
