/**
 * The v2 spot dialect as a Bitget client sees it: /api/v2/spot/trade/* (reference §4.1,
 * seed 003 batch-cancel-order).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { call, startTestServer, type TestKey, type TestServer } from '../../helpers.js';

const P = '/api/v2/spot/trade';

let s: TestServer;
before(async () => {
  s = await startTestServer();
});
after(async () => {
  await s.close();
});

/** Places one resting spot limit order and returns its orderId. */
async function place(key: TestKey, extra: Record<string, string> = {}): Promise<string> {
  const r = await call(s, key, 'POST', `${P}/place-order`, {
    symbol: 'BTCUSDT',
    side: 'buy',
    orderType: 'limit',
    force: 'gtc',
    price: '30000',
    size: '0.001',
    ...extra,
  });
  assert.equal(r.body.code, '00000', JSON.stringify(r.body));
  return r.body.data.orderId;
}

async function info(key: TestKey, orderId: string) {
  return call(s, key, 'GET', `${P}/orderInfo?orderId=${orderId}`);
}

async function statusOf(key: TestKey, orderId: string): Promise<string> {
  const r = await info(key, orderId);
  assert.equal(r.body.code, '00000', JSON.stringify(r.body));
  return r.body.data[0].status;
}

async function placeMargin(mode: 'crossed' | 'isolated', key: TestKey = s.classic): Promise<string> {
  const r = await call(s, key, 'POST', `/api/v2/margin/${mode}/place-order`, {
    symbol: 'BTCUSDT',
    side: 'buy',
    orderType: 'limit',
    force: 'gtc',
    loanType: 'normal',
    price: '30000',
    baseSize: '0.001',
  });
  assert.equal(r.body.code, '00000', JSON.stringify(r.body));
  return r.body.data.orderId;
}

