/**
 * Pure constructors of domain events, used by the engine's decide functions (place, cancel,
 * fill), and the encoding of one unit's events in the outbox (one row per committed unit).
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Order } from '../domain/types.js';
import type { OrderUpdate } from '../store/types.js';
import type { DomainEvent, OrderCreatedEvent, OrderUpdatedEvent, StoredEvent } from './types.js';

/** `order.created` for an order a unit inserts. */
export function orderCreated(order: Order): OrderCreatedEvent {
  return { kind: 'order.created', order };
}

/**
 * `order.updated` for `update` applied to `before` (the order as loaded): the event carries the
 * whole order after the change (status, filled amounts, uTime, cancelReason).
 */
export function orderUpdated(before: Order, update: OrderUpdate, change: OrderUpdatedEvent['change']): OrderUpdatedEvent {
  const order: Order = {
    ...before,
    status: update.status,
    filledSize: update.filledSize,
    filledQuote: update.filledQuote,
    uTime: update.uTime,
    cancelReason: update.cancelReason,
  };
  return { kind: 'order.updated', change, order };
}

/** The UID an event concerns: the order's owner, `data.uid` of other kinds, else null. */
export function eventUid(e: DomainEvent): string | null {
  if (e.kind === 'order.created' || e.kind === 'order.updated') return e.order.uid;
  const u = e.data.uid;
  return typeof u === 'string' ? u : null;
}

/**
 * The outbox body of one unit: its events as one JSON array, deflated (raw, level 1). A 50-order
 * cancel's events are ~22 KB of JSON but ~1 KB deflated (the orders differ in a few fields), so
 * the row fits in one page and the commit writes and syncs ~5 pages fewer.
 */
export function encodeUnit(events: readonly DomainEvent[]): Buffer {
  return deflateRawSync(JSON.stringify(events), { level: 1 });
}

/** The stored form of a unit's events committed under `firstSeq`… at `ts` (no decoding needed). */
export function storedUnit(firstSeq: number, ts: number, events: readonly DomainEvent[]): StoredEvent[] {
  return events.map((event, i) => ({ seq: firstSeq + i, ts, uid: eventUid(event), event }));
}

/**
 * Expands one outbox row (a unit: first sequence, commit time ms, JSON array of events) into
 * its stored events, sequences `firstSeq`, `firstSeq + 1`, …
 */
export function decodeUnit(firstSeq: number, ts: number, body: Uint8Array): StoredEvent[] {
  return storedUnit(firstSeq, ts, JSON.parse(inflateRawSync(body).toString('utf8')) as DomainEvent[]);
}
