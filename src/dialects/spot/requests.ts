/**
 * v2 spot request -> canonical command mapping (reference §4.1).
 *
 * Choices where Bitget is ambiguous (listed in the README):
 * - `force` is required for limit orders (40019 "Parameter force cannot be empty"), as the docs
 *   say; for market orders it is optional and has no effect. Accepted in any case (ccxt sends `GTC`).
 * - Trigger and TP/SL fields (`triggerPrice`, `tpslType=tpsl`, `presetTakeProfitPrice`,
 *   `executeTakeProfitPrice`, `presetStopLossPrice`, `executeStopLossPrice`) are not
 *   implemented: a well-formed non-empty value is refused with 40017 naming the field.
 * - batch requests: a missing required symbol (top-level in `single` mode, per item in
 *   `multiple` mode) and an item with neither orderId nor clientOid reject the whole request
 *   (40019 / 40924); an item of batch-orders whose own fields are wrong fails alone.
 */
import { Errors, err } from '../../domain/errors.js';
import type { CancelScope } from '../../domain/types.js';
import type { Catalogue } from '../../markets/catalogue.js';
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
  perItem,
  refOf,
  refuseUnknownFields,
  refuseUnsupported,
  type CancelRequest,
  type PlaceItem as PlaceRequestItem,
} from '../common/index.js';
import { BatchCancelBody, BatchPlaceBody, CancelBody, CancelSymbolBody, PlaceBody, PlaceItem } from './schemas.js';

/** Trigger / TP-SL fields of a spot placement, all refused (ordergate has no trigger engine). */
const UNSUPPORTED = {
  tpslType: ['tpsl'],
  triggerPrice: 'price',
  presetTakeProfitPrice: 'price',
  executeTakeProfitPrice: 'price',
  presetStopLossPrice: 'price',
  executeStopLossPrice: 'price',
} as const;

const PLACE_FIELDS = fieldsOf(PlaceBody);
const BATCH_FIELDS = fieldsOf(BatchPlaceBody);
const ITEM_FIELDS = fieldsOf(PlaceItem);

/**
 * Maps one spot place body (or batch item) to a canonical command. `size` is the base
 * quantity, or the quote amount for a market buy (the engine knows this from SPOT+market+buy).
 * @throws BitgetError 40019 (force missing on a limit order), 40020 (bad enum or preset price),
 *   40017 (a trigger/TP-SL field or a field spot does not know).
 */
function toCommand(uid: string, symbol: string, b: PlaceItem): PlaceCommand {
  const orderType = parseEnum(b.orderType, ORDER_TYPES, 'orderType');
  if (orderType === 'limit' && !b.force) throw err(Errors.PARAM_EMPTY, 'force');
  const force = parseEnumOr(b.force, FORCES, 'force', 'gtc');
  // tpslType=normal (the default) is accepted; tpsl (a TP/SL plan order) is refused below
  const tpslType = parseEnumOr(b.tpslType, ['normal', 'tpsl'], 'tpslType', 'normal');
  refuseUnsupported({ ...b, tpslType: tpslType === 'normal' ? undefined : tpslType }, UNSUPPORTED);
  const extra: Record<string, string> = {};
  if (b.stpMode) extra.stpMode = parseEnum(b.stpMode, STP_MODES, 'stpMode');
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

/**
 * place-order body -> one command.
 * @throws BitgetError 40078/40079 (receive window), 40019/40020/40017 (see toCommand).
 */
export function spotPlaceRequest(uid: string, body: typeof PlaceBody.static, now: number): PlaceCommand[] {
  checkReceiveWindow(body.requestTime, body.receiveWindow, now);
  refuseUnknownFields(body, PLACE_FIELDS);
  return [toCommand(uid, needSymbol(body.symbol), body)];
}

/**
 * batch-orders body -> one command (or item error) per item, in request order.
 * @throws BitgetError request-level: receive window, batchMode 40020, a missing symbol 40019,
 *   an unknown top-level field 40017. Item-level errors fail that item alone.
 */
export function spotBatchPlaceRequest(uid: string, body: typeof BatchPlaceBody.static, now: number): PlaceRequestItem[] {
  checkReceiveWindow(body.requestTime, body.receiveWindow, now);
  refuseUnknownFields(body, BATCH_FIELDS);
  const mode = batchModeOf(body.batchMode);
  const top = mode === 'single' ? needSymbol(body.symbol) : undefined;
  const symbols = body.orderList.map((i) => top ?? needSymbol(i.symbol));
  return body.orderList.map((item, i) =>
    perItem(item, (it) => {
      refuseUnknownFields(it, ITEM_FIELDS);
      return toCommand(uid, symbols[i], it);
    }),
  );
}

/**
 * cancel-order body -> a cancel of one SPOT order.
 * @throws BitgetError receive window; `tpslType=tpsl`: 40019 without orderId, else 43001 (no
 *   spot TP/SL orders exist here); 40019 symbol; 40924 no id.
 */
export function spotCancelRequest(uid: string, body: typeof CancelBody.static, now: number): CancelRequest {
  checkReceiveWindow(body.requestTime, body.receiveWindow, now);
  if (parseEnumOr(body.tpslType, ['normal', 'tpsl'], 'tpslType', 'normal') === 'tpsl') {
    // no spot TP/SL orders exist here: orderId is required and never found
    if (!body.orderId) throw err(Errors.PARAM_EMPTY, 'orderId');
    throw err(Errors.SPOT_ORDER_NOT_FOUND);
  }
  const symbol = needSymbol(body.symbol);
  return { target: { uid, categories: ['SPOT'] }, items: [{ ref: refOf(body), symbol }] };
}

/**
 * batch-cancel-order body (seed 003) -> a cancel of SPOT orders by ids. `single` uses the
 * top-level symbol and ignores item symbols; `multiple` requires each item's symbol and
 * ignores the top-level one.
 * @throws BitgetError 40020 batchMode, 40019 symbol, 40924 an item with no id.
 */
export function spotBatchCancelRequest(uid: string, body: typeof BatchCancelBody.static): CancelRequest {
  const mode = batchModeOf(body.batchMode);
  const top = mode === 'single' ? needSymbol(body.symbol) : undefined;
  const items = body.orderList.map((i) => ({ ref: refOf(i), symbol: top ?? needSymbol(i.symbol) }));
  return { target: { uid, categories: ['SPOT'] }, items };
}

/**
 * cancel-symbol-order body -> a scope cancel of one spot symbol (run synchronously here;
 * Bitget queues it). Answer with {@link spotCancelSymbolResult}.
 * @throws BitgetError 40019 symbol empty, 42016 not a spot market.
 */
export function spotCancelSymbolRequest(
  uid: string,
  body: typeof CancelSymbolBody.static,
  catalogue: Catalogue,
): { scope: CancelScope & { symbol: string } } {
  const symbol = needSymbol(body.symbol);
  if (!catalogue.get('SPOT', symbol)) throw err(Errors.SPOT_SYMBOL_INVALID, symbol);
  return { scope: { uid, categories: ['SPOT'], symbol } };
}

/** cancel-symbol-order's answer: `{symbol}` (Bitget reports no orders). */
export function spotCancelSymbolResult(req: { scope: { symbol: string } }): { symbol: string } {
  return { symbol: req.scope.symbol };
}
