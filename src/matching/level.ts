/**
 * One price level of one book side: a FIFO queue of resting orders at the same price (time
 * priority), as a doubly linked list so that any order leaves it in O(1) given its node.
 */
import type { RestingOrder } from './types.js';

/** A resting order's place in its level; the book keeps orderId -> node for O(1) lookup. */
export interface OrderNode {
  order: RestingOrder;
  level: Level;
  prev: OrderNode | null;
  next: OrderNode | null;
}

/** A FIFO queue of orders at one price with their total open size (lots). */
export class Level {
  /** Oldest order (first to fill), or null when empty. */
  head: OrderNode | null = null;
  /** Newest order, or null when empty. */
  tail: OrderNode | null = null;
  /** Sum of `remaining` over the level's orders, in lots. */
  total = 0n;
  /** Number of orders. */
  count = 0;

  /** @param price the level's price in ticks */
  constructor(readonly price: bigint) {}

  /** Appends an order at the back of the queue (it has the lowest time priority). */
  push(order: RestingOrder): OrderNode {
    const node: OrderNode = { order, level: this, prev: this.tail, next: null };
    if (this.tail) this.tail.next = node;
    else this.head = node;
    this.tail = node;
    this.total += order.remaining;
    this.count++;
    return node;
  }

  /** Unlinks a node of this level. O(1). */
  remove(node: OrderNode): void {
    if (node.prev) node.prev.next = node.next;
    else this.head = node.next;
    if (node.next) node.next.prev = node.prev;
    else this.tail = node.prev;
    node.prev = node.next = null;
    this.total -= node.order.remaining;
    this.count--;
  }

  /** Lowers a node's open size by `lots` (a partial fill), keeping its place in the queue. */
  reduce(node: OrderNode, lots: bigint): void {
    node.order.remaining -= lots;
    this.total -= lots;
  }

  /** The level's orders front to back. */
  *orders(): Generator<RestingOrder> {
    for (let n = this.head; n; n = n.next) yield n.order;
  }
}
