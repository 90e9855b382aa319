/**
 * The engine: the one place where orders are placed, cancelled (by ids or by scope), filled
 * and queried. Dialect adapters build canonical commands, the engine applies the rules
 * (cancel.ts, place.ts, fill.ts) inside one store transaction per request.
 */
import { BitgetError, Errors, err } from '../domain/errors.js';
import type { CancelOutcome, CancelScope, Order } from '../domain/types.js';
import type { Catalogue } from '../markets/catalogue.js';
import type { DomainEvent } from '../events/types.js';
import type { OrderQuery, OrderStore } from '../store/types.js';
import { decideCancel, decideCancelScope, type CancelItem, type CancelTarget } from './cancel.js';
import { decideFill } from './fill.js';
import { IdGenerator } from './ids.js';
import { decidePlace, validatePlace, type PlaceCommand, type PlaceOutcome, type PreparedPlace } from './place.js';
import { POLICIES, type Dialect } from './policy.js';

/** Options of {@link Engine.cancelScope} (the kill switches' cancel-all, src/switches/). */
export interface CancelScopeOptions {
  /** The cancelled orders' `cancelReason` (default Bitget's `normal_cancel`); their events carry it. */
  cancelReason?: string;
  /** Events appended to the unit (e.g. the `switch` event), built from the outcomes: same commit. */
  events?: (result: CancelOutcome[]) => DomainEvent[];
}

/** Facade over store + catalogue; one per process. */
export class Engine {
  /**
   * UIDs whose placements are refused with 40022 (an ordergate panic with `block`; kept by
   * src/switches/service.ts from the store, refreshed by every sweep).
   */
  readonly blocked = new Set<string>();

  constructor(
    readonly store: OrderStore,
    readonly catalogue: Catalogue,
    private readonly ids: IdGenerator = new IdGenerator(0),
    private readonly clock: () => number = Date.now,
  ) {}

  /** Current time in ms (the engine's clock; injectable for tests). */
  now(): number {
    return this.clock();
  }

  /**
   * Places a batch (a single placement is a batch of one). Items that fail validation or
   * clientOid uniqueness fail alone; the rest are committed together.
   * @param items canonical commands, or a BitgetError for an item the adapter already rejected.
   */
  async place(dialect: Dialect, items: ReadonlyArray<PlaceCommand | { error: BitgetError; clientOid: string }>): Promise<PlaceOutcome[]> {
    const policy = POLICIES[dialect];
    const prepared: PreparedPlace[] = items.map((it) => {
      if ('error' in it) return it;
      try {
        validatePlace(it, this.catalogue, policy);
        return { cmd: it, orderId: this.ids.next() };
      } catch (e) {
        if (e instanceof BitgetError) return { error: e, clientOid: it.clientOid ?? '' };
        throw e;
      }
    });
    const uid = items.find((i): i is PlaceCommand => !('error' in i))?.uid;
    if (uid !== undefined && this.blocked.has(uid)) {
      const refused = items.map((it) => ({ error: err(Errors.PLACEMENT_BLOCKED), clientOid: it.clientOid ?? '' }));
      return decidePlace(refused, emptyLoaded, policy, String(this.now())).result;
    }
    if (uid === undefined) return decidePlace(prepared, emptyLoaded, policy, String(this.now())).result;
    const clientOids = prepared.flatMap((p) => ('cmd' in p && p.cmd.clientOid ? [p.cmd.clientOid] : []));
    return this.store.execute({ uid, clientOids }, (loaded) => decidePlace(prepared, loaded, policy, String(this.now())));
  }

  /** Cancels a batch of orders by id or clientOid; per-item outcomes in request order. */
  cancel(dialect: Dialect, target: CancelTarget, items: readonly CancelItem[]): Promise<CancelOutcome[]> {
    const orderIds: string[] = [];
    const clientOids: string[] = [];
    for (const { ref } of items) {
      if (ref.orderId) orderIds.push(ref.orderId);
      else if (ref.clientOid) clientOids.push(ref.clientOid);
    }
    return this.store.execute({ uid: target.uid, orderIds, clientOids }, (loaded) =>
      decideCancel(target, items, loaded, POLICIES[dialect], String(this.now())),
    );
  }

  /**
   * Cancels every open order in `scope` (cancel-all); one success per order cancelled. With
   * `opts` (kill switches): the orders carry `opts.cancelReason` (updates and their
   * `order.updated` events), and `opts.events` are committed in the same unit.
   */
  cancelScope(scope: CancelScope, opts?: CancelScopeOptions): Promise<CancelOutcome[]> {
    if (!opts) return this.store.execute({ uid: scope.uid, scope }, (loaded) => decideCancelScope(scope, loaded, String(this.now())));
    return this.store.execute({ uid: scope.uid, scope }, (loaded) => {
      const d = decideCancelScope(scope, loaded, String(this.now()));
      const reason = opts.cancelReason;
      if (reason !== undefined) {
        for (const u of d.writes.updates) u.cancelReason = reason;
        for (const e of d.writes.events ?? []) if (e.kind === 'order.updated' && e.change === 'cancel') e.order.cancelReason = reason;
      }
      if (opts.events) d.writes.events = [...(d.writes.events ?? []), ...opts.events(d.result)];
      return d;
    });
  }

  /** Fills `size` (default: all that is left) of an open order; returns the order after. */
  fill(orderId: string, size?: string): Promise<Order> {
    return this.store.execute({ uid: null, orderIds: [orderId] }, (loaded) => decideFill(orderId, size, loaded, String(this.now())));
  }

  /** One of `uid`'s orders by orderId (wins) or clientOid. */
  getOrder(uid: string, ref: { orderId?: string; clientOid?: string }): Promise<Order | undefined> {
    return this.store.getOrder(uid, ref);
  }

  /** Open orders or history, newest first. */
  listOrders(q: OrderQuery): Promise<Order[]> {
    return this.store.listOrders(q);
  }
}

const emptyLoaded = { byId: new Map(), byClientOid: new Map(), scoped: [] };
