/**
 * Candles (issue 11 item 3): trades aggregated into OHLCV at every Bitget granularity, decimal
 * strings in and out.
 *
 * Granularities as each dialect spells them (docs/MATCHING.md "Candles"):
 * - spot `market/candles`: 1min 3min 5min 15min 30min 1h 4h 6h 12h 1day 3day 1week 1M and
 *   6Hutc 12Hutc 1Dutc 3Dutc 1Wutc 1Mutc;
 * - mix `market/candles`: 1m 3m 5m 15m 30m 1H 2H 4H 6H 12H 1D 3D 1W 1M and the same utc variants;
 * - v3 `market/candles`: 1m 3m 5m 15m 30m 1H 2H 4H 6H 12H 1D 1W 1M.
 * Alignment: intervals under 6 hours start on multiples of their length since the epoch (the
 * same in every zone). From 6 hours up, the plain spelling uses Bitget's default zone, UTC+8
 * (a 1D candle opens at 16:00 UTC), and the `utc` spelling uses UTC. Weeks open Monday 00:00,
 * months on the 1st at 00:00, 3-day candles on multiples of 3 days since 1970-01-01 in the zone.
 */
import { add, cmp, mul } from '../domain/decimal.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const UTC8 = 8 * HOUR;

/** A granularity: a fixed length (ms) or calendar weeks/months, and the zone offset of its boundaries. */
export interface Granularity {
  /** The spelling the request used. */
  name: string;
  /** Fixed length in ms; 0 for a calendar month. */
  ms: number;
  unit: 'fixed' | 'week' | 'month';
  /** Zone offset of the boundaries in ms (UTC+8 = 28,800,000). */
  offsetMs: number;
}

/** The API families whose candle spellings differ. */
export type CandleDialect = 'spot' | 'mix' | 'uta';

const g = (name: string, ms: number, unit: Granularity['unit'] = 'fixed', offsetMs = 0): Granularity => ({ name, ms, unit, offsetMs });
const UTC_VARIANTS = [g('6Hutc', 6 * HOUR), g('12Hutc', 12 * HOUR), g('1Dutc', DAY), g('3Dutc', 3 * DAY), g('1Wutc', 7 * DAY, 'week'), g('1Mutc', 0, 'month')];

/** Every granularity each dialect accepts, in Bitget's order. */
export const GRANULARITIES: Record<CandleDialect, readonly Granularity[]> = {
  spot: [
    g('1min', MIN), g('3min', 3 * MIN), g('5min', 5 * MIN), g('15min', 15 * MIN), g('30min', 30 * MIN),
    g('1h', HOUR), g('4h', 4 * HOUR), g('6h', 6 * HOUR, 'fixed', UTC8), g('12h', 12 * HOUR, 'fixed', UTC8),
    g('1day', DAY, 'fixed', UTC8), g('3day', 3 * DAY, 'fixed', UTC8), g('1week', 7 * DAY, 'week', UTC8), g('1M', 0, 'month', UTC8),
    ...UTC_VARIANTS,
  ],
  mix: [
    g('1m', MIN), g('3m', 3 * MIN), g('5m', 5 * MIN), g('15m', 15 * MIN), g('30m', 30 * MIN),
    g('1H', HOUR), g('2H', 2 * HOUR), g('4H', 4 * HOUR), g('6H', 6 * HOUR, 'fixed', UTC8), g('12H', 12 * HOUR, 'fixed', UTC8),
    g('1D', DAY, 'fixed', UTC8), g('3D', 3 * DAY, 'fixed', UTC8), g('1W', 7 * DAY, 'week', UTC8), g('1M', 0, 'month', UTC8),
    ...UTC_VARIANTS,
  ],
  uta: [
    g('1m', MIN), g('3m', 3 * MIN), g('5m', 5 * MIN), g('15m', 15 * MIN), g('30m', 30 * MIN),
    g('1H', HOUR), g('2H', 2 * HOUR), g('4H', 4 * HOUR), g('6H', 6 * HOUR, 'fixed', UTC8), g('12H', 12 * HOUR, 'fixed', UTC8),
    g('1D', DAY, 'fixed', UTC8), g('1W', 7 * DAY, 'week', UTC8), g('1M', 0, 'month', UTC8),
  ],
};

