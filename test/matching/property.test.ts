// test-file-limit: 200s
/**
 * The book against a NAIVE reference matcher (issue 11 "Done when"): random order flows of
 * limit orders (gtc, ioc, fok, post_only), market orders (base-sized and quote-sized buys) and
 * cancels, from 3 UIDs with every stpMode, go through both `matchOrder` on an `OrderBook` and a
 * plain array-scan matcher written here. After EVERY step: the same trades, the same maker
 * updates, the same taker outcome and the same remaining book (both sides, in priority order).
 * Size: 1,000 runs x 1..80 steps (about 40,000 steps, 8,000 trades) (fixed seed); the test asserts coverage of every rule.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { OrderBook } from '../../src/matching/book.js';
import { matchOrder } from '../../src/matching/match.js';
import type { CancelReason, MakerUpdate, MatchResult, RestingOrder, TakerOrder, Trade } from '../../src/matching/types.js';
import type { Force, Side, StpMode } from '../../src/domain/types.js';

interface NaiveOrder extends RestingOrder {
  seq: number;
}

/** Best opposite crossing order by a linear scan: best price, then lowest seq. */
function bestMaker(book: NaiveOrder[], t: TakerOrder): NaiveOrder | undefined {
  let best: NaiveOrder | undefined;
  for (const o of book) {
    if (o.side === t.side) continue;
    if (t.orderType === 'limit' && (t.side === 'buy' ? o.price > t.price : o.price < t.price)) continue;
    if (
      !best ||
      (t.side === 'buy' ? o.price < best.price : o.price > best.price) ||
      (o.price === best.price && o.seq < best.seq)
    ) {
      best = o;
    }
  }
  return best;
}

/** The reference: same rules as docs/MATCHING.md, written the simplest way. Returns the new book. */
function naiveMatch(input: NaiveOrder[], t: TakerOrder, seq: number): { book: NaiveOrder[]; result: MatchResult } {
  const book = input.map((o) => ({ ...o }));
  const cancelled = (reason: CancelReason): { book: NaiveOrder[]; result: MatchResult } => ({
    book: input,
    result: { trades: [], makers: [], taker: { orderId: t.orderId, filled: 0n, filledQuote: 0n, remaining: t.size, state: 'cancelled', reason } },
  });
  const rest = (remaining: bigint) =>
    book.push({ orderId: t.orderId, uid: t.uid, side: t.side, price: t.price, remaining, stpMode: t.stpMode, seq });
  if (t.orderType === 'limit' && t.force === 'post_only') {
    if (bestMaker(book, t)) return cancelled('post_only');
    rest(t.size);
    return { book, result: { trades: [], makers: [], taker: { orderId: t.orderId, filled: 0n, filledQuote: 0n, remaining: t.size, state: 'rests' } } };
  }
  const trades: Trade[] = [];
  const makers: MakerUpdate[] = [];
  let left = t.size;
  let reason: CancelReason | undefined;
  let filledByDust = false;
  while (left > 0n) {
    const m = bestMaker(book, t);
    if (!m) break;
    if (m.uid === t.uid && t.stpMode !== 'none') {
      if (t.stpMode !== 'cancel_taker') {
        book.splice(book.indexOf(m), 1);
        makers.push({ orderId: m.orderId, uid: m.uid, side: m.side, price: m.price, filled: 0n, remaining: 0n, state: 'cancelled', reason: 'stp' });
      }
      if (t.stpMode !== 'cancel_maker') {
        reason = 'stp';
        break;
      }
      continue;
    }
    let lots = t.sizeIn === 'quote' ? left / m.price : left;
    if (lots === 0n) {
      filledByDust = true;
      break;
    }
    if (lots > m.remaining) lots = m.remaining;
    trades.push({ makerOrderId: m.orderId, makerUid: m.uid, takerOrderId: t.orderId, takerUid: t.uid, takerSide: t.side, price: m.price, size: lots, quote: lots * m.price });
    m.remaining -= lots;
    left -= t.sizeIn === 'quote' ? lots * m.price : lots;
    if (m.remaining === 0n) book.splice(book.indexOf(m), 1);
    makers.push({ orderId: m.orderId, uid: m.uid, side: m.side, price: m.price, filled: lots, remaining: m.remaining, state: m.remaining === 0n ? 'filled' : 'partially_filled' });
  }
  if (t.orderType === 'limit' && t.force === 'fok' && left > 0n) return cancelled('fok');
  const filled = trades.reduce((a, x) => a + x.size, 0n);
  const filledQuote = trades.reduce((a, x) => a + x.quote, 0n);
  const base = { orderId: t.orderId, filled, filledQuote, remaining: left };
  let taker: MatchResult['taker'];
  if (left === 0n || (filledByDust && trades.length > 0)) taker = { ...base, state: 'filled' };
  else if (reason) taker = { ...base, state: 'cancelled', reason };
  else if (t.orderType === 'market') taker = { ...base, state: 'cancelled', reason: 'market' };
  else if (t.force === 'ioc') taker = { ...base, state: 'cancelled', reason: 'ioc' };
  else {
    rest(left);
    taker = { ...base, state: 'rests' };
  }
  return { book, result: { trades, makers, taker } };
}

