/**
 * v3 unified-account ("UTA") renderers (reference §4.5): an Order in v3 field names (`qty`,
 * `timeInForce`, `orderStatus`, `cumExecQty`, `createdTime`), status spelling
 * `live | partially_filled | filled | cancelled`. Plain functions of the order, shared by REST
 * (order-info, unfilled-orders, history-orders) and WebSocket pushes.
 */
import { FUTURES_CATEGORIES, type Category, type Order } from '../../domain/types.js';
import { avgPrice } from '../common/index.js';

/** True for the three futures categories. */
export const isFutures = (c: Category): boolean => FUTURES_CATEGORIES.includes(c);

/** Spot/margin market buys are sized in quote coin (DOC:uta/trade/Place-Order.md `qty`). */
const quoteSized = (o: Order): boolean => o.orderType === 'market' && o.side === 'buy' && (o.category === 'SPOT' || o.category === 'MARGIN');

/**
 * Renders an order as DOC:uta/trade/Get-Order-Details.md (also the item shape of
 * unfilled-orders / history-orders). Amounts are decimal strings, times ms strings.
 * - `category` is the canonical upper-case category;
 * - `qty` is the base quantity; for a spot/margin market buy (quote-sized) `qty` is "0" and
 *   `amount` carries the quote amount, as in the doc example; otherwise `amount` is "0";
 * - `orderStatus` live | partially_filled | filled | cancelled (ordergate never emits `new`);
 * - `reduceOnly` YES | NO (upper case in REST: ccxt reads anything but `NO` as reduce-only);
 * - `feeDetail` is a real array (ccxt reads `feeDetail[0].fee` for UTA rows): the order's fees
 *   so far `[{feeCoin, fee}]` (fee positive, as v3 shows it), and before any fee
 *   `[{"feeCoin":"","fee":""}]`, as a real v3 order shows it (issue 10);
 * - `posSide`/`holdMode`/`tradeSide` are futures-only ('' on spot and margin);
 * - TP/SL fields are `null` (ordergate refuses TP/SL at placement; a value kept in an
 *   order's extras from an earlier version is shown as given).
 */
/** v3 `feeDetail` of an order: its total fee, or Bitget's empty item before any fill. */
export function utaFeeDetail(o: Order): Array<{ feeCoin: string; fee: string }> {
  return o.feeCoin && o.fee ? [{ feeCoin: o.feeCoin, fee: o.fee }] : [{ feeCoin: '', fee: '' }];
}

export function renderUtaOrder(o: Order) {
  const futures = isFutures(o.category);
  const posSide = futures ? (o.extra.posSide ?? '') : '';
  const reduceOnly = o.extra.reduceOnly ?? 'NO';
  let tradeSide = '';
  if (futures) {
    if (posSide) tradeSide = (o.side === 'buy') === (posSide === 'long') ? 'open' : 'close';
    else tradeSide = reduceOnly === 'YES' ? 'close' : 'open';
  }
  const qs = quoteSized(o);
  return {
    orderId: o.orderId,
    clientOid: o.clientOid,
    category: o.category,
    symbol: o.symbol,
    orderType: o.orderType,
    side: o.side,
    price: o.price || '0',
    qty: qs ? '0' : o.size,
    amount: qs ? o.size : '0',
    cumExecQty: o.filledSize,
    cumExecValue: o.filledQuote,
    avgPrice: avgPrice(o),
    timeInForce: o.force,
    orderStatus: o.status,
    posSide,
    holdMode: futures ? (posSide ? 'hedge_mode' : 'one_way_mode') : '',
    tradeSide,
    reduceOnly,
    stpMode: o.extra.stpMode ?? 'none',
    feeDetail: utaFeeDetail(o),
    cancelReason: o.cancelReason,
    execType: 'normal',
    tpTriggerBy: o.extra.tpTriggerBy ?? null,
    slTriggerBy: o.extra.slTriggerBy ?? null,
    takeProfit: o.extra.takeProfit ?? null,
    stopLoss: o.extra.stopLoss ?? null,
    tpOrderType: o.extra.tpOrderType ?? null,
    slOrderType: o.extra.slOrderType ?? null,
    tpLimitPrice: o.extra.tpLimitPrice ?? null,
    slLimitPrice: o.extra.slLimitPrice ?? null,
    createdTime: o.cTime,
    updatedTime: o.uTime,
  };
}