describe('spot place-order', () => {
  test('a limit order rests live and orderInfo shows it in spot field names', async () => {
    const r = await call(s, s.classic, 'POST', `${P}/place-order`, {
      symbol: 'BTCUSDT',
      side: 'buy',
      orderType: 'limit',
      force: 'GTC',
      price: '30000.50',
      size: '0.0010',
      clientOid: 'spot-info-1',
    });
    assert.equal(r.status, 200);
    assert.equal(r.body.code, '00000');
    assert.equal(r.body.msg, 'success');
    assert.match(r.body.data.orderId, /^\d{19}$/);
    assert.equal(r.body.data.clientOid, 'spot-info-1');

    const q = await info(s.classic, r.body.data.orderId);
    assert.ok(Array.isArray(q.body.data));
    assert.equal(q.body.data.length, 1);
    const o = q.body.data[0];
    assert.deepEqual(
      {
        userId: o.userId,
        symbol: o.symbol,
        orderId: o.orderId,
        clientOid: o.clientOid,
        price: o.price,
        size: o.size,
        orderType: o.orderType,
        side: o.side,
        status: o.status,
        priceAvg: o.priceAvg,
        baseVolume: o.baseVolume,
        quoteVolume: o.quoteVolume,
        enterPointSource: o.enterPointSource,
        orderSource: o.orderSource,
        cancelReason: o.cancelReason,
      },
      {
        userId: s.classic.uid,
        symbol: 'BTCUSDT',
        orderId: r.body.data.orderId,
        clientOid: 'spot-info-1',
        price: '30000.5',
        size: '0.001',
        orderType: 'limit',
        side: 'buy',
        status: 'live',
        priceAvg: '0',
        baseVolume: '0',
        quoteVolume: '0',
        enterPointSource: 'API',
        orderSource: 'normal',
        cancelReason: '',
      },
    );
    assert.equal(typeof o.feeDetail, 'string');
    const fee = JSON.parse(o.feeDetail);
    assert.equal(fee.BTC.feeCoinCode, 'BTC');
    assert.match(o.cTime, /^\d{13}$/);
    assert.equal(o.cTime, o.uTime);
  });

  test('force is required for a limit order, optional for a market order', async () => {
    const r = await call(s, s.classic, 'POST', `${P}/place-order`, {
      symbol: 'BTCUSDT',
      side: 'buy',
      orderType: 'limit',
      price: '30000',
      size: '0.001',
    });
    assert.equal(r.status, 400);
    assert.equal(r.body.code, '40019');
    assert.equal(r.body.msg, 'Parameter force cannot be empty');
    const m = await call(s, s.classic, 'POST', `${P}/place-order`, { symbol: 'BTCUSDT', side: 'sell', orderType: 'market', size: '0.001' });
    assert.equal(m.body.code, '00000');
  });

  test('a market buy is sized in quote and ends cancelled at once, unfilled', async () => {
    const r = await call(s, s.classic, 'POST', `${P}/place-order`, {
      symbol: 'BTCUSDT',
      side: 'buy',
      orderType: 'market',
      force: 'GTC',
      size: '500',
    });
    assert.equal(r.body.code, '00000');
    const o = (await info(s.classic, r.body.data.orderId)).body.data[0];
    assert.equal(o.status, 'cancelled');
    assert.equal(o.size, '500');
    assert.equal(o.baseVolume, '0');
    assert.equal(o.orderSource, 'market');
    const open = await call(s, s.classic, 'GET', `${P}/unfilled-orders?orderId=${r.body.data.orderId}`);
    assert.deepEqual(open.body.data, []);
    // a market buy under the minimum notional (1 USDT) is refused
    const small = await call(s, s.classic, 'POST', `${P}/place-order`, { symbol: 'BTCUSDT', side: 'buy', orderType: 'market', size: '0.5' });
    assert.equal(small.body.code, '45110');
  });

  test('a duplicate clientOid of an open order is refused and the first order stays', async () => {
    const first = await place(s.classic, { clientOid: 'dup-spot' });
    const r = await call(s, s.classic, 'POST', `${P}/place-order`, {
      symbol: 'BTCUSDT',
      side: 'sell',
      orderType: 'limit',
      force: 'gtc',
      price: '40000',
      size: '0.001',
      clientOid: 'dup-spot',
    });
    assert.equal(r.status, 400);
    assert.equal(r.body.code, '43118');
    assert.equal(r.body.data, null);
    const q = await call(s, s.classic, 'GET', `${P}/orderInfo?clientOid=dup-spot`);
    assert.equal(q.body.data[0].orderId, first);
    assert.equal(q.body.data[0].side, 'buy');
  });

  test('bad fields answer clear Bitget errors', async () => {
    const base = { symbol: 'BTCUSDT', side: 'buy', orderType: 'limit', force: 'gtc', price: '30000', size: '0.001' };
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ ...base, symbol: 'NOPEUSDT' }, '42016', 'symbol NOPEUSDT is Invalid or not supported spot trade'],
      [{ ...base, side: 'long' }, '40020', 'Parameter side error'],
      [{ ...base, force: 'day' }, '40020', 'Parameter force error'],
      [{ ...base, size: undefined }, '40019', 'Parameter size cannot be empty'],
      [{ ...base, price: '30000.001' }, '40808', 'Parameter verification exception price checkBDScale error value=30000.001 checkScale=2'],
      [{ ...base, tpslType: 'tpsl', triggerPrice: '31000' }, '40017', 'Parameter verification failed tpslType is not supported by ordergate'],
      [{ ...base, clientOid: 'x'.repeat(65) }, '40305', 'clientOid or clientOrderId length cannot greater than 64, and cannot be Martian characters'],
    ];
    for (const [body, code, msg] of cases) {
      const r = await call(s, s.classic, 'POST', `${P}/place-order`, body);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.deepEqual([r.body.code, r.body.msg], [code, msg], JSON.stringify(body));
    }
  });

  test('a read-only key gets 40014 and a unified key 40085; nothing is placed', async () => {
    const before = (await call(s, s.classic, 'GET', `${P}/unfilled-orders`)).body.data.length;
    const body = { symbol: 'BTCUSDT', side: 'buy', orderType: 'limit', force: 'gtc', price: '30000', size: '0.001' };
    const ro = await call(s, s.readOnly, 'POST', `${P}/place-order`, body);
    assert.equal(ro.status, 400);
    assert.deepEqual([ro.body.code, ro.body.msg], ['40014', 'Incorrect permissions, need spot order write permissions']);
    const uta = await call(s, s.unified, 'POST', `${P}/place-order`, body);
    assert.equal(uta.body.code, '40085');
    const utaRead = await call(s, s.unified, 'GET', `${P}/unfilled-orders`);
    assert.equal(utaRead.body.code, '40085');
    // the read-only key may read
    const after = await call(s, s.readOnly, 'GET', `${P}/unfilled-orders`);
    assert.equal(after.body.code, '00000');
    assert.equal(after.body.data.length, before);
  });
});

