/**
 * v2 spot dialect: `/api/v2/spot/trade/*` (reference §4.1; seed page 003 batch-cancel-order).
 *
 * Status spelling `live | partially_filled | filled | cancelled` (double L). Spot endpoints
 * see only SPOT orders: a margin or futures order of the same UID is, here, an order that does
 * not exist (43001), exactly like a missing one.
 *
 * Choices where Bitget is ambiguous (listed for the README):
 * - `force` is required for limit orders (40019 "Parameter force cannot be empty"), as the docs
 *   say; for market orders it is optional and has no effect. Accepted in any case (ccxt sends `GTC`).
 * - `tpslType=tpsl` (spot TP/SL plan orders) is not supported: placing one answers 40017, and
 *   cancelling or listing one finds nothing.
 * - GET orderInfo of an unknown (or foreign, or non-spot) order answers 43001 rather than an
 *   empty array; ccxt raises OrderNotFound for both.
 * - batch requests: a missing required symbol (top-level in `single` mode, per item in
 *   `multiple` mode) and an item with neither orderId nor clientOid reject the whole request
 *   (40019 / 40924); an item of batch-orders whose own fields are wrong fails alone.
 * - cancel-symbol-order runs synchronously (Bitget queues it) and answers the same `{symbol}`;
 *   a symbol that is not a spot market answers 42016.
 * - history-orders serves the last 90 days: an earlier or absent `startTime` is raised to now-90d.
 * - `feeDetail` is a JSON-encoded string with zero fees (ccxt `JSON.parse`s it; `""` would crash ccxt).
 */
import { Type } from '@sinclair/typebox';
import { Errors, err } from '../../domain/errors.js';
import { isDecimalString } from '../../domain/decimal.js';
import { isOpen, type Order, type OrderStatus } from '../../domain/types.js';
import type { Engine } from '../../engine/engine.js';
import type { PlaceCommand } from '../../engine/place.js';
import type { Catalogue } from '../../markets/catalogue.js';
import { endpoint, type AppServices } from '../endpoint.js';
import {
  DecStr,
  FORCES,
  List,
  ORDER_TYPES,
  OptNumLike,
  OptStr,
  PagingQuery,
  SIDES,
  Str,
  avgPrice,
  checkReceiveWindow,
  classicRead,
  classicTrade,
  parseEnum,
  parseEnumOr,
  parsePaging,
  refOf,
  single,
  toV2Batch,
  perItem,
  STP_MODES,
} from './common.js';

const TRADE = classicTrade('spot order write');
const READ = classicRead('spot order read');
const HISTORY_MS = 90 * 24 * 3600 * 1000;

/** Spot spelling of each internal status (reference §4.1: double-L `cancelled`). */
export const SPOT_STATUS: Record<OrderStatus, string> = {
  live: 'live',
  partially_filled: 'partially_filled',
  filled: 'filled',
  cancelled: 'cancelled',
};

/**
 * Bitget's classic `feeDetail`: a JSON-encoded STRING (reference §4.1), here with zero fees in
 * the coin Bitget charges (base coin on buys, quote coin on sells). ccxt `JSON.parse`s it.
 */
export function spotFeeDetail(o: Order, catalogue: Catalogue): string {
  const m = catalogue.get(o.category, o.symbol);
  const coin = (o.side === 'buy' ? m?.baseCoin : m?.quoteCoin) ?? 'USDT';
  return JSON.stringify({
    newFees: { c: 0, d: 0, deduction: false, r: 0, t: 0, totalDeductionFee: 0 },
    [coin]: { deduction: false, feeCoinCode: coin, totalDeductionFee: 0, totalFee: 0 },
  });
}

/**
 * Renders an order as GET orderInfo / history-orders do (reference §4.1): `price` is the
 * order price ('0' for market orders), `size` the order quantity (quote for a market buy),
 * `priceAvg` the average fill price, `baseVolume`/`quoteVolume` what filled.
 */
