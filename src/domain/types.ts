/**
 * The canonical order model shared by every Bitget dialect (DESIGN.md "Canonical model").
 * All prices, sizes, ids and times inside orders are decimal STRINGS; never JS numbers.
 */

/** Product line. v2 `productType` and v3 `category` both map onto it. */
export type Category = 'SPOT' | 'MARGIN' | 'USDT-FUTURES' | 'COIN-FUTURES' | 'USDC-FUTURES';
export const CATEGORIES: readonly Category[] = ['SPOT', 'MARGIN', 'USDT-FUTURES', 'COIN-FUTURES', 'USDC-FUTURES'];
export const FUTURES_CATEGORIES: readonly Category[] = ['USDT-FUTURES', 'COIN-FUTURES', 'USDC-FUTURES'];

/** Account mode of a UID: classic answers `/api/v2` private calls, unified answers `/api/v3`. */
export type AccountMode = 'classic' | 'unified';

/** Margin mode; margin orders carry it, futures orders carry it as position margin mode. */
export type MarginMode = 'crossed' | 'isolated';

/** Internal status. Each dialect renders its own spelling (mix `canceled`, margin `partial_fill`). */
export type OrderStatus = 'live' | 'partially_filled' | 'filled' | 'cancelled';

export type Side = 'buy' | 'sell';
export type OrderType = 'limit' | 'market';
export type Force = 'gtc' | 'post_only' | 'ioc' | 'fok';

/** One order as stored. Times are ms since epoch as decimal strings. */
export interface Order {
  /** 19-digit decimal string, unique across server instances. */
  orderId: string;
  /** Client-chosen id; '' when none was given. */
  clientOid: string;
  uid: string;
  category: Category;
  /** Margin orders: crossed|isolated. Futures: position margin mode. Spot: null. */
  marginMode: MarginMode | null;
  symbol: string;
  side: Side;
  orderType: OrderType;
  force: Force;
  /** Limit price ('' for market orders). */
  price: string;
  /** Order quantity in base units (quote units for a spot/margin market buy). */
  size: string;
  /** Filled base quantity, decimal string, '0' when nothing filled. */
  filledSize: string;
  /** Filled quote value (sum of fill size x fill price). */
  filledQuote: string;
  status: OrderStatus;
  /** Futures only: the margin coin (e.g. USDT). */
  marginCoin: string | null;
  /** Dialect-specific extras kept verbatim (reduceOnly, tradeSide, posSide, loanType, stpMode…). */
  extra: Record<string, string>;
  cTime: string;
  uTime: string;
  /** '' while open; `normal_cancel` once cancelled by the user. */
  cancelReason: string;
  /**
   * Money (issue 10, docs/LEDGER.md "Holds"). Optional so that orders built before the ledger
   * (fixtures, old rows) read as holding nothing: absent = '' / '0'.
   * `account`: the canonical account id the order trades against (src/ledger/accounts.ts).
   */
  account?: string;
  /** What the order still holds, in `holdCoin` (decimal string, '0' when nothing). */
  held?: string;
  /** The coin `held` is in ('' when nothing is held). */
  holdCoin?: string;
  /** Futures: the leverage the order opens at ("20"); '' otherwise. */
  leverage?: string;
  /** Fees paid by the order's fills so far (positive decimal string, '0' when none), in `feeCoin`. */
  fee?: string;
  /** The coin of `fee` ('' when no fill yet). */
  feeCoin?: string;
}

/** True while the order can still be cancelled or filled. */
export function isOpen(status: OrderStatus): boolean {
  return status === 'live' || status === 'partially_filled';
}

/** Identifies one order in a cancel or query: `orderId` wins when both are given. */
export interface OrderRef {
  orderId?: string;
  clientOid?: string;
}

/** Outcome of cancelling one item of a batch, in request order. */
export type CancelOutcome =
  | { ok: true; orderId: string; clientOid: string }
  | { ok: false; orderId: string; clientOid: string; code: string; msg: string };

/** Which orders a scope cancel (cancel-all) targets. Absent fields are not filtered on. */
export interface CancelScope {
  uid: string;
  categories: readonly Category[];
  symbol?: string;
  marginCoin?: string;
  marginMode?: MarginMode;
}

/**
 * Self-trade prevention mode of an order (Bitget `stpMode`, spot/mix/margin/v3 place-order):
 * `none` lets a UID trade with itself; `cancel_taker` cancels the incoming order's remainder,
 * `cancel_maker` cancels the resting order, `cancel_both` cancels both. The taker's mode
 * decides (docs/MATCHING.md "Self-trade prevention").
 */
export type StpMode = 'none' | 'cancel_taker' | 'cancel_maker' | 'cancel_both';
