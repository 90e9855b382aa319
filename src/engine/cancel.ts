/**
 * The cancel rules, once for every dialect (DESIGN.md "Rules that every dialect shares"):
 * - items are decided in request order, independently; results keep request order;
 * - an order is cancellable while `live` or `partially_filled`; the filled part stays filled;
 * - an order of another UID, another symbol than the item names, another category or another
 *   margin mode is reported exactly like an order that does not exist;
 * - an order named twice in one batch is cancelled once; the repeat fails as finished.
 */
import type { ErrorDef } from '../domain/errors.js';
import { formatMsg } from '../domain/errors.js';
import type { CancelOutcome, CancelScope, Category, MarginMode, Order, OrderRef } from '../domain/types.js';
import { isOpen } from '../domain/types.js';
import { orderUpdated } from '../events/build.js';
import type { DomainEvent } from '../events/types.js';
import type { Loaded, OrderUpdate, Writes } from '../store/types.js';
import { Book, releaseAll } from './money.js';

/** One item of a batch cancel: which order, and the symbol the caller says it is on. */
export interface CancelItem {
  ref: OrderRef;
  /** When given, an order on another symbol counts as not found. */
  symbol?: string;
}

/** Per-dialect failure codes: Bitget spells "not found" and "already finished" per dialect. */
export interface CancelPolicy {
  notFound: ErrorDef;
  finished: ErrorDef;
}

/** What a batch cancel may touch. */
export interface CancelTarget {
  uid: string;
  categories: readonly Category[];
  marginMode?: MarginMode;
  /** Futures: when given, an order with another margin coin counts as not found. */
  marginCoin?: string;
}

/** The update that cancels `o` at `now` (ms string). */
export function cancelUpdate(o: Order, now: string): OrderUpdate {
  return {
    orderId: o.orderId,
    status: 'cancelled',
    filledSize: o.filledSize,
    filledQuote: o.filledQuote,
    uTime: now,
    cancelReason: 'normal_cancel',
    held: '0',
  };
}

/**
 * The writes of cancelling `cancelled` (already decided): their updates and events plus the
 * release of every unfilled part's hold (`order_release`, docs/LEDGER.md), in the same unit.
 * Without loaded balances (a unit that did not ask for them) the orders must hold nothing.
 */
function withRelease(cancelled: readonly Order[], updates: OrderUpdate[], events: DomainEvent[], loaded: Loaded): Writes {
  const book = new Book(loaded.balances);
  book.apply(releaseAll(cancelled));
  const money = book.finish();
  return { inserts: [], updates, events: money.events.length ? [...events, ...money.events] : events, money: money.money };
}

function fail(def: ErrorDef, orderId: string, clientOid: string, o?: Order): CancelOutcome {
  const msg = formatMsg(def.msg, [o?.orderId ?? orderId, o?.status ?? '']);
  return { ok: false, orderId, clientOid, code: def.code, msg };
}

/**
 * Decides a batch cancel by ids over the orders the store loaded.
 * @returns outcomes in request order, the updates that cancel the successful ones and their
 *   `order.updated` events (change `cancel`, the whole order after, with its `cancelReason`).
 */
export function decideCancel(
  target: CancelTarget,
  items: readonly CancelItem[],
  loaded: Loaded,
  policy: CancelPolicy,
  now: string,
): { writes: Writes; result: CancelOutcome[] } {
  const updates: OrderUpdate[] = [];
  const events: DomainEvent[] = [];
  const cancelled: Order[] = [];
  const cancelledHere = new Set<string>();
  const result: CancelOutcome[] = items.map(({ ref, symbol }) => {
    const order = ref.orderId ? loaded.byId.get(ref.orderId) : ref.clientOid ? loaded.byClientOid.get(ref.clientOid) : undefined;
    const visible =
      order !== undefined &&
      order.uid === target.uid &&
      target.categories.includes(order.category) &&
      (symbol === undefined || order.symbol === symbol) &&
      (target.marginMode === undefined || order.marginMode === target.marginMode) &&
      (target.marginCoin === undefined || order.marginCoin === target.marginCoin);
    if (!visible) return fail(policy.notFound, ref.orderId ?? '', ref.clientOid ?? '');
    if (!isOpen(order.status) || cancelledHere.has(order.orderId)) {
      return fail(policy.finished, order.orderId, order.clientOid, order);
    }
    cancelledHere.add(order.orderId);
    const u = cancelUpdate(order, now);
    updates.push(u);
    cancelled.push(order);
    events.push(orderUpdated(order, u, 'cancel'));
    return { ok: true, orderId: order.orderId, clientOid: order.clientOid };
  });
  return { writes: withRelease(cancelled, updates, events, loaded), result };
}

/**
 * Decides a scope cancel (cancel-all): every open order the store loaded for `scope`.
 * @returns one success per cancelled order, oldest first, and one `order.updated` event each.
 */
export function decideCancelScope(
  _scope: CancelScope,
  loaded: Loaded,
  now: string,
): { writes: Writes; result: CancelOutcome[] } {
  const updates: OrderUpdate[] = [];
  const events: DomainEvent[] = [];
  const result: CancelOutcome[] = [];
  const cancelled: Order[] = [];
  for (const o of loaded.scoped) {
    if (!isOpen(o.status)) continue;
    const u = cancelUpdate(o, now);
    updates.push(u);
    cancelled.push(o);
    events.push(orderUpdated(o, u, 'cancel'));
    result.push({ ok: true, orderId: o.orderId, clientOid: o.clientOid });
  }
  return { writes: withRelease(cancelled, updates, events, loaded), result };
}
