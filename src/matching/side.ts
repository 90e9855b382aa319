/**
 * One side of a book (bids or asks): price levels in a sorted map (src/matching/tree.ts), best
 * first: bids highest price first, asks lowest first. Adding to or removing from a level is
 * O(1); creating or dropping a level is O(log n).
 */
import type { Side } from '../domain/types.js';
import { Level, type OrderNode } from './level.js';
import { SortedMap } from './tree.js';
import type { RestingOrder } from './types.js';

/** Bids (`buy`) or asks (`sell`). */
export class BookSide {
  private readonly levels = new SortedMap<Level>();

  /** @param side `buy` for bids, `sell` for asks */
  constructor(readonly side: Side) {}

  /** Number of price levels. */
  get depth(): number {
    return this.levels.size;
  }

  /** Rests an order at the back of its price level. */
  add(order: RestingOrder): OrderNode {
    let level = this.levels.get(order.price);
    if (!level) {
      level = new Level(order.price);
      this.levels.set(order.price, level);
    }
    return level.push(order);
  }

  /** Removes a node; drops its level when it empties. O(log n) at worst. */
  remove(node: OrderNode): void {
    const level = node.level;
    level.remove(node);
    if (level.count === 0) this.levels.delete(level.price);
  }

  /** The best level (highest bid / lowest ask), or undefined when the side is empty. */
  best(): Level | undefined {
    const e = this.side === 'buy' ? this.levels.max() : this.levels.min();
    return e?.[1];
  }

  /** Levels best first (do not add or remove while iterating). */
  *bestFirst(): Generator<Level> {
    const it = this.side === 'buy' ? this.levels.descending() : this.levels.ascending();
    for (const [, level] of it) yield level;
  }

  /** True when a taker limit at `price` on the other side would trade with this side's level at `levelPrice`. */
  crosses(levelPrice: bigint, price: bigint): boolean {
    return this.side === 'sell' ? levelPrice <= price : levelPrice >= price;
  }
}
