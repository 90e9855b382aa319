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

const RW = { requestTime: OptStr(20), receiveWindow: OptStr(20) };
/** GET account/accounts, position/all-position query. */
export const ProductTypeQuery = Type.Object({ productType: Str(), marginCoin: OptStr(20), ...RW });
/** GET account/account, position/single-position query. */
export const SymbolAccountQuery = Type.Object({ symbol: Str(), productType: Str(), marginCoin: Str(20), ...RW });
/** GET order/fills query. */
export const FillsQuery = Type.Object({
  productType: Str(),
  symbol: OptStr(),
  orderId: OptStr(),
  startTime: OptStr(20),
  endTime: OptStr(20),
  limit: OptStr(8),
  idLessThan: OptStr(),
  ...RW,
});
/** POST account/set-leverage body. */
export const SetLeverageBody = Type.Object({
  symbol: Str(),
  productType: Str(),
  marginCoin: Str(20),
  leverage: OptStr(8),
  longLeverage: OptStr(8),
  shortLeverage: OptStr(8),
  holdSide: OptStr(8),
});
/** POST account/set-margin-mode body. */
export const SetMarginModeBody = Type.Object({ symbol: Str(), productType: Str(), marginCoin: Str(20), marginMode: Str(16) });
/** POST account/set-position-mode body. */
export const SetPositionModeBody = Type.Object({ productType: Str(), posMode: Str(16) });
