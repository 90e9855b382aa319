/**
 * The canonical requests a dialect's mapping produces, ready for the engine: a placement
 * batch, a cancel by ids, or a cancel by scope. Routes hand them to {@link runPlace} /
 * {@link runCancel}, so a declaration stays one line.
 */
import type { BitgetError } from '../../domain/errors.js';
import type { CancelOutcome, CancelScope, Order, OrderRef } from '../../domain/types.js';
import type { CancelItem, CancelTarget } from '../../engine/cancel.js';
import type { Engine } from '../../engine/engine.js';
import type { PlaceCommand, PlaceOutcome } from '../../engine/place.js';
import type { Dialect } from '../../engine/policy.js';
import type { OrderQuery } from '../../store/types.js';

/** One placement item: a command, or the Bitget error its mapping raised (it fails alone). */
export type PlaceItem = PlaceCommand | { error: BitgetError; clientOid: string };

/** A cancel by ids (`target` bounds what may be touched) or by scope (cancel-all). */
export type CancelRequest = { target: CancelTarget; items: CancelItem[] } | { scope: CancelScope };

/** The engine calls a dialect needs (the read side of {@link Engine}). */
export interface OrderReader {
  getOrder(uid: string, ref: OrderRef): Promise<Order | undefined>;
  listOrders(q: OrderQuery): Promise<Order[]>;
}

/** Places `items` through `dialect`'s policy; outcomes in request order. (The one seam between
 * route declarations and `Engine.place`: a change of the engine call is made here once.) */
export function runPlace(engine: Engine, dialect: Dialect, items: PlaceItem[]): Promise<PlaceOutcome[]> {
  return engine.place(dialect, items);
}

/** Runs a cancel request through `dialect`'s policy; outcomes in request order. */
export function runCancel(engine: Engine, dialect: Dialect, req: CancelRequest): Promise<CancelOutcome[]> {
  return 'scope' in req ? engine.cancelScope(req.scope) : engine.cancel(dialect, req.target, req.items);
}
