/**
 * Funding (issue 11 item 2): the rate of a perpetual and its settlement every 8 hours of
 * market time, as pure functions. The formula is Bitget's published one with ordergate's
 * inputs (docs/MATCHING.md "Funding"):
 *
 *   premium P   = mean over the interval of (price - index) / index
 *   rate        = clamp(P + clamp(I - P, -0.05%, +0.05%), -cap, +cap), half-even to 6 decimals
 *
 * with I = 0.01% per 8 h (Bitget's interest component) and cap 0.3% by default. ordergate's
 * index and mark follow the reference price; `price` is the last trade price sampled by the
 * driver, so with no trading away from the reference P = 0 and the rate is 0.0001. Settlement
 * falls at 00:00, 08:00 and 16:00 UTC (Bitget's `fundInterval` 8): a long pays
 * size x mark x rate to shorts when the rate is positive and receives it when negative
 * (COIN-M: size x rate, in the base coin). The payer's amount is rounded UP and the receiver's
 * DOWN to the coin's scale (the house keeps the rounding, as with fees).
 */
import { add, cmp, divRound, isZero, mul, neg, round, sub, sum } from '../domain/decimal.js';

/** The settlement interval: 8 hours of market time. */
export const FUNDING_INTERVAL_MS = 8 * 60 * 60 * 1000;
/** Interest component per interval (0.01%). */
export const FUNDING_INTEREST = '0.0001';
/** Clamp of (interest - premium): 0.05%. */
export const FUNDING_DAMPER = '0.0005';
/** Default cap of the rate either way (0.3%). */
export const FUNDING_CAP = '0.003';
/** Decimals of a published rate ("0.000100"). */
export const FUNDING_RATE_PLACES = 6;

/** The next settlement strictly after `nowMs` (00:00, 08:00, 16:00 UTC). */
export function nextFundingTime(nowMs: number): number {
  return (Math.floor(nowMs / FUNDING_INTERVAL_MS) + 1) * FUNDING_INTERVAL_MS;
}

/** Settlement instants in (fromMs, toMs], oldest first (a driver that slept settles each one). */
export function fundingTimesBetween(fromMs: number, toMs: number): number[] {
  const out: number[] = [];
  for (let t = nextFundingTime(fromMs); t <= toMs; t += FUNDING_INTERVAL_MS) out.push(t);
  return out;
}

/** One premium sample: (price - index) / index, 12 decimals half-even. @throws Error when index is zero. */
export function premiumOf(price: string, index: string): string {
  return divRound(sub(price, index), index, 12, 'half_even');
}

function clamp(x: string, lo: string, hi: string): string {
  if (cmp(x, lo) < 0) return lo;
  if (cmp(x, hi) > 0) return hi;
  return x;
}

/**
 * The funding rate from the premium samples of the interval (none = premium 0), as a decimal
 * string with 6 decimals' precision, normalised ("0.0001").
 */
export function fundingRate(premiums: readonly string[], cap = FUNDING_CAP): string {
  const p = premiums.length === 0 ? '0' : divRound(sum(premiums), String(premiums.length), 12, 'half_even');
  const damped = clamp(sub(FUNDING_INTEREST, p), neg(FUNDING_DAMPER), FUNDING_DAMPER);
  const rate = clamp(add(p, damped), neg(cap), cap);
  return round(rate, FUNDING_RATE_PLACES, 'half_even');
}

/** What one position pays or receives at one settlement. */
export interface FundingInput {
  holdSide: 'long' | 'short';
  /** Position size (base), decimal string. */
  size: string;
  /** Mark price at the settlement. */
  markPrice: string;
  rate: string;
  /** COIN-M (inverse): the amount is size x rate in the base coin. */
  inverse: boolean;
  /** Decimals of the margin coin (src/ledger: 8 by default). */
  scale: number;
}

/**
 * The signed change to the position's account in its margin coin (negative = pays), for the
 * ledger's `funding` entry; '0' when the rate or size is zero.
 */
export function fundingPayment(i: FundingInput): string {
  if (isZero(i.rate) || isZero(i.size)) return '0';
  const value = i.inverse ? i.size : mul(i.size, i.markPrice);
  const amount = mul(value, i.rate); // > 0: longs pay
  const pays = (cmp(amount, '0') > 0) === (i.holdSide === 'long');
  const abs = cmp(amount, '0') < 0 ? neg(amount) : amount;
  return pays ? neg(round(abs, i.scale, 'up')) : round(abs, i.scale, 'down');
}
