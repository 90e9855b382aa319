// test-file-limit: 180s
/**
 * Kill switches in-process, on the suite's store (ORDERGATE_TEST_STORE=sqlite|postgres):
 * Bitget's countdown endpoint (validation, account mode, rate limit), firing through the
 * sweeper with an injectable clock (not before the deadline, then once, every category, with
 * its cancelReason and one `switch` event in the stream), the race of a fire with a re-arm,
 * ordergate's extensions (scoped countdown for classic accounts, panic with a placement block,
 * state), and the admin view.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Engine } from '../../src/engine/engine.js';
import type { StoredEvent } from '../../src/events/types.js';
import { SwitchService } from '../../src/switches/service.js';
import { call, placeMix, startTestServer, type TestKey, type TestServer } from '../helpers.js';

const SPOT = { category: 'SPOT', symbol: 'BTCUSDT', qty: '0.01', price: '30000', side: 'buy', orderType: 'limit' };
const PERP = { category: 'USDT-FUTURES', symbol: 'BTCUSDT', qty: '0.01', price: '30000', side: 'buy', orderType: 'limit' };

let s: TestServer;
let clockOffset = 0;
/** A second service on the same store whose clock the test moves (the app's own sweeper never sees these deadlines due). */
let sweeper: SwitchService;
const events: StoredEvent[] = [];

async function placeUta(key: TestKey, body: object): Promise<string> {
  const r = await call(s, key, 'POST', '/api/v3/trade/place-order', body);
  assert.equal(r.body.code, '00000', JSON.stringify(r.body));
  return r.body.data.orderId;
}

async function statusOf(uid: string, orderId: string): Promise<{ status: string; cancelReason: string }> {
  const o = await s.og.store.getOrder(uid, { orderId });
  assert.ok(o, `order ${orderId}`);
  return { status: o.status, cancelReason: o.cancelReason };
}

