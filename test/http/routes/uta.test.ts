/**
 * v3 unified-account dialect (src/http/routes/uta.ts): place-order, place-batch, cancel-order,
 * cancel-batch (seed 002), cancel-symbol-order, order-info, unfilled/history-orders and the
 * account-settings probe, driven through signed requests as a Bitget client sends them.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { call, startTestServer, type TestKey, type TestServer } from '../../helpers.js';
import { createKey } from '../../../src/accounts/keys.js';

let s: TestServer;
let readKey: TestKey;

before(async () => {
  s = await startTestServer();
  const k = await createKey(s.og.store.keys, s.og.master, { uid: s.unified.uid, mode: 'unified', permission: 'read', ips: [] });
  readKey = { uid: s.unified.uid, apiKey: k.apiKey, secretKey: k.secretKey, passphrase: k.passphrase };
  await s.og.keyring.refresh();
});
after(() => s.close());

let nextUid = 2100;
/** A trade key on a new unified UID, so scope cancels and lists see only this test's orders. */
async function freshUnified(): Promise<TestKey> {
  const uid = String(++nextUid);
  const k = await createKey(s.og.store.keys, s.og.master, { uid, mode: 'unified', permission: 'trade', ips: [] });
  await s.og.keyring.refresh();
  return { uid, apiKey: k.apiKey, secretKey: k.secretKey, passphrase: k.passphrase };
}

let seq = 0;
/** A fresh clientOid matching the UTA pattern. */
const coid = (p = 'c') => `${p}-${process.pid}-${++seq}`;

const SPOT = { category: 'SPOT', symbol: 'BTCUSDT', qty: '0.01', price: '30000', side: 'buy', orderType: 'limit' };
const PERP = { category: 'USDT-FUTURES', symbol: 'BTCUSDT', qty: '0.01', price: '30000', side: 'buy', orderType: 'limit' };

/** Places one v3 order and returns its ids (asserts success). */
async function place(key: TestKey, body: Record<string, string> = {}): Promise<{ orderId: string; clientOid: string }> {
  const r = await call(s, key, 'POST', '/api/v3/trade/place-order', { ...SPOT, clientOid: coid(), ...body });
  assert.equal(r.body.code, '00000', JSON.stringify(r.body));
  return r.body.data;
}

async function info(orderId: string, key: TestKey = s.unified) {
  return call(s, key, 'GET', `/api/v3/trade/order-info?orderId=${orderId}`);
}

async function statusOf(orderId: string, key: TestKey = s.unified): Promise<string> {
  const r = await info(orderId, key);
  assert.equal(r.body.code, '00000', JSON.stringify(r.body));
  return r.body.data.orderStatus;
}