describe('spot batch-orders', () => {
  test('single mode: top-level symbol for all items; a bad item fails alone, in request order', async () => {
    const r = await call(s, s.classic, 'POST', `${P}/batch-orders`, {
      symbol: 'ethusdt',
      orderList: [
        { symbol: 'BTCUSDT', side: 'buy', orderType: 'limit', force: 'GTC', price: '2000', size: '0.01', clientOid: 'b-1' },
        { side: 'sideways', orderType: 'limit', force: 'gtc', price: '2000', size: '0.01', clientOid: 'b-2' },
        { side: 'sell', orderType: 'limit', force: 'post_only', price: '3000', size: '0.01', clientOid: 'b-3' },
      ],
    });
    assert.equal(r.body.code, '00000');
    assert.deepEqual(
      r.body.data.successList.map((x: { clientOid: string }) => x.clientOid),
      ['b-1', 'b-3'],
    );
    assert.deepEqual(r.body.data.failureList, [{ orderId: '', clientOid: 'b-2', errorMsg: 'Parameter side error', errorCode: '40020' }]);
    const o = (await call(s, s.classic, 'GET', `${P}/orderInfo?clientOid=b-1`)).body.data[0];
    assert.equal(o.symbol, 'ETHUSDT'); // item symbol ignored in single mode
  });

  test('multiple mode: each item carries its own symbol', async () => {
    const r = await call(s, s.classic, 'POST', `${P}/batch-orders`, {
      batchMode: 'multiple',
      symbol: 'IGNORED',
      orderList: [
        { symbol: 'BTCUSDT', side: 'buy', orderType: 'limit', force: 'gtc', price: '30000', size: '0.001', clientOid: 'm-1' },
        { symbol: 'SOLUSDT', side: 'buy', orderType: 'limit', force: 'gtc', price: '20', size: '1', clientOid: 'm-2' },
      ],
    });
    assert.equal(r.body.code, '00000');
    assert.equal(r.body.data.successList.length, 2);
    assert.equal((await call(s, s.classic, 'GET', `${P}/orderInfo?clientOid=m-2`)).body.data[0].symbol, 'SOLUSDT');
  });

  test('request-level rejections place nothing', async () => {
    const item = { side: 'buy', orderType: 'limit', force: 'gtc', price: '30000', size: '0.001' };
    const before = (await call(s, s.classic, 'GET', `${P}/unfilled-orders`)).body.data.length;
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ orderList: [item] }, '40019', 'Parameter symbol cannot be empty'],
      [{ symbol: '', orderList: [item] }, '40019', 'Parameter symbol cannot be empty'],
      [{ batchMode: 'multiple', orderList: [{ ...item, symbol: 'BTCUSDT' }, item] }, '40019', 'Parameter symbol cannot be empty'],
      [{ symbol: 'BTCUSDT', batchMode: 'both', orderList: [item] }, '40020', 'Parameter batchMode error'],
      [{ symbol: 'BTCUSDT', orderList: Array.from({ length: 51 }, () => item) }, '40017', 'Parameter verification failed orderList can not exceed 50'],
      [{ symbol: 'BTCUSDT', orderList: [] }, '40019', 'Parameter orderList cannot be empty'],
      [{ symbol: 'BTCUSDT' }, '40019', 'Parameter orderList cannot be empty'],
    ];
    for (const [body, code, msg] of cases) {
      const r = await call(s, s.classic, 'POST', `${P}/batch-orders`, body);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.deepEqual([r.body.code, r.body.msg], [code, msg], JSON.stringify(body));
    }
    assert.equal((await call(s, s.classic, 'GET', `${P}/unfilled-orders`)).body.data.length, before);
  });

  test('50 items are accepted', async () => {
    const item = { side: 'buy', orderType: 'limit', force: 'gtc', price: '20', size: '1' };
    const r = await call(s, s.other, 'POST', `${P}/batch-orders`, { symbol: 'SOLUSDT', orderList: Array.from({ length: 50 }, () => item) });
    assert.equal(r.body.code, '00000');
    assert.equal(r.body.data.successList.length, 50);
    const all = await call(s, s.other, 'GET', `${P}/unfilled-orders?symbol=SOLUSDT`);
    assert.equal(all.body.data.length, 50);
    await call(s, s.other, 'POST', `${P}/cancel-symbol-order`, { symbol: 'SOLUSDT' });
  });
});

