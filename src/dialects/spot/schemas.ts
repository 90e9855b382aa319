/**
 * v2 spot request schemas (reference §4.1): `/api/v2/spot/trade/*` bodies and queries.
 */
import { Type } from '@sinclair/typebox';
import { DecStr, List, OptNumLike, OptStr, PagingQuery, Str } from '../common/index.js';

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
/** One batch-orders item. */
export const PlaceItem = Type.Object({ symbol: OptStr(), ...PlaceFields });
export type PlaceItem = typeof PlaceItem.static;
/** place-order body. */
export const PlaceBody = Type.Object({
  symbol: Str(),
  ...PlaceFields,
  requestTime: OptNumLike(),
  receiveWindow: OptNumLike(),
});
/** batch-orders body. */
export const BatchPlaceBody = Type.Object({
  symbol: OptStr(),
  batchMode: OptStr(12),
  orderList: List(PlaceItem, 50),
  requestTime: OptNumLike(),
  receiveWindow: OptNumLike(),
});
/** cancel-order body. */
export const CancelBody = Type.Object({
  symbol: OptStr(),
  tpslType: OptStr(8),
  orderId: OptStr(),
  clientOid: OptStr(128),
  requestTime: OptNumLike(),
  receiveWindow: OptNumLike(),
});
/** batch-cancel-order body (seed 003). */
export const BatchCancelBody = Type.Object({
  symbol: OptStr(),
  batchMode: OptStr(12),
  orderList: List(Type.Object({ symbol: OptStr(), orderId: OptStr(), clientOid: OptStr(128) }), 50),
});
/** cancel-symbol-order body. */
export const CancelSymbolBody = Type.Object({ symbol: Str() });
/** GET orderInfo query. */
export const OrderInfoQuery = Type.Object({
  orderId: OptStr(),
  clientOid: OptStr(128),
  requestTime: OptStr(20),
  receiveWindow: OptStr(20),
});
/** GET unfilled-orders / history-orders query. */
export const ListQuery = Type.Object({
  ...PagingQuery,
  tpslType: OptStr(8),
  requestTime: OptStr(20),
  receiveWindow: OptStr(20),
});
export type ListQuery = typeof ListQuery.static;

/** GET /api/v2/spot/account/assets query. */
export const AssetsQuery = Type.Object({ coin: OptStr(20), assetType: OptStr(16), requestTime: OptStr(20), receiveWindow: OptStr(20) });
/** GET /api/v2/spot/trade/fills query. */
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
/** GET /api/v2/common/trade-rate query. */
export const TradeRateQuery = Type.Object({ symbol: Str(), businessType: Str(16), requestTime: OptStr(20), receiveWindow: OptStr(20) });
/** POST /api/v2/spot/wallet/transfer body. */
/** `amount` a decimal string, or a JSON number as ccxt sends it. */
export const TransferBody = Type.Object({ fromType: Str(20), toType: Str(20), amount: Type.Union([Type.String({ maxLength: 40 }), Type.Number()]), coin: Str(20), symbol: OptStr(), clientOid: OptStr() });
/** GET /api/v2/spot/account/bills query. */
export const BillsQuery = Type.Object({
  coin: OptStr(20),
  groupType: OptStr(20),
  businessType: OptStr(30),
  startTime: OptStr(20),
  endTime: OptStr(20),
  limit: OptStr(8),
  idLessThan: OptStr(),
  requestTime: OptStr(20),
  receiveWindow: OptStr(20),
});