describe('POST /api/v3/trade/place-order', () => {
  test('places a resting spot limit order and answers {orderId, clientOid}', async () => {
    const clientOid = coid();
    const r = await call(s, s.unified, 'POST', '/api/v3/trade/place-order', { ...SPOT, clientOid });
    assert.equal(r.status, 200);
    assert.equal(r.body.code, '00000');
    assert.match(r.body.data.orderId, /^\d{19}$/);
    assert.equal(r.body.data.clientOid, clientOid);
    const o = (await info(r.body.data.orderId)).body.data;
    assert.equal(o.category, 'SPOT');
    assert.equal(o.orderStatus, 'live');
    assert.equal(o.timeInForce, 'gtc');
    assert.equal(o.qty, '0.01');
    assert.equal(o.price, '30000');
  });

  test('accepts lower-case category and keeps futures fields (posSide, reduceOnly)', async () => {
    const { orderId } = await place(s.unified, {
      ...PERP,
      category: 'usdt-futures',
      side: 'sell',
      posSide: 'long',
      reduceOnly: 'yes',
      timeInForce: 'post_only',
    });
    const o = (await info(orderId)).body.data;
    assert.equal(o.category, 'USDT-FUTURES');
    assert.equal(o.posSide, 'long');
    assert.equal(o.holdMode, 'hedge_mode');
    assert.equal(o.tradeSide, 'close');
    assert.equal(o.reduceOnly, 'YES');
    assert.equal(o.timeInForce, 'post_only');
    // TP/SL is refused at placement (test/http/routes/unsupported.test.ts): none to show
    assert.equal(o.takeProfit, null);
    const stored = await s.og.engine.getOrder(s.unified.uid, { orderId });
    assert.equal(stored?.marginCoin, 'USDT');
  });

  test('MARGIN orders default to crossed margin mode; isolated may be asked for', async () => {
    const a = await place(s.unified, { category: 'MARGIN' });
    const b = await place(s.unified, { category: 'MARGIN', marginMode: 'isolated' });
    assert.equal((await s.og.engine.getOrder(s.unified.uid, { orderId: a.orderId }))?.marginMode, 'crossed');
    assert.equal((await s.og.engine.getOrder(s.unified.uid, { orderId: b.orderId }))?.marginMode, 'isolated');
    assert.equal((await info(a.orderId)).body.data.category, 'MARGIN');
  });

  test('an ioc limit order ends cancelled at once (no counterparty)', async () => {
    const { orderId } = await place(s.unified, { timeInForce: 'ioc' });
    assert.equal(await statusOf(orderId), 'cancelled');
  });

  test('rejects bad input with Bitget codes and places nothing', async () => {
    const cases: Array<[Record<string, unknown>, string, RegExp]> = [
      [{ ...SPOT, symbol: 'NOPEUSDT' }, '25100', /NOPEUSDT/],
      [{ ...SPOT, category: 'OPTIONS' }, '40020', /category/],
      [{ ...SPOT, qty: 'abc' }, '40020', /qty/],
      [{ ...SPOT, side: 'hold' }, '40020', /side/],
      [{ ...SPOT, timeInForce: 'day' }, '40020', /timeInForce/],
      [{ ...SPOT, clientOid: 'has space' }, '25200', /clientOid/],
      [{ ...SPOT, price: undefined }, '40019', /price/],
      [{ category: 'SPOT', symbol: 'BTCUSDT', price: '1', side: 'buy', orderType: 'limit' }, '40019', /qty/],
    ];
    const before = (await call(s, s.unified, 'GET', '/api/v3/trade/unfilled-orders?category=SPOT')).body.data.list.length;
    for (const [body, code, msg] of cases) {
      const r = await call(s, s.unified, 'POST', '/api/v3/trade/place-order', body);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.equal(r.body.code, code, JSON.stringify([body, r.body]));
      assert.match(r.body.msg, msg);
      assert.equal(r.body.data, null);
    }
    const afterCount = (await call(s, s.unified, 'GET', '/api/v3/trade/unfilled-orders?category=SPOT')).body.data.list.length;
    assert.equal(afterCount, before);
  });

  test('a clientOid already used by an open order is rejected with 25212', async () => {
    const clientOid = coid('dup');
    await place(s.unified, { clientOid });
    const r = await call(s, s.unified, 'POST', '/api/v3/trade/place-order', { ...SPOT, clientOid });
    assert.equal(r.body.code, '25212');
  });

  test('a classic key gets 40084 and a read-only unified key gets 40014', async () => {
    const c = await call(s, s.classic, 'POST', '/api/v3/trade/place-order', SPOT);
    assert.equal(c.status, 400);
    assert.equal(c.body.code, '40084');
    const r = await call(s, readKey, 'POST', '/api/v3/trade/place-order', SPOT);
    assert.equal(r.body.code, '40014');
    assert.match(r.body.msg, /UTA trade/);
  });
});

