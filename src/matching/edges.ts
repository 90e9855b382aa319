/**
 * The decimal edges of the matcher: a stored order (src/domain/types.ts, decimal strings) in,
 * integer units through the book, decimal strings out for the store unit to write orders,
 * trades and settlement (src/ledger/settle.ts takes `price` and `size` as decimal strings).
 */
import { sub } from '../domain/decimal.js';
import type { Order, Side, StpMode } from '../domain/types.js';
import {
  lotsToSize,
  priceToTicks,
  quoteToUnits,
  sizeToLots,
  ticksToPrice,
  unitsToQuote,
  type MarketUnits,
} from './units.js';
import type { CancelReason, MatchResult, RestingOrder, TakerOrder } from './types.js';

/** The order fields the matcher reads. */
export type MatchableOrder = Pick<Order, 'orderId' | 'uid' | 'category' | 'side' | 'orderType' | 'force' | 'price' | 'size' | 'filledSize' | 'extra'>;

const STP: readonly StpMode[] = ['none', 'cancel_taker', 'cancel_maker', 'cancel_both'];

/** The order's stpMode (`extra.stpMode`, validated by the dialects), `none` when absent. */
export function stpModeOf(order: Pick<Order, 'extra'>): StpMode {
  const m = order.extra.stpMode as StpMode | undefined;
  return m && STP.includes(m) ? m : 'none';
}

/** True when the order's `size` is a quote amount: a spot or margin market buy (Bitget). */
export function sizedInQuote(order: Pick<Order, 'category' | 'orderType' | 'side'>): boolean {
  return order.orderType === 'market' && order.side === 'buy' && (order.category === 'SPOT' || order.category === 'MARGIN');
}

/**
 * An incoming stored order as a taker in integer units. Its size is what is still unfilled
 * (`size - filledSize`; a quote-sized market buy is never partly filled before it matches).
 * @throws Error when price or size is off the market's tick or step (validated at placement).
 */
export function takerOf(order: MatchableOrder, units: MarketUnits): TakerOrder {
  const quote = sizedInQuote(order);
  return {
    orderId: order.orderId,
    uid: order.uid,
    side: order.side,
    orderType: order.orderType,
    force: order.force,
    price: order.orderType === 'limit' ? priceToTicks(units, order.price) : 0n,
    size: quote ? quoteToUnits(units, order.size) : sizeToLots(units, sub(order.size, order.filledSize)),
    sizeIn: quote ? 'quote' : 'base',
    stpMode: stpModeOf(order),
  };
}

/** An open limit order as it rests on a book (loading a book from the store). */
export function restingOf(order: MatchableOrder, units: MarketUnits): RestingOrder {
  return {
    orderId: order.orderId,
    uid: order.uid,
    side: order.side,
    price: priceToTicks(units, order.price),
    remaining: sizeToLots(units, sub(order.size, order.filledSize)),
    stpMode: stpModeOf(order),
  };
}

/** One trade in decimal strings. `quoteVolume` = price x size. */
export interface DecimalTrade {
  makerOrderId: string;
  makerUid: string;
  makerSide: Side;
  takerOrderId: string;
  takerUid: string;
  takerSide: Side;
  price: string;
  size: string;
  quoteVolume: string;
}

/** A maker touched by a match, in decimal strings. */
export interface DecimalMakerUpdate {
  orderId: string;
  uid: string;
  side: Side;
  price: string;
  filled: string;
  remaining: string;
  state: 'partially_filled' | 'filled' | 'cancelled';
  reason?: 'stp';
}

/** The taker's outcome in decimal strings; `remaining` is in the order's own unit (quote for a spot market buy). */
export interface DecimalTakerOutcome {
  orderId: string;
  filled: string;
  filledQuote: string;
  remaining: string;
  state: 'rests' | 'filled' | 'cancelled';
  reason?: CancelReason;
}

/** A match result in decimal strings. */
export interface DecimalMatchResult {
  trades: DecimalTrade[];
  makers: DecimalMakerUpdate[];
  taker: DecimalTakerOutcome;
}

/** Converts a match result to decimal strings; `sizeIn` is the taker's (for its `remaining`). */
export function toDecimal(result: MatchResult, units: MarketUnits, sizeIn: 'base' | 'quote'): DecimalMatchResult {
  const t = result.taker;
  return {
    trades: result.trades.map((x) => ({
      makerOrderId: x.makerOrderId,
      makerUid: x.makerUid,
      makerSide: x.takerSide === 'buy' ? 'sell' : 'buy',
      takerOrderId: x.takerOrderId,
      takerUid: x.takerUid,
      takerSide: x.takerSide,
      price: ticksToPrice(units, x.price),
      size: lotsToSize(units, x.size),
      quoteVolume: unitsToQuote(units, x.quote),
    })),
    makers: result.makers.map((m) => ({
      ...m,
      price: ticksToPrice(units, m.price),
      filled: lotsToSize(units, m.filled),
      remaining: lotsToSize(units, m.remaining),
    })),
    taker: {
      ...t,
      filled: lotsToSize(units, t.filled),
      filledQuote: unitsToQuote(units, t.filledQuote),
      remaining: sizeIn === 'quote' ? unitsToQuote(units, t.remaining) : lotsToSize(units, t.remaining),
    },
  };
}
