/**
 * v2 futures ("mix") renderers (reference §4.2): an Order in mix field names. Status spelling
 * `canceled` (single L), emitted as both `status` and `state`. Plain functions of the order,
 * shared by REST (detail, orders-pending, orders-history) and WebSocket pushes.
 */
import { neg } from '../../domain/decimal.js';
import type { Order, OrderStatus } from '../../domain/types.js';
import { avgPrice } from '../common/index.js';

/** Mix spelling of each internal status (reference §4.2: single-L `canceled`). */
export const MIX_STATUS: Record<OrderStatus, string> = {
  live: 'live',
  partially_filled: 'partially_filled',
  filled: 'filled',
  cancelled: 'canceled',
};

/**
 * Renders an order in mix field names (GET detail / orders-pending / orders-history items).
 * Decimal strings, ms strings; `posMode` is inferred from `tradeSide` (open/close = hedge mode).
 */
export function renderMixOrder(o: Order) {
  const status = MIX_STATUS[o.status];
  return {
    symbol: o.symbol,
    size: o.size,
    orderId: o.orderId,
    clientOid: o.clientOid,
    baseVolume: o.filledSize,
    priceAvg: avgPrice(o),
    fee: o.fee && o.fee !== '0' ? neg(o.fee) : '0',
    price: o.price,
    state: status,
    status,
    side: o.side,
    force: o.force,
    totalProfits: '0',
    posSide: o.extra.posSide ?? 'net',
    marginCoin: o.marginCoin ?? '',
    presetStopSurplusPrice: o.extra.presetStopSurplusPrice ?? '',
    presetStopLossPrice: o.extra.presetStopLossPrice ?? '',
    quoteVolume: o.filledQuote,
    orderType: o.orderType,
    leverage: o.extra.leverage ?? '20',
    marginMode: o.marginMode ?? 'crossed',
    reduceOnly: o.extra.reduceOnly ?? 'NO',
    enterPointSource: 'API',
    tradeSide: o.extra.tradeSide ?? (o.side === 'buy' ? 'buy_single' : 'sell_single'),
    posMode: o.extra.tradeSide === 'open' || o.extra.tradeSide === 'close' ? 'hedge_mode' : 'one_way_mode',
    orderSource: o.orderType === 'market' ? 'market' : 'normal',
    cancelReason: o.cancelReason,
    cTime: o.cTime,
    uTime: o.uTime,
  };
}
