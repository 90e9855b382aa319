/**
 * v2 futures ("mix") dialect: `/api/v2/mix/order/*` (reference §4.2; seed pages
 * 000 batch-cancel-orders and 004 cancel-all-orders).
 * Status spelling `canceled` (single L); status emitted as both `status` and `state`.
 */
import { Type } from '@sinclair/typebox';
import { Errors, err } from '../../domain/errors.js';
import { type Category, type MarginMode, type Order, type OrderStatus } from '../../domain/types.js';
import type { PlaceCommand } from '../../engine/place.js';
import { endpoint } from '../endpoint.js';
import {
  DecStr,
  FORCES,
  List,
  ORDER_TYPES,
  OptNumLike,
  OptStr,
  PagingQuery,
  RefItem,
  SIDES,
  Str,
  avgPrice,
  checkReceiveWindow,
  classicRead,
  classicTrade,
  parseEnum,
  parseEnumOr,
  parsePaging,
  parseProductType,
  perItem,
  refOf,
  single,
  toV2Batch,
  STP_MODES,
} from './common.js';

const TRADE = classicTrade('contract order write');
const READ = classicRead('contract order read');
const MARGIN_MODES: readonly MarginMode[] = ['crossed', 'isolated'];

const MIX_STATUS: Record<OrderStatus, string> = {
  live: 'live',
  partially_filled: 'partially_filled',
  filled: 'filled',
  cancelled: 'canceled',
};
const STATUSES = Object.keys(MIX_STATUS) as OrderStatus[];

/** Renders an order in mix field names (GET detail / orders-pending / orders-history). */
export function renderMixOrder(o: Order) {
  const status = MIX_STATUS[o.status];
  return {
    symbol: o.symbol,
    size: o.size,
    orderId: o.orderId,
    clientOid: o.clientOid,
    baseVolume: o.filledSize,
    priceAvg: avgPrice(o),
    fee: '0',
    price: o.price,
    state: status,
    status,
    side: o.side,
    force: o.force,
    totalProfits: '0',
    posSide: o.extra.posSide ?? 'net',
    marginCoin: o.marginCoin ?? '',
    presetStopSurplusPrice: o.extra.presetStopSurplusPrice ?? '',
    presetStopLossPrice: o.extra.presetStopLossPrice ?? '',
    quoteVolume: o.filledQuote,
    orderType: o.orderType,
    leverage: o.extra.leverage ?? '20',
    marginMode: o.marginMode ?? 'crossed',
    reduceOnly: o.extra.reduceOnly ?? 'NO',
    enterPointSource: 'API',
    tradeSide: o.extra.tradeSide ?? (o.side === 'buy' ? 'buy_single' : 'sell_single'),
    posMode: o.extra.tradeSide === 'open' || o.extra.tradeSide === 'close' ? 'hedge_mode' : 'one_way_mode',
    orderSource: o.orderType === 'market' ? 'market' : 'normal',
    cancelReason: o.cancelReason,
    cTime: o.cTime,
    uTime: o.uTime,
  };
}

const PlaceFields = {
  size: DecStr(),
  price: Type.Optional(DecStr()),
  side: Str(8),
  tradeSide: OptStr(8),
  orderType: Str(8),
  force: OptStr(12),
  // longer than the schema default so the engine answers Bitget's 40305 for > 64 characters
  clientOid: OptStr(256),
  reduceOnly: OptStr(4),
  presetStopSurplusPrice: OptStr(40),
  presetStopLossPrice: OptStr(40),
  presetStopSurplusExecutePrice: OptStr(40),
  presetStopLossExecutePrice: OptStr(40),
  stpMode: OptStr(16),
};
const PlaceItem = Type.Object(PlaceFields);
const PlaceBody = Type.Object({
  symbol: Str(),
  productType: Str(),
  marginMode: Str(),
  marginCoin: Str(),
  ...PlaceFields,
  requestTime: OptNumLike(),
  receiveWindow: OptNumLike(),
});

type Head = { uid: string; category: Category; symbol: string; marginMode: MarginMode; marginCoin: string };

