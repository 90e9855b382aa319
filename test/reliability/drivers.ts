/**
 * Reliability drivers shared by the quick tests (`test/reliability/*.test.ts`, run by
 * `npm test`) and the long run (`scripts/soak.ts`, `npm run soak`): the same code, sized
 * by its options.
 *
 * - {@link ServerProcess}: a real `ordergate serve` process on a SQLite file, killable
 *   with SIGKILL and restartable on the same file.
 * - {@link HttpSender} / {@link injectSender}: Bitget-signed requests over a socket or
 *   through Fastify inject, behind one {@link Send} signature.
 * - {@link DIALECTS}: how each Bitget dialect places, cancels (by ids, by scope) and reads
 *   orders, so every driver runs on every dialect that is registered.
 * - {@link runCrashCycles}: concurrent placements, batch cancels, scope cancels and fills,
 *   SIGKILL at a random moment, restart, verify the store against what was acknowledged.
 * - {@link runRaces}: concurrent overlapping batch cancels and cancel-alls of one UID;
 *   every order succeeds in exactly one list, every other attempt is a per-item failure.
 * - {@link runEndpointFuzz} / {@link runRawFuzz}: fast-check over every endpoint's body and
 *   query, and raw bytes on a socket: always a Bitget envelope, never a 5xx, rejected
 *   requests change nothing.
 */
import { DEFAULT_START_BALANCE } from '../../src/config.js';
import { loadCatalogue } from '../../src/markets/catalogue.js';
import { startBalanceOpening } from '../../src/ledger/start.js';
import Database from 'better-sqlite3';
import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import type { ChildProcess } from 'node:child_process';
import { ensureCliBuilt, spawnCli, type Child } from '../support/children.js';
import { createHash, createHmac, randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import net from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';
import { CATEGORIES, type OrderRef, type OrderStatus } from '../../src/domain/types.js';
import type { Endpoint } from '../../src/http/endpoint.js';
import { resolveMasterKey } from '../../src/accounts/crypto.js';
import { createKey } from '../../src/accounts/keys.js';
import { allEndpoints } from '../../src/http/routes/index.js';
import { SqliteStore } from '../../src/store/sqlite/index.js';
import type { TestServer } from '../helpers.js';

/** Repository root (where `src/cli/main.ts` lives). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Admin token the crash driver gives its server process (fills go through /admin/fill). */
export const ADMIN_TOKEN = 'reliability-admin-token';

// ---------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------

/** Plain credentials of one API key. */
export interface Cred {
  uid: string;
  apiKey: string;
  secretKey: string;
  passphrase: string;
}

/** One request: `path` may carry a query string; `body` is JSON-encoded for POST. */
export interface Req {
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
}

/** A parsed answer. `body` is the JSON envelope (or `{raw}` when not JSON). */
export interface Res {
  status: number;
  body: any;
  headers: Record<string, unknown>;
}

/** Sends `req` signed with `key` (undefined: unsigned). Rejects only on transport errors. */
export type Send = (key: Cred | undefined, req: Req) => Promise<Res>;

/** Bitget's signature: base64(HMAC-SHA256(secret, ts + METHOD + path[?query] + body)). */
export function sign(secret: string, ts: string, method: string, pathWithQuery: string, body: string): string {
  return createHmac('sha256', secret).update(ts + method.toUpperCase() + pathWithQuery + body).digest('base64');
}

/** The headers a Bitget client sends for `key` over `method path body` at `ts` (ms). */
export function authHeaders(key: Cred, method: string, pathWithQuery: string, bodyText: string, ts = String(Date.now())): Record<string, string> {
  return {
    'access-key': key.apiKey,
    'access-passphrase': key.passphrase,
    'access-timestamp': ts,
    'access-sign': sign(key.secretKey, ts, method, pathWithQuery, bodyText),
  };
}

function parseJson(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return { raw: text };
  }
}

/** A {@link Send} over Fastify inject on an in-process test server (no socket). */
export function injectSender(s: TestServer): Send {
  return async (key, req) => {
    const text = req.method === 'POST' ? JSON.stringify(req.body ?? {}) : '';
    const headers: Record<string, string> = { 'content-type': 'application/json', locale: 'en-US' };
    if (key) Object.assign(headers, authHeaders(key, req.method, req.path, text));
    const res = await s.og.app.inject({ method: req.method, url: req.path, headers, ...(req.method === 'POST' ? { payload: text } : {}) });
    return { status: res.statusCode, body: parseJson(res.body), headers: res.headers };
  };
}

/** A {@link Send} over real HTTP/1.1 keep-alive connections (undici pool). */
export class HttpSender {
  private readonly pool: Pool;
  constructor(
    readonly baseUrl: string,
    connections = 16,
  ) {
    this.pool = new Pool(baseUrl, { connections, pipelining: 1, headersTimeout: 30_000, bodyTimeout: 30_000 });
  }

  /** Sends one signed request; rejects on transport errors (e.g. the server was killed). */
  send: Send = async (key, req) => {
    const text = req.method === 'POST' ? JSON.stringify(req.body ?? {}) : '';
    const headers: Record<string, string> = { 'content-type': 'application/json', locale: 'en-US' };
    if (key) Object.assign(headers, authHeaders(key, req.method, req.path, text));
    const res = await this.pool.request({ method: req.method, path: req.path, headers, body: req.method === 'POST' ? text : undefined });
    const body = await res.body.text();
    return { status: res.statusCode, body: parseJson(body), headers: res.headers as Record<string, unknown> };
  };

  /** Drops every connection at once (after a kill nothing is left to drain). */
  async close(): Promise<void> {
    await this.pool.destroy().catch(() => undefined);
  }
}

// ---------------------------------------------------------------------------------------
// Dialects
// ---------------------------------------------------------------------------------------

/** One item of a batch result, in request order. */
export interface ItemResult {
  ok: boolean;
  orderId: string;
  clientOid: string;
  code?: string;
}

/** How one Bitget dialect places, cancels and reads the orders the drivers use. */
export interface Dialect {
  name: string;
  /** Which kind of account it trades on. */
  account: 'classic' | 'unified';
  /** Endpoints it uses; a dialect runs only when all are registered. */
  paths: readonly string[];
  /** Largest batch the dialect accepts (place and cancel). */
  maxBatch: number;
  /** Per-item / single-cancel code for an order of the caller that is already finished. */
  finishedCode: string;
  /** Code for an order that does not exist (or belongs to someone else). */
  notFoundCode: string;
  /** Quantity of each placed order (decimal string) and a valid partial fill of it. */
  size: string;
  halfSize: string;
  /** Places resting limit orders, one per clientOid. */
  placeBatch(clientOids: readonly string[]): Req;
  placeResults(data: any): ItemResult[];
  /** Cancels by ids (orderId wins, else clientOid). */
  cancelBatch(refs: readonly OrderRef[]): Req;
  cancelResults(data: any): ItemResult[];
  /** Cancels one order; success data `{orderId, clientOid}`, failure a request-level code. */
  cancelOne(ref: OrderRef): Req;
  /** Scope cancels (cancel-all) this dialect offers. */
  cancelAll(): Req[];
  /** Order ids a scope cancel reports cancelled, or null when its answer lists none. */
  cancelAllResults(data: any): string[] | null;
  /** Reads that can name one order (detail, open/history filtered by the reference). */
  reads(ref: OrderRef): Req[];
  /** One order's internal status through the dialect's detail endpoint, if it has one. */
  detail?: { req(ref: OrderRef): Req; status(data: any): OrderStatus | undefined };
}

