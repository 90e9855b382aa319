import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCatalogue } from '../../src/markets/catalogue.js';
import { applyEntries, balanceOf, depositEntries, type BalanceBook } from '../../src/ledger/balances.js';
import { holdEntries, holdFor } from '../../src/ledger/holds.js';
import {
  closeableSize,
  crossedLiquidatable,
  defaultSettings,
  futuresAccountView,
  isolatedLiquidatable,
  isolatedLiquidationPrice,
  leverageFor,
  openPriceAvg,
  positionKey,
  setLeverage,
  unrealisedPnl,
  type PositionBook,
  type PosMode,
} from '../../src/ledger/positions.js';
import { applyPositions, settleFuturesFill, settleLiquidation, settleSpotFill, type FuturesFillInput } from '../../src/ledger/settle.js';
import type { MarginMode } from '../../src/domain/types.js';

const cat = loadCatalogue();
const usdtM = cat.get('USDT-FUTURES', 'BTCUSDT')!;
const coinM = cat.get('COIN-FUTURES', 'BTCUSD')!;
const ACC = 'futures:USDT-FUTURES:USDT';
const ACC_BTC = 'futures:COIN-FUTURES:BTC';

/** A tiny driver: one UID's futures account, orders placed then filled completely or in part. */
class Account {
  book: BalanceBook;
  positions: PositionBook = new Map();
  constructor(readonly account: string, readonly coin: string, deposit: string, readonly market = usdtM, readonly posMode: PosMode = 'one_way_mode', readonly marginMode: MarginMode = 'crossed') {
    this.book = applyEntries(new Map(), [{ ...depositEntries('u1', { type: 'spot' }, coin, deposit)[0], account }]);
  }
  get bal() {
    return balanceOf(this.book, 'u1', this.account, this.coin);
  }
  pos(side: 'long' | 'short') {
    return this.positions.get(positionKey('u1', this.account, this.market.symbol, side));
  }
  /** Places and fills an order completely at `fillPrice`; returns the fill result. */
  trade(side: 'buy' | 'sell', size: string, price: string, fillPrice: string, opts: { leverage?: string; tradeSide?: 'open' | 'close'; reduceOnly?: boolean; liquidity?: 'maker' | 'taker' } = {}) {
    const leverage = opts.leverage ?? '10';
    const reducing = opts.reduceOnly === true || opts.tradeSide === 'close';
    const hold = holdFor({ side, orderType: 'limit', price, size, leverage, marginCoin: this.coin, reducing }, this.market);
    this.book = applyEntries(this.book, holdEntries('u1', this.account, 'o', hold));
    const input: FuturesFillInput = {
      uid: 'u1', account: this.account, orderId: 'o', tradeId: 't', market: this.market, side, orderType: 'limit', fillSize: size, fillPrice,
      liquidity: opts.liquidity ?? 'taker', held: hold.amount, remaining: size, productType: this.market.category as 'USDT-FUTURES',
      marginCoin: this.coin, posMode: this.posMode, marginMode: this.marginMode, leverage, tradeSide: opts.tradeSide, reduceOnly: opts.reduceOnly,
      positions: this.positions, available: this.bal.available,
    };
    const r = settleFuturesFill(input);
    this.book = applyEntries(this.book, r.entries);
    this.positions = applyPositions(this.positions, r.positions);
    return { hold, r };
  }
}

