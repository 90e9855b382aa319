/**
 * v3 UTA `order` push item (reference §6.3, DOC:uta/websocket/private/Order-Channel.md), built
 * from the REST renderer `renderUtaOrder`: `category` lower case (`usdt-futures`, as the doc's
 * example; ccxt lower-cases it anyway); `holdSide` for REST's `posSide`; `marginMode`,
 * `marginCoin`, `leverage`, `totalProfit` added; the REST-only `execType` and TP/SL fields
 * removed. `orderStatus` live | partially_filled | filled | cancelled, `cancelReason` set on a
 * cancel. Every number is a string.
 */
import type { Order } from '../../domain/types.js';
import { renderUtaOrder } from './render.js';

/** One item of a v3 `order` push. */
export function renderUtaPush(o: Order) {
  const {
    category,
    posSide,
    execType: _e,
    tpTriggerBy: _a,
    slTriggerBy: _b,
    takeProfit: _c,
    stopLoss: _d,
    tpOrderType: _f,
    slOrderType: _g,
    tpLimitPrice: _h,
    slLimitPrice: _i,
    ...rest
  } = renderUtaOrder(o);
  const futures = o.category !== 'SPOT' && o.category !== 'MARGIN';
  return {
    category: category.toLowerCase(),
    ...rest,
    holdSide: posSide,
    marginMode: o.category === 'SPOT' ? '' : (o.marginMode ?? 'crossed'),
    marginCoin: futures ? (o.marginCoin ?? '') : '',
    leverage: futures ? (o.extra.leverage ?? '20') : '',
    totalProfit: '0',
  };
}