export function renderSpotOrder(o: Order, catalogue: Catalogue) {
  return {
    userId: o.uid,
    symbol: o.symbol,
    orderId: o.orderId,
    clientOid: o.clientOid,
    price: o.price || '0',
    size: o.size,
    orderType: o.orderType,
    side: o.side,
    status: SPOT_STATUS[o.status],
    priceAvg: avgPrice(o),
    baseVolume: o.filledSize,
    quoteVolume: o.filledQuote,
    enterPointSource: 'API',
    feeDetail: spotFeeDetail(o, catalogue),
    orderSource: o.orderType === 'market' ? 'market' : 'normal',
    cancelReason: o.cancelReason,
    cTime: o.cTime,
    uTime: o.uTime,
  };
}

/**
 * Renders an order as GET unfilled-orders does. Bitget's quirk (reference §4.1): here
 * `priceAvg` is the ORDER price and `basePrice` the average fill price; ccxt follows it.
 */
export function renderSpotOpenOrder(o: Order) {
  return {
    userId: o.uid,
    symbol: o.symbol,
    orderId: o.orderId,
    clientOid: o.clientOid,
    priceAvg: o.price || '0',
    size: o.size,
    orderType: o.orderType,
    side: o.side,
    status: SPOT_STATUS[o.status],
    basePrice: avgPrice(o),
    baseVolume: o.filledSize,
    quoteVolume: o.filledQuote,
    enterPointSource: 'API',
    orderSource: o.orderType === 'market' ? 'market' : 'normal',
    presetTakeProfitPrice: o.extra.presetTakeProfitPrice ?? '',
    executeTakeProfitPrice: o.extra.executeTakeProfitPrice ?? '',
    presetStopLossPrice: o.extra.presetStopLossPrice ?? '',
    executeStopLossPrice: o.extra.executeStopLossPrice ?? '',
    cTime: o.cTime,
    uTime: o.uTime,
    tpslType: 'normal',
    triggerPrice: null,
  };
}

const PlaceFields = {
  side: Str(8),
  orderType: Str(8),
  force: OptStr(12),
  price: Type.Optional(DecStr()),
  size: DecStr(),
  // long enough for the engine to answer 40305 itself rather than AJV's 40020
  clientOid: OptStr(128),
  triggerPrice: OptStr(40),
  tpslType: OptStr(8),
  stpMode: OptStr(16),
  presetTakeProfitPrice: OptStr(40),
  executeTakeProfitPrice: OptStr(40),
  presetStopLossPrice: OptStr(40),
  executeStopLossPrice: OptStr(40),
};
const PlaceItem = Type.Object({ symbol: OptStr(), ...PlaceFields });
const PlaceBody = Type.Object({
  symbol: Str(),
  ...PlaceFields,
  requestTime: OptNumLike(),
  receiveWindow: OptNumLike(),
});

const PRESETS = ['presetTakeProfitPrice', 'executeTakeProfitPrice', 'presetStopLossPrice', 'executeStopLossPrice'] as const;

/**
 * Maps one spot place body (or batch item) to a canonical command. `size` is the base
 * quantity, or the quote amount for a market buy (the engine knows this from SPOT+market+buy).
 * @throws BitgetError 40019 (force missing on a limit order), 40020 (bad enum or preset price),
 *   40017 (tpslType=tpsl, not supported).
 */
function toCommand(uid: string, symbol: string, b: typeof PlaceItem.static): PlaceCommand {
  const orderType = parseEnum(b.orderType, ORDER_TYPES, 'orderType');
  if (orderType === 'limit' && !b.force) throw err(Errors.PARAM_EMPTY, 'force');
  const force = parseEnumOr(b.force, FORCES, 'force', 'gtc');
  if (parseEnumOr(b.tpslType, ['normal', 'tpsl'], 'tpslType', 'normal') === 'tpsl') {
    throw err(Errors.PARAM_VERIFY_FAILED, 'tpslType tpsl is not supported');
  }
  const extra: Record<string, string> = {};
  if (b.stpMode) extra.stpMode = parseEnum(b.stpMode, STP_MODES, 'stpMode');
  for (const k of PRESETS) {
    const v = b[k];
    if (v === undefined || v === '') continue;
    if (!isDecimalString(v)) throw err(Errors.PARAM_ERROR, k);
    extra[k] = v;
  }
  return {
    uid,
    category: 'SPOT',
    marginMode: null,
    symbol,
    side: parseEnum(b.side, SIDES, 'side'),
    orderType,
    force,
    price: b.price,
    size: b.size,
    clientOid: b.clientOid || undefined,
    extra,
  };
}

