/**
 * Order pushes from the event stream (a test-only in-memory bus): each order event reaches only
 * its owner's connections subscribed to the matching channel, in publish order, in that
 * channel's Bitget field names with string numbers; nothing is pushed on subscribe.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { pushFrame, pushFrameJson } from '../../src/ws/frames.js';
import { TestClient, loginFrame, order, startWsServer, type WsTestServer } from './helpers.js';

describe('WebSocket order channels', { timeout: 60_000 }, () => {
  let s: WsTestServer;
  const clients: TestClient[] = [];

  /** Opens, logs in and subscribes; returns once every ack arrived. */
  const subscribed = async (path: string, key: Parameters<typeof loginFrame>[0], args: object[]) => {
    const c = await TestClient.open(`${s.wsBase}${path}`);
    clients.push(c);
    c.send(loginFrame(key));
    c.send({ op: 'subscribe', args });
    assert.equal((await c.next()).code, 0);
    for (const a of args) assert.deepEqual(await c.next(), { event: 'subscribe', arg: a });
    return c;
  };

  before(async () => {
    s = await startWsServer();
  });
  after(async () => {
    for (const c of clients) c.close();
    await s?.close();
  });

  it('v2 spot: the owner gets a snapshot push with Bitget spot field names; another UID gets nothing; no push on subscribe', async () => {
    const arg = { instType: 'SPOT', channel: 'orders', instId: 'default' };
    const mine = await subscribed('/v2/ws/private', s.classic, [arg]);
    const theirs = await subscribed('/v2/ws/private', s.other, [arg]);
    const o = order({ uid: s.classic.uid, clientOid: 'c-1' });
    s.bus.publish({ kind: 'order.created', order: o });
    const theirsOwn = order({ uid: s.other.uid, symbol: 'ETHUSDT', price: '2000' });
    s.bus.publish({ kind: 'order.created', order: theirsOwn });
    const p = await mine.next();
    assert.equal(p.action, 'snapshot');
    assert.deepEqual(p.arg, arg);
    assert.equal(typeof p.ts, 'number');
    assert.equal(p.data.length, 1);
    const d = p.data[0];
    assert.equal(d.instId, 'BTCUSDT');
    assert.equal(d.orderId, o.orderId);
    assert.equal(d.clientOid, 'c-1');
    assert.equal(d.status, 'live');
    assert.equal(d.newSize, '0.01');
    assert.equal(d.notional, '300');
    assert.equal(d.accBaseVolume, '0');
    assert.equal(d.force, 'gtc');
    assert.deepEqual(d.feeDetail, []);
    assert.equal(d.symbol, undefined);
    assert.equal(d.userId, undefined);
    assert.equal(d.baseVolume, undefined, 'the latest-fill baseVolume is absent until a fill is known');
    for (const [k, v] of Object.entries(d)) if (k !== 'feeDetail') assert.equal(typeof v, 'string', k);
    // the other UID sees only its own order
    const q = await theirs.next();
    assert.equal(q.data[0].orderId, theirsOwn.orderId);
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(theirs.rest(), []);
    assert.deepEqual(mine.rest(), []);
  });

  it('v2 futures: cancel pushes status canceled with cancelReason, reduceOnly lower case; symbol and default subscriptions both get it; another product type does not', async () => {
    const byDefault = { instType: 'USDT-FUTURES', channel: 'orders', instId: 'default' };
    const bySymbol = { instType: 'USDT-FUTURES', channel: 'orders', instId: 'BTCUSDT' };
    const coin = { instType: 'COIN-FUTURES', channel: 'orders', instId: 'default' };
    const c = await subscribed('/v2/ws/private', s.classic, [byDefault, bySymbol, coin]);
    const o = order({
      uid: s.classic.uid,
      category: 'USDT-FUTURES',
      marginMode: 'crossed',
      marginCoin: 'USDT',
      filledSize: '0',
      status: 'cancelled',
      cancelReason: 'normal_cancel',
      extra: { reduceOnly: 'NO' },
    });
    s.bus.publish({ kind: 'order.updated', change: 'cancel', order: o });
    const pushes = [await c.next(), await c.next()];
    assert.deepEqual(pushes.map((p) => p.arg).sort((a, b) => a.instId.localeCompare(b.instId)), [bySymbol, byDefault]);
    const d = pushes[0].data[0];
    assert.equal(d.instId, 'BTCUSDT');
    assert.equal(d.status, 'canceled');
    assert.equal(d.cancelReason, 'normal_cancel');
    assert.equal(d.reduceOnly, 'no');
    assert.equal(d.marginCoin, 'USDT');
    assert.equal(d.posMode, 'one_way_mode');
    assert.equal(d.priceAvg, undefined, 'omitted on a cancelled order that filled nothing');
    assert.equal(d.state, undefined);
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(c.rest(), [], 'nothing on the COIN-FUTURES subscription');
  });

  it('pushes follow the bus order: place, fill, cancel of one order arrive in that order', async () => {
    const c = await subscribed('/v2/ws/private', s.classic, [{ instType: 'SPOT', channel: 'orders', instId: 'SOLUSDT' }]);
    const o = order({ uid: s.classic.uid, symbol: 'SOLUSDT', price: '100', size: '2' });
    s.bus.publish({ kind: 'order.created', order: o });
    s.bus.publish(
      { kind: 'order.updated', change: 'fill', order: { ...o, status: 'partially_filled', filledSize: '1', filledQuote: '100' } },
      { kind: 'order.updated', change: 'cancel', order: { ...o, status: 'cancelled', filledSize: '1', filledQuote: '100', cancelReason: 'normal_cancel' } },
    );
    // the fill and the cancel were committed together: one frame carries both, in order
    const frames = [await c.next(), await c.next()];
    assert.deepEqual(frames.map((p) => p.data.length), [1, 2]);
    const got = frames.flatMap((p) => p.data).map((d: any) => [d.status, d.accBaseVolume, d.priceAvg]);
    assert.deepEqual(got, [
      ['live', '0', '0'],
      ['partially_filled', '1', '100'],
      ['cancelled', '1', '100'],
    ]);
  });

  it('v2 margin: orders-crossed pushes loanType/baseSize/fillTotalAmount; orders-isolated does not receive a crossed order', async () => {
    const crossed = { instType: 'MARGIN', channel: 'orders-crossed', instId: 'default' };
    const isolated = { instType: 'MARGIN', channel: 'orders-isolated', instId: 'default' };
    const c = await subscribed('/v2/ws/private', s.classic, [crossed, isolated]);
    const o = order({ uid: s.classic.uid, category: 'MARGIN', marginMode: 'crossed', extra: { loanType: 'normal' } });
    s.bus.publish({ kind: 'order.created', order: o });
    const p = await c.next();
    assert.deepEqual(p.arg, crossed);
    const d = p.data[0];
    assert.equal(d.instId, 'BTCUSDT');
    assert.equal(d.loanType, 'normal');
    assert.equal(d.baseSize, '0.01');
    assert.equal(d.fillTotalAmount, '0');
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(c.rest(), []);
  });

  it('v3 order: the unified owner gets the UTA shape (category, qty, orderStatus, cancelReason); the other unified UID does not', async () => {
    const arg = { instType: 'UTA', topic: 'order' };
    const mine = await subscribed('/v3/ws/private', s.unified, [arg]);
    const theirs = await subscribed('/v3/ws/private', s.otherUnified, [arg]);
    const o = order({
      uid: s.unified.uid,
      category: 'USDT-FUTURES',
      marginMode: 'crossed',
      marginCoin: 'USDT',
      status: 'cancelled',
      cancelReason: 'normal_cancel',
    });
    s.bus.publish({ kind: 'order.updated', change: 'cancel', order: o });
    const p = await mine.next();
    assert.deepEqual(p.arg, arg);
    const d = p.data[0];
    assert.equal(d.category, 'usdt-futures');
    assert.equal(d.symbol, 'BTCUSDT');
    assert.equal(d.qty, '0.01');
    assert.equal(d.orderStatus, 'cancelled');
    assert.equal(d.cancelReason, 'normal_cancel');
    assert.equal(d.marginCoin, 'USDT');
    assert.equal(d.cumExecQty, '0');
    assert.deepEqual(d.feeDetail, [{ feeCoin: '', fee: '' }]); // v3 before any fee (issue 10)
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(theirs.rest(), []);
  });

  it('after unsubscribe nothing more is pushed', async () => {
    const arg = { instType: 'SPOT', channel: 'orders', instId: 'ETHUSDT' };
    const c = await subscribed('/v2/ws/private', s.other, [arg]);
    c.send({ op: 'unsubscribe', args: [arg] });
    assert.equal((await c.next()).event, 'unsubscribe');
    s.bus.publish({ kind: 'order.created', order: order({ uid: s.other.uid, symbol: 'ETHUSDT' }) });
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(c.rest(), []);
  });

  it('one commit of many orders: one frame per 50 orders to the same keys, in commit order; an order reaching other keys starts a new frame', async () => {
    const def = { instType: 'USDT-FUTURES', channel: 'orders', instId: 'default' };
    const btc = { instType: 'USDT-FUTURES', channel: 'orders', instId: 'BTCUSDT' };
    const c = await subscribed('/v2/ws/private', s.classic, [def, btc]);
    const fut = (symbol: string) => order({ uid: s.classic.uid, category: 'USDT-FUTURES', marginMode: 'crossed', marginCoin: 'USDT', symbol, status: 'cancelled', cancelReason: 'normal_cancel' });
    const batch = [...Array.from({ length: 60 }, () => fut('BTCUSDT')), fut('ETHUSDT'), fut('BTCUSDT')];
    s.bus.publish(...batch.map((o) => ({ kind: 'order.updated' as const, change: 'cancel' as const, order: o })));
    const frames: any[] = [];
    for (let i = 0; i < 7; i++) frames.push(await c.next());
    // BTC orders reach both keys, the ETH one only `default`: runs of 50, 10, 1 (ETH), 1
    assert.deepEqual(frames.map((f) => `${f.arg.instId}:${f.data.length}`), ['default:50', 'BTCUSDT:50', 'default:10', 'BTCUSDT:10', 'default:1', 'default:1', 'BTCUSDT:1']);
    const ids = (instId: string) => frames.filter((f) => f.arg.instId === instId).flatMap((f) => f.data.map((d: any) => d.orderId));
    assert.deepEqual(ids('default'), batch.map((o) => o.orderId));
    assert.deepEqual(ids('BTCUSDT'), batch.filter((o) => o.symbol === 'BTCUSDT').map((o) => o.orderId));
    c.close();
  });

  it('a frame built from pre-rendered data JSON is the same text as one built from the data', () => {
    const arg = { instType: 'SPOT', channel: 'orders', instId: 'default' };
    const data = [{ orderId: '1', size: '0.01', feeDetail: [] }, { orderId: '2', note: 'a "quoted" \\ value' }];
    assert.equal(pushFrameJson(arg, JSON.stringify(data), 1700000000123), pushFrame(arg, data, 1700000000123));
  });
});
