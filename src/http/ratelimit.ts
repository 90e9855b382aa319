/**
 * Rate limits (reference §7): each private endpoint is limited per UID, each public endpoint
 * per IP, with Bitget's per-second numbers; excess gets HTTP 429 and the Bitget 429 envelope.
 * `x-mbx-used-remain-limit` tells the caller what is left in the current second.
 *
 * One interface, so a shared backend (Redis, for several instances) can replace the
 * in-memory one without touching the routes.
 */
import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

/** The verdict of one request against its bucket. */
export interface RateVerdict {
  allowed: boolean;
  /** Requests left in the current window after this one (0 when refused). */
  remaining: number;
  /** ms until the window resets. */
  resetMs: number;
}

/** A rate limiter: counts one request against bucket `key` allowing `perSecond` per second. */
export interface RateLimiter {
  consume(key: string, perSecond: number): Promise<RateVerdict>;
  close(): Promise<void>;
}

/** Builds one rate-limiter-flexible limiter per distinct per-second limit. */
export class FlexibleRateLimiter implements RateLimiter {
  private readonly byLimit = new Map<number, RateLimiterAbstract>();

  constructor(private readonly make: (perSecond: number) => RateLimiterAbstract = (points) => new RateLimiterMemory({ points, duration: 1 })) {}

  private limiter(perSecond: number): RateLimiterAbstract {
    let l = this.byLimit.get(perSecond);
    if (!l) {
      l = this.make(perSecond);
      this.byLimit.set(perSecond, l);
    }
    return l;
  }

  async consume(key: string, perSecond: number): Promise<RateVerdict> {
    try {
      const r = await this.limiter(perSecond).consume(key, 1);
      return { allowed: true, remaining: r.remainingPoints, resetMs: r.msBeforeNext };
    } catch (e) {
      if (e instanceof RateLimiterRes) return { allowed: false, remaining: 0, resetMs: e.msBeforeNext };
      throw e;
    }
  }

  async close(): Promise<void> {
    this.byLimit.clear();
  }
}

/** A limiter that never refuses (ORDERGATE_RATE_LIMIT=off). */
export class NoRateLimiter implements RateLimiter {
  async consume(_key: string, perSecond: number): Promise<RateVerdict> {
    return { allowed: true, remaining: perSecond, resetMs: 1000 };
  }
  async close(): Promise<void> {}
}
