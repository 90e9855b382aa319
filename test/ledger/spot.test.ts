import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCatalogue } from '../../src/markets/catalogue.js';
import { applyEntries, balanceOf, depositEntries, type Balance, type BalanceBook } from '../../src/ledger/balances.js';
import { futuresFee, spotFee } from '../../src/ledger/fees.js';
import { consume, holdEntries, holdFor, releaseEntries } from '../../src/ledger/holds.js';
import { settleSpotFill } from '../../src/ledger/settle.js';

const cat = loadCatalogue();
const spot = cat.get('SPOT', 'BTCUSDT')!;
const usdtM = cat.get('USDT-FUTURES', 'BTCUSDT')!;
const coinM = cat.get('COIN-FUTURES', 'BTCUSD')!;
const bal = (b: BalanceBook, uid: string, coin: string): Balance => balanceOf(b, uid, 'spot', coin);

test('fee rates come from the catalogue: spot 0.1%/0.1%, futures 0.02%/0.06%', () => {
  assert.equal(spot.makerFeeRate, '0.001');
  assert.equal(spot.takerFeeRate, '0.001');
  assert.equal(usdtM.makerFeeRate, '0.0002');
  assert.equal(usdtM.takerFeeRate, '0.0006');
});

test('spot fee is charged in the received coin and rounded up to 8 decimals', () => {
  assert.deepEqual(spotFee(spot, 'buy', 'taker', '0.004', '29000'), { feeCoin: 'BTC', fee: '0.000004', rate: '0.001' });
  assert.deepEqual(spotFee(spot, 'sell', 'maker', '0.004', '30000'), { feeCoin: 'USDT', fee: '0.12', rate: '0.001' });
  // 0.000001 BTC x 0.001 = 1e-9: rounded UP to the 8-decimal scale, never to zero
  assert.equal(spotFee(spot, 'buy', 'maker', '0.000001', '30000').fee, '0.00000001');
  assert.equal(futuresFee(usdtM, 'USDT', 'maker', '0.1', '30000').fee, '0.6');
  assert.equal(futuresFee(usdtM, 'USDT', 'taker', '0.1', '30000').fee, '1.8');
  // COIN-M: size x rate in the base coin, whatever the price
  assert.equal(futuresFee(coinM, 'BTC', 'taker', '0.1', '30000').fee, '0.00006');
  assert.equal(futuresFee(coinM, 'BTC', 'taker', '0.1', '99999').fee, '0.00006');
});

test('what an order holds: spot buy price x size quote, sell size base, market buy its quote size; futures margin + taker-fee headroom', () => {
  assert.deepEqual(holdFor({ side: 'buy', orderType: 'limit', price: '30000', size: '0.01' }, spot), { coin: 'USDT', amount: '300' });
  assert.deepEqual(holdFor({ side: 'sell', orderType: 'limit', price: '30000', size: '0.01' }, spot), { coin: 'BTC', amount: '0.01' });
  assert.deepEqual(holdFor({ side: 'sell', orderType: 'market', price: '', size: '0.01' }, spot), { coin: 'BTC', amount: '0.01' });
  assert.deepEqual(holdFor({ side: 'buy', orderType: 'market', price: '', size: '100' }, spot), { coin: 'USDT', amount: '100' });
  const fut = { side: 'buy', orderType: 'limit', price: '30000', size: '0.1', leverage: '10', marginCoin: 'USDT' } as const;
  // 3000 / 10 + 3000 x 0.0006
  assert.deepEqual(holdFor(fut, usdtM), { coin: 'USDT', amount: '301.8' });
  // leverage 7: 3000 / 7 = 428.571428571... rounded UP to 8 decimals, + 1.8
  assert.deepEqual(holdFor({ ...fut, leverage: '7' }, usdtM), { coin: 'USDT', amount: '430.37142858' });
  assert.deepEqual(holdFor({ ...fut, orderType: 'market', price: '' }, usdtM, '31000'), { coin: 'USDT', amount: '311.86' });
  assert.deepEqual(holdFor({ ...fut, reducing: true }, usdtM), { coin: 'USDT', amount: '0' });
  // COIN-M: size / leverage + size x taker, in BTC
  assert.deepEqual(holdFor({ ...fut, marginCoin: 'BTC' }, coinM), { coin: 'BTC', amount: '0.01006' });
});

test('consume: proportional share rounded up, all of it on the completing fill', () => {
  assert.deepEqual(consume('300', '0.01', '0.004', 'USDT'), { consumed: '120', held: '180' });
  assert.deepEqual(consume('180', '0.006', '0.006', 'USDT'), { consumed: '180', held: '0' });
  // 10 / 3 per third: 3.33333334 (up), then what is left
  assert.deepEqual(consume('10', '3', '1', 'USDT'), { consumed: '3.33333334', held: '6.66666666' });
  assert.deepEqual(consume('6.66666666', '2', '1', 'USDT'), { consumed: '3.33333333', held: '3.33333333' });
  assert.deepEqual(consume('3.33333333', '1', '1', 'USDT'), { consumed: '3.33333333', held: '0' });
  assert.deepEqual(consume('5', '1', '0.5', 'USDT', true), { consumed: '5', held: '0' });
  assert.throws(() => consume('1', '1', '2', 'USDT'));
  assert.throws(() => consume('1', '1', '0', 'USDT'));
});

