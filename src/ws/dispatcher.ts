/**
 * Pushes committed events to subscribed connections: the only producer of channel pushes
 * (DESIGN.md "Event stream": WebSocket pushes are a subscriber of the bus).
 *
 * For each order event (`order.created`, `order.updated`), in the bus's sequence order, it
 * computes the subscription keys the order reaches (channels.ts `orderChannels`, prefixed with
 * the order's UID, so a UID only ever receives its own orders), renders the order once per key
 * in that channel's dialect and sends the same frame to every connection holding the key:
 * `{"action":"snapshot","arg":{…},"data":[order, …],"ts":<commit ms>}` (consecutive orders of
 * one delivery that reach the same keys share a frame, see `deliver`). `trade` events go the
 * same way to the `fill` channels (src/ws/money.ts `fillChannels`).
 *
 * `balance` and `position` events mark the UID's snapshot channels (`account*`, `positions`,
 * v3 `account`/`position`) changed; after the delivery each changed key that has subscribers is
 * read from the store once and pushed whole (one frame per delivery per subscription). Those
 * reads, and the snapshot a subscribe asks for, run on one queue per UID, so a subscription's
 * snapshots leave in order. `switch` events push nothing themselves (their cancels do).
 */
import type { Engine } from '../engine/engine.js';
import type { BalanceEventData, EventBus, PositionEventData, StoredEvent, Subscription, TradeEventData } from '../events/types.js';
import type { Catalogue } from '../markets/catalogue.js';
import { orderChannels, type ServedChannel } from './channels.js';
import { balanceKeys, fillChannels, positionKeys, readSnapshot, snapshotChannel } from './money.js';
import type { Connection } from './connection.js';
import { pushFrameJson } from './frames.js';
import type { Registry } from './registry.js';
import { renderOrderPush } from './render.js';

/** Most orders in one push frame (Bitget's batch size). */
export const MAX_ITEMS_PER_PUSH = 50;

/** Consecutive events going to the same keys, gathered into one frame per key. */
interface Run {
  sig: string;
  ts: number;
  count: number;
  frames: Array<{ pushArg: Record<string, string>; dialect: string; subs: ReadonlySet<Connection>; items: unknown[] }>;
}

/** Subscribes to a bus and fans its events out to connections. */
export class Dispatcher {
  private sub?: Subscription;
  /** Per UID: the tail of its snapshot queue. */
  private readonly queues = new Map<string, Promise<void>>();

  /** `engine`: where snapshot channels read from (none: they push nothing). */
  constructor(
    private readonly registry: Registry<Connection>,
    private readonly catalogue: Catalogue,
    private readonly onError: (e: unknown) => void,
    private readonly engine?: Engine,
  ) {}

  /** Runs `job` after every earlier snapshot job of `uid`; errors are reported. */
  private enqueue(uid: string, job: () => Promise<void>): void {
    const tail = (this.queues.get(uid) ?? Promise.resolve()).then(job).catch((e) => this.onError(e));
    this.queues.set(uid, tail);
    void tail.then(() => {
      if (this.queues.get(uid) === tail) this.queues.delete(uid);
    });
  }

  /** Resolves when every queued snapshot read has been pushed (tests, drain). */
  async idle(): Promise<void> {
    while (this.queues.size > 0) await Promise.all([...this.queues.values()]);
  }

  /**
   * The snapshot of `key` (without the UID) for `conn` alone, after its subscribe ack: queued
   * behind the UID's pending pushes; sent only if `conn` still holds the subscription.
   */
  snapshotTo(conn: Connection, uid: string, key: string): void {
    const engine = this.engine;
    const ch = snapshotChannel(key);
    if (!engine || !ch) return;
    this.enqueue(uid, async () => {
      const data = await readSnapshot(uid, key, engine, this.catalogue, Date.now());
      if (this.registry.has(conn, `${uid}|${key}`)) conn.push(pushFrameJson(ch.pushArg, JSON.stringify(data), Date.now()));
    });
  }

