/**
 * Pieces shared by the bench runner, the server child and the load child: deterministic bench
 * credentials (so no secret ever crosses a process boundary), the order-id plan, and the
 * request builders of each benchmarked dialect.
 *
 * Id plan: every seeded order gets id `'11' + n` (n zero-padded to 17 digits, so 19 digits in
 * all, like Bitget's ids). A batch of seeded orders is `{start, perUid, uids}`: order k (0-based)
 * of UID index u has n = start + k * uids + u, i.e. the orders of one UID are interleaved with
 * everyone else's, as time-ordered ids of many bots would be.
 */
import { createHash, createHmac } from 'node:crypto';

/** UIDs of classic bench accounts: `9100000000 + i`. */
export const classicUid = (i: number): string => String(9_100_000_000 + i);
/** UIDs of unified bench accounts: `9200000000 + i`. */
export const unifiedUid = (i: number): string => String(9_200_000_000 + i);
/** The one UID whose 100,000 orders the cancel-all scenario cancels. */
export const CANCEL_ALL_UID = '9300000000';

/** The passphrase of every bench key. */
export const BENCH_PASSPHRASE = 'BenchPassphrase1';

/** Deterministic bench credentials of `uid` (bench only: never used for a real account). */
export function benchKey(uid: string): { uid: string; apiKey: string; secretKey: string; passphrase: string } {
  const h = createHash('sha256').update(`ordergate-bench:${uid}`).digest('hex');
  return { uid, apiKey: `bg_${h.slice(0, 32)}`, secretKey: createHash('sha256').update(h).digest('hex'), passphrase: BENCH_PASSPHRASE };
}

/** The 19-digit order id of sequence number n (0 <= n < 10^17). */
export const orderIdOf = (n: number): string => `11${String(n).padStart(17, '0')}`;

/** Orders seeded for a run: see the module header. */
export interface IdPlan {
  start: number;
  perUid: number;
  uids: number;
}

/** Which account family and order shape a scenario cancels. */
export type Dialect = 'mix' | 'v3' | 'spot' | 'bare';

/** Static description of one benchmarked request type. */
export interface DialectSpec {
  path: string;
  /** Orders per request. */
  batch: number;
  /** Account mode of the UIDs. */
  mode: 'classic' | 'unified';
  /** Category, symbol, margin fields of the seeded orders. */
  category: 'USDT-FUTURES' | 'SPOT';
  marginMode: 'crossed' | null;
  marginCoin: 'USDT' | null;
  symbol: string;
  /** Request body for these order ids. */
  body(ids: string[]): string;
  /** Successful cancels in a response body (undefined when it is not a success envelope). */
  successes(body: string): number | undefined;
}

/** Occurrences of `needle` in `s` between `from` and `to` (a cheap scan instead of JSON.parse). */
function countBetween(s: string, needle: string, from: number, to: number): number {
  let n = 0;
  for (let i = s.indexOf(needle, from); i >= 0 && i < to; i = s.indexOf(needle, i + needle.length)) n++;
  return n;
}

const isSuccessEnvelope = (body: string): boolean => body.startsWith('{"code":"00000"');

/** Successful items of a v2 `{successList, failureList}` reply (undefined: not a success envelope). */
function v2Successes(body: string): number | undefined {
  if (!isSuccessEnvelope(body)) return undefined;
  const s = body.indexOf('"successList"');
  if (s < 0) return undefined;
  let f = body.indexOf('"failureList"', s);
  if (f < 0) f = body.length;
  return countBetween(body, '"orderId"', s, f);
}

/** Successful items of a v3 per-item array reply: items without an error `code` (20 items: parsing is cheap). */
function v3Successes(body: string): number | undefined {
  if (!isSuccessEnvelope(body)) return undefined;
  const j = JSON.parse(body) as { data?: Array<{ code?: string }> };
  if (!Array.isArray(j.data)) return undefined;
  let n = 0;
  for (const it of j.data) if (!it.code || it.code === '00000') n++;
  return n;
}

