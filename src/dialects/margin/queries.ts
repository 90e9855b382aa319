/**
 * v2 margin reads (reference §4.3): open-orders, history-orders of one margin mode.
 * `maxId`/`minId` are null on an empty page; history `limit` may go to 500 (docs), open-orders to 100.
 */
import { Errors, err } from '../../domain/errors.js';
import { isOpen, type MarginMode, type Order } from '../../domain/types.js';
import { parseEnum, parsePaging, type OrderReader } from '../common/index.js';
import { renderMarginOrder } from './render.js';
import { marginSymbol } from './requests.js';
import type { ListQuery } from './schemas.js';

/** GET open-orders / history-orders of one margin mode: `{orderList, maxId, minId}`, newest first. */
export async function listMargin(engine: OrderReader, uid: string, marginMode: MarginMode, q: ListQuery, open: boolean) {
  if (q.startTime === '') throw err(Errors.PARAM_EMPTY, 'startTime');
  const maxLimit = open ? 100 : 500;
  let limit = 100;
  if (q.limit !== undefined && q.limit !== '') {
    if (!/^\d{1,4}$/.test(q.limit) || Number(q.limit) < 1 || Number(q.limit) > maxLimit) throw err(Errors.PARAM_ERROR, 'limit');
    limit = Number(q.limit);
  }
  const paging = { ...parsePaging({ ...q, limit: undefined }), limit };
  if (q.enterPointSource) parseEnum(q.enterPointSource, ['web', 'api', 'sys', 'android', 'ios'], 'enterPointSource');
  const symbol = marginSymbol(q.symbol);
  let orders: Order[];
  if (q.orderId || q.clientOid) {
    const o = await engine.getOrder(uid, { orderId: q.orderId || undefined, clientOid: q.clientOid || undefined });
    orders =
      o &&
      o.category === 'MARGIN' &&
      o.marginMode === marginMode &&
      o.symbol === symbol &&
      isOpen(o.status) === open &&
      (paging.startTime === undefined || Number(o.cTime) >= paging.startTime) &&
      (paging.endTime === undefined || Number(o.cTime) <= paging.endTime)
        ? [o]
        : [];
  } else {
    orders = await engine.listOrders({ uid, categories: ['MARGIN'], marginMode, open, symbol, ...paging });
  }
  if (q.enterPointSource && q.enterPointSource.toUpperCase() !== 'API') orders = [];
  return {
    orderList: orders.map(renderMarginOrder),
    maxId: orders.length ? orders[0].orderId : null,
    minId: orders.length ? orders[orders.length - 1].orderId : null,
  };
}
