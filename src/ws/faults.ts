/**
 * TEST-ONLY WebSocket fault injection: the `ws-*` entries of ORDERGATE_FAULTS (parsed by
 * src/http/faults.ts, which owns the one spec string; it reaches the server through
 * Config.faults only). OFF unless set. They let a bot's test prove its reconnect logic against
 * the failures a real Bitget connection has (research-venue.md §1.2: forced reconnects, the
 * 30033 "service upgrade" notice, deploy-window drops).
 *
 *   ORDERGATE_FAULTS="ws-drop-after:3,ws-dup:0.2,ws-delay:50,seed:7"
 *
 * - `ws-drop-after:N`  every connection: pushes 1..N are sent, the (N+1)th is not and the TCP
 *                      connection is cut (no close frame; the client sees 1006). Counted per
 *                      connection, so a reconnected client gets N more pushes, then is cut again.
 * - `ws-drop:p`        each push, with probability p, is replaced by a cut.
 * - `ws-delay:ms`      every frame the server sends (answers and pushes; not `pong`) leaves `ms`
 *                      later, in order. `pong` stays immediate (the SDK reconnects after 1 s).
 * - `ws-dup:p`         each push is sent twice with probability p (a bot must be idempotent).
 * - `ws-upgrade:ms`    `ms` after a connection opens it gets Bitget's notice
 *                      `{"event":"error","code":30033,"msg":"service upgrade…"}`, and is closed
 *                      (1001) `ws-upgrade-close` ms later (default 1000; Bitget: about 60 s).
 * - `ws-max-age:ms`    the 24-hour forced disconnect after `ms` instead (close 1000, as
 *                      ORDERGATE_WS_MAX_AGE_MS; the fault wins when both are set).
 * - `seed:n`           (shared with the HTTP faults) the random sequence: connection number i
 *                      (0, 1, … in accept order) draws from seed + i, so a run is reproducible.
 */

/** The parsed `ws-*` entries. */
export interface WsFaultSpec {
  /** Pushes sent per connection before it is cut; undefined = never. */
  dropAfter?: number;
  /** Probability (0..1) that a push is replaced by a cut. */
  drop: number;
  /** Delay of every sent frame but `pong`, ms (0 = none). */
  delayMs: number;
  /** Probability (0..1) that a push is sent twice. */
  dup: number;
  /** ms after open when the 30033 notice is sent; undefined = never. */
  upgradeMs?: number;
  /** ms between the 30033 notice and the close. */
  upgradeCloseMs: number;
  /** Forced-disconnect age, ms; undefined = the configured one. */
  maxAgeMs?: number;
  /** Seed of the random sequences. */
  seed: number;
}

/** How many WS faults were injected, by kind. */
export interface WsFaultCounters {
  cut: number;
  dup: number;
  upgrade: number;
}

/** A spec with nothing on. */
export function noWsFaults(seed = 1): WsFaultSpec {
  return { drop: 0, delayMs: 0, dup: 0, upgradeCloseMs: 1000, seed };
}

/** True when any `ws-*` entry is on. */
export function wsFaultsOn(s: WsFaultSpec): boolean {
  return s.dropAfter !== undefined || s.drop > 0 || s.delayMs > 0 || s.dup > 0 || s.upgradeMs !== undefined || s.maxAgeMs !== undefined;
}

/**
 * Applies one `ws-*` entry to `spec`; false when `key` is not a WS entry.
 * @throws Error naming the entry for a bad value (probability outside 0..1, a non-integer ms/N).
 */
export function applyWsFaultEntry(spec: WsFaultSpec, key: string, value: string): boolean {
  const prob = () => {
    const n = Number(value);
    if (value === '' || !Number.isFinite(n) || n < 0 || n > 1) throw new Error(`ORDERGATE_FAULTS: ${key} needs a probability 0..1, got '${value}'`);
    return n;
  };
  const int = () => {
    if (!/^\d+$/.test(value)) throw new Error(`ORDERGATE_FAULTS: ${key} needs a non-negative integer, got '${value}'`);
    return Number(value);
  };
  if (key === 'ws-drop-after') spec.dropAfter = int();
  else if (key === 'ws-drop') spec.drop = prob();
  else if (key === 'ws-delay') spec.delayMs = int();
  else if (key === 'ws-dup') spec.dup = prob();
  else if (key === 'ws-upgrade') spec.upgradeMs = int();
  else if (key === 'ws-upgrade-close') spec.upgradeCloseMs = int();
  else if (key === 'ws-max-age') spec.maxAgeMs = Math.max(1, int());
  else return false;
  return true;
}

/** mulberry32: a small deterministic PRNG in [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What the faults do to one connection's socket. */
export interface FaultSocket {
  /** Writes a text frame now (if the socket is still open). */
  write(text: string): void;
  /** Cuts the TCP connection without a close frame. */
  cut(): void;
  /** Closes with a close frame. */
  close(code: number, reason: string): void;
}

/** The faults of one connection: every frame it sends goes through {@link send}. */
export class ConnectionFaults {
  private pushes = 0;
  private cutDone = false;
  private readonly rnd: () => number;
  private readonly timers: NodeJS.Timeout[] = [];

  /** `index`: the connection's number in accept order (seeds its random sequence). */
  constructor(
    private readonly spec: WsFaultSpec,
    index: number,
    private readonly socket: FaultSocket,
    private readonly counters: WsFaultCounters,
    upgradeFrame: string,
  ) {
    this.rnd = prng(spec.seed + index);
    if (spec.upgradeMs !== undefined) {
      this.timers.push(
        setTimeout(() => {
          counters.upgrade++;
          this.send(upgradeFrame, false);
          this.later(spec.upgradeCloseMs, () => socket.close(1001, 'service upgrade'));
        }, spec.upgradeMs).unref(),
      );
    }
  }

  private later(ms: number, f: () => void): void {
    if (ms <= 0) return f();
    this.timers.push(setTimeout(f, ms).unref());
  }

  /** Sends `text` (a push when `push`) with the faults applied. */
  send(text: string, push: boolean): void {
    if (this.cutDone) return;
    let copies = 1;
    if (push) {
      const cut = (this.spec.dropAfter !== undefined && this.pushes >= this.spec.dropAfter) || (this.spec.drop > 0 && this.rnd() < this.spec.drop);
      if (cut) {
        this.cutDone = true;
        this.counters.cut++;
        this.later(this.spec.delayMs, () => this.socket.cut());
        return;
      }
      this.pushes++;
      if (this.spec.dup > 0 && this.rnd() < this.spec.dup) {
        copies = 2;
        this.counters.dup++;
      }
    }
    this.later(this.spec.delayMs, () => {
      for (let i = 0; i < copies; i++) this.socket.write(text);
    });
  }

  /** Stops pending timers (the connection closed). */
  dispose(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.length = 0;
  }
}
