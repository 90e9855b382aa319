/**
 * Parameters ordergate does not implement are refused, never accepted and ignored (issue 9
 * item 8): trigger orders and preset take-profit / stop-loss in every dialect, and any field a
 * place endpoint's schema does not know. Each refusal is a Bitget 40017 naming the field, a
 * malformed value of such a field keeps its 40020, and nothing reaches the store.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CATEGORIES } from '../../../src/domain/types.js';
import { call, startTestServer, type TestKey, type TestServer } from '../../helpers.js';

let s: TestServer;
before(async () => {
  s = await startTestServer();
});
after(() => s.close());

/** Every order of `key`'s UID, open and finished, as ids (the store's view). */
async function ordersOf(key: TestKey): Promise<string[]> {
  const open = await s.og.engine.listOrders({ uid: key.uid, categories: CATEGORIES, open: true, limit: 100 });
  const done = await s.og.engine.listOrders({ uid: key.uid, categories: CATEGORIES, open: false, limit: 100 });
  return [...open, ...done].map((o) => o.orderId).sort();
}

const notSupported = (field: string) => `Parameter verification failed ${field} is not supported by ordergate`;

/** Sends `body`, expects HTTP 400 with `code`/`msg`, and the UID's orders unchanged. */
async function refused(key: TestKey, path: string, body: unknown, code: string, msg: string): Promise<void> {
  const before = await ordersOf(key);
  const r = await call(s, key, 'POST', path, body);
  assert.equal(r.status, 400, JSON.stringify([body, r.body]));
  assert.deepEqual([r.body.code, r.body.msg, r.body.data], [code, msg, null], JSON.stringify(body));
  assert.deepEqual(await ordersOf(key), before, 'store changed');
}

const SPOT = { symbol: 'BTCUSDT', side: 'buy', orderType: 'limit', force: 'gtc', price: '30000', size: '0.001' };
const MIX = {
  symbol: 'BTCUSDT',
  productType: 'USDT-FUTURES',
  marginMode: 'crossed',
  marginCoin: 'USDT',
  size: '0.01',
  price: '30000',
  side: 'buy',
  orderType: 'limit',
  force: 'gtc',
};
const MARGIN = { symbol: 'BTCUSDT', side: 'buy', orderType: 'limit', force: 'gtc', loanType: 'normal', price: '30000', baseSize: '0.001' };
const UTA = { category: 'USDT-FUTURES', symbol: 'BTCUSDT', qty: '0.01', price: '30000', side: 'buy', orderType: 'limit' };

describe('spot: trigger and TP/SL fields', () => {
  const P = '/api/v2/spot/trade/place-order';
  for (const [field, value] of [
    ['triggerPrice', '31000'],
    ['tpslType', 'TPSL'],
    ['presetTakeProfitPrice', '40000'],
    ['executeTakeProfitPrice', '40000'],
    ['presetStopLossPrice', '25000'],
    ['executeStopLossPrice', '25000'],
  ] as const) {
    test(`${field} is refused with 40017 naming it`, async () => {
      await refused(s.classic, P, { ...SPOT, [field]: value }, '40017', notSupported(field));
    });
  }
  test('a malformed preset price is still 40020; empty values and tpslType=normal are accepted', async () => {
    await refused(s.classic, P, { ...SPOT, presetStopLossPrice: 'abc' }, '40020', 'Parameter presetStopLossPrice error');
    const ok = await call(s, s.classic, 'POST', P, { ...SPOT, tpslType: 'normal', triggerPrice: '', presetTakeProfitPrice: '' });
    assert.equal(ok.body.code, '00000', JSON.stringify(ok.body));
  });
  test('batch-orders: the item with a trigger fails alone, the other is placed', async () => {
    const r = await call(s, s.classic, 'POST', '/api/v2/spot/trade/batch-orders', {
      symbol: 'BTCUSDT',
      orderList: [{ ...SPOT, symbol: undefined, triggerPrice: '31000', clientOid: 'trig-1' }, { ...SPOT, symbol: undefined, clientOid: 'plain-1' }],
    });
    assert.equal(r.body.code, '00000', JSON.stringify(r.body));
    assert.deepEqual(r.body.data.failureList, [{ orderId: '', clientOid: 'trig-1', errorMsg: notSupported('triggerPrice'), errorCode: '40017' }]);
    assert.equal(r.body.data.successList.length, 1);
  });
});

describe('mix: preset take-profit / stop-loss', () => {
  const P = '/api/v2/mix/order/place-order';
  for (const field of ['presetStopSurplusPrice', 'presetStopLossPrice', 'presetStopSurplusExecutePrice', 'presetStopLossExecutePrice']) {
    test(`${field}: any text is 40020, a price is refused with 40017`, async () => {
      await refused(s.classic, P, { ...MIX, [field]: 'hello<script>' }, '40020', `Parameter ${field} error`);
      await refused(s.classic, P, { ...MIX, [field]: '35000' }, '40017', notSupported(field));
    });
  }
  test('batch-place-order: a preset item fails alone', async () => {
    const r = await call(s, s.classic, 'POST', '/api/v2/mix/order/batch-place-order', {
      symbol: 'BTCUSDT',
      productType: 'USDT-FUTURES',
      marginMode: 'crossed',
      marginCoin: 'USDT',
      orderList: [{ size: '0.01', price: '30000', side: 'buy', orderType: 'limit', presetStopLossPrice: '25000', clientOid: 'mix-sl' }],
    });
    assert.deepEqual(r.body.data, { successList: [], failureList: [{ orderId: '', clientOid: 'mix-sl', errorMsg: notSupported('presetStopLossPrice'), errorCode: '40017' }] });
  });
});

