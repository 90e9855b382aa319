/**
 * v3 unified-account ("UTA") dialect: `/api/v3/trade/*` and `/api/v3/account/settings`
 * (reference §4.5; seed page 002 = POST /api/v3/trade/cancel-batch).
 *
 * Differences from the v2 dialects that this file owns:
 * - one `category` (SPOT | MARGIN | USDT-FUTURES | COIN-FUTURES | USDC-FUTURES, any case)
 *   instead of productType / per-family paths;
 * - `qty` / `timeInForce` / `orderStatus` / `cumExecQty` / `createdTime` field names;
 * - place-batch and cancel-batch bodies are bare JSON ARRAYS (≤ 20 items), answered with a
 *   per-item array `{orderId, clientOid}` plus `code`/`msg` on failure (partial success);
 * - every item of one cancel-batch must name the same category (else 25200, nothing cancelled);
 * - failure codes of policy `uta`: 25204 not found, 45134 already filled/cancelled,
 *   25100 unknown symbol, 25212 duplicate clientOid.
 * Only unified-account keys are accepted (a classic key gets 40084 from auth).
 */
import { Type } from '@sinclair/typebox';
import { Errors, err } from '../../domain/errors.js';
import { isDecimalString, isZero } from '../../domain/decimal.js';
import {
  CATEGORIES,
  FUTURES_CATEGORIES,
  type Category,
  type MarginMode,
  type Order,
} from '../../domain/types.js';
import type { Engine } from '../../engine/engine.js';
import type { PlaceCommand } from '../../engine/place.js';
import type { Catalogue } from '../../markets/catalogue.js';
import { endpoint } from '../endpoint.js';
import {
  DecStr,
  FORCES,
  ORDER_TYPES,
  OptStr,
  SIDES,
  Str,
  avgPrice,
  parseCategory,
  parseEnum,
  parseEnumOr,
  parsePaging,
  refOf,
  single,
  toV3Items,
  unifiedRead,
  unifiedTrade,
  perItem,
  STP_MODES,
} from './common.js';

/** Batch limit of place-batch and cancel-batch (DOC:uta/trade/Place-Batch.md, seed 002). */
export const UTA_BATCH_MAX = 20;

const MARGIN_MODES: readonly MarginMode[] = ['crossed', 'isolated'];
const TRIGGER_BY = ['market', 'mark'] as const;
/** TP/SL price fields kept verbatim in `Order.extra` (validated as decimals). */
const TPSL_PRICES = ['takeProfit', 'stopLoss', 'tpLimitPrice', 'slLimitPrice'] as const;

const isFutures = (c: Category): boolean => FUTURES_CATEGORIES.includes(c);

/** Spot/margin market buys are sized in quote coin (DOC:uta/trade/Place-Order.md `qty`). */
const quoteSized = (o: Order): boolean => o.orderType === 'market' && o.side === 'buy' && (o.category === 'SPOT' || o.category === 'MARGIN');

/**
 * Renders an order as DOC:uta/trade/Get-Order-Details.md (also the item shape of
 * unfilled-orders / history-orders). Amounts are decimal strings, times ms strings.
 * - `category` is the canonical upper-case category;
 * - `qty` is the base quantity; for a spot/margin market buy (quote-sized) `qty` is "0" and
 *   `amount` carries the quote amount, as in the doc example; otherwise `amount` is "0";
 * - `orderStatus` live | partially_filled | filled | cancelled (ordergate never emits `new`);
 * - `reduceOnly` YES | NO (upper case in REST: ccxt reads anything but `NO` as reduce-only);
 * - `feeDetail` is a real array (ccxt reads `feeDetail[0].fee` for UTA rows); ordergate
 *   charges no fees, so it is `[]`;
 * - `posSide`/`holdMode`/`tradeSide` are futures-only ('' on spot and margin);
 * - TP/SL fields are the values given at placement, `null` when none (as Bitget answers).
 */
