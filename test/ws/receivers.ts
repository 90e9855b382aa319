/**
 * The real, unchanged clients as push receivers for the end-to-end tests: the bitget-api
 * SDK's WebsocketClientV2 / WebsocketClientV3 (`wsUrl`), and ccxt pro's `watchOrders` looped
 * as a bot loops it (classic or unified via `options.uta`, after `loadHttpProxyAgent()`).
 *
 * Each receiver keeps `items`: every order push item the client handed over, in arrival order
 * (for ccxt, the raw message its own `handleOrder` processed, observed by wrapping the method
 * on the instance, plus `parsed`: what `watchOrders` resolved with). Reconnects are counted.
 */
import { WebsocketClientV2, WebsocketClientV3 } from 'bitget-api';
import ccxt from 'ccxt';
import type { TestKey } from '../helpers.js';
import { until } from './helpers.js';

const REST_KEYS = ['spot', 'mix', 'user', 'p2p', 'broker', 'margin', 'common', 'tax', 'convert', 'copy', 'earn', 'uta'];
const silent = { trace: () => undefined, info: () => undefined, error: () => undefined };

/** A client receiving order pushes. */
export interface Receiver {
  /** Push items in arrival order. */
  items: any[];
  /** Subscribe acks seen (one per (re)subscription). */
  acks: number;
  /** Times the client reported a reconnect (SDK `reconnected`; ccxt: a watch that failed and was re-sent). */
  reconnects: number;
  /** Logins seen (SDK `authenticated`). */
  logins: number;
  /** Closes the client. */
  close(): Promise<void>;
}

/** `ws://127.0.0.1:PORT` of a base URL. */
const wsOf = (baseUrl: string) => baseUrl.replace(/^http/, 'ws');

/** bitget-api WebsocketClientV2 subscribed to `channel` of `instType`; resolves once acked. */
export async function sdkV2(baseUrl: string, k: TestKey, instType: string, channel: string): Promise<Receiver> {
  const ws = new WebsocketClientV2({ apiKey: k.apiKey, apiSecret: k.secretKey, apiPass: k.passphrase, wsUrl: `${wsOf(baseUrl)}/v2/ws/private` }, silent);
  const r: Receiver = { items: [], acks: 0, reconnects: 0, logins: 0, close: async () => void ws.closeAll(true) };
  ws.on('update', (e: any) => {
    if (e.arg?.channel === channel) r.items.push(...e.data);
  });
  ws.on('response', (e: any) => {
    if (e.event === 'subscribe') r.acks++;
  });
  ws.on('authenticated', () => r.logins++);
  ws.on('reconnected', () => r.reconnects++);
  ws.subscribeTopic(instType as any, channel as any);
  await until(() => r.acks > 0, 20_000);
  return r;
}

/** bitget-api WebsocketClientV3 subscribed to the UTA `order` topic; resolves once acked. */
export async function sdkV3(baseUrl: string, k: TestKey): Promise<Receiver> {
  const ws = new WebsocketClientV3({ apiKey: k.apiKey, apiSecret: k.secretKey, apiPass: k.passphrase, wsUrl: `${wsOf(baseUrl)}/v3/ws/private` }, silent);
  const r: Receiver = { items: [], acks: 0, reconnects: 0, logins: 0, close: async () => void ws.closeAll(true) };
  ws.on('update', (e: any) => {
    if (e.arg?.topic === 'order') r.items.push(...e.data);
  });
  ws.on('response', (e: any) => {
    if (e.event === 'subscribe') r.acks++;
  });
  ws.on('authenticated', () => r.logins++);
  ws.on('reconnected', () => r.reconnects++);
  ws.subscribe({ topic: 'order', payload: { instType: 'UTA' } }, 'v3Private');
  await until(() => r.acks > 0, 20_000);
  return r;
}

/** A ccxt pro bitget client on ordergate (REST and the four WS URLs). */
export function proClient(baseUrl: string, k: TestKey, uta: boolean): InstanceType<typeof ccxt.pro.bitget> {
  const ws = wsOf(baseUrl);
  const urls = { public: `${ws}/v2/ws/public`, private: `${ws}/v2/ws/private`, utaPublic: `${ws}/v3/ws/public`, utaPrivate: `${ws}/v3/ws/private` };
  return new ccxt.pro.bitget({
    apiKey: k.apiKey,
    secret: k.secretKey,
    password: k.passphrase,
    urls: { api: { ...Object.fromEntries(REST_KEYS.map((key) => [key, baseUrl])), ws: urls } },
    options: { uta },
    enableRateLimit: false,
  });
}

/** ccxt pro receiver: also what watchOrders resolved with, and the exchange (for REST). */
export interface ProReceiver extends Receiver {
  parsed: any[];
  ex: InstanceType<typeof ccxt.pro.bitget>;
  /** Errors watchOrders rejected with (a dropped connection rejects the pending watch). */
  errors: unknown[];
}

/**
 * ccxt pro `watchOrders(symbol)` looped as a bot loops it (a rejected watch is re-sent, which
 * reconnects, logs in and re-subscribes). Resolves once ccxt handled the subscribe ack (ccxt
 * gives the caller no ack: observed by wrapping its `handleSubscriptionStatus`).
 */
export async function ccxtPro(baseUrl: string, k: TestKey, uta: boolean, symbol: string): Promise<ProReceiver> {
  const ex = proClient(baseUrl, k, uta);
  await ex.loadHttpProxyAgent(); // ccxt refuses ws:// URLs until this ran
  await ex.loadMarkets();
  let stopped = false;
  const r: ProReceiver = {
    items: [],
    parsed: [],
    errors: [],
    acks: 0,
    reconnects: 0,
    logins: 0,
    ex,
    close: async () => {
      stopped = true;
      await ex.close();
    },
  };
  const original = (ex as any).handleOrder;
  (ex as any).handleOrder = function (client: unknown, message: any) {
    r.items.push(...(message.data ?? []));
    return original.call(this, client, message);
  };
  const status = (ex as any).handleSubscriptionStatus;
  (ex as any).handleSubscriptionStatus = function (client: unknown, message: any) {
    r.acks++;
    return status.call(this, client, message);
  };
  const login = (ex as any).handleAuthenticate;
  if (typeof login === 'function') {
    (ex as any).handleAuthenticate = function (client: unknown, message: any) {
      r.logins++;
      return login.call(this, client, message);
    };
  }
  void (async () => {
    while (!stopped) {
      try {
        // copies: ccxt updates its cached order objects in place
        r.parsed.push(...(await ex.watchOrders(symbol)).map((o) => ({ ...o, info: { ...o.info } })));
      } catch (e) {
        if (stopped) break;
        r.errors.push(e);
        r.reconnects++;
        await new Promise((res) => setTimeout(res, 100));
      }
    }
  })();
  await until(() => r.acks > 0, 20_000);
  return r;
}
