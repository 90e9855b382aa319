/**
 * Shared setup of the client tests: a real listening ordergate (createApp via
 * startTestServer), clients for its keys, and resting orders placed straight through the
 * engine (setup is not what these tests measure).
 */
import type { Category, MarginMode } from '../../src/domain/types.js';
import type { Dialect } from '../../src/engine/policy.js';
import { BitgetClient, type ClientOptions } from '../../src/client/index.js';
import { startTestServer, type TestKey, type TestServer } from '../helpers.js';

/** A listening test server and its base URL. */
export interface LiveServer extends TestServer {
  baseUrl: string;
}

/** Starts a listening server on a free loopback port (rate limits ON unless told). */
export async function startLive(overrides: Parameters<typeof startTestServer>[0] = {}): Promise<LiveServer> {
  const s = await startTestServer({ rateLimit: true, ...overrides });
  const baseUrl = await s.og.app.listen({ port: 0, host: '127.0.0.1' });
  return { ...s, baseUrl };
}

/** A client for `key` on `s`. */
export function clientFor(s: LiveServer, key: TestKey, extra: Partial<ClientOptions> = {}): BitgetClient {
  return new BitgetClient({ baseUrl: s.baseUrl, apiKey: key.apiKey, secretKey: key.secretKey, passphrase: key.passphrase, ...extra });
}

/** One resting order placed by {@link seed}. */
export interface Seeded {
  category: Category;
  marginMode?: MarginMode;
  symbol: string;
  orderId: string;
  clientOid: string;
}

const MARGIN_COIN: Record<string, string> = { BTCUSDT: 'USDT', ETHUSDT: 'USDT', BTCUSD: 'BTC', ETHUSD: 'ETH', BTCPERP: 'USDC' };

/**
 * Places `n` resting limit buys for `key`'s UID through the engine.
 * `unified` selects the v3 family (only the key's account mode matters to the server).
 */
export async function seed(
  s: TestServer,
  key: TestKey,
  unified: boolean,
  category: Category,
  symbol: string,
  n: number,
  marginMode?: MarginMode,
): Promise<Seeded[]> {
  const futures = category.endsWith('FUTURES');
  const family: Dialect = unified ? 'uta' : category === 'SPOT' ? 'spot' : category === 'MARGIN' ? 'margin' : 'mix';
  const tag = `${unified ? 'u' : 'c'}${category.slice(0, 2)}${marginMode?.[0] ?? ''}${symbol}`;
  const out: Seeded[] = [];
  for (let i = 0; i < n; i += 250) {
    const cmds = Array.from({ length: Math.min(250, n - i) }, (_, k) => ({
      uid: key.uid,
      category,
      marginMode: category === 'MARGIN' ? (marginMode ?? 'crossed') : futures ? ('crossed' as const) : null,
      symbol,
      side: 'buy' as const,
      orderType: 'limit' as const,
      force: 'gtc' as const,
      price: '100',
      size: futures ? '0.1' : '1',
      clientOid: `${tag}-${i + k}`,
      ...(futures ? { marginCoin: MARGIN_COIN[symbol] } : {}),
    }));
    const res = await s.og.engine.place(family, cmds);
    res.forEach((r, k) => {
      if (!r.ok) throw new Error(`seed failed: ${r.code} ${r.msg}`);
      out.push({ category, ...(category === 'MARGIN' ? { marginMode: cmds[k].marginMode as MarginMode } : {}), symbol, orderId: r.orderId, clientOid: r.clientOid });
    });
  }
  return out;
}

/** Open orders of `uid` in the store (all categories). */
export async function openCount(s: TestServer, uid: string): Promise<number> {
  let n = 0;
  let idLessThan: string | undefined;
  for (;;) {
    const page = await s.og.engine.listOrders({ uid, categories: ['SPOT', 'MARGIN', 'USDT-FUTURES', 'COIN-FUTURES', 'USDC-FUTURES'], open: true, limit: 100, idLessThan });
    n += page.length;
    if (page.length < 100) return n;
    idLessThan = page[page.length - 1].orderId;
  }
}