describe('POST /api/v3/trade/place-batch', () => {
  test('a bare array; per-item results in request order with code/msg on failures', async () => {
    const dupExisting = coid('dupx');
    await place(s.unified, { clientOid: dupExisting });
    const twice = coid('twice');
    const body = [
      { ...SPOT, clientOid: coid() },
      { ...SPOT, symbol: 'NOPEUSDT', clientOid: 'bad-sym' },
      { ...PERP, clientOid: twice },
      { ...PERP, clientOid: twice },
      { ...SPOT, clientOid: dupExisting },
      { ...SPOT, side: 'hold', clientOid: 'bad-side' },
      { ...SPOT, category: 'ETH', clientOid: 'bad-cat' },
    ];
    const r = await call(s, s.unified, 'POST', '/api/v3/trade/place-batch', body);
    assert.equal(r.body.code, '00000', JSON.stringify(r.body));
    const d = r.body.data;
    assert.equal(d.length, 7);
    assert.equal(d[0].code, undefined);
    assert.match(d[0].orderId, /^\d{19}$/);
    assert.deepEqual([d[1].code, d[1].clientOid, d[1].orderId], ['25100', 'bad-sym', '']);
    assert.equal(d[2].code, undefined);
    assert.equal(d[2].clientOid, twice);
    assert.equal(d[3].code, '25212');
    assert.equal(d[4].code, '25212');
    assert.deepEqual([d[5].code, d[5].msg], ['40020', 'Parameter side error']);
    assert.deepEqual([d[6].code, d[6].msg], ['40020', 'Parameter category error']);
    assert.equal(await statusOf(d[0].orderId), 'live');
    assert.equal((await info(d[2].orderId)).body.data.category, 'USDT-FUTURES');
  });

  test('21 items -> 40306, an object body -> 40017, nothing placed', async () => {
    const before = (await call(s, s.unified, 'GET', '/api/v3/trade/unfilled-orders?category=SPOT')).body.data.list.length;
    const big = await call(s, s.unified, 'POST', '/api/v3/trade/place-batch', Array.from({ length: 21 }, () => ({ ...SPOT })));
    assert.deepEqual([big.status, big.body.code], [400, '40306']);
    const obj = await call(s, s.unified, 'POST', '/api/v3/trade/place-batch', { ...SPOT });
    assert.deepEqual([obj.status, obj.body.code], [400, '40017']);
    const afterCount = (await call(s, s.unified, 'GET', '/api/v3/trade/unfilled-orders?category=SPOT')).body.data.list.length;
    assert.equal(afterCount, before);
  });
});

describe('POST /api/v3/trade/cancel-order', () => {
  test('cancels by orderId (category optional) and by clientOid', async () => {
    const a = await place(s.unified);
    const r = await call(s, s.unified, 'POST', '/api/v3/trade/cancel-order', { orderId: a.orderId });
    assert.deepEqual(r.body.data, { orderId: a.orderId, clientOid: a.clientOid });
    assert.equal(await statusOf(a.orderId), 'cancelled');
    const b = await place(s.unified, PERP);
    const r2 = await call(s, s.unified, 'POST', '/api/v3/trade/cancel-order', { clientOid: b.clientOid, category: 'USDT-FUTURES' });
    assert.deepEqual(r2.body.data, b);
    assert.equal(await statusOf(b.orderId), 'cancelled');
  });

  test('orderId wins over a clientOid naming another order', async () => {
    const a = await place(s.unified);
    const b = await place(s.unified);
    const r = await call(s, s.unified, 'POST', '/api/v3/trade/cancel-order', { orderId: a.orderId, clientOid: b.clientOid });
    assert.equal(r.body.data.orderId, a.orderId);
    assert.equal(await statusOf(a.orderId), 'cancelled');
    assert.equal(await statusOf(b.orderId), 'live');
  });

  test('ccxt shape {symbol, orderId}: a wrong symbol is not found', async () => {
    const a = await place(s.unified);
    const wrong = await call(s, s.unified, 'POST', '/api/v3/trade/cancel-order', { symbol: 'ETHUSDT', orderId: a.orderId });
    assert.equal(wrong.body.code, '25204');
    const right = await call(s, s.unified, 'POST', '/api/v3/trade/cancel-order', { symbol: 'BTCUSDT', orderId: a.orderId });
    assert.equal(right.body.code, '00000');
  });

  test('unknown, foreign and wrong-category orders are 25204; finished is 45134; no id is 40924', async () => {
    const mine = await place(s.unified);
    const theirs = await place(s.otherUnified);
    const cancel = (b: Record<string, string>) => call(s, s.unified, 'POST', '/api/v3/trade/cancel-order', b);
    assert.equal((await cancel({ orderId: '1234567890123456789' })).body.code, '25204');
    assert.equal((await cancel({ clientOid: 'never-used' })).body.code, '25204');
    assert.equal((await cancel({ orderId: theirs.orderId })).body.code, '25204');
    assert.equal((await cancel({ orderId: mine.orderId, category: 'USDT-FUTURES' })).body.code, '25204');
    assert.equal(await statusOf(mine.orderId), 'live');
    assert.equal(await statusOf(theirs.orderId, s.otherUnified), 'live');
    assert.equal((await cancel({ orderId: mine.orderId })).body.code, '00000');
    const again = await cancel({ orderId: mine.orderId });
    assert.equal(again.body.code, '45134');
    assert.equal(again.status, 400);
    assert.equal((await cancel({})).body.code, '40924');
  });
});