test('USDT-M: open long, partial close in profit, full close in loss; money adds up to the cent', () => {
  const a = new Account(ACC, 'USDT', '1000');
  const open = a.trade('buy', '0.1', '30000', '30000', { liquidity: 'maker' });
  assert.equal(open.hold.amount, '301.8');
  // hold back, fee 0.6, margin 300 out
  assert.deepEqual(a.bal, { available: '699.4', frozen: '0' });
  assert.deepEqual(
    open.r.entries.map((e) => [e.reason, e.available, e.frozen]),
    [['trade', '301.8', '-301.8'], ['fee', '-0.6', '0'], ['position_margin', '-300', '0']],
  );
  const long = a.pos('long')!;
  assert.equal(long.size, '0.1');
  assert.equal(long.margin, '300');
  assert.equal(openPriceAvg(long, 1), '30000');
  assert.equal(unrealisedPnl(long, '31000', false, 8), '100');
  assert.equal(unrealisedPnl(long, '29500', false, 8), '-50');
  assert.equal(open.r.trade.tradeSide, 'open');

  const c1 = a.trade('sell', '0.04', '31000', '31000', { reduceOnly: true });
  assert.equal(c1.hold.amount, '0');
  assert.equal(c1.r.realisedPnl, '40');
  assert.equal(c1.r.trade.fee, '0.744');
  assert.equal(c1.r.trade.realisedPnl, '40');
  assert.equal(c1.r.trade.tradeSide, 'close');
  assert.deepEqual(a.bal, { available: '858.656', frozen: '0' });
  assert.deepEqual([a.pos('long')!.size, a.pos('long')!.openValue, a.pos('long')!.margin, a.pos('long')!.achievedProfits], ['0.06', '1800', '180', '40']);

  const c2 = a.trade('sell', '0.06', '29000', '29000', { reduceOnly: true });
  assert.equal(c2.r.realisedPnl, '-60');
  assert.equal(a.pos('long'), undefined);
  // 1000 + 40 - 60 - (0.6 + 0.744 + 1.044)
  assert.deepEqual(a.bal, { available: '977.612', frozen: '0' });
});

test('one-way mode: a sell larger than the long closes it and opens a short with the rest', () => {
  const a = new Account(ACC, 'USDT', '1000');
  a.trade('buy', '0.1', '30000', '30000', { liquidity: 'maker' });
  const flip = a.trade('sell', '0.15', '31000', '31000');
  assert.equal(flip.hold.amount, '467.79');
  assert.equal(flip.r.realisedPnl, '100');
  assert.equal(flip.r.trade.tradeSide, 'close_open');
  assert.equal(a.pos('long'), undefined);
  const short = a.pos('short')!;
  assert.deepEqual([short.size, short.openValue, short.margin], ['0.05', '1550', '155']);
  // 1000 + 100 - 0.6 - 2.79 = available + margin
  assert.deepEqual(a.bal, { available: '941.61', frozen: '0' });
  assert.equal(unrealisedPnl(short, '30000', false, 8), '50');
});

test('hedge mode: long and short live side by side; close orders hold nothing and reduce their side', () => {
  const a = new Account(ACC, 'USDT', '1000', usdtM, 'hedge_mode');
  a.trade('buy', '0.1', '30000', '30000', { tradeSide: 'open' });
  a.trade('sell', '0.1', '30000', '30000', { tradeSide: 'open' });
  assert.equal(a.pos('long')!.size, '0.1');
  assert.equal(a.pos('short')!.size, '0.1');
  const close = a.trade('buy', '0.1', '29000', '29000', { tradeSide: 'close' });
  assert.equal(close.hold.amount, '0');
  assert.equal(close.r.realisedPnl, '100');
  assert.equal(a.pos('short'), undefined);
  assert.equal(a.pos('long')!.size, '0.1');
  // 1000 - 1.8 - 1.8 + 100 - 1.74 = 1094.66 - 300 margin of the long
  assert.deepEqual(a.bal, { available: '794.66', frozen: '0' });
  assert.throws(() => a.trade('buy', '0.1', '29000', '29000', { tradeSide: 'close' }), /larger than the position/);
});

test('COIN-M (inverse): margin, fee and PnL in BTC; size in base coin', () => {
  const a = new Account(ACC_BTC, 'BTC', '1', coinM);
  const open = a.trade('buy', '0.1', '30000', '30000');
  assert.equal(open.hold.amount, '0.01006');
  assert.deepEqual(a.bal, { available: '0.98994', frozen: '0' });
  const long = a.pos('long')!;
  assert.deepEqual([long.openValue, long.margin], ['3000', '0.01']);
  // 0.1 - 3000 / 33000 = 0.00909090909... half-even to 8 decimals
  assert.equal(unrealisedPnl(long, '33000', true, 8), '0.00909091');
  const close = a.trade('sell', '0.1', '33000', '33000', { reduceOnly: true });
  assert.equal(close.r.realisedPnl, '0.00909091');
  assert.equal(close.r.trade.fee, '0.00006');
  // 1 - 0.00006 - 0.00006 + 0.00909091
  assert.deepEqual(a.bal, { available: '1.00897091', frozen: '0' });
});

test('an opening order the futures account cannot fund fails with 40762 and changes nothing', () => {
  const a = new Account(ACC, 'USDT', '301.79');
  const before = a.bal;
  assert.throws(() => a.trade('buy', '0.1', '30000', '30000'), (e: { code: string; message: string }) => e.code === '40762' && e.message === 'The order amount exceeds the balance');
  assert.deepEqual(a.bal, before);
});