/** The granularity a dialect spells `name`, or undefined (the endpoint answers its parameter error). Case-sensitive, as Bitget. */
export function parseGranularity(dialect: CandleDialect, name: string): Granularity | undefined {
  return GRANULARITIES[dialect].find((x) => x.name === name);
}

/** Open time (ms) of the candle holding instant `ts`. */
export function bucketStart(ts: number, gr: Granularity): number {
  const local = ts + gr.offsetMs;
  if (gr.unit === 'fixed') return local - mod(local, gr.ms) - gr.offsetMs;
  if (gr.unit === 'week') {
    const days = Math.floor(local / DAY);
    const monday = days - mod(days + 3, 7); // 1970-01-01 was a Thursday
    return monday * DAY - gr.offsetMs;
  }
  const d = new Date(local);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) - gr.offsetMs;
}

/** Open time of the candle after the one opening at `start`. */
export function nextBucket(start: number, gr: Granularity): number {
  if (gr.unit !== 'month') return start + gr.ms;
  const d = new Date(start + gr.offsetMs);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) - gr.offsetMs;
}

function mod(a: number, m: number): number {
  return ((a % m) + m) % m;
}

/** A trade as candles see it: when (ms), price and base size (decimal strings). */
export interface CandleTrade {
  ts: number;
  price: string;
  size: string;
}

/** One candle: open time (ms) and decimal strings; `quoteVolume` = sum of price x size. */
export interface Candle {
  ts: number;
  open: string;
  high: string;
  low: string;
  close: string;
  baseVolume: string;
  quoteVolume: string;
}

/** Adds one trade to its candle (or opens it). Trades must come in time order. */
export function applyTrade(c: Candle | undefined, t: CandleTrade, gr: Granularity): Candle {
  const quote = mul(t.price, t.size);
  if (!c || c.ts !== bucketStart(t.ts, gr)) {
    return { ts: bucketStart(t.ts, gr), open: t.price, high: t.price, low: t.price, close: t.price, baseVolume: t.size, quoteVolume: quote };
  }
  return {
    ts: c.ts,
    open: c.open,
    high: cmp(t.price, c.high) > 0 ? t.price : c.high,
    low: cmp(t.price, c.low) < 0 ? t.price : c.low,
    close: t.price,
    baseVolume: add(c.baseVolume, t.size),
    quoteVolume: add(c.quoteVolume, quote),
  };
}

/**
 * Candles of `trades` (any order; equal timestamps keep their given order), oldest first.
 * With `fillGaps`, an interval without trades between two that have some is a flat candle at
 * the previous close with zero volume, as Bitget shows a candle for every interval.
 */
export function buildCandles(trades: readonly CandleTrade[], gr: Granularity, opts: { fillGaps?: boolean } = {}): Candle[] {
  const sorted = trades.map((t, i) => [t, i] as const).sort((a, b) => a[0].ts - b[0].ts || a[1] - b[1]);
  const out: Candle[] = [];
  let cur: Candle | undefined;
  for (const [t] of sorted) {
    const next = applyTrade(cur, t, gr);
    if (cur && next.ts !== cur.ts) {
      out.push(cur);
      if (opts.fillGaps) {
        for (let s = nextBucket(cur.ts, gr); s < next.ts; s = nextBucket(s, gr)) {
          out.push({ ts: s, open: cur.close, high: cur.close, low: cur.close, close: cur.close, baseVolume: '0', quoteVolume: '0' });
        }
      }
    }
    cur = next;
  }
  if (cur) out.push(cur);
  return out;
}
