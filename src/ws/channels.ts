/**
 * The channel catalogue: which subscribe args exist, which are private, which ordergate serves
 * now, and which subscription keys an order change reaches (research-venue.md §1.4-1.6,
 * reference §6.2-6.3).
 *
 * Served now (private, pushed from the event stream, no push on subscribe, as Bitget):
 * - v2 `orders`, instType SPOT | USDT-FUTURES | COIN-FUTURES | USDC-FUTURES, instId `default`
 *   (every symbol) or one symbol of the catalogue;
 * - v2 `orders-crossed` / `orders-isolated`, instType MARGIN, instId `default` or a symbol;
 * - v3 `order`, instType UTA.
 * Declared but not yet served (subscribing answers 30001 naming the channel, never a silent
 * ack): v2 `fill`, `account`, `account-crossed`, `account-isolated`, `positions`, `orders-algo`,
 * `positions-history` and the public `ticker`, `trade`, `books*`, `candle*`; v3 `account`,
 * `position`, `fill`, `strategy-order` and the public `ticker`, `kline`, `books*`, `publicTrade`.
 */
import type { Category, MarginMode, Order } from '../domain/types.js';
import { FUTURES_CATEGORIES } from '../domain/types.js';
import type { Catalogue } from '../markets/catalogue.js';
import { WsErrors, wsFail, type WsFailure } from './codes.js';

/** Which API generation a path serves: /v2/ws/* or /v3/ws/*. */
export type Family = 'v2' | 'v3';

/** Which push renderer a served channel uses. */
export type Dialect = 'spot' | 'mix' | 'margin' | 'uta';

/** A served subscription: its key (without the UID), the arg pushes carry, its renderer. */
export interface ServedChannel {
  /** e.g. `v2|orders|SPOT|default`, `v3|order|UTA`. */
  key: string;
  /** The canonical arg echoed in every push of this subscription. */
  pushArg: Record<string, string>;
  dialect: Dialect;
}

/** What a subscribe arg names. */
export type Resolved =
  | { kind: 'served'; private: true; channel: ServedChannel }
  | { kind: 'unserved'; private: boolean; failure: WsFailure }
  | { kind: 'error'; private: boolean; failure: WsFailure };

const V2_ORDER_TYPES = ['SPOT', 'USDT-FUTURES', 'COIN-FUTURES', 'USDC-FUTURES'] as const;
const V2_PRIVATE_UNSERVED = new Set(['fill', 'account', 'account-crossed', 'account-isolated', 'positions', 'orders-algo', 'positions-history']);
const V2_PUBLIC = new Set(['ticker', 'trade', 'books', 'books1', 'books5', 'books15']);
const V3_PRIVATE_UNSERVED = new Set(['account', 'position', 'fill', 'strategy-order']);
const V3_PUBLIC = new Set(['ticker', 'kline', 'books', 'books1', 'books5', 'books50', 'publicTrade']);

const s = (v: unknown): string => (typeof v === 'string' ? v : v === undefined ? 'undefined' : JSON.stringify(v));

function describe(a: Record<string, unknown>): string {
  const parts = [`instType:${s(a.instType)}`];
  if ('channel' in a) parts.push(`channel:${s(a.channel)}`);
  if ('topic' in a) parts.push(`topic:${s(a.topic)}`);
  if ('instId' in a) parts.push(`instId:${s(a.instId)}`);
  if ('symbol' in a) parts.push(`symbol:${s(a.symbol)}`);
  if ('coin' in a) parts.push(`coin:${s(a.coin)}`);
  return parts.join(',');
}

const notExist = (a: Record<string, unknown>, priv: boolean): Resolved => ({
  kind: 'error',
  private: priv,
  failure: wsFail(WsErrors.CHANNEL_NOT_EXIST, `${describe(a)} doesn't exist`),
});
const unserved = (a: Record<string, unknown>, priv: boolean): Resolved => ({
  kind: 'unserved',
  private: priv,
  failure: wsFail(WsErrors.CHANNEL_NOT_EXIST, `${describe(a)} is not yet served by ordergate`),
});

