/**
 * The dialects as seen from the client: how each dialect spells a place / cancel / query
 * request and its answer (reference §4.1-4.6, seed pages 000-004), mapped to and from the
 * client's one shape (types.ts).
 */
import { ClientUsageError } from './errors.js';
import type { Dialect } from './endpoints.js';
import type { QueryParams } from './signing.js';
import type { BatchResult, CancelRef, Category, MarginMode, OrderInfo, OrderStatus, PlaceOrderRequest } from './types.js';

/** One per-item outcome as a batch endpoint reports it. */
export interface ItemOutcome {
  ok: boolean;
  orderId: string;
  clientOid: string;
  code?: string;
  msg?: string;
}

const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));

/** `{orderId}` when given (orderId wins), else `{clientOid}`. */
export function refFields(ref: { orderId?: string; clientOid?: string }): { orderId: string } | { clientOid: string } {
  if (ref.orderId) return { orderId: ref.orderId };
  if (ref.clientOid) return { clientOid: ref.clientOid };
  throw new ClientUsageError('an order reference needs orderId or clientOid');
}

/** Futures margin coin default: USDT-/USDC-FUTURES settle in USDT/USDC, COIN-FUTURES in the base coin. */
export function defaultMarginCoin(category: Category, symbol: string): string {
  if (category === 'USDT-FUTURES') return 'USDT';
  if (category === 'USDC-FUTURES') return 'USDC';
  return symbol.toUpperCase().replace(/(USD|PERP)$/, '');
}

/** Body of a single cancel (`cancel-order`) for `dialect`. */
export function cancelOneBody(dialect: Dialect, category: Category, ref: CancelRef): Record<string, unknown> {
  const id = refFields(ref);
  switch (dialect) {
    case 'mix':
      return { symbol: ref.symbol, productType: category, ...(ref.marginCoin ? { marginCoin: ref.marginCoin } : {}), ...id };
    case 'uta':
      return { category, ...(ref.symbol ? { symbol: ref.symbol } : {}), ...id };
    default:
      return { symbol: ref.symbol, ...id };
  }
}

/**
 * Body of a batch cancel of `refs` (all on `symbol` for v2 dialects; any symbols for v3).
 * Spot: `{symbol, orderList}`; margin: `{symbol, orderIdList}`; mix: `{symbol, productType,
 * marginCoin?, orderIdList}`; v3: a bare array `[{orderId|clientOid, category, symbol}]`.
 */
export function cancelBatchBody(dialect: Dialect, category: Category, refs: readonly CancelRef[]): unknown {
  if (dialect === 'uta') return refs.map((r) => ({ ...refFields(r), category, symbol: r.symbol }));
  const symbol = refs[0].symbol;
  const list = refs.map((r) => refFields(r));
  if (dialect === 'spot') return { symbol, orderList: list };
  if (dialect === 'mix') {
    const marginCoin = refs[0].marginCoin;
    return { symbol, productType: category, ...(marginCoin ? { marginCoin } : {}), orderIdList: list };
  }
  return { symbol, orderIdList: list };
}

/** A v3 item succeeded when it carries no code, or code "00000"/"0". */
const v3ok = (code: unknown): boolean => code === undefined || code === null || code === '' || code === '00000' || code === '0' || code === 0;

/**
 * Per-item outcomes of a batch cancel/place answer: v2 `{successList, failureList}` (items
 * `errorMsg`/`errorCode`), v3 an array (items `code`/`msg`), v3 cancel-symbol-order `{list}`.
 */
export function parseItems(data: unknown): ItemOutcome[] {
  const out: ItemOutcome[] = [];
  const v3 = (arr: unknown[]) => {
    for (const x of arr as Array<Record<string, unknown>>) {
      const ok = v3ok(x.code) && !x.errorMsg;
      out.push({
        ok,
        orderId: str(x.orderId),
        clientOid: str(x.clientOid),
        ...(ok ? {} : { code: str(x.code ?? x.errorCode), msg: str(x.msg ?? x.errorMsg) }),
      });
    }
  };
  if (Array.isArray(data)) v3(data);
  else if (data && typeof data === 'object') {
    const d = data as Record<string, unknown>;
    if (Array.isArray(d.list)) v3(d.list);
    for (const x of (Array.isArray(d.successList) ? d.successList : []) as Array<Record<string, unknown>>) {
      out.push({ ok: true, orderId: str(x.orderId), clientOid: str(x.clientOid) });
    }
    for (const x of (Array.isArray(d.failureList) ? d.failureList : []) as Array<Record<string, unknown>>) {
      out.push({ ok: false, orderId: str(x.orderId), clientOid: str(x.clientOid), code: str(x.errorCode), msg: str(x.errorMsg) });
    }
  }
  return out;
}

