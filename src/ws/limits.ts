/**
 * Bitget's WebSocket limits (reference §6.1, DOC:common/websocket-intro.md; research §1.2):
 * ≤100 connections per IP, ≤300 connection attempts per IP per 5 min, ≤10 messages per second
 * per connection, ≤240 subscribe requests per hour per connection, ≤1000 channels per
 * connection, 2 minutes without a `ping` closes, and the forced disconnect every 24 hours
 * (DOC:common/changelog.md, Nov 22 2024). Every number is a config knob (src/config.ts `ws`).
 *
 * How ordergate answers (Bitget documents the limits, not the frames):
 * - connections per IP / attempts per IP: the upgrade is refused with HTTP 429;
 * - messages per second: frames over the limit in a 1 s window are dropped with a 30006
 *   error frame; a client sending more than 3x the limit in one window gets 30007 and is closed;
 * - subscribes per hour: the subscribe frame is refused with 30006; channels per connection:
 *   each arg beyond the cap is refused with 30006.
 */

/** The limits, all configurable. 0 disables a time limit. */
export interface WsLimits {
  /** Concurrent connections per IP (Bitget 100). */
  connectionsPerIp: number;
  /** Connection attempts per IP per 5 minutes (Bitget 300). */
  connectsPerIpPer5Min: number;
  /** Messages (any frame, `ping` included) per second per connection (Bitget 10). */
  messagesPerSecond: number;
  /** Subscribe frames per hour per connection (Bitget 240). */
  subscribesPerHour: number;
  /** Subscribed channels per connection (Bitget 1000). */
  channelsPerConnection: number;
  /** ms without a `ping` before the server closes (Bitget 120 000). 0 = never. */
  idleMs: number;
  /** ms after which every connection is closed (Bitget 24 h). 0 = never. */
  maxAgeMs: number;
  /** false lifts the per-IP and per-connection counts (ORDERGATE_RATE_LIMIT=off; load tests). */
  enforce: boolean;
}

/** Bitget's numbers. */
export const BITGET_WS_LIMITS: WsLimits = {
  connectionsPerIp: 100,
  connectsPerIpPer5Min: 300,
  messagesPerSecond: 10,
  subscribesPerHour: 240,
  channelsPerConnection: 1000,
  idleMs: 120_000,
  maxAgeMs: 24 * 60 * 60 * 1000,
  enforce: true,
};

const FIVE_MIN = 5 * 60 * 1000;
const HOUR = 60 * 60 * 1000;

/** Counts connections and connection attempts per IP. */
export class IpLimiter {
  private open = new Map<string, number>();
  private attempts = new Map<string, number[]>();

  constructor(private readonly limits: WsLimits) {}

  /** Records an attempt; 'ok' (and counts the connection open) or why it is refused. */
  admit(ip: string, now: number): 'ok' | 'too-many-connections' | 'too-many-attempts' {
    if (!this.limits.enforce) {
      this.open.set(ip, (this.open.get(ip) ?? 0) + 1);
      return 'ok';
    }
    const recent = (this.attempts.get(ip) ?? []).filter((t) => now - t < FIVE_MIN);
    recent.push(now);
    this.attempts.set(ip, recent);
    if (recent.length > this.limits.connectsPerIpPer5Min) return 'too-many-attempts';
    const n = this.open.get(ip) ?? 0;
    if (n >= this.limits.connectionsPerIp) return 'too-many-connections';
    this.open.set(ip, n + 1);
    return 'ok';
  }

  /** A connection admitted by {@link admit} closed. */
  release(ip: string): void {
    const n = (this.open.get(ip) ?? 1) - 1;
    if (n <= 0) this.open.delete(ip);
    else this.open.set(ip, n);
  }
}

/** Per-connection message and subscribe counters. */
export class ConnectionLimiter {
  private windowStart = 0;
  private inWindow = 0;
  private subscribes: number[] = [];

  constructor(private readonly limits: WsLimits) {}

  /** Counts one incoming frame: 'ok', 'drop' (30006) or 'close' (30007). */
  message(now: number): 'ok' | 'drop' | 'close' {
    if (!this.limits.enforce) return 'ok';
    if (now - this.windowStart >= 1000) {
      this.windowStart = now;
      this.inWindow = 0;
    }
    this.inWindow++;
    if (this.inWindow <= this.limits.messagesPerSecond) return 'ok';
    return this.inWindow > 3 * this.limits.messagesPerSecond ? 'close' : 'drop';
  }

  /** Counts one subscribe frame; false when over the hourly limit (not counted then). */
  subscribe(now: number): boolean {
    if (!this.limits.enforce) return true;
    this.subscribes = this.subscribes.filter((t) => now - t < HOUR);
    if (this.subscribes.length >= this.limits.subscribesPerHour) return false;
    this.subscribes.push(now);
    return true;
  }
}