describe('spot cancel-order', () => {
  test('cancels by orderId and by clientOid; answers {orderId, clientOid}', async () => {
    const a = await place(s.classic);
    const r = await call(s, s.classic, 'POST', `${P}/cancel-order`, { symbol: 'BTCUSDT', orderId: a });
    assert.equal(r.body.code, '00000');
    assert.deepEqual(r.body.data, { orderId: a, clientOid: '' });
    const o = (await info(s.classic, a)).body.data[0];
    assert.equal(o.status, 'cancelled');
    assert.equal(o.cancelReason, 'normal_cancel');

    const b = await place(s.classic, { clientOid: 'cancel-by-coid' });
    const r2 = await call(s, s.classic, 'POST', `${P}/cancel-order`, { symbol: 'BTCUSDT', clientOid: 'cancel-by-coid' });
    assert.deepEqual(r2.body.data, { orderId: b, clientOid: 'cancel-by-coid' });
    assert.equal(await statusOf(s.classic, b), 'cancelled');

    // orderId wins when both are given
    const c = await place(s.classic, { clientOid: 'both-c' });
    const d = await place(s.classic, { clientOid: 'both-d' });
    const r3 = await call(s, s.classic, 'POST', `${P}/cancel-order`, { symbol: 'BTCUSDT', orderId: c, clientOid: 'both-d' });
    assert.deepEqual(r3.body.data, { orderId: c, clientOid: 'both-c' });
    assert.equal(await statusOf(s.classic, c), 'cancelled');
    assert.equal(await statusOf(s.classic, d), 'live');
  });

  test('unknown, foreign, wrong-symbol, margin and already-cancelled orders all answer 43001', async () => {
    const mine = await place(s.classic);
    const foreign = await place(s.other);
    const margin = await placeMargin('crossed');
    const done = await place(s.classic);
    await call(s, s.classic, 'POST', `${P}/cancel-order`, { symbol: 'BTCUSDT', orderId: done });
    const cases: Array<Record<string, string>> = [
      { symbol: 'BTCUSDT', orderId: '1234567890123456789' },
      { symbol: 'BTCUSDT', orderId: foreign },
      { symbol: 'ETHUSDT', orderId: mine },
      { symbol: 'BTCUSDT', orderId: margin },
      { symbol: 'BTCUSDT', orderId: done },
      { symbol: 'BTCUSDT', clientOid: 'never-used' },
    ];
    for (const body of cases) {
      const r = await call(s, s.classic, 'POST', `${P}/cancel-order`, body);
      assert.equal(r.status, 400);
      assert.deepEqual([r.body.code, r.body.msg, r.body.data], ['43001', 'The order does not exist', null], JSON.stringify(body));
    }
    assert.equal(await statusOf(s.classic, mine), 'live');
    assert.equal(await statusOf(s.other, foreign), 'live');
    const m = await call(s, s.classic, 'GET', `/api/v2/margin/crossed/open-orders?symbol=BTCUSDT&startTime=0&orderId=${margin}`);
    assert.equal(m.body.data.orderList[0].status, 'live');
  });

  test('missing symbol or order reference is a request error', async () => {
    const a = await place(s.classic);
    const r = await call(s, s.classic, 'POST', `${P}/cancel-order`, { orderId: a });
    assert.deepEqual([r.body.code, r.body.msg], ['40019', 'Parameter symbol cannot be empty']);
    const r2 = await call(s, s.classic, 'POST', `${P}/cancel-order`, { symbol: 'BTCUSDT' });
    assert.deepEqual([r2.body.code, r2.body.msg], ['40924', 'orderId and clientOid must have one']);
    const ro = await call(s, s.readOnly, 'POST', `${P}/cancel-order`, { symbol: 'BTCUSDT', orderId: a });
    assert.equal(ro.body.code, '40014');
    assert.equal(await statusOf(s.classic, a), 'live');
  });

  test('a partially filled order keeps its filled part when cancelled', async () => {
    const a = await place(s.classic);
    await s.og.engine.fill(a, '0.0004');
    const open = (await call(s, s.classic, 'GET', `${P}/unfilled-orders?orderId=${a}`)).body.data[0];
    assert.equal(open.status, 'partially_filled');
    // unfilled-orders quirk: priceAvg is the order price, basePrice the average fill price
    assert.equal(open.priceAvg, '30000');
    assert.equal(open.basePrice, '30000');
    assert.equal(open.baseVolume, '0.0004');
    const r = await call(s, s.classic, 'POST', `${P}/cancel-order`, { symbol: 'BTCUSDT', orderId: a });
    assert.equal(r.body.code, '00000');
    const o = (await info(s.classic, a)).body.data[0];
    assert.deepEqual([o.status, o.baseVolume, o.quoteVolume, o.priceAvg], ['cancelled', '0.0004', '12', '30000']);
  });
});

