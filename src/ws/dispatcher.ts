/**
 * Pushes committed events to subscribed connections: the only producer of channel pushes
 * (DESIGN.md "Event stream": WebSocket pushes are a subscriber of the bus).
 *
 * For each order event (`order.created`, `order.updated`), in the bus's sequence order, it
 * computes the subscription keys the order reaches (channels.ts `orderChannels`, prefixed with
 * the order's UID, so a UID only ever receives its own orders), renders the order once per key
 * in that channel's dialect and sends the same frame to every connection holding the key:
 * `{"action":"snapshot","arg":{…},"data":[order, …],"ts":<commit ms>}` (consecutive orders of
 * one delivery that reach the same keys share a frame, see `deliver`). Other event kinds are
 * ignored until their channels are served.
 */
import type { EventBus, StoredEvent, Subscription } from '../events/types.js';
import type { Catalogue } from '../markets/catalogue.js';
import { orderChannels } from './channels.js';
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

  constructor(
    private readonly registry: Registry<Connection>,
    private readonly catalogue: Catalogue,
    private readonly onError: (e: unknown) => void,
  ) {}

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
    for (const e of events) {
      try {
        const ev = e.event;
        if (ev.kind !== 'order.created' && ev.kind !== 'order.updated') continue;
        const o = ev.order;
        const targets = orderChannels(o)
          .map((ch) => ({ ch, subs: this.registry.subscribers(`${o.uid}|${ch.key}`) }))
          .filter((t) => t.subs.size > 0);
        if (targets.length === 0) continue;
        const sig = `${o.uid}|${targets.map((t) => t.ch.key).join(',')}`;
        const rendered = new Map<string, object>(); // once per dialect (`default` and the symbol's key share it)
        const items = targets.map((t) => {
          let item = rendered.get(t.ch.dialect);
          if (!item) rendered.set(t.ch.dialect, (item = renderOrderPush(t.ch.dialect, o, this.catalogue)));
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
  }
}
