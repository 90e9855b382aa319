/**
 * v2 margin request schemas, cross and isolated (reference §4.3-4.4):
 * `/api/v2/margin/{crossed|isolated}/*`.
 */
import { Type } from '@sinclair/typebox';
import { List, OptNumLike, OptStr, PagingQuery, Str } from '../common/index.js';

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
/** One batch-place-order item. */
export const PlaceItem = Type.Object(PlaceFields);
export type PlaceItem = typeof PlaceItem.static;
/** place-order body. */
export const PlaceBody = Type.Object({ symbol: Str(), ...PlaceFields, requestTime: OptNumLike(), receiveWindow: OptNumLike() });
/** batch-place-order body. */
export const BatchPlaceBody = Type.Object({ symbol: Str(), orderList: List(PlaceItem, 50), requestTime: OptNumLike(), receiveWindow: OptNumLike() });
/** cancel-order body. */
export const CancelBody = Type.Object({ symbol: Str(), orderId: OptStr(), clientOid: OptStr(128) });
/** A batch-cancel item: `{orderId|clientOid|clientId}` object or a bare orderId string. */
export const CancelItem = Type.Union([
  Type.String({ maxLength: 64 }),
  Type.Object({ orderId: OptStr(), clientOid: OptStr(128), clientId: OptStr(128) }),
]);
export type CancelItem = typeof CancelItem.static;
/** batch-cancel-order body (seed 001). */
export const BatchCancelBody = Type.Object({ symbol: Str(), orderIdList: List(CancelItem, 50) });
/** GET open-orders / history-orders query. */
export const ListQuery = Type.Object({ ...PagingQuery, symbol: Str(), startTime: Str(20), enterPointSource: OptStr(12) });
export type ListQuery = typeof ListQuery.static;

/** GET crossed/account/assets query. */
export const CrossedAssetsQuery = Type.Object({ coin: OptStr(20), requestTime: OptStr(20), receiveWindow: OptStr(20) });
/** GET isolated/account/assets query. */
export const IsolatedAssetsQuery = Type.Object({ symbol: OptStr(), requestTime: OptStr(20), receiveWindow: OptStr(20) });
/** GET crossed|isolated/fills query. */
export const FillsQuery = Type.Object({
  symbol: OptStr(),
  orderId: OptStr(),
  startTime: OptStr(20),
  endTime: OptStr(20),
  limit: OptStr(8),
  idLessThan: OptStr(),
  requestTime: OptStr(20),
  receiveWindow: OptStr(20),
});
