/**
 * Pieces every dialect shares: schema fragments, case-insensitive enum parsing, order
 * references, receive-window checks, and the two shapes of batch results (v2
 * successList/failureList, v3 per-item array).
 */
import { Type, type TSchema } from '@sinclair/typebox';
import { BitgetError, Errors, err } from '../../domain/errors.js';
import { div, isZero } from '../../domain/decimal.js';
import type { CancelOutcome, Category, Force, Order, OrderRef, OrderType, Side } from '../../domain/types.js';
import type { PlaceOutcome } from '../../engine/place.js';
import type { AuthRequirement } from '../auth.js';

/** A string field of at most `max` characters. */
export const Str = (max = 64) => Type.String({ maxLength: max });
/** An optional string field. */
export const OptStr = (max = 64) => Type.Optional(Type.String({ maxLength: max }));
/** A decimal-or-free string (validated by the engine so the error names the field). */
export const DecStr = () => Type.String({ maxLength: 40 });
/** A timestamp/window that clients send as string or number. */
export const OptNumLike = () => Type.Optional(Type.Union([Type.String({ maxLength: 20 }), Type.Number()]));
/** An order reference item `{orderId?, clientOid?}`. */
export const RefItem = Type.Object({ orderId: OptStr(), clientOid: OptStr() });
/** A list schema of at most `max` items. */
export const List = <T extends TSchema>(item: T, max: number) => Type.Array(item, { minItems: 1, maxItems: max });

/** Auth requirement helpers. */
export const classicTrade = (permissionName: string): AuthRequirement => ({ mode: 'classic', permission: 'trade', permissionName });
export const classicRead = (permissionName: string): AuthRequirement => ({ mode: 'classic', permission: 'read', permissionName });
export const unifiedTrade: AuthRequirement = { mode: 'unified', permission: 'trade', permissionName: 'UTA trade' };
export const unifiedRead: AuthRequirement = { mode: 'unified', permission: 'read', permissionName: 'UTA read' };

/**
 * Parses an enum value case-insensitively (ccxt sends `GTC`, docs show `usdt-futures`).
 * @returns the canonical (lower-case) value.
 * @throws BitgetError 40020 "Parameter {field} error".
 */
export function parseEnum<T extends string>(value: string | undefined, allowed: readonly T[], field: string): T {
  const v = value?.toLowerCase();
  const hit = allowed.find((a) => a === v);
  if (!hit) throw err(Errors.PARAM_ERROR, field);
  return hit;
}

/** Optional variant of {@link parseEnum}: `fallback` when absent or empty. */
export function parseEnumOr<T extends string>(value: string | undefined, allowed: readonly T[], field: string, fallback: T): T {
  return value === undefined || value === '' ? fallback : parseEnum(value, allowed, field);
}

export const SIDES: readonly Side[] = ['buy', 'sell'];
export const ORDER_TYPES: readonly OrderType[] = ['limit', 'market'];
export const FORCES: readonly Force[] = ['gtc', 'post_only', 'ioc', 'fok'];
/** Self-trade prevention modes (`stpMode`), the same in every family. */
export const STP_MODES = ['none', 'cancel_taker', 'cancel_maker', 'cancel_both'] as const;

const PRODUCT_TYPES: Record<string, Category> = {
  'usdt-futures': 'USDT-FUTURES',
  'coin-futures': 'COIN-FUTURES',
  'usdc-futures': 'USDC-FUTURES',
  // demo product types (reference §1.5): same books in ordergate
  'susdt-futures': 'USDT-FUTURES',
  'scoin-futures': 'COIN-FUTURES',
  'susdc-futures': 'USDC-FUTURES',
};

/** v2 `productType` (any case, demo S-types accepted) to a category. @throws 40020 */
export function parseProductType(v: string): Category {
  // own keys only: 'constructor' or '__proto__' must not resolve to Object.prototype members
  const c = Object.hasOwn(PRODUCT_TYPES, v.toLowerCase()) ? PRODUCT_TYPES[v.toLowerCase()] : undefined;
  if (!c) throw err(Errors.PARAM_ERROR, 'productType');
  return c;
}

const CATEGORY_NAMES: Record<string, Category> = {
  spot: 'SPOT',
  margin: 'MARGIN',
  'usdt-futures': 'USDT-FUTURES',
  'coin-futures': 'COIN-FUTURES',
  'usdc-futures': 'USDC-FUTURES',
};

/** v3 `category` (any case) to a category. @throws 40020 */
export function parseCategory(v: string): Category {
  const c = Object.hasOwn(CATEGORY_NAMES, v.toLowerCase()) ? CATEGORY_NAMES[v.toLowerCase()] : undefined;
  if (!c) throw err(Errors.PARAM_ERROR, 'category');
  return c;
}

/**
 * An order reference from `{orderId, clientOid}`: orderId wins, empty strings count as absent.
 * @throws BitgetError 40924 when neither is given.
 */
export function refOf(item: { orderId?: string; clientOid?: string; clientId?: string } | undefined): OrderRef {
  const orderId = item?.orderId || undefined;
  const clientOid = item?.clientOid || item?.clientId || undefined;
  if (!orderId && !clientOid) throw err(Errors.ORDER_REF_REQUIRED);
  return orderId ? { orderId, clientOid } : { clientOid };
}

