// test-file-limit: 240s
/**
 * The money channels with the REAL engine and the store's own event stream, on the suite's
 * store (SQLite, or PostgreSQL with ORDERGATE_TEST_STORE=postgres): v2 `account` pushes a
 * snapshot with the start balance on subscribe, and `frozen` after a placement; a fill
 * (engine.fill) pushes `fill` with its fee, `account`, and `positions` with the position; the
 * closing fill pushes `positions` with `data: []`. v3 the same with `fill`, `account`,
 * `position`. Then unchanged ccxt pro `watchBalance`, `watchMyTrades`, `watchPositions`
 * in classic and unified mode resolve with the right values.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestKey } from '../helpers.js';
import { proClient } from './receivers.js';
import { TestClient, loginFrame, rest, startWsServer, until, type WsTestServer } from './helpers.js';

describe('WebSocket money channels with the real engine', { timeout: 230_000 }, () => {
  let s: WsTestServer;
  const clients: TestClient[] = [];
  const closers: Array<() => Promise<unknown>> = [];

  before(async () => {
    s = await startWsServer({}, { realBus: true });
  });
  after(async () => {
    for (const c of clients) c.close();
    for (const c of closers) await c().catch(() => undefined);
    await s?.close();
  });

  /** Opens, logs in and subscribes; returns once every ack arrived. */
  const subscribed = async (path: string, key: TestKey, args: object[]) => {
    const c = await TestClient.open(`${s.wsBase}${path}`);
    clients.push(c);
    c.send(loginFrame(key));
    assert.equal((await c.next()).code, 0);
    c.send({ op: 'subscribe', args });
    return c;
  };

  /** Frames received so far with this channel/topic (acks excluded). */
  const pushes = (c: TestClient, name: string, seen: any[]) => {
    seen.splice(0, seen.length, ...(c.rest() as any[]));
    return seen.filter((f) => f.action && (f.arg.channel ?? f.arg.topic) === name);
  };

  it('v2: account snapshot on subscribe, frozen after a placement, fill / account / positions after a fill, positions [] when flat', async () => {
    const k = s.classic;
    await s.og.engine.deposit(k.uid, 'USDT', '10000', 'usdt-futures');
    await s.og.engine.deposit(k.uid, 'USDT', '5000', 'spot');
    const spotAcc = { instType: 'SPOT', channel: 'account', coin: 'default' };
    const futAcc = { instType: 'USDT-FUTURES', channel: 'account', coin: 'default' };
    const pos = { instType: 'USDT-FUTURES', channel: 'positions', instId: 'default' };
    const fill = { instType: 'USDT-FUTURES', channel: 'fill', instId: 'default' };
    const spotFill = { instType: 'SPOT', channel: 'fill', instId: 'BTCUSDT' };
    const c = await subscribed('/v2/ws/private', k, [spotAcc, futAcc, pos, fill, spotFill]);
    const seen: any[] = [];
    await until(() => pushes(c, 'account', seen).length >= 2 && pushes(c, 'positions', seen).length >= 1, 15_000);
    const acks = seen.filter((f) => f.event === 'subscribe');
    assert.equal(acks.length, 5);
    const spot0 = pushes(c, 'account', seen).find((f) => f.arg.instType === 'SPOT')!;
    assert.equal(spot0.action, 'snapshot');
    assert.deepEqual(spot0.arg, spotAcc);
    const usdt0 = spot0.data.find((d: any) => d.coin === 'USDT');
    assert.ok(Number(usdt0.available) >= 5000, `spot USDT available ${usdt0.available}`);
    assert.equal(usdt0.frozen, '0');
    const fut0 = pushes(c, 'account', seen).find((f) => f.arg.instType === 'USDT-FUTURES')!;
    const futStart = Number(fut0.data[0].available);
    assert.equal(fut0.data[0].marginCoin, 'USDT');
    assert.ok(futStart >= 10000);
    assert.deepEqual(pushes(c, 'positions', seen)[0].data, [], 'a flat account: positions data []');
    assert.equal(pushes(c, 'fill', seen).length, 0, 'no fill push on subscribe');

    // spot placement: the spot account push shows the hold
    const placed = await rest(s.baseUrl, k, 'POST', '/api/v2/spot/trade/place-order', { symbol: 'BTCUSDT', side: 'buy', orderType: 'limit', force: 'gtc', price: '30000', size: '0.01' });
    const spotId = placed.data.orderId;
    await until(() => pushes(c, 'account', seen).some((f) => f.arg.instType === 'SPOT' && f.data.some((d: any) => d.coin === 'USDT' && Number(d.frozen) > 0)), 15_000);
    const held = pushes(c, 'account', seen).filter((f) => f.arg.instType === 'SPOT').at(-1)!.data.find((d: any) => d.coin === 'USDT');
    assert.ok(Number(held.frozen) >= 300, `frozen ${held.frozen}`);
    await s.og.engine.fill(spotId);
    await until(() => pushes(c, 'fill', seen).some((f) => f.arg.instType === 'SPOT'), 15_000);
    const sf = pushes(c, 'fill', seen).find((f) => f.arg.instType === 'SPOT')!;
    assert.deepEqual(sf.arg, spotFill);
    assert.equal(sf.data[0].orderId, spotId);
    assert.equal(sf.data[0].priceAvg, '30000');
    assert.equal(sf.data[0].size, '0.01');
    assert.equal(sf.data[0].amount, '300');
    assert.ok(Array.isArray(sf.data[0].feeDetail));
    assert.equal(sf.data[0].clientOid, undefined);

    // futures: open a long, fill it
    const open = await rest(s.baseUrl, k, 'POST', '/api/v2/mix/order/place-order', { symbol: 'BTCUSDT', productType: 'USDT-FUTURES', marginMode: 'crossed', marginCoin: 'USDT', size: '0.01', price: '30000', side: 'buy', orderType: 'limit', force: 'gtc' });
    await s.og.engine.fill(open.data.orderId);
    await until(() => pushes(c, 'fill', seen).some((f) => f.arg.instType === 'USDT-FUTURES') && pushes(c, 'positions', seen).some((f) => f.data.length === 1), 15_000);
    const ff = pushes(c, 'fill', seen).find((f) => f.arg.instType === 'USDT-FUTURES')!.data[0];
    assert.equal(ff.orderId, open.data.orderId);
    assert.equal(ff.price, '30000');
    assert.equal(ff.baseVolume, '0.01');
    assert.ok(Number(ff.feeDetail[0].totalFee) < 0, `fee negative on v2: ${ff.feeDetail[0].totalFee}`);
    const p = pushes(c, 'positions', seen).find((f) => f.data.length === 1)!;
    assert.deepEqual(p.arg, pos);
    assert.equal(p.data[0].instId, 'BTCUSDT');
    assert.equal(p.data[0].holdSide, 'long');
    assert.equal(p.data[0].total, '0.01');
    assert.equal(p.data[0].openPriceAvg, '30000');
    await until(() => pushes(c, 'account', seen).filter((f) => f.arg.instType === 'USDT-FUTURES').some((f) => Number(f.data[0].available) < futStart), 15_000);

    // close it: positions pushes data []
    const close = await rest(s.baseUrl, k, 'POST', '/api/v2/mix/order/place-order', { symbol: 'BTCUSDT', productType: 'USDT-FUTURES', marginMode: 'crossed', marginCoin: 'USDT', size: '0.01', price: '30000', side: 'sell', orderType: 'limit', force: 'gtc', reduceOnly: 'YES' });
    assert.equal(close.code, '00000', JSON.stringify(close));
    await s.og.engine.fill(close.data.orderId);
    await until(() => pushes(c, 'positions', seen).at(-1)!.data.length === 0 && pushes(c, 'fill', seen).filter((f) => f.arg.instType === 'USDT-FUTURES').length === 2, 15_000);
  });

  it('v2 margin: account-crossed snapshot on subscribe, then a push after a deposit; a bad coin answers 30016', async () => {
    const k = s.readOnly; // read permission is enough for private channels
    const arg = { instType: 'MARGIN', channel: 'account-crossed', coin: 'default' };
    const c = await subscribed('/v2/ws/private', k, [arg, { instType: 'MARGIN', channel: 'account-crossed', coin: 'USDT' }]);
    const seen: any[] = [];
    await until(() => pushes(c, 'account-crossed', seen).length === 1 && seen.some((f) => f.event === 'error'), 15_000);
    assert.equal(seen.find((f) => f.event === 'error').code, 30016);
    await s.og.engine.deposit(k.uid, 'USDT', '777', 'crossed');
    await until(() => pushes(c, 'account-crossed', seen).length === 2, 15_000);
    const last = pushes(c, 'account-crossed', seen)[1];
    assert.deepEqual(last.arg, arg);
    const usdt = last.data.find((d: any) => d.coin === 'USDT');
    assert.ok(Number(usdt.available) >= 777, JSON.stringify(usdt));
    assert.equal(usdt.borrow, '0');
    assert.equal(usdt.id, k.uid);
  });

  it('v3: account snapshot on subscribe, position snapshot on subscribe, fill with a positive fee, position ended when closed', async () => {
    const k = s.unified;
    await s.og.engine.deposit(k.uid, 'USDT', '10000', 'unified');
    const c = await subscribed('/v3/ws/private', k, [{ instType: 'UTA', topic: 'account' }, { instType: 'UTA', topic: 'position' }, { instType: 'UTA', topic: 'fill' }]);
    const seen: any[] = [];
    await until(() => pushes(c, 'account', seen).length >= 1 && pushes(c, 'position', seen).length >= 1, 15_000);
    const a0 = pushes(c, 'account', seen)[0].data[0];
    const usdt = a0.coin.find((x: any) => x.coin === 'USDT');
    assert.ok(Number(usdt.balance) >= 10000);
    assert.deepEqual(pushes(c, 'position', seen)[0].data, []);
    const body = { category: 'USDT-FUTURES', symbol: 'BTCUSDT', side: 'buy', orderType: 'limit', qty: '0.01', price: '30000', timeInForce: 'gtc' };
    const placed = await rest(s.baseUrl, k, 'POST', '/api/v3/trade/place-order', body);
    assert.equal(placed.code, '00000', JSON.stringify(placed));
    await s.og.engine.fill(placed.data.orderId);
    await until(() => pushes(c, 'fill', seen).length === 1 && pushes(c, 'position', seen).some((f) => f.data.length === 1), 15_000);
    const f = pushes(c, 'fill', seen)[0].data[0];
    assert.equal(f.category, 'USDT-FUTURES');
    assert.equal(f.execPrice, '30000');
    assert.equal(f.execQty, '0.01');
    assert.ok(Number(f.feeDetail[0].fee) > 0, `v3 fee positive: ${f.feeDetail[0].fee}`);
    const p = pushes(c, 'position', seen).find((x) => x.data.length === 1)!.data[0];
    assert.equal(p.symbol, 'BTCUSDT');
    assert.equal(p.size, '0.01');
    assert.equal(p.positionStatus, 'opening');
    const close = await rest(s.baseUrl, k, 'POST', '/api/v3/trade/place-order', { ...body, side: 'sell', reduceOnly: 'yes' });
    assert.equal(close.code, '00000', JSON.stringify(close));
    await s.og.engine.fill(close.data.orderId);
    await until(() => pushes(c, 'position', seen).at(-1)!.data.some((x: any) => x.positionStatus === 'ended'), 15_000);
    const ended = pushes(c, 'position', seen).at(-1)!.data.find((x: any) => x.positionStatus === 'ended');
    assert.equal(ended.size, '0');
  });

  /** `p`, or a rejection naming `what` after 20 s (a watch that never resolves fails by name). */
  const within = <T>(p: Promise<T>, what: string): Promise<T> =>
    Promise.race([p, new Promise<T>((_, rej) => setTimeout(() => rej(new Error(`${what} did not resolve within 20 s`)), 20_000).unref())]);

  for (const uta of [false, true]) {
    it(`ccxt pro ${uta ? 'unified' : 'classic'}: watchBalance, watchMyTrades, watchPositions resolve with the right values`, async () => {
      const k = uta ? s.otherUnified : s.other;
      await s.og.engine.deposit(k.uid, 'USDT', '20000', uta ? 'unified' : 'usdt-futures');
      const ex = proClient(s.baseUrl, k, uta);
      closers.push(() => ex.close());
      await ex.loadHttpProxyAgent();
      await ex.loadMarkets();
      const bal = await within(ex.watchBalance({ type: 'swap' }), 'watchBalance');
      assert.ok(Number(bal.USDT?.total ?? bal.USDT?.free) >= 20000, `balance ${JSON.stringify(bal.USDT)}`);
      const free0 = Number(bal.USDT.free); // ccxt updates its balance object in place
      const trades = ex.watchMyTrades('BTC/USDT:USDT');
      // the subscribe snapshot (flat: no position) resolves the first watch; the next waits for the fill's push
      assert.deepEqual(await within(ex.watchPositions(['BTC/USDT:USDT']), 'watchPositions (subscribe snapshot)'), []);
      const positions = ex.watchPositions(['BTC/USDT:USDT']);
      const held = ex.watchBalance({ type: 'swap' }); // the placement's hold pushes the account
      const order = await ex.createOrder('BTC/USDT:USDT', 'limit', 'buy', 0.01, 30000);
      await s.og.engine.fill(order.id as string);
      const t = await within(trades, 'watchMyTrades');
      assert.equal(t.at(-1)!.order, order.id);
      assert.equal(t.at(-1)!.price, 30000);
      assert.equal(t.at(-1)!.amount, 0.01);
      assert.ok(t.at(-1)!.fee && Number(t.at(-1)!.fee!.cost) > 0, `fee ${JSON.stringify(t.at(-1)!.fee)}`);
      let ps = await within(positions, 'watchPositions');
      for (let i = 0; i < 5 && !ps.some((p) => p.contracts === 0.01); i++) ps = await within(ex.watchPositions(['BTC/USDT:USDT']), 'watchPositions (next)');
      const p = ps.find((x) => x.contracts === 0.01);
      assert.ok(p, JSON.stringify(ps.map((x) => x.info)));
      assert.equal(p!.symbol, 'BTC/USDT:USDT');
      assert.equal(p!.side, 'long');
      assert.equal(p!.entryPrice, 30000);
      const b2 = await within(held, 'watchBalance (after the placement)');
      assert.ok(Number(b2.USDT.free) < free0, `free ${b2.USDT.free} after the hold, ${free0} before`);
    });
  }
});
