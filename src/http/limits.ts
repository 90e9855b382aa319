/**
 * Limits on work a client can make the server do before (or without) authenticating:
 * - {@link BodyBudget}: total request-body bytes being received at once, across all requests;
 * - {@link AuthFailures}: failed authentications per client IP;
 * - the connection cap ({@link ServerLimits.maxConnections}, Node's `server.maxConnections`).
 * Defaults and answers are in the README ("Reliability and security", Limits).
 */
import { RateLimiterMemory } from 'rate-limiter-flexible';

/** Server-wide limits on unauthenticated work. */
export interface ServerLimits {
  /** Open connections at once; more are closed on accept by Node (0 = no cap). */
  maxConnections: number;
  /** Request-body bytes being received at once, summed over requests; more are refused with 429. */
  bodyBytesInFlight: number;
  /** Failed authentications allowed per IP in `authFailureWindowMs` before the IP is refused (0 = off). */
  authFailures: number;
  /** The window of `authFailures` (opened by an IP's first failure; an IP at the limit is refused with 429 until it ends), ms. */
  authFailureWindowMs: number;
}

/** Default {@link ServerLimits}. */
export const DEFAULT_LIMITS: ServerLimits = {
  maxConnections: 1024,
  bodyBytesInFlight: 32 * 1024 * 1024,
  authFailures: 30,
  authFailureWindowMs: 60_000,
};

/**
 * A shared budget of request-body bytes. A request reserves its announced size (its
 * Content-Length, or `maxBody` for a chunked body) before its body is read, and gives it back
 * when its response is done or its connection closes.
 */
export class BodyBudget {
  private used = 0;
  constructor(readonly capacity: number) {}

  /** Reserves `bytes`; false (nothing reserved) when the budget would be exceeded. */
  take(bytes: number): boolean {
    if (bytes <= 0) return true;
    if (this.used + bytes > this.capacity) return false;
    this.used += bytes;
    return true;
  }

  /** Gives back `bytes` taken earlier. */
  give(bytes: number): void {
    this.used = Math.max(0, this.used - bytes);
  }

  /** Bytes reserved now. */
  get inFlight(): number {
    return this.used;
  }
}

/**
 * Failed authentications per client IP (in memory, per instance). The window opens at an IP's
 * first failure and lasts `windowMs`; once `limit` failures are counted in it, the IP's private
 * requests are refused with 429, before any header or body is looked at, until the window ends. Successful authentications are not counted, and other IPs
 * are not affected.
 */
export class AuthFailures {
  private readonly rl?: RateLimiterMemory;
  constructor(private readonly limit: number, windowMs: number) {
    if (limit > 0) {
      const secs = Math.max(1, Math.ceil(windowMs / 1000));
      this.rl = new RateLimiterMemory({ points: limit, duration: secs });
    }
  }

  /** True when `ip` is blocked now. */
  async blocked(ip: string): Promise<boolean> {
    if (!this.rl) return false;
    const r = await this.rl.get(ip);
    return r !== null && r.consumedPoints >= this.limit;
  }

  /** Counts one failed authentication of `ip`. */
  async failed(ip: string): Promise<void> {
    if (!this.rl) return;
    await this.rl.consume(ip, 1).catch(() => undefined);
  }
}