/** Upper-cased symbol, or a 40019 "Parameter symbol cannot be empty". */
function needSymbol(s: string | undefined): string {
  if (!s || s.trim() === '') throw err(Errors.PARAM_EMPTY, 'symbol');
  return s.toUpperCase();
}

/** `single` (default) or `multiple`, any case. @throws 40020 */
function batchModeOf(v: string | undefined): 'single' | 'multiple' {
  return parseEnumOr(v, ['single', 'multiple'], 'batchMode', 'single');
}

const ListQuery = Type.Object({
  ...PagingQuery,
  tpslType: OptStr(8),
  requestTime: OptStr(20),
  receiveWindow: OptStr(20),
});

/** GET unfilled-orders / history-orders: newest first, SPOT only. */
async function listSpot(uid: string, q: typeof ListQuery.static, open: boolean, services: AppServices, now: number) {
  checkReceiveWindow(q.requestTime, q.receiveWindow, now);
  const paging = parsePaging(q);
  const tpsl = parseEnumOr(q.tpslType, ['normal', 'tpsl'], 'tpslType', 'normal') === 'tpsl';
  if (!open) paging.startTime = Math.max(paging.startTime ?? 0, now - HISTORY_MS);
  const symbol = q.symbol?.toUpperCase() || undefined;
  let orders: Order[];
  if (tpsl) orders = [];
  else if (q.orderId || q.clientOid) {
    const o = await services.engine.getOrder(uid, { orderId: q.orderId || undefined, clientOid: q.clientOid || undefined });
    orders =
      o &&
      o.category === 'SPOT' &&
      isOpen(o.status) === open &&
      (symbol === undefined || o.symbol === symbol) &&
      (paging.startTime === undefined || Number(o.cTime) >= paging.startTime) &&
      (paging.endTime === undefined || Number(o.cTime) <= paging.endTime)
        ? [o]
        : [];
  } else {
    orders = await services.engine.listOrders({ uid, categories: ['SPOT'], open, symbol, ...paging });
  }
  if (open) return orders.map(renderSpotOpenOrder);
  return orders.map((o) => ({ ...renderSpotOrder(o, services.catalogue), tpslType: 'normal', triggerPrice: null }));
}

/** The one SPOT order `ref` names for `uid`, or 43001. */
async function spotOrder(engine: Engine, uid: string, ref: { orderId?: string; clientOid?: string }): Promise<Order> {
  const o = await engine.getOrder(uid, ref);
  if (!o || o.category !== 'SPOT') throw err(Errors.SPOT_ORDER_NOT_FOUND);
  return o;
}

