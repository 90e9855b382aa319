/**
 * v2 spot reads (reference §4.1): orderInfo, unfilled-orders, history-orders. A spot endpoint
 * sees only SPOT orders: a margin or futures order of the same UID is, here, an order that
 * does not exist (43001), exactly like a missing one.
 *
 * Choices: GET orderInfo of an unknown (or foreign, or non-spot) order answers 43001 rather
 * than an empty array (ccxt raises OrderNotFound for both); history-orders serves the last
 * 90 days (an earlier or absent `startTime` is raised to now-90d); `tpslType=tpsl` lists nothing.
 */
import { Errors, err } from '../../domain/errors.js';
import { isOpen, type Order } from '../../domain/types.js';
import type { Catalogue } from '../../markets/catalogue.js';
import { checkReceiveWindow, parseEnumOr, parsePaging, refOf, type OrderReader } from '../common/index.js';
import { renderSpotHistoryOrder, renderSpotOpenOrder, renderSpotOrder } from './render.js';
import type { ListQuery, OrderInfoQuery } from './schemas.js';

const HISTORY_MS = 90 * 24 * 3600 * 1000;

/** GET unfilled-orders (`open`) / history-orders: newest first, SPOT only, rendered. */
export async function listSpot(uid: string, q: ListQuery, open: boolean, reader: OrderReader, catalogue: Catalogue, now: number) {
  checkReceiveWindow(q.requestTime, q.receiveWindow, now);
  const paging = parsePaging(q);
  const tpsl = parseEnumOr(q.tpslType, ['normal', 'tpsl'], 'tpslType', 'normal') === 'tpsl';
  if (!open) paging.startTime = Math.max(paging.startTime ?? 0, now - HISTORY_MS);
  const symbol = q.symbol?.toUpperCase() || undefined;
  let orders: Order[];
  if (tpsl) orders = [];
  else if (q.orderId || q.clientOid) {
    const o = await reader.getOrder(uid, { orderId: q.orderId || undefined, clientOid: q.clientOid || undefined });
    orders =
      o &&
      o.category === 'SPOT' &&
      isOpen(o.status) === open &&
      (symbol === undefined || o.symbol === symbol) &&
      (paging.startTime === undefined || Number(o.cTime) >= paging.startTime) &&
      (paging.endTime === undefined || Number(o.cTime) <= paging.endTime)
        ? [o]
        : [];
  } else {
    orders = await reader.listOrders({ uid, categories: ['SPOT'], open, symbol, ...paging });
  }
  if (open) return orders.map(renderSpotOpenOrder);
  return orders.map((o) => renderSpotHistoryOrder(o, catalogue));
}

/**
 * GET orderInfo: the one SPOT order the query names, as a one-element array.
 * @throws BitgetError receive window, 40924 no id, 43001 unknown / foreign / not spot.
 */
export async function spotOrderInfo(uid: string, q: typeof OrderInfoQuery.static, reader: OrderReader, catalogue: Catalogue, now: number) {
  checkReceiveWindow(q.requestTime, q.receiveWindow, now);
  const o = await reader.getOrder(uid, refOf(q));
  if (!o || o.category !== 'SPOT') throw err(Errors.SPOT_ORDER_NOT_FOUND);
  return [renderSpotOrder(o, catalogue)];
}
