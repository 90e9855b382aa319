/**
 * The channel catalogue: which subscribe args exist, which are private, which ordergate serves
 * now, and which subscription keys an order change reaches (research-venue.md §1.4-1.6,
 * reference §6.2-6.3).
 *
 * Served now (private, pushed from the event stream, no push on subscribe, as Bitget):
 * - v2 `orders` and `fill`, instType SPOT | USDT-FUTURES | COIN-FUTURES | USDC-FUTURES, instId
 *   `default` (every symbol) or one symbol of the catalogue;
 * - v2 `orders-crossed` / `orders-isolated`, instType MARGIN, instId `default` or a symbol;
 * - v3 `order` and `fill`, instType UTA.
 * Served with a snapshot on subscribe and after every change (src/ws/money.ts):
 * - v2 `account` (SPOT or a futures instType, coin `default`), `account-crossed` /
 *   `account-isolated` (MARGIN, coin `default`), `positions` (futures, instId `default`);
 * - v3 `account`, `position` (UTA).
 * Declared but not yet served (subscribing answers 30001 naming the channel, never a silent
 * ack): v2 `orders-algo`, `positions-history` and the public `ticker`, `trade`, `books*`, `candle*`; v3 `strategy-order` and the public `ticker`, `kline`, `books*`, `publicTrade`.
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
  /** True for a store-read snapshot channel (`account*`, `positions`, v3 `account`/`position`): pushed on subscribe. */
  snapshot?: boolean;
}

/** What a subscribe arg names. */
export type Resolved =
  | { kind: 'served'; private: true; channel: ServedChannel }
  | { kind: 'unserved'; private: boolean; failure: WsFailure }
  | { kind: 'error'; private: boolean; failure: WsFailure };

const V2_ORDER_TYPES = ['SPOT', 'USDT-FUTURES', 'COIN-FUTURES', 'USDC-FUTURES'] as const;
const V2_PRIVATE_UNSERVED = new Set(['orders-algo', 'positions-history']);
const V2_FUTURES_TYPES = ['USDT-FUTURES', 'COIN-FUTURES', 'USDC-FUTURES'] as const;
const V2_PUBLIC = new Set(['ticker', 'trade', 'books', 'books1', 'books5', 'books15']);
const V3_PRIVATE_UNSERVED = new Set(['strategy-order']);
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
    if (ch === 'fill') {
      const t = V2_ORDER_TYPES.find((x) => x === a.instType);
      if (!t) return notExist(a, true);
      if (!instIdOk(a.instId, t, catalogue)) return { kind: 'error', private: true, failure: wsFail(WsErrors.PARAM_ERROR, `Param error: instId ${s(a.instId)}`) };
      return served(`v2|fill|${t}|${a.instId}`, { instType: t, channel: 'fill', instId: a.instId }, t === 'SPOT' ? 'spot' : 'mix');
    }
    if (ch === 'account' || ch === 'account-crossed' || ch === 'account-isolated') {
      const t = ch === 'account' ? V2_ORDER_TYPES.find((x) => x === a.instType) : a.instType === 'MARGIN' ? 'MARGIN' : undefined;
      if (!t) return notExist(a, true);
      // Bitget serves only coin `default` (ccxt and the SDK send it)
      if ((a.coin ?? 'default') !== 'default') return { kind: 'error', private: true, failure: wsFail(WsErrors.PARAM_ERROR, `Param error: coin ${s(a.coin)}`) };
      return served(`v2|${ch}|${t}|default`, { instType: t, channel: ch, coin: 'default' }, t === 'SPOT' ? 'spot' : t === 'MARGIN' ? 'margin' : 'mix', true);
    }
    if (ch === 'positions') {
      const t = V2_FUTURES_TYPES.find((x) => x === a.instType);
      if (!t) return notExist(a, true);
      // Bitget serves only instId `default`
      if ((a.instId ?? 'default') !== 'default') return { kind: 'error', private: true, failure: wsFail(WsErrors.PARAM_ERROR, `Param error: instId ${s(a.instId)}`) };
      return served(`v2|positions|${t}|default`, { instType: t, channel: 'positions', instId: 'default' }, 'mix', true);
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
  if (topic === 'fill' || topic === 'account' || topic === 'position') {
    if (a.instType !== 'UTA') return notExist(a, true);
    return served(`v3|${topic}|UTA`, { instType: 'UTA', topic }, 'uta', topic !== 'fill');
  }
  if (V3_PRIVATE_UNSERVED.has(topic)) return a.instType === 'UTA' ? unserved(a, true) : notExist(a, true);
  if (V3_PUBLIC.has(topic)) return unserved(a, false);
  return notExist(a, false);
}

function served(key: string, pushArg: Record<string, string>, dialect: Dialect, snapshot = false): Resolved {
  return { kind: 'served', private: true, channel: snapshot ? { key, pushArg, dialect, snapshot } : { key, pushArg, dialect } };
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
