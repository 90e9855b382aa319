/**
 * v2 margin dialect, cross and isolated: `/api/v2/margin/{crossed|isolated}/*` (reference
 * §4.3-4.4; seed page 001 crossed batch-cancel-order). The margin mode comes from the path.
 *
 * Orders are category MARGIN with `marginMode` crossed|isolated. A crossed endpoint sees only
 * crossed margin orders, an isolated one only isolated ones; any other order (the other mode,
 * spot, futures, another UID) is, to the caller, an order that does not exist (43001).
 *
 * Status spelling `live | partial_fill | filled | cancelled`. Order fields (reference §4.3):
 * `baseSize`/`quoteSize` = the order's quantities, `size` = filled base, `amount` = filled quote.
 *
 * Choices where Bitget is ambiguous (listed for the README):
 * - `loanType` and `force` are required as the docs say (40019), `force` only for limit orders;
 *   both are matched case-insensitively; `loanType` is echoed in Bitget's camelCase.
 * - limit and market-sell orders need `baseSize`, market buys `quoteSize` (40019 naming the
 *   missing one); the other size field is ignored.
 * - batch-cancel-order `orderIdList` items may be `{orderId|clientOid}` objects (ccxt, docs),
 *   plain strings taken as orderIds (bitget-api's `string[]` type), or use the docs' typo `clientId`.
 * - `priceAvg` is the average fill price ('0' when nothing filled), although the docs' field
 *   table calls it "Order price"; `quoteSize` of a limit order is price x baseSize.
 * - open-orders/history-orders: `maxId`/`minId` are null on an empty page; history `limit` may
 *   go to 500 (docs), open-orders to 100.
 */
