/**
 * Test helpers for the event stream: a subscriber that records what it is given, and a wait
 * with a generous deadline (never a tight timing assertion).
 */
import type { EventBus, StoredEvent } from '../../src/events/types.js';

/** A recording subscriber. */
export interface Collector {
  /** The order events (`order.created`, `order.updated`) delivered, in order. */
  events: StoredEvent[];
  /** Every event delivered (orders and the money kinds of issue 10: balance, trade, position), in order. */
  all: StoredEvent[];
  /** Number of handler calls (batches). */
  batches: number;
  close(): void;
}

/** Subscribes to `bus` (from `fromSequence`, if given) and records every event delivered. */
export function collect(bus: EventBus, fromSequence?: number): Collector {
  const c: Collector = { events: [], all: [], batches: 0, close: () => sub.close() };
  const sub = bus.subscribe((batch) => {
    c.batches++;
    c.all.push(...batch);
    c.events.push(...batch.filter((e) => e.event.kind === 'order.created' || e.event.kind === 'order.updated'));
  }, fromSequence);
  return c;
}

/** Polls `cond` every 10 ms until true; throws with `what` after `ms` (default 20 s). */
export async function waitFor(cond: () => boolean, what: string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The sequences of `events`. */
export const seqs = (events: readonly StoredEvent[]): number[] => events.map((e) => e.seq);

/** `from`, `from + 1`, …, `to`. */
export const range = (from: number, to: number): number[] => Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);

/** A compact description of an event: kind, change, orderId, status, cancelReason. */
export function brief(e: StoredEvent): string {
  const ev = e.event;
  if (ev.kind === 'order.created') return `created ${ev.order.orderId} ${ev.order.status} ${ev.order.cancelReason}`.trim();
  if (ev.kind === 'order.updated') return `${ev.change} ${ev.order.orderId} ${ev.order.status} ${ev.order.cancelReason}`.trim();
  return ev.kind;
}
