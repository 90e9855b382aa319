/**
 * End to end, money (issue 10): a real listening ordergate driven by the unmodified ccxt
 * (bitget), classic and UTA: fetchBalance shows the start balance; an order beyond the balance
 * raises ccxt's InsufficientFunds (classic) / the 25202 error (UTA, which ccxt does not map);
 * open orders hold, cancelAllOrders returns every held coin to available; after an admin fill,
 * fetchMyTrades shows the trade with its fee; fetchPositions, setLeverage, fetchLeverage,
 * setMarginMode, setPositionMode.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import ccxt from 'ccxt';
import { createApp, type OrdergateApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createKey } from '../../src/accounts/keys.js';

type Creds = { apiKey: string; secretKey: string; passphrase: string };
const API_KEYS = ['spot', 'mix', 'user', 'p2p', 'broker', 'margin', 'common', 'tax', 'convert', 'copy', 'earn', 'uta'];

let og: OrdergateApp;
let baseUrl: string;
let exClassic: InstanceType<typeof ccxt.bitget>;
let exUta: InstanceType<typeof ccxt.bitget>;

function bitget(k: Creds, uta: boolean) {
  const api = Object.fromEntries(API_KEYS.map((key) => [key, baseUrl]));
  return new ccxt.bitget({ apiKey: k.apiKey, secret: k.secretKey, password: k.passphrase, urls: { api }, options: { uta }, enableRateLimit: false });
}

before(async () => {
  og = await createApp({ ...loadConfig({}), dbPath: ':memory:', port: 0, logLevel: 'silent', demoKeys: false, rateLimit: false, startBalance: 'USDT=10000,BTC=1' });
  const classic = await createKey(og.store.keys, og.master, { uid: '8890001', mode: 'classic', permission: 'trade', ips: [] });
  const unified = await createKey(og.store.keys, og.master, { uid: '8890002', mode: 'unified', permission: 'trade', ips: [] });
  await og.keyring.refresh();
  baseUrl = await og.app.listen({ host: '127.0.0.1', port: 0 });
  exClassic = bitget(classic, false);
  exUta = bitget(unified, true);
  await exClassic.loadMarkets();
  await exUta.loadMarkets();
});
after(async () => og?.close());

const idOf = (o: { id?: string }) => o.id as string;

describe('ccxt fetchBalance shows the start balance', () => {
  it('classic spot, swap (USDT-M), cross margin', async () => {
    const spot = await exClassic.fetchBalance();
    assert.equal(spot.USDT.free, 10000);
    assert.equal(spot.BTC.free, 1);
    assert.equal(spot.USDT.used, 0);
    const swap = await exClassic.fetchBalance({ type: 'swap' });
    assert.equal(swap.USDT.free, 10000);
    assert.equal(swap.USDT.total, 10000);
    const cross = await exClassic.fetchBalance({ type: 'margin', marginMode: 'cross' });
    assert.equal(cross.USDT.total, 10000);
  });
  it('UTA', async () => {
    const b = await exUta.fetchBalance();
    assert.equal(b.USDT.free, 10000);
    assert.equal(b.USDT.total, 10000);
    assert.equal(b.BTC.total, 1);
  });
});

describe('ccxt createOrder beyond the balance', () => {
  it('classic spot and swap raise InsufficientFunds and change nothing', async () => {
    await assert.rejects(exClassic.createOrder('BTC/USDT', 'limit', 'buy', 1, 30000), (e: unknown) => e instanceof ccxt.InsufficientFunds && /43012/.test(String(e)));
    await assert.rejects(exClassic.createOrder('BTC/USDT', 'limit', 'sell', 2, 30000), ccxt.InsufficientFunds);
    // 10 BTC at 30000, 20x: 15000 USDT of margin
    await assert.rejects(exClassic.createOrder('BTC/USDT:USDT', 'limit', 'buy', 10, 30000), (e: unknown) => e instanceof ccxt.InsufficientFunds && /40762/.test(String(e)));
    const spot = await exClassic.fetchBalance();
    assert.equal(spot.USDT.free, 10000);
    assert.equal(spot.USDT.used, 0);
  });
  it('UTA answers 25202 (ccxt maps it to ExchangeError only)', async () => {
    await assert.rejects(exUta.createOrder('BTC/USDT', 'limit', 'buy', 1, 30000), (e: unknown) => e instanceof ccxt.ExchangeError && /25202/.test(String(e)));
  });
});

describe('transfers between a UID\'s accounts', () => {
  it('ccxt transfer spot -> swap moves the coin; beyond available is refused with 40754 and changes nothing', async () => {
    const t = await exClassic.transfer('USDT', 100, 'spot', 'swap');
    assert.match(String(t.id), /^\d+$/);
    assert.equal((await exClassic.fetchBalance()).USDT.free, 9900);
    assert.equal((await exClassic.fetchBalance({ type: 'swap' })).USDT.free, 10100);
    await assert.rejects(exClassic.transfer('USDT', 1_000_000, 'swap', 'spot'), (e: unknown) => /40754/.test(String(e)));
    await exClassic.transfer('USDT', 100, 'swap', 'spot');
    assert.equal((await exClassic.fetchBalance()).USDT.free, 10000);
    assert.equal((await exClassic.fetchBalance({ type: 'swap' })).USDT.free, 10000);
  });
});

describe('holds and cancelAllOrders', () => {
  it('classic spot: open orders hold, cancelAllOrders returns every held coin to available', async () => {
    await exClassic.createOrder('BTC/USDT', 'limit', 'buy', 0.1, 20000); // holds 2000 USDT
    await exClassic.createOrder('BTC/USDT', 'limit', 'sell', 0.25, 90000); // holds 0.25 BTC
    let b = await exClassic.fetchBalance();
    assert.equal(b.USDT.free, 8000);
    assert.equal(b.USDT.used, 2000);
    assert.equal(b.BTC.free, 0.75);
    assert.equal(b.BTC.used, 0.25);
    await exClassic.cancelAllOrders('BTC/USDT');
    b = await exClassic.fetchBalance();
    assert.equal(b.USDT.free, 10000);
    assert.equal(b.USDT.used, 0);
    assert.equal(b.BTC.free, 1);
    assert.equal(b.BTC.used, 0);
  });
  it('classic swap: margin held by open orders comes back on cancelAllOrders', async () => {
    await exClassic.createOrder('BTC/USDT:USDT', 'limit', 'buy', 0.1, 20000); // 100 margin + 1.2 fee headroom
    let b = await exClassic.fetchBalance({ type: 'swap' });
    assert.equal(b.USDT.free, 10000 - 101.2);
    await exClassic.cancelAllOrders('BTC/USDT:USDT');
    b = await exClassic.fetchBalance({ type: 'swap' });
    assert.equal(b.USDT.free, 10000);
  });
  it('UTA: cancelAllOrders returns the hold', async () => {
    await exUta.createOrder('BTC/USDT', 'limit', 'buy', 0.1, 20000);
    let b = await exUta.fetchBalance();
    assert.equal(b.USDT.free, 8000);
    await exUta.cancelAllOrders('BTC/USDT');
    b = await exUta.fetchBalance();
    assert.equal(b.USDT.free, 10000);
  });
});

describe('fills, trades, positions, leverage', () => {
  it('classic spot: place -> fill -> fetchMyTrades shows the trade with its fee', async () => {
    const id = idOf(await exClassic.createOrder('BTC/USDT', 'limit', 'buy', 0.01, 30000));
    await og.engine.fill(id);
    const trades = await exClassic.fetchMyTrades('BTC/USDT');
    assert.equal(trades.length, 1);
    assert.equal(trades[0].order, id);
    assert.equal(trades[0].price, 30000);
    assert.equal(trades[0].amount, 0.01);
    assert.equal(trades[0].fee?.currency, 'BTC');
    assert.equal(trades[0].fee?.cost, 0.00001); // 0.1% of the base received
    const b = await exClassic.fetchBalance();
    assert.equal(b.USDT.free, 10000 - 300);
    assert.equal(b.BTC.free, 1 + 0.01 - 0.00001);
  });
  it('classic swap: setLeverage, fill opens a position, fetchPositions / fetchLeverage, trades with fee', async () => {
    await exClassic.setLeverage(10, 'BTC/USDT:USDT');
    const lev = await exClassic.fetchLeverage('BTC/USDT:USDT');
    assert.equal(lev.longLeverage, 10);
    const id = idOf(await exClassic.createOrder('BTC/USDT:USDT', 'limit', 'buy', 0.1, 30000));
    await og.engine.fill(id);
    const positions = await exClassic.fetchPositions(['BTC/USDT:USDT']);
    assert.equal(positions.length, 1);
    assert.equal(positions[0].side, 'long');
    assert.equal(positions[0].contracts, 0.1);
    assert.equal(positions[0].entryPrice, 30000);
    assert.equal(positions[0].leverage, 10);
    const one = await exClassic.fetchPosition('BTC/USDT:USDT');
    assert.equal(one.contracts, 0.1);
    assert.equal(one.marginMode, 'cross');
    const trades = await exClassic.fetchMyTrades('BTC/USDT:USDT');
    assert.equal(trades.length, 1);
    assert.equal(trades[0].fee?.cost, 0.6); // 0.02% maker of 3000
    assert.equal(trades[0].fee?.currency, 'USDT');
    // 300 margin to the position, 0.6 fee
    const b = await exClassic.fetchBalance({ type: 'swap' });
    assert.equal(b.USDT.free, 10000 - 300 - 0.6);
    assert.equal(b.USDT.total, 10000 - 0.6);
    await exClassic.setMarginMode('isolated', 'BTC/USDT:USDT');
    await exClassic.setPositionMode(true, 'BTC/USDT:USDT');
    const acc = await exClassic.fetchLeverage('BTC/USDT:USDT');
    assert.equal(acc.marginMode, 'isolated');
  });
  it('classic cross margin: place -> fill -> fetchMyTrades (margin fills) shows the fee', async () => {
    const id = idOf(await exClassic.createOrder('BTC/USDT', 'limit', 'sell', 0.01, 30000, { marginMode: 'cross' }));
    await og.engine.fill(id);
    const trades = await exClassic.fetchMyTrades('BTC/USDT', undefined, undefined, { marginMode: 'cross' });
    assert.equal(trades.length, 1);
    assert.equal(trades[0].order, id);
    assert.equal(trades[0].fee?.currency, 'USDT');
    assert.equal(trades[0].fee?.cost, 0.3); // 0.1% of 300 received
    const cross = await exClassic.fetchBalance({ type: 'margin', marginMode: 'cross' });
    assert.equal(cross.USDT.total, 10000 + 300 - 0.3);
  });
  it('classic spot: fetchLedger (account/bills) lists deposits, transfers, trades and fees with the balance after', async () => {
    const ledger = await exClassic.fetchLedger('USDT', undefined, 100);
    assert.ok(ledger.length >= 4, JSON.stringify(ledger.map((l) => l.info)));
    const infos = ledger.map((l) => l.info as Record<string, string>);
    assert.ok(infos.some((i) => i.businessType === 'deposit' && i.size === '10000'));
    assert.ok(infos.some((i) => i.businessType === 'transfer_out' && i.size === '-100'));
    assert.ok(infos.some((i) => i.businessType === 'trade' && i.size === '-300'));
    const newest = infos.reduce((a, b) => (BigInt(a.billId) > BigInt(b.billId) ? a : b));
    const b = await exClassic.fetchBalance();
    assert.equal(Number(newest.balance), b.USDT.total);
  });
  it('fetchTradingFee in both modes shows the catalogue rates', async () => {
    const c = await exClassic.fetchTradingFee('BTC/USDT');
    assert.equal(c.maker, 0.001);
    assert.equal(c.taker, 0.001);
    const u = await exUta.fetchTradingFee('BTC/USDT:USDT');
    assert.equal(u.maker, 0.0002);
    assert.equal(u.taker, 0.0006);
  });
  it('orders show their fees: swap fetchOrder after a fill', async () => {
    const id = idOf(await exClassic.createOrder('BTC/USDT:USDT', 'limit', 'buy', 0.1, 30000));
    await og.engine.fill(id);
    const o = await exClassic.fetchOrder(id, 'BTC/USDT:USDT');
    assert.equal(o.fee?.cost, 0.6);
  });
  it('UTA: fill -> fetchMyTrades; fetchPositions on the unified account', async () => {
    const id = idOf(await exUta.createOrder('BTC/USDT:USDT', 'limit', 'sell', 0.1, 30000));
    await og.engine.fill(id);
    const trades = await exUta.fetchMyTrades('BTC/USDT:USDT');
    assert.ok(trades.some((t) => t.order === id));
    const o = await exUta.fetchOrder(id, 'BTC/USDT:USDT');
    assert.equal(o.status, 'closed');
    const positions = await exUta.fetchPositions(['BTC/USDT:USDT']);
    assert.equal(positions.length, 1);
    assert.equal(positions[0].side, 'short');
    assert.equal(positions[0].contracts, 0.1);
  });
});
