/**
 * End to end, money (issue 10): a real listening ordergate driven by the unmodified `bitget-api`
 * SDK. Balances in every account type, a hold taken at placement and released by a cancel,
 * a refusal beyond the balance, a fill that opens a futures position with a fee, and the v3
 * unified account. Amounts compared as decimals (decimal.js), never as JS floats.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { RestClientV2, RestClientV3 } from 'bitget-api';
import { Decimal } from 'decimal.js';
import { createApp, type OrdergateApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createKey } from '../../src/accounts/keys.js';

type Creds = { apiKey: string; secretKey: string; passphrase: string };
const eq = (a: string, b: string) => assert.ok(new Decimal(a).eq(b), `${a} != ${b}`);

describe('bitget-api SDK: money against a real ordergate server', () => {
  let og: OrdergateApp;
  let v2: RestClientV2;
  let v3: RestClientV3;

  before(async () => {
    og = await createApp({ ...loadConfig({}), dbPath: ':memory:', port: 0, logLevel: 'silent', demoKeys: false, rateLimit: false, startBalance: 'USDT=100000,BTC=2' });
    const classic: Creds = await createKey(og.store.keys, og.master, { uid: '7780001', mode: 'classic', permission: 'trade', ips: [] });
    const unified: Creds = await createKey(og.store.keys, og.master, { uid: '7780002', mode: 'unified', permission: 'trade', ips: [] });
    await og.keyring.refresh();
    const baseUrl = await og.app.listen({ host: '127.0.0.1', port: 0 });
    v2 = new RestClientV2({ apiKey: classic.apiKey, apiSecret: classic.secretKey, apiPass: classic.passphrase, baseUrl });
    v3 = new RestClientV3({ apiKey: unified.apiKey, apiSecret: unified.secretKey, apiPass: unified.passphrase, baseUrl });
  });
  after(async () => og?.close());

  const spotUsdt = async () => {
    const { data } = await v2.getSpotAccountAssets({ coin: 'USDT' });
    const row = data.find((a) => a.coin === 'USDT');
    assert.ok(row, JSON.stringify(data));
    return row;
  };

  it('spot: the start balance; a limit buy holds price x size; its cancel releases it exactly', async () => {
    const start = await spotUsdt();
    eq(start.available, '100000');
    eq(start.frozen, '0');
    const { data: placed } = await v2.spotSubmitOrder({ symbol: 'BTCUSDT', side: 'buy', orderType: 'limit', force: 'gtc', price: '30000', size: '0.5' });
    const held = await spotUsdt();
    eq(held.frozen, '15000');
    eq(held.available, '85000');
    await v2.spotCancelOrder({ symbol: 'BTCUSDT', orderId: placed.orderId });
    const back = await spotUsdt();
    eq(back.frozen, '0');
    eq(back.available, '100000');
  });

  it('spot: a sell beyond the balance is refused with 43012 and holds nothing', async () => {
    await assert.rejects(
      v2.spotSubmitOrder({ symbol: 'BTCUSDT', side: 'sell', orderType: 'limit', force: 'gtc', price: '30000', size: '3' }),
      (e: { body: { code: string; msg: string } }) => e.body.code === '43012',
    );
    const { data } = await v2.getSpotAccountAssets({ coin: 'BTC' });
    const btc = data.find((a) => a.coin === 'BTC');
    assert.ok(btc);
    eq(btc.available, '2');
    eq(btc.frozen, '0');
  });

  it('futures: a filled open order becomes a position, the fee shows in the fills, the account shows the margin', async () => {
    const { data: before } = await v2.getFuturesAccountAssets({ productType: 'USDT-FUTURES' });
    const usdtBefore = before.find((a) => a.marginCoin === 'USDT');
    assert.ok(usdtBefore, JSON.stringify(before));
    await v2.setFuturesLeverage({ symbol: 'BTCUSDT', productType: 'USDT-FUTURES', marginCoin: 'USDT', leverage: '10' });
    const { data: placed } = await v2.futuresSubmitOrder({
      symbol: 'BTCUSDT', productType: 'USDT-FUTURES', marginMode: 'crossed', marginCoin: 'USDT',
      side: 'buy', orderType: 'limit', force: 'gtc', price: '30000', size: '0.1',
    });
    await og.engine.fill(placed.orderId);
    const { data: positions } = await v2.getFuturesPositions({ productType: 'USDT-FUTURES', marginCoin: 'USDT' });
    const pos = positions.find((p) => p.symbol === 'BTCUSDT');
    assert.ok(pos, JSON.stringify(positions));
    eq(pos.total, '0.1');
    eq(pos.openPriceAvg, '30000');
    assert.equal(pos.holdSide, 'long');
    const { data: fills } = await v2.getFuturesFills({ productType: 'USDT-FUTURES', symbol: 'BTCUSDT' });
    const fill = fills.fillList.find((f) => f.orderId === placed.orderId);
    assert.ok(fill, JSON.stringify(fills));
    assert.ok(Array.isArray(fill.feeDetail), 'mix fills carry feeDetail as an array');
    assert.ok(new Decimal(fill.feeDetail[0].totalFee).abs().gt(0), JSON.stringify(fill.feeDetail));
    const { data: after } = await v2.getFuturesAccountAssets({ productType: 'USDT-FUTURES' });
    const usdtAfter = after.find((a) => a.marginCoin === 'USDT');
    assert.ok(usdtAfter);
    assert.ok(new Decimal(usdtAfter.available).lt(usdtBefore.available), 'margin and fee left the available balance');
  });

  it('unified: balances, a hold and its release through v3 cancel-order', async () => {
    const usdt = async () => {
      const { data } = await v3.getBalances();
      const a = data.assets.find((x) => x.coin === 'USDT');
      assert.ok(a, JSON.stringify(data));
      return a;
    };
    eq((await usdt()).available, '100000');
    const { data: placed } = await v3.submitNewOrder({ category: 'SPOT', symbol: 'BTCUSDT', side: 'buy', orderType: 'limit', timeInForce: 'gtc', price: '20000', qty: '1' });
    eq((await usdt()).locked, '20000');
    await v3.cancelOrder({ orderId: placed.orderId });
    const back = await usdt();
    eq(back.locked, '0');
    eq(back.available, '100000');
  });
});
