/**
 * Which orders: the one definition of what a cancel scope, an order query (open orders or
 * history) and a clientOid select, and in which order. Pure data: a {@link Selection} is a list
 * of {@link Condition}s on Order fields plus its ordering and limit; both stores render it to
 * SQL (src/store/columns.ts `sqlWhere`, `sqlOrderBy`) and {@link matches} evaluates it on an
 * order in memory (the PostgreSQL store re-checks locked rows with it, the routes check a
 * single order looked up by id with it), so the stores and the routes cannot disagree.
 *
 * "Open" is {@link isOpen}: `live` or `partially_filled`.
 */
import { isOpen, type CancelScope, type Order } from '../domain/types.js';
import type { OrderQuery } from '../store/types.js';

/** Order fields a selection compares as text (exact match). */
export type TextField = 'uid' | 'category' | 'symbol' | 'marginCoin' | 'marginMode' | 'status';

/** One condition of a selection; all conditions of a selection must hold. */
export type Condition =
  /** `field` equals `value`. */
  | { op: 'eq'; field: TextField; value: string }
  /** `field` is one of `values` (none: matches nothing). */
  | { op: 'in'; field: TextField; values: readonly string[] }
  /** The order is open ({@link isOpen}) when `value`, finished otherwise. */
  | { op: 'open'; value: boolean }
  /** orderId strictly below `value` (19-digit ids compare as text = as numbers). */
  | { op: 'lt'; field: 'orderId'; value: string }
  /** cTime (ms) at or after / at or before `value`. */
  | { op: 'gte' | 'lte'; field: 'cTime'; value: number };

/** One sort key: `open` sorts open orders after finished ones (so `desc` puts them first). */
export interface Sort {
  by: 'orderId' | 'cTime' | 'open';
  desc?: boolean;
}

/** A selection of orders: conditions, ordering, and an optional limit. */
export interface Selection {
  where: readonly Condition[];
  orderBy: readonly Sort[];
  limit?: number;
}

/**
 * The open orders of a cancel scope (cancel-all), oldest first (orderId ascending: the order
 * in which the cancel locks and reports them). Absent scope fields are not filtered on.
 */
export function scopeSelection(s: CancelScope): Selection {
  const where: Condition[] = [
    { op: 'eq', field: 'uid', value: s.uid },
    { op: 'open', value: true },
    { op: 'in', field: 'category', values: s.categories },
  ];
  if (s.symbol) where.push({ op: 'eq', field: 'symbol', value: s.symbol });
  if (s.marginCoin) where.push({ op: 'eq', field: 'marginCoin', value: s.marginCoin });
  if (s.marginMode) where.push({ op: 'eq', field: 'marginMode', value: s.marginMode });
  return { where, orderBy: [{ by: 'orderId' }] };
}

/**
 * An order list query (open orders or history): every filter applies before the limit, newest
 * first (orderId descending), so `idLessThan` = the last orderId of a page gives the next page.
 */
export function querySelection(q: OrderQuery): Selection {
  return { where: queryConditions(q), orderBy: [{ by: 'orderId', desc: true }], limit: q.limit };
}

/** The conditions of an order query (see {@link querySelection}), without paging order or limit. */
export function queryConditions(q: Omit<OrderQuery, 'limit'>): Condition[] {
  const where: Condition[] = [
    { op: 'eq', field: 'uid', value: q.uid },
    { op: 'open', value: q.open },
    { op: 'in', field: 'category', values: q.categories },
  ];
  if (q.symbol) where.push({ op: 'eq', field: 'symbol', value: q.symbol });
  if (q.marginMode) where.push({ op: 'eq', field: 'marginMode', value: q.marginMode });
  if (q.statuses) where.push({ op: 'in', field: 'status', values: q.statuses });
  if (q.idLessThan) where.push({ op: 'lt', field: 'orderId', value: q.idLessThan });
  if (q.startTime !== undefined) where.push({ op: 'gte', field: 'cTime', value: q.startTime });
  if (q.endTime !== undefined) where.push({ op: 'lte', field: 'cTime', value: q.endTime });
  return where;
}

/**
 * Which order a clientOid names when several of a UID share it (only one can be open): the
 * open one, else the newest finished one by cTime, equal cTimes by the higher orderId (ids
 * grow with time). Stores take the first row in this order.
 */
export const CLIENT_OID_ORDER: readonly Sort[] = [
  { by: 'open', desc: true },
  { by: 'cTime', desc: true },
  { by: 'orderId', desc: true },
];

/** True when `o` satisfies every condition (the in-memory twin of the stores' SQL). */
export function matches(o: Order, where: readonly Condition[]): boolean {
  for (const c of where) {
    switch (c.op) {
      case 'eq':
        if (o[c.field] !== c.value) return false;
        break;
      case 'in':
        if (!c.values.includes(o[c.field] as string)) return false;
        break;
      case 'open':
        if (isOpen(o.status) !== c.value) return false;
        break;
      case 'lt':
        if (!(o.orderId < c.value)) return false;
        break;
      case 'gte':
        if (!(Number(o.cTime) >= c.value)) return false;
        break;
      case 'lte':
        if (!(Number(o.cTime) <= c.value)) return false;
        break;
    }
  }
  return true;
}

/** Compares two orders by `orderBy` (for Array.prototype.sort). */
export function compareBy(orderBy: readonly Sort[]): (a: Order, b: Order) => number {
  const key = (o: Order, by: Sort['by']): string | number =>
    by === 'orderId' ? o.orderId : by === 'cTime' ? Number(o.cTime) : isOpen(o.status) ? 1 : 0;
  return (a, b) => {
    for (const s of orderBy) {
      const x = key(a, s.by);
      const y = key(b, s.by);
      if (x !== y) return (x < y ? -1 : 1) * (s.desc ? -1 : 1);
    }
    return 0;
  };
}