export function renderUtaOrder(o: Order) {
  const futures = isFutures(o.category);
  const posSide = futures ? (o.extra.posSide ?? '') : '';
  const reduceOnly = o.extra.reduceOnly ?? 'NO';
  let tradeSide = '';
  if (futures) {
    if (posSide) tradeSide = (o.side === 'buy') === (posSide === 'long') ? 'open' : 'close';
    else tradeSide = reduceOnly === 'YES' ? 'close' : 'open';
  }
  const qs = quoteSized(o);
  return {
    orderId: o.orderId,
    clientOid: o.clientOid,
    category: o.category,
    symbol: o.symbol,
    orderType: o.orderType,
    side: o.side,
    price: o.price || '0',
    qty: qs ? '0' : o.size,
    amount: qs ? o.size : '0',
    cumExecQty: o.filledSize,
    cumExecValue: o.filledQuote,
    avgPrice: avgPrice(o),
    timeInForce: o.force,
    orderStatus: o.status,
    posSide,
    holdMode: futures ? (posSide ? 'hedge_mode' : 'one_way_mode') : '',
    tradeSide,
    reduceOnly,
    stpMode: o.extra.stpMode ?? 'none',
    feeDetail: [] as Array<{ feeCoin: string; fee: string }>,
    cancelReason: o.cancelReason,
    execType: 'normal',
    tpTriggerBy: o.extra.tpTriggerBy ?? null,
    slTriggerBy: o.extra.slTriggerBy ?? null,
    takeProfit: o.extra.takeProfit ?? null,
    stopLoss: o.extra.stopLoss ?? null,
    tpOrderType: o.extra.tpOrderType ?? null,
    slOrderType: o.extra.slOrderType ?? null,
    tpLimitPrice: o.extra.tpLimitPrice ?? null,
    slLimitPrice: o.extra.slLimitPrice ?? null,
    createdTime: o.cTime,
    updatedTime: o.uTime,
  };
}

/** One place-order body (also one element of a place-batch array). */
const PlaceItem = Type.Object({
  category: Str(20),
  symbol: Str(),
  qty: DecStr(),
  price: Type.Optional(DecStr()),
  side: Str(8),
  orderType: Str(8),
  timeInForce: OptStr(12),
  posSide: OptStr(8),
  clientOid: OptStr(),
  reduceOnly: OptStr(4),
  marginMode: OptStr(10),
  stpMode: OptStr(16),
  tpTriggerBy: OptStr(8),
  slTriggerBy: OptStr(8),
  takeProfit: OptStr(40),
  stopLoss: OptStr(40),
  tpOrderType: OptStr(8),
  slOrderType: OptStr(8),
  tpLimitPrice: OptStr(40),
  slLimitPrice: OptStr(40),
});
type PlaceItem = typeof PlaceItem.static;

/**
 * Maps a v3 place body to the canonical command.
 * MARGIN orders get `marginMode` from the body (`crossed` | `isolated`), default `crossed`
 * (the v3 page documents no marginMode and says isolated spot margin is "coming soon");
 * futures orders get the same default as position margin mode and the market's first
 * margin coin. `posSide` is kept for futures only (the doc's own SPOT example sends one).
 * @throws BitgetError 40020 for a malformed enum/decimal field (named after the v3 field).
 */
function toCommand(uid: string, b: PlaceItem, catalogue: Catalogue): PlaceCommand {
  const category = parseCategory(b.category);
  const symbol = b.symbol.toUpperCase();
  if (!isDecimalString(b.qty) || isZero(b.qty)) throw err(Errors.PARAM_ERROR, 'qty');
  const extra: Record<string, string> = {};
  if (b.reduceOnly) extra.reduceOnly = parseEnum(b.reduceOnly, ['yes', 'no'], 'reduceOnly').toUpperCase();
  if (b.stpMode) extra.stpMode = parseEnum(b.stpMode, STP_MODES, 'stpMode');
  if (b.posSide) {
    const posSide = parseEnum(b.posSide, ['long', 'short'], 'posSide');
    if (isFutures(category)) extra.posSide = posSide;
  }
  if (b.tpTriggerBy) extra.tpTriggerBy = parseEnum(b.tpTriggerBy, TRIGGER_BY, 'tpTriggerBy');
  if (b.slTriggerBy) extra.slTriggerBy = parseEnum(b.slTriggerBy, TRIGGER_BY, 'slTriggerBy');
  if (b.tpOrderType) extra.tpOrderType = parseEnum(b.tpOrderType, ORDER_TYPES, 'tpOrderType');
  if (b.slOrderType) extra.slOrderType = parseEnum(b.slOrderType, ORDER_TYPES, 'slOrderType');
  for (const f of TPSL_PRICES) {
    const v = b[f];
    if (v === undefined || v === '') continue;
    if (!isDecimalString(v)) throw err(Errors.PARAM_ERROR, f);
    extra[f] = v;
  }
  let marginMode: MarginMode | null = null;
  let marginCoin: string | undefined;
  if (category === 'MARGIN' || isFutures(category)) marginMode = parseEnumOr(b.marginMode, MARGIN_MODES, 'marginMode', 'crossed');
  if (isFutures(category)) marginCoin = catalogue.get(category, symbol)?.marginCoins[0];
  return {
    uid,
    category,
    marginMode,
    symbol,
    marginCoin,
    side: parseEnum(b.side, SIDES, 'side'),
    orderType: parseEnum(b.orderType, ORDER_TYPES, 'orderType'),
    force: parseEnumOr(b.timeInForce, FORCES, 'timeInForce', 'gtc'),
    price: b.price,
    size: b.qty,
    clientOid: b.clientOid || undefined,
    extra,
  };
}

