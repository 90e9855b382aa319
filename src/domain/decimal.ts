/**
 * Decimal helpers over decimal.js. Money never touches a JS float: inputs and outputs are
 * decimal strings, arithmetic is exact.
 */
import { Decimal } from 'decimal.js';

// precision 100 keeps + - x exact for any two values DECIMAL_RE accepts (<= 50 significant digits each)
const D = Decimal.clone({ precision: 100, rounding: Decimal.ROUND_DOWN, toExpNeg: -100, toExpPos: 100 });

/** Strict decimal literal: digits, optional single dot, no sign, no exponent. */
const DECIMAL_RE = /^(?:\d{1,30})(?:\.\d{1,20})?$/;

/** True when `s` is a plain non-negative decimal string such as "0.001" or "42". */
export function isDecimalString(s: unknown): s is string {
  return typeof s === 'string' && DECIMAL_RE.test(s);
}

/** Compares two decimal strings: -1, 0 or 1. */
export function cmp(a: string, b: string): number {
  return new D(a).cmp(new D(b));
}

/** a + b as a normalised decimal string. */
export function add(a: string, b: string): string {
  return new D(a).plus(new D(b)).toFixed();
}

/** a - b as a normalised decimal string. */
export function sub(a: string, b: string): string {
  return new D(a).minus(new D(b)).toFixed();
}

/** a x b as a normalised decimal string. */
export function mul(a: string, b: string): string {
  return new D(a).times(new D(b)).toFixed();
}

/** a / b, rounded down to `dp` decimals ('0' when b is zero). */
export function div(a: string, b: string, dp = 18): string {
  const d = new D(b);
  if (d.isZero()) return '0';
  return new D(a).div(d).toDecimalPlaces(dp, Decimal.ROUND_DOWN).toFixed();
}

/** True when `value` is a whole multiple of `step` (e.g. a price on the tick size). */
export function isMultipleOf(value: string, step: string): boolean {
  const s = new D(step);
  if (s.isZero()) return true;
  return new D(value).mod(s).isZero();
}

/** Number of decimals in a decimal string ("0.010" -> 3). */
export function scaleOf(value: string): number {
  const dot = value.indexOf('.');
  return dot < 0 ? 0 : value.length - dot - 1;
}

/** True when the decimal string is zero. */
export function isZero(value: string): boolean {
  return new D(value).isZero();
}

/** Normalises a decimal string ("1.500" -> "1.5"). */
export function norm(value: string): string {
  return new D(value).toFixed();
}

/**
 * Signed helpers for the ledger (src/ledger/). Inputs may be negative decimal strings such as
 * "-1.5" (the ledger's signed deltas); outputs are normalised plain decimal strings.
 */

/** How {@link round} rounds: `up` away from zero, `down` toward zero, `half_even` bankers'. */
export type RoundingMode = 'up' | 'down' | 'half_even';

const MODES = { up: Decimal.ROUND_UP, down: Decimal.ROUND_DOWN, half_even: Decimal.ROUND_HALF_EVEN } as const;

/** `value` rounded to `dp` decimals with `mode` ("0.123", 2, 'up' -> "0.13"; "-0.125", 2, 'up' -> "-0.13"). */
export function round(value: string, dp: number, mode: RoundingMode): string {
  return new D(value).toDecimalPlaces(dp, MODES[mode]).toFixed();
}

/** a / b rounded to `dp` decimals with `mode`. @throws Error when b is zero (a programming error, never user input). */
export function divRound(a: string, b: string, dp: number, mode: RoundingMode): string {
  const d = new D(b);
  if (d.isZero()) throw new Error('divRound: division by zero');
  return new D(a).div(d).toDecimalPlaces(dp, MODES[mode]).toFixed();
}

/** -a ("1.5" -> "-1.5", "0" -> "0"). */
export function neg(a: string): string {
  const r = new D(a).neg();
  return r.isZero() ? '0' : r.toFixed();
}

/** True when the decimal string is strictly below zero. */
export function isNegative(a: string): boolean {
  return new D(a).isNegative() && !new D(a).isZero();
}

/** The smaller of two decimal strings (normalised). */
export function min(a: string, b: string): string {
  return cmp(a, b) <= 0 ? norm(a) : norm(b);
}

/** The larger of two decimal strings (normalised). */
export function max(a: string, b: string): string {
  return cmp(a, b) >= 0 ? norm(a) : norm(b);
}

/** Sum of any number of decimal strings ('0' for none). */
export function sum(values: readonly string[]): string {
  let acc = new D(0);
  for (const v of values) acc = acc.plus(new D(v));
  return acc.toFixed();
}