/**
 * Bitget's optional request window (reference §1.4): when both `requestTime` and
 * `receiveWindow` (ms) are sent, the request must arrive within the window.
 * @throws BitgetError 40079 (window over 60 s), 40078 (outside the window), 40020 (not a number).
 */
export function checkReceiveWindow(requestTime: unknown, receiveWindow: unknown, now: number): void {
  const num = (v: unknown, f: string): number | undefined => {
    if (v === undefined || v === '') return undefined;
    const n = typeof v === 'number' ? v : /^\d{1,16}$/.test(String(v)) ? Number(v) : NaN;
    if (!Number.isFinite(n)) throw err(Errors.PARAM_ERROR, f);
    return n;
  };
  const rt = num(requestTime, 'requestTime');
  const rw = num(receiveWindow, 'receiveWindow');
  if (rw !== undefined && rw > 60_000) throw err(Errors.RECEIVE_WINDOW_TOO_LARGE);
  if (rt !== undefined && rw !== undefined && Math.abs(now - rt) > rw) throw err(Errors.RECEIVE_WINDOW_EXPIRED);
}

/** v2 batch result: `{successList:[{orderId,clientOid}], failureList:[{orderId,clientOid,errorMsg,errorCode}]}`. */
export interface V2BatchResult {
  successList: Array<{ orderId: string; clientOid: string }>;
  failureList: Array<{ orderId: string; clientOid: string; errorMsg: string; errorCode: string }>;
}

/** Splits outcomes (cancel or place) into Bitget v2's successList / failureList. */
export function toV2Batch(outcomes: ReadonlyArray<CancelOutcome | PlaceOutcome>): V2BatchResult {
  const r: V2BatchResult = { successList: [], failureList: [] };
  for (const o of outcomes) {
    if (o.ok) r.successList.push({ orderId: o.orderId, clientOid: o.clientOid });
    else r.failureList.push({ orderId: o.orderId, clientOid: o.clientOid, errorMsg: o.msg, errorCode: o.code });
  }
  return r;
}

/** v3 batch result item: `{orderId, clientOid}` on success, plus `code`/`msg` on failure. */
export type V3Item = { orderId: string; clientOid: string; code?: string; msg?: string };

/** Renders outcomes as v3's per-item array (request order kept). */
export function toV3Items(outcomes: ReadonlyArray<CancelOutcome | PlaceOutcome>): V3Item[] {
  return outcomes.map((o) =>
    o.ok ? { orderId: o.orderId, clientOid: o.clientOid } : { orderId: o.orderId, clientOid: o.clientOid, code: o.code, msg: o.msg },
  );
}

/**
 * Maps one batch-place item to a canonical command; a Bitget error in that item becomes the
 * item's own failure (partial success) instead of rejecting the whole request.
 */
export function perItem<I extends { clientOid?: string }, C>(item: I, toCommand: (item: I) => C): C | { error: BitgetError; clientOid: string } {
  try {
    return toCommand(item);
  } catch (e) {
    if (e instanceof BitgetError) return { error: e, clientOid: item.clientOid ?? '' };
    throw e;
  }
}

/** The one outcome of a single-order call, or its error thrown (request-level for singles). */
export function single(outcome: CancelOutcome | PlaceOutcome): { orderId: string; clientOid: string } {
  if (!outcome.ok) throw new BitgetError(outcome.code, outcome.msg, 400);
  return { orderId: outcome.orderId, clientOid: outcome.clientOid };
}

/** Average fill price of an order ('0' when nothing filled). */
export function avgPrice(o: Order): string {
  return isZero(o.filledSize) ? '0' : div(o.filledQuote, o.filledSize, 8);
}

/**
 * Parses list-query paging fields shared by the query endpoints.
 * @throws BitgetError 40020 for a malformed number.
 */
export function parsePaging(q: { limit?: string; startTime?: string; endTime?: string; idLessThan?: string }): {
  limit: number;
  startTime?: number;
  endTime?: number;
  idLessThan?: string;
} {
  const int = (v: string | undefined, f: string): number | undefined => {
    if (v === undefined || v === '') return undefined;
    if (!/^\d{1,16}$/.test(v)) throw err(Errors.PARAM_ERROR, f);
    return Number(v);
  };
  const limit = int(q.limit, 'limit') ?? 100;
  if (limit < 1 || limit > 100) throw err(Errors.PARAM_ERROR, 'limit');
  const raw = q.idLessThan || undefined;
  if (raw !== undefined && !/^\d{1,20}$/.test(raw)) throw err(Errors.PARAM_ERROR, 'idLessThan');
  // Stores compare order ids as text and every id is 19 digits: pad a shorter bound so the
  // comparison stays numeric ("5" is below every id); a longer one is above every id.
  const digits = raw?.replace(/^0+(?=\d)/, '');
  const idLessThan = digits === undefined || digits.length > 19 ? undefined : digits.padStart(19, '0');
  return { limit, startTime: int(q.startTime, 'startTime'), endTime: int(q.endTime, 'endTime'), idLessThan };
}

/** Query-string schema of list endpoints (all strings, as a query is). */
export const PagingQuery = {
  symbol: OptStr(),
  startTime: OptStr(20),
  endTime: OptStr(20),
  idLessThan: OptStr(20),
  limit: OptStr(4),
  orderId: OptStr(),
  clientOid: OptStr(),
};
