/**
 * v2 futures ("mix") endpoints as a Bitget client sees them (reference §4.2; seed pages 000
 * batch-cancel-orders and 004 cancel-all-orders).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createKey } from '../../../src/accounts/keys.js';
import { call, placeMix, startTestServer, type TestKey, type TestServer } from '../../helpers.js';

let s: TestServer;
before(async () => {
  s = await startTestServer();
});
after(() => s.close());

const P = '/api/v2/mix/order';
let nextUid = 5000;
/** A classic trade key on a fresh UID, so each test starts with no orders. */
async function fresh(): Promise<TestKey> {
  const uid = String(nextUid++);
  const k = await createKey(s.og.store.keys, s.og.master, { uid, mode: 'classic', permission: 'trade', ips: [] });
  await s.og.keyring.refresh();
  return { uid, apiKey: k.apiKey, secretKey: k.secretKey, passphrase: k.passphrase };
}

const placeBody = (p: Record<string, unknown> = {}) => ({
  symbol: 'BTCUSDT',
  productType: 'USDT-FUTURES',
  marginMode: 'crossed',
  marginCoin: 'USDT',
  size: '0.01',
  price: '30000',
  side: 'buy',
  orderType: 'limit',
  force: 'gtc',
  ...p,
});

async function place(key: TestKey, p: Record<string, unknown> = {}): Promise<string> {
  const r = await call(s, key, 'POST', `${P}/place-order`, placeBody(p));
  assert.equal(r.body.code, '00000', JSON.stringify(r.body));
  return r.body.data.orderId;
}

async function pending(key: TestKey, query = 'productType=USDT-FUTURES'): Promise<any[]> {
  const r = await call(s, key, 'GET', `${P}/orders-pending?${query}`);
  assert.equal(r.body.code, '00000', JSON.stringify(r.body));
  return r.body.data.entrustedList;
}

async function detail(key: TestKey, orderId: string, symbol = 'BTCUSDT', productType = 'USDT-FUTURES'): Promise<any> {
  const r = await call(s, key, 'GET', `${P}/detail?symbol=${symbol}&productType=${productType}&orderId=${orderId}`);
  assert.equal(r.body.code, '00000', JSON.stringify(r.body));
  return r.body.data;
}

function expectFail(r: { status: number; body: any }, code: string, msg?: string): void {
  assert.equal(r.status, 400, JSON.stringify(r.body));
  assert.equal(r.body.code, code, JSON.stringify(r.body));
  if (msg !== undefined) assert.equal(r.body.msg, msg);
  assert.equal(r.body.data, null);
}

const DETAIL_FIELDS = [
  'symbol', 'size', 'orderId', 'clientOid', 'baseVolume', 'priceAvg', 'fee', 'price', 'state', 'status', 'side', 'force',
  'totalProfits', 'posSide', 'marginCoin', 'presetStopSurplusPrice', 'presetStopLossPrice', 'quoteVolume', 'orderType',
  'leverage', 'marginMode', 'reduceOnly', 'enterPointSource', 'tradeSide', 'posMode', 'orderSource', 'cancelReason', 'cTime', 'uTime',
];

test('place-order: returns {orderId, clientOid}; the order rests live with mix field names', async () => {
  const k = await fresh();
  const before = Date.now();
  const r = await call(s, k, 'POST', `${P}/place-order`, placeBody({ clientOid: 'my-1', price: '30000.5' }));
  assert.equal(r.status, 200);
  assert.equal(r.body.code, '00000');
  assert.deepEqual(Object.keys(r.body.data).sort(), ['clientOid', 'orderId']);
  assert.match(r.body.data.orderId, /^\d{19}$/);
  assert.equal(r.body.data.clientOid, 'my-1');
  const d = await detail(k, r.body.data.orderId);
  for (const f of DETAIL_FIELDS) assert.equal(typeof d[f], 'string', `${f} is a string`);
  assert.equal(d.orderId, r.body.data.orderId);
  assert.equal(d.clientOid, 'my-1');
  assert.equal(d.symbol, 'BTCUSDT');
  assert.equal(d.size, '0.01');
  assert.equal(d.price, '30000.5');
  assert.equal(d.status, 'live');
  assert.equal(d.state, 'live');
  assert.equal(d.baseVolume, '0');
  assert.equal(d.priceAvg, '0');
  assert.equal(d.side, 'buy');
  assert.equal(d.force, 'gtc');
  assert.equal(d.orderType, 'limit');
  assert.equal(d.marginCoin, 'USDT');
  assert.equal(d.marginMode, 'crossed');
  assert.equal(d.reduceOnly, 'NO');
  assert.equal(d.cancelReason, '');
  assert.ok(Number(d.cTime) >= before - 1000 && Number(d.cTime) <= Date.now() + 1000);
  assert.equal(d.uTime, d.cTime);
});