/** Outcomes restated as Bitget's `{successList, failureList}`. */
export function toBatchResult(items: readonly ItemOutcome[]): BatchResult {
  const r: BatchResult = { successList: [], failureList: [] };
  for (const i of items) {
    if (i.ok) r.successList.push({ orderId: i.orderId, clientOid: i.clientOid });
    else r.failureList.push({ orderId: i.orderId, clientOid: i.clientOid, errorMsg: i.msg ?? '', errorCode: i.code ?? '' });
  }
  return r;
}

/** Place fields of one order in `dialect`'s spelling (without the batch-level head). */
function placeItem(dialect: Dialect, category: Category, r: PlaceOrderRequest): Record<string, unknown> {
  const common = {
    side: r.side,
    orderType: r.orderType,
    ...(r.price !== undefined ? { price: r.price } : {}),
    ...(r.clientOid ? { clientOid: r.clientOid } : {}),
  };
  switch (dialect) {
    case 'spot':
      return { ...common, force: r.force ?? 'gtc', size: r.size, ...r.extra };
    case 'margin-crossed':
    case 'margin-isolated': {
      const quote = r.orderType === 'market' && r.side === 'buy';
      return { ...common, force: r.force ?? 'gtc', loanType: r.loanType ?? 'normal', ...(quote ? { quoteSize: r.size } : { baseSize: r.size }), ...r.extra };
    }
    case 'mix':
      return { ...common, force: r.force ?? 'gtc', size: r.size, ...r.extra };
    case 'uta':
      return {
        category,
        symbol: r.symbol,
        ...common,
        qty: r.size,
        timeInForce: r.force ?? 'gtc',
        ...(category === 'MARGIN' ? { marginMode: r.marginMode ?? 'crossed' } : {}),
        ...r.extra,
      };
  }
}

/** The futures head of a mix placement. */
function mixHead(category: Category, r: PlaceOrderRequest) {
  return {
    symbol: r.symbol,
    productType: category,
    marginMode: r.marginMode ?? 'crossed',
    marginCoin: r.marginCoin ?? defaultMarginCoin(category, r.symbol),
  };
}

/** Body of a single placement. */
export function placeOneBody(dialect: Dialect, category: Category, r: PlaceOrderRequest): Record<string, unknown> {
  if (dialect === 'uta') return placeItem(dialect, category, r);
  if (dialect === 'mix') return { ...mixHead(category, r), ...placeItem(dialect, category, r) };
  return { symbol: r.symbol, ...placeItem(dialect, category, r) };
}

/** Body of a batch placement of `reqs` (all on one symbol, same margin head, for v2 dialects). */
export function placeBatchBody(dialect: Dialect, category: Category, reqs: readonly PlaceOrderRequest[]): unknown {
  if (dialect === 'uta') return reqs.map((r) => placeItem(dialect, category, r));
  const orderList = reqs.map((r) => placeItem(dialect, category, r));
  if (dialect === 'mix') return { ...mixHead(category, reqs[0]), orderList };
  return { symbol: reqs[0].symbol, orderList };
}

const STATUS: Record<string, OrderStatus> = {
  live: 'live',
  new: 'live',
  init: 'live',
  not_trigger: 'live',
  partially_filled: 'partially_filled',
  partial_fill: 'partially_filled',
  partially_fill: 'partially_filled',
  filled: 'filled',
  full_fill: 'filled',
  cancelled: 'cancelled',
  canceled: 'cancelled',
  cancel: 'cancelled',
  reject: 'cancelled',
};

/** Normalises any dialect's status spelling (unknown spellings count as live). */
export function normaliseStatus(s: unknown): OrderStatus {
  return STATUS[str(s).toLowerCase()] ?? 'live';
}