describe('spot batch-cancel-order (seed 003)', () => {
  test('single mode: partial success in request order, item symbols ignored', async () => {
    const ok1 = await place(s.classic, { clientOid: 'bc-ok1' });
    const ok2 = await place(s.classic, { clientOid: 'bc-ok2' });
    const foreign = await place(s.other);
    const done = await place(s.classic);
    await call(s, s.classic, 'POST', `${P}/cancel-order`, { symbol: 'BTCUSDT', orderId: done });
    const eth = (
      await call(s, s.classic, 'POST', `${P}/place-order`, {
        symbol: 'ETHUSDT',
        side: 'buy',
        orderType: 'limit',
        force: 'gtc',
        price: '2000',
        size: '0.01',
      })
    ).body.data.orderId;
    const margin = await placeMargin('isolated');

    const r = await call(s, s.classic, 'POST', `${P}/batch-cancel-order`, {
      symbol: 'BTCUSDT',
      orderList: [
        { orderId: ok1, symbol: 'ETHUSDT' },
        { orderId: '1111111111111111111' },
        { orderId: foreign },
        { orderId: done },
        { orderId: eth },
        { clientOid: 'bc-ok2' },
        { orderId: margin },
        { orderId: ok1 },
      ],
    });
    assert.equal(r.status, 200);
    assert.equal(r.body.code, '00000');
    assert.deepEqual(r.body.data.successList, [
      { orderId: ok1, clientOid: 'bc-ok1' },
      { orderId: ok2, clientOid: 'bc-ok2' },
    ]);
    const nf = (orderId: string) => ({ orderId, clientOid: '', errorMsg: 'The order does not exist', errorCode: '43001' });
    assert.deepEqual(r.body.data.failureList, [
      nf('1111111111111111111'),
      nf(foreign),
      nf(done),
      nf(eth),
      nf(margin),
      { orderId: ok1, clientOid: 'bc-ok1', errorMsg: 'The order does not exist', errorCode: '43001' },
    ]);
    assert.equal(await statusOf(s.classic, ok1), 'cancelled');
    assert.equal(await statusOf(s.classic, ok2), 'cancelled');
    assert.equal(await statusOf(s.other, foreign), 'live');
    assert.equal(await statusOf(s.classic, eth), 'live');
    const m = await call(s, s.classic, 'GET', `/api/v2/margin/isolated/open-orders?symbol=BTCUSDT&startTime=0&orderId=${margin}`);
    assert.equal(m.body.data.orderList.length, 1);
  });

  test('multiple mode: each item uses its own symbol, the top-level one is ignored', async () => {
    const btc = await place(s.classic);
    const eth = (
      await call(s, s.classic, 'POST', `${P}/place-order`, {
        symbol: 'ETHUSDT',
        side: 'buy',
        orderType: 'limit',
        force: 'gtc',
        price: '2000',
        size: '0.01',
      })
    ).body.data.orderId;
    const r = await call(s, s.classic, 'POST', `${P}/batch-cancel-order`, {
      symbol: '',
      batchMode: 'MULTIPLE',
      orderList: [
        { orderId: btc, symbol: 'BTCUSDT' },
        { orderId: eth, symbol: 'ethusdt' },
      ],
    });
    assert.equal(r.body.code, '00000');
    assert.equal(r.body.data.successList.length, 2);
    assert.deepEqual(r.body.data.failureList, []);
  });

  test('request-level rejections cancel nothing', async () => {
    const a = await place(s.classic);
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ orderList: [{ orderId: a }] }, '40019', 'Parameter symbol cannot be empty'],
      [{ symbol: '', orderList: [{ orderId: a }] }, '40019', 'Parameter symbol cannot be empty'],
      [{ batchMode: 'multiple', symbol: 'BTCUSDT', orderList: [{ orderId: a, symbol: 'BTCUSDT' }, { orderId: '1' }] }, '40019', 'Parameter symbol cannot be empty'],
      [{ symbol: 'BTCUSDT', orderList: [{ orderId: a }, {}] }, '40924', 'orderId and clientOid must have one'],
      [{ symbol: 'BTCUSDT', orderList: [{ orderId: a }, ...Array.from({ length: 50 }, (_, i) => ({ orderId: String(i + 1) }))] }, '40912', 'single cancel cannot exceed 50'],
      [{ symbol: 'BTCUSDT', orderList: [] }, '40019', 'Parameter orderList cannot be empty'],
      [{ symbol: 'BTCUSDT', batchMode: 'all', orderList: [{ orderId: a }] }, '40020', 'Parameter batchMode error'],
      [{ symbol: 'BTCUSDT', orderList: [{ orderId: 12345 }] }, '40020', 'Parameter orderId error'],
    ];
    for (const [body, code, msg] of cases) {
      const r = await call(s, s.classic, 'POST', `${P}/batch-cancel-order`, body);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.deepEqual([r.body.code, r.body.msg, r.body.data], [code, msg, null], JSON.stringify(body));
    }
    const ro = await call(s, s.readOnly, 'POST', `${P}/batch-cancel-order`, { symbol: 'BTCUSDT', orderList: [{ orderId: a }] });
    assert.equal(ro.body.code, '40014');
    const uta = await call(s, s.unified, 'POST', `${P}/batch-cancel-order`, { symbol: 'BTCUSDT', orderList: [{ orderId: a }] });
    assert.equal(uta.body.code, '40085');
    assert.equal(await statusOf(s.classic, a), 'live');
  });

  test('a partially filled order is cancelled with its fill kept', async () => {
    const a = await place(s.classic, { size: '0.002' });
    await s.og.engine.fill(a, '0.0015');
    const r = await call(s, s.classic, 'POST', `${P}/batch-cancel-order`, { symbol: 'BTCUSDT', orderList: [{ orderId: a }] });
    assert.equal(r.body.data.successList.length, 1);
    const o = (await info(s.classic, a)).body.data[0];
    assert.deepEqual([o.status, o.baseVolume, o.size], ['cancelled', '0.0015', '0.002']);
  });
});

