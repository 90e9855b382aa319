/**
 * The endpoint table: for every API dialect the paths of the place, cancel and query
 * endpoints with Bitget's per-UID rate limit (requests per second, reference §7) and batch
 * limit (items per request: v2 50, v3 20 — seed pages and reference §4).
 *
 * A dialect is where a category's orders are managed for one account mode:
 * - classic account: `spot` (SPOT), `margin-crossed` / `margin-isolated` (MARGIN), `mix`
 *   (USDT-/COIN-/USDC-FUTURES, `productType` = category);
 * - unified account: `uta` for every category (`category` field).
 */
import type { AccountMode, Category, MarginMode } from './types.js';

/** One endpoint: method, path, rate limit per second (per UID; per IP when public). */
export interface EndpointSpec {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  /** Requests per second allowed by Bitget (reference §7). */
  readonly rateLimit: number;
  /** Maximum list items per request, for batch endpoints. */
  readonly batchLimit?: number;
  /** Public endpoints are sent unsigned. */
  readonly public?: boolean;
}

/**
 * The client's dialect names: the server's dialects (`src/engine/policy.ts`), with classic
 * margin split into its two path prefixes (crossed, isolated), since each is addressed apart.
 */
export type Dialect = 'spot' | 'margin-crossed' | 'margin-isolated' | 'mix' | 'uta';

/** The endpoints of one dialect. Absent entries do not exist in that dialect. */
export interface DialectEndpoints {
  placeOrder: EndpointSpec;
  batchPlace: EndpointSpec;
  cancelOrder: EndpointSpec;
  batchCancel: EndpointSpec;
  /** Scope cancel returning per-order results (mix cancel-all-orders, v3 cancel-symbol-order). */
  cancelAll?: EndpointSpec;
  /** Mix only: batch-cancel-orders without a list cancels one symbol's orders. */
  cancelSymbol?: EndpointSpec;
  orderInfo?: EndpointSpec;
  openOrders: EndpointSpec;
  historyOrders: EndpointSpec;
}

const ep = (method: 'GET' | 'POST', path: string, rateLimit: number, batchLimit?: number): EndpointSpec =>
  Object.freeze({ method, path, rateLimit, ...(batchLimit ? { batchLimit } : {}) });

const margin = (mode: MarginMode): DialectEndpoints => ({
  // DOC:margin/cross/trade/* and margin/isolated/trade/*: all 10/s/UID, lists <= 50
  placeOrder: ep('POST', `/api/v2/margin/${mode}/place-order`, 10),
  batchPlace: ep('POST', `/api/v2/margin/${mode}/batch-place-order`, 10, 50),
  cancelOrder: ep('POST', `/api/v2/margin/${mode}/cancel-order`, 10),
  batchCancel: ep('POST', `/api/v2/margin/${mode}/batch-cancel-order`, 10, 50),
  openOrders: ep('GET', `/api/v2/margin/${mode}/open-orders`, 10),
  historyOrders: ep('GET', `/api/v2/margin/${mode}/history-orders`, 10),
});

/** Every dialect's endpoints. */
export const ENDPOINTS: Readonly<Record<Dialect, DialectEndpoints>> = {
  spot: {
    placeOrder: ep('POST', '/api/v2/spot/trade/place-order', 10),
    batchPlace: ep('POST', '/api/v2/spot/trade/batch-orders', 5, 50),
    cancelOrder: ep('POST', '/api/v2/spot/trade/cancel-order', 10),
    batchCancel: ep('POST', '/api/v2/spot/trade/batch-cancel-order', 10, 50),
    orderInfo: ep('GET', '/api/v2/spot/trade/orderInfo', 20),
    openOrders: ep('GET', '/api/v2/spot/trade/unfilled-orders', 20),
    historyOrders: ep('GET', '/api/v2/spot/trade/history-orders', 20),
  },
  'margin-crossed': margin('crossed'),
  'margin-isolated': margin('isolated'),
  mix: {
    placeOrder: ep('POST', '/api/v2/mix/order/place-order', 10),
    batchPlace: ep('POST', '/api/v2/mix/order/batch-place-order', 5, 50),
    cancelOrder: ep('POST', '/api/v2/mix/order/cancel-order', 10),
    batchCancel: ep('POST', '/api/v2/mix/order/batch-cancel-orders', 10, 50),
    cancelSymbol: ep('POST', '/api/v2/mix/order/batch-cancel-orders', 10),
    cancelAll: ep('POST', '/api/v2/mix/order/cancel-all-orders', 10),
    orderInfo: ep('GET', '/api/v2/mix/order/detail', 10),
    openOrders: ep('GET', '/api/v2/mix/order/orders-pending', 10),
    historyOrders: ep('GET', '/api/v2/mix/order/orders-history', 10),
  },
  uta: {
    placeOrder: ep('POST', '/api/v3/trade/place-order', 10),
    batchPlace: ep('POST', '/api/v3/trade/place-batch', 5, 20),
    cancelOrder: ep('POST', '/api/v3/trade/cancel-order', 10),
    batchCancel: ep('POST', '/api/v3/trade/cancel-batch', 5, 20),
    cancelAll: ep('POST', '/api/v3/trade/cancel-symbol-order', 5),
    orderInfo: ep('GET', '/api/v3/trade/order-info', 20),
    openOrders: ep('GET', '/api/v3/trade/unfilled-orders', 20),
    historyOrders: ep('GET', '/api/v3/trade/history-orders', 20),
  },
};

/** GET /api/v3/account/settings: success means a unified account (ccxt's probe, reference §4.5). */
export const ACCOUNT_SETTINGS: EndpointSpec = ep('GET', '/api/v3/account/settings', 20);
/** Public: margin-enabled symbols (10/s/IP). */
export const MARGIN_CURRENCIES: EndpointSpec = Object.freeze({ ...ep('GET', '/api/v2/margin/currencies', 10), public: true });
/** Public: spot symbols (20/s/IP). */
export const SPOT_SYMBOLS: EndpointSpec = Object.freeze({ ...ep('GET', '/api/v2/spot/public/symbols', 20), public: true });

/** Bitget's overall REST cap: 6000 requests per IP per minute (reference §7). */
export const IP_LIMIT_PER_MINUTE = 6000;

/**
 * The dialect managing `category` orders for an account in `mode`.
 * MARGIN in a classic account needs the margin mode (crossed / isolated endpoints).
 */
export function dialectOf(mode: AccountMode, category: Category, marginMode?: MarginMode): Dialect {
  if (mode === 'unified') return 'uta';
  if (category === 'SPOT') return 'spot';
  if (category === 'MARGIN') return marginMode === 'isolated' ? 'margin-isolated' : 'margin-crossed';
  return 'mix';
}

/**
 * Per-item "order not found / already finished" codes of each dialect (reference §3.3, the
 * engine's dialect policy): failures a cancel retried after a lost answer may turn into.
 */
export const GONE_CODES: Readonly<Record<Dialect, readonly string[]>> = {
  spot: ['43001'],
  'margin-crossed': ['43001'],
  'margin-isolated': ['43001'],
  mix: ['40768', '40769', '45031'],
  uta: ['25204', '45134'],
};
