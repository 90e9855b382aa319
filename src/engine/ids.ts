/**
 * Order id generation: 19-digit decimal strings, unique across server instances, roughly
 * time-ordered like Bitget's ids (e.g. "1234567890123456789").
 *
 * Layout (a snowflake): 10^18 + (ms since 2020-01-01 << 22 | instance << 12 | sequence).
 * `instance` is 0..1023 and must differ between processes sharing a store (the PostgreSQL
 * store allocates it from a sequence; the embedded store uses one process). The 10^18 offset
 * keeps every id at exactly 19 digits until well past 2080 and below 2^63.
 */

const EPOCH = 1577836800000n; // 2020-01-01T00:00:00Z
const OFFSET = 1_000_000_000_000_000_000n;

/** Generates unique order ids for one process. */
export class IdGenerator {
  private lastMs = 0n;
  private seq = 0n;
  private readonly instance: bigint;

  /** @param instance 0..1023, unique among processes writing to one store. */
  constructor(instance = 0) {
    if (!Number.isInteger(instance) || instance < 0 || instance > 1023) {
      throw new RangeError(`instance id must be 0..1023, got ${instance}`);
    }
    this.instance = BigInt(instance);
  }

  /** Next id as a 19-digit decimal string. Monotonic within this process. */
  next(now: number = Date.now()): string {
    let ms = BigInt(now) - EPOCH;
    if (ms < this.lastMs) ms = this.lastMs; // clock went backwards: stay monotonic
    if (ms === this.lastMs) {
      this.seq += 1n;
      if (this.seq > 4095n) {
        ms += 1n; // borrow from the future rather than repeat
        this.seq = 0n;
      }
    } else {
      this.seq = 0n;
    }
    this.lastMs = ms;
    return (OFFSET + ((ms << 22n) | (this.instance << 12n) | this.seq)).toString();
  }
}

/** True when `s` looks like an ordergate/Bitget order id (1-20 digits). */
export function isOrderIdShape(s: string): boolean {
  return /^\d{1,20}$/.test(s);
}
