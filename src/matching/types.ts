/**
 * The matcher's vocabulary, in integer units (src/matching/units.ts): prices in ticks, base
 * sizes in lots, quote amounts in notional units (tick x lot). Decimal strings appear only in
 * src/matching/decimal.ts.
 */
import type { Force, Side, StpMode } from '../domain/types.js';

/** An order resting on a book (a limit order's open remainder). */
export interface RestingOrder {
  orderId: string;
  uid: string;
  side: Side;
  /** Limit price in ticks. */
  price: bigint;
  /** Open (unfilled) size in lots, > 0. */
  remaining: bigint;
  /** The order's own stpMode (kept for display; STP is decided by the taker's mode). */
  stpMode: StpMode;
}

/**
 * An incoming order. `size` is in lots (`sizeIn: 'base'`), or for a spot/margin market buy in
 * notional units of quote (`sizeIn: 'quote'`: Bitget's market-buy size is the quote amount).
 * `price` is in ticks for a limit order and ignored for a market order.
 */
export interface TakerOrder {
  orderId: string;
  uid: string;
  side: Side;
  orderType: 'limit' | 'market';
  /** Time in force of a limit order; a market order is always immediate-or-cancel. */
  force: Force;
  price: bigint;
  size: bigint;
  sizeIn: 'base' | 'quote';
  stpMode: StpMode;
}

/** One trade between a resting maker and the taker, at the maker's price. */
export interface Trade {
  makerOrderId: string;
  makerUid: string;
  takerOrderId: string;
  takerUid: string;
  /** The taker's side (the maker has the other). Bitget fills' `side` is per order. */
  takerSide: Side;
  /** Price in ticks (the maker's). */
  price: bigint;
  /** Base size in lots, > 0. */
  size: bigint;
  /** price x size in notional units. */
  quote: bigint;
}

/**
 * Why the matcher cancelled (part of) an order. The store maps these to Bitget's
 * `cancelReason` (docs/MATCHING.md): `stp` -> `stp_cancel`, the others are the order's own
 * time in force ending it and show as `cancelled` with the filled part kept.
 * - `ioc`: a limit ioc's unfilled remainder;
 * - `fok`: a fok that could not fill whole (nothing filled);
 * - `post_only`: a post_only that would have taken (nothing filled);
 * - `market`: a market order's remainder when the book ran out;
 * - `stp`: self-trade prevention.
 */
export type CancelReason = 'ioc' | 'fok' | 'post_only' | 'market' | 'stp';

/** What became of a maker touched by a match. */
export interface MakerUpdate {
  orderId: string;
  uid: string;
  side: Side;
  price: bigint;
  /** Lots filled in this match (0 when cancelled by STP without a fill). */
  filled: bigint;
  /** Open size left on the book (0 when filled or cancelled). */
  remaining: bigint;
  state: 'partially_filled' | 'filled' | 'cancelled';
  /** Set when `state` is `cancelled` (always `stp`). */
  reason?: 'stp';
}

/** What became of the taker. */
export interface TakerOutcome {
  orderId: string;
  /** Base lots filled. */
  filled: bigint;
  /** Notional units filled (sum of trade quotes). */
  filledQuote: bigint;
  /**
   * Unfilled size in the order's own unit (lots, or notional units for a quote-sized market
   * buy, including the dust that can buy no whole lot).
   */
  remaining: bigint;
  /** `rests`: the remainder is now on the book; `filled`; `cancelled` (see `reason`). */
  state: 'rests' | 'filled' | 'cancelled';
  reason?: CancelReason;
}

/** Everything one match decided: what a store unit writes (orders, trades, settlement). */
export interface MatchResult {
  trades: Trade[];
  /** Makers touched, in the order the match met them (book priority). */
  makers: MakerUpdate[];
  taker: TakerOutcome;
}