function toCommand(h: Head, b: typeof PlaceItem.static): PlaceCommand {
  const extra: Record<string, string> = {};
  if (b.tradeSide) extra.tradeSide = parseEnum(b.tradeSide, ['open', 'close'], 'tradeSide');
  if (b.reduceOnly) extra.reduceOnly = parseEnum(b.reduceOnly, ['yes', 'no'], 'reduceOnly').toUpperCase();
  if (b.presetStopSurplusPrice) extra.presetStopSurplusPrice = b.presetStopSurplusPrice;
  if (b.presetStopLossPrice) extra.presetStopLossPrice = b.presetStopLossPrice;
  if (b.stpMode) extra.stpMode = parseEnum(b.stpMode, STP_MODES, 'stpMode');
  return {
    uid: h.uid,
    category: h.category,
    marginMode: h.marginMode,
    symbol: h.symbol,
    marginCoin: h.marginCoin,
    side: parseEnum(b.side, SIDES, 'side'),
    orderType: parseEnum(b.orderType, ORDER_TYPES, 'orderType'),
    force: parseEnumOr(b.force, FORCES, 'force', 'gtc'),
    price: b.price,
    size: b.size,
    clientOid: b.clientOid || undefined,
    extra,
  };
}

function head(uid: string, b: { symbol: string; productType: string; marginMode: string; marginCoin: string }): Head {
  return {
    uid,
    category: parseProductType(b.productType),
    symbol: b.symbol.toUpperCase(),
    marginMode: parseEnum(b.marginMode, MARGIN_MODES, 'marginMode'),
    marginCoin: b.marginCoin.toUpperCase(),
  };
}

const OrderQuery = Type.Object({ symbol: Str(), productType: Str(), orderId: OptStr(), clientOid: OptStr() });
const ListQuery = Type.Object({ productType: Str(), status: OptStr(20), ...PagingQuery });

async function listMix(uid: string, q: typeof ListQuery.static, open: boolean, engine: import('../../engine/engine.js').Engine) {
  const category = parseProductType(q.productType);
  const paging = parsePaging(q);
  const symbol = q.symbol?.toUpperCase() || undefined;
  // status filters in the store, before the page limit (never a short page while matches exist)
  const want = q.status ? parseEnum(q.status, open ? ['live', 'partially_filled'] : ['filled', 'canceled'], 'status') : undefined;
  const statuses = want ? STATUSES.filter((st) => MIX_STATUS[st] === want) : undefined;
  let orders: Order[];
  if (q.orderId || q.clientOid) {
    // one order by id: the other filters (symbol, status) still apply
    const o = await engine.getOrder(uid, { orderId: q.orderId || undefined, clientOid: q.clientOid || undefined });
    const hit = o && o.category === category && (!symbol || o.symbol === symbol) && (o.status === 'live' || o.status === 'partially_filled') === open;
    orders = hit && (!statuses || statuses.includes(o.status)) ? [o] : [];
  } else {
    orders = await engine.listOrders({ uid, categories: [category], open, symbol, statuses, ...paging });
  }
  return { entrustedList: orders.map(renderMixOrder), endId: orders.length ? orders[orders.length - 1].orderId : null };
}