test('place-order accepts the spellings clients send: GTC, usdt-futures, lower-case symbol, YES', async () => {
  const k = await fresh();
  const id = await place(k, { force: 'GTC', productType: 'usdt-futures', symbol: 'btcusdt', marginCoin: 'usdt', reduceOnly: 'yes', side: 'SELL', orderType: 'LIMIT' });
  const d = await detail(k, id);
  assert.equal(d.force, 'gtc');
  assert.equal(d.reduceOnly, 'YES');
  assert.equal(d.side, 'sell');
  // demo product type maps onto the same book
  const id2 = await place(k, { productType: 'SUSDT-FUTURES' });
  assert.equal((await detail(k, id2)).status, 'live');
  // hedge-mode tradeSide
  const id3 = await place(k, { tradeSide: 'Open' });
  const d3 = await detail(k, id3);
  assert.equal(d3.tradeSide, 'open');
  assert.equal(d3.posMode, 'hedge_mode');
});

test('place-order validation codes', async () => {
  const k = await fresh();
  const bad = (p: Record<string, unknown>) => call(s, k, 'POST', `${P}/place-order`, placeBody(p));
  expectFail(await bad({ symbol: 'NOPEUSDT' }), '40072', 'symbol NOPEUSDT is Invalid or not supported mix contract trade');
  expectFail(await bad({ symbol: 'BTCUSD' }), '40072'); // a COIN-FUTURES symbol under USDT-FUTURES
  expectFail(await bad({ price: '30000.05' }), '40808', 'Parameter verification exception price checkBDScale error value=30000.05 checkScale=1');
  expectFail(await bad({ size: '0.00015' }), '40808');
  expectFail(await bad({ size: '0.0001' }), '45110', 'less than the minimum amount 5 USDT');
  expectFail(await bad({ size: '1000.1' }), '43007');
  expectFail(await bad({ price: undefined }), '40019', 'Parameter price cannot be empty');
  expectFail(await bad({ size: undefined }), '40019', 'Parameter size cannot be empty');
  expectFail(await bad({ marginMode: undefined }), '40019', 'Parameter marginMode cannot be empty');
  expectFail(await bad({ side: 'long' }), '40020', 'Parameter side error');
  expectFail(await bad({ orderType: 'stop' }), '40020', 'Parameter orderType error');
  expectFail(await bad({ force: 'day' }), '40020', 'Parameter force error');
  expectFail(await bad({ productType: 'SPOT' }), '40020', 'Parameter productType error');
  expectFail(await bad({ marginMode: 'cross' }), '40020', 'Parameter marginMode error');
  expectFail(await bad({ marginCoin: 'BTC' }), '40020', 'Parameter marginCoin error');
  expectFail(await bad({ size: '-1' }), '40020', 'Parameter size error');
  expectFail(await bad({ size: 0.01 }), '40020', 'Parameter size error');
  expectFail(await bad({ clientOid: 'x'.repeat(65) }), '40305', 'clientOid or clientOrderId length cannot greater than 64, and cannot be Martian characters');
  expectFail(await bad({ clientOid: 'x'.repeat(300) }), '40020', 'Parameter clientOid error');
  expectFail(await bad({ clientOid: 'has space' }), '40305');
  await place(k, { clientOid: 'dup' });
  expectFail(await bad({ clientOid: 'dup' }), '45034', 'clientOid duplicate');
  // nothing but the one good order was created
  assert.equal((await pending(k)).length, 1);
});

