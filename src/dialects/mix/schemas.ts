/**
 * v2 futures ("mix") request schemas (reference §4.2): `/api/v2/mix/order/*`.
 */
import { Type } from '@sinclair/typebox';
import { DecStr, List, OptNumLike, OptStr, PagingQuery, RefItem, Str } from '../common/index.js';

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
/** One batch-place-order item. */
export const PlaceItem = Type.Object(PlaceFields);
export type PlaceItem = typeof PlaceItem.static;
/** place-order body. */
export const PlaceBody = Type.Object({
  symbol: Str(),
  productType: Str(),
  marginMode: Str(),
  marginCoin: Str(),
  ...PlaceFields,
  requestTime: OptNumLike(),
  receiveWindow: OptNumLike(),
});
/** batch-place-order body. */
export const BatchPlaceBody = Type.Object({
  symbol: Str(),
  productType: Str(),
  marginMode: Str(),
  marginCoin: Str(),
  orderList: List(PlaceItem, 50),
  requestTime: OptNumLike(),
  receiveWindow: OptNumLike(),
});
/** cancel-order body. */
export const CancelBody = Type.Object({
  symbol: Str(),
  productType: Str(),
  marginCoin: OptStr(),
  orderId: OptStr(),
  clientOid: OptStr(),
  requestTime: OptNumLike(),
  receiveWindow: OptNumLike(),
});
/** batch-cancel-orders body (seed 000). */
export const BatchCancelBody = Type.Object({
  symbol: OptStr(),
  productType: Str(),
  marginCoin: OptStr(),
  orderIdList: Type.Optional(List(RefItem, 50)),
});
/** cancel-all-orders body (seed 004). */
export const CancelAllBody = Type.Object({
  productType: Str(),
  marginCoin: OptStr(),
  requestTime: OptNumLike(),
  receiveWindow: OptNumLike(),
});
/** GET detail query. */
export const OrderQuery = Type.Object({ symbol: Str(), productType: Str(), orderId: OptStr(), clientOid: OptStr() });
/** GET orders-pending / orders-history query. */
export const ListQuery = Type.Object({ productType: Str(), status: OptStr(20), ...PagingQuery });
export type ListQuery = typeof ListQuery.static;