/** `default`, or a symbol the catalogue lists in `category`. */
function instIdOk(instId: unknown, category: Category, catalogue: Catalogue): instId is string {
  return typeof instId === 'string' && (instId === 'default' || catalogue.get(category, instId) !== undefined);
}

/**
 * Resolves one subscribe/unsubscribe arg on a `family` path.
 * Errors (all 30001 but a missing/unknown instId, 30016): an unknown channel or instType;
 * a v3 topic on a v2 path or the reverse; a declared channel not yet served.
 */
export function resolveArg(family: Family, arg: unknown, catalogue: Catalogue): Resolved {
  if (typeof arg !== 'object' || arg === null || Array.isArray(arg)) {
    return { kind: 'error', private: false, failure: wsFail(WsErrors.PARAM_ERROR) };
  }
  const a = arg as Record<string, unknown>;
  if (family === 'v2') {
    const ch = a.channel;
    if (typeof ch !== 'string') return notExist(a, false);
    if (ch === 'orders') {
      const t = V2_ORDER_TYPES.find((x) => x === a.instType);
      if (!t) return notExist(a, true);
      if (!instIdOk(a.instId, t, catalogue)) return { kind: 'error', private: true, failure: wsFail(WsErrors.PARAM_ERROR, `Param error: instId ${s(a.instId)}`) };
      return served(`v2|orders|${t}|${a.instId}`, { instType: t, channel: 'orders', instId: a.instId }, t === 'SPOT' ? 'spot' : 'mix');
    }
    if (ch === 'orders-crossed' || ch === 'orders-isolated') {
      if (a.instType !== 'MARGIN') return notExist(a, true);
      if (!instIdOk(a.instId, 'MARGIN', catalogue)) return { kind: 'error', private: true, failure: wsFail(WsErrors.PARAM_ERROR, `Param error: instId ${s(a.instId)}`) };
      return served(`v2|${ch}|MARGIN|${a.instId}`, { instType: 'MARGIN', channel: ch, instId: a.instId }, 'margin');
    }
    if (V2_PRIVATE_UNSERVED.has(ch)) return unserved(a, true);
    if (V2_PUBLIC.has(ch) || /^candle\w+$/.test(ch)) return unserved(a, false);
    return notExist(a, false);
  }
  const topic = a.topic;
  if (typeof topic !== 'string') return notExist(a, false);
  if (topic === 'order') {
    if (a.instType !== 'UTA') return notExist(a, true);
    return served('v3|order|UTA', { instType: 'UTA', topic: 'order' }, 'uta');
  }
  if (V3_PRIVATE_UNSERVED.has(topic)) return a.instType === 'UTA' ? unserved(a, true) : notExist(a, true);
  if (V3_PUBLIC.has(topic)) return unserved(a, false);
  return notExist(a, false);
}

function served(key: string, pushArg: Record<string, string>, dialect: Dialect): Resolved {
  return { kind: 'served', private: true, channel: { key, pushArg, dialect } };
}

/**
 * Every subscription key (without the UID) an order change reaches, with its push arg and
 * renderer: the v2 channel of the order's product line for `default` and for its symbol, and
 * v3 `order`. (Only one family can match a UID's connections: a classic UID logs in on v2 paths
 * only, a unified UID on v3 paths only.)
 */
export function orderChannels(o: Order): ServedChannel[] {
  const out: ServedChannel[] = [];
  const v2 = (channel: string, instType: string, dialect: Dialect) => {
    for (const instId of ['default', o.symbol]) {
      out.push({ key: `v2|${channel}|${instType}|${instId}`, pushArg: { instType, channel, instId }, dialect });
    }
  };
  if (o.category === 'SPOT') v2('orders', 'SPOT', 'spot');
  else if (o.category === 'MARGIN') v2(`orders-${(o.marginMode ?? 'crossed') as MarginMode}`, 'MARGIN', 'margin');
  else if ((FUTURES_CATEGORIES as readonly string[]).includes(o.category)) v2('orders', o.category, 'mix');
  out.push({ key: 'v3|order|UTA', pushArg: { instType: 'UTA', topic: 'order' }, dialect: 'uta' });
  return out;
}
