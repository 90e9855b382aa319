/**
 * v3 unified-account ("UTA") request schemas (reference §4.5): `/api/v3/trade/*`. The batch
 * bodies are bare JSON ARRAYS of at most {@link UTA_BATCH_MAX} items.
 */
import { Type } from '@sinclair/typebox';
import { DecStr, OptNumLike, OptStr, Str } from '../common/index.js';

/** Batch limit of place-batch and cancel-batch (DOC:uta/trade/Place-Batch.md, seed 002). */
export const UTA_BATCH_MAX = 20;

/** One place-order body (also one element of a place-batch array). */
export const PlaceItem = Type.Object({
  category: Str(20),
  symbol: Str(),
  qty: DecStr(),
  price: Type.Optional(DecStr()),
  side: Str(8),
  orderType: Str(8),
  timeInForce: OptStr(12),
  posSide: OptStr(8),
  clientOid: OptStr(),
  reduceOnly: OptStr(4),
  marginMode: OptStr(10),
  stpMode: OptStr(16),
  tpTriggerBy: OptStr(8),
  slTriggerBy: OptStr(8),
  takeProfit: OptStr(40),
  stopLoss: OptStr(40),
  tpOrderType: OptStr(8),
  slOrderType: OptStr(8),
  tpLimitPrice: OptStr(40),
  slLimitPrice: OptStr(40),
  // Bitget's optional request window (reference §1.4), enforced when both are sent
  requestTime: OptNumLike(),
  receiveWindow: OptNumLike(),
});
export type PlaceItem = typeof PlaceItem.static;

/** One cancel-batch element (seed 002): `category` and `symbol` required, one id. */
export const CancelItem = Type.Object({
  orderId: OptStr(),
  clientOid: OptStr(),
  category: Str(20),
  symbol: Str(),
});
export type CancelItem = typeof CancelItem.static;

/** A bare JSON array body of at most {@link UTA_BATCH_MAX} items. */
const Batch = <T extends typeof PlaceItem | typeof CancelItem>(item: T) => Type.Array(item, { minItems: 1, maxItems: UTA_BATCH_MAX });

/** place-batch body. */
export const PlaceBatchBody = Batch(PlaceItem);
/** cancel-batch body (seed 002). */
export const CancelBatchBody = Batch(CancelItem);
/** cancel-order body (`symbol` is what ccxt sends; not on the doc page). */
export const CancelBody = Type.Object({ orderId: OptStr(), clientOid: OptStr(), category: OptStr(20), symbol: OptStr() });
/** cancel-symbol-order body. */
export const CancelSymbolBody = Type.Object({ category: Str(20), symbol: OptStr() });
/** GET order-info query. */
export const OrderInfoQuery = Type.Object({ orderId: OptStr(), clientOid: OptStr() });
/** GET unfilled-orders / history-orders query. */
export const ListQuery = Type.Object({
  category: OptStr(20),
  symbol: OptStr(),
  startTime: OptStr(20),
  endTime: OptStr(20),
  limit: OptStr(4),
  cursor: OptStr(20),
});
export type ListQuery = typeof ListQuery.static;

const RW = { requestTime: OptStr(20), receiveWindow: OptStr(20) };
/** POST account/set-leverage body. */
export const SetLeverageBody = Type.Object({ category: Str(), symbol: OptStr(), leverage: Str(8), coin: OptStr(20), posSide: OptStr(8) });
/** POST account/set-hold-mode body. */
export const SetHoldModeBody = Type.Object({ holdMode: Str(16) });
/** GET position/current-position query. */
export const PositionQuery = Type.Object({ category: Str(), symbol: OptStr(), posSide: OptStr(8), ...RW });
/** GET trade/fills query. */
export const FillsQuery = Type.Object({
  category: OptStr(),
  orderId: OptStr(),
  startTime: OptStr(20),
  endTime: OptStr(20),
  limit: OptStr(8),
  cursor: OptStr(),
  ...RW,
});
/** GET account/fee-rate query. */
export const FeeRateQuery = Type.Object({ symbol: Str(), category: Str(), ...RW });