describe('POST /api/v3/trade/cancel-batch (seed 002)', () => {
  test('partial success, results in request order, only the valid order cancelled', async () => {
    const ok = await place(s.unified);
    const done = await place(s.unified);
    await call(s, s.unified, 'POST', '/api/v3/trade/cancel-order', { orderId: done.orderId });
    const theirs = await place(s.otherUnified);
    const otherSymbol = await place(s.unified, { symbol: 'ETHUSDT', qty: '0.1', price: '2000' });
    const perp = await place(s.unified, PERP);
    const body = [
      { orderId: ok.orderId, category: 'SPOT', symbol: 'BTCUSDT' },
      { orderId: '1234567890123456789', category: 'SPOT', symbol: 'BTCUSDT' },
      { orderId: theirs.orderId, category: 'SPOT', symbol: 'BTCUSDT' },
      { orderId: done.orderId, category: 'SPOT', symbol: 'BTCUSDT' },
      { orderId: otherSymbol.orderId, category: 'SPOT', symbol: 'BTCUSDT' },
      { orderId: perp.orderId, category: 'SPOT', symbol: 'BTCUSDT' },
      { clientOid: 'unknown-coid', category: 'SPOT', symbol: 'BTCUSDT' },
    ];
    const r = await call(s, s.unified, 'POST', '/api/v3/trade/cancel-batch', body);
    assert.equal(r.status, 200);
    assert.equal(r.body.code, '00000');
    const d = r.body.data;
    assert.ok(Array.isArray(d));
    assert.deepEqual(d[0], { orderId: ok.orderId, clientOid: ok.clientOid });
    assert.deepEqual(d[1], { orderId: '1234567890123456789', clientOid: '', code: '25204', msg: 'Order does not exist' });
    assert.deepEqual([d[2].orderId, d[2].code], [theirs.orderId, '25204']);
    assert.deepEqual([d[3].orderId, d[3].code], [done.orderId, '45134']);
    assert.deepEqual([d[4].orderId, d[4].code], [otherSymbol.orderId, '25204']);
    assert.deepEqual([d[5].orderId, d[5].code], [perp.orderId, '25204']);
    assert.deepEqual(d[6], { orderId: '', clientOid: 'unknown-coid', code: '25204', msg: 'Order does not exist' });
    assert.equal(await statusOf(ok.orderId), 'cancelled');
    assert.equal(await statusOf(theirs.orderId, s.otherUnified), 'live');
    assert.equal(await statusOf(otherSymbol.orderId), 'live');
    assert.equal(await statusOf(perp.orderId), 'live');
  });

  test('ccxt shape: lower-case category and symbol, clientOid items, futures category', async () => {
    const a = await place(s.unified, PERP);
    const b = await place(s.unified, PERP);
    const r = await call(s, s.unified, 'POST', '/api/v3/trade/cancel-batch', [
      { orderId: a.orderId, symbol: 'btcusdt', category: 'usdt-futures' },
      { clientOid: b.clientOid, symbol: 'BTCUSDT', category: 'USDT-FUTURES' },
    ]);
    assert.deepEqual(r.body.data, [a, b]);
    assert.equal(await statusOf(a.orderId), 'cancelled');
    assert.equal(await statusOf(b.orderId), 'cancelled');
  });

  test('orderId wins: the clientOid of the same item is ignored', async () => {
    const a = await place(s.unified);
    const b = await place(s.unified);
    const r = await call(s, s.unified, 'POST', '/api/v3/trade/cancel-batch', [
      { orderId: a.orderId, clientOid: b.clientOid, category: 'SPOT', symbol: 'BTCUSDT' },
    ]);
    assert.deepEqual(r.body.data, [{ orderId: a.orderId, clientOid: a.clientOid }]);
    assert.equal(await statusOf(a.orderId), 'cancelled');
    assert.equal(await statusOf(b.orderId), 'live');
    // an unknown orderId fails even though the clientOid names a live order, and the ignored clientOid is not echoed
    const miss = await call(s, s.unified, 'POST', '/api/v3/trade/cancel-batch', [
      { orderId: '1234567890123456789', clientOid: b.clientOid, category: 'SPOT', symbol: 'BTCUSDT' },
    ]);
    assert.deepEqual(miss.body.data, [{ orderId: '1234567890123456789', clientOid: '', code: '25204', msg: 'Order does not exist' }]);
    assert.equal(await statusOf(b.orderId), 'live');
  });

  test('the same order named twice is cancelled once; the repeat fails', async () => {
    const a = await place(s.unified);
    const item = { orderId: a.orderId, category: 'SPOT', symbol: 'BTCUSDT' };
    const r = await call(s, s.unified, 'POST', '/api/v3/trade/cancel-batch', [item, { clientOid: a.clientOid, category: 'SPOT', symbol: 'BTCUSDT' }]);
    assert.equal(r.body.data[0].code, undefined);
    assert.equal(r.body.data[1].code, '45134');
  });

  test('mixed categories reject the whole request (25200) and cancel nothing', async () => {
    const a = await place(s.unified);
    const b = await place(s.unified, PERP);
    const r = await call(s, s.unified, 'POST', '/api/v3/trade/cancel-batch', [
      { orderId: a.orderId, category: 'SPOT', symbol: 'BTCUSDT' },
      { orderId: b.orderId, category: 'USDT-FUTURES', symbol: 'BTCUSDT' },
    ]);
    assert.equal(r.status, 400);
    assert.equal(r.body.code, '25200');
    assert.match(r.body.msg, /category/);
    assert.equal(r.body.data, null);
    assert.equal(await statusOf(a.orderId), 'live');
    assert.equal(await statusOf(b.orderId), 'live');
  });

  test('21 items -> 40306 and nothing cancelled', async () => {
    const a = await place(s.unified);
    const items = Array.from({ length: 21 }, () => ({ orderId: a.orderId, category: 'SPOT', symbol: 'BTCUSDT' }));
    const r = await call(s, s.unified, 'POST', '/api/v3/trade/cancel-batch', items);
    assert.deepEqual([r.status, r.body.code], [400, '40306']);
    assert.equal(r.body.msg, 'Batch processing orders can only process up to 20');
    assert.equal(await statusOf(a.orderId), 'live');
    const twenty = await call(s, s.unified, 'POST', '/api/v3/trade/cancel-batch', items.slice(0, 20));
    assert.equal(twenty.body.code, '00000');
    assert.equal(twenty.body.data.length, 20);
    assert.equal(twenty.body.data.filter((x: { code?: string }) => x.code === undefined).length, 1);
  });

  test('malformed bodies: object, empty array, missing symbol/category, no id', async () => {
    const a = await place(s.unified);
    const post = (b: unknown) => call(s, s.unified, 'POST', '/api/v3/trade/cancel-batch', b);
    const obj = await post({ orderId: a.orderId, category: 'SPOT', symbol: 'BTCUSDT' });
    assert.deepEqual([obj.status, obj.body.code], [400, '40017']);
    assert.match(obj.body.msg, /array/);
    assert.equal((await post([])).body.code, '40019');
    const noSym = await post([{ orderId: a.orderId, category: 'SPOT' }]);
    assert.deepEqual([noSym.body.code, noSym.body.msg], ['40019', 'Parameter symbol cannot be empty']);
    const noCat = await post([{ orderId: a.orderId, symbol: 'BTCUSDT' }]);
    assert.deepEqual([noCat.body.code, noCat.body.msg], ['40019', 'Parameter category cannot be empty']);
    assert.equal((await post([{ orderId: a.orderId, category: 'FOO', symbol: 'BTCUSDT' }])).body.code, '40020');
    assert.equal((await post([{ category: 'SPOT', symbol: 'BTCUSDT' }])).body.code, '40924');
    assert.equal((await post([{ orderId: 123, category: 'SPOT', symbol: 'BTCUSDT' }])).body.code, '40020');
    const empty = await call(s, s.unified, 'POST', '/api/v3/trade/cancel-batch', undefined);
    assert.equal(empty.body.code, '40017');
    assert.equal(await statusOf(a.orderId), 'live');
  });

  test('a classic key gets 40084, a read-only unified key 40014', async () => {
    const a = await place(s.unified);
    const items = [{ orderId: a.orderId, category: 'SPOT', symbol: 'BTCUSDT' }];
    const c = await call(s, s.classic, 'POST', '/api/v3/trade/cancel-batch', items);
    assert.deepEqual([c.status, c.body.code], [400, '40084']);
    const r = await call(s, readKey, 'POST', '/api/v3/trade/cancel-batch', items);
    assert.deepEqual([r.status, r.body.code], [400, '40014']);
    assert.equal(await statusOf(a.orderId), 'live');
  });

  test('a partially filled order is cancelled with its filled part kept', async () => {
    const a = await place(s.unified);
    await s.og.engine.fill(a.orderId, '0.004');
    const r = await call(s, s.unified, 'POST', '/api/v3/trade/cancel-batch', [{ orderId: a.orderId, category: 'SPOT', symbol: 'BTCUSDT' }]);
    assert.equal(r.body.data[0].code, undefined);
    const o = (await info(a.orderId)).body.data;
    assert.deepEqual([o.orderStatus, o.cumExecQty, o.cancelReason], ['cancelled', '0.004', 'normal_cancel']);
  });
});