/** The dialects the bench drives; `bare` sends mix's request to the bare node:http server. */
export const DIALECTS: Record<Dialect, DialectSpec> = {
  mix: {
    path: '/api/v2/mix/order/batch-cancel-orders',
    batch: 50,
    mode: 'classic',
    category: 'USDT-FUTURES',
    marginMode: 'crossed',
    marginCoin: 'USDT',
    symbol: 'BTCUSDT',
    body: (ids) =>
      JSON.stringify({ symbol: 'BTCUSDT', productType: 'USDT-FUTURES', marginCoin: 'USDT', orderIdList: ids.map((orderId) => ({ orderId })) }),
    successes: v2Successes,
  },
  bare: {
    path: '/api/v2/mix/order/batch-cancel-orders',
    batch: 50,
    mode: 'classic',
    category: 'USDT-FUTURES',
    marginMode: 'crossed',
    marginCoin: 'USDT',
    symbol: 'BTCUSDT',
    body: (ids) =>
      JSON.stringify({ symbol: 'BTCUSDT', productType: 'USDT-FUTURES', marginCoin: 'USDT', orderIdList: ids.map((orderId) => ({ orderId })) }),
    successes: (body) => (isSuccessEnvelope(body) ? 0 : undefined),
  },
  v3: {
    path: '/api/v3/trade/cancel-batch',
    batch: 20,
    mode: 'unified',
    category: 'USDT-FUTURES',
    marginMode: 'crossed',
    marginCoin: 'USDT',
    symbol: 'BTCUSDT',
    body: (ids) => JSON.stringify(ids.map((orderId) => ({ orderId, category: 'USDT-FUTURES', symbol: 'BTCUSDT' }))),
    successes: v3Successes,
  },
  spot: {
    path: '/api/v2/spot/trade/batch-cancel-order',
    batch: 50,
    mode: 'classic',
    category: 'SPOT',
    marginMode: null,
    marginCoin: null,
    symbol: 'BTCUSDT',
    body: (ids) => JSON.stringify({ batchMode: 'multiple', orderList: ids.map((orderId) => ({ symbol: 'BTCUSDT', orderId })) }),
    successes: v2Successes,
  },
};

/** Bitget signature: base64(HMAC-SHA256(secret, timestamp + METHOD + path + body)). */
export function sign(secretKey: string, ts: string, method: string, path: string, body: string): string {
  return createHmac('sha256', secretKey).update(ts + method + path + body).digest('base64');
}

/** Signed headers of a POST of `body` to `path`. */
export function signedHeaders(key: { apiKey: string; secretKey: string; passphrase: string }, path: string, body: string): Record<string, string> {
  const ts = String(Date.now());
  return {
    'content-type': 'application/json',
    locale: 'en-US',
    'access-key': key.apiKey,
    'access-passphrase': key.passphrase,
    'access-timestamp': ts,
    'access-sign': sign(key.secretKey, ts, 'POST', path, body),
  };
}

/** Median of a non-empty list. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** A command sent to a bench child over IPC (`cmd` picks the handler; `id` pairs the answer). */
export type ChildMessage = { id: number; cmd: string; [k: string]: unknown };

/**
 * A bench child's IPC loop: each message runs `handlers[cmd]` and answers
 * `{id, ok, result | error}`; the child exits when its parent disconnects, and says `ready` (id 0).
 */
export function serveCommands(handlers: Record<string, (m: ChildMessage) => unknown>): void {
  process.on('message', (m: ChildMessage) => {
    Promise.resolve()
      .then(() => {
        const h = handlers[m.cmd];
        if (!h) throw new Error(`unknown command ${m.cmd}`);
        return h(m);
      })
      .then(
        (result) => process.send?.({ id: m.id, ok: true, result }),
        (e: unknown) => process.send?.({ id: m.id, ok: false, error: e instanceof Error ? e.message : String(e) }),
      );
  });
  process.on('disconnect', () => process.exit(0));
  process.send?.({ id: 0, ok: true, result: 'ready' });
}