/**
 * One order object of any query endpoint, normalised.
 * Spot unfilled-orders lists the order price as `priceAvg` (reference §4.1 quirk) when `basePrice` is present.
 */
export function normaliseOrder(dialect: Dialect, category: Category, raw: Record<string, unknown>, marginMode?: MarginMode): OrderInfo {
  const cat = dialect === 'uta' && raw.category ? (str(raw.category).toUpperCase() as Category) : category;
  const margin = dialect === 'margin-crossed' ? 'crossed' : dialect === 'margin-isolated' ? 'isolated' : marginMode;
  let size = str(raw.size);
  let filled = str(raw.baseVolume);
  let price = str(raw.price);
  if (dialect === 'uta') {
    size = str(raw.qty);
    filled = str(raw.cumExecQty);
  } else if (dialect === 'margin-crossed' || dialect === 'margin-isolated') {
    size = str(raw.baseSize) || str(raw.quoteSize);
    filled = str(raw.size);
  } else if (dialect === 'spot' && price === '' && 'basePrice' in raw) {
    price = str(raw.priceAvg);
  }
  return {
    orderId: str(raw.orderId),
    clientOid: str(raw.clientOid),
    category: cat,
    ...(cat === 'MARGIN' && margin ? { marginMode: (str(raw.marginMode) || margin) as MarginMode } : {}),
    symbol: str(raw.symbol),
    side: str(raw.side),
    orderType: str(raw.orderType),
    price,
    size,
    filledSize: filled || '0',
    status: normaliseStatus(raw.status ?? raw.state ?? raw.orderStatus),
    cTime: str(raw.cTime ?? raw.createdTime),
    uTime: str(raw.uTime ?? raw.updatedTime),
    raw,
  };
}

/** A page request of open orders: query parameters and where the rows are. */
export interface PageSpec {
  query: QueryParams;
  rows(data: unknown): Array<Record<string, unknown>>;
  /** The cursor for the next page ('' = last page). */
  next(data: unknown, rows: Array<Record<string, unknown>>, limit: number): string;
}

const minId = (rows: Array<Record<string, unknown>>): string =>
  rows.reduce((m, r) => {
    const id = str(r.orderId);
    return m === '' || (id.length < m.length || (id.length === m.length && id < m)) ? id : m;
  }, '');

/**
 * Query of one page of `dialect`'s open-orders endpoint.
 * @param cursor '' for the first page, else the value {@link PageSpec.next} returned.
 * @param sinceMs margin only: `startTime` (required by margin open-orders).
 */
export function openOrdersPage(dialect: Dialect, category: Category, symbol: string | undefined, cursor: string, limit: number, sinceMs: number): PageSpec {
  const asList = (d: unknown, key: string) => {
    if (Array.isArray(d)) return d as Array<Record<string, unknown>>;
    const v = d && typeof d === 'object' ? (d as Record<string, unknown>)[key] : undefined;
    return (Array.isArray(v) ? v : []) as Array<Record<string, unknown>>;
  };
  const byMinId = (_d: unknown, rows: Array<Record<string, unknown>>, l: number) => (rows.length < l ? '' : minId(rows));
  switch (dialect) {
    case 'spot':
      return { query: { symbol, limit, idLessThan: cursor || undefined }, rows: (d) => asList(d, 'list'), next: byMinId };
    case 'mix':
      return { query: { productType: category, symbol, limit, idLessThan: cursor || undefined }, rows: (d) => asList(d, 'entrustedList'), next: byMinId };
    case 'uta':
      return {
        query: { category, symbol, limit, cursor: cursor || undefined },
        rows: (d) => asList(d, 'list'),
        next: (d, rows, l) => {
          const c = d && typeof d === 'object' ? str((d as Record<string, unknown>).cursor) : '';
          return rows.length < l ? '' : c || minId(rows);
        },
      };
    default:
      if (!symbol) throw new ClientUsageError('margin open orders need a symbol');
      return { query: { symbol, startTime: sinceMs, limit, idLessThan: cursor || undefined }, rows: (d) => asList(d, 'orderList'), next: byMinId };
  }
}