describe('POST /api/v3/trade/cancel-symbol-order', () => {
  test('with symbol: cancels only that symbol in the category; without: the whole category', async () => {
    const k = await freshUnified();
    const btc1 = await place(k);
    const btc2 = await place(k);
    const eth = await place(k, { symbol: 'ETHUSDT', qty: '0.1', price: '2000' });
    const perp = await place(k, PERP);
    const mine = await place(s.unified);

    const r = await call(s, k, 'POST', '/api/v3/trade/cancel-symbol-order', { category: 'SPOT', symbol: 'BTCUSDT' });
    assert.equal(r.body.code, '00000');
    const ids = r.body.data.list.map((x: { orderId: string }) => x.orderId).sort();
    assert.deepEqual(ids, [btc1.orderId, btc2.orderId].sort());
    assert.deepEqual(r.body.data.list.find((x: { orderId: string }) => x.orderId === btc1.orderId), btc1);
    assert.equal(await statusOf(eth.orderId, k), 'live');

    const all = await call(s, k, 'POST', '/api/v3/trade/cancel-symbol-order', { category: 'spot' });
    assert.deepEqual(all.body.data.list, [eth]);
    assert.equal(await statusOf(eth.orderId, k), 'cancelled');
    assert.equal(await statusOf(perp.orderId, k), 'live');
    assert.equal(await statusOf(mine.orderId), 'live');

    const none = await call(s, k, 'POST', '/api/v3/trade/cancel-symbol-order', { category: 'SPOT' });
    assert.deepEqual(none.body.data, { list: [] });
    const perpAll = await call(s, k, 'POST', '/api/v3/trade/cancel-symbol-order', { category: 'USDT-FUTURES' });
    assert.deepEqual(perpAll.body.data.list, [perp]);
  });

  test('category is required', async () => {
    const r = await call(s, s.unified, 'POST', '/api/v3/trade/cancel-symbol-order', { symbol: 'BTCUSDT' });
    assert.deepEqual([r.body.code, r.body.msg], ['40019', 'Parameter category cannot be empty']);
  });
});