import { Type } from '@sinclair/typebox';
import { Errors, err } from '../../domain/errors.js';
import { mul } from '../../domain/decimal.js';
import { isOpen, type MarginMode, type Order, type OrderRef, type OrderStatus } from '../../domain/types.js';
import type { Engine } from '../../engine/engine.js';
import type { PlaceCommand } from '../../engine/place.js';
import { endpoint, type Endpoint } from '../endpoint.js';
import {
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

const TRADE = classicTrade('margin order write');
const READ = classicRead('margin order read');

/** Bitget's loanType values, keyed by their lower-case form (input is case-insensitive). */
const LOAN_TYPES: Record<string, string> = {
  normal: 'normal',
  autoloan: 'autoLoan',
  autorepay: 'autoRepay',
  autoloanandrepay: 'autoLoanAndRepay',
};

/** Margin spelling of each internal status (reference §4.3: `partial_fill`). */
export const MARGIN_STATUS: Record<OrderStatus, string> = {
  live: 'live',
  partially_filled: 'partial_fill',
  filled: 'filled',
  cancelled: 'cancelled',
};

/** True for the order types whose `size` is a quote amount (market buy). */
function quoteSized(o: { orderType: string; side: string }): boolean {
  return o.orderType === 'market' && o.side === 'buy';
}

/** Renders a margin order as open-orders / history-orders do (reference §4.3). */
export function renderMarginOrder(o: Order) {
  const byQuote = quoteSized(o);
  return {
    orderId: o.orderId,
    clientOid: o.clientOid,
    symbol: o.symbol,
    orderType: o.orderType,
    side: o.side,
    price: o.price || '0',
    baseSize: byQuote ? o.filledSize : o.size,
    quoteSize: byQuote ? o.size : o.price ? mul(o.price, o.size) : '0',
    size: o.filledSize,
    amount: o.filledQuote,
    priceAvg: avgPrice(o),
    status: MARGIN_STATUS[o.status],
    loanType: o.extra.loanType ?? 'normal',
    force: o.force,
    enterPointSource: 'API',
    cTime: o.cTime,
    uTime: o.uTime,
  };
}

const PlaceFields = {
  orderType: Str(8),
  price: OptStr(40),
  loanType: Str(20),
  force: OptStr(12),
  baseSize: OptStr(40),
  quoteSize: OptStr(40),
  // long enough for the engine to answer 40305 itself rather than AJV's 40020
  clientOid: OptStr(128),
  side: Str(8),
  stpMode: OptStr(16),
};
const PlaceItem = Type.Object(PlaceFields);

/**
 * Maps one margin place body (or batch item) to a canonical command.
 * @throws BitgetError 40019 (force on a limit order, baseSize or quoteSize missing), 40020 (bad enum).
 */
function toCommand(uid: string, marginMode: MarginMode, symbol: string, b: typeof PlaceItem.static): PlaceCommand {
  const orderType = parseEnum(b.orderType, ORDER_TYPES, 'orderType');
  const side = parseEnum(b.side, SIDES, 'side');
  if (b.loanType === '') throw err(Errors.PARAM_EMPTY, 'loanType');
  const key = b.loanType.toLowerCase();
  const loanType = Object.hasOwn(LOAN_TYPES, key) ? LOAN_TYPES[key] : undefined; // own keys only: 'constructor' is no loanType
  if (!loanType) throw err(Errors.PARAM_ERROR, 'loanType');
  if (orderType === 'limit' && !b.force) throw err(Errors.PARAM_EMPTY, 'force');
  const force = parseEnumOr(b.force, FORCES, 'force', 'gtc');
  const sizeField = quoteSized({ orderType, side }) ? 'quoteSize' : 'baseSize';
  const size = b[sizeField];
  if (size === undefined || size === '') throw err(Errors.PARAM_EMPTY, sizeField);
  const extra: Record<string, string> = { loanType };
  if (b.stpMode) extra.stpMode = parseEnum(b.stpMode, STP_MODES, 'stpMode');
  return {
    uid,
    category: 'MARGIN',
    marginMode,
    symbol,
    side,
    orderType,
    force,
    price: b.price,
    size,
    clientOid: b.clientOid || undefined,
    extra,
  };
}

function needSymbol(s: string): string {
  if (s.trim() === '') throw err(Errors.PARAM_EMPTY, 'symbol');
  return s.toUpperCase();
}

/** A batch-cancel item: `{orderId|clientOid|clientId}` object or a bare orderId string. */
const CancelItem = Type.Union([
  Type.String({ maxLength: 64 }),
  Type.Object({ orderId: OptStr(), clientOid: OptStr(128), clientId: OptStr(128) }),
]);

function cancelRef(item: typeof CancelItem.static): OrderRef {
  return typeof item === 'string' ? refOf({ orderId: item }) : refOf(item);
}

const ListQuery = Type.Object({ ...PagingQuery, symbol: Str(), startTime: Str(20), enterPointSource: OptStr(12) });

/** GET open-orders / history-orders of one margin mode: `{orderList, maxId, minId}`, newest first. */
async function listMargin(engine: Engine, uid: string, marginMode: MarginMode, q: typeof ListQuery.static, open: boolean) {
  if (q.startTime === '') throw err(Errors.PARAM_EMPTY, 'startTime');
  const maxLimit = open ? 100 : 500;
  let limit = 100;
  if (q.limit !== undefined && q.limit !== '') {
    if (!/^\d{1,4}$/.test(q.limit) || Number(q.limit) < 1 || Number(q.limit) > maxLimit) throw err(Errors.PARAM_ERROR, 'limit');
    limit = Number(q.limit);
  }
  const paging = { ...parsePaging({ ...q, limit: undefined }), limit };
  if (q.enterPointSource) parseEnum(q.enterPointSource, ['web', 'api', 'sys', 'android', 'ios'], 'enterPointSource');
  const symbol = needSymbol(q.symbol);
  let orders: Order[];
  if (q.orderId || q.clientOid) {
    const o = await engine.getOrder(uid, { orderId: q.orderId || undefined, clientOid: q.clientOid || undefined });
    orders =
      o &&
      o.category === 'MARGIN' &&
      o.marginMode === marginMode &&
      o.symbol === symbol &&
      isOpen(o.status) === open &&
      (paging.startTime === undefined || Number(o.cTime) >= paging.startTime) &&
      (paging.endTime === undefined || Number(o.cTime) <= paging.endTime)
        ? [o]
        : [];
  } else {
    orders = await engine.listOrders({ uid, categories: ['MARGIN'], marginMode, open, symbol, ...paging });
  }
  if (q.enterPointSource && q.enterPointSource.toUpperCase() !== 'API') orders = [];
  return {
    orderList: orders.map(renderMarginOrder),
    maxId: orders.length ? orders[0].orderId : null,
    minId: orders.length ? orders[orders.length - 1].orderId : null,
  };
}

/** The six margin endpoints of one margin mode (reference §4.3; all 10/s/UID per §7). */
function marginModeEndpoints(marginMode: MarginMode): Endpoint[] {
  const base = `/api/v2/margin/${marginMode}`;
  const target = (uid: string) => ({ uid, categories: ['MARGIN'] as const, marginMode });
  return [
    endpoint({
      method: 'POST',
      path: `${base}/place-order`,
      rateLimit: 10,
      auth: TRADE,
      body: Type.Object({ symbol: Str(), ...PlaceFields, requestTime: OptNumLike(), receiveWindow: OptNumLike() }),
      async handle({ body, uid, now, services }) {
        checkReceiveWindow(body.requestTime, body.receiveWindow, now);
        const [r] = await services.engine.place('margin', [toCommand(uid, marginMode, needSymbol(body.symbol), body)]);
        return single(r);
      },
    }),
    endpoint({
      method: 'POST',
      path: `${base}/batch-place-order`,
      rateLimit: 10,
      auth: TRADE,
      tooMany: Errors.BATCH_PLACE_TOO_LARGE_V2,
      body: Type.Object({ symbol: Str(), orderList: List(PlaceItem, 50) }),
      async handle({ body, uid, services }) {
        const symbol = needSymbol(body.symbol);
        const cmds = body.orderList.map((item) => perItem(item, (it) => toCommand(uid, marginMode, symbol, it)));
        return toV2Batch(await services.engine.place('margin', cmds));
      },
    }),
    endpoint({
      method: 'POST',
      path: `${base}/cancel-order`,
      rateLimit: 10,
      auth: TRADE,
      body: Type.Object({ symbol: Str(), orderId: OptStr(), clientOid: OptStr(128) }),
      async handle({ body, uid, services }) {
        const symbol = needSymbol(body.symbol);
        const [r] = await services.engine.cancel('margin', target(uid), [{ ref: refOf(body), symbol }]);
        return single(r);
      },
    }),
    endpoint({
      method: 'POST',
      path: `${base}/batch-cancel-order`,
      rateLimit: 10,
      auth: TRADE,
      tooMany: Errors.BATCH_TOO_LARGE_V2,
      body: Type.Object({ symbol: Str(), orderIdList: List(CancelItem, 50) }),
      async handle({ body, uid, services }) {
        // seed 001: symbol and orderIdList required; items processed in request order
        const symbol = needSymbol(body.symbol);
        const items = body.orderIdList.map((i) => ({ ref: cancelRef(i), symbol }));
        return toV2Batch(await services.engine.cancel('margin', target(uid), items));
      },
    }),
    endpoint({
      method: 'GET',
      path: `${base}/open-orders`,
      rateLimit: 10,
      auth: READ,
      query: ListQuery,
      handle: ({ query, uid, services }) => listMargin(services.engine, uid, marginMode, query, true),
    }),
    endpoint({
      method: 'GET',
      path: `${base}/history-orders`,
      rateLimit: 10,
      auth: READ,
      query: ListQuery,
      handle: ({ query, uid, services }) => listMargin(services.engine, uid, marginMode, query, false),
    }),
  ];
}

/** Cross and isolated margin endpoints. */
export const marginEndpoints: readonly Endpoint[] = [...marginModeEndpoints('crossed'), ...marginModeEndpoints('isolated')];
