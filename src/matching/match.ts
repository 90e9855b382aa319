/**
 * Matching one incoming order against a book (issue 11 item 1), price-time priority. The
 * match is planned first without touching the book, then applied, so a fok checks
 * all-or-nothing before any fill and a refused order changes nothing.
 *
 * Rules (docs/MATCHING.md):
 * - every trade is at the maker's price; makers are met best price first, then oldest first;
 * - limit `gtc`: trades what crosses, rests the remainder;
 * - limit `ioc`: trades what crosses, cancels the remainder (reason `ioc`);
 * - limit `fok`: trades only if the whole size can trade now, else nothing (reason `fok`);
 * - limit `post_only`: if its price crosses the best opposite price, it is cancelled without
 *   trading (reason `post_only`; accepted then cancelled, not refused: ordergate's choice);
 *   otherwise it rests;
 * - market: walks the book until its size is used or the book is empty; any remainder is
 *   cancelled (reason `market`). A quote-sized market buy (spot: Bitget's market-buy size is
 *   the quote amount) buys floor(quote left / price) lots per level; it is `filled` when what
 *   is left cannot buy one lot at the next price (dust stays in `remaining`) and it bought
 *   something (one that can buy nothing at all is cancelled, reason `market`);
 * - self-trade prevention by the TAKER's `stpMode` when the next maker has the taker's UID:
 *   `cancel_taker` cancels the taker's remainder, `cancel_maker` cancels that maker and goes
 *   on, `cancel_both` cancels both; `none` trades. Fills made before stay.
 */
import type { OrderBook } from './book.js';
import type { CancelReason, MakerUpdate, MatchResult, RestingOrder, TakerOrder, Trade } from './types.js';

interface Step {
  maker: RestingOrder;
  /** lots traded with this maker (0 for an STP maker cancel) */
  lots: bigint;
  stpCancel: boolean;
}

/**
 * Matches `taker` against `book` and applies the result to the book (fills, STP cancels, the
 * resting remainder). Returns the trades, the makers touched and the taker's outcome.
 * @throws Error on a malformed taker (non-positive size, a quote-sized limit order, an orderId
 *   already on the book), before touching the book: a caller bug, never user input.
 */
export function matchOrder(book: OrderBook, taker: TakerOrder): MatchResult {
  if (taker.size <= 0n) throw new Error(`order ${taker.orderId} has no size`);
  if (taker.sizeIn === 'quote' && (taker.orderType !== 'market' || taker.side !== 'buy')) {
    throw new Error('only a market buy is sized in quote');
  }
  if (taker.orderType === 'limit' && taker.price <= 0n) throw new Error(`limit order ${taker.orderId} has no price`);
  if (book.has(taker.orderId)) throw new Error(`order ${taker.orderId} is already on the book`);
  const opposite = book.sideOf(taker.side === 'buy' ? 'sell' : 'buy');
  const isLimit = taker.orderType === 'limit';
  const none = (reason: CancelReason): MatchResult => ({
    trades: [],
    makers: [],
    taker: { orderId: taker.orderId, filled: 0n, filledQuote: 0n, remaining: taker.size, state: 'cancelled', reason },
  });

  if (isLimit && taker.force === 'post_only') {
    const best = opposite.best();
    if (best && opposite.crosses(best.price, taker.price)) return none('post_only');
    book.add(restingOf(taker, taker.size));
    return { trades: [], makers: [], taker: { orderId: taker.orderId, filled: 0n, filledQuote: 0n, remaining: taker.size, state: 'rests' } };
  }

  // plan
  const steps: Step[] = [];
  let left = taker.size;
  let stopped: CancelReason | undefined;
  let dust = false;
  walk: for (const level of opposite.bestFirst()) {
    if (isLimit && !opposite.crosses(level.price, taker.price)) break;
    for (let node = level.head; node; node = node.next) {
      const maker = node.order;
      if (left === 0n) break walk;
      if (maker.uid === taker.uid && taker.stpMode !== 'none') {
        if (taker.stpMode === 'cancel_maker' || taker.stpMode === 'cancel_both') steps.push({ maker, lots: 0n, stpCancel: true });
        if (taker.stpMode === 'cancel_taker' || taker.stpMode === 'cancel_both') {
          stopped = 'stp';
          break walk;
        }
        continue;
      }
      const can = taker.sizeIn === 'quote' ? left / level.price : left;
      if (can === 0n) {
        dust = true;
        break walk;
      }
      const lots = can < maker.remaining ? can : maker.remaining;
      steps.push({ maker, lots, stpCancel: false });
      left -= taker.sizeIn === 'quote' ? lots * level.price : lots;
      if (lots < maker.remaining) {
        // the taker stops inside this maker: used up, or quote dust that buys no whole lot
        dust = left > 0n;
        break walk;
      }
    }
  }
  if (isLimit && taker.force === 'fok' && left > 0n) return none('fok');

  // apply
  const trades: Trade[] = [];
  const makers: MakerUpdate[] = [];
  let filled = 0n;
  let filledQuote = 0n;
  for (const s of steps) {
    const m = s.maker;
    const base = { orderId: m.orderId, uid: m.uid, side: m.side, price: m.price };
    if (s.stpCancel) {
      book.cancel(m.orderId);
      makers.push({ ...base, filled: 0n, remaining: 0n, state: 'cancelled', reason: 'stp' });
      continue;
    }
    const quote = s.lots * m.price;
    trades.push({
      makerOrderId: m.orderId,
      makerUid: m.uid,
      takerOrderId: taker.orderId,
      takerUid: taker.uid,
      takerSide: taker.side,
      price: m.price,
      size: s.lots,
      quote,
    });
    filled += s.lots;
    filledQuote += quote;
    const remaining = book.fill(m.orderId, s.lots);
    makers.push({ ...base, filled: s.lots, remaining, state: remaining === 0n ? 'filled' : 'partially_filled' });
  }

  const outcome = { orderId: taker.orderId, filled, filledQuote, remaining: left };
  if (left === 0n || (dust && filled > 0n)) return { trades, makers, taker: { ...outcome, state: 'filled' } };
  if (stopped) return { trades, makers, taker: { ...outcome, state: 'cancelled', reason: stopped } };
  if (!isLimit) return { trades, makers, taker: { ...outcome, state: 'cancelled', reason: 'market' } };
  if (taker.force === 'ioc') return { trades, makers, taker: { ...outcome, state: 'cancelled', reason: 'ioc' } };
  book.add(restingOf(taker, left));
  return { trades, makers, taker: { ...outcome, state: 'rests' } };
}

function restingOf(t: TakerOrder, remaining: bigint): RestingOrder {
  return { orderId: t.orderId, uid: t.uid, side: t.side, price: t.price, remaining, stpMode: t.stpMode };
}