test('place-order: market and ioc orders do not rest; a cancelled clientOid can be reused', async () => {
  const k = await fresh();
  const m = await place(k, { orderType: 'market', price: undefined, clientOid: 'again' });
  const ioc = await place(k, { force: 'ioc' });
  assert.equal((await detail(k, m)).status, 'canceled');
  assert.equal((await detail(k, ioc)).status, 'canceled');
  assert.equal((await pending(k)).length, 0);
  const again = await place(k, { clientOid: 'again' });
  assert.equal((await detail(k, again)).clientOid, 'again');
  // detail by clientOid finds the open one
  const byCoid = await call(s, k, 'GET', `${P}/detail?symbol=BTCUSDT&productType=USDT-FUTURES&clientOid=again`);
  assert.equal(byCoid.body.data.orderId, again);
});

test('batch-place-order: per-item success and failure lists; over 50 items is refused whole', async () => {
  const k = await fresh();
  const item = { size: '0.01', price: '30000', side: 'buy', orderType: 'limit', force: 'gtc' };
  const r = await call(s, k, 'POST', `${P}/batch-place-order`, {
    symbol: 'BTCUSDT',
    productType: 'USDT-FUTURES',
    marginMode: 'crossed',
    marginCoin: 'USDT',
    orderList: [
      { ...item, clientOid: 'a' },
      { ...item, size: '0.0001', clientOid: 'small' },
      { ...item, clientOid: 'a' },
      { ...item, price: '30000.01', clientOid: 'tick' },
      { ...item, side: 'sideways', clientOid: 'bad-side' },
      { ...item },
    ],
  });
  assert.equal(r.status, 200);
  assert.equal(r.body.code, '00000');
  assert.equal(r.body.data.successList.length, 2);
  assert.equal(r.body.data.successList[0].clientOid, 'a');
  assert.equal(r.body.data.successList[1].clientOid, '');
  assert.deepEqual(r.body.data.failureList, [
    { orderId: '', clientOid: 'small', errorMsg: 'less than the minimum amount 5 USDT', errorCode: '45110' },
    { orderId: '', clientOid: 'a', errorMsg: 'clientOid duplicate', errorCode: '45034' },
    { orderId: '', clientOid: 'tick', errorMsg: 'Parameter verification exception price checkBDScale error value=30000.01 checkScale=1', errorCode: '40808' },
    { orderId: '', clientOid: 'bad-side', errorMsg: 'Parameter side error', errorCode: '40020' },
  ]);
  assert.equal((await pending(k)).length, 2);
  const big = await call(s, k, 'POST', `${P}/batch-place-order`, {
    symbol: 'BTCUSDT',
    productType: 'USDT-FUTURES',
    marginMode: 'crossed',
    marginCoin: 'USDT',
    orderList: Array.from({ length: 51 }, () => item),
  });
  expectFail(big, '40017');
  assert.equal((await pending(k)).length, 2);
});

test('cancel-order: by orderId or clientOid; unknown, foreign, wrong symbol and finished orders', async () => {
  const k = await fresh();
  const stranger = await fresh();
  const [a, b, c] = [await place(k, { clientOid: 'ca' }), await place(k, { clientOid: 'cb' }), await place(k)];
  const cancel = (key: TestKey, p: Record<string, unknown>) =>
    call(s, key, 'POST', `${P}/cancel-order`, { symbol: 'BTCUSDT', productType: 'USDT-FUTURES', ...p });

  const r = await cancel(k, { orderId: a });
  assert.equal(r.status, 200);
  assert.deepEqual(r.body.data, { orderId: a, clientOid: 'ca' });
  const r2 = await cancel(k, { clientOid: 'cb', marginCoin: 'usdt' });
  assert.deepEqual(r2.body.data, { orderId: b, clientOid: 'cb' });

  expectFail(await cancel(k, { orderId: a }), '40769', 'Reject order has been completed');
  expectFail(await cancel(k, { orderId: '1234567890123456789' }), '40768', 'Order does not exist');
  expectFail(await cancel(stranger, { orderId: c }), '40768', 'Order does not exist');
  expectFail(await cancel(k, { orderId: c, symbol: 'ETHUSDT' }), '40768');
  expectFail(await cancel(k, { orderId: c, productType: 'COIN-FUTURES' }), '40768');
  expectFail(await cancel(k, { orderId: c, marginCoin: 'USDC' }), '40768');
  expectFail(await cancel(k, { clientOid: 'nope' }), '40768');
  // orderId wins over clientOid
  const r3 = await cancel(k, { orderId: c, clientOid: 'ca' });
  assert.deepEqual(r3.body.data, { orderId: c, clientOid: '' });
  assert.equal((await pending(k)).length, 0);
});