test('spot limit buy: hold, partial fill at a better price, cancel releases exactly the rest', () => {
  let b: BalanceBook = applyEntries(new Map(), depositEntries('u1', { type: 'spot' }, 'USDT', '1000'));
  const order = { side: 'buy', orderType: 'limit', price: '30000', size: '0.01' } as const;
  const hold = holdFor(order, spot);
  b = applyEntries(b, holdEntries('u1', 'spot', 'o1', hold));
  assert.deepEqual(bal(b, 'u1', 'USDT'), { available: '700', frozen: '300' });

  const fill = settleSpotFill({
    uid: 'u1', account: 'spot', orderId: 'o1', tradeId: 't1', market: spot, side: 'buy', orderType: 'limit',
    fillSize: '0.004', fillPrice: '29000', liquidity: 'maker', held: hold.amount, remaining: '0.01',
  });
  b = applyEntries(b, fill.entries);
  assert.equal(fill.held, '180');
  // 120 consumed, 116 paid, 4 of price improvement back to available
  assert.deepEqual(bal(b, 'u1', 'USDT'), { available: '704', frozen: '180' });
  assert.deepEqual(bal(b, 'u1', 'BTC'), { available: '0.003996', frozen: '0' });
  assert.deepEqual(fill.trade, {
    tradeId: 't1', orderId: 'o1', uid: 'u1', category: 'SPOT', symbol: 'BTCUSDT', side: 'buy', price: '29000', size: '0.004',
    quoteVolume: '116', fee: '0.000004', feeCoin: 'BTC', liquidity: 'maker', realisedPnl: '0', tradeSide: '',
  });
  assert.deepEqual(fill.entries.map((e) => [e.coin, e.reason, e.available, e.frozen]), [
    ['USDT', 'trade', '4', '-120'],
    ['BTC', 'trade', '0.004', '0'],
    ['BTC', 'fee', '-0.000004', '0'],
  ]);

  b = applyEntries(b, releaseEntries('u1', 'spot', 'o1', 'USDT', fill.held));
  assert.deepEqual(bal(b, 'u1', 'USDT'), { available: '884', frozen: '0' });
});

test('spot sell: base leaves the hold, quote arrives net of the fee', () => {
  let b: BalanceBook = applyEntries(new Map(), depositEntries('u2', { type: 'spot' }, 'BTC', '0.01'));
  b = applyEntries(b, holdEntries('u2', 'spot', 'o2', holdFor({ side: 'sell', orderType: 'limit', price: '30000', size: '0.01' }, spot)));
  const fill = settleSpotFill({
    uid: 'u2', account: 'spot', orderId: 'o2', tradeId: 't1', market: spot, side: 'sell', orderType: 'limit',
    fillSize: '0.004', fillPrice: '30000', liquidity: 'taker', held: '0.01', remaining: '0.01',
  });
  b = applyEntries(b, fill.entries);
  assert.deepEqual(bal(b, 'u2', 'BTC'), { available: '0', frozen: '0.006' });
  assert.deepEqual(bal(b, 'u2', 'USDT'), { available: '119.88', frozen: '0' });
  assert.equal(fill.trade.feeCoin, 'USDT');
  assert.equal(fill.trade.fee, '0.12');
});

test('spot market buy: holds its quote size, each fill consumes exactly the quote spent, the completing fill returns the rest', () => {
  let b: BalanceBook = applyEntries(new Map(), depositEntries('u1', { type: 'spot' }, 'USDT', '100'));
  b = applyEntries(b, holdEntries('u1', 'spot', 'o3', holdFor({ side: 'buy', orderType: 'market', price: '', size: '100' }, spot)));
  const base = { uid: 'u1', account: 'spot', orderId: 'o3', market: spot, side: 'buy', orderType: 'market', fillPrice: '30000', liquidity: 'taker' } as const;
  const f1 = settleSpotFill({ ...base, tradeId: 't1', fillSize: '0.002', held: '100', remaining: '100' });
  b = applyEntries(b, f1.entries);
  assert.equal(f1.held, '40');
  assert.deepEqual(bal(b, 'u1', 'USDT'), { available: '0', frozen: '40' });
  const f2 = settleSpotFill({ ...base, tradeId: 't2', fillSize: '0.001', held: f1.held, remaining: f1.held, complete: true });
  b = applyEntries(b, f2.entries);
  assert.equal(f2.held, '0');
  assert.deepEqual(bal(b, 'u1', 'USDT'), { available: '10', frozen: '0' });
  assert.deepEqual(bal(b, 'u1', 'BTC'), { available: '0.002997', frozen: '0' });
});

test('a placement the balance cannot fund fails with 43012 and changes nothing', () => {
  const b: BalanceBook = applyEntries(new Map(), depositEntries('u1', { type: 'spot' }, 'USDT', '299.99'));
  const hold = holdFor({ side: 'buy', orderType: 'limit', price: '30000', size: '0.01' }, spot);
  assert.throws(() => applyEntries(b, holdEntries('u1', 'spot', 'o1', hold)), (e: { code: string; message: string }) => e.code === '43012' && e.message === 'Insufficient balance');
  assert.deepEqual(bal(b, 'u1', 'USDT'), { available: '299.99', frozen: '0' });
  // margin accounts answer like spot; futures 40762 (see futures.test.ts)
  const m = applyEntries(new Map(), depositEntries('u1', { type: 'isolated', symbol: 'BTCUSDT' }, 'USDT', '1'));
  assert.throws(() => applyEntries(m, holdEntries('u1', 'isolated:BTCUSDT', 'o1', hold)), (e: { code: string }) => e.code === '43012');
});
