/**
 * v2 margin request -> canonical command mapping, cross and isolated (reference §4.3-4.4;
 * seed page 001 crossed batch-cancel-order). The margin mode comes from the path. A crossed
 * endpoint touches only crossed margin orders, an isolated one only isolated ones.
 *
 * Choices where Bitget is ambiguous (listed in the README):
 * - `loanType` and `force` are required as the docs say (40019), `force` only for limit orders;
 *   both are matched case-insensitively; `loanType` is echoed in Bitget's camelCase.
 * - limit and market-sell orders need `baseSize`, market buys `quoteSize` (40019 naming the
 *   missing one); the other size field is ignored.
 * - batch-cancel-order `orderIdList` items may be `{orderId|clientOid}` objects (ccxt, docs),
 *   plain strings taken as orderIds (bitget-api's `string[]` type), or use the docs' typo `clientId`.
 */
import { Errors, err } from '../../domain/errors.js';
import type { MarginMode, OrderRef } from '../../domain/types.js';
import type { CancelTarget } from '../../engine/cancel.js';
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
  type CancelRequest,
  type PlaceItem as PlaceRequestItem,
} from '../common/index.js';
import { marginQuoteSized } from './render.js';
import { BatchCancelBody, BatchPlaceBody, CancelBody, PlaceBody, PlaceItem, type CancelItem } from './schemas.js';

/** Bitget's loanType values, keyed by their lower-case form (input is case-insensitive). */
const LOAN_TYPES: Record<string, string> = {
  normal: 'normal',
  autoloan: 'autoLoan',
  autorepay: 'autoRepay',
  autoloanandrepay: 'autoLoanAndRepay',
};

const PLACE_FIELDS = fieldsOf(PlaceBody);
const BATCH_FIELDS = fieldsOf(BatchPlaceBody);
const ITEM_FIELDS = fieldsOf(PlaceItem);

/**
 * Maps one margin place body (or batch item) to a canonical command.
 * @throws BitgetError 40019 (loanType, force on a limit order, baseSize or quoteSize missing), 40020 (bad enum).
 */
function toCommand(uid: string, marginMode: MarginMode, symbol: string, b: PlaceItem): PlaceCommand {
  const orderType = parseEnum(b.orderType, ORDER_TYPES, 'orderType');
  const side = parseEnum(b.side, SIDES, 'side');
  if (b.loanType === '') throw err(Errors.PARAM_EMPTY, 'loanType');
  const key = b.loanType.toLowerCase();
  const loanType = Object.hasOwn(LOAN_TYPES, key) ? LOAN_TYPES[key] : undefined; // own keys only: 'constructor' is no loanType
  if (!loanType) throw err(Errors.PARAM_ERROR, 'loanType');
  if (orderType === 'limit' && !b.force) throw err(Errors.PARAM_EMPTY, 'force');
  const force = parseEnumOr(b.force, FORCES, 'force', 'gtc');
  const sizeField = marginQuoteSized({ orderType, side }) ? 'quoteSize' : 'baseSize';
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

/** Upper-cased symbol, or 40019 "Parameter symbol cannot be empty". */
export function marginSymbol(s: string): string {
  if (s.trim() === '') throw err(Errors.PARAM_EMPTY, 'symbol');
  return s.toUpperCase();
}

function cancelRef(item: CancelItem): OrderRef {
  return typeof item === 'string' ? refOf({ orderId: item }) : refOf(item);
}

const target = (uid: string, marginMode: MarginMode): CancelTarget => ({ uid, categories: ['MARGIN'], marginMode });

/** place-order body -> one command. @throws BitgetError receive window, 40019, 40020, 40017 unknown field. */
export function marginPlaceRequest(uid: string, marginMode: MarginMode, body: typeof PlaceBody.static, now: number): PlaceCommand[] {
  checkReceiveWindow(body.requestTime, body.receiveWindow, now);
  refuseUnknownFields(body, PLACE_FIELDS);
  return [toCommand(uid, marginMode, marginSymbol(body.symbol), body)];
}

/** batch-place-order body -> one command (or item error) per item. @throws BitgetError receive window, 40019 symbol, 40017 unknown top-level field. */
export function marginBatchPlaceRequest(uid: string, marginMode: MarginMode, body: typeof BatchPlaceBody.static, now: number): PlaceRequestItem[] {
  checkReceiveWindow(body.requestTime, body.receiveWindow, now);
  refuseUnknownFields(body, BATCH_FIELDS);
  const symbol = marginSymbol(body.symbol);
  return body.orderList.map((item) =>
    perItem(item, (it) => {
      refuseUnknownFields(it, ITEM_FIELDS);
      return toCommand(uid, marginMode, symbol, it);
    }),
  );
}

/** cancel-order body -> a cancel of one margin order of `marginMode`. @throws BitgetError 40019, 40924. */
export function marginCancelRequest(uid: string, marginMode: MarginMode, body: typeof CancelBody.static): CancelRequest {
  const symbol = marginSymbol(body.symbol);
  return { target: target(uid, marginMode), items: [{ ref: refOf(body), symbol }] };
}

/** batch-cancel-order body (seed 001: symbol and orderIdList required; request order kept). @throws BitgetError 40019, 40924. */
export function marginBatchCancelRequest(uid: string, marginMode: MarginMode, body: typeof BatchCancelBody.static): CancelRequest {
  const symbol = marginSymbol(body.symbol);
  return { target: target(uid, marginMode), items: body.orderIdList.map((i) => ({ ref: cancelRef(i), symbol })) };
}