const refBody = (r: OrderRef) => (r.orderId ? { orderId: r.orderId } : { clientOid: r.clientOid });
const qs = (o: Record<string, string | undefined>) =>
  Object.entries(o)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${encodeURIComponent(v as string)}`)
    .join('&');
const v2Items = (data: any): ItemResult[] => [
  ...data.successList.map((x: any) => ({ ok: true, orderId: x.orderId, clientOid: x.clientOid })),
  ...data.failureList.map((x: any) => ({ ok: false, orderId: x.orderId ?? '', clientOid: x.clientOid ?? '', code: x.errorCode })),
];
const v3Items = (data: any[]): ItemResult[] =>
  data.map((x) => ({ ok: x.code === undefined || x.code === '00000', orderId: x.orderId ?? '', clientOid: x.clientOid ?? '', code: x.code }));
const STATUS_OF: Record<string, OrderStatus> = {
  live: 'live',
  new: 'live',
  partially_filled: 'partially_filled',
  partial_fill: 'partially_filled',
  filled: 'filled',
  full_fill: 'filled',
  canceled: 'cancelled',
  cancelled: 'cancelled',
};

/**
 * v2 batch results list successes before failures; re-orders them to request order using
 * the references sent (each reference appears once per batch in the drivers).
 */
function inRequestOrder(refs: readonly OrderRef[], items: ItemResult[]): ItemResult[] {
  const out: ItemResult[] = [];
  const pool = [...items];
  for (const r of refs) {
    const i = pool.findIndex((x) => (r.orderId ? x.orderId === r.orderId : x.clientOid === r.clientOid));
    out.push(i >= 0 ? pool.splice(i, 1)[0] : { ok: false, orderId: r.orderId ?? '', clientOid: r.clientOid ?? '', code: 'missing' });
  }
  return out;
}

const MIX: Dialect = {
  name: 'mix',
  account: 'classic',
  paths: [
    '/api/v2/mix/order/batch-place-order',
    '/api/v2/mix/order/batch-cancel-orders',
    '/api/v2/mix/order/cancel-order',
    '/api/v2/mix/order/cancel-all-orders',
    '/api/v2/mix/order/detail',
    '/api/v2/mix/order/orders-pending',
    '/api/v2/mix/order/orders-history',
  ],
  maxBatch: 50,
  finishedCode: '40769',
  notFoundCode: '40768',
  size: '0.01',
  halfSize: '0.005',
  placeBatch: (coids) => ({
    method: 'POST',
    path: '/api/v2/mix/order/batch-place-order',
    body: {
      symbol: 'BTCUSDT',
      productType: 'USDT-FUTURES',
      marginMode: 'crossed',
      marginCoin: 'USDT',
      orderList: coids.map((clientOid) => ({ size: '0.01', price: '30000', side: 'buy', orderType: 'limit', force: 'gtc', clientOid })),
    },
  }),
  placeResults: v2Items,
  cancelBatch: (refs) => ({
    method: 'POST',
    path: '/api/v2/mix/order/batch-cancel-orders',
    body: { symbol: 'BTCUSDT', productType: 'USDT-FUTURES', orderIdList: refs.map(refBody) },
  }),
  cancelResults: v2Items,
  cancelOne: (ref) => ({
    method: 'POST',
    path: '/api/v2/mix/order/cancel-order',
    body: { symbol: 'BTCUSDT', productType: 'USDT-FUTURES', ...refBody(ref) },
  }),
  cancelAll: () => [
    { method: 'POST', path: '/api/v2/mix/order/cancel-all-orders', body: { productType: 'USDT-FUTURES' } },
    // seed 000: batch-cancel-orders without orderIdList cancels the whole productType/symbol
    { method: 'POST', path: '/api/v2/mix/order/batch-cancel-orders', body: { productType: 'USDT-FUTURES', symbol: 'BTCUSDT' } },
  ],
  cancelAllResults: (data) => data.successList.map((x: any) => x.orderId),
  reads: (ref) => [
    { method: 'GET', path: `/api/v2/mix/order/detail?${qs({ symbol: 'BTCUSDT', productType: 'USDT-FUTURES', ...refBody(ref) })}` },
    { method: 'GET', path: `/api/v2/mix/order/orders-pending?${qs({ productType: 'USDT-FUTURES', ...refBody(ref) })}` },
    { method: 'GET', path: `/api/v2/mix/order/orders-history?${qs({ productType: 'USDT-FUTURES', ...refBody(ref) })}` },
  ],
  detail: {
    req: (ref) => ({ method: 'GET', path: `/api/v2/mix/order/detail?${qs({ symbol: 'BTCUSDT', productType: 'USDT-FUTURES', ...refBody(ref) })}` }),
    status: (data) => STATUS_OF[data?.status],
  },
};

const SPOT: Dialect = {
  name: 'spot',
  account: 'classic',
  paths: [
    '/api/v2/spot/trade/batch-orders',
    '/api/v2/spot/trade/batch-cancel-order',
    '/api/v2/spot/trade/cancel-order',
    '/api/v2/spot/trade/cancel-symbol-order',
    '/api/v2/spot/trade/orderInfo',
    '/api/v2/spot/trade/unfilled-orders',
    '/api/v2/spot/trade/history-orders',
  ],
  maxBatch: 50,
  finishedCode: '43001',
  notFoundCode: '43001',
  size: '0.01',
  halfSize: '0.005',
  placeBatch: (coids) => ({
    method: 'POST',
    path: '/api/v2/spot/trade/batch-orders',
    body: {
      symbol: 'BTCUSDT',
      orderList: coids.map((clientOid) => ({ size: '0.01', price: '30000', side: 'buy', orderType: 'limit', force: 'gtc', clientOid })),
    },
  }),
  placeResults: v2Items,
  cancelBatch: (refs) => ({
    method: 'POST',
    path: '/api/v2/spot/trade/batch-cancel-order',
    body: { symbol: 'BTCUSDT', orderList: refs.map(refBody) },
  }),
  cancelResults: v2Items,
  cancelOne: (ref) => ({ method: 'POST', path: '/api/v2/spot/trade/cancel-order', body: { symbol: 'BTCUSDT', ...refBody(ref) } }),
  cancelAll: () => [{ method: 'POST', path: '/api/v2/spot/trade/cancel-symbol-order', body: { symbol: 'BTCUSDT' } }],
  cancelAllResults: () => null, // answers {symbol} only
  reads: (ref) => [
    { method: 'GET', path: `/api/v2/spot/trade/orderInfo?${qs(refBody(ref))}` },
    { method: 'GET', path: `/api/v2/spot/trade/unfilled-orders?${qs({ symbol: 'BTCUSDT', ...refBody(ref) })}` },
    { method: 'GET', path: `/api/v2/spot/trade/history-orders?${qs({ symbol: 'BTCUSDT', ...refBody(ref) })}` },
  ],
  detail: {
    req: (ref) => ({ method: 'GET', path: `/api/v2/spot/trade/orderInfo?${qs(refBody(ref))}` }),
    status: (data) => STATUS_OF[data?.[0]?.status],
  },
};

function marginDialect(mode: 'crossed' | 'isolated'): Dialect {
  const base = `/api/v2/margin/${mode}`;
  return {
    name: `margin-${mode}`,
    account: 'classic',
    paths: [`${base}/batch-place-order`, `${base}/batch-cancel-order`, `${base}/cancel-order`, `${base}/open-orders`, `${base}/history-orders`],
    maxBatch: 50,
    finishedCode: '43001',
    notFoundCode: '43001',
    size: '0.01',
    halfSize: '0.005',
    placeBatch: (coids) => ({
      method: 'POST',
      path: `${base}/batch-place-order`,
      body: {
        symbol: 'BTCUSDT',
        orderList: coids.map((clientOid) => ({
          baseSize: '0.01',
          price: '30000',
          side: 'buy',
          orderType: 'limit',
          force: 'gtc',
          loanType: 'normal',
          clientOid,
        })),
      },
    }),
    placeResults: v2Items,
    cancelBatch: (refs) => ({ method: 'POST', path: `${base}/batch-cancel-order`, body: { symbol: 'BTCUSDT', orderIdList: refs.map(refBody) } }),
    cancelResults: v2Items,
    cancelOne: (ref) => ({ method: 'POST', path: `${base}/cancel-order`, body: { symbol: 'BTCUSDT', ...refBody(ref) } }),
    cancelAll: () => [], // margin has no cancel-all endpoint
    cancelAllResults: () => null,
    reads: (ref) => [
      { method: 'GET', path: `${base}/open-orders?${qs({ symbol: 'BTCUSDT', startTime: '0', ...refBody(ref) })}` },
      { method: 'GET', path: `${base}/history-orders?${qs({ symbol: 'BTCUSDT', startTime: '0', ...refBody(ref) })}` },
    ],
  };
}

const UTA: Dialect = {
  name: 'uta',
  account: 'unified',
  paths: [
    '/api/v3/trade/place-batch',
    '/api/v3/trade/cancel-batch',
    '/api/v3/trade/cancel-order',
    '/api/v3/trade/cancel-symbol-order',
    '/api/v3/trade/order-info',
    '/api/v3/trade/unfilled-orders',
    '/api/v3/trade/history-orders',
  ],
  maxBatch: 20,
  finishedCode: '45134',
  notFoundCode: '25204',
  size: '0.01',
  halfSize: '0.005',
  placeBatch: (coids) => ({
    method: 'POST',
    path: '/api/v3/trade/place-batch',
    body: coids.map((clientOid) => ({
      category: 'USDT-FUTURES',
      symbol: 'BTCUSDT',
      qty: '0.01',
      price: '30000',
      side: 'buy',
      orderType: 'limit',
      timeInForce: 'gtc',
      clientOid,
    })),
  }),
  placeResults: v3Items,
  cancelBatch: (refs) => ({
    method: 'POST',
    path: '/api/v3/trade/cancel-batch',
    body: refs.map((r) => ({ ...refBody(r), category: 'USDT-FUTURES', symbol: 'BTCUSDT' })),
  }),
  cancelResults: v3Items,
  cancelOne: (ref) => ({ method: 'POST', path: '/api/v3/trade/cancel-order', body: { ...refBody(ref), category: 'USDT-FUTURES' } }),
  cancelAll: () => [{ method: 'POST', path: '/api/v3/trade/cancel-symbol-order', body: { category: 'USDT-FUTURES', symbol: 'BTCUSDT' } }],
  cancelAllResults: (data) => v3Items(data.list).filter((x) => x.ok).map((x) => x.orderId),
  reads: (ref) => [
    { method: 'GET', path: `/api/v3/trade/order-info?${qs(refBody(ref))}` },
    { method: 'GET', path: `/api/v3/trade/unfilled-orders?${qs({ category: 'USDT-FUTURES', ...refBody(ref) })}` },
    { method: 'GET', path: `/api/v3/trade/history-orders?${qs({ category: 'USDT-FUTURES', ...refBody(ref) })}` },
  ],
  detail: {
    req: (ref) => ({ method: 'GET', path: `/api/v3/trade/order-info?${qs(refBody(ref))}` }),
    status: (data) => STATUS_OF[data?.orderStatus],
  },
};

/** The futures (mix) dialect, the model one. */
export const MIX_DIALECT: Dialect = MIX;

/** Every dialect the drivers know. */
export const DIALECTS: readonly Dialect[] = [MIX, SPOT, marginDialect('crossed'), marginDialect('isolated'), UTA];

/** The dialects whose endpoints are all registered in `endpoints` (mix always is). */
export function registeredDialects(endpoints: readonly Endpoint[] = allEndpoints): Dialect[] {
  const have = new Set(endpoints.map((e) => `${e.method} ${e.path}`.split(' ')[1]));
  return DIALECTS.filter((d) => d.paths.every((p) => have.has(p)));
}

// ---------------------------------------------------------------------------------------
// Randomness
// ---------------------------------------------------------------------------------------

/** A small seeded PRNG (mulberry32), so a failing run can be repeated with its seed. */
export class Rng {
  private s: number;
  constructor(readonly seed: number) {
    this.s = seed >>> 0;
  }
  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** Integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)];
  }
  /** `k` distinct elements of `xs` in random order. */
  sample<T>(xs: readonly T[], k: number): T[] {
    const a = [...xs];
    for (let i = a.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [a[i], a[j]] = [a[j], a[i]];
    }
    return a.slice(0, Math.min(k, a.length));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------
// Server process
// ---------------------------------------------------------------------------------------

/**
 * A real `ordergate serve` process (the built `node dist/src/cli/main.js serve`) on a SQLite
 * file, on a free port, with demo keys and rate limits off and /admin/fill enabled.
 */
export class ServerProcess {
  child?: ChildProcess;
  private tracked?: Child;
  baseUrl = '';
  /** Everything the process wrote to stdout and stderr, over all its lives. */
  output = '';
  starts = 0;

  constructor(
    readonly dbPath: string,
    readonly env: Record<string, string> = {},
  ) {}

  /**
   * Starts the process (the built CLI, dist/ built first if stale; a tracked child of
   * test/support/children.ts, killed with its process group whatever happens) and resolves with
   * its base URL once it listens.
   */
  async start(timeoutMs = 90_000): Promise<string> {
    await ensureCliBuilt();
    const tracked = spawnCli(['serve'], {
      env: {
        ...process.env,
        ORDERGATE_DB: this.dbPath,
        HOST: '127.0.0.1',
        PORT: '0',
        LOG_LEVEL: 'silent',
        ORDERGATE_DEMO_KEYS: 'off',
        ORDERGATE_RATE_LIMIT: 'off',
        ORDERGATE_ADMIN_TOKEN: ADMIN_TOKEN,
        ...this.env,
      },
    });
    this.tracked = tracked;
    const child = tracked.proc;
    this.child = child;
    this.starts++;
    return new Promise((resolveStart, reject) => {
      let buf = '';
      const timer = setTimeout(() => {
        void tracked.kill();
        reject(new Error(`server did not start in ${timeoutMs} ms:\n${this.output}`));
      }, timeoutMs);
      const onData = (d: Buffer) => {
        const text = d.toString('utf8');
        this.output += text;
        buf += text;
        const m = /listening on (http:\/\/[^\s]+)/.exec(buf);
        if (m) {
          clearTimeout(timer);
          this.baseUrl = m[1];
          resolveStart(m[1]);
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', (d: Buffer) => (this.output += d.toString('utf8')));
      void tracked.exited.then(({ code, signal }) => {
        clearTimeout(timer);
        reject(new Error(`server exited (${code ?? signal}) before listening:\n${this.output}`));
      });
    });
  }

  /** True while the process runs. */
  get alive(): boolean {
    return this.tracked?.alive() ?? false;
  }

  /** SIGKILL (to its process group): no shutdown hook runs, nothing is flushed. Resolves once the process is gone. */
  async kill(): Promise<void> {
    await this.tracked?.kill();
  }

  /** Graceful stop (SIGTERM), falling back to SIGKILL after 5 s. */
  async stop(): Promise<void> {
    await this.tracked?.stop(5_000);
  }
}

/** What a key to create looks like. */
export interface KeySpec {
  uid: string;
  mode: 'classic' | 'unified';
  permission?: 'read' | 'trade';
  ips?: string[];
}

/**
 * Creates keys in the SQLite file `dbPath` (and its `master.key` beside it), as
 * `ordergate keys create` does, and returns their plain credentials by name.
 */
export async function makeKeys<N extends string>(dbPath: string, specs: Record<N, KeySpec>): Promise<Record<N, Cred>> {
  mkdirSync(dirname(dbPath), { recursive: true });
  const store = new SqliteStore({ path: dbPath });
  // the server's default start balance, so the keys' UIDs can place at once (issue 10)
  store.setOpening(startBalanceOpening(DEFAULT_START_BALANCE, loadCatalogue()));
  const master = resolveMasterKey(undefined, dbPath);
  const out = {} as Record<N, Cred>;
  try {
    for (const [name, spec] of Object.entries(specs) as Array<[N, KeySpec]>) {
      const k = await createKey(store.keys, master, { uid: spec.uid, mode: spec.mode, permission: spec.permission ?? 'trade', ips: spec.ips ?? [] });
      out[name] = { uid: spec.uid, apiKey: k.apiKey, secretKey: k.secretKey, passphrase: k.passphrase };
    }
  } finally {
    await store.close();
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Store inspection
// ---------------------------------------------------------------------------------------

/** An order as the SQLite file holds it. */
export interface StoredOrder {
  orderId: string;
  uid: string;
  clientOid: string;
  category: string;
  status: string;
  size: string;
  filledSize: string;
  isOpen: number;
  cancelReason: string;
}

/** Reads every order of the SQLite file `dbPath` through a separate read-only connection. */
export function readStore(dbPath: string): Map<string, StoredOrder> {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    const rows = db
      .prepare(
        `SELECT order_id AS orderId, uid, client_oid AS clientOid, category, status, size, filled_size AS filledSize,
                is_open AS isOpen, cancel_reason AS cancelReason FROM orders`,
      )
      .all() as StoredOrder[];
    return new Map(rows.map((r) => [r.orderId, r]));
  } finally {
    db.close();
  }
}

/**
 * The impossible states of one stored order: filled more than its size, negative fill,
 * `is_open` disagreeing with the status, a filled order not fully filled, a live order with
 * fills, a partially filled one without, a cancelled order without a cancel reason.
 */
export function impossibleStates(o: StoredOrder): string[] {
  const bad: string[] = [];
  let size: Decimal;
  let filled: Decimal;
  try {
    size = new Decimal(o.size);
    filled = new Decimal(o.filledSize);
  } catch {
    return [`${o.orderId}: size/filledSize not decimal (${o.size}/${o.filledSize})`];
  }
  const open = o.status === 'live' || o.status === 'partially_filled';
  if (!['live', 'partially_filled', 'filled', 'cancelled'].includes(o.status)) bad.push(`${o.orderId}: unknown status ${o.status}`);
  if (filled.gt(size)) bad.push(`${o.orderId}: filled ${o.filledSize} > size ${o.size}`);
  if (filled.isNeg()) bad.push(`${o.orderId}: negative fill ${o.filledSize}`);
  if ((o.isOpen === 1) !== open) bad.push(`${o.orderId}: is_open=${o.isOpen} but status ${o.status}`);
  if (o.status === 'filled' && !filled.eq(size)) bad.push(`${o.orderId}: filled status with ${o.filledSize}/${o.size}`);
  if (o.status === 'live' && !filled.isZero()) bad.push(`${o.orderId}: live with fills ${o.filledSize}`);
  if (o.status === 'partially_filled' && (filled.isZero() || filled.gte(size))) bad.push(`${o.orderId}: partially_filled with ${o.filledSize}/${o.size}`);
  if (o.status === 'cancelled' && o.cancelReason === '') bad.push(`${o.orderId}: cancelled without cancelReason`);
  return bad;
}

/** Two open orders of one UID may not share a clientOid. */
export function duplicateOpenClientOids(rows: Iterable<StoredOrder>): string[] {
  const seen = new Map<string, string>();
  const bad: string[] = [];
  for (const o of rows) {
    if (o.isOpen !== 1 || o.clientOid === '') continue;
    const k = `${o.uid}/${o.clientOid}`;
    if (seen.has(k)) bad.push(`open orders ${seen.get(k)} and ${o.orderId} share clientOid ${k}`);
    else seen.set(k, o.orderId);
  }
  return bad;
}

/** A digest of every order row and key of a SQLite store (changes on any insert or update). */
export function storeDigest(db: Database.Database): string {
  const rows = db.prepare(`SELECT order_id, status, filled_size, u_time, cancel_reason FROM orders ORDER BY order_id`).raw().all();
  const keys = db.prepare(`SELECT api_key, revoked_at FROM api_keys ORDER BY api_key`).raw().all();
  return createHash('sha256').update(JSON.stringify([rows, keys])).digest('hex');
}

/**
 * A function returning a digest of the test server's orders: the raw SQLite rows when the
 * store is SQLite (fast), else every order of the test UIDs through the store interface.
 */
export function digester(s: TestServer): () => Promise<string> {
  const store = s.og.store;
  if (store instanceof SqliteStore) return async () => storeDigest(store.db);
  const uids = [...new Set([s.classic, s.other, s.readOnly, s.unified, s.otherUnified].map((k) => k.uid))];
  return async () => {
    const h = createHash('sha256');
    for (const uid of uids) {
      for (const open of [true, false]) {
        let idLessThan: string | undefined;
        for (;;) {
          const page = await store.listOrders({ uid, categories: CATEGORIES, open, idLessThan, limit: 100 });
          for (const o of page) h.update(`${o.orderId}/${o.status}/${o.filledSize}/${o.uTime}/${o.cancelReason};`);
          if (page.length < 100) break;
          idLessThan = page[page.length - 1].orderId;
        }
      }
    }
    return h.digest('hex');
  };
}

// ---------------------------------------------------------------------------------------
// Crash consistency
// ---------------------------------------------------------------------------------------

/** Options of {@link runCrashCycles}. */
export interface CrashOptions {
  /** Number of SIGKILLs (each followed by a restart and a full verification). */
  kills: number;
  /** Working directory for the SQLite file and master key. */
  dir: string;
  /** Load runs for a random time in [minLoadMs, maxLoadMs] (after the first acknowledgement) before the kill. */
  minLoadMs?: number;
  maxLoadMs?: number;
  /** Dialects to drive (default: mix, plus uta when registered). */
  dialects?: readonly Dialect[];
  seed?: number;
  /** Progress lines. */
  log?: (line: string) => void;
}

/** What a crash run did and found. */
export interface CrashFigures {
  seed: number;
  kills: number;
  dialects: string[];
  requestsAnswered: number;
  placementsAcked: number;
  cancelsAcked: number;
  scopeCancelsAcked: number;
  fillsAcked: number;
  unackedBatchesChecked: number;
  ordersVerified: number;
  httpSamplesVerified: number;
  /** Everything that broke a promise; empty when nothing was lost. */
  violations: string[];
}

interface Ledger {
  placed: Map<string, { uid: string; clientOid: string; dialect: Dialect }>;
  cancelled: Set<string>;
  filled: Map<string, Decimal>;
  /** Orders an acknowledged scope cancel must have cancelled. */
  mustBeCancelled: Set<string>;
  unackedPlacements: Array<{ uid: string; clientOids: string[] }>;
  unackedCancels: string[][];
  /** Finished orders as last verified: they must never change again. */
  finished: Map<string, string>;
}

/** Transport failures that a SIGKILL of the server causes on the client side. */
function isTransportError(e: unknown): boolean {
  return e instanceof Error && !(e instanceof TypeError && /Cannot read|is not/.test(e.message));
}

/**
 * Crash-consistency driver. Per dialect it runs, against one real server process:
 * two placers and two batch-cancellers on UID A (each order owned by one worker at a time,
 * so every acknowledged-open order must cancel), a filler (partial or full fills through
 * /admin/fill), and on UID B a placer plus scope cancels (cancel-all). At a random moment
 * the process gets SIGKILL; it is restarted on the same file and the store is checked:
 * every acknowledged placement exists with its clientOid; every acknowledged cancel is
 * cancelled; every order an acknowledged cancel-all covered is cancelled; acknowledged
 * fills are kept; no order is in an impossible state; finished orders never change; an
 * unacknowledged batch is all-or-nothing; a sample is re-read through the HTTP API.
 */
export async function runCrashCycles(opts: CrashOptions): Promise<CrashFigures> {
  const seed = opts.seed ?? Date.now() % 1_000_000;
  const rng = new Rng(seed);
  const log = opts.log ?? (() => undefined);
  const registered = registeredDialects();
  const dialects = opts.dialects ?? registered.filter((d) => d.name === 'mix' || d.name === 'uta');
  const dbPath = join(opts.dir, 'ordergate.db');
  const specs: Record<string, KeySpec> = {};
  dialects.forEach((d, i) => {
    specs[`${d.name}A`] = { uid: String(7100 + i * 2), mode: d.account };
    specs[`${d.name}B`] = { uid: String(7101 + i * 2), mode: d.account };
  });
  const keys = await makeKeys(dbPath, specs);
  const server = new ServerProcess(dbPath);
  const fig: CrashFigures = {
    seed,
    kills: 0,
    dialects: dialects.map((d) => d.name),
    requestsAnswered: 0,
    placementsAcked: 0,
    cancelsAcked: 0,
    scopeCancelsAcked: 0,
    fillsAcked: 0,
    unackedBatchesChecked: 0,
    ordersVerified: 0,
    httpSamplesVerified: 0,
    violations: [],
  };
  const L: Ledger = {
    placed: new Map(),
    cancelled: new Set(),
    filled: new Map(),
    mustBeCancelled: new Set(),
    unackedPlacements: [],
    unackedCancels: [],
    finished: new Map(),
  };
  const violate = (msg: string) => {
    if (fig.violations.length < 200) fig.violations.push(msg);
  };
  let coidSeq = 0;
  const coid = (tag: string) => `${tag}-${seed}-${++coidSeq}`;

  try {
    await server.start();
    for (let cycle = 0; cycle < opts.kills; cycle++) {
      const http = new HttpSender(server.baseUrl, 32);
      let killed = false;
      /** Sends; returns undefined when the request died with the process. */
      const send = async (key: Cred, req: Req): Promise<Res | undefined> => {
        try {
          const r = await http.send(key, req);
          fig.requestsAnswered++;
          if (r.status >= 500) violate(`HTTP ${r.status} on ${req.path}: ${JSON.stringify(r.body)}`);
          return r;
        } catch (e) {
          if (!killed && isTransportError(e)) violate(`transport error before the kill on ${req.path}: ${String(e)}`);
          if (!isTransportError(e)) throw e;
          return undefined;
        }
      };
      const admin = async (orderId: string, size: string): Promise<Res | undefined> => {
        try {
          const r = await fetch(`${server.baseUrl}/admin/fill`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-admin-token': ADMIN_TOKEN },
            body: JSON.stringify({ orderId, size }),
          });
          fig.requestsAnswered++;
          return { status: r.status, body: await r.json(), headers: {} };
        } catch (e) {
          if (!killed) violate(`admin fill transport error before the kill: ${String(e)}`);
          return undefined;
        }
      };

      // the kill clock starts once the server acknowledges its first placement (a fresh
      // process first verifies each key's passphrase with scrypt), at most 5 s after start
      let warm!: () => void;
      const warmedUp = new Promise<void>((r) => (warm = r));
      const workers: Promise<void>[] = [];
      for (const d of dialects) {
        const A = keys[`${d.name}A`];
        const B = keys[`${d.name}B`];
        const poolA: Array<{ orderId: string; clientOid: string; size: Decimal; filled: Decimal }> = [];
        const placedB: string[] = [];
        const placer = async (key: Cred, into: 'A' | 'B') => {
          while (!killed) {
            const coids = Array.from({ length: rng.int(1, Math.min(8, d.maxBatch)) }, () => coid(`${d.name}${into}`));
            const r = await send(key, d.placeBatch(coids));
            if (!r) {
              L.unackedPlacements.push({ uid: key.uid, clientOids: coids });
              return;
            }
            if (r.body.code !== '00000') {
              violate(`${d.name} placement rejected: ${JSON.stringify(r.body)}`);
              continue;
            }
            for (const it of d.placeResults(r.body.data)) {
              if (!it.ok) {
                violate(`${d.name} placement item failed: ${JSON.stringify(it)}`);
                continue;
              }
              fig.placementsAcked++;
              warm();
              L.placed.set(it.orderId, { uid: key.uid, clientOid: it.clientOid, dialect: d });
              if (into === 'A') poolA.push({ orderId: it.orderId, clientOid: it.clientOid, size: new Decimal(d.size), filled: new Decimal(0) });
              else placedB.push(it.orderId);
            }
          }
        };
        const canceller = async () => {
          while (!killed) {
            if (poolA.length === 0) {
              await sleep(2);
              continue;
            }
            const take = poolA.splice(0, rng.int(1, Math.min(poolA.length, 12, d.maxBatch)));
            const refs: OrderRef[] = take.map((o) => (rng.next() < 0.5 ? { orderId: o.orderId } : { clientOid: o.clientOid }));
            const r = await send(A, d.cancelBatch(refs));
            if (!r) {
              L.unackedCancels.push(take.map((o) => o.orderId));
              return;
            }
            if (r.body.code !== '00000') {
              violate(`${d.name} batch cancel rejected: ${JSON.stringify(r.body)}`);
              continue;
            }
            const items = d.cancelResults(r.body.data);
            for (const o of take) {
              const it = items.find((x) => x.orderId === o.orderId || (x.clientOid !== '' && x.clientOid === o.clientOid));
              if (it?.ok) {
                fig.cancelsAcked++;
                L.cancelled.add(o.orderId);
              } else violate(`${d.name} open order ${o.orderId} (owned by this batch) did not cancel: ${JSON.stringify(it)}`);
            }
          }
        };
        const filler = async () => {
          while (!killed) {
            await sleep(rng.int(1, 5));
            if (poolA.length === 0) continue;
            const o = poolA.splice(rng.int(0, poolA.length - 1), 1)[0];
            const full = o.filled.isZero() ? rng.next() < 0.3 : true;
            const q = full ? o.size.minus(o.filled) : new Decimal(d.halfSize);
            const r = await admin(o.orderId, q.toString());
            if (!r) return; // state unknown: the order leaves every pool
            if (r.body.code !== '00000') {
              violate(`fill of ${o.orderId} rejected: ${JSON.stringify(r.body)}`);
              continue;
            }
            fig.fillsAcked++;
            o.filled = o.filled.plus(q);
            L.filled.set(o.orderId, o.filled);
            if (o.filled.lt(o.size)) poolA.push(o); // partially filled: still cancellable
          }
        };
        const scopeCanceller = async () => {
          while (!killed) {
            await sleep(rng.int(5, 40));
            const reqs = d.cancelAll();
            if (reqs.length === 0) return;
            const covered = [...placedB];
            const r = await send(B, rng.pick(reqs));
            if (!r) return;
            if (r.body.code !== '00000') {
              violate(`${d.name} cancel-all rejected: ${JSON.stringify(r.body)}`);
              continue;
            }
            fig.scopeCancelsAcked++;
            for (const id of covered) L.mustBeCancelled.add(id);
            for (const id of d.cancelAllResults(r.body.data) ?? []) L.cancelled.add(id);
          }
        };
        workers.push(placer(A, 'A'), placer(A, 'A'), canceller(), canceller(), filler(), placer(B, 'B'), scopeCanceller());
      }

      const loadMs = rng.int(opts.minLoadMs ?? 300, opts.maxLoadMs ?? 1500);
      await Promise.race([warmedUp, sleep(5000)]);
      await sleep(loadMs);
      killed = true;
      await server.kill();
      fig.kills++;
      await Promise.all(workers);
      await http.close();
      await server.start();
      const before = fig.violations.length;
      await verifyCrash(server, keys, L, fig, rng, violate);
      log(
        `kill ${fig.kills}/${opts.kills} after ${loadMs} ms: ${fig.placementsAcked} placements, ${fig.cancelsAcked} cancels, ` +
          `${fig.scopeCancelsAcked} cancel-alls, ${fig.fillsAcked} fills acknowledged so far; ` +
          `${fig.violations.length - before === 0 ? 'nothing lost' : `${fig.violations.length - before} VIOLATIONS`}`,
      );
    }
  } finally {
    await server.stop();
  }
  return fig;
}

async function verifyCrash(
  server: ServerProcess,
  keys: Record<string, Cred>,
  L: Ledger,
  fig: CrashFigures,
  rng: Rng,
  violate: (m: string) => void,
): Promise<void> {
  const rows = readStore(server.dbPath);
  fig.ordersVerified = rows.size;
  for (const o of rows.values()) for (const b of impossibleStates(o)) violate(b);
  for (const b of duplicateOpenClientOids(rows.values())) violate(b);
  for (const [id, p] of L.placed) {
    const o = rows.get(id);
    if (!o) violate(`acknowledged placement ${id} is missing`);
    else if (o.uid !== p.uid || o.clientOid !== p.clientOid) violate(`acknowledged placement ${id} changed owner/clientOid`);
  }
  for (const id of L.cancelled) if (rows.get(id)?.status !== 'cancelled') violate(`acknowledged cancel of ${id} lost: ${rows.get(id)?.status}`);
  for (const id of L.mustBeCancelled) {
    if (rows.get(id)?.status !== 'cancelled') violate(`order ${id} covered by an acknowledged cancel-all is ${rows.get(id)?.status}`);
  }
  for (const [id, f] of L.filled) {
    const o = rows.get(id);
    if (!o || new Decimal(o.filledSize).lt(f)) violate(`acknowledged fill of ${id} lost: ${o?.filledSize} < ${f}`);
  }
  for (const [id, was] of L.finished) {
    const o = rows.get(id);
    const now = o ? `${o.status}/${o.filledSize}` : 'missing';
    if (now !== was) violate(`finished order ${id} changed from ${was} to ${now}`);
  }
  for (const batch of L.unackedCancels) {
    const n = batch.filter((id) => rows.get(id)?.status === 'cancelled').length;
    if (n !== 0 && n !== batch.length) violate(`unacknowledged cancel batch half applied: ${n}/${batch.length}`);
  }
  const byClientOid = new Set([...rows.values()].map((o) => `${o.uid}/${o.clientOid}`));
  for (const p of L.unackedPlacements) {
    const n = p.clientOids.filter((c) => byClientOid.has(`${p.uid}/${c}`)).length;
    if (n !== 0 && n !== p.clientOids.length) violate(`unacknowledged placement batch half applied: ${n}/${p.clientOids.length}`);
  }
  fig.unackedBatchesChecked = L.unackedCancels.length + L.unackedPlacements.length;
  for (const o of rows.values()) if (o.isOpen === 0) L.finished.set(o.orderId, `${o.status}/${o.filledSize}`);

  // the restarted server answers from the same state
  const http = new HttpSender(server.baseUrl, 4);
  try {
    const ids = rng.sample([...L.placed.keys()], 12);
    for (const id of ids) {
      const p = L.placed.get(id)!;
      if (!p.dialect.detail) continue;
      const key = Object.values(keys).find((k) => k.uid === p.uid)!;
      const r = await http.send(key, p.dialect.detail.req({ orderId: id }));
      const want = rows.get(id)?.status;
      const got = p.dialect.detail.status(r.body.data);
      if (r.body.code !== '00000' || got !== want) violate(`HTTP detail of ${id} says ${got ?? JSON.stringify(r.body)}, store says ${want}`);
      else fig.httpSamplesVerified++;
    }
  } finally {
    await http.close();
  }
}

// ---------------------------------------------------------------------------------------
// Races
// ---------------------------------------------------------------------------------------

/** Options of {@link runRaces}. */
export interface RaceOptions {
  /** Rounds; each places `orders` fresh orders and fires `attempts` concurrent cancels. */
  rounds: number;
  orders: number;
  attempts: number;
  seed: number;
  /** Share of attempts that are scope cancels (cancel-all), 0..1. */
  scopeShare?: number;
}

/** What a race run did and found. */
export interface RaceFigures {
  dialect: string;
  rounds: number;
  ordersRaced: number;
  requests: number;
  itemAttempts: number;
  successes: number;
  perItemFailures: number;
  clientOidRaces: number;
  violations: string[];
}

/**
 * Race driver for one dialect and one UID. Per round: place `orders` orders, then fire
 * `attempts` requests at once — batch cancels over random overlapping subsets (by orderId
 * or clientOid), single cancels and scope cancels — and finally one scope cancel (or a
 * batch over everything) to sweep. Checks: every order appears in exactly one successList
 * (or, for a scope cancel that lists nothing, is cancelled with no listed success); every
 * other attempt on it is a per-item failure with the dialect's "finished" code; every
 * order ends cancelled. Then a clientOid race: concurrent placements sharing one clientOid,
 * exactly one succeeds.
 */
export async function runRaces(send: Send, key: Cred, d: Dialect, opts: RaceOptions): Promise<RaceFigures> {
  const rng = new Rng(opts.seed);
  const fig: RaceFigures = {
    dialect: d.name,
    rounds: 0,
    ordersRaced: 0,
    requests: 0,
    itemAttempts: 0,
    successes: 0,
    perItemFailures: 0,
    clientOidRaces: 0,
    violations: [],
  };
  const violate = (m: string) => {
    if (fig.violations.length < 100) fig.violations.push(`${d.name}: ${m}`);
  };
  const scopes = d.cancelAll();
  const scopeShare = scopes.length ? (opts.scopeShare ?? 0.05) : 0;
  const tag = `race-${opts.seed}-${randomUUID().slice(0, 8)}`;
  for (let round = 0; round < opts.rounds; round++) {
    // place
    const orders: Array<{ orderId: string; clientOid: string }> = [];
    for (let i = 0; i < opts.orders; i += d.maxBatch) {
      const coids = Array.from({ length: Math.min(d.maxBatch, opts.orders - i) }, (_, j) => `${tag}-${round}-${i + j}`);
      const r = await send(key, d.placeBatch(coids));
      if (r.body.code !== '00000') throw new Error(`${d.name} placement failed: ${JSON.stringify(r.body)}`);
      for (const it of d.placeResults(r.body.data)) {
        if (!it.ok) throw new Error(`${d.name} placement item failed: ${JSON.stringify(it)}`);
        orders.push({ orderId: it.orderId, clientOid: it.clientOid });
      }
    }
    const byId = new Map(orders.map((o) => [o.orderId, o]));
    const byCoid = new Map(orders.map((o) => [o.clientOid, o]));
    const wins = new Map<string, number>(orders.map((o) => [o.orderId, 0]));
    let unlistedScope = false;
    const idOf = (it: ItemResult, ref: OrderRef) => (ref.orderId ? ref.orderId : byCoid.get(ref.clientOid!)?.orderId ?? it.orderId);

    const attempt = async (kind: 'batch' | 'single' | 'scope', sweep = false): Promise<void> => {
      if (kind === 'scope') {
        const r = await send(key, rng.pick(scopes));
        fig.requests++;
        if (r.body.code !== '00000') return violate(`scope cancel rejected: ${JSON.stringify(r.body)}`);
        const listed = d.cancelAllResults(r.body.data);
        if (listed === null) unlistedScope = true;
        for (const id of listed ?? []) {
          if (!wins.has(id)) continue; // an order of an earlier round cannot be open any more
          wins.set(id, wins.get(id)! + 1);
          fig.successes++;
        }
        return;
      }
      const pick = sweep ? orders : rng.sample(orders, kind === 'single' ? 1 : rng.int(1, Math.min(d.maxBatch, orders.length)));
      for (let i = 0; i < pick.length; i += d.maxBatch) {
        const chunk = pick.slice(i, i + d.maxBatch);
        const refs: OrderRef[] = chunk.map((o) => (rng.next() < 0.5 ? { orderId: o.orderId } : { clientOid: o.clientOid }));
        fig.itemAttempts += refs.length;
        if (kind === 'single') {
          const r = await send(key, d.cancelOne(refs[0]));
          fig.requests++;
          if (r.body.code === '00000') {
            const id = chunk[0].orderId;
            wins.set(id, wins.get(id)! + 1);
            fig.successes++;
          } else if (r.body.code === d.finishedCode) fig.perItemFailures++;
          else violate(`single cancel answered ${JSON.stringify(r.body)}`);
          continue;
        }
        const r = await send(key, d.cancelBatch(refs));
        fig.requests++;
        if (r.body.code !== '00000') {
          violate(`batch cancel rejected: ${JSON.stringify(r.body)}`);
          continue;
        }
        const items = d.cancelResults(r.body.data);
        if (items.length !== refs.length) violate(`batch of ${refs.length} answered ${items.length} items`);
        for (const [j, it] of inRequestOrder(refs, items).entries()) {
          const id = idOf(it, refs[j]);
          if (it.ok) {
            if (!byId.has(id)) violate(`success for an order not in the batch: ${JSON.stringify(it)}`);
            else {
              wins.set(id, wins.get(id)! + 1);
              fig.successes++;
            }
          } else if (it.code === d.finishedCode) fig.perItemFailures++;
          else violate(`per-item failure with code ${it.code} for an existing order: ${JSON.stringify(it)}`);
        }
      }
    };

    const kinds = Array.from({ length: opts.attempts }, () => {
      const x = rng.next();
      return x < scopeShare ? 'scope' : x < scopeShare + 0.15 ? 'single' : 'batch';
    }) as Array<'batch' | 'single' | 'scope'>;
    await Promise.all(kinds.map((k) => attempt(k)));
    await attempt(scopes.length ? 'scope' : 'batch', true); // sweep what is left

    for (const [id, n] of wins) {
      if (n > 1) violate(`order ${id} appeared in ${n} successLists`);
      if (n === 0 && !unlistedScope) violate(`order ${id} appeared in no successList`);
    }
    if (d.detail) {
      for (const o of rng.sample(orders, 10)) {
        const r = await send(key, d.detail.req({ orderId: o.orderId }));
        if (d.detail.status(r.body.data) !== 'cancelled') violate(`order ${o.orderId} is not cancelled after the race: ${JSON.stringify(r.body)}`);
      }
    }
    fig.rounds++;
    fig.ordersRaced += orders.length;

    // clientOid race: K concurrent placements share one clientOid; exactly one succeeds
    const shared = `${tag}-dup-${round}`;
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => send(key, d.placeBatch(i % 2 ? [shared, `${tag}-solo-${round}-${i}`] : [shared]))),
    );
    let okShared = 0;
    for (const r of results) {
      fig.requests++;
      if (r.body.code !== '00000') {
        violate(`clientOid race placement rejected: ${JSON.stringify(r.body)}`);
        continue;
      }
      for (const it of d.placeResults(r.body.data)) if (it.ok && it.clientOid === shared) okShared++;
    }
    if (okShared !== 1) violate(`clientOid ${shared} placed ${okShared} times concurrently`);
    fig.clientOidRaces++;
    // leave nothing open for the next round
    for (const s of scopes.slice(0, 1)) await send(key, s);
    if (!scopes.length) {
      const r = await send(key, d.cancelBatch([{ clientOid: shared }]));
      void r;
      for (let i = 1; i < 8; i += 2) await send(key, d.cancelBatch([{ clientOid: `${tag}-solo-${round}-${i}` }]));
    }
  }
  return fig;
}

// ---------------------------------------------------------------------------------------
// Fuzzing
// ---------------------------------------------------------------------------------------

/** Options of {@link runEndpointFuzz}. */
export interface FuzzOptions {
  runsPerEndpoint: number;
  seed: number;
  /** Only endpoints whose path contains this (default: all). */
  filter?: string;
  /** Endpoints to fuzz (default: every registered one). */
  endpoints?: readonly Endpoint[];
}

/** What a fuzz run did and found. */
export interface FuzzFigures {
  endpoints: number;
  cases: number;
  accepted: number;
  rejected: number;
  violations: string[];
}

const TOKENS = [
  'BTCUSDT', 'ETHUSDT', 'btcusdt', 'XXXUSDT', 'USDT-FUTURES', 'usdt-futures', 'COIN-FUTURES', 'USDC-FUTURES', 'SUSDT-FUTURES',
  'SPOT', 'spot', 'MARGIN', 'crossed', 'isolated', 'USDT', 'BTC', 'buy', 'sell', 'BUY', 'limit', 'market', 'gtc', 'GTC',
  'post_only', 'ioc', 'fok', 'normal', 'autoLoan', 'open', 'close', 'yes', 'no', 'YES', 'long', 'short', 'single', 'multiple',
  'tpsl', 'none', 'cancel_taker', 'live', 'filled', 'canceled', '30000', '30000.1', '0.01', '0.005', '1', '0', '-1', '1e3',
  '0x10', 'NaN', 'Infinity', '', ' ', '9999999999999999999999', '0.0000000000000000000001', '100', '101', '1700000000000',
  '60000', '60001', '__proto__', 'constructor', 'toString', '%00', '\u0000', '🚀', 'a'.repeat(65),
];

/** Arbitrary values shaped like `schema` (a TypeBox / JSON schema), with junk mixed in. */
export function schemaArb(schema: any, ids: readonly string[], depth = 0): fc.Arbitrary<unknown> {
  const junk = fc.oneof(
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double(),
    fc.string({ maxLength: 20 }),
    fc.constant({}),
    fc.constant([]),
    fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }),
  );
  return fc.oneof({ weight: 8, arbitrary: shaped(schema, ids, depth) }, { weight: 1, arbitrary: junk });
}

function shaped(schema: any, ids: readonly string[], depth: number): fc.Arbitrary<unknown> {
  if (!schema || depth > 6) return fc.jsonValue({ maxDepth: 1 });
  if (Array.isArray(schema.anyOf)) return fc.oneof(...schema.anyOf.map((s: any) => shaped(s, ids, depth + 1)));
  switch (schema.type) {
    case 'string': {
      const max = schema.maxLength ?? 64;
      return fc.oneof(
        { weight: 6, arbitrary: fc.constantFrom(...TOKENS) },
        { weight: ids.length ? 4 : 0, arbitrary: ids.length ? fc.constantFrom(...ids) : fc.constant('') },
        { weight: 2, arbitrary: fc.string({ maxLength: max }) },
        { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
        { weight: 1, arbitrary: fc.string({ minLength: max + 1, maxLength: max + 8 }) },
        { weight: 2, arbitrary: fc.tuple(fc.nat(99999), fc.nat(9999)).map(([a, b]) => `${a}.${b}`) },
      );
    }
    case 'number':
    case 'integer':
      return fc.oneof(fc.integer(), fc.double(), fc.constant(Date.now()), fc.constant(1e308), fc.constant(-0));
    case 'boolean':
      return fc.boolean();
    case 'array': {
      const max = (schema.maxItems ?? 10) + 2;
      return fc.array(schemaArb(schema.items, ids, depth + 1), { maxLength: Math.min(max, 60) });
    }
    case 'object': {
      const props: Record<string, any> = schema.properties ?? {};
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [k, s] of Object.entries(props)) model[k] = schemaArb(s, ids, depth + 1);
      const required: string[] = (schema.required ?? []).filter((k: string) => k in model);
      const extra = fc.dictionary(fc.constantFrom('extra', '__proto__', 'constructor', 'orderId', 'symbol', 'x'), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 2 });
      return fc
        .tuple(
          fc.oneof(
            fc.record(model, { requiredKeys: required as never }),
            fc.record(model, { requiredKeys: [] as never }),
          ),
          fc.option(extra, { freq: 5 }),
        )
        .map(([o, x]) => (x ? { ...x, ...(o as object) } : o));
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** Encodes a query object in a random but valid way (keys repeated, arrays, odd escapes). */
function queryArb(schema: any, ids: readonly string[]): fc.Arbitrary<string> {
  const structured = schemaArb(schema ?? { type: 'object', properties: {} }, ids).map((v) => {
    if (!v || typeof v !== 'object' || Array.isArray(v)) return `v=${encodeURIComponent(JSON.stringify(v))}`;
    return Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => `${encodeURIComponent(k)}=${encodeURIComponent(typeof x === 'string' ? x : JSON.stringify(x))}`)
      .join('&');
  });
  const rawText = fc.string({ maxLength: 80 }).map((s) => s.replace(/[#\s]/g, ''));
  const odd = fc.constantFrom('a=%ZZ', 'symbol=%', 'symbol[]=BTCUSDT', 'symbol[a]=1', '&&&', '=', 'limit=1&limit=2', '%E0%A4%A', 'productType=USDT-FUTURES&productType=SPOT');
  return fc.oneof({ weight: 6, arbitrary: structured }, { weight: 2, arbitrary: rawText }, { weight: 1, arbitrary: odd });
}

/** One fuzzed request: what to send and how to sign it. */
interface FuzzCase {
  method: string;
  query: string;
  body: string | Buffer | undefined;
  contentType: string | undefined;
  signing: 'good' | 'none' | 'badSign' | 'oldTs';
}

/** Checks one answer: a Bitget envelope, string code, numeric requestTime, never a 5xx. */
export function envelopeProblems(status: number, text: string): string[] {
  const bad: string[] = [];
  if (status >= 500) bad.push(`HTTP ${status}`);
  let b: any;
  try {
    b = JSON.parse(text);
  } catch {
    return [...bad, `not JSON: ${text.slice(0, 120)}`];
  }
  if (!b || typeof b !== 'object' || Array.isArray(b)) return [...bad, `not an envelope: ${text.slice(0, 120)}`];
  if (typeof b.code !== 'string' || !/^\d{3,6}$/.test(b.code)) bad.push(`code not a numeric string: ${JSON.stringify(b.code)}`);
  if (typeof b.msg !== 'string') bad.push('msg not a string');
  if (typeof b.requestTime !== 'number') bad.push('requestTime not a number');
  if (!('data' in b)) bad.push('no data');
  if (b.code !== '00000' && b.data !== null) bad.push('error with data');
  if ((b.code === '00000') !== (status === 200)) bad.push(`code ${b.code} with HTTP ${status}`);
  return bad;
}

/**
 * Property-based fuzzing of every registered endpoint through inject: bodies and queries
 * generated from the endpoint's own schema (mutated, with junk, over-long strings, extra and
 * prototype keys, real order ids), raw malformed bodies, odd content types and bad signing.
 * Properties: the answer is a Bitget envelope (never a 5xx); a rejected request (code not
 * 00000) leaves the store digest unchanged; the server still answers a valid request after.
 */
export async function runEndpointFuzz(s: TestServer, opts: FuzzOptions): Promise<FuzzFigures> {
  const digest = digester(s);
  const fig: FuzzFigures = { endpoints: 0, cases: 0, accepted: 0, rejected: 0, violations: [] };
  // some real orders so that ids in the dictionary sometimes hit
  const ids: string[] = [];
  for (const d of registeredDialects()) {
    const key = d.account === 'classic' ? s.classic : s.unified;
    const r = await injectSender(s)(key, d.placeBatch([`fz-${d.name}-1`, `fz-${d.name}-2`, `fz-${d.name}-3`]));
    if (r.body.code === '00000') for (const it of d.placeResults(r.body.data)) if (it.ok) ids.push(it.orderId, it.clientOid);
  }
  const endpoints = (opts.endpoints ?? allEndpoints).filter((e) => !opts.filter || e.path.includes(opts.filter));
  for (const ep of endpoints) {
    fig.endpoints++;
    const key = ep.auth ? (ep.auth.mode === 'unified' ? s.unified : s.classic) : undefined;
    const schema = ep.method === 'POST' ? ep.body : ep.query;
    const bodyArb: fc.Arbitrary<string | Buffer | undefined> =
      ep.method === 'POST'
        ? fc.oneof(
            { weight: 12, arbitrary: schemaArb(schema ?? { type: 'object', properties: {} }, ids).map((v) => JSON.stringify(v)) },
            { weight: 1, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)) },
            { weight: 1, arbitrary: fc.string({ maxLength: 60 }) },
            { weight: 1, arbitrary: fc.uint8Array({ maxLength: 60 }).map((u) => Buffer.from(u)) },
            { weight: 1, arbitrary: fc.constantFrom('', '{', '{}', '[]', 'null', '{"a":', '[' .repeat(40) + ']'.repeat(40), '{"symbol":"BTCUSDT"}garbage') },
          )
        : fc.constant(undefined);
    const caseArb: fc.Arbitrary<FuzzCase> = fc.record({
      method: fc.oneof({ weight: 20, arbitrary: fc.constant(ep.method) }, { weight: 1, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'OPTIONS') }),
      query: ep.method === 'GET' ? queryArb(schema, ids) : fc.oneof({ weight: 9, arbitrary: fc.constant('') }, { weight: 1, arbitrary: queryArb(undefined, ids) }),
      body: bodyArb,
      contentType: fc.oneof(
        { weight: 20, arbitrary: fc.constant('application/json') },
        { weight: 1, arbitrary: fc.constantFrom(undefined, 'text/plain', 'application/json; charset=latin1', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x') },
      ),
      signing: key
        ? fc.oneof({ weight: 20, arbitrary: fc.constant('good' as const) }, { weight: 1, arbitrary: fc.constantFrom('none' as const, 'badSign' as const, 'oldTs' as const) })
        : fc.constant('none' as const),
    });
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        const url = c.query ? `${ep.path}?${c.query}` : ep.path;
        const bodyText = c.body === undefined ? '' : typeof c.body === 'string' ? c.body : c.body.toString('utf8');
        const headers: Record<string, string> = {};
        if (c.contentType) headers['content-type'] = c.contentType;
        if (key && c.signing !== 'none') {
          const ts = c.signing === 'oldTs' ? String(Date.now() - 31_000) : String(Date.now());
          Object.assign(headers, authHeaders(key, c.method, url, c.method === 'POST' ? bodyText : '', ts));
          if (c.signing === 'badSign') headers['access-sign'] = sign(key.secretKey, ts, c.method, url, bodyText + ' ');
        }
        const before = await digest();
        const res = await s.og.app.inject({ method: c.method as 'GET', url, headers, ...(c.body !== undefined && c.method !== 'GET' ? { payload: c.body } : {}) });
        fig.cases++;
        const problems = envelopeProblems(res.statusCode, res.body);
        if (!problems.length) {
          const code = JSON.parse(res.body).code;
          if (code === '00000') fig.accepted++;
          else {
            fig.rejected++;
            if ((await digest()) !== before) problems.push(`rejected (${code}) but the store changed`);
          }
        }
        if (problems.length) {
          const msg = `${c.method} ${url.slice(0, 200)} body=${bodyText.slice(0, 200)} -> ${res.statusCode} ${res.body.slice(0, 200)}: ${problems.join('; ')}`;
          if (fig.violations.length < 50) fig.violations.push(msg);
          return false;
        }
        return true;
      }),
      { numRuns: opts.runsPerEndpoint, seed: opts.seed, endOnFailure: true },
    ).catch(() => undefined); // the violation is recorded above; keep fuzzing the other endpoints
  }
  // the process is still up and still serves a valid request
  const d = registeredDialects()[0];
  const alive = await injectSender(s)(s.classic, d.reads({ orderId: ids[0] ?? '1' })[0]);
  if (envelopeProblems(alive.status, JSON.stringify(alive.body)).length) fig.violations.push(`server broken after fuzzing: ${JSON.stringify(alive.body)}`);
  return fig;
}

/** Names of Object.prototype members: as enum values they must never resolve to anything. */
export const PROTO_WORDS = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'prototype'] as const;

/** A plausible value per field name, so a request reaches the field under test. */
const PLAUSIBLE: Record<string, string> = {
  symbol: 'BTCUSDT',
  productType: 'USDT-FUTURES',
  category: 'USDT-FUTURES',
  marginMode: 'crossed',
  marginCoin: 'USDT',
  side: 'buy',
  orderType: 'limit',
  force: 'gtc',
  timeInForce: 'gtc',
  loanType: 'normal',
  size: '0.01',
  qty: '0.01',
  baseSize: '0.01',
  quoteSize: '10',
  price: '30000',
  batchMode: 'single',
  startTime: '0',
};

function plausibleValue(name: string, schema: any, depth: number): unknown {
  if (Array.isArray(schema?.anyOf)) return plausibleValue(name, schema.anyOf.find((x: any) => x.type === 'object') ?? schema.anyOf[0], depth);
  if (schema?.type === 'object') return plausibleObject(schema, depth + 1);
  if (schema?.type === 'array') return [plausibleValue(name, schema.items, depth + 1)];
  return PLAUSIBLE[name];
}

function plausibleObject(schema: any, depth: number): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  if (depth > 4) return o;
  for (const [k, v] of Object.entries<any>(schema.properties ?? {})) {
    const x = plausibleValue(k, v, depth);
    if (x !== undefined) o[k] = x;
  }
  return o;
}

/** Every string field of `schema` as a path of keys (array items as index 0). */
function stringFields(schema: any, path: Array<string | number> = [], depth = 0): Array<Array<string | number>> {
  if (!schema || depth > 4) return [];
  if (Array.isArray(schema.anyOf)) return schema.anyOf.flatMap((x: any) => stringFields(x, path, depth + 1));
  if (schema.type === 'string') return [path];
  if (schema.type === 'array') return stringFields(schema.items, [...path, 0], depth + 1);
  if (schema.type === 'object') return Object.entries<any>(schema.properties ?? {}).flatMap(([k, v]) => stringFields(v, [...path, k], depth + 1));
  return [];
}

/**
 * Requests that put one prototype member name (see {@link PROTO_WORDS}) into one string
 * field of an endpoint, every other field plausible: one per (field, word).
 */
export function protoProbes(ep: Endpoint): Array<{ field: string; word: string; url: string; body?: string }> {
  const schema = ep.method === 'POST' ? ep.body : ep.query;
  const out: Array<{ field: string; word: string; url: string; body?: string }> = [];
  const seen = new Set<string>();
  for (const path of stringFields(schema)) {
    const key = path.join('.');
    if (path.length === 0 || seen.has(key)) continue;
    seen.add(key);
    for (const word of PROTO_WORDS) {
      const base = plausibleValue('', schema, 0) as any;
      let node = base;
      for (const p of path.slice(0, -1)) {
        if (node[p] === undefined || typeof node[p] !== 'object') node[p] = typeof path[path.indexOf(p) + 1] === 'number' ? [{}] : {};
        node = node[p];
      }
      node[path[path.length - 1]] = word;
      if (ep.method === 'POST') out.push({ field: key, word, url: ep.path, body: JSON.stringify(base) });
      else {
        const q = Object.entries(base as Record<string, unknown>)
          .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
          .join('&');
        out.push({ field: key, word, url: `${ep.path}?${q}` });
      }
    }
  }
  return out;
}

/** Options of {@link runRawFuzz}. */
export interface RawFuzzOptions {
  runs: number;
  seed: number;
}

/** What a raw-bytes fuzz run did and found. */
export interface RawFuzzFigures {
  cases: number;
  answered: number;
  violations: string[];
}

/** Sends `bytes` on a fresh socket, half-closes, and collects everything until close. */
export function rawExchange(port: number, bytes: Buffer, timeoutMs = 3000): Promise<Buffer> {
  return new Promise((resolveX) => {
    const chunks: Buffer[] = [];
    const sock = net.connect(port, '127.0.0.1');
    const done = () => {
      clearTimeout(t);
      resolveX(Buffer.concat(chunks));
    };
    const t = setTimeout(() => {
      sock.destroy();
    }, timeoutMs);
    sock.on('data', (d) => chunks.push(d));
    sock.on('error', () => undefined);
    sock.on('close', done);
    sock.write(bytes, () => sock.end());
  });
}

/** Splits raw HTTP/1.1 responses; returns [status, body] of each complete one. */
export function parseResponses(raw: Buffer): Array<[number, string]> {
  const out: Array<[number, string]> = [];
  let rest = raw.toString('latin1');
  while (rest.startsWith('HTTP/1.1 ')) {
    const headEnd = rest.indexOf('\r\n\r\n');
    if (headEnd < 0) break;
    const head = rest.slice(0, headEnd);
    const status = Number(head.slice(9, 12));
    const len = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    if (!len) {
      out.push([status, '']);
      break;
    }
    const body = rest.slice(headEnd + 4, headEnd + 4 + Number(len[1]));
    out.push([status, Buffer.from(body, 'latin1').toString('utf8')]);
    rest = rest.slice(headEnd + 4 + Number(len[1]));
  }
  return out;
}

/**
 * Raw-bytes fuzzing over a real socket: random bytes, and HTTP requests with corrupted
 * request lines, headers, lengths, chunking and bodies. Every response that comes back is
 * a Bitget envelope (HTTP status < 500, except none); after the run a valid request still
 * gets an answer.
 */
export async function runRawFuzz(port: number, opts: RawFuzzOptions, alive: () => Promise<boolean>): Promise<RawFuzzFigures> {
  const fig: RawFuzzFigures = { cases: 0, answered: 0, violations: [] };
  const paths = [...new Set(allEndpoints.map((e) => e.path))];
  const line = fc.tuple(
    fc.constantFrom('GET', 'POST', 'PUT', 'G\u0000T', 'POST ', 'get', ''),
    fc.oneof(fc.constantFrom(...paths), fc.string({ maxLength: 30 }).map((s) => `/${s}`), fc.constantFrom('/%ZZ', '/api/v2/mix/order/%', '*', '/../../etc/passwd', `/${'a'.repeat(9000)}`)),
    fc.constantFrom('HTTP/1.1', 'HTTP/1.0', 'HTTP/2.0', 'HTTP/1.1 x', ''),
  );
  const header = fc.oneof(
    fc.constantFrom(
      'Host: x',
      'Content-Type: application/json',
      'Content-Length: 5',
      'Content-Length: -1',
      'Content-Length: 99999999999',
      'Content-Length: 2\r\nContent-Length: 3',
      'Transfer-Encoding: chunked',
      'Transfer-Encoding: chunked, identity',
      'Expect: 100-continue',
      'ACCESS-KEY: bg_x',
      'ACCESS-TIMESTAMP: 1',
      'X-Request-Id: ../../etc',
      `X-Big: ${'b'.repeat(17000)}`,
      'Bad Header',
      ': novalue',
      'Connection: close',
    ),
    fc.tuple(fc.string({ maxLength: 12 }), fc.string({ maxLength: 30 })).map(([k, v]) => `${k}: ${v}`),
  );
  const httpish = fc
    .tuple(line, fc.array(header, { maxLength: 6 }), fc.oneof(fc.string({ maxLength: 80 }), fc.constantFrom('{}', '5\r\nhello\r\n0\r\n\r\n', 'zz\r\n', '{"symbol":"BTCUSDT"}')))
    .map(([[m, p, v], hs, body]) => Buffer.from(`${m} ${p} ${v}\r\n${hs.join('\r\n')}${hs.length ? '\r\n' : ''}\r\n${body}`, 'utf8'));
  const bytes = fc.uint8Array({ maxLength: 400 }).map((u) => Buffer.from(u));
  await fc.assert(
    fc.asyncProperty(fc.oneof({ weight: 3, arbitrary: httpish }, { weight: 1, arbitrary: bytes }), async (b) => {
      fig.cases++;
      const raw = await rawExchange(port, b);
      const problems: string[] = [];
      const responses = parseResponses(raw);
      if (raw.length > 0 && responses.length === 0) problems.push(`unparseable answer: ${raw.toString('latin1').slice(0, 120)}`);
      for (const [status, body] of responses) {
        fig.answered++;
        // HEAD and 100-continue answers carry no body
        if (status === 100 || body === '') continue;
        problems.push(...envelopeProblems(status, body));
      }
      if (problems.length) {
        if (fig.violations.length < 50) fig.violations.push(`${JSON.stringify(b.toString('latin1').slice(0, 160))}: ${problems.join('; ')}`);
        return false;
      }
      return true;
    }),
    { numRuns: opts.runs, seed: opts.seed, endOnFailure: true },
  ).catch(() => undefined);
  if (!(await alive())) fig.violations.push('server stopped answering after raw fuzzing');
  return fig;
}
