/**
 * Request parsing every dialect shares: case-insensitive enums, product types and categories,
 * order references, Bitget's optional receive window, list paging, and the refusal of
 * parameters ordergate does not implement.
 */
import { BitgetError, Errors, err } from '../../domain/errors.js';
import { isDecimalString } from '../../domain/decimal.js';
import type { Category, Force, OrderRef, OrderType, Side } from '../../domain/types.js';

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
/** Self-trade prevention modes (`stpMode`), the same in every dialect. */
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

/**
 * Refuses a place body (or batch item) that carries a field its schema does not declare:
 * ordergate never accepts a parameter and then ignores it (issue 9 item 8). The first unknown
 * field, in the body's own key order, is named.
 * @throws BitgetError 40017 "Parameter verification failed {field} is not supported by ordergate".
 */
export function refuseUnknownFields(body: object, known: ReadonlySet<string>): void {
  for (const k of Object.keys(body)) if (!known.has(k)) throw err(Errors.PARAM_NOT_SUPPORTED, k);
}

/** How an unsupported field's value is checked before it is refused. */
export type FieldCheck = 'price' | readonly string[];

/**
 * Refuses the Bitget parameters ordergate does not implement (trigger and preset TP/SL
 * fields), when present and non-empty. Each value is first checked as Bitget would (a price
 * must be a decimal string, an enum one of its values, any case), so a malformed value gets
 * the usual 40020; a well-formed one gets 40017 naming the field. Empty strings count as absent
 * (clients send `""` for "none").
 * @throws BitgetError 40020 "Parameter {field} error", 40017 "... {field} is not supported by ordergate".
 */
export function refuseUnsupported(body: Readonly<Record<string, unknown>>, fields: Readonly<Record<string, FieldCheck>>): void {
  for (const [field, check] of Object.entries(fields)) {
    const v = body[field];
    if (v === undefined || v === '') continue;
    if (check === 'price') {
      if (typeof v !== 'string' || !isDecimalString(v)) throw err(Errors.PARAM_ERROR, field);
    } else parseEnum(String(v), check, field);
    throw err(Errors.PARAM_NOT_SUPPORTED, field);
  }
}

/**
 * An optional ms time or id filter of a money list (`startTime`, `endTime`, `idLessThan`,
 * `cursor`): digits only. Returns undefined when absent or ''.
 * @throws BitgetError 40020 `Parameter <name> error` for anything else.
 */
export function optDigits(v: string | undefined, name: string): string | undefined {
  if (v === undefined || v === '') return undefined;
  if (!/^\d{1,20}$/.test(v)) throw err(Errors.PARAM_ERROR, name);
  return v;
}