describe('GET /api/v3/trade/order-info', () => {
  test('reports fills: partially_filled then filled with cumExecQty/cumExecValue/avgPrice', async () => {
    const a = await place(s.unified, { qty: '0.02' });
    await s.og.engine.fill(a.orderId, '0.005');
    let o = (await call(s, s.unified, 'GET', `/api/v3/trade/order-info?clientOid=${a.clientOid}`)).body.data;
    assert.deepEqual([o.orderStatus, o.cumExecQty, o.cumExecValue, o.avgPrice], ['partially_filled', '0.005', '150', '30000']);
    await s.og.engine.fill(a.orderId);
    o = (await info(a.orderId)).body.data;
    assert.deepEqual([o.orderStatus, o.cumExecQty, o.cumExecValue], ['filled', '0.02', '600']);
    assert.ok(Array.isArray(o.feeDetail));
    assert.match(o.createdTime, /^\d{13}$/);
    assert.ok(Number(o.updatedTime) >= Number(o.createdTime));
    const c = await call(s, s.unified, 'POST', '/api/v3/trade/cancel-order', { orderId: a.orderId });
    assert.equal(c.body.code, '45134');
  });

  test('a spot market buy is quote-sized: qty "0", amount = quote amount', async () => {
    const { orderId } = await place(s.unified, { orderType: 'market', price: '', qty: '100' });
    const o = (await info(orderId)).body.data;
    assert.deepEqual([o.qty, o.amount, o.orderStatus], ['0', '100', 'cancelled']);
  });

  test('unknown or foreign -> 25204, no id -> 40924, read key allowed, classic key 40084', async () => {
    const theirs = await place(s.otherUnified);
    assert.equal((await info('1234567890123456789')).body.code, '25204');
    assert.equal((await info(theirs.orderId)).body.code, '25204');
    assert.equal((await call(s, s.unified, 'GET', '/api/v3/trade/order-info')).body.code, '40924');
    const mine = await place(s.unified);
    assert.equal((await info(mine.orderId, readKey)).body.data.orderId, mine.orderId);
    assert.equal((await info(mine.orderId, s.classic)).body.code, '40084');
  });
});

