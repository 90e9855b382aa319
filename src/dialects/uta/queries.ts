/**
 * v3 unified-account ("UTA") reads (reference §4.5): order-info, unfilled-orders,
 * history-orders, account/settings.
 */
import { Errors, err } from '../../domain/errors.js';
import { CATEGORIES } from '../../domain/types.js';
import { parseCategory, parsePaging, refOf, type OrderReader } from '../common/index.js';
import { renderUtaOrder } from './render.js';
import type { ListQuery, OrderInfoQuery } from './schemas.js';

/** GET order-info: the order the query names, rendered. @throws BitgetError 40924 no id, 25204 unknown. */
export async function utaOrderInfo(uid: string, query: typeof OrderInfoQuery.static, engine: OrderReader) {
  const o = await engine.getOrder(uid, refOf(query));
  if (!o) throw err(Errors.UTA_ORDER_NOT_FOUND);
  return renderUtaOrder(o);
}

/**
 * unfilled-orders / history-orders: newest first, `limit` ≤ 100 (default 100). The cursor is
 * the last orderId of the page (the next page holds strictly older ids); '' when no more.
 * @throws BitgetError 40019 (history without category), 40020 (malformed field).
 */
export async function listUta(uid: string, q: ListQuery, open: boolean, engine: OrderReader) {
  if (!open && !q.category) throw err(Errors.PARAM_EMPTY, 'category');
  const categories = q.category ? [parseCategory(q.category)] : CATEGORIES;
  const cursor = q.cursor || undefined;
  if (cursor !== undefined && !/^\d{1,20}$/.test(cursor)) throw err(Errors.PARAM_ERROR, 'cursor');
  const paging = parsePaging({ limit: q.limit, startTime: q.startTime, endTime: q.endTime, idLessThan: cursor });
  const rows = await engine.listOrders({
    uid,
    categories,
    open,
    symbol: q.symbol?.toUpperCase() || undefined,
    ...paging,
    limit: paging.limit + 1, // one extra row tells whether another page exists
  });
  const page = rows.slice(0, paging.limit);
  return {
    list: page.map(renderUtaOrder),
    cursor: rows.length > paging.limit ? page[page.length - 1].orderId : '',
  };
}

/** GET account/settings (DOC:uta/account/Get-Account-Setting.md). ccxt probes this once: success => UTA mode. */
export function utaAccountSettings(uid: string) {
  return {
    uid,
    accountMode: 'unified',
    assetMode: 'single',
    holdMode: 'one_way_mode',
    stpMode: 'none',
    symbolConfigList: [],
    coinConfigList: [],
  };
}
