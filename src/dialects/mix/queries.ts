/**
 * v2 futures ("mix") reads (reference §4.2): detail, orders-pending, orders-history.
 */
import { Errors, err } from '../../domain/errors.js';
import { isOpen, type Order, type OrderStatus } from '../../domain/types.js';
import { parseEnum, parsePaging, parseProductType, refOf, type OrderReader } from '../common/index.js';
import { MIX_STATUS, renderMixOrder } from './render.js';
import type { ListQuery, OrderQuery } from './schemas.js';

const STATUSES = Object.keys(MIX_STATUS) as OrderStatus[];

/**
 * GET detail: the one futures order of the productType and symbol the query names, rendered.
 * @throws BitgetError 40020 productType, 40924 no id, 40768 unknown / foreign / elsewhere.
 */
export async function mixOrderDetail(uid: string, query: typeof OrderQuery.static, engine: OrderReader) {
  const category = parseProductType(query.productType);
  const ref = refOf(query);
  const o = await engine.getOrder(uid, ref);
  if (!o || o.category !== category || o.symbol !== query.symbol.toUpperCase()) throw err(Errors.MIX_ORDER_NOT_FOUND);
  return renderMixOrder(o);
}

/** GET orders-pending (`open`) / orders-history: `{entrustedList, endId}`, newest first. */
export async function listMix(uid: string, q: ListQuery, open: boolean, engine: OrderReader) {
  const category = parseProductType(q.productType);
  const paging = parsePaging(q);
  const symbol = q.symbol?.toUpperCase() || undefined;
  // status filters in the store, before the page limit (never a short page while matches exist)
  const want = q.status ? parseEnum(q.status, open ? ['live', 'partially_filled'] : ['filled', 'canceled'], 'status') : undefined;
  const statuses = want ? STATUSES.filter((st) => MIX_STATUS[st] === want) : undefined;
  let orders: Order[];
  if (q.orderId || q.clientOid) {
    // one order by id: the other filters (symbol, status) still apply
    const o = await engine.getOrder(uid, { orderId: q.orderId || undefined, clientOid: q.clientOid || undefined });
    const hit = o && o.category === category && (!symbol || o.symbol === symbol) && isOpen(o.status) === open;
    orders = hit && (!statuses || statuses.includes(o.status)) ? [o] : [];
  } else {
    orders = await engine.listOrders({ uid, categories: [category], open, symbol, statuses, ...paging });
  }
  return { entrustedList: orders.map(renderMixOrder), endId: orders.length ? orders[orders.length - 1].orderId : null };
}