describe('GET /api/v3/trade/unfilled-orders and history-orders', () => {
  test('cursor paging walks open orders newest first; cursor "" on the last page', async () => {
    const k = await freshUnified();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await place(k, { category: 'COIN-FUTURES', symbol: 'BTCUSD', qty: '1', price: '30000' })).orderId);
    const seen: string[] = [];
    let cursor = '';
    let pages = 0;
    do {
      const r = await call(s, k, 'GET', `/api/v3/trade/unfilled-orders?category=COIN-FUTURES&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      assert.equal(r.body.code, '00000', JSON.stringify(r.body));
      assert.ok(r.body.data.list.length <= 2);
      seen.push(...r.body.data.list.map((o: { orderId: string }) => o.orderId));
      cursor = r.body.data.cursor;
      pages++;
    } while (cursor !== '' && pages < 10);
    assert.equal(pages, 3);
    assert.deepEqual(seen, [...ids].reverse());
  });

  test('filters by category and symbol; history holds finished orders and needs a category', async () => {
    const k = await freshUnified();
    const btc = await place(k, PERP);
    const eth = await place(k, { category: 'USDT-FUTURES', symbol: 'ETHUSDT', qty: '1', price: '2000' });
    const all = (await call(s, k, 'GET', '/api/v3/trade/unfilled-orders')).body.data.list;
    assert.deepEqual(all.map((o: { orderId: string }) => o.orderId), [eth.orderId, btc.orderId]);
    const btcOnly = (await call(s, k, 'GET', '/api/v3/trade/unfilled-orders?category=USDT-FUTURES&symbol=BTCUSDT')).body.data.list;
    assert.deepEqual(btcOnly.map((o: { orderId: string }) => o.orderId), [btc.orderId]);
    assert.deepEqual((await call(s, k, 'GET', '/api/v3/trade/unfilled-orders?category=SPOT')).body.data.list, []);

    await call(s, k, 'POST', '/api/v3/trade/cancel-order', { orderId: eth.orderId });
    const open = (await call(s, k, 'GET', '/api/v3/trade/unfilled-orders?category=USDT-FUTURES&symbol=ETHUSDT')).body.data;
    assert.deepEqual(open, { list: [], cursor: '' });
    const hist = (await call(s, k, 'GET', '/api/v3/trade/history-orders?category=USDT-FUTURES&symbol=ETHUSDT')).body.data;
    assert.equal(hist.list.length, 1);
    assert.deepEqual([hist.list[0].orderId, hist.list[0].orderStatus, hist.list[0].category], [eth.orderId, 'cancelled', 'USDT-FUTURES']);
    assert.equal(hist.cursor, '');

    const noCat = await call(s, k, 'GET', '/api/v3/trade/history-orders');
    assert.deepEqual([noCat.body.code, noCat.body.msg], ['40019', 'Parameter category cannot be empty']);
  });

  test('malformed paging fields are 40020', async () => {
    for (const q of ['limit=101', 'limit=0', 'cursor=abc', 'startTime=yesterday', 'category=FOO']) {
      const r = await call(s, s.unified, 'GET', `/api/v3/trade/unfilled-orders?${q}`);
      assert.equal(r.body.code, '40020', q);
    }
  });

  test('another UID sees none of these orders', async () => {
    const mine = await place(s.unified);
    const theirs = (await call(s, s.otherUnified, 'GET', '/api/v3/trade/unfilled-orders?category=SPOT&limit=100')).body.data.list;
    assert.ok(!theirs.some((o: { orderId: string }) => o.orderId === mine.orderId));
  });
});

describe('GET /api/v3/account/settings', () => {
  test('unified keys (trade or read) get the settings; a classic key gets 40084', async () => {
    const r = await call(s, s.unified, 'GET', '/api/v3/account/settings');
    assert.equal(r.body.code, '00000');
    assert.deepEqual(r.body.data, {
      uid: s.unified.uid,
      accountMode: 'unified',
      assetMode: 'single',
      holdMode: 'one_way_mode',
      stpMode: 'none',
      symbolConfigList: [],
      coinConfigList: [],
    });
    assert.equal((await call(s, readKey, 'GET', '/api/v3/account/settings')).body.code, '00000');
    const c = await call(s, s.classic, 'GET', '/api/v3/account/settings');
    assert.deepEqual([c.status, c.body.code], [400, '40084']);
  });
});

describe('rate limits (reference §7)', () => {
  test('cancel-batch allows 5 requests per second per UID, then 429', async () => {
    const rl = await startTestServer({ rateLimit: true });
    try {
      const codes: string[] = [];
      for (let i = 0; i < 6; i++) {
        const r = await call(rl, rl.unified, 'POST', '/api/v3/trade/cancel-batch', [{ orderId: '1', category: 'SPOT', symbol: 'BTCUSDT' }]);
        codes.push(r.status === 429 ? '429' : r.body.code);
      }
      assert.deepEqual(codes, ['00000', '00000', '00000', '00000', '00000', '429']);
      // another UID has its own bucket
      const other = await call(rl, rl.otherUnified, 'POST', '/api/v3/trade/cancel-batch', [{ orderId: '1', category: 'SPOT', symbol: 'BTCUSDT' }]);
      assert.equal(other.body.code, '00000');
    } finally {
      await rl.close();
    }
  });
});
