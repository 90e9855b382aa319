/**
 * `BitgetClient`: a typed client for the place, cancel and query endpoints ordergate serves,
 * usable against Bitget itself or an ordergate server.
 *
 * One client = one API key. The account mode decides the API dialect: a classic key uses the
 * v2 spot / margin / mix endpoints, a unified key the v3 endpoints (`category`). Give
 * `accountMode`, or let the client probe GET /api/v3/account/settings once like ccxt does
 * (success ⇒ unified; a Bitget error ⇒ classic; reference §4.5).
 *
 * Errors: {@link BitgetApiError} (Bitget code + msg), {@link BitgetRateLimitError},
 * {@link BitgetNetworkError}, {@link ClientUsageError} (nothing sent).
 */
import { runCancelAll, runCancelOrders, type CancelAllOptions, type CancelOrdersOptions } from './cancel.js';
import { BitgetApiError, ClientUsageError, ORDER_UNKNOWN_CODES } from './errors.js';
import { ACCOUNT_SETTINGS, ENDPOINTS, MARGIN_CURRENCIES, SPOT_SYMBOLS, dialectOf, type Dialect } from './endpoints.js';
import {
  cancelOneBody,
  normaliseOrder,
  openOrdersPage,
  parseItems,
  placeBatchBody,
  placeOneBody,
  refFields,
  toBatchResult,
  type ItemOutcome,
} from './dialects.js';
import { PacerRegistry, type PacingOptions } from './pacer.js';
import { Transport, type RetryOptions } from './transport.js';
import type {
  AccountMode,
  BatchResult,
  CancelRef,
  CancelReport,
  Category,
  MarginMode,
  OrderAck,
  OrderInfo,
  PlaceOrderRequest,
} from './types.js';

/** Client settings. */
export interface ClientOptions {
  /** `https://api.bitget.com` or an ordergate URL such as `http://127.0.0.1:8080`. */
  baseUrl: string;
  apiKey: string;
  secretKey: string;
  passphrase: string;
  /** Bitget demo trading: sends `paptrading: 1`. */
  demo?: boolean;
  /** classic | unified | auto (default: probe /api/v3/account/settings once). */
  accountMode?: AccountMode | 'auto';
  /** Per-attempt timeout in ms (default 15000). */
  timeoutMs?: number;
  retry?: RetryOptions;
  pacing?: PacingOptions;
  /** Share pacers between clients of keys on one UID (Bitget limits per UID). */
  pacers?: PacerRegistry;
  /** Replacement fetch (tests). */
  fetch?: typeof fetch;
}

/** ms in 90 days: how far back margin queries look (Bitget keeps 90 days of orders). */
const NINETY_DAYS_MS = 90 * 24 * 3600 * 1000;


/** A typed Bitget REST client (see module comment). */
export class BitgetClient {
  readonly transport: Transport;
  private mode: AccountMode | undefined;
  private modeProbe: Promise<AccountMode> | undefined;

  constructor(readonly options: ClientOptions) {
    if (!options.baseUrl) throw new ClientUsageError('baseUrl is required');
    if (!options.apiKey || !options.secretKey || !options.passphrase) {
      throw new ClientUsageError('apiKey, secretKey and passphrase are all required');
    }
    this.transport = new Transport({
      baseUrl: options.baseUrl,
      credentials: { apiKey: options.apiKey, secretKey: options.secretKey, passphrase: options.passphrase },
      demo: options.demo,
      timeoutMs: options.timeoutMs,
      retry: options.retry,
      pacers: options.pacers ?? new PacerRegistry(options.pacing),
      fetch: options.fetch,
    });
    if (options.accountMode && options.accountMode !== 'auto') this.mode = options.accountMode;
  }

  /**
   * The key's account mode: the `accountMode` option, or the probe's answer (cached):
   * success ⇒ unified; 40084 or any non-authentication error (e.g. 404) ⇒ classic.
   * @throws BitgetApiError for an authentication error (40006, 40009, 40012…),
   *   BitgetNetworkError when the probe got no answer.
   */
  async accountMode(): Promise<AccountMode> {
    if (this.mode) return this.mode;
    this.modeProbe ??= this.transport.send(ACCOUNT_SETTINGS, {}).then(
      () => 'unified' as const,
      (e: unknown) => {
        // 40084 = classic key on a v3 endpoint; 25245 = not unified; 404 = a server without v3.
        // Wrong credentials fail every endpoint alike: report them instead of guessing.
        if (e instanceof BitgetApiError && !e.isRateLimit && (!e.isAuthError || e.code === '40084')) return 'classic' as const;
        this.modeProbe = undefined;
        throw e;
      },
    );
    this.mode = await this.modeProbe;
    return this.mode;
  }

