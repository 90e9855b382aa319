/**
 * v2 futures ("mix") request -> canonical command mapping (reference §4.2; seed pages 000
 * batch-cancel-orders and 004 cancel-all-orders).
 *
 * Preset take-profit / stop-loss (`presetStopSurplusPrice`, `presetStopLossPrice`,
 * `presetStopSurplusExecutePrice`, `presetStopLossExecutePrice`) are validated as prices
 * (40020) and then refused (40017): ordergate has no trigger engine.
 */
import { Errors, err } from '../../domain/errors.js';
import type { Category, MarginMode } from '../../domain/types.js';
import type { PlaceCommand } from '../../engine/place.js';
import {
  FORCES,
  ORDER_TYPES,
  SIDES,
  STP_MODES,
  checkReceiveWindow,
  fieldsOf,
  parseEnum,
  parseEnumOr,
  parseProductType,
  perItem,
  refOf,
  refuseUnknownFields,
  refuseUnsupported,
  type CancelRequest,
  type PlaceItem as PlaceRequestItem,
} from '../common/index.js';
import { BatchCancelBody, BatchPlaceBody, CancelAllBody, CancelBody, PlaceBody, PlaceItem } from './schemas.js';

const MARGIN_MODES: readonly MarginMode[] = ['crossed', 'isolated'];

/** Preset TP/SL fields of a futures placement, all refused once well-formed. */
const UNSUPPORTED = {
  presetStopSurplusPrice: 'price',
  presetStopLossPrice: 'price',
  presetStopSurplusExecutePrice: 'price',
  presetStopLossExecutePrice: 'price',
} as const;

const PLACE_FIELDS = fieldsOf(PlaceBody);
const BATCH_FIELDS = fieldsOf(BatchPlaceBody);
const ITEM_FIELDS = fieldsOf(PlaceItem);

type Head = { uid: string; category: Category; symbol: string; marginMode: MarginMode; marginCoin: string };

/**
 * Maps one futures place body (or batch item) under its head to a canonical command.
 * @throws BitgetError 40020 (bad enum or preset price), 40017 (a preset TP/SL).
 */
function toCommand(h: Head, b: PlaceItem): PlaceCommand {
  const extra: Record<string, string> = {};
  if (b.tradeSide) extra.tradeSide = parseEnum(b.tradeSide, ['open', 'close'], 'tradeSide');
  if (b.reduceOnly) extra.reduceOnly = parseEnum(b.reduceOnly, ['yes', 'no'], 'reduceOnly').toUpperCase();
  refuseUnsupported(b, UNSUPPORTED);
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

/** The request-level head of a placement. @throws BitgetError 40020 productType / marginMode. */
function head(uid: string, b: { symbol: string; productType: string; marginMode: string; marginCoin: string }): Head {
  return {
    uid,
    category: parseProductType(b.productType),
    symbol: b.symbol.toUpperCase(),
    marginMode: parseEnum(b.marginMode, MARGIN_MODES, 'marginMode'),
    marginCoin: b.marginCoin.toUpperCase(),
  };
}

/** place-order body -> one command. @throws BitgetError receive window, 40020, 40017. */
export function mixPlaceRequest(uid: string, body: typeof PlaceBody.static, now: number): PlaceCommand[] {
  checkReceiveWindow(body.requestTime, body.receiveWindow, now);
  refuseUnknownFields(body, PLACE_FIELDS);
  return [toCommand(head(uid, body), body)];
}

/**
 * batch-place-order body -> one command (or item error) per item, in request order.
 * @throws BitgetError request-level: receive window, 40020 productType / marginMode, 40017 unknown top-level field.
 */
export function mixBatchPlaceRequest(uid: string, body: typeof BatchPlaceBody.static, now: number): PlaceRequestItem[] {
  checkReceiveWindow(body.requestTime, body.receiveWindow, now);
  refuseUnknownFields(body, BATCH_FIELDS);
  const h = head(uid, body);
  return body.orderList.map((item) =>
    perItem(item, (i) => {
      refuseUnknownFields(i, ITEM_FIELDS);
      return toCommand(h, i);
    }),
  );
}

/** cancel-order body -> a cancel of one futures order. @throws BitgetError receive window, 40020, 40924. */
export function mixCancelRequest(uid: string, body: typeof CancelBody.static, now: number): CancelRequest {
  checkReceiveWindow(body.requestTime, body.receiveWindow, now);
  const category = parseProductType(body.productType);
  return {
    target: { uid, categories: [category], marginCoin: body.marginCoin?.toUpperCase() || undefined },
    items: [{ ref: refOf(body), symbol: body.symbol.toUpperCase() }],
  };
}

/**
 * batch-cancel-orders body (seed 000): with `orderIdList`, a cancel by ids (symbol required);
 * without it, every open order of the productType (and symbol, marginCoin when given).
 * @throws BitgetError 40020 productType, 40019 symbol (with a list), 40924 an item with no id.
 */
export function mixBatchCancelRequest(uid: string, body: typeof BatchCancelBody.static): CancelRequest {
  const category = parseProductType(body.productType);
  const symbol = body.symbol?.toUpperCase() || undefined;
  const marginCoin = body.marginCoin?.toUpperCase() || undefined;
  if (body.orderIdList === undefined) {
    // seed 000: without orderIdList, cancel every open order of productType (and symbol, marginCoin)
    return { scope: { uid, categories: [category], symbol, marginCoin } };
  }
  if (!symbol) throw err(Errors.PARAM_EMPTY, 'symbol');
  const items = body.orderIdList.map((i) => ({ ref: refOf(i), symbol }));
  return { target: { uid, categories: [category], marginCoin }, items };
}

/** cancel-all-orders body (seed 004) -> a scope cancel. @throws BitgetError receive window, 40020. */
export function mixCancelAllRequest(uid: string, body: typeof CancelAllBody.static, now: number): CancelRequest {
  checkReceiveWindow(body.requestTime, body.receiveWindow, now);
  const category = parseProductType(body.productType);
  const marginCoin = body.marginCoin?.toUpperCase() || undefined;
  return { scope: { uid, categories: [category], marginCoin } };
}