describe('v3: trigger fields', () => {
  const P = '/api/v3/trade/place-order';
  for (const [field, value] of [
    ['takeProfit', '40000'],
    ['stopLoss', '25000'],
    ['tpTriggerBy', 'mark'],
    ['slTriggerBy', 'MARKET'],
    ['tpOrderType', 'limit'],
    ['slOrderType', 'market'],
    ['tpLimitPrice', '40000'],
    ['slLimitPrice', '25000'],
  ] as const) {
    test(`${field} is refused with 40017 naming it`, async () => {
      await refused(s.unified, P, { ...UTA, [field]: value }, '40017', notSupported(field));
    });
  }
  test('the stop a bot thinks it has: a market order with a stopLoss is refused, not placed and cancelled', async () => {
    await refused(s.unified, P, { ...UTA, orderType: 'market', price: undefined, stopLoss: '25000', slTriggerBy: 'mark' }, '40017', notSupported('stopLoss'));
  });
  test('malformed trigger values keep their 40020', async () => {
    await refused(s.unified, P, { ...UTA, takeProfit: 'x' }, '40020', 'Parameter takeProfit error');
    await refused(s.unified, P, { ...UTA, tpTriggerBy: 'index' }, '40020', 'Parameter tpTriggerBy error');
  });
  test('place-batch: the item with a trigger fails alone', async () => {
    const r = await call(s, s.unified, 'POST', '/api/v3/trade/place-batch', [{ ...UTA, takeProfit: '40000', clientOid: 'v3-tp' }]);
    assert.deepEqual(r.body.data, [{ orderId: '', clientOid: 'v3-tp', code: '40017', msg: notSupported('takeProfit') }]);
  });
});

describe('fields a place endpoint does not know are refused, not ignored', () => {
  test('spot, mix, margin crossed and isolated, v3 place-order', async () => {
    await refused(s.classic, '/api/v2/spot/trade/place-order', { ...SPOT, icebergQty: '1' }, '40017', notSupported('icebergQty'));
    await refused(s.classic, '/api/v2/mix/order/place-order', { ...MIX, posSide: 'long' }, '40017', notSupported('posSide'));
    await refused(s.classic, '/api/v2/margin/crossed/place-order', { ...MARGIN, triggerPrice: '1' }, '40017', notSupported('triggerPrice'));
    await refused(s.classic, '/api/v2/margin/isolated/place-order', { ...MARGIN, foo: 'bar' }, '40017', notSupported('foo'));
    await refused(s.unified, '/api/v3/trade/place-order', { ...UTA, triggerPrice: '31000' }, '40017', notSupported('triggerPrice'));
  });
  test('batch bodies: an unknown top-level field rejects the request, an unknown item field fails the item', async () => {
    await refused(
      s.classic,
      '/api/v2/margin/crossed/batch-place-order',
      { symbol: 'BTCUSDT', orderList: [MARGIN], loanMode: 'x' },
      '40017',
      notSupported('loanMode'),
    );
    const r = await call(s, s.classic, 'POST', '/api/v2/margin/crossed/batch-place-order', {
      symbol: 'BTCUSDT',
      orderList: [{ ...MARGIN, symbol: undefined, clientOid: 'm-x', stopPrice: '1' }],
    });
    assert.deepEqual(r.body.data.failureList, [{ orderId: '', clientOid: 'm-x', errorMsg: notSupported('stopPrice'), errorCode: '40017' }]);
  });
});

describe('requestTime / receiveWindow on every place endpoint: enforced, neither refused nor ignored', () => {
  const tooWide = { requestTime: String(Date.now()), receiveWindow: '60001' };
  test('mix and margin batch-place-order, v3 place-order: a window over 60 s is 40079, nothing placed', async () => {
    const mixItem = { size: '0.01', price: '30000', side: 'buy', orderType: 'limit' };
    await refused(
      s.classic,
      '/api/v2/mix/order/batch-place-order',
      { symbol: 'BTCUSDT', productType: 'USDT-FUTURES', marginMode: 'crossed', marginCoin: 'USDT', orderList: [mixItem], ...tooWide },
      '40079',
      'receiveWindow timestamp must be less than 60s',
    );
    const { symbol: _s, ...marginItem } = MARGIN;
    await refused(s.classic, '/api/v2/margin/isolated/batch-place-order', { symbol: 'BTCUSDT', orderList: [marginItem], ...tooWide }, '40079', 'receiveWindow timestamp must be less than 60s');
    await refused(s.unified, '/api/v3/trade/place-order', { ...UTA, ...tooWide }, '40079', 'receiveWindow timestamp must be less than 60s');
    // inside the window they are accepted
    const ok = await call(s, s.unified, 'POST', '/api/v3/trade/place-order', { ...UTA, requestTime: String(Date.now()), receiveWindow: '10000' });
    assert.equal(ok.body.code, '00000', JSON.stringify(ok.body));
  });
});
