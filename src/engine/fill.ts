/**
 * Deterministic fills for tests (there are no counterparties): move an open order to
 * `partially_filled` or `filled` at its limit price.
 */
import { Errors, err } from '../domain/errors.js';
import { add, cmp, isDecimalString, isZero, mul, sub } from '../domain/decimal.js';
import { isOpen, type Order } from '../domain/types.js';
import { orderUpdated } from '../events/build.js';
import type { Loaded, OrderUpdate, Writes } from '../store/types.js';

/**
 * Decides a fill of `size` (default: everything left) on order `orderId`; yields one
 * `order.updated` event (change `fill`, the whole order after).
 * @throws BitgetError 43001 when the order does not exist, 40020 when the size is not a
 *   positive decimal or exceeds what is left, 45031-style 40769 when the order is finished.
 */
export function decideFill(
  orderId: string,
  size: string | undefined,
  loaded: Loaded,
  now: string,
): { writes: Writes; result: Order } {
  const o = loaded.byId.get(orderId);
  if (!o) throw err(Errors.SPOT_ORDER_NOT_FOUND);
  if (!isOpen(o.status)) throw err(Errors.MIX_ORDER_FINISHED);
  const left = sub(o.size, o.filledSize);
  const q = size ?? left;
  if (!isDecimalString(q) || isZero(q) || cmp(q, left) > 0) throw err(Errors.FILL_SIZE_INVALID);
  const filledSize = add(o.filledSize, q);
  const filledQuote = add(o.filledQuote, mul(q, o.price || '0'));
  const status = cmp(filledSize, o.size) === 0 ? 'filled' : 'partially_filled';
  const update: OrderUpdate = { orderId, status, filledSize, filledQuote, uTime: now, cancelReason: '' };
  const event = orderUpdated(o, update, 'fill');
  // the caller gets its own copy: the event's order goes to subscribers
  return { writes: { inserts: [], updates: [update], events: [event] }, result: { ...event.order } };
}
