/**
 * The v2 margin dialect, cross and isolated, as a Bitget client sees it:
 * /api/v2/margin/{crossed|isolated}/* (reference §4.3-4.4, seed 001 crossed batch-cancel-order).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { call, startTestServer, type TestKey, type TestServer } from '../../helpers.js';

type Mode = 'crossed' | 'isolated';
const M = (mode: Mode) => `/api/v2/margin/${mode}`;

let s: TestServer;
before(async () => {
  s = await startTestServer();
});
after(async () => {
  await s.close();
});

const LIMIT = { symbol: 'BTCUSDT', side: 'buy', orderType: 'limit', force: 'gtc', loanType: 'normal', price: '30000', baseSize: '0.001' };

/** Places one resting margin limit order and returns its orderId. */
async function place(mode: Mode, key: TestKey = s.classic, extra: Record<string, string> = {}, srv: TestServer = s): Promise<string> {
  const r = await call(srv, key, 'POST', `${M(mode)}/place-order`, { ...LIMIT, ...extra });
  assert.equal(r.body.code, '00000', JSON.stringify(r.body));
  return r.body.data.orderId;
}

/** The margin order as open-orders / history-orders show it, or undefined. */
async function find(mode: Mode, orderId: string, key: TestKey = s.classic, symbol = 'BTCUSDT') {
  for (const list of ['open-orders', 'history-orders']) {
    const r = await call(s, key, 'GET', `${M(mode)}/${list}?symbol=${symbol}&startTime=0&orderId=${orderId}`);
    assert.equal(r.body.code, '00000', JSON.stringify(r.body));
    if (r.body.data.orderList.length) return r.body.data.orderList[0];
  }
  return undefined;
}

/** How many open and finished orders of `mode` the classic UID has on BTCUSDT (max 500 each). */
async function countAll(mode: Mode): Promise<[number, number]> {
  const n = async (list: string) =>
    (await call(s, s.classic, 'GET', `${M(mode)}/${list}?symbol=BTCUSDT&startTime=0&limit=${list === 'open-orders' ? 100 : 500}`)).body.data.orderList
      .length as number;
  return [await n('open-orders'), await n('history-orders')];
}

async function placeSpot(key: TestKey = s.classic): Promise<string> {
  const r = await call(s, key, 'POST', '/api/v2/spot/trade/place-order', {
    symbol: 'BTCUSDT',
    side: 'buy',
    orderType: 'limit',
    force: 'gtc',
    price: '30000',
    size: '0.001',
  });
  assert.equal(r.body.code, '00000');
  return r.body.data.orderId;
}

