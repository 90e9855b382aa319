/**
 * The SQLite store's {@link EventBus}: in-process. The store publishes a group commit's events
 * right after COMMIT returns ({@link LocalEventBus.committed}); catch-up reads the outbox table.
 * Another process writing the same file (the CLI's `fill`) is picked up too: a publish that
 * would leave a gap first reads the missing sequences from the outbox, and a slow poll
 * (`pollMs`) reads what others committed while this process was idle.
 */
import { SequencedBus, type OutboxReader } from './bus.js';
import type { StoredEvent } from './types.js';

/** Options of {@link LocalEventBus}. */
export interface LocalBusOptions {
  /** Reads the outbox synchronously (the SQLite store's reader). */
  read: (after: number, upTo: number) => StoredEvent[];
  /** Sequence of the last committed event (the outbox's newest) at start. */
  start: number;
  /** Newest sequence in the outbox now (for the poll); omit to disable polling. */
  newest?: () => number;
  /** Poll interval for other processes' commits, ms (default 1000; 0 = off). */
  pollMs?: number;
  onHandlerError?: (e: unknown) => void;
}

/** In-process bus over the SQLite outbox. */
export class LocalEventBus extends SequencedBus {
  private readonly readSync: (after: number, upTo: number) => StoredEvent[];
  private readonly timer?: NodeJS.Timeout;

  constructor(opts: LocalBusOptions) {
    const reader: OutboxReader = (after, upTo) => opts.read(after, upTo);
    super(reader, opts.start, opts.onHandlerError);
    this.readSync = opts.read;
    const pollMs = opts.pollMs ?? 1000;
    const newest = opts.newest;
    if (newest && pollMs > 0) {
      this.timer = setInterval(() => {
        try {
          const n = newest();
          if (n > this.lastSequence()) this.publish(this.readSync(this.lastSequence(), n));
        } catch {
          /* store closing */
        }
      }, pollMs);
      this.timer.unref();
    }
  }

  /** Called by the store after COMMIT with the events of that commit, in sequence order. */
  committed(events: readonly StoredEvent[]): void {
    if (events.length === 0) return;
    const last = this.lastSequence();
    if (events[0].seq > last + 1) this.publish(this.readSync(last, events[0].seq - 1)); // another process's commits
    this.publish(events);
  }

  override async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await super.close();
  }
}
