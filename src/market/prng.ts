/**
 * A small seeded PRNG for the simulated market (issue 11 item 2, `ORDERGATE_MARKET_SEED`):
 * sfc32 seeded from a string through a 32-bit FNV-1a hash stream. Deterministic on every
 * platform (only 32-bit integer operations), so the same seed gives the same walk.
 */

/** 32-bit FNV-1a hash of a string. */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** A generator of uniform floats in [0, 1) (sfc32 by Chris Doty-Humphrey). */
export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** Seeds from any string (e.g. `${seed}:${symbol}`, so each symbol has its own stream). */
  constructor(seed: string) {
    this.a = hash32(seed + '#a');
    this.b = hash32(seed + '#b');
    this.c = hash32(seed + '#c');
    this.d = 1;
    for (let i = 0; i < 12; i++) this.nextU32();
  }

  /** The next 32-bit unsigned integer. */
  nextU32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** The next float in [0, 1). */
  next(): number {
    return this.nextU32() / 4294967296;
  }
}
