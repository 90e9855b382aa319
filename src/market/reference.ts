/**
 * Reference price sources (issue 11 item 2, `ORDERGATE_MARKET`): where each symbol's price
 * comes from. Every source speaks decimal strings outside and moves on market time given by
 * the caller (ms); none reads a clock, so each is deterministic.
 * - `manual`: moves only when told (`set`, i.e. `POST /admin/price`);
 * - `random`: a seeded random walk on the tick grid (`ORDERGATE_MARKET_SEED`, a volatility per
 *   symbol), one step every `stepMs` of market time;
 * - `replay:FILE`: src/market/replay.ts.
 * Every source accepts `set`, which moves the price at once; a random walk continues from there.
 */
import { Prng } from './prng.js';
import { priceToNearestTicks, ticksToPrice, type MarketUnits } from '../matching/units.js';

/** One price change: the source key (a symbol, or `CATEGORY:SYMBOL`), the new price and when (market ms). */
export interface PriceMove {
  key: string;
  price: string;
  ts: number;
  /** Replay only: the size column of the CSV row, when present. */
  size?: string;
}

/** A source of reference prices. */
export interface ReferenceSource {
  readonly mode: 'manual' | 'random' | 'replay';
  /** The current reference price of `key` (decimal string), or undefined before the first one. */
  price(key: string): string | undefined;
  /** Sets the price at once (the admin price endpoint); the source goes on from there. */
  set(key: string, price: string, ts: number): PriceMove;
  /** Advances market time to `nowMs` and returns the moves due, oldest first. */
  advance(nowMs: number): PriceMove[];
}

/** `manual`: prices move only through `set`. */
export class ManualSource implements ReferenceSource {
  readonly mode = 'manual';
  private readonly prices = new Map<string, string>();

  /** Starts with the given prices (key -> decimal string), e.g. the catalogue's start prices. */
  constructor(initial: Record<string, string> = {}) {
    for (const [k, v] of Object.entries(initial)) this.prices.set(k, v);
  }

  /** The current price of `key`. */
  price(key: string): string | undefined {
    return this.prices.get(key);
  }

  /** Sets the price of `key`. */
  set(key: string, price: string, ts: number): PriceMove {
    this.prices.set(key, price);
    return { key, price, ts };
  }

  /** Nothing moves by itself. */
  advance(_nowMs: number): PriceMove[] {
    return [];
  }
}

/** One symbol of a random walk. */
export interface WalkSymbol extends MarketUnits {
  key: string;
  /** Start price, decimal string (rounded to the nearest tick). */
  start: string;
  /**
   * Standard deviation of one step as a fraction of the price, decimal string (e.g. "0.0005"
   * = 0.05% per step). Default {@link DEFAULT_VOLATILITY}.
   */
  volatility?: string;
}

/** Default per-step volatility: 0.05% of the price (at one step a second, about 0.05% x sqrt(3600) = 3% an hour). */
export const DEFAULT_VOLATILITY = '0.0005';
/** Default step: one move per second of market time. */
export const DEFAULT_STEP_MS = 1000;

interface WalkState {
  sym: WalkSymbol;
  prng: Prng;
  ticks: bigint;
  vol: number;
}

/**
 * `random`: each step moves each symbol by round(z x volatility x price) ticks, z uniform on
 * [-sqrt 3, sqrt 3] (mean 0, variance 1) from its own PRNG stream seeded by `${seed}:${key}`,
 * never below one tick. The float is only the random draw; the price is always an integer
 * number of ticks. Steps fall at `startMs + n x stepMs`; the path of a symbol depends only on
 * the seed, its key, start price, volatility and the `set` calls, not on other symbols or
 * on how often `advance` is called.
 */
export class RandomWalkSource implements ReferenceSource {
  readonly mode = 'random';
  private readonly states = new Map<string, WalkState>();
  private steps = 0;

  /**
   * @param seed `ORDERGATE_MARKET_SEED`
   * @param startMs market time of step 0
   * @throws Error on a non-positive stepMs or a bad volatility (configuration, at startup)
   */
  constructor(
    seed: string,
    symbols: readonly WalkSymbol[],
    private readonly startMs: number,
    private readonly stepMs = DEFAULT_STEP_MS,
  ) {
    if (!(stepMs > 0)) throw new Error('random market: stepMs must be positive');
    for (const sym of symbols) {
      const vol = Number(sym.volatility ?? DEFAULT_VOLATILITY);
      if (!(vol >= 0 && vol < 1)) throw new Error(`random market: bad volatility ${sym.volatility} for ${sym.key}`);
      const ticks = priceToNearestTicks(sym, sym.start);
      this.states.set(sym.key, { sym, prng: new Prng(`${seed}:${sym.key}`), ticks: ticks > 0n ? ticks : 1n, vol });
    }
  }

  /** The current price of `key`. */
  price(key: string): string | undefined {
    const s = this.states.get(key);
    return s ? ticksToPrice(s.sym, s.ticks) : undefined;
  }

  /** Moves `key` to `price` (nearest tick); the walk continues from there. @throws Error for an unknown key. */
  set(key: string, price: string, ts: number): PriceMove {
    const s = this.states.get(key);
    if (!s) throw new Error(`random market: unknown symbol ${key}`);
    const t = priceToNearestTicks(s.sym, price);
    s.ticks = t > 0n ? t : 1n;
    return { key, price: ticksToPrice(s.sym, s.ticks), ts };
  }

  /** Runs the steps due up to `nowMs`; returns the moves of the LAST due step per symbol that changed. */
  advance(nowMs: number): PriceMove[] {
    const due = Math.floor((nowMs - this.startMs) / this.stepMs);
    if (due <= this.steps) return [];
    const moved = new Set<string>();
    // every due step is drawn, even after a long pause, so the path never depends on the call rate
    for (let n = this.steps + 1; n <= due; n++) {
      for (const [key, s] of this.states) {
        const z = (s.prng.next() * 2 - 1) * Math.sqrt(3);
        const delta = BigInt(Math.round(z * s.vol * Number(s.ticks)));
        if (delta === 0n) continue;
        s.ticks = s.ticks + delta > 0n ? s.ticks + delta : 1n;
        moved.add(key);
      }
    }
    this.steps = due;
    const ts = this.startMs + due * this.stepMs;
    return [...moved].map((key) => ({ key, price: this.price(key)!, ts }));
  }
}
