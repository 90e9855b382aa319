/**
 * The dialects as plain functions, without HTTP: request -> canonical request mapping and
 * order renderers (the API WebSocket pushes use too).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { refuseUnknownFields, refuseUnsupported, single, toV2Batch, toV3Items } from '../../src/dialects/common/index.js';
import { renderMarginOrder } from '../../src/dialects/margin/index.js';
import { mixBatchCancelRequest, mixPlaceRequest, renderMixOrder } from '../../src/dialects/mix/index.js';
import { renderSpotOpenOrder, spotBatchCancelRequest, spotPlaceRequest } from '../../src/dialects/spot/index.js';
import { renderUtaOrder, utaCancelBatchRequest } from '../../src/dialects/uta/index.js';
import { BitgetError } from '../../src/domain/errors.js';
import type { Order } from '../../src/domain/types.js';

const order = (p: Partial<Order> = {}): Order => ({
  orderId: '1911952662692364288',
  uid: '1000000001',
  category: 'USDT-FUTURES',
  marginMode: 'crossed',
  symbol: 'BTCUSDT',
  marginCoin: 'USDT',
  side: 'buy',
  orderType: 'limit',
  force: 'gtc',
  price: '30000',
  size: '0.02',
  filledSize: '0.01',
  filledQuote: '300',
  status: 'cancelled',
  clientOid: 'c1',
  cancelReason: 'normal_cancel',
  cTime: '1700000000000',
  uTime: '1700000001000',
  extra: {},
  ...p,
});

const code = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (e) {
    return e instanceof BitgetError ? `${e.code} ${e.message}` : 'not a BitgetError';
  }
  return undefined;
};

test('each dialect spells a cancelled, partly filled order its own way', () => {
  const o = order();
  const mix = renderMixOrder(o);
  assert.deepEqual([mix.status, mix.state, mix.priceAvg, mix.baseVolume], ['canceled', 'canceled', '30000', '0.01']);
  assert.equal(renderUtaOrder(o).orderStatus, 'cancelled');
  assert.equal(renderMarginOrder(order({ category: 'MARGIN', status: 'partially_filled' })).status, 'partial_fill');
  assert.equal(renderSpotOpenOrder(order({ category: 'SPOT', status: 'live' })).priceAvg, '30000');
});

test('batch outcomes render as v2 lists and v3 items; a single failure throws its own code', () => {
  const outcomes = [
    { ok: true as const, orderId: '1', clientOid: 'a' },
    { ok: false as const, orderId: '2', clientOid: '', code: '40768', msg: 'Order does not exist' },
  ];
  assert.deepEqual(toV2Batch(outcomes), {
    successList: [{ orderId: '1', clientOid: 'a' }],
    failureList: [{ orderId: '2', clientOid: '', errorMsg: 'Order does not exist', errorCode: '40768' }],
  });
  assert.deepEqual(toV3Items(outcomes)[1], { orderId: '2', clientOid: '', code: '40768', msg: 'Order does not exist' });
  assert.equal(code(() => single([outcomes[1]])), '40768 Order does not exist');
});

test('place bodies map to canonical commands; unsupported and unknown fields are refused', () => {
  const [cmd] = spotPlaceRequest('7', { symbol: 'btcusdt', side: 'BUY', orderType: 'limit', force: 'GTC', price: '1', size: '2' }, Date.now());
  assert.deepEqual([cmd.category, cmd.symbol, cmd.side, cmd.force, cmd.marginMode], ['SPOT', 'BTCUSDT', 'buy', 'gtc', null]);
  const mixBody = { symbol: 'BTCUSDT', productType: 'usdt-futures', marginMode: 'crossed', marginCoin: 'usdt', size: '1', side: 'buy', orderType: 'market' };
  assert.equal(mixPlaceRequest('7', mixBody, Date.now())[0].marginCoin, 'USDT');
  assert.equal(
    code(() => mixPlaceRequest('7', { ...mixBody, presetStopLossPrice: '1' }, Date.now())),
    '40017 Parameter verification failed presetStopLossPrice is not supported by ordergate',
  );
  assert.equal(code(() => refuseUnsupported({ takeProfit: '1e5' }, { takeProfit: 'price' })), '40020 Parameter takeProfit error');
  assert.equal(code(() => refuseUnsupported({ takeProfit: '' }, { takeProfit: 'price' })), undefined);
  assert.equal(code(() => refuseUnknownFields({ a: 1, b: 2 }, new Set(['a']))), '40017 Parameter verification failed b is not supported by ordergate');
});

test('cancel bodies map to a cancel by ids or by scope', () => {
  assert.deepEqual(mixBatchCancelRequest('7', { productType: 'USDT-FUTURES', symbol: 'btcusdt' }), {
    scope: { uid: '7', categories: ['USDT-FUTURES'], symbol: 'BTCUSDT', marginCoin: undefined },
  });
  const byIds = spotBatchCancelRequest('7', { batchMode: 'multiple', orderList: [{ symbol: 'ethusdt', orderId: '9' }] });
  assert.deepEqual(byIds, { target: { uid: '7', categories: ['SPOT'] }, items: [{ ref: { orderId: '9', clientOid: undefined }, symbol: 'ETHUSDT' }] });
  assert.equal(
    code(() => utaCancelBatchRequest('7', [{ category: 'SPOT', symbol: 'BTCUSDT', orderId: '1' }, { category: 'MARGIN', symbol: 'BTCUSDT', orderId: '2' }])),
    '25200 category validation error: all orders must have the same category',
  );
});