/** The mix endpoints. */
export const mixEndpoints = [
  endpoint({
    method: 'POST',
    path: '/api/v2/mix/order/place-order',
    rateLimit: 10,
    auth: TRADE,
    body: PlaceBody,
    async handle({ body, uid, now, services }) {
      checkReceiveWindow(body.requestTime, body.receiveWindow, now);
      const [r] = await services.engine.place('mix', [toCommand(head(uid, body), body)]);
      return single(r);
    },
  }),
  endpoint({
    method: 'POST',
    path: '/api/v2/mix/order/batch-place-order',
    rateLimit: 5,
    auth: TRADE,
    tooMany: Errors.BATCH_PLACE_TOO_LARGE_V2,
    body: Type.Object({
      symbol: Str(),
      productType: Str(),
      marginMode: Str(),
      marginCoin: Str(),
      orderList: List(PlaceItem, 50),
    }),
    async handle({ body, uid, services }) {
      const h = head(uid, body);
      const cmds = body.orderList.map((item) => perItem(item, (i) => toCommand(h, i)));
      return toV2Batch(await services.engine.place('mix', cmds));
    },
  }),
  endpoint({
    method: 'POST',
    path: '/api/v2/mix/order/cancel-order',
    rateLimit: 10,
    auth: TRADE,
    body: Type.Object({
      symbol: Str(),
      productType: Str(),
      marginCoin: OptStr(),
      orderId: OptStr(),
      clientOid: OptStr(),
      requestTime: OptNumLike(),
      receiveWindow: OptNumLike(),
    }),
    async handle({ body, uid, now, services }) {
      checkReceiveWindow(body.requestTime, body.receiveWindow, now);
      const category = parseProductType(body.productType);
      const [r] = await services.engine.cancel(
        'mix',
        { uid, categories: [category], marginCoin: body.marginCoin?.toUpperCase() || undefined },
        [{ ref: refOf(body), symbol: body.symbol.toUpperCase() }],
      );
      return single(r);
    },
  }),
  endpoint({
    method: 'POST',
    path: '/api/v2/mix/order/batch-cancel-orders',
    rateLimit: 10,
    auth: TRADE,
    tooMany: Errors.BATCH_TOO_LARGE_V2,
    body: Type.Object({
      symbol: OptStr(),
      productType: Str(),
      marginCoin: OptStr(),
      orderIdList: Type.Optional(List(RefItem, 50)),
    }),
    async handle({ body, uid, services }) {
      const category = parseProductType(body.productType);
      const symbol = body.symbol?.toUpperCase() || undefined;
      const marginCoin = body.marginCoin?.toUpperCase() || undefined;
      if (body.orderIdList === undefined) {
        // seed 000: without orderIdList, cancel every open order of productType (and symbol, marginCoin)
        return toV2Batch(await services.engine.cancelScope({ uid, categories: [category], symbol, marginCoin }));
      }
      if (!symbol) throw err(Errors.PARAM_EMPTY, 'symbol');
      const items = body.orderIdList.map((i) => ({ ref: refOf(i), symbol }));
      return toV2Batch(await services.engine.cancel('mix', { uid, categories: [category], marginCoin }, items));
    },
  }),
  endpoint({
    method: 'POST',
    path: '/api/v2/mix/order/cancel-all-orders',
    rateLimit: 10,
    auth: TRADE,
    body: Type.Object({
      productType: Str(),
      marginCoin: OptStr(),
      requestTime: OptNumLike(),
      receiveWindow: OptNumLike(),
    }),
    async handle({ body, uid, now, services }) {
      checkReceiveWindow(body.requestTime, body.receiveWindow, now);
      const category = parseProductType(body.productType);
      const marginCoin = body.marginCoin?.toUpperCase() || undefined;
      return toV2Batch(await services.engine.cancelScope({ uid, categories: [category], marginCoin }));
    },
  }),
  endpoint({
    method: 'GET',
    path: '/api/v2/mix/order/detail',
    rateLimit: 10,
    auth: READ,
    query: OrderQuery,
    async handle({ query, uid, services }) {
      const category = parseProductType(query.productType);
      const ref = refOf(query);
      const o = await services.engine.getOrder(uid, ref);
      if (!o || o.category !== category || o.symbol !== query.symbol.toUpperCase()) throw err(Errors.MIX_ORDER_NOT_FOUND);
      return renderMixOrder(o);
    },
  }),
  endpoint({
    method: 'GET',
    path: '/api/v2/mix/order/orders-pending',
    rateLimit: 10,
    auth: READ,
    query: ListQuery,
    handle: ({ query, uid, services }) => listMix(uid, query, true, services.engine),
  }),
  endpoint({
    method: 'GET',
    path: '/api/v2/mix/order/orders-history',
    rateLimit: 10,
    auth: READ,
    query: ListQuery,
    handle: ({ query, uid, services }) => listMix(uid, query, false, services.engine),
  }),
];

