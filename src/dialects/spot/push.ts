/**
 * v2 spot `orders` push item (reference §6.2; research §1.5, the real push quoted in ccxt
 * PR#22420), built from the REST renderer `renderSpotOrder` with the push's names:
 * `instId` for `symbol`; `accBaseVolume` = cumulative filled base size; `newSize` = the order
 * size (quote for a market buy, as Bitget), `notional` = price x size (the quote size for a
 * market buy); `feeDetail` an ARRAY (`[]`: ordergate charges no fees); `force`, `stpMode`,
 * `cancelReason` added; REST-only `userId`, `quoteVolume`, `orderSource`, and the cumulative
 * `baseVolume` removed. The fill-specific fields (`baseVolume` of the latest fill, `fillPrice`,
 * `tradeId`, `fillTime`, `fillFee`…) are absent, as in Bitget's pushes before any fill: the
 * order event carries the order after the change, not the fill; ccxt then reads `filled` from
 * `accBaseVolume`. Every number is a string.
 */
import { mul } from '../../domain/decimal.js';
import type { Order } from '../../domain/types.js';
import { renderSpotOrder } from './render.js';
import type { Catalogue } from '../../markets/catalogue.js';

/** One item of a v2 spot `orders` push. */
export function renderSpotPush(o: Order, catalogue: Catalogue) {
  const { userId: _u, symbol, quoteVolume: _q, orderSource: _s, baseVolume, feeDetail: _f, ...rest } = renderSpotOrder(o, catalogue);
  const marketBuy = o.orderType === 'market' && o.side === 'buy';
  return {
    instId: symbol,
    ...rest,
    newSize: o.size,
    notional: marketBuy || !o.price ? o.size : mul(o.price, o.size),
    force: o.force,
    accBaseVolume: baseVolume,
    stpMode: o.extra.stpMode ?? 'none',
    feeDetail: [] as Array<{ feeCoin: string; fee: string }>,
  };
}