test('concurrent requests: one order cancelled once, one clientOid placed once', async () => {
  const k = await fresh();
  const id = await place(k);
  const cancels = await Promise.all(
    Array.from({ length: 6 }, () => call(s, k, 'POST', `${P}/cancel-order`, { symbol: 'BTCUSDT', productType: 'USDT-FUTURES', orderId: id })),
  );
  assert.equal(cancels.filter((r) => r.body.code === '00000').length, 1);
  assert.equal(cancels.filter((r) => r.body.code === '40769').length, 5);
  const batches = await Promise.all(
    Array.from({ length: 3 }, () =>
      call(s, k, 'POST', `${P}/batch-cancel-orders`, { symbol: 'BTCUSDT', productType: 'USDT-FUTURES', orderIdList: [{ orderId: id }] }),
    ),
  );
  assert.ok(batches.every((r) => r.body.data.successList.length === 0 && r.body.data.failureList[0].errorCode === '40769'));

  const places = await Promise.all(Array.from({ length: 6 }, () => call(s, k, 'POST', `${P}/place-order`, placeBody({ clientOid: 'race' }))));
  assert.equal(places.filter((r) => r.body.code === '00000').length, 1);
  assert.equal(places.filter((r) => r.body.code === '45034').length, 5);
  assert.deepEqual((await pending(k)).map((o) => o.clientOid), ['race']);
});

test('cancel-order: requestTime / receiveWindow (40078, 40079, 40020)', async () => {
  const k = await fresh();
  const id = await place(k);
  const cancel = (p: Record<string, unknown>) => call(s, k, 'POST', `${P}/cancel-order`, { symbol: 'BTCUSDT', productType: 'USDT-FUTURES', orderId: id, ...p });
  expectFail(await cancel({ requestTime: String(Date.now() - 10_000), receiveWindow: '5000' }), '40078', 'Timestamp for this request is outside of the ME receiveWindow.');
  expectFail(await cancel({ requestTime: String(Date.now()), receiveWindow: '60001' }), '40079', 'receiveWindow timestamp must be less than 60s');
  expectFail(await cancel({ requestTime: 'soon', receiveWindow: '5000' }), '40020', 'Parameter requestTime error');
  assert.equal((await pending(k)).length, 1, 'nothing was cancelled');
  const ok = await cancel({ requestTime: Date.now(), receiveWindow: 5000 });
  assert.equal(ok.body.code, '00000');
});