describe('spot cancel-symbol-order', () => {
  test('cancels every open spot order of the symbol and nothing else', async () => {
    const u = s.other;
    const a = await place(u);
    const b = await place(u);
    await s.og.engine.fill(b, '0.0005');
    const filled = await place(u);
    await s.og.engine.fill(filled);
    const eth = (
      await call(s, u, 'POST', `${P}/place-order`, { symbol: 'ETHUSDT', side: 'buy', orderType: 'limit', force: 'gtc', price: '2000', size: '0.01' })
    ).body.data.orderId;
    const margin = await placeMargin('crossed', u);
    const mine = await place(s.classic);

    const r = await call(s, u, 'POST', `${P}/cancel-symbol-order`, { symbol: 'btcusdt' });
    assert.equal(r.body.code, '00000');
    assert.deepEqual(r.body.data, { symbol: 'BTCUSDT' });
    assert.equal(await statusOf(u, a), 'cancelled');
    const bo = (await info(u, b)).body.data[0];
    assert.deepEqual([bo.status, bo.baseVolume], ['cancelled', '0.0005']);
    assert.equal(await statusOf(u, filled), 'filled');
    assert.equal(await statusOf(u, eth), 'live');
    assert.equal(await statusOf(s.classic, mine), 'live');
    const m = await call(s, u, 'GET', `/api/v2/margin/crossed/open-orders?symbol=BTCUSDT&startTime=0&orderId=${margin}`);
    assert.equal(m.body.data.orderList.length, 1);
    await call(s, u, 'POST', `${P}/cancel-symbol-order`, { symbol: 'ETHUSDT' });
  });

  test('symbol is required and must be a spot market', async () => {
    const r = await call(s, s.classic, 'POST', `${P}/cancel-symbol-order`, {});
    assert.deepEqual([r.body.code, r.body.msg], ['40019', 'Parameter symbol cannot be empty']);
    const r2 = await call(s, s.classic, 'POST', `${P}/cancel-symbol-order`, { symbol: 'BTCPERP' });
    assert.equal(r2.body.code, '42016');
    const ro = await call(s, s.readOnly, 'POST', `${P}/cancel-symbol-order`, { symbol: 'BTCUSDT' });
    assert.equal(ro.body.code, '40014');
  });

  test('is limited to 5 requests per second per UID (HTTP 429)', async () => {
    const rl = await startTestServer({ rateLimit: true });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 6; i++) codes.push((await call(rl, rl.classic, 'POST', `${P}/cancel-symbol-order`, { symbol: 'BTCUSDT' })).status);
      assert.deepEqual(codes, [200, 200, 200, 200, 200, 429]);
      const last = await call(rl, rl.classic, 'POST', `${P}/cancel-symbol-order`, { symbol: 'BTCUSDT' });
      assert.deepEqual([last.body.code, last.body.msg], ['429', 'Too Many Requests']);
    } finally {
      await rl.close();
    }
  });
});

