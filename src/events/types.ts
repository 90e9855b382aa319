/**
 * The event stream's vocabulary: what a committed unit of work yields, and the bus that delivers
 * it (issue "Groundwork for a living venue", item 1; DESIGN.md "Event stream").
 *
 * Every unit of work that changes something yields domain events. They are written in the SAME
 * transaction as the change (a transactional outbox), each with one monotonically increasing
 * sequence number per store, and delivered to subscribers only after the commit, in sequence
 * order. WebSocket pushes, kill switches, the dashboard and metrics are subscribers; nothing
 * else pushes.
 */
import type { Order } from '../domain/types.js';

/** Why an order was cancelled (Bitget's `cancelReason` values plus ordergate's switch reasons). */
export type CancelReason = string;

/** A new order was accepted (status `live`, or already finished for ioc/fok/market). */
export interface OrderCreatedEvent {
  kind: 'order.created';
  /** The order as committed. */
  order: Order;
}

/** An existing order changed: filled (partly), cancelled, or modified. */
export interface OrderUpdatedEvent {
  kind: 'order.updated';
  /** What happened to it. */
  change: 'fill' | 'cancel' | 'modify';
  /** The whole order after the change (its `cancelReason` set on a cancel). */
  order: Order;
}

/**
 * Kinds the next issues add (money, market, kill switches). Declared now so the stream, its
 * storage and its subscribers carry them without another change of shape: `data` is the
 * kind's own payload (decimal strings for every amount).
 */
export interface OtherEvent {
  kind: 'trade' | 'balance' | 'position' | 'switch';
  data: Record<string, unknown>;
}

/**
 * The payload of a `switch` event (issue 13, src/switches/): one kill switch fired, or a panic
 * ran. Committed in the SAME unit as the cancels it caused, so the event and the cancelled
 * orders' `order.updated` events (with `cancelReason`) are one commit.
 */
export interface SwitchEventData {
  uid: string;
  /** `countdown` (Bitget's and the extension), `disconnect` (cancel-on-disconnect), `panic`. */
  switch: 'countdown' | 'disconnect' | 'panic';
  /** `category:symbol`, `*` for every (`*:*` = the whole UID). */
  scopeKey: string;
  /** The cancelReason the cancelled orders carry. */
  cancelReason: string;
  /** The deadline that fired (ms); null for a panic. */
  deadline: number | null;
  /** Arm generation that fired (0 for a panic). */
  generation: number;
  /** How many orders the fire cancelled. */
  cancelled: number;
  /** Up to 100 of their orderIds, oldest first. */
  orderIds: string[];
  /** panic: whether new orders are now blocked. */
  blocked?: boolean;
}

/** A `switch` event with its typed payload. */
export interface SwitchEvent extends OtherEvent {
  kind: 'switch';
  data: SwitchEventData & Record<string, unknown>;
}

/** True for a `switch` event (narrows `data` to {@link SwitchEventData}). */
export function isSwitchEvent(e: DomainEvent): e is SwitchEvent {
  return e.kind === 'switch';
}

/**
 * Payload of a `balance` event (issue 10): one balance after the unit, with the ledger entries
 * (bills) that changed it in that unit. Amounts are decimal strings; entry deltas are signed.
 */
export type BalanceEventData = {
  uid: string;
  /** Canonical account id (src/ledger/accounts.ts): `spot`, `futures:USDT-FUTURES:USDT`, `crossed`, `isolated:BTCUSDT`, `unified`. */
  account: string;
  coin: string;
  available: string;
  frozen: string;
  entries: { reason: string; available: string; frozen: string; orderId: string; tradeId: string }[];
};

/** Payload of a `trade` event: one side of a fill (src/ledger/settle.ts TradeRecord; fee positive) and its time (ms string). */
export type TradeEventData = {
  uid: string;
  tradeId: string;
  orderId: string;
  category: string;
  symbol: string;
  side: string;
  price: string;
  size: string;
  quoteVolume: string;
  fee: string;
  feeCoin: string;
  liquidity: string;
  realisedPnl: string;
  tradeSide: string;
  cTime: string;
};

/** Payload of a `position` event: a futures position after a fill; `size` '0' when it closed. */
export type PositionEventData = {
  uid: string;
  account: string;
  productType: string;
  symbol: string;
  marginCoin: string;
  holdSide: string;
  marginMode: string;
  leverage: string;
  size: string;
  openValue: string;
  margin: string;
  achievedProfits: string;
  totalFee: string;
};

/** One domain event, as decided by the engine. */
export type DomainEvent = OrderCreatedEvent | OrderUpdatedEvent | OtherEvent;

/** An event as committed: its place in the store's one sequence, when, and whose. */
export interface StoredEvent {
  /** Store-wide, strictly increasing with commit order, starting at 1; never reused. */
  seq: number;
  /** Commit time in ms. */
  ts: number;
  /** The UID it concerns; null for venue-wide events (market data). */
  uid: string | null;
  event: DomainEvent;
}

/** A live subscription; `close()` stops delivery. */
export interface Subscription {
  close(): void;
}

/**
 * Delivers committed events to in-process subscribers, in sequence order, each event once.
 * On SQLite the store publishes after its commit; on PostgreSQL every instance learns of other
 * instances' commits (LISTEN/NOTIFY) and reads the events table by sequence, so a subscriber on
 * any instance sees every instance's events and catches up by sequence after a reconnect.
 */
export interface EventBus {
  /**
   * Calls `handler` with batches of events in sequence order. With `fromSequence`, first replays
   * every retained event with `seq > fromSequence` (catch-up), then continues live with no gap
   * and no duplicate; without it, starts after {@link EventBus.lastSequence} (on PostgreSQL a
   * commit of a moment ago may not be delivered yet: it then still arrives). Replay starts
   * asynchronously, never inside `subscribe`. A catch-up from before the oldest retained event
   * resumes at the oldest retained one. Events are shared by all subscribers: read-only. A
   * handler that throws is reported and skipped; the others still receive the batch.
   */
  subscribe(handler: (events: readonly StoredEvent[]) => void, fromSequence?: number): Subscription;
  /** Sequence of the last committed event this process knows of (0 when none). */
  lastSequence(): number;
  close(): Promise<void>;
}