test('seed 000 batch-cancel-orders with orderIdList: partial success in request order, scoped by symbol and marginCoin', async () => {
  const k = await fresh();
  const other = await fresh();
  const [a, b] = await placeMix(s, k, 2);
  const eth = await place(k, { symbol: 'ETHUSDT', price: '2000', size: '0.01', clientOid: 'eth' });
  const theirs = await place(other);
  const r = await call(s, k, 'POST', `${P}/batch-cancel-orders`, {
    symbol: 'BTCUSDT',
    productType: 'usdt-futures',
    marginCoin: 'USDT',
    orderIdList: [{ orderId: b }, { orderId: '121211212122' }, { orderId: eth }, { orderId: theirs }, { orderId: a }, { orderId: b }, { clientOid: 'eth' }],
  });
  assert.equal(r.status, 200);
  assert.equal(r.body.code, '00000');
  assert.equal(r.body.msg, 'success');
  assert.deepEqual(r.body.data.successList, [
    { orderId: b, clientOid: '' },
    { orderId: a, clientOid: '' },
  ]);
  const notFound = (orderId: string, clientOid = '') => ({ orderId, clientOid, errorMsg: 'Order does not exist', errorCode: '40768' });
  assert.deepEqual(r.body.data.failureList, [
    notFound('121211212122'),
    notFound(eth),
    notFound(theirs),
    { orderId: b, clientOid: '', errorMsg: 'Reject order has been completed', errorCode: '40769' },
    notFound('', 'eth'),
  ]);
  // the ETH order and the other UID's order are untouched
  assert.deepEqual((await pending(k)).map((o) => o.orderId), [eth]);
  assert.equal((await pending(other)).length, 1);

  // marginCoin scopes too
  const c = await place(k);
  const r2 = await call(s, k, 'POST', `${P}/batch-cancel-orders`, {
    symbol: 'BTCUSDT',
    productType: 'USDT-FUTURES',
    marginCoin: 'USDC',
    orderIdList: [{ orderId: c }],
  });
  assert.deepEqual(r2.body.data, { successList: [], failureList: [notFound(c)] });
});

test('seed 000: the page\'s own request example answers in the page\'s response shape', async () => {
  const k = await fresh();
  const r = await call(s, k, 'POST', `${P}/batch-cancel-orders`, {
    symbol: 'BTCUSDT',
    productType: 'usdt-futures',
    marginCoin: 'USDT',
    orderIdList: [{ orderId: '121211212122' }],
  });
  assert.deepEqual(Object.keys(r.body).sort(), ['code', 'data', 'msg', 'requestTime']);
  assert.deepEqual(r.body.data, {
    successList: [],
    failureList: [{ orderId: '121211212122', clientOid: '', errorMsg: 'Order does not exist', errorCode: '40768' }],
  });
});

test('seed 000 batch-cancel-orders without orderIdList cancels by productType (and symbol, marginCoin)', async () => {
  const k = await fresh();
  const other = await fresh();
  const btc = await placeMix(s, k, 3);
  const eth = await place(k, { symbol: 'ETHUSDT', price: '2000' });
  const coin = await place(k, { productType: 'COIN-FUTURES', symbol: 'BTCUSD', marginCoin: 'BTC', size: '0.01' });
  await placeMix(s, other, 2);

  // by symbol (what ccxt's cancelAllOrders sends)
  const r = await call(s, k, 'POST', `${P}/batch-cancel-orders`, { symbol: 'BTCUSDT', productType: 'USDT-FUTURES' });
  assert.equal(r.body.code, '00000');
  assert.deepEqual(r.body.data.successList.map((x: { orderId: string }) => x.orderId).sort(), [...btc].sort());
  assert.deepEqual(r.body.data.failureList, []);
  assert.deepEqual((await pending(k)).map((o) => o.orderId), [eth]);

  // marginCoin that matches nothing
  const none = await call(s, k, 'POST', `${P}/batch-cancel-orders`, { productType: 'USDT-FUTURES', marginCoin: 'USDC' });
  assert.deepEqual(none.body.data, { successList: [], failureList: [] });

  // the whole productType; COIN-FUTURES and the other UID untouched
  const all = await call(s, k, 'POST', `${P}/batch-cancel-orders`, { productType: 'USDT-FUTURES' });
  assert.deepEqual(all.body.data.successList, [{ orderId: eth, clientOid: '' }]);
  assert.deepEqual((await pending(k, 'productType=COIN-FUTURES')).map((o) => o.orderId), [coin]);
  assert.equal((await pending(other)).length, 2);
});

