/**
 * Public types of the client: categories, order references, requests and typed results.
 * All prices, sizes, ids and times are decimal STRINGS as on the wire; times are ms.
 */
export type { AccountMode, Category, MarginMode } from '../domain/types.js';
import type { Category, MarginMode } from '../domain/types.js';

/** Every category, in the order `cancelAll` walks them. */
export const ALL_CATEGORIES: readonly Category[] = ['SPOT', 'MARGIN', 'USDT-FUTURES', 'COIN-FUTURES', 'USDC-FUTURES'];

/** Normalised order status (each dialect's spelling maps onto it: mix `canceled`, margin `partial_fill`). */
export type OrderStatus = 'live' | 'partially_filled' | 'filled' | 'cancelled';

/**
 * One order to cancel. `orderId` wins when both ids are given (Bitget's rule). `symbol` is
 * required by every batch-cancel endpoint. `marginMode` selects the classic margin endpoints
 * (default crossed); `marginCoin` narrows a futures cancel.
 */
export interface CancelRef {
  symbol: string;
  orderId?: string;
  clientOid?: string;
  marginMode?: MarginMode;
  marginCoin?: string;
}

/** The outcome of one order in a cancel report. */
export interface CancelItemResult {
  category: Category;
  marginMode?: MarginMode;
  /** '' when the server did not say (scope cancels report ids only). */
  symbol: string;
  orderId: string;
  clientOid: string;
  ok: boolean;
  /** Bitget code of a failure ("43001", "40768", "429"…); absent on success. */
  code?: string;
  msg?: string;
  /**
   * True when the answer to a cancel was lost (dropped connection), the retry reported the
   * order gone, and a query confirmed it was cancelled after the first attempt was sent.
   */
  verified?: boolean;
}

/** Transport counters: what happened on the wire. */
export interface TransportStats {
  /** HTTP requests sent (including retries). */
  requests: number;
  /** Requests repeated after a 429, a network error or a 5xx. */
  retries: number;
  /** HTTP 429 answers received (each was retried or surfaced). */
  http429: number;
  /** Network failures (reset, refused, timeout). */
  networkErrors: number;
}

/** Per-category counts of a cancel run. */
export interface CategorySummary {
  category: Category;
  marginMode?: MarginMode;
  requested: number;
  cancelled: number;
  failed: number;
}

/**
 * The merged result of a cancel run: one item per distinct order, in input order for
 * {@link CancelRef} lists, discovery order for `cancelAll`.
 * `successList`/`failureList` restate `items` in Bitget's batch shape.
 */
export interface CancelReport {
  items: CancelItemResult[];
  successList: Array<{ orderId: string; clientOid: string }>;
  failureList: Array<{ orderId: string; clientOid: string; errorMsg: string; errorCode: string }>;
  summary: CategorySummary[];
  /** Requests sent, retries and 429s seen during this run. */
  stats: TransportStats;
  /** Orders still open after `cancelAll` verified (0 when everything was cleared). */
  remaining?: number;
  /** Wall-clock duration in ms. */
  durationMs: number;
  /** True when nothing was cancelled because `dryRun` was set. */
  dryRun?: boolean;
  /** Dry run of `cancelOrders`: the batch requests that would have been sent. */
  plannedRequests?: number;
  /** Request-level problems of whole targets in `cancelAll` (query or scope cancel refused). */
  errors: TargetError[];
}

/** A request-level problem of one target (category / margin mode / symbol) in `cancelAll`. */
export interface TargetError {
  category: Category;
  marginMode?: MarginMode;
  symbol?: string;
  /** Bitget code, or `NETWORK` / `NO_SYMBOLS` (client-side). */
  code: string;
  msg: string;
}

/** Progress of a run: items decided so far out of the known total. */
export interface CancelProgress {
  done: number;
  total: number;
  failed: number;
}

/**
 * A placement in one shape for every dialect; the client maps it to `size`/`baseSize`/`qty`,
 * `force`/`timeInForce` and adds `productType`/`category`.
 */
export interface PlaceOrderRequest {
  symbol: string;
  side: 'buy' | 'sell';
  orderType: 'limit' | 'market';
  /** Base quantity (quote amount for a spot/margin market buy). */
  size: string;
  /** Limit price. */
  price?: string;
  /** gtc (default) | post_only | ioc | fok. */
  force?: 'gtc' | 'post_only' | 'ioc' | 'fok';
  clientOid?: string;
  /** MARGIN: crossed (default) | isolated. Futures: position margin mode, default crossed. */
  marginMode?: MarginMode;
  /** Futures: margin coin; default USDT / USDC / the base coin of a COIN-FUTURES symbol. */
  marginCoin?: string;
  /** Classic margin: loanType (default `normal`). */
  loanType?: 'normal' | 'autoLoan' | 'autoRepay' | 'autoLoanAndRepay';
  /** Further dialect fields sent verbatim (tradeSide, reduceOnly, stpMode…). */
  extra?: Record<string, string>;
}

/** `{orderId, clientOid}` as every place/cancel endpoint answers. */
export interface OrderAck {
  orderId: string;
  clientOid: string;
}

/** Bitget's batch result shape, also used for v3 per-item arrays once converted. */
export interface BatchResult {
  successList: OrderAck[];
  failureList: Array<{ orderId: string; clientOid: string; errorMsg: string; errorCode: string }>;
}

/** An order as any query endpoint returns it, normalised. `raw` keeps the dialect's object. */
export interface OrderInfo {
  orderId: string;
  clientOid: string;
  category: Category;
  marginMode?: MarginMode;
  symbol: string;
  side: string;
  orderType: string;
  /** Order price ('' or '0' for market orders). */
  price: string;
  /** Order quantity. */
  size: string;
  /** Filled base quantity. */
  filledSize: string;
  status: OrderStatus;
  cTime: string;
  uTime: string;
  raw: Record<string, unknown>;
}
