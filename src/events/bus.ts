/**
 * The delivery half shared by every {@link EventBus}: subscribers, the last delivered sequence,
 * and catch-up from a sequence with no gap and no duplicate. A store-specific bus feeds it
 * committed events in sequence order ({@link SequencedBus.publish}) and tells it how to read
 * retained events from the outbox ({@link OutboxReader}).
 */
import type { EventBus, StoredEvent, Subscription } from './types.js';

/**
 * Reads retained events with `after < seq <= upTo`, in sequence order. May return only the
 * first part of the range (a page; the caller reads on), skip what retention pruned, and
 * returns nothing only when nothing in the range is retained.
 */
export type OutboxReader = (after: number, upTo: number) => Promise<StoredEvent[]> | StoredEvent[];

/** Default report of a throwing subscriber (a bug in the subscriber): a process warning. */
function reportHandlerError(e: unknown): void {
  process.emitWarning(`event subscriber failed: ${(e as Error)?.message ?? String(e)}`, 'OrdergateEventWarning');
}

interface Sub {
  handler: (events: readonly StoredEvent[]) => void;
  /** Last sequence this subscriber has been given. */
  position: number;
  /** True while it replays from the outbox; live batches skip it meanwhile. */
  replaying: boolean;
  closed: boolean;
}

/** Subscribers and ordered delivery; see the module doc. */
export class SequencedBus implements EventBus {
  private readonly subs = new Set<Sub>();
  private last: number;

  /**
   * @param read reads the outbox (catch-up).
   * @param start sequence of the last committed event at start (subscribers without
   *   `fromSequence` begin after it).
   * @param onHandlerError a throwing handler (or a failed catch-up read) is reported here
   *   (default: a process warning); delivery to others goes on.
   */
  constructor(
    private readonly read: OutboxReader,
    start: number,
    private readonly onHandlerError: (e: unknown) => void = reportHandlerError,
  ) {
    this.last = start;
  }

  lastSequence(): number {
    return this.last;
  }

  /**
   * Delivers committed events (in sequence order, each `seq` greater than the last published;
   * anything at or below it is ignored, so a store may publish overlapping ranges).
   */
  publish(events: readonly StoredEvent[]): void {
    const fresh = events.length > 0 && events[0].seq > this.last ? events : events.filter((e) => e.seq > this.last);
    if (fresh.length === 0) return;
    this.last = fresh[fresh.length - 1].seq;
    for (const s of this.subs) {
      if (!s.replaying) this.deliver(s, fresh);
    }
  }

  /** True when some subscriber would receive a publish now (none: the caller may skip building events). */
  protected hasSubscribers(): boolean {
    return this.subs.size > 0;
  }

  /**
   * Records that everything up to `seq` was committed without delivering it (nobody listens;
   * a later subscriber with a `fromSequence` replays it from the outbox).
   */
  protected skipTo(seq: number): void {
    if (seq > this.last) this.last = seq;
  }

  subscribe(handler: (events: readonly StoredEvent[]) => void, fromSequence?: number): Subscription {
    const s: Sub = { handler, position: fromSequence ?? this.last, replaying: false, closed: false };
    this.subs.add(s);
    if (s.position < this.last) {
      s.replaying = true;
      void this.replay(s);
    }
    return {
      close: () => {
        s.closed = true;
        this.subs.delete(s);
      },
    };
  }

  /** Reads the outbox until the subscriber reaches the live position, then turns it live. */
  private async replay(s: Sub): Promise<void> {
    let failures = 0;
    while (!s.closed && s.position < this.last) {
      const upTo = this.last;
      let got: StoredEvent[];
      try {
        got = await this.read(s.position, upTo);
        failures = 0;
      } catch (e) {
        // the outbox could not be read (connection lost): try again, never skip
        this.onHandlerError(e);
        await new Promise((r) => setTimeout(r, Math.min(5000, 100 * 2 ** failures++)));
        continue;
      }
      const batch = got.filter((e) => e.seq > s.position && e.seq <= upTo);
      // a reader may return only the first part of the range (a page): read on from there;
      // nothing at all means the rest of (position, upTo] was pruned by retention
      if (batch.length > 0) this.deliver(s, batch);
      else s.position = upTo;
    }
    s.replaying = false; // no await since the loop test: live delivery resumes exactly after
  }

  private deliver(s: Sub, events: readonly StoredEvent[]): void {
    if (s.closed) return;
    const batch = events[0].seq > s.position ? events : events.filter((e) => e.seq > s.position);
    if (batch.length === 0) return;
    s.position = batch[batch.length - 1].seq;
    try {
      s.handler(batch);
    } catch (e) {
      this.onHandlerError(e);
    }
  }

  async close(): Promise<void> {
    for (const s of this.subs) s.closed = true;
    this.subs.clear();
  }
}
