/**
 * Client-side pacing so Bitget's rate limits (reference §7: N requests per second per UID per
 * endpoint, 6000 per minute per IP) are never hit: per endpoint, at most N requests in any
 * window of one second (plus a small margin), where a request's window starts when its
 * answer arrives (see {@link Pacer}).
 */

/** Sleeps `ms` milliseconds. */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, Math.max(0, ms)));

/** Frees the slot a request held, once its answer (or failure) arrived. */
export type Release = () => void;

/**
 * A sliding-window limiter over request lifetimes: a request holds its slot from departure
 * until `windowMs` after its answer arrived; at most `limit` slots are held at once.
 *
 * Why answers, not departures: the server counts a request at some moment between its
 * departure and its answer. If the (N+1)-th request leaves at least a window after the
 * 1st one's answer, no fixed server window of that length can hold N+1 of them, whatever
 * the network or the server's own latency (a slow first request, a busy event loop).
 */
export class Pacer {
  /** Held slots: `freeAt` is Infinity while the request is in flight. */
  private slots: Array<{ freeAt: number }> = [];
  private tail: Promise<unknown> = Promise.resolve();
  private pausedUntil = 0;
  private wake: (() => void) | undefined;

  /**
   * @param limit requests allowed per window
   * @param windowMs window length in ms (Bitget's 1000 plus a small margin)
   */
  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {
    if (!(limit >= 1) || !(windowMs > 0)) throw new RangeError('Pacer needs limit >= 1 and windowMs > 0');
  }

  /**
   * Waits for a slot. Callers are served in call order.
   * @returns the function to call when the request's answer (or failure) arrived.
   */
  acquire(): Promise<Release> {
    const turn = this.tail.then(() => this.take());
    this.tail = turn.catch(() => undefined);
    return turn;
  }

  private async take(): Promise<Release> {
    for (;;) {
      const t = this.now();
      if (t < this.pausedUntil) {
        await sleep(this.pausedUntil - t);
        continue;
      }
      this.slots = this.slots.filter((x) => x.freeAt > t);
      if (this.slots.length < this.limit) {
        const slot = { freeAt: Infinity };
        this.slots.push(slot);
        return () => {
          if (slot.freeAt !== Infinity) return;
          slot.freeAt = this.now() + this.windowMs;
          const w = this.wake;
          this.wake = undefined;
          w?.();
        };
      }
      // wait for the earliest cooling slot to free, or for an in-flight one to be released
      const soonest = Math.min(...this.slots.map((x) => x.freeAt));
      const wait = Number.isFinite(soonest) ? soonest - t + 1 : this.windowMs;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.wake = undefined;
          resolve();
        }, wait);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /** After a 429: start nothing more for `ms` (the server's window is full). */
  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + ms);
  }

  /** Slots held now (in flight or cooling down), for tests. */
  held(): number {
    const t = this.now();
    return this.slots.filter((x) => x.freeAt > t).length;
  }
}

/** Pacing settings. */
export interface PacingOptions {
  /** Turn pacing off (requests go out as fast as the caller sends them). Default true. */
  enabled?: boolean;
  /** Extra ms added to every 1 s window. Default 25. */
  marginMs?: number;
  /** Fraction of Bitget's limit to use, 0 < f <= 1. Default 1. */
  utilisation?: number;
}

/**
 * One pacer per endpoint path plus one for the IP-wide cap; share one registry between
 * clients using keys of the same UID, since Bitget counts per UID.
 */
export class PacerRegistry {
  private readonly byPath = new Map<string, Pacer>();
  private readonly ip: Pacer | undefined;
  readonly enabled: boolean;
  private readonly windowMs: number;
  private readonly utilisation: number;

  constructor(opts: PacingOptions = {}, ipLimitPerMinute = 6000, private readonly now: () => number = Date.now) {
    this.enabled = opts.enabled ?? true;
    this.windowMs = 1000 + (opts.marginMs ?? 25);
    this.utilisation = Math.min(1, Math.max(0.01, opts.utilisation ?? 1));
    this.ip = this.enabled ? new Pacer(ipLimitPerMinute, 60_000 + (opts.marginMs ?? 25), now) : undefined;
  }

  /** The pacer of `path` with Bitget's `perSecond` limit. */
  pacer(path: string, perSecond: number): Pacer {
    let p = this.byPath.get(path);
    if (!p) {
      p = new Pacer(Math.max(1, Math.floor(perSecond * this.utilisation)), this.windowMs, this.now);
      this.byPath.set(path, p);
    }
    return p;
  }

  /**
   * Waits until a request to `path` may start.
   * @returns the release to call when its answer (or failure) arrived.
   */
  async acquire(path: string, perSecond: number): Promise<Release> {
    if (!this.enabled) return () => undefined;
    const a = await this.pacer(path, perSecond).acquire();
    const b = await (this.ip as Pacer).acquire();
    return () => {
      a();
      b();
    };
  }

  /** Records a 429 on `path`: pause it for one window. */
  penalise(path: string, perSecond: number): void {
    if (this.enabled) this.pacer(path, perSecond).pause(this.windowMs);
  }
}
