/**
 * Integer units of one market: prices in ticks, sizes in lots, quote amounts in "notional
 * units" (tick x lot). The book and the matcher work only in these bigints; decimal strings
 * exist only at the edges (this file). Derived from the catalogue's `tickSize` and `sizeStep`
 * (src/markets/catalogue.ts): BTCUSDT tick 0.01, step 0.000001 gives price "30000.5" = 3000050
 * ticks, size "0.0015" = 1500 lots, and one notional unit = 0.00000001 USDT.
 */
import { Decimal } from 'decimal.js';

const D = Decimal.clone({ precision: 100, rounding: Decimal.ROUND_DOWN, toExpNeg: -100, toExpPos: 100 });

/** The integer units of one market. All conversions throw plain Errors on bad input (a caller bug: validate user input before). */
export interface MarketUnits {
  /** Price step as a decimal string ("0.01"). */
  readonly tickSize: string;
  /** Size step as a decimal string ("0.000001"). */
  readonly sizeStep: string;
}

function toInt(value: string, step: string, what: string, rounding: 'exact' | 'down' | 'nearest'): bigint {
  const q = new D(value).div(new D(step));
  if (rounding === 'exact' && !q.isInteger()) throw new Error(`${what} ${value} is not a multiple of ${step}`);
  const r = rounding === 'nearest' ? q.toDecimalPlaces(0, Decimal.ROUND_HALF_EVEN) : q.toDecimalPlaces(0, Decimal.ROUND_DOWN);
  return BigInt(r.toFixed());
}

function fromInt(n: bigint, step: string): string {
  return new D(n.toString()).times(new D(step)).toFixed();
}

/** Decimal price on the tick ("30000.5") to ticks. @throws Error when off the tick. */
export function priceToTicks(u: MarketUnits, price: string): bigint {
  return toInt(price, u.tickSize, 'price', 'exact');
}

/** Any decimal price (a replayed or computed reference) to the NEAREST tick, half-even. */
export function priceToNearestTicks(u: MarketUnits, price: string): bigint {
  return toInt(price, u.tickSize, 'price', 'nearest');
}

/** Ticks to a normalised decimal price string. */
export function ticksToPrice(u: MarketUnits, ticks: bigint): string {
  return fromInt(ticks, u.tickSize);
}

/** Decimal base size on the step ("0.0015") to lots. @throws Error when off the step. */
export function sizeToLots(u: MarketUnits, size: string): bigint {
  return toInt(size, u.sizeStep, 'size', 'exact');
}

/** Lots to a normalised decimal base size string. */
export function lotsToSize(u: MarketUnits, lots: bigint): string {
  return fromInt(lots, u.sizeStep);
}

/** The decimal value of one notional unit (tickSize x sizeStep), e.g. "0.00000001". */
export function notionalUnit(u: MarketUnits): string {
  return new D(u.tickSize).times(new D(u.sizeStep)).toFixed();
}

/**
 * A quote amount (a spot market buy's `size`, Bitget: quote coin) to notional units, rounded
 * DOWN: digits finer than tick x step can buy nothing and stay with the order as its unfilled
 * remainder (the ledger releases them with the hold).
 */
export function quoteToUnits(u: MarketUnits, quote: string): bigint {
  return toInt(quote, notionalUnit(u), 'quote', 'down');
}

/** Notional units to a normalised decimal quote string (ticks x lots x tick x step). */
export function unitsToQuote(u: MarketUnits, units: bigint): string {
  return fromInt(units, notionalUnit(u));
}