async function until(cond: () => Promise<boolean> | boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

before(async () => {
  // the app's own sweeper runs every 200 ms on the real clock
  s = await startTestServer({ switchSweepMs: 200 });
  sweeper = new SwitchService(new Engine(s.og.store, s.og.engine.catalogue, undefined, () => Date.now() + clockOffset));
  s.og.events.subscribe((batch) => events.push(...batch));
});
after(async () => s?.close());

describe("Bitget's POST /api/v3/trade/countdown-cancel-all", () => {
  test('answers data "success"; "0" disarms; out of range 40020, empty 40019; a classic key 40084', async () => {
    const arm = await call(s, s.otherUnified, 'POST', '/api/v3/trade/countdown-cancel-all', { countdown: '60' });
    assert.deepEqual([arm.status, arm.body.code, arm.body.msg, arm.body.data], [200, '00000', 'success', 'success']);
    let [sw] = (await call(s, s.otherUnified, 'GET', '/api/ordergate/v1/switches')).body.data;
    assert.equal(sw.kind, 'countdown');
    assert.equal(sw.scopeKey, '*:*');
    assert.equal(sw.armed, true);
    assert.ok(Number(sw.deadline) > Date.now() + 50_000);
    const off = await call(s, s.otherUnified, 'POST', '/api/v3/trade/countdown-cancel-all', { countdown: '0' });
    assert.equal(off.body.data, 'success');
    [sw] = (await call(s, s.otherUnified, 'GET', '/api/ordergate/v1/switches')).body.data;
    assert.equal(sw.armed, false);
    assert.equal(sw.deadline, null);
    for (const bad of ['4', '61', '-5', '10.5', 'ten', '1000000']) {
      const r = await call(s, s.otherUnified, 'POST', '/api/v3/trade/countdown-cancel-all', { countdown: bad });
      assert.deepEqual([r.status, r.body.code, r.body.msg, r.body.data], [400, '40020', 'Parameter countdown error', null], bad);
    }
    const empty = await call(s, s.otherUnified, 'POST', '/api/v3/trade/countdown-cancel-all', { countdown: '' });
    assert.equal(empty.body.code, '40019');
    const missing = await call(s, s.otherUnified, 'POST', '/api/v3/trade/countdown-cancel-all', {});
    assert.equal(missing.body.code, '40019');
    const classic = await call(s, s.classic, 'POST', '/api/v3/trade/countdown-cancel-all', { countdown: '10' });
    assert.equal(classic.body.code, '40084');
    // nothing of the refused calls was armed
    [sw] = (await call(s, s.otherUnified, 'GET', '/api/ordergate/v1/switches')).body.data;
    assert.equal(sw.armed, false);
    assert.deepEqual((await call(s, s.classic, 'GET', '/api/ordergate/v1/switches')).body.data, []);
  });

  test('1 request per second per UID (429 for the second call within the second)', async () => {
    const limited = await startTestServer({ rateLimit: true });
    try {
      const codes: string[] = [];
      for (let i = 0; i < 3; i++) codes.push((await call(limited, limited.unified, 'POST', '/api/v3/trade/countdown-cancel-all', { countdown: '0' })).body.code);
      assert.equal(codes[0], '00000');
      assert.ok(codes.slice(1).includes('429'), codes.join(','));
    } finally {
      await limited.close();
    }
  });

  test('fires at the deadline, not before: every open order of the UID in every category, reason countdown_cancel_all, one switch event, then disarmed', async () => {
    const k = s.unified;
    const spot = [await placeUta(k, SPOT), await placeUta(k, SPOT)];
    const perp = [await placeUta(k, PERP)];
    const otherUid = await placeUta(s.otherUnified, SPOT);
    const filledOne = await placeUta(k, SPOT);
    await s.og.engine.fill(filledOne);
    // armed through the service with the moved clock (the endpoint's deadline is the real clock's)
    clockOffset = 0;
    await sweeper.countdown(k.uid, 10);
    clockOffset = 9_000;
    assert.equal(await sweeper.sweep(), 0, 'fired before its deadline');
    assert.equal((await statusOf(k.uid, spot[0])).status, 'live');
    // a re-arm pushes the deadline: at +9 s + 9 s it has still not fired
    await sweeper.countdown(k.uid, 10);
    clockOffset = 18_000;
    assert.equal(await sweeper.sweep(), 0);
    assert.equal((await statusOf(k.uid, spot[0])).status, 'live');
    const seqBefore = s.og.events.lastSequence();
    clockOffset = 19_100;
    assert.equal(await sweeper.sweep(), 1);
    assert.equal(await sweeper.sweep(), 0, 'fired twice');
    for (const id of [...spot, ...perp]) assert.deepEqual(await statusOf(k.uid, id), { status: 'cancelled', cancelReason: 'countdown_cancel_all' });
    assert.equal((await statusOf(k.uid, filledOne)).status, 'filled');
    assert.equal((await statusOf(s.otherUnified.uid, otherUid)).status, 'live', 'another UID was touched');
    await until(() => events.some((e) => e.seq > seqBefore && e.event.kind === 'switch'));
    const fired = events.filter((e) => e.seq > seqBefore && e.event.kind === 'switch');
    assert.equal(fired.length, 1);
    assert.equal(fired[0].uid, k.uid);
    const data = fired[0].event.kind === 'switch' ? fired[0].event.data : {};
    assert.equal(data.switch, 'countdown');
    assert.equal(data.cancelled, 3);
    assert.deepEqual(new Set(data.orderIds as string[]), new Set([...spot, ...perp]));
    // the cancels and the switch event are one unit: the orders' updates precede it in the same commit
    const cancels = events.filter((e) => e.seq > seqBefore && e.event.kind === 'order.updated');
    assert.equal(cancels.length, 3);
    for (const c of cancels) assert.equal(c.event.kind === 'order.updated' && c.event.order.cancelReason, 'countdown_cancel_all');
    const [sw] = (await call(s, k, 'GET', '/api/ordergate/v1/switches')).body.data;
    assert.equal(sw.armed, false, 'Bitget: the switch turns itself off after firing');
    assert.equal(sw.lastFire.cancelled, '3');
    assert.equal(sw.lastFire.cancelReason, 'countdown_cancel_all');
    clockOffset = 100_000;
    assert.equal(await sweeper.sweep(), 0);
    clockOffset = 0;
  });

  test('armed over HTTP, the running server fires it by itself (real 5 s countdown)', async () => {
    const k = s.otherUnified;
    const ids = [await placeUta(k, SPOT), await placeUta(k, PERP)];
    const armedAt = Date.now();
    assert.equal((await call(s, k, 'POST', '/api/v3/trade/countdown-cancel-all', { countdown: '5' })).body.data, 'success');
    await new Promise((r) => setTimeout(r, 3_000));
    assert.equal((await statusOf(k.uid, ids[0])).status, 'live', 'cancelled before the deadline');
    await until(async () => (await statusOf(k.uid, ids[1])).status === 'cancelled', 15_000);
    assert.ok(Date.now() - armedAt >= 5_000);
    assert.equal((await statusOf(k.uid, ids[0])).cancelReason, 'countdown_cancel_all');
  });
});

describe('a fire racing a re-arm resolves one way', () => {
  test('claimed, then re-armed, then finished: the fire went ahead, the new arm stands', async () => {
    const st = s.og.store.switches;
    const now = Date.now();
    await st.arm({ uid: 'race1', kind: 'countdown', scopeKey: '*:*', category: null, symbol: null, windowMs: 5000, deadline: now - 1, now });
    const [claimed] = (await st.claimDue(now, now - 30_000, 100)).filter((r) => r.uid === 'race1');
    assert.ok(claimed);
    assert.equal((await st.claimDue(now, now - 30_000, 100)).filter((r) => r.uid === 'race1').length, 0, 'claimed twice');
    const rearmed = await st.arm({ uid: 'race1', kind: 'countdown', scopeKey: '*:*', category: null, symbol: null, windowMs: 5000, deadline: now + 5000, now });
    assert.equal(rearmed.generation, claimed.generation + 1);
    const fire = { at: now, cancelReason: 'countdown_cancel_all', cancelled: 0, orderIds: [], deadline: claimed.deadline, generation: claimed.generation };
    assert.equal(await st.finish('race1', 'countdown', '*:*', claimed.generation, fire), 'superseded');
    const after = await st.get('race1', 'countdown', '*:*');
    assert.equal(after?.armed, true);
    assert.equal(after?.deadline, now + 5000);
    assert.deepEqual(after?.lastFire, fire);
    // a claim older than the stale limit is taken over (its instance died between claim and record)
    await st.arm({ uid: 'race2', kind: 'countdown', scopeKey: '*:*', category: null, symbol: null, windowMs: 5000, deadline: now - 1, now });
    assert.equal((await st.claimDue(now, now - 30_000, 100)).filter((r) => r.uid === 'race2').length, 1);
    assert.equal((await st.claimDue(now + 1000, now - 30_000, 100)).filter((r) => r.uid === 'race2').length, 0);
    assert.equal((await st.claimDue(now + 40_000, now + 10_000, 100)).filter((r) => r.uid === 'race2').length, 1);
  });
});

describe("ordergate's extensions (/api/ordergate/v1, not Bitget's)", () => {
  test('a classic account arms a countdown scoped to a symbol: only that symbol fires', async () => {
    const k = s.other;
    const btc = await placeMix(s, k, 2);
    const eth = await placeMix(s, k, 1, {});
    const ethOrder = await call(s, k, 'POST', '/api/v2/mix/order/place-order', {
      symbol: 'ETHUSDT', productType: 'USDT-FUTURES', marginMode: 'crossed', marginCoin: 'USDT', size: '0.1', price: '2000', side: 'buy', orderType: 'limit', force: 'gtc',
    });
    assert.equal(ethOrder.body.code, '00000', JSON.stringify(ethOrder.body));
    clockOffset = 0;
    const r = await call(s, k, 'POST', '/api/ordergate/v1/countdown-cancel-all', { countdown: '3', category: 'USDT-FUTURES', symbol: 'ethusdt' });
    assert.equal(r.body.code, '00000', JSON.stringify(r.body));
    assert.equal(r.body.data.scopeKey, 'USDT-FUTURES:ETHUSDT');
    assert.equal(r.body.data.window, '3');
    assert.equal((await call(s, k, 'POST', '/api/ordergate/v1/countdown-cancel-all', { countdown: '90000' })).body.code, '40020');
    assert.equal((await call(s, k, 'POST', '/api/ordergate/v1/countdown-cancel-all', { countdown: '5', category: 'FOO' })).body.code, '40020');
    await until(async () => (await statusOf(k.uid, ethOrder.body.data.orderId)).status === 'cancelled', 15_000);
    for (const id of [...btc, ...eth]) assert.equal((await statusOf(k.uid, id)).status, 'live');
    // the fire is recorded right after its cancel-all committed
    const scoped = async () => (await call(s, k, 'GET', '/api/ordergate/v1/switches')).body.data.find((x: { scopeKey: string }) => x.scopeKey === 'USDT-FUTURES:ETHUSDT');
    await until(async () => (await scoped()).lastFire !== null);
    const sw = await scoped();
    assert.equal(sw.armed, false);
    assert.equal(sw.lastFire.cancelled, '1');
    assert.deepEqual(sw.lastFire.orderIds, [ethOrder.body.data.orderId]);
  });

  test('panic cancels everything in one unit and blocks placements (40022) until unblocked', async () => {
    const k = s.classic;
    const ids = await placeMix(s, k, 3);
    const spot = await call(s, k, 'POST', '/api/v2/spot/trade/place-order', { symbol: 'BTCUSDT', side: 'buy', orderType: 'limit', force: 'gtc', price: '30000', size: '0.001' });
    assert.equal(spot.body.code, '00000');
    const seqBefore = s.og.events.lastSequence();
    const p = await call(s, k, 'POST', '/api/ordergate/v1/panic', { block: true });
    assert.equal(p.body.code, '00000', JSON.stringify(p.body));
    assert.equal(p.body.data.blocked, true);
    assert.ok(Number(p.body.data.cancelled) >= 4);
    for (const id of [...ids, spot.body.data.orderId]) assert.deepEqual(await statusOf(k.uid, id), { status: 'cancelled', cancelReason: 'panic_cancel_all' });
    const refused = await call(s, k, 'POST', '/api/v2/spot/trade/place-order', { symbol: 'BTCUSDT', side: 'buy', orderType: 'limit', force: 'gtc', price: '30000', size: '0.001' });
    assert.equal(refused.body.code, '40022');
    assert.match(refused.body.msg, /blocked by an ordergate panic/);
    const batch = await call(s, k, 'POST', '/api/v2/mix/order/batch-place-order', {
      symbol: 'BTCUSDT', productType: 'USDT-FUTURES', marginMode: 'crossed', marginCoin: 'USDT',
      orderList: [{ size: '0.01', price: '30000', side: 'buy', orderType: 'limit', force: 'gtc' }],
    });
    assert.equal(batch.body.data.failureList[0].errorCode, '40022');
    // the read-only key of the same UID may look but not unblock
    assert.equal((await call(s, s.readOnly, 'POST', '/api/ordergate/v1/unblock', {})).body.code, '40014');
    const state = (await call(s, s.readOnly, 'GET', '/api/ordergate/v1/switches')).body.data;
    const panic = state.find((x: { kind: string }) => x.kind === 'panic');
    assert.equal(panic.blocked, true);
    assert.equal(panic.lastFire.cancelReason, 'panic_cancel_all');
    await until(() => events.some((e) => e.seq > seqBefore && e.event.kind === 'switch'));
    const ev = events.filter((e) => e.seq > seqBefore && e.event.kind === 'switch');
    assert.equal(ev.length, 1);
    assert.equal(ev[0].event.kind === 'switch' && ev[0].event.data.switch, 'panic');
    const un = await call(s, k, 'POST', '/api/ordergate/v1/unblock', {});
    assert.equal(un.body.data.blocked, false);
    const again = await call(s, k, 'POST', '/api/v2/spot/trade/place-order', { symbol: 'BTCUSDT', side: 'buy', orderType: 'limit', force: 'gtc', price: '30000', size: '0.001' });
    assert.equal(again.body.code, '00000');
    // panic without block leaves placements open
    const p2 = await call(s, k, 'POST', '/api/ordergate/v1/panic', {});
    assert.equal(p2.body.data.blocked, false);
    assert.equal(p2.body.data.cancelled, '1');
    assert.equal((await call(s, k, 'POST', '/api/ordergate/v1/panic', { block: 'maybe' })).body.code, '40020');
  });

  test('a block another instance wrote is picked up by the sweep (store, not memory)', async () => {
    await s.og.store.switches.setBlocked(s.other.uid, true, Date.now());
    await until(() => s.og.engine.blocked.has(s.other.uid), 5_000);
    await s.og.store.switches.setBlocked(s.other.uid, false, Date.now());
    await until(() => !s.og.engine.blocked.has(s.other.uid), 5_000);
  });

  test('extension endpoints need a signature; /admin/switches needs the admin token', async () => {
    const r = await call(s, undefined, 'GET', '/api/ordergate/v1/switches');
    assert.equal(r.body.code, '40001');
    const admin = await startTestServer({ adminToken: 'tok-switches' });
    try {
      await admin.og.switches.countdown(admin.classic.uid, 30);
      const no = await admin.og.app.inject({ method: 'GET', url: '/admin/switches' });
      assert.equal(no.statusCode, 401);
      const yes = await admin.og.app.inject({ method: 'GET', url: `/admin/switches?uid=${admin.classic.uid}`, headers: { 'x-admin-token': 'tok-switches' } });
      const body = JSON.parse(yes.body);
      assert.equal(body.code, '00000');
      assert.equal(body.data.length, 1);
      assert.equal(body.data[0].armed, true);
    } finally {
      await admin.close();
    }
  });
});

describe('configuration', () => {
  test('sweep interval, claim staleness and the disconnect lease come from src/config.ts', async () => {
    const { loadConfig } = await import('../../src/config.js');
    const d = loadConfig({});
    assert.deepEqual([d.switchSweepMs, d.switchClaimStaleMs, d.switchCodLeaseMs], [200, 30_000, 2_000]);
    const c = loadConfig({ ORDERGATE_SWITCH_SWEEP_MS: '50', ORDERGATE_SWITCH_CLAIM_STALE_MS: '5000', ORDERGATE_SWITCH_COD_LEASE_MS: '1000' });
    assert.deepEqual([c.switchSweepMs, c.switchClaimStaleMs, c.switchCodLeaseMs], [50, 5000, 1000]);
    assert.throws(() => loadConfig({ ORDERGATE_SWITCH_SWEEP_MS: 'fast' }), /ORDERGATE_SWITCH_SWEEP_MS must be a non-negative integer/);
  });
});
