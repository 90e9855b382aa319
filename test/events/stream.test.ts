/**
 * The event stream seen through a server (issue 9 item 1): place, cancel (by id, batch, all)
 * and fill over HTTP yield order.created / order.updated in commit order with contiguous
 * sequences, the whole order after each change and its cancelReason; rejected requests publish
 * nothing; a subscriber catches up from a sequence; retention prunes the oldest units.
 * Runs on the store the suite runs on (ORDERGATE_TEST_STORE: SQLite in memory or PostgreSQL).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config.js';
import type { StoredEvent } from '../../src/events/types.js';
import { startEventRetention } from '../../src/jobs/event-retention.js';
import { call, placeMix, startTestServer, type TestServer } from '../helpers.js';
import { brief, collect, range, seqs, waitFor } from './collect.js';

const MIX = { productType: 'USDT-FUTURES', marginCoin: 'USDT' };
const ADMIN = 'events-admin-token';

async function fill(s: TestServer, orderId: string, size?: string) {
  const res = await s.og.app.inject({
    method: 'POST',
    url: '/admin/fill',
    headers: { 'content-type': 'application/json', 'x-admin-token': ADMIN },
    payload: JSON.stringify({ orderId, ...(size ? { size } : {}) }),
  });
  return JSON.parse(res.body) as { code: string; data: { status: string } | null };
}

describe('event stream through HTTP', { timeout: 90_000 }, () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ adminToken: ADMIN });
  });
  after(async () => {
    await s?.close();
  });

  test('place, cancel, fill and cancel-all yield their events in commit order, contiguous', async () => {
    const start = s.og.events.lastSequence();
    const c = collect(s.og.events);
    try {
      const ids = await placeMix(s, s.classic, 3);
      let r = await call(s, s.classic, 'POST', '/api/v2/mix/order/cancel-order', { symbol: 'BTCUSDT', ...MIX, orderId: ids[0] });
      assert.equal(r.body.code, '00000');
      assert.equal((await fill(s, ids[1], '0.004')).data?.status, 'partially_filled');
      r = await call(s, s.classic, 'POST', '/api/v2/mix/order/batch-cancel-orders', {
        symbol: 'BTCUSDT',
        ...MIX,
        orderIdList: [{ orderId: ids[1] }, { orderId: ids[2] }],
      });
      assert.equal(r.body.data.successList.length, 2);
      const ioc = await call(s, s.classic, 'POST', '/api/v2/mix/order/place-order', {
        symbol: 'BTCUSDT',
        ...MIX,
        marginMode: 'crossed',
        side: 'buy',
        orderType: 'limit',
        force: 'ioc',
        price: '30000',
        size: '0.01',
      });
      assert.equal(ioc.body.code, '00000');
      const more = await placeMix(s, s.classic, 2);
      r = await call(s, s.classic, 'POST', '/api/v2/mix/order/cancel-all-orders', MIX);
      assert.equal(r.body.data.successList.length, 2);

      await waitFor(() => c.events.length >= 12, '12 order events');
      assert.deepEqual(seqs(c.all), range(start + 1, start + c.all.length), 'one contiguous sequence, in commit order');
      assert.ok(c.all.some((e) => e.event.kind === 'balance'), 'holds and releases yield balance events in the same units');
      const iocId = ioc.body.data.orderId as string;
      assert.deepEqual(c.events.map(brief), [
        `created ${ids[0]} live`,
        `created ${ids[1]} live`,
        `created ${ids[2]} live`,
        `cancel ${ids[0]} cancelled normal_cancel`,
        `fill ${ids[1]} partially_filled`,
        `cancel ${ids[1]} cancelled normal_cancel`,
        `cancel ${ids[2]} cancelled normal_cancel`,
        `created ${iocId} cancelled normal_cancel`,
        `created ${more[0]} live`,
        `created ${more[1]} live`,
        `cancel ${more[0]} cancelled normal_cancel`,
        `cancel ${more[1]} cancelled normal_cancel`,
      ]);
      // units: each committed unit's events share one commit time, and times never go back
      for (let i = 1; i < c.events.length; i++) assert.ok(c.events[i].ts >= c.events[i - 1].ts);
      // every event carries the whole order as committed; the last one per order is what the store holds
      const lastOf = new Map<string, StoredEvent>();
      for (const e of c.events) {
        assert.equal(e.uid, s.classic.uid);
        if (e.event.kind === 'order.created' || e.event.kind === 'order.updated') lastOf.set(e.event.order.orderId, e);
      }
      for (const [orderId, e] of lastOf) {
        const stored = await s.og.store.getOrder(s.classic.uid, { orderId });
        assert.ok(e.event.kind === 'order.created' || e.event.kind === 'order.updated');
        assert.deepEqual(e.event.order, stored, `event order = stored order ${orderId}`);
      }
      const filled = c.events[4].event;
      assert.ok(filled.kind === 'order.updated');
      assert.equal(filled.order.filledSize, '0.004');
      assert.equal(filled.order.filledQuote, '120');
      const cancelled = c.events[5].event;
      assert.ok(cancelled.kind === 'order.updated');
      assert.equal(cancelled.order.filledSize, '0.004', 'the filled part stays filled in the cancel event');
      assert.equal(s.og.events.lastSequence(), start + c.all.length);
      // read back from the outbox (final orders are stored by reference): the same events
      const replay = collect(s.og.events, start);
      await waitFor(() => replay.all.length >= c.all.length, 'the replay');
      replay.close();
      assert.deepEqual(replay.all, c.all);
    } finally {
      c.close();
    }
  });

  test('a rejected request publishes nothing', async () => {
    const c = collect(s.og.events);
    try {
      const [id] = await placeMix(s, s.classic, 1, { clientOid: 'ev-dup' });
      await waitFor(() => c.events.length === 1, 'the placement');
      const start = c.all[c.all.length - 1].seq; // the placement's unit: its order and its hold's balance
      // unknown order, another UID's order, a duplicate open clientOid, a malformed price,
      // a fill bigger than what is left, a cancel-all with nothing open elsewhere
      let r = await call(s, s.classic, 'POST', '/api/v2/mix/order/cancel-order', { symbol: 'BTCUSDT', ...MIX, orderId: '1234567890123456789' });
      assert.notEqual(r.body.code, '00000');
      r = await call(s, s.other, 'POST', '/api/v2/mix/order/cancel-order', { symbol: 'BTCUSDT', ...MIX, orderId: id });
      assert.notEqual(r.body.code, '00000');
      r = await call(s, s.classic, 'POST', '/api/v2/mix/order/place-order', {
        symbol: 'BTCUSDT', ...MIX, marginMode: 'crossed', side: 'buy', orderType: 'limit', force: 'gtc', price: '30000', size: '0.01', clientOid: 'ev-dup',
      });
      assert.notEqual(r.body.code, '00000');
      r = await call(s, s.classic, 'POST', '/api/v2/mix/order/place-order', {
        symbol: 'BTCUSDT', ...MIX, marginMode: 'crossed', side: 'buy', orderType: 'limit', force: 'gtc', price: '30000.00001', size: '0.01',
      });
      assert.notEqual(r.body.code, '00000');
      assert.notEqual((await fill(s, id, '5')).code, '00000');
      r = await call(s, s.other, 'POST', '/api/v2/mix/order/cancel-all-orders', MIX);
      assert.equal(r.body.data.successList.length, 0);
      // then one accepted cancel: it is the very next sequence, nothing was published in between
      r = await call(s, s.classic, 'POST', '/api/v2/mix/order/cancel-order', { symbol: 'BTCUSDT', ...MIX, orderId: id });
      assert.equal(r.body.code, '00000');
      await waitFor(() => c.events.length === 2, 'the cancel');
      assert.deepEqual(c.events.map(brief), [`created ${id} live`, `cancel ${id} cancelled normal_cancel`]);
      assert.equal(c.events[1].seq, start + 1);
    } finally {
      c.close();
    }
  });

  test('a subscriber from a sequence replays what it missed, then goes live with no gap and no duplicate', async () => {
    const before = s.og.events.lastSequence();
    await placeMix(s, s.classic, 2);
    await placeMix(s, s.classic, 1);
    // units: 2 orders + their balance (3 events), 1 order + balance (2)
    await waitFor(() => s.og.events.lastSequence() === before + 5, 'three placements');
    const late = collect(s.og.events, before + 1); // misses the first
    const all = collect(s.og.events, 0);
    try {
      const live = placeMix(s, s.classic, 2); // committed while the replays may still be reading
      await live;
      const end = before + 8; // and the live unit: 2 orders + balance
      await waitFor(() => late.all.length >= end - before - 1, 'replay and live');
      assert.deepEqual(seqs(late.all), range(before + 2, end));
      assert.equal(late.events.length, 4, 'two of the three earlier placements and the two live ones');
      await waitFor(() => all.all.length >= end, 'full replay');
      assert.deepEqual(seqs(all.all), range(1, end), 'from 0: everything retained, in order, once');
    } finally {
      late.close();
      all.close();
    }
  });

  test('retention prunes the oldest units and keeps the newest; catch-up resumes at the oldest kept', async () => {
    const six = collect(s.og.events);
    for (let i = 0; i < 6; i++) await placeMix(s, s.classic, 1);
    // PostgreSQL: delivered a moment after the commit; each unit is the order then its balance
    await waitFor(() => six.events.length === 6 && six.all[six.all.length - 1].seq === six.events[5].seq + 1, 'six placements');
    six.close();
    const last = six.all[six.all.length - 1].seq;
    assert.ok(last >= 12);
    // each placement is one unit of two events (the order, its hold's balance): keeping 3 events
    // keeps the newest two whole units
    const job = startEventRetention(s.og.store, 3);
    try {
      const deleted = await job.runOnce();
      assert.equal(deleted, last - 4, 'every whole unit older than the newest 3 events is deleted');
      assert.equal(await job.runOnce(), 0, 'nothing more to prune');
    } finally {
      await job.stop();
    }
    const c = collect(s.og.events, 0);
    try {
      await waitFor(() => c.all.length >= 4, 'the retained events');
      assert.deepEqual(seqs(c.all), range(last - 3, last));
      await placeMix(s, s.classic, 1); // live after the catch-up
      await waitFor(() => c.all.length >= 6, 'live event');
      assert.deepEqual(seqs(c.all), range(last - 3, last + 2));
    } finally {
      c.close();
    }
  });
});

test('ORDERGATE_EVENT_RETENTION: a count of events, default 100000, garbage refused', () => {
  assert.equal(loadConfig({}).eventRetention, 100_000);
  assert.equal(loadConfig({ ORDERGATE_EVENT_RETENTION: '500' }).eventRetention, 500);
  assert.throws(() => loadConfig({ ORDERGATE_EVENT_RETENTION: '1h' }), /ORDERGATE_EVENT_RETENTION/);
});
