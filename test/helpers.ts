/**
 * Test harness: an in-process ordergate on a fresh `:memory:` store with keys for every
 * account mode, and a Bitget-signing request helper over Fastify's inject (no socket).
 */
import { createHmac, randomBytes } from 'node:crypto';
import { createApp, type OrdergateApp } from '../src/app.js';
import { loadConfig, type Config } from '../src/config.js';
import { createKey } from '../src/accounts/keys.js';
import { dropPostgresSchema } from '../src/store/postgres/index.js';

/**
 * Which store the suite runs against: env ORDERGATE_TEST_STORE = `sqlite` (default, in-memory)
 * or `postgres` (a fresh schema per test server on ORDERGATE_TEST_DATABASE_URL, default
 * postgres://postgres@127.0.0.1:5432/test, dropped when the server closes).
 */
export const TEST_STORE: 'sqlite' | 'postgres' = (() => {
  const v = process.env.ORDERGATE_TEST_STORE || 'sqlite';
  if (v !== 'sqlite' && v !== 'postgres') throw new Error(`ORDERGATE_TEST_STORE must be sqlite or postgres, got ${v}`);
  return v;
})();

/** Base PostgreSQL URL of the tests (no schema). */
export const TEST_DATABASE_URL = process.env.ORDERGATE_TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

/** A DATABASE_URL on a fresh, uniquely named schema of {@link TEST_DATABASE_URL}. */
export function freshSchemaUrl(tag = 't'): string {
  const u = new URL(TEST_DATABASE_URL);
  u.searchParams.set('schema', `og_${tag}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`);
  return u.toString();
}

/** Plain credentials of one test key. */
export interface TestKey {
  uid: string;
  apiKey: string;
  secretKey: string;
  passphrase: string;
}

/** A test server with its keys. */
export interface TestServer {
  og: OrdergateApp;
  /** classic account, trade permission */
  classic: TestKey;
  /** second classic account (for isolation tests) */
  other: TestKey;
  /** classic account, read-only key on the same UID as `classic` */
  readOnly: TestKey;
  /** unified account, trade permission */
  unified: TestKey;
  /** second unified account */
  otherUnified: TestKey;
  close(): Promise<void>;
}

/** The standard test keys (see {@link TestServer}) on `og`'s store, live in its key ring on return. */
export async function makeTestKeys(og: OrdergateApp): Promise<Pick<TestServer, 'classic' | 'other' | 'readOnly' | 'unified' | 'otherUnified'>> {
  const mk = async (uid: string, mode: 'classic' | 'unified', permission: 'read' | 'trade' = 'trade') => {
    const k = await createKey(og.store.keys, og.master, { uid, mode, permission, ips: [] });
    return { uid, apiKey: k.apiKey, secretKey: k.secretKey, passphrase: k.passphrase };
  };
  const classic = await mk('1001', 'classic');
  const other = await mk('1002', 'classic');
  const readOnly = await mk('1001', 'classic', 'read');
  const unified = await mk('2001', 'unified');
  const otherUnified = await mk('2002', 'unified');
  await og.keyring.refresh();
  return { classic, other, readOnly, unified, otherUnified };
}

/**
 * Starts an in-memory server (rate limits off unless `rateLimit: true`). With
 * ORDERGATE_TEST_STORE=postgres (and no explicit dbPath/databaseUrl override) the server runs
 * on a fresh PostgreSQL schema instead, dropped by close().
 */
export async function startTestServer(overrides: Partial<Config> = {}): Promise<TestServer> {
  const pgUrl =
    TEST_STORE === 'postgres' && overrides.dbPath === undefined && overrides.databaseUrl === undefined ? freshSchemaUrl() : undefined;
  const config: Config = {
    ...loadConfig({}),
    dbPath: ':memory:',
    databaseUrl: pgUrl,
    logLevel: 'silent',
    demoKeys: false,
    rateLimit: false,
    keyPollMs: 100,
    ...overrides,
  };
  const og = await createApp(config);
  const close = async () => {
    try {
      await og.close();
    } finally {
      if (pgUrl) await dropPostgresSchema(pgUrl);
    }
  };
  const { classic, other, readOnly, unified, otherUnified } = await makeTestKeys(og);
  return { og, classic, other, readOnly, unified, otherUnified, close };
}

/** Bitget signature: base64(HMAC-SHA256(secret, ts + METHOD + path + body)). */
export function signBitget(secret: string, ts: string, method: string, pathWithQuery: string, body: string): string {
  return createHmac('sha256', secret).update(ts + method.toUpperCase() + pathWithQuery + body).digest('base64');
}

/** Options of {@link call}. */
export interface CallOptions {
  /** Override or drop (undefined value) any header. */
  headers?: Record<string, string | undefined>;
  /** Send this exact body text instead of JSON.stringify(body). */
  rawBody?: string;
  /** Timestamp to sign with (default now). */
  timestamp?: string;
}

/** The parsed answer of a call. */
export interface CallResult<T = any> {
  status: number;
  body: { code: string; msg: string; requestTime: number; data: T };
  headers: Record<string, unknown>;
}

/**
 * Sends a signed request as a Bitget client would. `path` may carry a query string.
 * `key` undefined sends no auth headers (public endpoints).
 */
export async function call<T = any>(
  s: TestServer,
  key: TestKey | undefined,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  opts: CallOptions = {},
): Promise<CallResult<T>> {
  const text = opts.rawBody ?? (body === undefined ? '' : JSON.stringify(body));
  const ts = opts.timestamp ?? String(Date.now());
  const headers: Record<string, string> = { 'content-type': 'application/json', locale: 'en-US' };
  if (key) {
    headers['access-key'] = key.apiKey;
    headers['access-passphrase'] = key.passphrase;
    headers['access-timestamp'] = ts;
    headers['access-sign'] = signBitget(key.secretKey, ts, method, path, method === 'POST' ? text : '');
  }
  for (const [k, v] of Object.entries(opts.headers ?? {})) {
    if (v === undefined) delete headers[k.toLowerCase()];
    else headers[k.toLowerCase()] = v;
  }
  const res = await s.og.app.inject({ method, url: path, headers, ...(method === 'POST' && text !== '' ? { payload: text } : {}) });
  let parsed: any;
  try {
    parsed = JSON.parse(res.body);
  } catch {
    parsed = { raw: res.body };
  }
  return { status: res.statusCode, body: parsed, headers: res.headers };
}

/** Places `n` resting limit orders on futures BTCUSDT and returns their ids. */
export async function placeMix(s: TestServer, key: TestKey, n: number, extra: Record<string, string> = {}): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i += 50) {
    const orderList = Array.from({ length: Math.min(50, n - i) }, () => ({
      size: '0.01',
      price: '30000',
      side: 'buy',
      orderType: 'limit',
      force: 'gtc',
      ...extra,
    }));
    const r = await call(s, key, 'POST', '/api/v2/mix/order/batch-place-order', {
      symbol: 'BTCUSDT',
      productType: 'USDT-FUTURES',
      marginMode: 'crossed',
      marginCoin: 'USDT',
      orderList,
    });
    if (r.body.code !== '00000' || r.body.data.failureList.length) throw new Error(`placeMix failed: ${JSON.stringify(r.body)}`);
    ids.push(...r.body.data.successList.map((x: { orderId: string }) => x.orderId));
  }
  return ids;
}
