/**
 * Shared rate limits for several ordergate instances (REDIS_URL): Bitget's per-UID and per-IP
 * numbers (reference §7) counted in Redis, so a UID spreading its requests over N instances
 * still gets its limit once, not N times.
 *
 * Each per-second limit is a rate-limiter-flexible `RateLimiterRedis` (fixed 1 s window, one
 * atomic Lua INCR+EXPIRE per request) with a `RateLimiterMemory` insurance limiter.
 *
 * How it fails, and why: when Redis is unreachable (refused, down, or slower than
 * `commandTimeoutMs`), each instance counts on its own in memory with the same numbers. It
 * fails OPEN across instances and CLOSED within one: every request is still answered, and
 * a UID is still held to its limit per instance, but a UID spreading requests over N instances
 * can get up to N times its limit until Redis is back. Refusing every request instead would
 * turn a Redis outage into a trading outage, and would block the cancels a bot needs most
 * when something is wrong; the limit protects the server, and a per-instance limit still does.
 * Commands are never queued while Redis is away (no offline queue, a short command timeout,
 * `rejectIfRedisNotReady`), so no request waits on Redis. The client reconnects by itself
 * (every ≤ 1 s) and counting is shared again as soon as it is back.
 *
 * Keys: `<keyPrefix from the URL><ordergate:rl:N>:<bucket>`; put `?keyPrefix=name:` in
 * REDIS_URL (an ioredis option) to keep deployments or test runs sharing one Redis apart.
 */
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import { FlexibleRateLimiter, type RateLimiter, type RateVerdict } from './ratelimit.js';

/** Options of {@link RedisRateLimiter}. Times in ms. */
export interface RedisRateLimiterOptions {
  /** REDIS_URL, e.g. `redis://127.0.0.1:6379/0?keyPrefix=og1:`. */
  url: string;
  /**
   * Longest a request waits on Redis before the in-memory insurance decides (default 500).
   * Only a hung Redis costs this; a stopped one fails at once (connection refused / not ready).
   * Too small and a busy event loop alone tips counting over to per-instance.
   */
  commandTimeoutMs?: number;
  /** Called when counting switches between shared (Redis) and per-instance (memory). */
  onStateChange?: (shared: boolean, reason?: Error) => void;
}

/** Rate limits shared through Redis, with a per-instance in-memory fallback. */
export class RedisRateLimiter implements RateLimiter {
  /** The ioredis client (exposed for health checks and tests). */
  readonly client: Redis;
  private readonly inner: FlexibleRateLimiter;
  private shared = false;
  private lastError?: Error;

  constructor(opts: RedisRateLimiterOptions) {
    const timeout = opts.commandTimeoutMs ?? 500;
    this.client = new Redis(opts.url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: timeout,
      connectTimeout: 1_000,
      retryStrategy: (times) => Math.min(100 * times, 1_000),
    });
    this.client.on('ready', () => {
      if (!this.shared) {
        this.shared = true;
        opts.onStateChange?.(true);
      }
    });
    this.client.on('error', (e: Error) => {
      this.lastError = e; // ioredis reports every failed reconnect; state changes are reported on 'close'
    });
    this.client.on('close', () => {
      if (this.shared) {
        this.shared = false;
        opts.onStateChange?.(false, this.lastError);
      }
    });
    this.inner = new FlexibleRateLimiter(
      (points) =>
        new RateLimiterRedis({
          storeClient: this.client,
          keyPrefix: `ordergate:rl:${points}`,
          points,
          duration: 1,
          rejectIfRedisNotReady: true,
          insuranceLimiter: new RateLimiterMemory({ points, duration: 1 }),
        }),
    );
  }

  /** True while counts are shared through Redis; false while each instance counts alone. */
  get isShared(): boolean {
    return this.shared && this.client.status === 'ready';
  }

  /** Counts one request against `key` (never rejects because of Redis; see the module doc). */
  consume(key: string, perSecond: number): Promise<RateVerdict> {
    return this.inner.consume(key, perSecond);
  }

  /** Disconnects from Redis. */
  async close(): Promise<void> {
    await this.inner.close();
    this.client.disconnect();
  }
}
