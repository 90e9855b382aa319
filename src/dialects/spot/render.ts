/**
 * v2 spot renderers (reference §4.1): an Order in spot field names and status spelling
 * (`live | partially_filled | filled | cancelled`, double L). Plain functions of the order
 * (and the market catalogue for `feeDetail`), shared by REST and WebSocket pushes.
 */
import { isZero, neg, norm } from '../../domain/decimal.js';
import type { Order, OrderStatus } from '../../domain/types.js';
import type { Catalogue } from '../../markets/catalogue.js';
import { avgPrice } from '../common/index.js';

/** Spot spelling of each internal status (reference §4.1: double-L `cancelled`). */
export const SPOT_STATUS: Record<OrderStatus, string> = {
  live: 'live',
  partially_filled: 'partially_filled',
  filled: 'filled',
  cancelled: 'cancelled',
};

/**
 * Bitget's classic `feeDetail`: a JSON-encoded STRING (reference §4.1), with the order's fees
 * so far in the coin Bitget charges (base coin on buys, quote coin on sells). ccxt `JSON.parse`s it
 * (`""` would crash ccxt).
 */
export function spotFeeDetail(o: Order, catalogue: Catalogue): string {
  const m = catalogue.get(o.category, o.symbol);
  const coin = o.feeCoin || ((o.side === 'buy' ? m?.baseCoin : m?.quoteCoin) ?? 'USDT');
  // the order's fees so far (issue 10), negative as Bitget writes them. Numbers inside the string,
  // as Bitget's; the decimal string is written as the JSON number literal itself, never a JS float.
  const t = o.fee && !isZero(o.fee) ? norm(neg(o.fee)) : '0';
  const c = JSON.stringify(coin);
  return (
    `{"newFees":{"c":0,"d":0,"deduction":false,"r":${t},"t":${t},"totalDeductionFee":0},` +
    `${c}:{"deduction":false,"feeCoinCode":${c},"totalDeductionFee":0,"totalFee":${t}}}`
  );
}

/**
 * Renders an order as GET orderInfo does (reference §4.1): `price` is the order price ('0'
 * for market orders), `size` the order quantity (quote for a market buy), `priceAvg` the
 * average fill price, `baseVolume`/`quoteVolume` what filled. Decimal strings, ms strings.
 */
export function renderSpotOrder(o: Order, catalogue: Catalogue) {
  return {
    userId: o.uid,
    symbol: o.symbol,
    orderId: o.orderId,
    clientOid: o.clientOid,
    price: o.price || '0',
    size: o.size,
    orderType: o.orderType,
    side: o.side,
    status: SPOT_STATUS[o.status],
    priceAvg: avgPrice(o),
    baseVolume: o.filledSize,
    quoteVolume: o.filledQuote,
    enterPointSource: 'API',
    feeDetail: spotFeeDetail(o, catalogue),
    orderSource: o.orderType === 'market' ? 'market' : 'normal',
    cancelReason: o.cancelReason,
    cTime: o.cTime,
    uTime: o.uTime,
  };
}

/** Renders an order as GET history-orders does: the orderInfo shape plus `tpslType`, `triggerPrice`. */
export function renderSpotHistoryOrder(o: Order, catalogue: Catalogue) {
  return { ...renderSpotOrder(o, catalogue), tpslType: 'normal', triggerPrice: null };
}

/**
 * Renders an order as GET unfilled-orders does. Bitget's quirk (reference §4.1): here
 * `priceAvg` is the ORDER price and `basePrice` the average fill price; ccxt follows it.
 */
export function renderSpotOpenOrder(o: Order) {
  return {
    userId: o.uid,
    symbol: o.symbol,
    orderId: o.orderId,
    clientOid: o.clientOid,
    priceAvg: o.price || '0',
    size: o.size,
    orderType: o.orderType,
    side: o.side,
    status: SPOT_STATUS[o.status],
    basePrice: avgPrice(o),
    baseVolume: o.filledSize,
    quoteVolume: o.filledQuote,
    enterPointSource: 'API',
    orderSource: o.orderType === 'market' ? 'market' : 'normal',
    presetTakeProfitPrice: o.extra.presetTakeProfitPrice ?? '',
    executeTakeProfitPrice: o.extra.executeTakeProfitPrice ?? '',
    presetStopLossPrice: o.extra.presetStopLossPrice ?? '',
    executeStopLossPrice: o.extra.executeStopLossPrice ?? '',
    cTime: o.cTime,
    uTime: o.uTime,
    tpslType: 'normal',
    triggerPrice: null,
  };
}
