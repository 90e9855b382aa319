/**
 * Retries proven against injected faults (the TEST-ONLY ORDERGATE_FAULTS switch): injected
 * 429s, connections dropped before processing, and answers lost after processing. The
 * merged report must still be exact: every order cancelled exactly once, reported once.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CancelReport } from '../../src/client/index.js';
import { faultCounters, parseFaults } from '../../src/http/faults.js';
import { noWsFaults } from '../../src/ws/faults.js';
import { call, startTestServer } from '../helpers.js';
import { clientFor, openCount, seed, startLive, type LiveServer, type Seeded } from './fixtures.js';

test('parseFaults reads the spec and rejects nonsense', () => {
  assert.deepEqual(parseFaults('429:0.2, drop:0.1,lost:0.05,match:cancel,seed:9'), { p429: 0.2, drop: 0.1, lost: 0.05, match: 'cancel', seed: 9, ws: noWsFaults(9) });
  assert.deepEqual(parseFaults(''), { p429: 0, drop: 0, lost: 0, match: '/api/', seed: 1, ws: noWsFaults(1) });
  assert.throws(() => parseFaults('429:2'), /probability/);
  assert.throws(() => parseFaults('slow:0.1'), /unknown entry/);
  assert.throws(() => parseFaults('429:0.6,drop:0.6'), /more than 1/);
});

test('fault injection is off unless ORDERGATE_FAULTS is set', async () => {
  const s = await startTestServer();
  try {
    assert.equal(faultCounters(s.og.app), undefined);
    for (let i = 0; i < 20; i++) assert.equal((await call(s, undefined, 'GET', '/api/v2/public/time')).status, 200);
  } finally {
    await s.close();
  }
});

describe('cancelling through 429s, dropped connections and lost answers', () => {
  let s: LiveServer;
  before(async () => {
    s = await startLive({ faults: '429:0.15,drop:0.1,lost:0.15,match:cancel,seed:4' });
  });
  after(async () => s.close());

  test('every order cancelled and reported exactly once; retries and verification did the work', async () => {
    const spot = await seed(s, s.classic, false, 'SPOT', 'BTCUSDT', 100);
    const margin = await seed(s, s.classic, false, 'MARGIN', 'ETHUSDT', 40, 'isolated');
    const usdt = await seed(s, s.classic, false, 'USDT-FUTURES', 'BTCUSDT', 60);
    const uSpot = await seed(s, s.unified, true, 'SPOT', 'ETHUSDT', 60);
    const uFut = await seed(s, s.unified, true, 'USDT-FUTURES', 'ETHUSDT', 40);
    const cc = clientFor(s, s.classic, { accountMode: 'classic', retry: { maxRetries: 12, baseDelayMs: 20, maxDelayMs: 200 } });
    const uc = clientFor(s, s.unified, { accountMode: 'unified', retry: { maxRetries: 12, baseDelayMs: 20, maxDelayMs: 200 } });
    const refs = (l: Seeded[]) => l.map((o) => ({ symbol: o.symbol, orderId: o.orderId, marginMode: o.marginMode }));

    // by ids, small batches so many requests meet faults
    const byIds: Array<[Seeded[], Promise<CancelReport>]> = [
      [spot, cc.cancelOrders('SPOT', refs(spot), { batchSize: 10 })],
      [margin, cc.cancelOrders('MARGIN', refs(margin), { batchSize: 10 })],
      [uSpot, uc.cancelOrders('SPOT', refs(uSpot), { batchSize: 10 })],
    ];
    for (const [input, p] of byIds) {
      const rep = await p;
      assert.deepEqual(
        rep.items.map((i) => [i.orderId, i.ok, i.code ?? '']),
        input.map((o) => [o.orderId, true, '']),
      );
      assert.equal(rep.successList.length, input.length);
      assert.deepEqual(rep.failureList, []);
    }
    // scope cancels (mix cancel-all-orders, v3 cancel-symbol-order) through the same faults
    const [rc, ru] = await Promise.all([cc.cancelAll({ categories: ['USDT-FUTURES'] }), uc.cancelAll({ categories: ['USDT-FUTURES'] })]);
    assert.deepEqual(rc.items.map((i) => i.orderId).sort(), usdt.map((o) => o.orderId).sort());
    assert.deepEqual(ru.items.map((i) => i.orderId).sort(), uFut.map((o) => o.orderId).sort());
    for (const r of [rc, ru]) {
      assert.ok(r.items.every((i) => i.ok));
      assert.equal(r.remaining, 0);
      assert.deepEqual(r.errors, []);
    }

    const injected = faultCounters(s.og.app)!;
    const stats = [cc.transport.snapshot(), uc.transport.snapshot()];
    const sum = (k: 'retries' | 'http429' | 'networkErrors') => stats[0][k] + stats[1][k];
    assert.ok(injected['429'] > 0 && injected.drop > 0 && injected.lost > 0, JSON.stringify(injected));
    // every injected 429 reached the client and was retried, none surfaced
    assert.equal(sum('http429'), injected['429']);
    assert.equal(sum('networkErrors'), injected.drop + injected.lost);
    assert.equal(sum('retries'), injected['429'] + injected.drop + injected.lost);
    // lost answers: the repeat said "gone", a query proved the first attempt cancelled them
    const all = [...(await Promise.all(byIds.map((b) => b[1]))).flatMap((r) => r.items), ...rc.items, ...ru.items];
    assert.ok(all.some((i) => i.verified === true), 'some items were confirmed after a lost answer');
    assert.equal(all.length, 300);
    assert.equal(await openCount(s, s.classic.uid), 0);
    assert.equal(await openCount(s, s.unified.uid), 0);
  });
});

describe('a scope cancel whose answer was lost', () => {
  let s: LiveServer;
  before(async () => {
    // seed 8: the first cancel-all-orders answer is lost, the repeat is answered
    s = await startLive({ faults: 'lost:0.5,match:cancel-all-orders,seed:8' });
  });
  after(async () => s.close());

  test('the repeat lists nothing; the discovered orders are confirmed cancelled by query', async () => {
    const usdt = await seed(s, s.classic, false, 'USDT-FUTURES', 'ETHUSDT', 30);
    const cc = clientFor(s, s.classic, { accountMode: 'classic', retry: { baseDelayMs: 10 } });
    const r = await cc.cancelAll({ categories: ['USDT-FUTURES'] });
    assert.deepEqual(faultCounters(s.og.app), { '429': 0, drop: 0, lost: 1 });
    assert.deepEqual(r.items.map((i) => i.orderId).sort(), usdt.map((o) => o.orderId).sort());
    assert.ok(r.items.every((i) => i.ok && i.verified === true && i.symbol === 'ETHUSDT'));
    assert.equal(r.remaining, 0);
    // the same fault without the check (draws 3 and 4: lost, then answered): the repeat's
    // empty answer is all the report has, though the 5 orders were cancelled
    const again = await seed(s, s.classic, false, 'USDT-FUTURES', 'ETHUSDT', 5);
    const r2 = await cc.cancelAll({ categories: ['USDT-FUTURES'], verifyLost: false });
    assert.equal(faultCounters(s.og.app)?.lost, 2);
    assert.equal(r2.items.length, 0);
    assert.equal(r2.remaining, 0);
    assert.equal((await cc.getOrder('USDT-FUTURES', { symbol: 'ETHUSDT', orderId: again[0].orderId }))?.status, 'cancelled');
  });
});
