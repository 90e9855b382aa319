/**
 * Matching rules with exact values (docs/MATCHING.md), through the decimal edges on the
 * catalogue's spot BTCUSDT (tick 0.01, step 0.000001) and USDT-M BTCUSDT (tick 0.1, step 0.0001).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCatalogue } from '../../src/markets/catalogue.js';
import { OrderBook, bookKey } from '../../src/matching/book.js';
import { matchOrder } from '../../src/matching/match.js';
import { restingOf, takerOf, toDecimal, type MatchableOrder } from '../../src/matching/edges.js';
import { lotsToSize, ticksToPrice, priceToTicks, quoteToUnits, sizeToLots, unitsToQuote, priceToNearestTicks } from '../../src/matching/units.js';
import type { Category, Force, Side, StpMode } from '../../src/domain/types.js';

const cat = loadCatalogue();
const SPOT = cat.get('SPOT', 'BTCUSDT')!;
const FUT = cat.get('USDT-FUTURES', 'BTCUSDT')!;

let seq = 0;
interface O {
  uid?: string;
  side: Side;
  price?: string;
  size: string;
  force?: Force;
  stp?: StpMode;
  category?: Category;
  id?: string;
}
function order(o: O): MatchableOrder {
  return {
    orderId: o.id ?? `o${++seq}`,
    uid: o.uid ?? 'u1',
    category: o.category ?? 'SPOT',
    side: o.side,
    orderType: o.price === undefined ? 'market' : 'limit',
    force: o.force ?? 'gtc',
    price: o.price ?? '',
    size: o.size,
    filledSize: '0',
    extra: o.stp ? { stpMode: o.stp } : {},
  };
}
function place(book: OrderBook, o: O) {
  const m = o.category && o.category !== 'SPOT' ? FUT : SPOT;
  const t = takerOf(order(o), m);
  return toDecimal(matchOrder(book, t), m, t.sizeIn);
}
function depth(book: OrderBook, side: Side, m = SPOT): string[][] {
  return book.depth(side).map((l) => [ticksToPrice(m, l.price), lotsToSize(m, l.size), String(l.count)]);
}

test('units: prices in ticks, sizes in lots, quote in tick x step units, exact both ways', () => {
  assert.equal(priceToTicks(SPOT, '30000.5'), 3000050n);
  assert.equal(ticksToPrice(SPOT, 3000050n), '30000.5');
  assert.equal(sizeToLots(SPOT, '0.0015'), 1500n);
  assert.equal(lotsToSize(SPOT, 1500n), '0.0015');
  assert.equal(quoteToUnits(SPOT, '100.123456789'), 10012345678n);
  assert.equal(unitsToQuote(SPOT, 10012345678n), '100.12345678');
  assert.equal(priceToNearestTicks(SPOT, '30000.005'), 3000000n);
  assert.equal(priceToNearestTicks(SPOT, '30000.015'), 3000002n);
  assert.throws(() => priceToTicks(SPOT, '30000.001'), /not a multiple/);
  assert.throws(() => sizeToLots(SPOT, '0.0000001'), /not a multiple/);
  assert.equal(bookKey('SPOT', 'BTCUSDT'), 'SPOT:BTCUSDT');
});

test('price-time priority: best price first, then oldest first; every trade at the maker price', () => {
  const b = new OrderBook('SPOT', 'BTCUSDT');
  place(b, { uid: 'm1', side: 'sell', price: '30001', size: '0.01', id: 'a' });
  place(b, { uid: 'm2', side: 'sell', price: '30000', size: '0.01', id: 'b' });
  place(b, { uid: 'm3', side: 'sell', price: '30000', size: '0.02', id: 'c' });
  assert.deepEqual(depth(b, 'sell'), [['30000', '0.03', '2'], ['30001', '0.01', '1']]);
  const r = place(b, { uid: 't', side: 'buy', price: '30005', size: '0.035', id: 't1' });
  assert.deepEqual(
    r.trades.map((x) => [x.makerOrderId, x.price, x.size, x.quoteVolume, x.makerSide, x.takerSide]),
    [
      ['b', '30000', '0.01', '300', 'sell', 'buy'],
      ['c', '30000', '0.02', '600', 'sell', 'buy'],
      ['a', '30001', '0.005', '150.005', 'sell', 'buy'],
    ],
  );
  assert.deepEqual(
    r.makers.map((m) => [m.orderId, m.filled, m.remaining, m.state]),
    [
      ['b', '0.01', '0', 'filled'],
      ['c', '0.02', '0', 'filled'],
      ['a', '0.005', '0.005', 'partially_filled'],
    ],
  );
  assert.deepEqual(r.taker, { orderId: 't1', filled: '0.035', filledQuote: '1050.005', remaining: '0', state: 'filled' });
  assert.deepEqual(depth(b, 'sell'), [['30001', '0.005', '1']]);
  assert.deepEqual(depth(b, 'buy'), []);
});

test('gtc rests its remainder at its own price; a later order at the same price queues behind it', () => {
  const b = new OrderBook('SPOT', 'BTCUSDT');
  place(b, { uid: 'm', side: 'sell', price: '30000', size: '0.01' });
  const r = place(b, { uid: 't', side: 'buy', price: '30000', size: '0.03', id: 'g' });
  assert.deepEqual(r.taker, { orderId: 'g', filled: '0.01', filledQuote: '300', remaining: '0.02', state: 'rests' });
  place(b, { uid: 'x', side: 'buy', price: '30000', size: '0.01', id: 'g2' });
  assert.deepEqual(b.orders('buy').map((o) => [o.orderId, lotsToSize(SPOT, o.remaining)]), [['g', '0.02'], ['g2', '0.01']]);
  const s = place(b, { uid: 'y', side: 'sell', price: '29000', size: '0.025' });
  assert.deepEqual(s.trades.map((x) => [x.makerOrderId, x.price, x.size]), [['g', '30000', '0.02'], ['g2', '30000', '0.005']]);
});

test('ioc trades what crosses and cancels the rest; nothing rests', () => {
  const b = new OrderBook('SPOT', 'BTCUSDT');
  place(b, { uid: 'm', side: 'buy', price: '29990', size: '0.01' });
  const r = place(b, { uid: 't', side: 'sell', price: '29990', size: '0.04', force: 'ioc', id: 'i' });
  assert.deepEqual(r.taker, { orderId: 'i', filled: '0.01', filledQuote: '299.9', remaining: '0.03', state: 'cancelled', reason: 'ioc' });
  assert.equal(b.size, 0);
  const none = place(b, { uid: 't', side: 'sell', price: '29990', size: '0.04', force: 'ioc', id: 'i2' });
  assert.deepEqual(none.taker, { orderId: 'i2', filled: '0', filledQuote: '0', remaining: '0.04', state: 'cancelled', reason: 'ioc' });
});

test('fok fills whole or not at all, checked before any fill', () => {
  const b = new OrderBook('SPOT', 'BTCUSDT');
  place(b, { uid: 'm', side: 'sell', price: '30000', size: '0.01', id: 'm1' });
  place(b, { uid: 'm', side: 'sell', price: '30002', size: '0.01', id: 'm2' });
  const no = place(b, { uid: 't', side: 'buy', price: '30001', size: '0.015', force: 'fok', id: 'f1' });
  assert.deepEqual(no, { trades: [], makers: [], taker: { orderId: 'f1', filled: '0', filledQuote: '0', remaining: '0.015', state: 'cancelled', reason: 'fok' } });
  assert.deepEqual(depth(b, 'sell'), [['30000', '0.01', '1'], ['30002', '0.01', '1']]);
  const yes = place(b, { uid: 't', side: 'buy', price: '30002', size: '0.015', force: 'fok', id: 'f2' });
  assert.deepEqual(yes.trades.map((x) => [x.makerOrderId, x.price, x.size]), [['m1', '30000', '0.01'], ['m2', '30002', '0.005']]);
  assert.equal(yes.taker.state, 'filled');
});

test('post_only is cancelled (not refused) when it would take, rests otherwise', () => {
  const b = new OrderBook('SPOT', 'BTCUSDT');
  place(b, { uid: 'm', side: 'sell', price: '30000', size: '0.01' });
  const taker = place(b, { uid: 't', side: 'buy', price: '30000', size: '0.01', force: 'post_only', id: 'p1' });
  assert.deepEqual(taker.taker, { orderId: 'p1', filled: '0', filledQuote: '0', remaining: '0.01', state: 'cancelled', reason: 'post_only' });
  assert.deepEqual(taker.trades, []);
  const maker = place(b, { uid: 't', side: 'buy', price: '29999.99', size: '0.01', force: 'post_only', id: 'p2' });
  assert.equal(maker.taker.state, 'rests');
  assert.deepEqual(depth(b, 'buy'), [['29999.99', '0.01', '1']]);
});

test('market sell walks the book; what the book cannot fill is cancelled', () => {
  const b = new OrderBook('USDT-FUTURES', 'BTCUSDT');
  const f = { category: 'USDT-FUTURES' as const };
  place(b, { ...f, uid: 'm', side: 'buy', price: '30000', size: '0.1' });
  place(b, { ...f, uid: 'm', side: 'buy', price: '29990.5', size: '0.2' });
  const r = place(b, { ...f, uid: 't', side: 'sell', size: '0.5', id: 'mk' });
  assert.deepEqual(r.trades.map((x) => [x.price, x.size, x.quoteVolume]), [['30000', '0.1', '3000'], ['29990.5', '0.2', '5998.1']]);
  assert.deepEqual(r.taker, { orderId: 'mk', filled: '0.3', filledQuote: '8998.1', remaining: '0.2', state: 'cancelled', reason: 'market' });
  assert.equal(b.size, 0);
  // a futures market buy is sized in base
  place(b, { ...f, uid: 'm', side: 'sell', price: '30000', size: '1' });
  const buy = place(b, { ...f, uid: 't', side: 'buy', size: '0.25' });
  assert.deepEqual([buy.taker.filled, buy.taker.filledQuote, buy.taker.state], ['0.25', '7500', 'filled']);
});

test('spot market buy is sized in quote: whole lots per level, dust left is the unfilled remainder', () => {
  const b = new OrderBook('SPOT', 'BTCUSDT');
  place(b, { uid: 'm', side: 'sell', price: '30000', size: '0.002', id: 'a1' });
  place(b, { uid: 'm', side: 'sell', price: '30010', size: '1', id: 'a2' });
  // 100 USDT: 0.002 BTC at 30000 (60 USDT), then 40 / 30010 = 0.001332 BTC (39.97332 USDT)
  const r = place(b, { uid: 't', side: 'buy', size: '100', id: 'q' });
  assert.deepEqual(r.trades.map((x) => [x.makerOrderId, x.price, x.size, x.quoteVolume]), [
    ['a1', '30000', '0.002', '60'],
    ['a2', '30010', '0.001332', '39.97332'],
  ]);
  assert.deepEqual(r.taker, { orderId: 'q', filled: '0.003332', filledQuote: '99.97332', remaining: '0.02668', state: 'filled' });
  // the book runs out: the quote left is cancelled
  const b2 = new OrderBook('SPOT', 'BTCUSDT');
  place(b2, { uid: 'm', side: 'sell', price: '30000', size: '0.001' });
  const out = place(b2, { uid: 't', side: 'buy', size: '100', id: 'q2' });
  assert.deepEqual(out.taker, { orderId: 'q2', filled: '0.001', filledQuote: '30', remaining: '70', state: 'cancelled', reason: 'market' });
});

test('self-trade prevention by the taker stpMode: none, cancel_taker, cancel_maker, cancel_both', () => {
  const setup = () => {
    const b = new OrderBook('SPOT', 'BTCUSDT');
    place(b, { uid: 'other', side: 'sell', price: '30000', size: '0.01', id: 'x1' });
    place(b, { uid: 'me', side: 'sell', price: '30001', size: '0.01', id: 'own', stp: 'cancel_both' });
    place(b, { uid: 'other', side: 'sell', price: '30002', size: '0.01', id: 'x2' });
    return b;
  };
  const buy = (stp: StpMode) => ({ uid: 'me', side: 'buy' as const, price: '30002', size: '0.03', stp, id: `t-${stp}` });
  const ids = (r: ReturnType<typeof place>) => r.trades.map((x) => x.makerOrderId);

  let b = setup();
  let r = place(b, buy('none'));
  assert.deepEqual(ids(r), ['x1', 'own', 'x2']);
  assert.equal(r.taker.state, 'filled');

  b = setup();
  r = place(b, buy('cancel_taker'));
  assert.deepEqual(ids(r), ['x1']);
  assert.deepEqual(r.taker, { orderId: 't-cancel_taker', filled: '0.01', filledQuote: '300', remaining: '0.02', state: 'cancelled', reason: 'stp' });
  assert.deepEqual(b.orders('sell').map((o) => o.orderId), ['own', 'x2']);

  b = setup();
  r = place(b, buy('cancel_maker'));
  assert.deepEqual(ids(r), ['x1', 'x2']);
  assert.deepEqual(r.makers.map((m) => [m.orderId, m.state, m.reason ?? '']), [['x1', 'filled', ''], ['own', 'cancelled', 'stp'], ['x2', 'filled', '']]);
  assert.deepEqual(r.taker, { orderId: 't-cancel_maker', filled: '0.02', filledQuote: '600.02', remaining: '0.01', state: 'rests' });
  assert.deepEqual(b.orders('buy').map((o) => [o.orderId, ticksToPrice(SPOT, o.price), lotsToSize(SPOT, o.remaining)]), [['t-cancel_maker', '30002', '0.01']]);

  b = setup();
  r = place(b, buy('cancel_both'));
  assert.deepEqual(ids(r), ['x1']);
  assert.deepEqual(r.makers.map((m) => [m.orderId, m.state]), [['x1', 'filled'], ['own', 'cancelled']]);
  assert.deepEqual([r.taker.state, r.taker.reason], ['cancelled', 'stp']);
  assert.deepEqual(b.orders('sell').map((o) => o.orderId), ['x2']);

  // the maker's own mode does not matter: a taker with none trades with it
  b = setup();
  assert.deepEqual(ids(place(b, { ...buy('none'), id: 'n2' })), ['x1', 'own', 'x2']);
});

test('cancel removes from the book once; a filled or unknown order is not there', () => {
  const b = new OrderBook('SPOT', 'BTCUSDT');
  place(b, { uid: 'm', side: 'buy', price: '30000', size: '0.01', id: 'c1' });
  place(b, { uid: 'm', side: 'buy', price: '30000', size: '0.02', id: 'c2' });
  place(b, { uid: 'm', side: 'buy', price: '29000', size: '0.01', id: 'c3' });
  const got = b.cancel('c1');
  assert.deepEqual([got?.orderId, got && lotsToSize(SPOT, got.remaining)], ['c1', '0.01']);
  assert.equal(b.cancel('c1'), undefined);
  assert.equal(b.cancel('nope'), undefined);
  assert.deepEqual(depth(b, 'buy'), [['30000', '0.02', '1'], ['29000', '0.01', '1']]);
  b.cancel('c2');
  assert.deepEqual(depth(b, 'buy'), [['29000', '0.01', '1']]);
  place(b, { uid: 't', side: 'sell', price: '29000', size: '0.01' });
  assert.equal(b.cancel('c3'), undefined, 'a filled order is no longer on the book');
  assert.equal(b.size, 0);
});

test('a book loads from stored open orders (remaining = size - filledSize) and refuses duplicates', () => {
  const b = new OrderBook('SPOT', 'BTCUSDT');
  const o = { ...order({ uid: 'm', side: 'sell', price: '30000', size: '0.01', id: 'L1' }), filledSize: '0.004' };
  b.add(restingOf(o, SPOT));
  assert.deepEqual(depth(b, 'sell'), [['30000', '0.006', '1']]);
  assert.throws(() => b.add(restingOf(o, SPOT)), /already on the book/);
  assert.deepEqual(takerOf(order({ side: 'buy', size: '5', stp: 'cancel_maker' }), SPOT).stpMode, 'cancel_maker');
  assert.equal(takerOf(order({ side: 'buy', size: '5' }), SPOT).sizeIn, 'quote');
  assert.equal(takerOf(order({ side: 'buy', size: '5', category: 'MARGIN' }), SPOT).sizeIn, 'quote');
  assert.equal(takerOf(order({ side: 'buy', size: '5', category: 'USDT-FUTURES' }), FUT).sizeIn, 'base');
});

test('a quote too small for one lot buys nothing and is cancelled; a taker already on the book is refused before any change', () => {
  const b = new OrderBook('SPOT', 'BTCUSDT');
  place(b, { uid: 'm', side: 'sell', price: '30000', size: '0.01', id: 's1' });
  const r = place(b, { uid: 't', side: 'buy', size: '0.02', id: 'tiny' });
  assert.deepEqual(r.taker, { orderId: 'tiny', filled: '0', filledQuote: '0', remaining: '0.02', state: 'cancelled', reason: 'market' });
  assert.throws(() => place(b, { uid: 'x', side: 'buy', price: '30000', size: '0.01', id: 's1' }), /already on the book/);
  assert.deepEqual(depth(b, 'sell'), [['30000', '0.01', '1']]);
});