for (const mode of ['crossed', 'isolated'] as const) {
  const other: Mode = mode === 'crossed' ? 'isolated' : 'crossed';

  describe(`margin ${mode} place-order`, () => {
    test('a limit order rests live and is listed in margin field names', async () => {
      const r = await call(s, s.classic, 'POST', `${M(mode)}/place-order`, {
        ...LIMIT,
        loanType: 'AUTOLOAN',
        force: 'GTC',
        clientOid: `${mode}-place-1`,
      });
      assert.equal(r.status, 200);
      assert.equal(r.body.code, '00000');
      assert.equal(r.body.data.clientOid, `${mode}-place-1`);
      const o = await find(mode, r.body.data.orderId);
      assert.deepEqual(
        { ...o, cTime: undefined, uTime: undefined },
        {
          orderId: r.body.data.orderId,
          clientOid: `${mode}-place-1`,
          symbol: 'BTCUSDT',
          orderType: 'limit',
          side: 'buy',
          price: '30000',
          baseSize: '0.001',
          quoteSize: '30',
          size: '0',
          amount: '0',
          priceAvg: '0',
          status: 'live',
          loanType: 'autoLoan',
          force: 'gtc',
          enterPointSource: 'API',
          cTime: undefined,
          uTime: undefined,
        },
      );
      assert.match(o.cTime, /^\d{13}$/);
    });

    test('a market buy takes quoteSize, a market sell baseSize; both end cancelled at once', async () => {
      const buy = await call(s, s.classic, 'POST', `${M(mode)}/place-order`, {
        symbol: 'BTCUSDT',
        side: 'buy',
        orderType: 'market',
        force: 'GTC',
        loanType: 'autoLoanAndRepay',
        quoteSize: '100',
      });
      assert.equal(buy.body.code, '00000', JSON.stringify(buy.body));
      const b = await find(mode, buy.body.data.orderId);
      assert.deepEqual([b.status, b.quoteSize, b.baseSize, b.size, b.loanType], ['cancelled', '100', '0', '0', 'autoLoanAndRepay']);
      const sell = await call(s, s.classic, 'POST', `${M(mode)}/place-order`, {
        symbol: 'BTCUSDT',
        side: 'sell',
        orderType: 'market',
        loanType: 'autorepay',
        baseSize: '0.001',
      });
      assert.equal(sell.body.code, '00000', JSON.stringify(sell.body));
      const x = await find(mode, sell.body.data.orderId);
      assert.deepEqual([x.status, x.baseSize, x.loanType], ['cancelled', '0.001', 'autoRepay']);
    });

    test('bad fields answer clear Bitget errors and place nothing', async () => {
      const before = await countAll(mode);
      const { baseSize: _b, ...noBase } = LIMIT;
      const { loanType: _l, ...noLoan } = LIMIT;
      const { force: _f, ...noForce } = LIMIT;
      const cases: Array<[Record<string, unknown>, string, string]> = [
        [noLoan, '40019', 'Parameter loanType cannot be empty'],
        [{ ...LIMIT, loanType: 'borrow' }, '40020', 'Parameter loanType error'],
        [{ ...LIMIT, loanType: 'constructor' }, '40020', 'Parameter loanType error'],
        [noForce, '40019', 'Parameter force cannot be empty'],
        [noBase, '40019', 'Parameter baseSize cannot be empty'],
        [{ ...LIMIT, baseSize: undefined, quoteSize: '30' }, '40019', 'Parameter baseSize cannot be empty'],
        [{ ...LIMIT, orderType: 'market', price: undefined }, '40019', 'Parameter quoteSize cannot be empty'],
        [{ ...LIMIT, symbol: 'SOLUSDT', price: '20', baseSize: '1' }, '42016', 'symbol SOLUSDT is Invalid or not supported spot trade'],
        [{ ...LIMIT, symbol: undefined }, '40019', 'Parameter symbol cannot be empty'],
        [{ ...LIMIT, side: 'short' }, '40020', 'Parameter side error'],
        [{ ...LIMIT, baseSize: 0.001 }, '40020', 'Parameter baseSize error'],
        [{ ...LIMIT, baseSize: '0.0000001' }, '40808', 'Parameter verification exception size checkBDScale error value=0.0000001 checkScale=6'],
      ];
      for (const [body, code, msg] of cases) {
        const r = await call(s, s.classic, 'POST', `${M(mode)}/place-order`, body);
        assert.equal(r.status, 400, JSON.stringify(body));
        assert.deepEqual([r.body.code, r.body.msg, r.body.data], [code, msg, null], JSON.stringify(body));
      }
      const ro = await call(s, s.readOnly, 'POST', `${M(mode)}/place-order`, LIMIT);
      assert.deepEqual([ro.body.code, ro.body.msg], ['40014', 'Incorrect permissions, need margin order write permissions']);
      const uta = await call(s, s.unified, 'POST', `${M(mode)}/place-order`, LIMIT);
      assert.equal(uta.body.code, '40085');
      assert.deepEqual(await countAll(mode), before);
    });

    test('a duplicate clientOid of an open order is refused', async () => {
      const first = await place(mode, s.classic, { clientOid: `${mode}-dup` });
      const r = await call(s, s.classic, 'POST', `${M(mode)}/place-order`, { ...LIMIT, side: 'sell', price: '40000', clientOid: `${mode}-dup` });
      assert.deepEqual([r.status, r.body.code], [400, '43118']);
      const q = await call(s, s.classic, 'GET', `${M(mode)}/open-orders?symbol=BTCUSDT&startTime=0&clientOid=${mode}-dup`);
      assert.deepEqual(q.body.data.orderList.map((o: { orderId: string }) => o.orderId), [first]);
    });
  });

  describe(`margin ${mode} batch-place-order`, () => {
    test('items are placed independently, results in request order', async () => {
      const { symbol: _s, ...item } = LIMIT;
      const r = await call(s, s.classic, 'POST', `${M(mode)}/batch-place-order`, {
        symbol: 'btcusdt',
        orderList: [
          { ...item, clientOid: `${mode}-bp-1` },
          { ...item, loanType: 'x', clientOid: `${mode}-bp-2` },
          { ...item, side: 'sell', price: '40000', clientOid: `${mode}-bp-3` },
          { ...item, clientOid: `${mode}-bp-1` },
        ],
      });
      assert.equal(r.body.code, '00000');
      assert.deepEqual(
        r.body.data.successList.map((x: { clientOid: string }) => x.clientOid),
        [`${mode}-bp-1`, `${mode}-bp-3`],
      );
      assert.deepEqual(
        r.body.data.failureList.map((x: { clientOid: string; errorCode: string; errorMsg: string }) => [x.clientOid, x.errorCode, x.errorMsg]),
        [
          [`${mode}-bp-2`, '40020', 'Parameter loanType error'],
          [`${mode}-bp-1`, '43118', 'clientOrderId duplicate'],
        ],
      );
      const o = await find(mode, r.body.data.successList[1].orderId);
      assert.deepEqual([o.side, o.price, o.status], ['sell', '40000', 'live']);
    });

    test('request-level rejections place nothing', async () => {
      const before = await countAll(mode);
      const { symbol: _s, ...item } = LIMIT;
      const cases: Array<[Record<string, unknown>, string, string]> = [
        [{ orderList: [item] }, '40019', 'Parameter symbol cannot be empty'],
        [{ symbol: ' ', orderList: [item] }, '40019', 'Parameter symbol cannot be empty'],
        [{ symbol: 'BTCUSDT' }, '40019', 'Parameter orderList cannot be empty'],
        [{ symbol: 'BTCUSDT', orderList: Array.from({ length: 51 }, () => item) }, '40017', 'Parameter verification failed orderList can not exceed 50'],
      ];
      for (const [body, code, msg] of cases) {
        const r = await call(s, s.classic, 'POST', `${M(mode)}/batch-place-order`, body);
        assert.deepEqual([r.status, r.body.code, r.body.msg], [400, code, msg], JSON.stringify(body));
      }
      assert.deepEqual(await countAll(mode), before);
      const ok = await call(s, s.classic, 'POST', `${M(mode)}/batch-place-order`, {
        symbol: 'BTCUSDT',
        orderList: Array.from({ length: 50 }, () => item),
      });
      assert.equal(ok.body.data.successList.length, 50);
      const ids = ok.body.data.successList.map((x: { orderId: string }) => x.orderId);
      const c = await call(s, s.classic, 'POST', `${M(mode)}/batch-cancel-order`, { symbol: 'BTCUSDT', orderIdList: ids });
      assert.equal(c.body.data.successList.length, 50);
    });
  });

  describe(`margin ${mode} cancel-order`, () => {
    test('cancels by orderId and by clientOid', async () => {
      const a = await place(mode);
      const r = await call(s, s.classic, 'POST', `${M(mode)}/cancel-order`, { symbol: 'BTCUSDT', orderId: a });
      assert.deepEqual([r.body.code, r.body.data], ['00000', { orderId: a, clientOid: '' }]);
      assert.equal((await find(mode, a)).status, 'cancelled');
      const b = await place(mode, s.classic, { clientOid: `${mode}-cc` });
      const r2 = await call(s, s.classic, 'POST', `${M(mode)}/cancel-order`, { symbol: 'BTCUSDT', clientOid: `${mode}-cc` });
      assert.deepEqual(r2.body.data, { orderId: b, clientOid: `${mode}-cc` });
      assert.equal((await find(mode, b)).status, 'cancelled');
    });

    test(`an order of the ${other} mode, of spot, of another UID, of another symbol or finished is not found`, async () => {
      const mine = await place(mode);
      const otherMode = await place(other);
      const spot = await placeSpot();
      const foreign = await place(mode, s.other);
      const done = await place(mode);
      await call(s, s.classic, 'POST', `${M(mode)}/cancel-order`, { symbol: 'BTCUSDT', orderId: done });
      const cases = [
        { symbol: 'BTCUSDT', orderId: otherMode },
        { symbol: 'BTCUSDT', orderId: spot },
        { symbol: 'BTCUSDT', orderId: foreign },
        { symbol: 'ETHUSDT', orderId: mine },
        { symbol: 'BTCUSDT', orderId: done },
        { symbol: 'BTCUSDT', orderId: '999' },
      ];
      for (const body of cases) {
        const r = await call(s, s.classic, 'POST', `${M(mode)}/cancel-order`, body);
        assert.deepEqual([r.status, r.body.code, r.body.msg], [400, '43001', 'The order does not exist'], JSON.stringify(body));
      }
      assert.equal((await find(mode, mine)).status, 'live');
      assert.equal((await find(other, otherMode)).status, 'live');
      assert.equal((await find(mode, foreign, s.other)).status, 'live');
      const sp = await call(s, s.classic, 'GET', `/api/v2/spot/trade/orderInfo?orderId=${spot}`);
      assert.equal(sp.body.data[0].status, 'live');
      // and the spot endpoints do not see margin orders
      const viaSpot = await call(s, s.classic, 'POST', '/api/v2/spot/trade/cancel-order', { symbol: 'BTCUSDT', orderId: mine });
      assert.equal(viaSpot.body.code, '43001');
      assert.equal(await find(mode, spot), undefined);
    });

    test('missing symbol or reference, wrong key → request errors', async () => {
      const a = await place(mode);
      const r = await call(s, s.classic, 'POST', `${M(mode)}/cancel-order`, { orderId: a });
      assert.deepEqual([r.body.code, r.body.msg], ['40019', 'Parameter symbol cannot be empty']);
      const r2 = await call(s, s.classic, 'POST', `${M(mode)}/cancel-order`, { symbol: 'BTCUSDT' });
      assert.equal(r2.body.code, '40924');
      const ro = await call(s, s.readOnly, 'POST', `${M(mode)}/cancel-order`, { symbol: 'BTCUSDT', orderId: a });
      assert.equal(ro.body.code, '40014');
      assert.equal((await find(mode, a)).status, 'live');
    });
  });

  describe(`margin ${mode} batch-cancel-order${mode === 'crossed' ? ' (seed 001)' : ''}`, () => {
    test('partial success in request order; objects, plain strings and clientId accepted', async () => {
      const ok1 = await place(mode, s.classic, { clientOid: `${mode}-bc-1` });
      const ok2 = await place(mode);
      const ok3 = await place(mode, s.classic, { clientOid: `${mode}-bc-3` });
      const ok4 = await place(mode, s.classic, { clientOid: `${mode}-bc-4` });
      const foreign = await place(mode, s.other);
      const done = await place(mode);
      await call(s, s.classic, 'POST', `${M(mode)}/cancel-order`, { symbol: 'BTCUSDT', orderId: done });
      const eth = await place(mode, s.classic, { symbol: 'ETHUSDT', price: '2000', baseSize: '0.01' });
      const otherMode = await place(other);
      const spot = await placeSpot();

      const r = await call(s, s.classic, 'POST', `${M(mode)}/batch-cancel-order`, {
        symbol: 'BTCUSDT',
        orderIdList: [
          { orderId: ok1 },
          ok2,
          { clientOid: `${mode}-bc-3` },
          { clientId: `${mode}-bc-4` },
          { orderId: '1111111111111111111' },
          { orderId: foreign },
          { orderId: done },
          { orderId: eth },
          { orderId: otherMode },
          spot,
          { clientOid: 'no-such-coid' },
        ],
      });
      assert.equal(r.status, 200);
      assert.equal(r.body.code, '00000');
      assert.deepEqual(r.body.data.successList, [
        { orderId: ok1, clientOid: `${mode}-bc-1` },
        { orderId: ok2, clientOid: '' },
        { orderId: ok3, clientOid: `${mode}-bc-3` },
        { orderId: ok4, clientOid: `${mode}-bc-4` },
      ]);
      const nf = (orderId: string, clientOid = '') => ({ orderId, clientOid, errorMsg: 'The order does not exist', errorCode: '43001' });
      assert.deepEqual(r.body.data.failureList, [
        nf('1111111111111111111'),
        nf(foreign),
        nf(done),
        nf(eth),
        nf(otherMode),
        nf(spot),
        nf('', 'no-such-coid'),
      ]);
      for (const id of [ok1, ok2, ok3, ok4]) assert.equal((await find(mode, id)).status, 'cancelled');
      assert.equal((await find(mode, foreign, s.other)).status, 'live');
      assert.equal((await find(mode, eth, s.classic, 'ETHUSDT')).status, 'live');
      assert.equal((await find(other, otherMode)).status, 'live');
    });

    test('request-level rejections cancel nothing', async () => {
      const a = await place(mode);
      const cases: Array<[Record<string, unknown>, string, string]> = [
        [{ orderIdList: [{ orderId: a }] }, '40019', 'Parameter symbol cannot be empty'],
        [{ symbol: '', orderIdList: [{ orderId: a }] }, '40019', 'Parameter symbol cannot be empty'],
        [{ symbol: 'BTCUSDT' }, '40019', 'Parameter orderIdList cannot be empty'],
        [{ symbol: 'BTCUSDT', orderIdList: [] }, '40019', 'Parameter orderIdList cannot be empty'],
        [{ symbol: 'BTCUSDT', orderIdList: [a, {}] }, '40924', 'orderId and clientOid must have one'],
        [{ symbol: 'BTCUSDT', orderIdList: [a, ''] }, '40924', 'orderId and clientOid must have one'],
        [{ symbol: 'BTCUSDT', orderIdList: [a, 42] }, '40020', 'Parameter orderIdList error'],
        [{ symbol: 'BTCUSDT', orderIdList: [a, ...Array.from({ length: 50 }, (_, i) => String(i + 1))] }, '40912', 'single cancel cannot exceed 50'],
      ];
      for (const [body, code, msg] of cases) {
        const r = await call(s, s.classic, 'POST', `${M(mode)}/batch-cancel-order`, body);
        assert.deepEqual([r.status, r.body.code, r.body.msg, r.body.data], [400, code, msg, null], JSON.stringify(body));
      }
      const ro = await call(s, s.readOnly, 'POST', `${M(mode)}/batch-cancel-order`, { symbol: 'BTCUSDT', orderIdList: [a] });
      assert.equal(ro.body.code, '40014');
      const uta = await call(s, s.unified, 'POST', `${M(mode)}/batch-cancel-order`, { symbol: 'BTCUSDT', orderIdList: [a] });
      assert.equal(uta.body.code, '40085');
      assert.equal((await find(mode, a)).status, 'live');
    });

    test('a partially filled order shows partial_fill and keeps its fill when cancelled', async () => {
      const a = await place(mode, s.classic, { baseSize: '0.003' });
      await s.og.engine.fill(a, '0.001');
      const open = await find(mode, a);
      assert.deepEqual([open.status, open.baseSize, open.size, open.amount, open.priceAvg], ['partial_fill', '0.003', '0.001', '30', '30000']);
      const r = await call(s, s.classic, 'POST', `${M(mode)}/batch-cancel-order`, { symbol: 'BTCUSDT', orderIdList: [{ orderId: a }] });
      assert.equal(r.body.data.successList.length, 1);
      const h = await find(mode, a);
      assert.deepEqual([h.status, h.baseSize, h.size, h.amount], ['cancelled', '0.003', '0.001', '30']);
    });
  });
}

