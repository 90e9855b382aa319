/**
 * `replay:FILE` (issue 11 item 2): a CSV of `timestamp,symbol,price[,size]` replayed at the
 * recorded speed or faster, looping. Timestamps are ms since epoch (integers); a first line
 * whose timestamp is not a number is a header and skipped; blank lines and lines starting with
 * `#` are skipped. Rows are replayed in timestamp order (stable for equal timestamps).
 *
 * Looping: one lap lasts the recorded span plus the mean gap between rows (1 s for a single
 * row), so lap 2 starts one "typical gap" after lap 1's last row; lap k's rows fall at
 * `startMs + ((ts - firstTs) + k x lap) / speed`. The market time of each move is that instant.
 */
import { isDecimalString } from '../domain/decimal.js';
import type { PriceMove, ReferenceSource } from './reference.js';

/** One CSV row. */
export interface ReplayRow {
  ts: number;
  symbol: string;
  price: string;
  size?: string;
}

/**
 * Parses the CSV text.
 * @throws Error naming the line for a bad timestamp, symbol, price or size, or an empty file.
 */
export function parseReplayCsv(text: string): ReplayRow[] {
  const rows: ReplayRow[] = [];
  let first = true;
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const cells = line.split(',').map((c) => c.trim());
    const header = first && !/^\d+$/.test(cells[0]!);
    first = false;
    if (header) return;
    const [ts, symbol, price, size] = cells;
    const where = `replay line ${i + 1}`;
    if (cells.length < 3 || cells.length > 4) throw new Error(`${where}: expected timestamp,symbol,price[,size]`);
    if (!/^\d{1,16}$/.test(ts!)) throw new Error(`${where}: bad timestamp ${ts}`);
    if (!/^[A-Z0-9]{2,30}$/.test(symbol!)) throw new Error(`${where}: bad symbol ${symbol}`);
    if (!isDecimalString(price) || /^0*(\.0*)?$/.test(price)) throw new Error(`${where}: bad price ${price}`);
    if (size !== undefined && size !== '' && !isDecimalString(size)) throw new Error(`${where}: bad size ${size}`);
    rows.push({ ts: Number(ts), symbol: symbol!, price: price!, ...(size ? { size } : {}) });
  });
  if (rows.length === 0) throw new Error('replay file has no rows');
  return rows.map((r, i) => [r, i] as const).sort((a, b) => a[0].ts - b[0].ts || a[1] - b[1]).map(([r]) => r);
}

/** Length of one lap in recorded ms: span + mean gap (1000 for one row or a zero span). */
export function lapMs(rows: readonly ReplayRow[]): number {
  const span = rows[rows.length - 1]!.ts - rows[0]!.ts;
  if (rows.length < 2 || span === 0) return span + 1000;
  return span + span / (rows.length - 1);
}

/** Replays rows from `startMs` at `speed` (1 = recorded, 10 = ten times faster), looping unless `loop` is false. */
export class ReplaySource implements ReferenceSource {
  readonly mode = 'replay';
  private readonly prices = new Map<string, string>();
  private readonly lap: number;
  /** index of the next row in the current lap, and the lap number */
  private next = 0;
  private laps = 0;

  /** @throws Error on a non-positive speed. */
  constructor(
    private readonly rows: readonly ReplayRow[],
    private readonly startMs: number,
    private readonly speed = 1,
    private readonly loop = true,
  ) {
    if (!(speed > 0)) throw new Error('replay: speed must be positive');
    this.lap = lapMs(rows);
  }

  /** The current price of a symbol (the last row replayed, or the last `set`). */
  price(key: string): string | undefined {
    return this.prices.get(key);
  }

  /** Sets a price at once; the next replayed row of that symbol overrides it. */
  set(key: string, price: string, ts: number): PriceMove {
    this.prices.set(key, price);
    return { key, price, ts };
  }

  /** Market time at which row `i` of lap `lap` falls. */
  private timeOf(i: number, lap: number): number {
    return this.startMs + (this.rows[i]!.ts - this.rows[0]!.ts + lap * this.lap) / this.speed;
  }

  /** Every row due up to `nowMs`, in order (all laps that fit). */
  advance(nowMs: number): PriceMove[] {
    const out: PriceMove[] = [];
    for (;;) {
      if (this.next >= this.rows.length) {
        if (!this.loop) break;
        this.next = 0;
        this.laps++;
      }
      const at = this.timeOf(this.next, this.laps);
      if (at > nowMs) break;
      const r = this.rows[this.next++]!;
      this.prices.set(r.symbol, r.price);
      out.push({ key: r.symbol, price: r.price, ts: Math.floor(at), ...(r.size ? { size: r.size } : {}) });
    }
    return out;
  }
}