test('seed 004 cancel-all-orders by productType and marginCoin', async () => {
  const k = await fresh();
  const other = await fresh();
  const usdt = await placeMix(s, k, 2);
  const btcM = await place(k, { productType: 'COIN-FUTURES', symbol: 'BTCUSD', marginCoin: 'BTC' });
  const ethM = await place(k, { productType: 'COIN-FUTURES', symbol: 'ETHUSD', marginCoin: 'ETH', price: '2000' });
  await placeMix(s, other, 1);

  // the page's own example body
  const r = await call(s, k, 'POST', `${P}/cancel-all-orders`, { productType: 'USDT-FUTURES', marginCoin: 'USDT' });
  assert.equal(r.status, 200);
  assert.equal(r.body.code, '00000');
  assert.deepEqual(new Set(r.body.data.successList.map((x: { orderId: string }) => x.orderId)), new Set(usdt));
  assert.deepEqual(r.body.data.failureList, []);
  for (const x of r.body.data.successList) assert.deepEqual(Object.keys(x).sort(), ['clientOid', 'orderId']);

  const byCoin = await call(s, k, 'POST', `${P}/cancel-all-orders`, { productType: 'COIN-FUTURES', marginCoin: 'btc' });
  assert.deepEqual(byCoin.body.data.successList, [{ orderId: btcM, clientOid: '' }]);
  assert.deepEqual((await pending(k, 'productType=COIN-FUTURES')).map((o) => o.orderId), [ethM]);

  // again: nothing left to cancel is an empty success, not an error
  const again = await call(s, k, 'POST', `${P}/cancel-all-orders`, { productType: 'USDT-FUTURES' });
  assert.deepEqual(again.body.data, { successList: [], failureList: [] });
  assert.equal((await pending(other)).length, 1);

  // the SDK's empty body (signed over '') is {} and misses productType
  expectFail(await call(s, k, 'POST', `${P}/cancel-all-orders`), '40019', 'Parameter productType cannot be empty');
});

test('seed 004 cancel-all-orders: requestTime / receiveWindow', async () => {
  const k = await fresh();
  await placeMix(s, k, 1);
  const body = { productType: 'USDT-FUTURES', marginCoin: 'USDT' };
  expectFail(await call(s, k, 'POST', `${P}/cancel-all-orders`, { ...body, requestTime: String(Date.now() - 6000), receiveWindow: '5000' }), '40078');
  expectFail(await call(s, k, 'POST', `${P}/cancel-all-orders`, { ...body, requestTime: String(Date.now()), receiveWindow: '70000' }), '40079');
  expectFail(await call(s, k, 'POST', `${P}/cancel-all-orders`, { ...body, receiveWindow: '60001' }), '40079');
  expectFail(await call(s, k, 'POST', `${P}/cancel-all-orders`, { ...body, receiveWindow: 'x' }), '40020');
  assert.equal((await pending(k)).length, 1);
  const ok = await call(s, k, 'POST', `${P}/cancel-all-orders`, { ...body, requestTime: String(Date.now()), receiveWindow: '60000' });
  assert.equal(ok.body.data.successList.length, 1);
});

test('partial fill then cancel keeps the filled part; status spelled canceled', async () => {
  const k = await fresh();
  const id = await place(k, { size: '0.01', price: '30000', clientOid: 'pf' });
  await s.og.engine.fill(id, '0.004');
  const p = await pending(k);
  assert.equal(p.length, 1);
  assert.equal(p[0].status, 'partially_filled');
  assert.equal(p[0].baseVolume, '0.004');
  assert.equal(p[0].priceAvg, '30000');
  assert.equal(p[0].quoteVolume, '120');
  const r = await call(s, k, 'POST', `${P}/batch-cancel-orders`, { symbol: 'BTCUSDT', productType: 'USDT-FUTURES', orderIdList: [{ clientOid: 'pf' }] });
  assert.deepEqual(r.body.data.successList, [{ orderId: id, clientOid: 'pf' }]);
  const d = await detail(k, id);
  assert.equal(d.status, 'canceled');
  assert.equal(d.state, 'canceled');
  assert.equal(d.baseVolume, '0.004');
  assert.equal(d.size, '0.01');
  assert.equal(d.priceAvg, '30000');
  assert.equal(d.cancelReason, 'normal_cancel');
  assert.ok(Number(d.uTime) >= Number(d.cTime));
  const h = await call(s, k, 'GET', `${P}/orders-history?productType=USDT-FUTURES`);
  assert.equal(h.body.data.entrustedList[0].status, 'canceled');
  assert.equal(h.body.data.entrustedList[0].baseVolume, '0.004');
  // a filled order cannot be cancelled and shows filled
  const f = await place(k);
  await s.og.engine.fill(f);
  expectFail(await call(s, k, 'POST', `${P}/cancel-order`, { symbol: 'BTCUSDT', productType: 'USDT-FUTURES', orderId: f }), '40769');
  assert.equal((await detail(k, f)).status, 'filled');
});