test('isolated: a loss never exceeds the released margin; the rest is the house shortfall', () => {
  const a = new Account(ACC, 'USDT', '1000', usdtM, 'one_way_mode', 'isolated');
  a.trade('buy', '0.1', '30000', '30000', { liquidity: 'maker' });
  assert.deepEqual(a.bal, { available: '699.4', frozen: '0' });
  const r = a.trade('sell', '0.1', '20000', '20000', { reduceOnly: true }).r;
  assert.equal(r.realisedPnl, '-300');
  assert.equal(r.shortfall, '700');
  // only the fee is paid on top of the lost margin
  assert.deepEqual(a.bal, { available: '698.2', frozen: '0' });
});

test('crossed: a loss beyond the margin draws on available, down to zero, then the house pays', () => {
  const a = new Account(ACC, 'USDT', '400');
  a.trade('buy', '0.1', '30000', '30000', { liquidity: 'maker' });
  assert.deepEqual(a.bal, { available: '99.4', frozen: '0' });
  const r = a.trade('sell', '0.1', '26000', '26000', { reduceOnly: true }).r;
  // -400 pnl, fee 1.56: 99.4 + 300 - 400 - 1.56 = -2.16 -> shortfall, available 0
  assert.equal(r.shortfall, '2.16');
  assert.equal(r.realisedPnl, '-397.84');
  assert.deepEqual(a.bal, { available: '0', frozen: '0' });
});

test('liquidation rule: equity at mark <= maintenance margin (0.4%); isolated liquidation price', () => {
  const a = new Account(ACC, 'USDT', '1000', usdtM, 'one_way_mode', 'isolated');
  a.trade('buy', '0.1', '30000', '30000', { liquidity: 'maker' });
  const long = a.pos('long')!;
  // (3000 - 300) / (0.1 x 0.996)
  assert.equal(isolatedLiquidationPrice(long, false, 1), '27108.4');
  assert.equal(isolatedLiquidatable(long, '27200', false, 8), false);
  assert.equal(isolatedLiquidatable(long, '27100', false, 8), true);
  const short = { ...long, holdSide: 'short' as const };
  // (3000 + 300) / (0.1 x 1.004)
  assert.equal(isolatedLiquidationPrice(short, false, 1), '32868.5');
  // inverse long, 1x (margin 0.1 BTC): 3000 / (0.1 + 0.1 x 0.996); inverse short at 1x: none ("0")
  assert.equal(isolatedLiquidationPrice({ ...long, margin: '0.1' }, true, 1), '15030.1');
  assert.equal(isolatedLiquidationPrice({ ...short, margin: '0.1004' }, true, 1), '0');
  // crossed: the whole account backs the position
  const marks = new Map([['BTCUSDT', '27100']]);
  assert.equal(crossedLiquidatable({ available: '699.4', frozen: '0' }, [{ ...long, marginMode: 'crossed' }], marks, false, 8), false);
  assert.equal(crossedLiquidatable({ available: '0', frozen: '0' }, [{ ...long, marginMode: 'crossed' }], marks, false, 8), true);
});

test('leverage per symbol and margin mode; bounds from the catalogue give 40020', () => {
  const s = defaultSettings();
  assert.equal(leverageFor(s, 'long'), '20');
  const crossed = setLeverage(s, { leverage: '50' }, usdtM);
  assert.deepEqual([crossed.crossedLeverage, crossed.longLeverage], ['50', '20']);
  const iso = setLeverage({ ...s, marginMode: 'isolated' }, { leverage: '5', holdSide: 'short' }, usdtM);
  assert.deepEqual([leverageFor(iso, 'long'), leverageFor(iso, 'short')], ['20', '5']);
  const both = setLeverage({ ...s, marginMode: 'isolated' }, { longLeverage: '3', shortLeverage: '4' }, usdtM);
  assert.deepEqual([both.longLeverage, both.shortLeverage], ['3', '4']);
  for (const bad of ['0', '126', '1.5', 'x']) {
    assert.throws(() => setLeverage(s, { leverage: bad }, usdtM), (e: { code: string }) => e.code === '40020', bad);
  }
  assert.throws(() => setLeverage(s, {}, usdtM), (e: { code: string }) => e.code === '40019');
});

