/**
 * Funding a test account (issue 10 item 6) through the server: the start balance credited at
 * account creation into every account type, `POST /admin/deposit`, `POST /admin/reset`, and the
 * balance endpoints that show them (spot, margin, mix, v3).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { call, startTestServer, type TestServer } from '../helpers.js';

const ADMIN = 'admin-token-for-money-tests';
let s: TestServer;
before(async () => {
  s = await startTestServer({ adminToken: ADMIN, startBalance: 'USDT=1000,BTC=2' });
});
after(async () => {
  await s?.close();
});

async function admin(path: string, body: unknown) {
  const res = await s.og.app.inject({ method: 'POST', url: path, headers: { 'content-type': 'application/json', 'x-admin-token': ADMIN }, payload: JSON.stringify(body) });
  return JSON.parse(res.body) as { code: string; msg: string; data: any };
}

const MIX = { productType: 'USDT-FUTURES', marginCoin: 'USDT' };

describe('start balance and deposits', () => {
  test('a new classic UID has the start balance in spot, cross and isolated margin, USDT-M and COIN-M; a unified UID in unified', async () => {
    const spot = (await call(s, s.classic, 'GET', '/api/v2/spot/account/assets')).body.data;
    assert.deepEqual(
      spot.map((b: any) => [b.coin, b.available, b.frozen]),
      [
        ['BTC', '2', '0'],
        ['USDT', '1000', '0'],
      ],
    );
    const crossed = (await call(s, s.classic, 'GET', '/api/v2/margin/crossed/account/assets')).body.data;
    assert.deepEqual(crossed.map((b: any) => [b.coin, b.totalAmount]), [['BTC', '2'], ['USDT', '1000']]);
    const isolated = (await call(s, s.classic, 'GET', '/api/v2/margin/isolated/account/assets?symbol=BTCUSDT')).body.data;
    assert.deepEqual(isolated.map((b: any) => [b.symbol, b.coin, b.available]), [['BTCUSDT', 'BTC', '2'], ['BTCUSDT', 'USDT', '1000']]);
    const usdtM = (await call(s, s.classic, 'GET', '/api/v2/mix/account/accounts?productType=USDT-FUTURES')).body.data;
    assert.deepEqual(usdtM.map((a: any) => [a.marginCoin, a.available, a.accountEquity, a.maxTransferOut]), [['USDT', '1000', '1000', '1000']]);
    const coinM = (await call(s, s.classic, 'GET', '/api/v2/mix/account/accounts?productType=COIN-FUTURES')).body.data;
    assert.deepEqual(coinM.map((a: any) => [a.marginCoin, a.available]), [['BTC', '2']]);
    const uta = (await call(s, s.unified, 'GET', '/api/v3/account/assets')).body.data;
    assert.equal(uta.accountEquity, '1000');
    assert.deepEqual(uta.assets.map((a: any) => [a.coin, a.balance, a.available, a.locked]), [['BTC', '2', '2', '0'], ['USDT', '1000', '1000', '0']]);
  });

  test('POST /admin/deposit credits one account; bad amount, account and UID are 40020 and change nothing', async () => {
    const r = await admin('/admin/deposit', { uid: s.classic.uid, coin: 'usdt', amount: '250.5', account: 'usdt-futures' });
    assert.equal(r.code, '00000');
    assert.deepEqual(r.data, { uid: s.classic.uid, account: 'futures:USDT-FUTURES:USDT', coin: 'USDT', available: '1250.5', frozen: '0' });
    for (const [body, what] of [
      [{ uid: s.classic.uid, coin: 'USDT', amount: '-1' }, 'amount'],
      [{ uid: s.classic.uid, coin: 'USDT', amount: '0.123456789' }, 'amount'],
      [{ uid: s.classic.uid, coin: 'BTC', amount: '1', account: 'usdt-futures' }, 'account'],
      [{ uid: s.classic.uid, coin: 'USDT', amount: '1', account: 'savings' }, 'account'],
      [{ uid: '123', coin: 'USDT', amount: '1' }, 'uid'],
    ] as const) {
      const bad = await admin('/admin/deposit', body);
      assert.equal(bad.code, '40020', JSON.stringify(body));
      assert.equal(bad.msg, `Parameter ${what} error`);
    }
    const usdtM = (await call(s, s.classic, 'GET', '/api/v2/mix/account/accounts?productType=USDT-FUTURES')).body.data;
    assert.equal(usdtM[0].available, '1250.5');
  });

  test('POST /admin/reset: open orders cancelled, positions closed, every balance back to the start balance', async () => {
    const place = (body: object) => call(s, s.other, 'POST', '/api/v2/mix/order/place-order', { symbol: 'BTCUSDT', ...MIX, marginMode: 'crossed', orderType: 'limit', force: 'gtc', ...body });
    const a = await place({ side: 'buy', price: '30000', size: '0.1' });
    assert.equal(a.body.code, '00000');
    const b = await place({ side: 'buy', price: '20000', size: '0.1' });
    assert.equal((await admin('/admin/fill', { orderId: a.body.data.orderId })).code, '00000');
    let positions = (await call(s, s.other, 'GET', '/api/v2/mix/position/all-position?productType=USDT-FUTURES')).body.data;
    assert.equal(positions.length, 1);
    assert.equal(positions[0].total, '0.1');
    assert.equal(positions[0].marginSize, '150'); // 3000 / 20x
    let acc = (await call(s, s.other, 'GET', '/api/v2/mix/account/accounts?productType=USDT-FUTURES')).body.data[0];
    assert.notEqual(acc.locked, '0', 'order b holds margin');
    const r = await admin('/admin/reset', { uid: s.other.uid });
    assert.deepEqual(r.data, { uid: s.other.uid, cancelled: 1 });
    positions = (await call(s, s.other, 'GET', '/api/v2/mix/position/all-position?productType=USDT-FUTURES')).body.data;
    assert.deepEqual(positions, []);
    acc = (await call(s, s.other, 'GET', '/api/v2/mix/account/accounts?productType=USDT-FUTURES')).body.data[0];
    assert.deepEqual([acc.available, acc.locked, acc.accountEquity], ['1000', '0', '1000']);
    const open = (await call(s, s.other, 'GET', '/api/v2/mix/order/orders-pending?productType=USDT-FUTURES')).body.data;
    assert.equal((open.entrustedList ?? []).length, 0);
    assert.equal(b.body.code, '00000');
    assert.equal((await admin('/admin/reset', { uid: '999' })).code, '40020');
  });
});