test('detail: not found for another symbol, productType or UID; needs an id', async () => {
  const k = await fresh();
  const stranger = await fresh();
  const id = await place(k);
  const get = (key: TestKey, q: string) => call(s, key, 'GET', `${P}/detail?${q}`);
  expectFail(await get(k, `symbol=ETHUSDT&productType=USDT-FUTURES&orderId=${id}`), '40768', 'Order does not exist');
  expectFail(await get(k, `symbol=BTCUSDT&productType=COIN-FUTURES&orderId=${id}`), '40768');
  expectFail(await get(stranger, `symbol=BTCUSDT&productType=USDT-FUTURES&orderId=${id}`), '40768');
  expectFail(await get(k, 'symbol=BTCUSDT&productType=USDT-FUTURES'), '40924');
  expectFail(await get(k, `productType=USDT-FUTURES&orderId=${id}`), '40019', 'Parameter symbol cannot be empty');
  assert.equal((await get(k, `symbol=btcusdt&productType=usdt-futures&orderId=${id}`)).body.data.orderId, id);
});

test('orders-pending and orders-history: shape, newest first, filters and idLessThan paging', async () => {
  const k = await fresh();
  const ids = await placeMix(s, k, 5);
  const eth = await place(k, { symbol: 'ETHUSDT', price: '2000' });
  await s.og.engine.fill(ids[0], '0.005');

  const r = await call(s, k, 'GET', `${P}/orders-pending?productType=USDT-FUTURES`);
  assert.deepEqual(Object.keys(r.body.data).sort(), ['endId', 'entrustedList']);
  const list = r.body.data.entrustedList;
  assert.deepEqual(list.map((o: { orderId: string }) => o.orderId), [eth, ...[...ids].reverse()]);
  assert.equal(r.body.data.endId, ids[0]);
  for (const f of DETAIL_FIELDS) assert.equal(typeof list[0][f], 'string', f);

  assert.equal((await pending(k, 'productType=USDT-FUTURES&symbol=BTCUSDT')).length, 5);
  assert.deepEqual((await pending(k, 'productType=USDT-FUTURES&status=partially_filled')).map((o) => o.orderId), [ids[0]]);
  assert.deepEqual((await pending(k, `productType=USDT-FUTURES&orderId=${ids[2]}`)).map((o) => o.orderId), [ids[2]]);
  // with an orderId the other filters still apply
  assert.deepEqual(await pending(k, `productType=USDT-FUTURES&symbol=ETHUSDT&orderId=${ids[2]}`), []);
  assert.deepEqual(await pending(k, `productType=USDT-FUTURES&status=partially_filled&orderId=${ids[2]}`), []);
  assert.deepEqual(await pending(k, `productType=COIN-FUTURES&orderId=${ids[2]}`), []);
  assert.deepEqual(await pending(k, 'productType=COIN-FUTURES'), []);

  const page1 = await call(s, k, 'GET', `${P}/orders-pending?productType=USDT-FUTURES&symbol=BTCUSDT&limit=2`);
  assert.deepEqual(page1.body.data.entrustedList.map((o: { orderId: string }) => o.orderId), [ids[4], ids[3]]);
  const page2 = await call(s, k, 'GET', `${P}/orders-pending?productType=USDT-FUTURES&symbol=BTCUSDT&limit=2&idLessThan=${page1.body.data.endId}`);
  assert.deepEqual(page2.body.data.entrustedList.map((o: { orderId: string }) => o.orderId), [ids[2], ids[1]]);
  // idLessThan compares as a number: a short bound is below every id, a 20-digit one above all
  assert.deepEqual(await pending(k, 'productType=USDT-FUTURES&idLessThan=5'), []);
  assert.deepEqual(await pending(k, 'productType=USDT-FUTURES&idLessThan=0999999999999999999'), []);
  assert.equal((await pending(k, 'productType=USDT-FUTURES&idLessThan=99999999999999999999')).length, 6);
  expectFail(await call(s, k, 'GET', `${P}/orders-pending?productType=USDT-FUTURES&idLessThan=12x`), '40020', 'Parameter idLessThan error');

  expectFail(await call(s, k, 'GET', `${P}/orders-pending?productType=USDT-FUTURES&limit=101`), '40020', 'Parameter limit error');
  expectFail(await call(s, k, 'GET', `${P}/orders-pending?productType=USDT-FUTURES&status=canceled`), '40020', 'Parameter status error');
  expectFail(await call(s, k, 'GET', `${P}/orders-pending`), '40019', 'Parameter productType cannot be empty');

  // history after cancelling two and filling one
  await call(s, k, 'POST', `${P}/batch-cancel-orders`, { symbol: 'BTCUSDT', productType: 'USDT-FUTURES', orderIdList: [{ orderId: ids[1] }, { orderId: ids[2] }] });
  await s.og.engine.fill(ids[3]);
  const h = await call(s, k, 'GET', `${P}/orders-history?productType=USDT-FUTURES`);
  assert.deepEqual(
    h.body.data.entrustedList.map((o: { orderId: string; status: string }) => [o.orderId, o.status]),
    [[ids[3], 'filled'], [ids[2], 'canceled'], [ids[1], 'canceled']],
  );
  const onlyCanceled = await call(s, k, 'GET', `${P}/orders-history?productType=USDT-FUTURES&status=canceled`);
  assert.equal(onlyCanceled.body.data.entrustedList.length, 2);
  const empty = await call(s, k, 'GET', `${P}/orders-history?productType=COIN-FUTURES`);
  assert.deepEqual(empty.body.data, { entrustedList: [], endId: null });
});