  /** Reads and pushes `keys` of `uid` to their current subscribers (after a delivery changed them). */
  private refresh(uid: string, keys: ReadonlySet<string>, ended: PositionEventData[]): void {
    const engine = this.engine;
    if (!engine) return;
    this.enqueue(uid, async () => {
      for (const key of keys) {
        const ch = snapshotChannel(key);
        if (!ch || this.registry.subscribers(`${uid}|${key}`).size === 0) continue;
        const data = await readSnapshot(uid, key, engine, this.catalogue, Date.now(), ch.kind === 'v3-position' ? ended : []);
        const frame = pushFrameJson(ch.pushArg, JSON.stringify(data), Date.now());
        for (const c of this.registry.subscribers(`${uid}|${key}`)) c.push(frame);
      }
    });
  }

  /** Starts receiving live events from `bus` (from the next committed event on). */
  start(bus: EventBus): void {
    this.sub = bus.subscribe((events) => this.deliver(events));
  }

  /** Stops receiving events (pending pushes already sent stay sent). */
  stop(): void {
    this.sub?.close();
    this.sub = undefined;
  }

  /**
   * Pushes a batch of committed events, in order. Never throws (a bad event is reported and
   * skipped). Consecutive order events that reach exactly the same subscription keys (the 50
   * orders of one batch cancel, say) share one frame per key, up to {@link MAX_ITEMS_PER_PUSH}
   * items: `data` holds them in commit order. A connection therefore receives every change in
   * commit order, in 50x fewer frames than one frame per order.
   */
  deliver(events: readonly StoredEvent[]): void {
    let run: Run | undefined;
    const flush = () => {
      if (!run) return;
      // frames of one dialect carry the same items: their JSON is built once
      const data = new Map<string, string>();
      for (const f of run.frames) {
        let json = data.get(f.dialect);
        if (json === undefined) data.set(f.dialect, (json = JSON.stringify(f.items)));
        const frame = pushFrameJson(f.pushArg, json, run.ts);
        for (const c of f.subs) c.push(frame);
      }
      run = undefined;
    };
    const changed = new Map<string, { keys: Set<string>; ended: PositionEventData[] }>();
    const mark = (uid: string, keys: string[], ended?: PositionEventData) => {
      let c = changed.get(uid);
      if (!c) changed.set(uid, (c = { keys: new Set(), ended: [] }));
      for (const k of keys) c.keys.add(k);
      if (ended) c.ended.push(ended);
    };
    for (const e of events) {
      try {
        const ev = e.event;
        let uid: string;
        let chans: Array<{ ch: ServedChannel; item: () => object }>;
        if (ev.kind === 'order.created' || ev.kind === 'order.updated') {
          const o = ev.order;
          uid = o.uid;
          chans = orderChannels(o).map((ch) => ({ ch, item: () => renderOrderPush(ch.dialect, o, this.catalogue) }));
        } else if (ev.kind === 'trade') {
          const t = ev.data as TradeEventData;
          uid = t.uid;
          chans = fillChannels(t);
        } else if (ev.kind === 'balance') {
          const b = ev.data as BalanceEventData;
          mark(b.uid, balanceKeys(b.account));
          continue;
        } else if (ev.kind === 'position') {
          const p = ev.data as PositionEventData;
          mark(p.uid, positionKeys(p), p.account === 'unified' && p.size === '0' ? p : undefined);
          continue;
        } else continue;
        const targets = chans
          .map((t) => ({ ...t, subs: this.registry.subscribers(`${uid}|${t.ch.key}`) }))
          .filter((t) => t.subs.size > 0);
        if (targets.length === 0) continue;
        const sig = `${uid}|${targets.map((t) => t.ch.key).join(',')}`;
        const rendered = new Map<string, object>(); // once per dialect (`default` and the symbol's key share it)
        const items = targets.map((t) => {
          let item = rendered.get(t.ch.dialect);
          if (!item) rendered.set(t.ch.dialect, (item = t.item()));
          return item;
        });
        if (!run || run.sig !== sig || run.count >= MAX_ITEMS_PER_PUSH) {
          flush();
          run = { sig, ts: e.ts, count: 0, frames: targets.map((t) => ({ pushArg: t.ch.pushArg, dialect: t.ch.dialect, subs: t.subs, items: [] })) };
        }
        run.count++;
        items.forEach((item, i) => run!.frames[i].items.push(item));
      } catch (err) {
        this.onError(err);
      }
    }
    flush();
    for (const [uid, c] of changed) {
      try {
        this.refresh(uid, c.keys, c.ended);
      } catch (err) {
        this.onError(err);
      }
    }
  }
}
