/**
 * Rendering every dialect shares: the two shapes of batch results (v2 successList/failureList,
 * v3 per-item array), the one outcome of a single-order call, and the average fill price.
 * Plain functions, usable by REST handlers and WebSocket pushes alike.
 */
import { BitgetError } from '../../domain/errors.js';
import { div, isZero } from '../../domain/decimal.js';
import type { CancelOutcome, Order } from '../../domain/types.js';
import type { PlaceOutcome } from '../../engine/place.js';

/** v2 batch result: `{successList:[{orderId,clientOid}], failureList:[{orderId,clientOid,errorMsg,errorCode}]}`. */
export interface V2BatchResult {
  successList: Array<{ orderId: string; clientOid: string }>;
  failureList: Array<{ orderId: string; clientOid: string; errorMsg: string; errorCode: string }>;
}

/** Splits outcomes (cancel or place) into Bitget v2's successList / failureList. */
export function toV2Batch(outcomes: ReadonlyArray<CancelOutcome | PlaceOutcome>): V2BatchResult {
  const r: V2BatchResult = { successList: [], failureList: [] };
  for (const o of outcomes) {
    if (o.ok) r.successList.push({ orderId: o.orderId, clientOid: o.clientOid });
    else r.failureList.push({ orderId: o.orderId, clientOid: o.clientOid, errorMsg: o.msg, errorCode: o.code });
  }
  return r;
}

/** v3 batch result item: `{orderId, clientOid}` on success, plus `code`/`msg` on failure. */
export type V3Item = { orderId: string; clientOid: string; code?: string; msg?: string };

/** Renders outcomes as v3's per-item array (request order kept). */
export function toV3Items(outcomes: ReadonlyArray<CancelOutcome | PlaceOutcome>): V3Item[] {
  return outcomes.map((o) =>
    o.ok ? { orderId: o.orderId, clientOid: o.clientOid } : { orderId: o.orderId, clientOid: o.clientOid, code: o.code, msg: o.msg },
  );
}

/**
 * The one outcome of a single-order call as `{orderId, clientOid}`, or its error thrown
 * (request-level for singles: the item's own Bitget code and message, HTTP 400).
 */
export function single(outcomes: ReadonlyArray<CancelOutcome | PlaceOutcome>): { orderId: string; clientOid: string } {
  const outcome = outcomes[0];
  if (!outcome.ok) throw new BitgetError(outcome.code, outcome.msg, 400);
  return { orderId: outcome.orderId, clientOid: outcome.clientOid };
}

/** Average fill price of an order, a decimal string ('0' when nothing filled). */
export function avgPrice(o: Order): string {
  return isZero(o.filledSize) ? '0' : div(o.filledQuote, o.filledSize, 8);
}
