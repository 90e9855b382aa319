/**
 * v3 unified-account ("UTA") request -> canonical command mapping (reference §4.5; seed page
 * 002 = POST /api/v3/trade/cancel-batch).
 *
 * - one `category` (SPOT | MARGIN | USDT-FUTURES | COIN-FUTURES | USDC-FUTURES, any case)
 *   instead of productType / per-dialect paths;
 * - place-batch and cancel-batch bodies are bare JSON arrays (≤ 20 items);
 * - every item of one cancel-batch must name the same category (else 25200, nothing cancelled);
 * - TP/SL fields (`takeProfit`, `stopLoss`, `tpTriggerBy`, `slTriggerBy`, `tpOrderType`,
 *   `slOrderType`, `tpLimitPrice`, `slLimitPrice`) are validated (40020) and then refused
 *   (40017): ordergate has no trigger engine, and an ignored stop would leave a bot believing
 *   its stop exists.
 */
import { Errors, err } from '../../domain/errors.js';
import { isDecimalString, isZero } from '../../domain/decimal.js';
import { CATEGORIES, type MarginMode } from '../../domain/types.js';
import type { PlaceCommand } from '../../engine/place.js';
import type { Catalogue } from '../../markets/catalogue.js';
import {
  FORCES,
  ORDER_TYPES,
  SIDES,
  STP_MODES,
  checkReceiveWindow,
  fieldsOf,
  parseCategory,
  parseEnum,
  parseEnumOr,
  perItem,
  refOf,
  refuseUnknownFields,
  refuseUnsupported,
  type CancelRequest,
  type PlaceItem as PlaceRequestItem,
} from '../common/index.js';
import { isFutures } from './render.js';
import { PlaceItem, type CancelBody, type CancelItem, type CancelSymbolBody } from './schemas.js';

const MARGIN_MODES: readonly MarginMode[] = ['crossed', 'isolated'];
const TRIGGER_BY = ['market', 'mark'] as const;

/** TP/SL fields of a v3 placement, in the order they are checked; all refused once well-formed. */
const UNSUPPORTED = {
  takeProfit: 'price',
  stopLoss: 'price',
  tpTriggerBy: TRIGGER_BY,
  slTriggerBy: TRIGGER_BY,
  tpOrderType: ORDER_TYPES,
  slOrderType: ORDER_TYPES,
  tpLimitPrice: 'price',
  slLimitPrice: 'price',
} as const;

const PLACE_FIELDS = fieldsOf(PlaceItem);

/**
 * Maps a v3 place body to the canonical command.
 * MARGIN orders get `marginMode` from the body (`crossed` | `isolated`), default `crossed`
 * (the v3 page documents no marginMode and says isolated spot margin is "coming soon");
 * futures orders get the same default as position margin mode and the market's first
 * margin coin. `posSide` is kept for futures only (the doc's own SPOT example sends one).
 * @throws BitgetError 40020 for a malformed enum/decimal field (named after the v3 field),
 *   40017 for a TP/SL field or a field v3 place-order does not know.
 */
function toCommand(uid: string, b: PlaceItem, catalogue: Catalogue, now: number): PlaceCommand {
  checkReceiveWindow(b.requestTime, b.receiveWindow, now);
  refuseUnknownFields(b, PLACE_FIELDS);
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
  refuseUnsupported(b, UNSUPPORTED);
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

/**
 * Defensive check for the array bodies: AJV already rejects a non-array body, but a request
 * with no body at all may reach the handler as `{}`.
 * @throws BitgetError 40017 "Parameter verification failed request body must be a JSON array", 40019 empty.
 */
function asArray<T>(body: unknown): T[] {
  if (!Array.isArray(body)) throw err(Errors.PARAM_VERIFY_FAILED, 'request body must be a JSON array');
  if (body.length === 0) throw err(Errors.PARAM_EMPTY, 'body');
  return body as T[];
}

/** place-order body -> one command. @throws BitgetError 40078/40079 receive window, 40020, 40017 (see toCommand). */
export function utaPlaceRequest(uid: string, body: PlaceItem, catalogue: Catalogue, now: number): PlaceCommand[] {
  return [toCommand(uid, body, catalogue, now)];
}

/** place-batch array -> one command (or item error) per item: a malformed item fails alone. */
export function utaPlaceBatchRequest(uid: string, body: unknown, catalogue: Catalogue, now: number): PlaceRequestItem[] {
  return asArray<PlaceItem>(body).map((b) => perItem(b, (it) => toCommand(uid, it, catalogue, now)));
}

/**
 * cancel-order body -> a cancel of one order, in `category` when given (else any). When
 * `symbol` is given (ccxt sends it), an order on another symbol is not found.
 * @throws BitgetError 40020 category, 40924 no id.
 */
export function utaCancelRequest(uid: string, body: typeof CancelBody.static): CancelRequest {
  const categories = body.category ? [parseCategory(body.category)] : CATEGORIES;
  return { target: { uid, categories }, items: [{ ref: refOf(body), symbol: body.symbol?.toUpperCase() || undefined }] };
}

/**
 * cancel-batch array (seed 002) -> a cancel by ids in one category. "If both orderId and
 * clientOid are provided ... the clientOid will be ignored".
 * @throws BitgetError 40020 category, 25200 mixed categories, 40924 an item with no id.
 */
export function utaCancelBatchRequest(uid: string, body: unknown): CancelRequest {
  const list = asArray<CancelItem>(body);
  const categories = list.map((i) => parseCategory(i.category));
  if (categories.some((c) => c !== categories[0])) throw err(Errors.UTA_MIXED_CATEGORY);
  const items = list.map((i) => {
    const ref = refOf(i);
    return { ref: ref.orderId ? { orderId: ref.orderId } : ref, symbol: i.symbol.toUpperCase() };
  });
  return { target: { uid, categories: [categories[0]] }, items };
}

/** cancel-symbol-order body -> a scope cancel of a category (and symbol). @throws BitgetError 40020 category. */
export function utaCancelSymbolRequest(uid: string, body: typeof CancelSymbolBody.static): CancelRequest {
  const category = parseCategory(body.category);
  const symbol = body.symbol?.toUpperCase() || undefined;
  return { scope: { uid, categories: [category], symbol } };
}
