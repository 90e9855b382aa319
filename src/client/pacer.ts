/**
 * Client-side pacing so Bitget's rate limits (reference §7: N requests per second per UID per
 * endpoint, 6000 per minute per IP) are never hit: a sliding window that lets at most
 * `limit` requests start in any `windowMs` interval.
 *
 * The server counts arrivals, the client counts departures; arrival jitter can squeeze two
 * departures more than a window apart into one server window, so the client's window is a
 * little longer than Bitget's second (`marginMs`, default 100 ms).
 */

/** Sleeps `ms` milliseconds. */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, Math.max(0, ms)));

/** A sliding-window limiter: {@link acquire} resolves when a request may start. */
export class Pacer {
  private readonly starts: number[] = [];
  private tail: Promise<void> = Promise.resolve();
  private pausedUntil = 0;

  /**
   * @param limit requests allowed per window
   * @param windowMs window length in ms (Bitget's 1000 plus a safety margin)
   */
  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {
    if (!(limit >= 1) || !(windowMs > 0)) throw new RangeError('Pacer needs limit >= 1 and windowMs > 0');
  }

  /** Waits for a slot and records the start. Callers are served in call order. */
  acquire(): Promise<void> {
    const turn = this.tail.then(() => this.take());
    this.tail = turn.catch(() => undefined);
    return turn;
  }

  private async take(): Promise<void> {
    for (;;) {
      const t = this.now();
      if (t < this.pausedUntil) {
        await sleep(this.pausedUntil - t);
        continue;
      }
      while (this.starts.length > 0 && this.starts[0] <= t - this.windowMs) this.starts.shift();
      if (this.starts.length < this.limit) {
        this.starts.push(t);
        return;
      }
      await sleep(this.starts[0] + this.windowMs - t + 1);
    }
  }

  /** After a 429: start nothing more for `ms` (the server's window is full). */
  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + ms);
  }

  /** Start times (ms) of the requests in the current window, oldest first (for tests). */
  recent(): readonly number[] {
    return this.starts;
  }
}

/** Pacing settings. */
export interface PacingOptions {
  /** Turn pacing off (requests go out as fast as the caller sends them). Default true. */
  enabled?: boolean;
  /** Extra ms added to every 1 s window. Default 100. */
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
    this.windowMs = 1000 + (opts.marginMs ?? 100);
    this.utilisation = Math.min(1, Math.max(0.01, opts.utilisation ?? 1));
    this.ip = this.enabled ? new Pacer(ipLimitPerMinute, 60_000 + (opts.marginMs ?? 100), now) : undefined;
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

  /** Waits until a request to `path` may start. */
  async acquire(path: string, perSecond: number): Promise<void> {
    if (!this.enabled) return;
    await this.pacer(path, perSecond).acquire();
    await this.ip?.acquire();
  }

  /** Records a 429 on `path`: pause it for one window. */
  penalise(path: string, perSecond: number): void {
    if (this.enabled) this.pacer(path, perSecond).pause(this.windowMs);
  }
}