describe('margin open-orders / history-orders', () => {
  test('shape, required params, mode isolation, paging and status spellings', async () => {
    const fresh = await startTestServer();
    try {
      const k = fresh.classic;
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) ids.push(await place('crossed', k, {}, fresh));
      const iso = await place('isolated', k, {}, fresh);
      await call(fresh, k, 'POST', '/api/v2/spot/trade/place-order', {
        symbol: 'BTCUSDT', side: 'buy', orderType: 'limit', force: 'gtc', price: '30000', size: '0.001',
      });
      await fresh.og.engine.fill(ids[0]);
      await call(fresh, k, 'POST', `${M('crossed')}/cancel-order`, { symbol: 'BTCUSDT', orderId: ids[1] });

      const open = await call(fresh, k, 'GET', `${M('crossed')}/open-orders?symbol=BTCUSDT&startTime=0`);
      assert.equal(open.body.code, '00000');
      assert.deepEqual(open.body.data.orderList.map((o: { orderId: string }) => o.orderId), [ids[2]]);
      assert.equal(open.body.data.maxId, ids[2]);
      assert.equal(open.body.data.minId, ids[2]);
      const isoOpen = await call(fresh, k, 'GET', `${M('isolated')}/open-orders?symbol=btcusdt&startTime=0`);
      assert.deepEqual(isoOpen.body.data.orderList.map((o: { orderId: string }) => o.orderId), [iso]);

      const hist = await call(fresh, k, 'GET', `${M('crossed')}/history-orders?symbol=BTCUSDT&startTime=0`);
      assert.deepEqual(
        hist.body.data.orderList.map((o: { orderId: string; status: string }) => [o.orderId, o.status]),
        [
          [ids[1], 'cancelled'],
          [ids[0], 'filled'],
        ],
      );
      assert.deepEqual([hist.body.data.maxId, hist.body.data.minId], [ids[1], ids[0]]);
      const page = await call(fresh, k, 'GET', `${M('crossed')}/history-orders?symbol=BTCUSDT&startTime=0&limit=1&idLessThan=${ids[1]}`);
      assert.deepEqual(page.body.data.orderList.map((o: { orderId: string }) => o.orderId), [ids[0]]);
      const later = await call(fresh, k, 'GET', `${M('crossed')}/history-orders?symbol=BTCUSDT&startTime=${Date.now() + 60_000}`);
      assert.deepEqual(later.body.data.orderList, []);
      const big = await call(fresh, k, 'GET', `${M('crossed')}/history-orders?symbol=BTCUSDT&startTime=0&limit=500`);
      assert.equal(big.body.code, '00000');

      const errors: Array<[string, string, string]> = [
        [`${M('crossed')}/open-orders?symbol=BTCUSDT`, '40019', 'Parameter startTime cannot be empty'],
        [`${M('crossed')}/open-orders?startTime=0`, '40019', 'Parameter symbol cannot be empty'],
        [`${M('crossed')}/open-orders?symbol=BTCUSDT&startTime=`, '40019', 'Parameter startTime cannot be empty'],
        [`${M('crossed')}/open-orders?symbol=BTCUSDT&startTime=yesterday`, '40020', 'Parameter startTime error'],
        [`${M('crossed')}/open-orders?symbol=BTCUSDT&startTime=0&limit=101`, '40020', 'Parameter limit error'],
        [`${M('isolated')}/history-orders?symbol=BTCUSDT&startTime=0&limit=501`, '40020', 'Parameter limit error'],
      ];
      for (const [path, code, msg] of errors) {
        const r = await call(fresh, k, 'GET', path);
        assert.deepEqual([r.status, r.body.code, r.body.msg], [400, code, msg], path);
      }
      const ro = await call(fresh, fresh.readOnly, 'GET', `${M('crossed')}/open-orders?symbol=BTCUSDT&startTime=0`);
      assert.equal(ro.body.data.orderList.length, 1);
      const uta = await call(fresh, fresh.unified, 'GET', `${M('crossed')}/open-orders?symbol=BTCUSDT&startTime=0`);
      assert.equal(uta.body.code, '40085');
      const foreign = await call(fresh, fresh.other, 'GET', `${M('crossed')}/open-orders?symbol=BTCUSDT&startTime=0`);
      assert.deepEqual(foreign.body.data.orderList, []);
    } finally {
      await fresh.close();
    }
  });

  test('ccxt parses the margin order shape', async () => {
    const { default: ccxt } = await import('ccxt');
    const ex = new ccxt.bitget();
    const market = { id: 'BTCUSDT', symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', spot: true, margin: true, type: 'spot', settle: undefined };
    const a = await place('crossed', s.classic, { baseSize: '0.002', force: 'post_only' });
    await s.og.engine.fill(a, '0.0005');
    const o = ex.parseOrder(await find('crossed', a), market as never);
    assert.deepEqual([o.status, o.amount, o.filled, o.price, o.average, o.postOnly], ['open', 0.002, 0.0005, 30000, 30000, true]);
  });
});
