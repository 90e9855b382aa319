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
