/**
 * The SQLite store's {@link EventBus}: in-process. The store publishes a group commit's events
 * right after COMMIT returns ({@link LocalEventBus.committed}); catch-up reads the outbox table.
 * Another process writing the same file (the CLI's `fill`) is picked up too: a publish that
 * would leave a gap first reads the missing sequences from the outbox, and a slow poll
 * (`pollMs`) reads what others committed while this process was idle.
 */
import { SequencedBus, type OutboxReader } from './bus.js';
import { storedUnit } from './build.js';
import type { DomainEvent, StoredEvent } from './types.js';

/** One committed unit: its first sequence, commit time (ms) and events. */
export interface CommittedUnit {
  seq: number;
  ts: number;
  events: readonly DomainEvent[];
}

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
          if (n <= this.lastSequence()) return;
          this.catchUp(n);
        } catch {
          /* store closing */
        }
      }, pollMs);
      this.timer.unref();
    }
  }

  /**
   * Called by the store after COMMIT with the units of that commit, in sequence order. The
   * stored events are only built when someone subscribes (a 100,000-order cancel-all with no
   * subscriber costs no extra objects).
   */
  committed(units: readonly CommittedUnit[]): void {
    if (units.length === 0) return;
    const first = units[0].seq;
    const last = units[units.length - 1];
    if (!this.hasSubscribers()) return this.skipTo(last.seq + last.events.length - 1);
    const known = this.lastSequence();
    if (first > known + 1) this.catchUp(first - 1); // another process's commits
    const out: StoredEvent[] = [];
    for (const u of units) for (const e of storedUnit(u.seq, u.ts, u.events)) out.push(e);
    this.publish(out);
  }

  /** Publishes what the outbox holds up to `upTo` (page by page), or just moves on when nobody listens. */
  private catchUp(upTo: number): void {
    while (this.lastSequence() < upTo) {
      const page = this.hasSubscribers() ? this.readSync(this.lastSequence(), upTo) : [];
      if (page.length === 0) return this.skipTo(upTo); // nobody listens, or pruned
      this.publish(page);
    }
  }

  override async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await super.close();
  }
}