/** One cancel-batch element (seed 002): `category` and `symbol` required, one id. */
const CancelItem = Type.Object({
  orderId: OptStr(),
  clientOid: OptStr(),
  category: Str(20),
  symbol: Str(),
});

/** A bare JSON array body of at most {@link UTA_BATCH_MAX} items. */
const Batch = <T extends typeof PlaceItem | typeof CancelItem>(item: T) =>
  Type.Array(item, { minItems: 1, maxItems: UTA_BATCH_MAX });

/**
 * Defensive check for the array bodies: AJV already rejects a non-array body, but a request
 * with no body at all may reach the handler as `{}`.
 * @throws BitgetError 40017 "Parameter verification failed request body must be a JSON array".
 */
function asArray<T>(body: unknown): T[] {
  if (!Array.isArray(body)) throw err(Errors.PARAM_VERIFY_FAILED, 'request body must be a JSON array');
  if (body.length === 0) throw err(Errors.PARAM_EMPTY, 'body');
  return body as T[];
}

const ListQuery = Type.Object({
  category: OptStr(20),
  symbol: OptStr(),
  startTime: OptStr(20),
  endTime: OptStr(20),
  limit: OptStr(4),
  cursor: OptStr(20),
});
type ListQuery = typeof ListQuery.static;

/**
 * unfilled-orders / history-orders: newest first, `limit` ≤ 100 (default 100). The cursor is
 * the last orderId of the page (the next page holds strictly older ids); '' when no more.
 * @throws BitgetError 40019 (history without category), 40020 (malformed field).
 */
async function listUta(uid: string, q: ListQuery, open: boolean, engine: Engine) {
  if (!open && !q.category) throw err(Errors.PARAM_EMPTY, 'category');
  const categories = q.category ? [parseCategory(q.category)] : CATEGORIES;
  const cursor = q.cursor || undefined;
  if (cursor !== undefined && !/^\d{1,20}$/.test(cursor)) throw err(Errors.PARAM_ERROR, 'cursor');
  const paging = parsePaging({ limit: q.limit, startTime: q.startTime, endTime: q.endTime, idLessThan: cursor });
  const rows = await engine.listOrders({
    uid,
    categories,
    open,
    symbol: q.symbol?.toUpperCase() || undefined,
    ...paging,
    limit: paging.limit + 1, // one extra row tells whether another page exists
  });
  const page = rows.slice(0, paging.limit);
  return {
    list: page.map(renderUtaOrder),
    cursor: rows.length > paging.limit ? page[page.length - 1].orderId : '',
  };
}

