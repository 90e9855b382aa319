/**
 * The order book of one symbol in one category (issue 11 item 1): bids and asks
 * (src/matching/side.ts) plus a Map orderId -> node, so that finding an order is O(1) and
 * cancelling it is O(1) within its level plus O(log n) when its level empties. Pure and
 * in memory: the store is the truth, and a book is rebuilt from the open orders (in time
 * priority) when a process starts (docs/MATCHING.md "Integration").
 */
import type { Category, Side } from '../domain/types.js';
import type { OrderNode } from './level.js';
import { BookSide } from './side.js';
import type { RestingOrder } from './types.js';

/** One level of public depth: price (ticks), total open size (lots) and order count. */
export interface DepthLevel {
  price: bigint;
  size: bigint;
  count: number;
}

/** Book key: one book per (category, symbol). */
export function bookKey(category: Category, symbol: string): string {
  return `${category}:${symbol}`;
}

/** A price-time priority order book. */
export class OrderBook {
  /** Buy orders, highest price first. */
  readonly bids = new BookSide('buy');
  /** Sell orders, lowest price first. */
  readonly asks = new BookSide('sell');
  private readonly nodes = new Map<string, OrderNode>();

  /** An empty book for `symbol` in `category`. */
  constructor(
    readonly category: Category,
    readonly symbol: string,
  ) {}

  /** Number of resting orders. */
  get size(): number {
    return this.nodes.size;
  }

  /** The side holding orders of `side` (bids for buy, asks for sell). */
  sideOf(side: Side): BookSide {
    return side === 'buy' ? this.bids : this.asks;
  }

  /**
   * Rests an order at the back of its price level (lowest time priority at that price). The
   * order must not cross the other side; `matchOrder` is the way in for incoming orders.
   * @throws Error on a duplicate orderId or a non-positive size (a caller bug).
   */
  add(order: RestingOrder): void {
    if (this.nodes.has(order.orderId)) throw new Error(`order ${order.orderId} is already on the book`);
    if (order.remaining <= 0n) throw new Error(`order ${order.orderId} has no open size`);
    this.nodes.set(order.orderId, this.sideOf(order.side).add({ ...order }));
  }

  /** True when the order rests on this book. */
  has(orderId: string): boolean {
    return this.nodes.has(orderId);
  }

  /** A copy of the resting order, or undefined. O(1). */
  get(orderId: string): RestingOrder | undefined {
    const n = this.nodes.get(orderId);
    return n ? { ...n.order } : undefined;
  }

  /**
   * Removes an order (a cancel, or an STP cancel); returns what rested, or undefined when the
   * order is not on the book (already filled, cancelled or never there). O(log n).
   */
  cancel(orderId: string): RestingOrder | undefined {
    const n = this.nodes.get(orderId);
    if (!n) return undefined;
    this.nodes.delete(orderId);
    this.sideOf(n.order.side).remove(n);
    return { ...n.order };
  }

  /**
   * Fills `lots` of a resting order (keeps its time priority); removes it when nothing is left.
   * Returns its remaining open size.
   * @throws Error when the order is absent or `lots` exceeds its open size (a caller bug).
   */
  fill(orderId: string, lots: bigint): bigint {
    const n = this.nodes.get(orderId);
    if (!n) throw new Error(`order ${orderId} is not on the book`);
    if (lots <= 0n || lots > n.order.remaining) throw new Error(`cannot fill ${lots} of order ${orderId}`);
    if (lots === n.order.remaining) {
      this.cancel(orderId);
      return 0n;
    }
    n.level.reduce(n, lots);
    return n.order.remaining;
  }

  /** Best price of a side in ticks (highest bid, lowest ask), or undefined when empty. */
  bestPrice(side: Side): bigint | undefined {
    return this.sideOf(side).best()?.price;
  }

  /** Up to `levels` price levels of a side, best first (public depth). */
  depth(side: Side, levels = Infinity): DepthLevel[] {
    const out: DepthLevel[] = [];
    for (const l of this.sideOf(side).bestFirst()) {
      if (out.length >= levels) break;
      out.push({ price: l.price, size: l.total, count: l.count });
    }
    return out;
  }

  /** Copies of a side's orders in priority order (best price first, then time). */
  orders(side: Side): RestingOrder[] {
    const out: RestingOrder[] = [];
    for (const l of this.sideOf(side).bestFirst()) for (const o of l.orders()) out.push({ ...o });
    return out;
  }
}
