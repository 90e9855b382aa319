/**
 * Pushes committed events to subscribed connections: the only producer of channel pushes
 * (DESIGN.md "Event stream": WebSocket pushes are a subscriber of the bus).
 *
 * For each order event (`order.created`, `order.updated`), in the bus's sequence order, it
 * computes the subscription keys the order reaches (channels.ts `orderChannels`, prefixed with
 * the order's UID, so a UID only ever receives its own orders), renders the order once per key
 * in that channel's dialect and sends the same frame to every connection holding the key:
 * `{"action":"snapshot","arg":{…},"data":[order],"ts":<commit ms>}`. Other event kinds are
 * ignored until their channels are served.
 */
import type { EventBus, StoredEvent, Subscription } from '../events/types.js';
import type { Catalogue } from '../markets/catalogue.js';
import { orderChannels } from './channels.js';
import type { Connection } from './connection.js';
import { pushFrame } from './frames.js';
import type { Registry } from './registry.js';
import { renderOrderPush } from './render.js';

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

  /** Pushes a batch of committed events, in order. Never throws (a bad event is reported and skipped). */
  deliver(events: readonly StoredEvent[]): void {
    for (const e of events) {
      try {
        const ev = e.event;
        if (ev.kind !== 'order.created' && ev.kind !== 'order.updated') continue;
        const o = ev.order;
        for (const ch of orderChannels(o)) {
          const subs = this.registry.subscribers(`${o.uid}|${ch.key}`);
          if (subs.size === 0) continue;
          const frame = pushFrame(ch.pushArg, [renderOrderPush(ch.dialect, o, this.catalogue)], e.ts);
          for (const c of subs) c.push(frame);
        }
      } catch (err) {
        this.onError(err);
      }
    }
  }
}