/** The UTA endpoints (rate limits per UID from reference §7). */
export const utaEndpoints = [
  endpoint({
    method: 'POST',
    path: '/api/v3/trade/place-order',
    rateLimit: 10,
    auth: unifiedTrade,
    body: PlaceItem,
    async handle({ body, uid, services }) {
      const [r] = await services.engine.place('uta', [toCommand(uid, body, services.catalogue)]);
      return single(r);
    },
  }),
  endpoint({
    method: 'POST',
    path: '/api/v3/trade/place-batch',
    rateLimit: 5,
    auth: unifiedTrade,
    tooMany: Errors.BATCH_TOO_LARGE_V3,
    body: Batch(PlaceItem),
    async handle({ body, uid, services }) {
      // each item is decided alone: a malformed item fails with its own code/msg
      const items = asArray<PlaceItem>(body).map((b) => perItem(b, (it) => toCommand(uid, it, services.catalogue)));
      return toV3Items(await services.engine.place('uta', items));
    },
  }),
  endpoint({
    method: 'POST',
    path: '/api/v3/trade/cancel-order',
    rateLimit: 10,
    auth: unifiedTrade,
    body: Type.Object({ orderId: OptStr(), clientOid: OptStr(), category: OptStr(20), symbol: OptStr() }),
    async handle({ body, uid, services }) {
      // ccxt sends `symbol` (not on the doc page); when given, an order on another symbol is not found
      const categories = body.category ? [parseCategory(body.category)] : CATEGORIES;
      const [r] = await services.engine.cancel('uta', { uid, categories }, [
        { ref: refOf(body), symbol: body.symbol?.toUpperCase() || undefined },
      ]);
      return single(r);
    },
  }),
  endpoint({
    method: 'POST',
    path: '/api/v3/trade/cancel-batch',
    rateLimit: 5,
    auth: unifiedTrade,
    tooMany: Errors.BATCH_TOO_LARGE_V3,
    body: Batch(CancelItem),
    async handle({ body, uid, services }) {
      const list = asArray<typeof CancelItem.static>(body);
      const categories = list.map((i) => parseCategory(i.category));
      if (categories.some((c) => c !== categories[0])) throw err(Errors.UTA_MIXED_CATEGORY);
      // seed 002: "If both orderId and clientOid are provided ... the clientOid will be ignored"
      const items = list.map((i) => {
        const ref = refOf(i);
        return { ref: ref.orderId ? { orderId: ref.orderId } : ref, symbol: i.symbol.toUpperCase() };
      });
      return toV3Items(await services.engine.cancel('uta', { uid, categories: [categories[0]] }, items));
    },
  }),
  endpoint({
    method: 'POST',
    path: '/api/v3/trade/cancel-symbol-order',
    rateLimit: 5,
    auth: unifiedTrade,
    body: Type.Object({ category: Str(20), symbol: OptStr() }),
    async handle({ body, uid, services }) {
      const category = parseCategory(body.category);
      const symbol = body.symbol?.toUpperCase() || undefined;
      return { list: toV3Items(await services.engine.cancelScope({ uid, categories: [category], symbol })) };
    },
  }),
  endpoint({
    method: 'GET',
    path: '/api/v3/trade/order-info',
    rateLimit: 20,
    auth: unifiedRead,
    query: Type.Object({ orderId: OptStr(), clientOid: OptStr() }),
    async handle({ query, uid, services }) {
      const o = await services.engine.getOrder(uid, refOf(query));
      if (!o) throw err(Errors.UTA_ORDER_NOT_FOUND);
      return renderUtaOrder(o);
    },
  }),
  endpoint({
    method: 'GET',
    path: '/api/v3/trade/unfilled-orders',
    rateLimit: 20,
    auth: unifiedRead,
    query: ListQuery,
    handle: ({ query, uid, services }) => listUta(uid, query, true, services.engine),
  }),
  endpoint({
    method: 'GET',
    path: '/api/v3/trade/history-orders',
    rateLimit: 20,
    auth: unifiedRead,
    query: ListQuery,
    handle: ({ query, uid, services }) => listUta(uid, query, false, services.engine),
  }),
  endpoint({
    method: 'GET',
    path: '/api/v3/account/settings',
    rateLimit: 20,
    auth: unifiedRead,
    // DOC:uta/account/Get-Account-Setting.md. ccxt probes this once: success => UTA mode.
    handle: ({ uid }) => ({
      uid,
      accountMode: 'unified',
      assetMode: 'single',
      holdMode: 'one_way_mode',
      stpMode: 'none',
      symbolConfigList: [],
      coinConfigList: [],
    }),
  }),
];