/** The naive book's side in priority order, as RestingOrders. */
function naiveSide(book: NaiveOrder[], side: Side): RestingOrder[] {
  return book
    .filter((o) => o.side === side)
    .sort((a, b) => (a.price === b.price ? a.seq - b.seq : side === 'buy' ? (b.price > a.price ? 1 : -1) : a.price > b.price ? 1 : -1))
    .map(({ seq: _seq, ...o }) => o);
}

type Op =
  | { kind: 'limit'; uid: string; side: Side; force: Force; price: number; size: number; stp: StpMode }
  | { kind: 'market'; uid: string; side: Side; size: number; quote: boolean; stp: StpMode }
  | { kind: 'cancel'; pick: number };

const uid = fc.constantFrom('u1', 'u2', 'u3');
const side = fc.constantFrom<Side>('buy', 'sell');
const stp = fc.constantFrom<StpMode>('none', 'cancel_taker', 'cancel_maker', 'cancel_both');
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('limit' as const), uid, side, force: fc.constantFrom<Force>('gtc', 'gtc', 'ioc', 'fok', 'post_only'), price: fc.integer({ min: 95, max: 105 }), size: fc.integer({ min: 1, max: 6 }), stp }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('market' as const), uid, side, size: fc.integer({ min: 1, max: 450 }), quote: fc.boolean(), stp }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }) },
);

test('the book matches a naive array-scan matcher over random order flows, after every step', (t) => {
  const seen = { trades: 0, rests: 0, filled: 0, partialMakers: 0, cancels: 0, quoteDust: 0 } as Record<string, number>;
  const reasons: Record<string, number> = {};
  const stpMakerCancels = { n: 0 };
  fc.assert(
    fc.property(fc.array(op, { minLength: 1, maxLength: 80, size: 'max' }), (ops) => {
      const book = new OrderBook('SPOT', 'TEST');
      let naive: NaiveOrder[] = [];
      const ids: string[] = [];
      ops.forEach((o, i) => {
        if (o.kind === 'cancel') {
          const id = ids.length > 0 && o.pick % 5 !== 0 ? ids[o.pick % ids.length]! : `none-${o.pick}`;
          const got = book.cancel(id);
          const idx = naive.findIndex((x) => x.orderId === id);
          const want = idx >= 0 ? naive[idx] : undefined;
          if (idx >= 0) naive = naive.filter((_, j) => j !== idx);
          assert.deepEqual(got, want ? (({ seq: _s, ...r }) => r)(want) : undefined);
          if (got) seen.cancels!++;
        } else {
          const orderId = `o${i}`;
          ids.push(orderId);
          const quote = o.kind === 'market' && o.quote && o.side === 'buy';
          const taker: TakerOrder =
            o.kind === 'limit'
              ? { orderId, uid: o.uid, side: o.side, orderType: 'limit', force: o.force, price: BigInt(o.price), size: BigInt(o.size), sizeIn: 'base', stpMode: o.stp }
              : { orderId, uid: o.uid, side: o.side, orderType: 'market', force: 'gtc', price: 0n, size: BigInt(quote ? o.size : 1 + (o.size % 12)), sizeIn: quote ? 'quote' : 'base', stpMode: o.stp };
          const got = matchOrder(book, taker);
          const want = naiveMatch(naive, taker, i);
          naive = want.book;
          assert.deepEqual(got, want.result, `step ${i}`);
          seen.trades! += got.trades.length;
          if (got.taker.state === 'rests') seen.rests!++;
          if (got.taker.state === 'filled') seen.filled!++;
          if (got.taker.state === 'filled' && got.taker.remaining > 0n) seen.quoteDust!++;
          if (got.taker.reason) reasons[got.taker.reason] = (reasons[got.taker.reason] ?? 0) + 1;
          seen.partialMakers! += got.makers.filter((m) => m.state === 'partially_filled').length;
          stpMakerCancels.n += got.makers.filter((m) => m.state === 'cancelled').length;
        }
        assert.deepEqual(book.orders('buy'), naiveSide(naive, 'buy'), `bids after step ${i}`);
        assert.deepEqual(book.orders('sell'), naiveSide(naive, 'sell'), `asks after step ${i}`);
        assert.equal(book.size, naive.length);
        const bid = book.bestPrice('buy');
        const ask = book.bestPrice('sell');
        if (bid !== undefined && ask !== undefined) assert.ok(bid < ask, 'the book is never crossed');
      });
    }),
    { numRuns: 1000, seed: 20261202 },
  );
  t.diagnostic(JSON.stringify({ seen, reasons, stpMakerCancels: stpMakerCancels.n }));
  // the flows exercise every rule
  for (const k of ['trades', 'rests', 'filled', 'partialMakers', 'cancels', 'quoteDust']) assert.ok(seen[k]! > 200, `${k}: ${seen[k]}`);
  for (const r of ['ioc', 'fok', 'post_only', 'market', 'stp']) assert.ok((reasons[r] ?? 0) > 200, `${r}: ${reasons[r]}`);
  assert.ok(stpMakerCancels.n > 200, `stp maker cancels: ${stpMakerCancels.n}`);
});