/** The spot endpoints (reference §4.1, rate limits §7). */
export const spotEndpoints = [
  endpoint({
    method: 'POST',
    path: '/api/v2/spot/trade/place-order',
    rateLimit: 10,
    auth: TRADE,
    body: PlaceBody,
    async handle({ body, uid, now, services }) {
      checkReceiveWindow(body.requestTime, body.receiveWindow, now);
      const [r] = await services.engine.place('spot', [toCommand(uid, needSymbol(body.symbol), body)]);
      return single(r);
    },
  }),
  endpoint({
    method: 'POST',
    path: '/api/v2/spot/trade/batch-orders',
    rateLimit: 5,
    auth: TRADE,
    tooMany: Errors.BATCH_PLACE_TOO_LARGE_V2,
    body: Type.Object({
      symbol: OptStr(),
      batchMode: OptStr(12),
      orderList: List(PlaceItem, 50),
      requestTime: OptNumLike(),
      receiveWindow: OptNumLike(),
    }),
    async handle({ body, uid, now, services }) {
      checkReceiveWindow(body.requestTime, body.receiveWindow, now);
      const mode = batchModeOf(body.batchMode);
      const top = mode === 'single' ? needSymbol(body.symbol) : undefined;
      const symbols = body.orderList.map((i) => top ?? needSymbol(i.symbol));
      const cmds = body.orderList.map((item, i) => perItem(item, (it) => toCommand(uid, symbols[i], it)));
      return toV2Batch(await services.engine.place('spot', cmds));
    },
  }),
  endpoint({
    method: 'POST',
    path: '/api/v2/spot/trade/cancel-order',
    rateLimit: 10,
    auth: TRADE,
    body: Type.Object({
      symbol: OptStr(),
      tpslType: OptStr(8),
      orderId: OptStr(),
      clientOid: OptStr(128),
      requestTime: OptNumLike(),
      receiveWindow: OptNumLike(),
    }),
    async handle({ body, uid, now, services }) {
      checkReceiveWindow(body.requestTime, body.receiveWindow, now);
      if (parseEnumOr(body.tpslType, ['normal', 'tpsl'], 'tpslType', 'normal') === 'tpsl') {
        // no spot TP/SL orders exist here: orderId is required and never found
        if (!body.orderId) throw err(Errors.PARAM_EMPTY, 'orderId');
        throw err(Errors.SPOT_ORDER_NOT_FOUND);
      }
      const symbol = needSymbol(body.symbol);
      const [r] = await services.engine.cancel('spot', { uid, categories: ['SPOT'] }, [{ ref: refOf(body), symbol }]);
      return single(r);
    },
  }),
  endpoint({
    method: 'POST',
    path: '/api/v2/spot/trade/batch-cancel-order',
    rateLimit: 10,
    auth: TRADE,
    tooMany: Errors.BATCH_TOO_LARGE_V2,
    body: Type.Object({
      symbol: OptStr(),
      batchMode: OptStr(12),
      orderList: List(Type.Object({ symbol: OptStr(), orderId: OptStr(), clientOid: OptStr(128) }), 50),
    }),
    async handle({ body, uid, services }) {
      // seed 003: `single` uses the top-level symbol and ignores item symbols; `multiple`
      // requires each item's symbol and ignores the top-level one.
      const mode = batchModeOf(body.batchMode);
      const top = mode === 'single' ? needSymbol(body.symbol) : undefined;
      const items = body.orderList.map((i) => ({ ref: refOf(i), symbol: top ?? needSymbol(i.symbol) }));
      return toV2Batch(await services.engine.cancel('spot', { uid, categories: ['SPOT'] }, items));
    },
  }),
  endpoint({
    method: 'POST',
    path: '/api/v2/spot/trade/cancel-symbol-order',
    rateLimit: 5,
    auth: TRADE,
    body: Type.Object({ symbol: Str() }),
    async handle({ body, uid, services }) {
      const symbol = needSymbol(body.symbol);
      if (!services.catalogue.get('SPOT', symbol)) throw err(Errors.SPOT_SYMBOL_INVALID, symbol);
      await services.engine.cancelScope({ uid, categories: ['SPOT'], symbol });
      return { symbol };
    },
  }),
  endpoint({
    method: 'GET',
    path: '/api/v2/spot/trade/orderInfo',
    rateLimit: 20,
    auth: READ,
    query: Type.Object({
      orderId: OptStr(),
      clientOid: OptStr(128),
      requestTime: OptStr(20),
      receiveWindow: OptStr(20),
    }),
    async handle({ query, uid, now, services }) {
      checkReceiveWindow(query.requestTime, query.receiveWindow, now);
      const o = await spotOrder(services.engine, uid, refOf(query));
      return [renderSpotOrder(o, services.catalogue)];
    },
  }),
  endpoint({
    method: 'GET',
    path: '/api/v2/spot/trade/unfilled-orders',
    rateLimit: 20,
    auth: READ,
    query: ListQuery,
    handle: ({ query, uid, now, services }) => listSpot(uid, query, true, services, now),
  }),
  endpoint({
    method: 'GET',
    path: '/api/v2/spot/trade/history-orders',
    rateLimit: 20,
    auth: READ,
    query: ListQuery,
    handle: ({ query, uid, now, services }) => listSpot(uid, query, false, services, now),
  }),
];
