/**
 * v2 margin renderers (reference §4.3): an Order in margin field names. Status spelling
 * `live | partial_fill | filled | cancelled`; `baseSize`/`quoteSize` are the order's
 * quantities, `size` the filled base, `amount` the filled quote. Plain functions of the order,
 * shared by REST (open-orders, history-orders) and WebSocket pushes.
 *
 * Choice: `priceAvg` is the average fill price ('0' when nothing filled), although the docs'
 * field table calls it "Order price"; `quoteSize` of a limit order is price x baseSize.
 */
import { mul } from '../../domain/decimal.js';
import type { Order, OrderStatus } from '../../domain/types.js';
import { avgPrice } from '../common/index.js';

/** Margin spelling of each internal status (reference §4.3: `partial_fill`). */
export const MARGIN_STATUS: Record<OrderStatus, string> = {
  live: 'live',
  partially_filled: 'partial_fill',
  filled: 'filled',
  cancelled: 'cancelled',
};

/** True for the order types whose `size` is a quote amount (market buy). */
export function marginQuoteSized(o: { orderType: string; side: string }): boolean {
  return o.orderType === 'market' && o.side === 'buy';
}

/** Renders a margin order as open-orders / history-orders items do (reference §4.3). */
export function renderMarginOrder(o: Order) {
  const byQuote = marginQuoteSized(o);
  return {
    orderId: o.orderId,
    clientOid: o.clientOid,
    symbol: o.symbol,
    orderType: o.orderType,
    side: o.side,
    price: o.price || '0',
    baseSize: byQuote ? o.filledSize : o.size,
    quoteSize: byQuote ? o.size : o.price ? mul(o.price, o.size) : '0',
    size: o.filledSize,
    amount: o.filledQuote,
    priceAvg: avgPrice(o),
    status: MARGIN_STATUS[o.status],
    loanType: o.extra.loanType ?? 'normal',
    force: o.force,
    enterPointSource: 'API',
    cTime: o.cTime,
    uTime: o.uTime,
  };
}
