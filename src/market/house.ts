/**
 * The house (issue 11 item 2): ordergate's own liquidity, an ordinary participant (one UID)
 * quoting a few levels each side of the reference price, so market orders fill with realistic
 * slippage and public depth shows real levels. Pure decisions in integer units
 * (src/matching/units.ts):
 * - {@link houseQuotes}: the quotes wanted around a reference price;
 * - {@link quotePlan}: which house orders to cancel and which to place to get there;
 * - {@link sweepCrossed}: when the reference moves to or through a resting user order's price,
 *   that order fills whole, as maker at its own price, against the house.
 *
 * A move is applied in this order (docs/MATCHING.md "Moving the market"): cancel the planned
 * house orders, sweep what the new reference crossed, place the new quotes. After the sweep
 * every user bid is below the reference and every user ask above it, and house quotes are at
 * least `floor(spreadTicks / 2)` ticks away from it, so the new quotes never cross the book.
 */
import type { Side } from '../domain/types.js';
import type { OrderBook } from '../matching/book.js';
import type { MakerUpdate, RestingOrder, Trade } from '../matching/types.js';

/** How the house quotes. */
export interface HouseConfig {
  /** Price levels per side (default 5). */
  levels: number;
  /**
   * Ticks from the best house bid to the best house ask (default 22): the best bid is
   * `reference - floor(spread / 2)`, the best ask `best bid + spread`, so with the default 21
   * prices (10 each side of the reference, and the reference) are free for users to trade
   * between themselves at a price the house does not quote.
   */
  spreadTicks: number;
  /** Ticks between two house levels of a side (default 1). */
  levelStepTicks: number;
  /** Size of each level in lots. */
  sizeLots: bigint;
}

/** Default levels, spread and step (size comes from the market: see {@link defaultHouseConfig}). */
export const HOUSE_DEFAULTS = { levels: 5, spreadTicks: 22, levelStepTicks: 1 } as const;

/** The default config for a market whose level size is `sizeLots` lots. */
export function defaultHouseConfig(sizeLots: bigint): HouseConfig {
  return { ...HOUSE_DEFAULTS, sizeLots };
}

/** One house quote: side, price (ticks), size (lots). */
export interface Quote {
  side: Side;
  price: bigint;
  size: bigint;
}

/** A house order resting now: its quote (size = open size) and orderId. */
export interface HouseOrder extends Quote {
  orderId: string;
}

/**
 * The quotes wanted around `reference` (ticks): bids best first, then asks best first. Bid
 * levels at or below zero are left out.
 * @throws Error on a config with no levels, a spread below 2 or a non-positive step or size.
 */
export function houseQuotes(reference: bigint, config: HouseConfig): Quote[] {
  if (config.levels < 1 || config.spreadTicks < 2 || config.levelStepTicks < 1 || config.sizeLots <= 0n) {
    throw new Error('house: levels >= 1, spreadTicks >= 2, levelStepTicks >= 1 and sizeLots > 0 are required');
  }
  const bestBid = reference - BigInt(Math.floor(config.spreadTicks / 2));
  const bestAsk = bestBid + BigInt(config.spreadTicks);
  const step = BigInt(config.levelStepTicks);
  const out: Quote[] = [];
  for (let i = 0n; i < BigInt(config.levels); i++) {
    const p = bestBid - i * step;
    if (p > 0n) out.push({ side: 'buy', price: p, size: config.sizeLots });
  }
  for (let i = 0n; i < BigInt(config.levels); i++) out.push({ side: 'sell', price: bestAsk + i * step, size: config.sizeLots });
  return out;
}

/**
 * From the house orders resting now to `desired`: an order is kept when a wanted quote has its
 * side and price and it still has the full size; every other house order is cancelled and
 * every wanted quote not kept is placed (a partly filled level is replaced whole). Each
 * wanted quote keeps at most one order.
 */
export function quotePlan(current: readonly HouseOrder[], desired: readonly Quote[]): { cancel: string[]; place: Quote[] } {
  const wanted = new Map<string, Quote>();
  for (const q of desired) wanted.set(`${q.side}:${q.price}`, q);
  const kept = new Set<string>();
  const cancel: string[] = [];
  for (const o of current) {
    const k = `${o.side}:${o.price}`;
    const q = wanted.get(k);
    if (q && !kept.has(k) && o.size === q.size) kept.add(k);
    else cancel.push(o.orderId);
  }
  return { cancel, place: desired.filter((q) => !kept.has(`${q.side}:${q.price}`)) };
}

/**
 * The user orders the reference `reference` (ticks) has reached or passed: bids at or above
 * it and asks at or below it, in book priority order, excluding the house's own orders.
 * Read-only.
 */
export function crossedBy(book: OrderBook, reference: bigint, houseUid: string): RestingOrder[] {
  const out: RestingOrder[] = [];
  for (const side of ['buy', 'sell'] as const) {
    for (const level of book.sideOf(side).bestFirst()) {
      if (side === 'buy' ? level.price < reference : level.price > reference) break;
      for (const o of level.orders()) if (o.uid !== houseUid) out.push({ ...o });
    }
  }
  return out;
}

/** The house's taker identities for a sweep: its UID and one taker orderId per house side. */
export interface HouseTaker {
  uid: string;
  /** The house order that sells to crossed user bids. */
  sellOrderId: string;
  /** The house order that buys from crossed user asks. */
  buyOrderId: string;
}

/**
 * Fills every user order `reference` crossed (see {@link crossedBy}) whole, as maker at its
 * own price, against the house as taker, and removes them from the book. Trades are in book
 * priority order (bids first). The house never self-trades (its own orders are skipped).
 */
export function sweepCrossed(book: OrderBook, reference: bigint, house: HouseTaker): { trades: Trade[]; makers: MakerUpdate[] } {
  const crossed = crossedBy(book, reference, house.uid);
  const trades: Trade[] = [];
  const makers: MakerUpdate[] = [];
  for (const o of crossed) {
    const takerSide: Side = o.side === 'buy' ? 'sell' : 'buy';
    trades.push({
      makerOrderId: o.orderId,
      makerUid: o.uid,
      takerOrderId: takerSide === 'sell' ? house.sellOrderId : house.buyOrderId,
      takerUid: house.uid,
      takerSide,
      price: o.price,
      size: o.remaining,
      quote: o.price * o.remaining,
    });
    book.fill(o.orderId, o.remaining);
    makers.push({ orderId: o.orderId, uid: o.uid, side: o.side, price: o.price, filled: o.remaining, remaining: 0n, state: 'filled' });
  }
  return { trades, makers };
}