describe('spot queries', () => {
  test('orderInfo: by clientOid, unknown/foreign/margin → 43001, no reference → 40924', async () => {
    const a = await place(s.classic, { clientOid: 'q-coid' });
    const r = await call(s, s.classic, 'GET', `${P}/orderInfo?clientOid=q-coid`);
    assert.equal(r.body.data[0].orderId, a);
    const margin = await placeMargin('crossed');
    for (const q of ['orderId=1234', `orderId=${margin}`, 'clientOid=nope']) {
      const x = await call(s, s.classic, 'GET', `${P}/orderInfo?${q}`);
      assert.deepEqual([x.status, x.body.code, x.body.data], [400, '43001', null], q);
    }
    const f = await call(s, s.other, 'GET', `${P}/orderInfo?orderId=${a}`);
    assert.equal(f.body.code, '43001');
    const none = await call(s, s.classic, 'GET', `${P}/orderInfo`);
    assert.equal(none.body.code, '40924');
  });

  test('unfilled-orders: open spot orders only, newest first, symbol filter and paging', async () => {
    const u = s.readOnly; // same UID as classic; reads are allowed
    const fresh = await startTestServer();
    try {
      const k = fresh.classic;
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const r = await call(fresh, k, 'POST', `${P}/place-order`, { symbol: 'BTCUSDT', side: 'buy', orderType: 'limit', force: 'gtc', price: '30000', size: '0.001' });
        ids.push(r.body.data.orderId);
      }
      await call(fresh, k, 'POST', `${P}/place-order`, { symbol: 'ETHUSDT', side: 'sell', orderType: 'limit', force: 'gtc', price: '3000', size: '0.01' });
      await call(fresh, k, 'POST', `${P}/cancel-order`, { symbol: 'BTCUSDT', orderId: ids[0] });
      await call(fresh, k, 'POST', '/api/v2/margin/crossed/place-order', {
        symbol: 'BTCUSDT', side: 'buy', orderType: 'limit', force: 'gtc', loanType: 'normal', price: '30000', baseSize: '0.001',
      });
      const all = await call(fresh, k, 'GET', `${P}/unfilled-orders`);
      assert.equal(all.body.data.length, 3);
      const btc = await call(fresh, k, 'GET', `${P}/unfilled-orders?symbol=BTCUSDT`);
      assert.deepEqual(btc.body.data.map((o: { orderId: string }) => o.orderId), [ids[2], ids[1]]);
      const row = btc.body.data[0];
      assert.equal(row.status, 'live');
      assert.equal(row.priceAvg, '30000');
      assert.equal(row.basePrice, '0');
      assert.equal(row.tpslType, 'normal');
      assert.equal(row.triggerPrice, null);
      const page = await call(fresh, k, 'GET', `${P}/unfilled-orders?symbol=BTCUSDT&limit=1&idLessThan=${ids[2]}`);
      assert.deepEqual(page.body.data.map((o: { orderId: string }) => o.orderId), [ids[1]]);
      const tpsl = await call(fresh, k, 'GET', `${P}/unfilled-orders?tpslType=tpsl`);
      assert.deepEqual(tpsl.body.data, []);
      const bad = await call(fresh, k, 'GET', `${P}/unfilled-orders?limit=101`);
      assert.deepEqual([bad.body.code, bad.body.msg], ['40020', 'Parameter limit error']);
    } finally {
      await fresh.close();
    }
    assert.equal((await call(s, u, 'GET', `${P}/unfilled-orders`)).body.code, '00000');
  });

  test('history-orders: finished spot orders with spot status spellings', async () => {
    const fresh = await startTestServer();
    try {
      const k = fresh.classic;
      const mk = async () =>
        (await call(fresh, k, 'POST', `${P}/place-order`, { symbol: 'BTCUSDT', side: 'buy', orderType: 'limit', force: 'gtc', price: '30000', size: '0.001' }))
          .body.data.orderId as string;
      const f = await mk();
      await fresh.og.engine.fill(f);
      const c = await mk();
      await call(fresh, k, 'POST', `${P}/cancel-order`, { symbol: 'BTCUSDT', orderId: c });
      await mk(); // still open: not in history
      const r = await call(fresh, k, 'GET', `${P}/history-orders?symbol=BTCUSDT`);
      assert.equal(r.body.code, '00000');
      assert.deepEqual(
        r.body.data.map((o: { orderId: string; status: string }) => [o.orderId, o.status]),
        [
          [c, 'cancelled'],
          [f, 'filled'],
        ],
      );
      const filled = r.body.data[1];
      assert.deepEqual([filled.baseVolume, filled.quoteVolume, filled.priceAvg, filled.price], ['0.001', '30', '30000', '30000']);
      assert.equal(typeof filled.feeDetail, 'string');
      assert.equal(filled.tpslType, 'normal');
      const old = await call(fresh, k, 'GET', `${P}/history-orders?endTime=1000`);
      assert.deepEqual(old.body.data, []);
    } finally {
      await fresh.close();
    }
  });

  test('ccxt parses the spot order shapes', async () => {
    const { default: ccxt } = await import('ccxt');
    const ex = new ccxt.bitget();
    const market = { id: 'BTCUSDT', symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', spot: true, type: 'spot', settle: undefined };
    const a = await place(s.classic, { size: '0.002' });
    await s.og.engine.fill(a, '0.001');
    const o = ex.parseOrder((await info(s.classic, a)).body.data[0], market as never);
    assert.deepEqual([o.status, o.amount, o.filled, o.price, o.average, o.timeInForce], ['open', 0.002, 0.001, 30000, 30000, undefined]);
    assert.equal(o.fee?.cost, 0.000001, 'the fill paid 0.1% of the BTC received (issue 10)');
    assert.equal(o.fee?.currency, 'BTC');
    const open = (await call(s, s.classic, 'GET', `${P}/unfilled-orders?orderId=${a}`)).body.data[0];
    const p = ex.parseOrder(open, market as never);
    assert.deepEqual([p.status, p.price, p.average], ['open', 30000, 30000]);
    await call(s, s.classic, 'POST', `${P}/cancel-order`, { symbol: 'BTCUSDT', orderId: a });
    const c = ex.parseOrder((await info(s.classic, a)).body.data[0], market as never);
    assert.equal(c.status, 'canceled');
  });
});
