/**
 * v2 margin `orders-crossed` / `orders-isolated` push item (reference §6.2: "fields incl.
 * baseSize, quoteSize, fillTotalAmount, loanType"), built from the REST renderer
 * `renderMarginOrder`: `instId` for `symbol`; `baseVolume` the cumulative filled base size
 * (ccxt's margin `filled`) for REST's `size`; `fillTotalAmount` the filled quote value (ccxt's
 * `cost`) for REST's `amount`; `status` in margin's spelling (`partial_fill`); `cancelReason`,
 * `feeDetail` (`[]`) added. Every number is a string.
 */
import type { Order } from '../../domain/types.js';
import { renderMarginOrder } from './render.js';

/** One item of a v2 margin orders push. */
export function renderMarginPush(o: Order) {
  const { symbol, size, amount, ...rest } = renderMarginOrder(o);
  return {
    instId: symbol,
    ...rest,
    baseVolume: size,
    fillTotalAmount: amount,
    cancelReason: o.cancelReason,
    feeDetail: [] as Array<{ feeCoin: string; fee: string }>,
  };
}

/**
 * v2 `account-crossed` / `account-isolated` push item (DOC:margin/cross/websocket/private/
 * Margin-Cross-Account-Assets.md) from the REST assets item: `uTime, id, coin, available,
 * borrow, frozen, interest, coupon` (isolated adds `symbol`). ccxt: debt = borrow + interest.
 */
export function renderMarginAccountPush(a: { coin: string; available: string; frozen: string; borrow: string; interest: string; coupon: string; uTime: string; symbol?: string }, uid: string) {
  const item: Record<string, string> = { uTime: a.uTime, id: uid, coin: a.coin, available: a.available, borrow: a.borrow, frozen: a.frozen, interest: a.interest, coupon: a.coupon };
  if (a.symbol !== undefined) item.symbol = a.symbol;
  return item;
}