test('liquidation closes the whole position at the mark price as a taker', () => {
  const a = new Account(ACC, 'USDT', '1000', usdtM, 'one_way_mode', 'isolated');
  a.trade('buy', '0.1', '30000', '30000', { liquidity: 'maker' });
  const long = a.pos('long')!;
  assert.equal(isolatedLiquidatable(long, '27100', false, 8), true);
  const r = settleLiquidation(long, usdtM, '27100', a.bal.available, a.positions, { orderId: 'liq1', tradeId: 'tl1' });
  a.book = applyEntries(a.book, r.entries);
  a.positions = applyPositions(a.positions, r.positions);
  assert.equal(a.pos('long'), undefined);
  assert.equal(r.realisedPnl, '-290');
  assert.equal(r.shortfall, '0');
  assert.deepEqual([r.trade.side, r.trade.liquidity, r.trade.fee, r.trade.tradeSide], ['sell', 'taker', '1.626', 'close']);
  // 699.4 + 300 margin back - 290 - 1.626
  assert.deepEqual(a.bal, { available: '707.774', frozen: '0' });
});

test('futures account view: equity with unrealised PnL; an unrealised crossed loss cannot be transferred out', () => {
  const a = new Account(ACC, 'USDT', '1000');
  a.trade('buy', '0.1', '30000', '30000', { liquidity: 'maker' });
  const long = a.pos('long')!;
  const marks = new Map([['BTCUSDT', '29000']]);
  assert.deepEqual(futuresAccountView(a.bal, [long], marks, false, 8), {
    available: '699.4', locked: '0', accountEquity: '899.4', unrealizedPL: '-100', crossedMargin: '300', isolatedMargin: '0',
    crossedUnrealizedPL: '-100', isolatedUnrealizedPL: '0', maxTransferOut: '599.4',
  });
  const iso = futuresAccountView(a.bal, [{ ...long, marginMode: 'isolated' }], new Map([['BTCUSDT', '31000']]), false, 8);
  assert.deepEqual([iso.accountEquity, iso.isolatedMargin, iso.maxTransferOut], ['1099.4', '300', '699.4']);
});

test('unified (v3) account: a futures order beyond the balance is 25202; margin accounts settle like spot', () => {
  const u = applyEntries(new Map(), [{ ...depositEntries('u9', { type: 'unified' }, 'USDT', '10')[0] }]);
  const hold = holdFor({ side: 'buy', orderType: 'limit', price: '30000', size: '0.1', leverage: '10', marginCoin: 'USDT' }, usdtM);
  assert.throws(() => applyEntries(u, holdEntries('u9', 'unified', 'o', hold)), (e: { code: string; message: string }) => e.code === '25202' && e.message === 'Insufficient balance');
  const spot = cat.get('MARGIN', 'BTCUSDT')!;
  let m = applyEntries(new Map(), depositEntries('u9', { type: 'isolated', symbol: 'BTCUSDT' }, 'USDT', '100'));
  m = applyEntries(m, holdEntries('u9', 'isolated:BTCUSDT', 'o', holdFor({ side: 'buy', orderType: 'limit', price: '30000', size: '0.001' }, spot)));
  const f = settleSpotFill({ uid: 'u9', account: 'isolated:BTCUSDT', orderId: 'o', tradeId: 't', market: spot, side: 'buy', orderType: 'limit', fillSize: '0.001', fillPrice: '30000', liquidity: 'taker', held: '30', remaining: '0.001' });
  m = applyEntries(m, f.entries);
  assert.deepEqual(balanceOf(m, 'u9', 'isolated:BTCUSDT', 'USDT'), { available: '70', frozen: '0' });
  assert.deepEqual(balanceOf(m, 'u9', 'isolated:BTCUSDT', 'BTC'), { available: '0.000999', frozen: '0' });
  assert.equal(f.trade.category, 'MARGIN');
});

test('closeable size: total less what open close orders lock, never negative', () => {
  const a = new Account(ACC, 'USDT', '1000', usdtM, 'hedge_mode');
  a.trade('buy', '0.1', '30000', '30000', { tradeSide: 'open' });
  assert.equal(closeableSize(a.pos('long'), '0'), '0.1');
  assert.equal(closeableSize(a.pos('long'), '0.04'), '0.06');
  assert.equal(closeableSize(a.pos('long'), '0.2'), '0');
  assert.equal(closeableSize(a.pos('short'), '0'), '0');
});