test('orders-pending / orders-history: status filters before the page limit (a page is never short while matches exist)', async () => {
  const k = await fresh();
  // 12 live orders; the three OLDEST partially filled, so the newest 5 are all plain live
  const ids = await placeMix(s, k, 12);
  for (const id of ids.slice(0, 3)) await s.og.engine.fill(id, '0.004');
  const partial = ids.slice(0, 3).reverse();

  const page1 = await call(s, k, 'GET', `${P}/orders-pending?productType=USDT-FUTURES&status=partially_filled&limit=2`);
  assert.deepEqual(page1.body.data.entrustedList.map((o: { orderId: string }) => o.orderId), partial.slice(0, 2));
  assert.equal(page1.body.data.endId, partial[1]);
  const page2 = await call(s, k, 'GET', `${P}/orders-pending?productType=USDT-FUTURES&status=partially_filled&limit=2&idLessThan=${page1.body.data.endId}`);
  assert.deepEqual(page2.body.data.entrustedList.map((o: { orderId: string }) => o.orderId), partial.slice(2));
  const live = await pending(k, 'productType=USDT-FUTURES&status=live&limit=100');
  assert.deepEqual(live.map((o) => o.orderId), ids.slice(3).reverse());

  // history: 6 cancelled (newest), 2 filled (oldest); status=filled with a small limit finds them
  await s.og.engine.fill(ids[0]);
  await s.og.engine.fill(ids[1]);
  const r = await call(s, k, 'POST', `${P}/batch-cancel-orders`, { symbol: 'BTCUSDT', productType: 'USDT-FUTURES', orderIdList: ids.slice(6).map((orderId) => ({ orderId })) });
  assert.equal(r.body.data.successList.length, 6);
  const filled = await call(s, k, 'GET', `${P}/orders-history?productType=USDT-FUTURES&status=filled&limit=3`);
  assert.deepEqual(
    filled.body.data.entrustedList.map((o: { orderId: string; status: string }) => [o.orderId, o.status]),
    [[ids[1], 'filled'], [ids[0], 'filled']],
  );
  const canceled = await call(s, k, 'GET', `${P}/orders-history?productType=USDT-FUTURES&status=canceled&limit=100`);
  assert.equal(canceled.body.data.entrustedList.length, 6);
});
