/**
 * v2 futures `orders` push item (reference §6.2; research §1.5, the real USDT-FUTURES push in
 * ccxt#25524), built from the REST renderer `renderMixOrder` with the push's names: `instId` for
 * `symbol`; `status` `canceled` (one L, as mix); `reduceOnly` lower case `yes`/`no` (the push
 * differs from REST here); `accBaseVolume` and `baseVolume` both the cumulative filled size
 * (ccxt reads a contract order's `filled` from `baseVolume`); `fillNotionalUsd` the filled quote
 * value (ccxt's `cost`); `priceAvg` omitted on a cancelled order that filled nothing (the docs:
 * "omitted when the order is cancelled"); `feeDetail` an array (`[]`, no fees), `pnl`,
 * `stpMode`, `notionalUsd` added; REST-only `state`, `fee`, `quoteVolume`, `orderSource`
 * removed. `price` is '0' for a market order. Every number is a string.
 */
import { mul } from '../../domain/decimal.js';
import type { Order } from '../../domain/types.js';
import { renderMixOrder } from './render.js';

/** One item of a v2 futures `orders` push. */
export function renderMixPush(o: Order) {
  const { symbol, state: _st, fee: _f, quoteVolume, orderSource: _s, reduceOnly, priceAvg, ...rest } = renderMixOrder(o);
  const item: Record<string, unknown> = {
    instId: symbol,
    ...rest,
    price: o.price || '0',
    reduceOnly: reduceOnly.toLowerCase(),
    accBaseVolume: o.filledSize,
    fillNotionalUsd: quoteVolume,
    notionalUsd: o.price ? mul(o.price, o.size) : quoteVolume,
    pnl: '0',
    stpMode: o.extra.stpMode ?? 'none',
    feeDetail: [] as Array<{ feeCoin: string; fee: string }>,
  };
  if (!(o.status === 'cancelled' && priceAvg === '0')) item.priceAvg = priceAvg;
  return item;
}
