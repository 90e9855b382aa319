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

/**
 * v2 spot `fill` push item (research-venue.md §1.5, DOC:spot/websocket/private/Fill-Channel.md),
 * built from the REST fill `renderSpotFill`: `userId` removed (spot fill pushes carry no
 * `clientOid` either); `feeDetail` an ARRAY `[{feeCoin, deduction, totalDeductionFee, totalFee}]`
 * (REST: an object), fee negative; `amount` the fill's quote value (ccxt's `cost`);
 * `tradeScope` `taker|maker`. Every number a string.
 */
export function renderSpotFillPush(f: ReturnType<typeof import('./money.js').renderSpotFill>) {
  const { userId: _u, feeDetail, ...rest } = f;
  return { ...rest, feeDetail: [feeDetail] };
}

/**
 * v2 spot `account` push item (DOC:spot/websocket/private/Account-Channel.md): the REST
 * `account/assets` item as is: `{coin, available, frozen, locked, limitAvailable, uTime}`.
 */
export function renderSpotAccountPush(a: { coin: string; available: string; frozen: string; locked: string; limitAvailable: string; uTime: string }) {
  return { coin: a.coin, available: a.available, frozen: a.frozen, locked: a.locked, limitAvailable: a.limitAvailable, uTime: a.uTime };
}