  /** The dialect of `category` for this key. */
  async dialect(category: Category, marginMode?: MarginMode): Promise<Dialect> {
    return dialectOf(await this.accountMode(), category, marginMode);
  }

  // ---------------------------------------------------------------- place

  /**
   * Places one order (place-order of the category's dialect).
   * Retried only after a 429 or a refused connection (never doubles an order).
   * @throws BitgetApiError e.g. 40808 precision, 43006 size, 45110 notional, 43118/45034/25212 duplicate clientOid.
   */
  async placeOrder(category: Category, req: PlaceOrderRequest): Promise<OrderAck> {
    const dialect = await this.dialect(category, req.marginMode);
    const r = await this.transport.send<Record<string, unknown>>(ENDPOINTS[dialect].placeOrder, placeOneBody(dialect, category, req), 'once');
    return { orderId: String(r.data?.orderId ?? ''), clientOid: String(r.data?.clientOid ?? '') };
  }

  /**
   * Places many orders: grouped by symbol (and margin head), split to the batch limit (v2 50,
   * v3 20), paced; per-item results merged into `{successList, failureList}`.
   * A request-level error of one batch fails that batch's items with its code.
   */
  async placeOrders(category: Category, reqs: readonly PlaceOrderRequest[]): Promise<BatchResult> {
    const groups = new Map<string, { dialect: Dialect; items: PlaceOrderRequest[] }>();
    for (const r of reqs) {
      const dialect = await this.dialect(category, r.marginMode);
      const key = dialect === 'uta' ? dialect : `${dialect}|${r.symbol}|${r.marginMode ?? ''}|${r.marginCoin ?? ''}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { dialect, items: [] }));
      g.items.push(r);
    }
    const outcomes: ItemOutcome[] = [];
    for (const { dialect, items } of groups.values()) {
      const spec = ENDPOINTS[dialect].batchPlace;
      const max = spec.batchLimit ?? 20;
      const chunks: PlaceOrderRequest[][] = [];
      for (let i = 0; i < items.length; i += max) chunks.push(items.slice(i, i + max));
      const results = await Promise.all(
        chunks.map(async (chunk) => {
          try {
            const r = await this.transport.send(spec, placeBatchBody(dialect, category, chunk), 'once');
            return parseItems(r.data);
          } catch (e) {
            if (!(e instanceof BitgetApiError)) throw e;
            return chunk.map((c): ItemOutcome => ({ ok: false, orderId: '', clientOid: c.clientOid ?? '', code: e.code, msg: e.msg }));
          }
        }),
      );
      for (const r of results) outcomes.push(...r);
    }
    return toBatchResult(outcomes);
  }

  // ---------------------------------------------------------------- cancel

  /**
   * Cancels one order (cancel-order of the dialect; `symbol` required except on v3).
   * Retried on 429 / network errors.
   * @throws BitgetApiError 43001 (spot/margin) / 40768, 40769 (mix) / 25204, 45134 (v3) when the
   *   order is unknown or finished.
   */
  async cancelOrder(category: Category, ref: CancelRef): Promise<OrderAck> {
    const dialect = await this.dialect(category, ref.marginMode);
    if (!ref.symbol && dialect !== 'uta') throw new ClientUsageError('symbol is required');
    const r = await this.transport.send<Record<string, unknown>>(ENDPOINTS[dialect].cancelOrder, cancelOneBody(dialect, category, ref));
    return { orderId: String(r.data?.orderId ?? ref.orderId ?? ''), clientOid: String(r.data?.clientOid ?? ref.clientOid ?? '') };
  }

  /**
   * Smart cancellation of any number of orders of one category: deduplicated, grouped by
   * symbol, split to the endpoint's batch limit (spot/mix/margin 50, v3 20), paced under the
   * endpoint's rate limit, retried on 429 and network errors with backoff, per-item results
   * merged into one report (input order). Never throws for per-item or per-batch failures:
   * they are in the report with their Bitget code.
   * @throws ClientUsageError for a ref without symbol or ids (nothing is sent).
   */
  cancelOrders(category: Category, refs: readonly CancelRef[], opts: CancelOrdersOptions = {}): Promise<CancelReport> {
    return runCancelOrders(this, category, refs, opts);
  }

  /**
   * Cancels every open order of the chosen categories (default all) and symbols (default
   * all): scope endpoints where they report per order (mix cancel-all-orders /
   * batch-cancel-orders without list, v3 cancel-symbol-order), otherwise open orders are
   * discovered through the query endpoints and cancelled in batches (spot, classic margin).
   * Then verifies nothing is left, repeating up to `maxPasses`.
   */
  cancelAll(opts: CancelAllOptions = {}): Promise<CancelReport> {
    return runCancelAll(this, opts);
  }

  // ---------------------------------------------------------------- query

  /**
   * One order by id, normalised; `undefined` when the server says it does not exist.
   * Margin (classic) needs `symbol` and looks in open then history orders of the last 90 days.
   */
  async getOrder(category: Category, ref: CancelRef): Promise<OrderInfo | undefined> {
    const dialect = await this.dialect(category, ref.marginMode);
    const eps = ENDPOINTS[dialect];
    const id = refFields(ref);
    try {
      switch (dialect) {
        case 'spot': {
          const r = await this.transport.send<unknown[]>(eps.orderInfo!, id);
          const row = Array.isArray(r.data) ? (r.data[0] as Record<string, unknown> | undefined) : undefined;
          return row ? normaliseOrder(dialect, category, row) : undefined;
        }
        case 'mix': {
          const r = await this.transport.send<Record<string, unknown>>(eps.orderInfo!, { symbol: ref.symbol, productType: category, ...id });
          return r.data ? normaliseOrder(dialect, category, r.data) : undefined;
        }
        case 'uta': {
          const r = await this.transport.send<Record<string, unknown>>(eps.orderInfo!, id);
          return r.data ? normaliseOrder(dialect, category, r.data) : undefined;
        }
        default: {
          if (!ref.symbol) throw new ClientUsageError('margin orders are queried by symbol');
          const q = { symbol: ref.symbol, startTime: Date.now() - NINETY_DAYS_MS, ...id };
          for (const spec of [eps.openOrders, eps.historyOrders]) {
            const r = await this.transport.send<{ orderList?: Array<Record<string, unknown>> }>(spec, q);
            const row = r.data?.orderList?.[0];
            if (row) return normaliseOrder(dialect, category, row);
          }
          return undefined;
        }
      }
    } catch (e) {
      if (e instanceof BitgetApiError && ORDER_UNKNOWN_CODES.has(e.code)) return undefined;
      throw e;
    }
  }

  /**
   * Every open order of `category` (optionally one symbol), all pages (100 per page),
   * newest first. Classic margin needs `symbol`.
   * @throws BitgetApiError from the query endpoint (e.g. a symbol unknown in the category).
   */
  async getOpenOrders(category: Category, opts: { symbol?: string; marginMode?: MarginMode } = {}): Promise<OrderInfo[]> {
    const dialect = await this.dialect(category, opts.marginMode);
    const spec = ENDPOINTS[dialect].openOrders;
    const out: OrderInfo[] = [];
    const seen = new Set<string>();
    const since = Date.now() - NINETY_DAYS_MS;
    let cursor = '';
    for (let page = 0; page < 10_000; page++) {
      const p = openOrdersPage(dialect, category, opts.symbol, cursor, 100, since);
      const r = await this.transport.send(spec, p.query);
      const rows = p.rows(r.data);
      let fresh = 0;
      for (const row of rows) {
        const o = normaliseOrder(dialect, category, row, opts.marginMode);
        if (dialect === 'uta' && o.category !== category) continue;
        if (seen.has(o.orderId)) continue;
        seen.add(o.orderId);
        fresh++;
        out.push(o);
      }
      cursor = p.next(r.data, rows, 100);
      if (cursor === '' || fresh === 0) break;
    }
    return out;
  }

  /**
   * Symbols tradable on margin (public GET /api/v2/margin/currencies, falling back to the
   * spot symbol list): how `cancelAll` finds margin orders when no symbol is given.
   */
  async marginSymbols(): Promise<string[]> {
    for (const spec of [MARGIN_CURRENCIES, SPOT_SYMBOLS]) {
      try {
        const r = await this.transport.send<Array<Record<string, unknown>>>(spec, {});
        const rows = Array.isArray(r.data) ? r.data : [];
        const picked = spec === MARGIN_CURRENCIES ? rows.filter((x) => x.isBorrowable !== false) : rows;
        const syms = [...new Set(picked.map((x) => String(x.symbol ?? '')).filter(Boolean))];
        if (syms.length > 0) return syms;
      } catch (e) {
        if (!(e instanceof BitgetApiError)) throw e;
      }
    }
    return [];
  }
}
