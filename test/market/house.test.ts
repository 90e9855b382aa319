/** The house quoter and the sweep of crossed user orders (issue 11 item 2). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { OrderBook } from '../../src/matching/book.js';
import { matchOrder } from '../../src/matching/match.js';
import { crossedBy, defaultHouseConfig, houseQuotes, quotePlan, sweepCrossed, type HouseOrder } from '../../src/market/house.js';

const HOUSE = { uid: 'house', sellOrderId: 'hs', buyOrderId: 'hb' };

test('default quotes: 5 levels a side, 1 tick apart, 21 free prices around the reference', () => {
  const q = houseQuotes(1000n, defaultHouseConfig(10n));
  assert.deepEqual(q.filter((x) => x.side === 'buy').map((x) => x.price), [989n, 988n, 987n, 986n, 985n]);
  assert.deepEqual(q.filter((x) => x.side === 'sell').map((x) => x.price), [1011n, 1012n, 1013n, 1014n, 1015n]);
  assert.ok(q.every((x) => x.size === 10n));
  // at least 10 free ticks each side of the reference
  assert.ok(1011n - 1000n - 1n >= 10n && 1000n - 989n - 1n >= 10n);
  // near zero, bids at or below zero are left out
  assert.deepEqual(houseQuotes(12n, defaultHouseConfig(1n)).filter((x) => x.side === 'buy').map((x) => x.price), [1n]);
  assert.throws(() => houseQuotes(100n, { ...defaultHouseConfig(1n), spreadTicks: 1 }));
});

test('quotePlan keeps full quotes at wanted prices, replaces partly filled ones, cancels the rest', () => {
  const cur: HouseOrder[] = [
    { orderId: 'b1', side: 'buy', price: 989n, size: 10n },
    { orderId: 'b2', side: 'buy', price: 988n, size: 4n }, // partly filled
    { orderId: 'b3', side: 'buy', price: 900n, size: 10n }, // no longer wanted
    { orderId: 'a1', side: 'sell', price: 1011n, size: 10n },
    { orderId: 'a1dup', side: 'sell', price: 1011n, size: 10n },
  ];
  const plan = quotePlan(cur, houseQuotes(1000n, defaultHouseConfig(10n)));
  assert.deepEqual(plan.cancel, ['b2', 'b3', 'a1dup']);
  assert.deepEqual(plan.place.map((q) => `${q.side}@${q.price}`), ['buy@988', 'buy@987', 'buy@986', 'buy@985', 'sell@1012', 'sell@1013', 'sell@1014', 'sell@1015']);
});

test('a move to or through a resting user order fills it whole, as maker at its own price, against the house', () => {
  const b = new OrderBook('SPOT', 'BTCUSDT');
  const add = (orderId: string, uid: string, side: 'buy' | 'sell', price: bigint, remaining: bigint) =>
    b.add({ orderId, uid, side, price, remaining, stpMode: 'none' });
  add('u-bid-hi', 'u1', 'buy', 995n, 3n);
  add('u-bid-eq', 'u2', 'buy', 990n, 2n);
  add('u-bid-lo', 'u1', 'buy', 980n, 1n);
  add('h-bid', 'house', 'buy', 992n, 10n);
  add('u-ask', 'u2', 'sell', 1005n, 4n);
  assert.deepEqual(crossedBy(b, 990n, 'house').map((o) => o.orderId), ['u-bid-hi', 'u-bid-eq']);
  const r = sweepCrossed(b, 990n, HOUSE);
  assert.deepEqual(r.trades.map((t) => [t.makerOrderId, t.takerOrderId, t.takerSide, t.price, t.size, t.quote]), [
    ['u-bid-hi', 'hs', 'sell', 995n, 3n, 2985n],
    ['u-bid-eq', 'hs', 'sell', 990n, 2n, 1980n],
  ]);
  assert.deepEqual(r.makers.map((m) => [m.orderId, m.state, m.filled, m.remaining]), [['u-bid-hi', 'filled', 3n, 0n], ['u-bid-eq', 'filled', 2n, 0n]]);
  assert.deepEqual(b.orders('buy').map((o) => o.orderId), ['h-bid', 'u-bid-lo'], 'house orders are never swept');
  // up through the ask
  const up = sweepCrossed(b, 1010n, HOUSE);
  assert.deepEqual(up.trades.map((t) => [t.makerOrderId, t.takerOrderId, t.takerSide, t.price]), [['u-ask', 'hb', 'buy', 1005n]]);
});

test('moving the market (cancel planned, sweep, place) never leaves a crossed book; users trade inside the spread', () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.oneof(
          fc.record({ kind: fc.constant('move' as const), ref: fc.integer({ min: 900, max: 1100 }) }),
          fc.record({ kind: fc.constant('user' as const), uid: fc.constantFrom('u1', 'u2'), side: fc.constantFrom('buy' as const, 'sell' as const), price: fc.integer({ min: 880, max: 1120 }), size: fc.integer({ min: 1, max: 30 }) }),
        ),
        { maxLength: 60, size: 'max' },
      ),
      (ops) => {
        const b = new OrderBook('SPOT', 'X');
        const cfg = defaultHouseConfig(10n);
        let ref = 1000n;
        let n = 0;
        const house = (): HouseOrder[] => [...b.orders('buy'), ...b.orders('sell')].filter((o) => o.uid === 'house').map((o) => ({ orderId: o.orderId, side: o.side, price: o.price, size: o.remaining }));
        const move = (to: bigint) => {
          ref = to;
          const plan = quotePlan(house(), houseQuotes(ref, cfg));
          for (const id of plan.cancel) b.cancel(id);
          sweepCrossed(b, ref, HOUSE);
          for (const q of plan.place) b.add({ orderId: `h${n++}`, uid: 'house', side: q.side, price: q.price, remaining: q.size, stpMode: 'none' });
        };
        move(ref);
        for (const o of ops) {
          if (o.kind === 'move') move(BigInt(o.ref));
          else matchOrder(b, { orderId: `u${n++}`, uid: o.uid, side: o.side, orderType: 'limit', force: 'gtc', price: BigInt(o.price), size: BigInt(o.size), sizeIn: 'base', stpMode: 'none' });
          const bid = b.bestPrice('buy');
          const ask = b.bestPrice('sell');
          if (bid !== undefined && ask !== undefined) assert.ok(bid < ask, `crossed ${bid} >= ${ask}`);
          if (o.kind === 'move') assert.deepEqual(crossedBy(b, ref, 'house'), [], 'nothing left for the reference to cross');
        }
      },
    ),
    { numRuns: 300, seed: 11 },
  );
  // two UIDs trade with each other strictly inside the house spread
  const b = new OrderBook('SPOT', 'X');
  for (const q of houseQuotes(1000n, defaultHouseConfig(10n))) b.add({ orderId: `h${q.side}${q.price}`, uid: 'house', side: q.side, price: q.price, remaining: q.size, stpMode: 'none' });
  matchOrder(b, { orderId: 'a', uid: 'u1', side: 'sell', orderType: 'limit', force: 'gtc', price: 1003n, size: 5n, sizeIn: 'base', stpMode: 'none' });
  const r = matchOrder(b, { orderId: 'b', uid: 'u2', side: 'buy', orderType: 'limit', force: 'gtc', price: 1003n, size: 5n, sizeIn: 'base', stpMode: 'none' });
  assert.deepEqual(r.trades.map((t) => [t.makerUid, t.takerUid, t.price, t.size]), [['u1', 'u2', 1003n, 5n]]);
});
