/**
 * Trading fees (issue 10 item 3).
 *
 * Rates come from the market catalogue (src/markets/catalogue.ts `makerFeeRate` /
 * `takerFeeRate`; defaults Bitget's standard spot 0.1% / 0.1% and futures 0.02% / 0.06%).
 *
 * Bitget facts implemented, and the choices where it is ambiguous (docs/LEDGER.md):
 * - Spot and margin: the fee is charged in the coin the side RECEIVES (a buy pays in base, a
 *   sell pays in quote), as Bitget does without BGB deduction. So a spot hold needs no fee
 *   headroom: the fee is never taken from what the order held.
 * - USDT-M / USDC-M futures (linear): fee = price x size x rate, in the margin coin.
 * - COIN-M futures (inverse): size is in base coin (the catalogue's BTCUSD sizeStep 0.001 BTC);
 *   the fee is the notional (size x price USD) x rate converted at the fill price, i.e.
 *   size x rate in the margin coin, independent of price.
 * - Rounding: UP to the fee coin's ledger scale (in the venue's favour), never bankers': a fee
 *   is never rounded to zero on a non-zero fill.
 * - The amount here is positive (what the user pays). Bitget renders fees negative on the wire
 *   (`totalFee: "-0.0064"`, `fillFee`); the renderer negates.
 */
import { mul, round } from '../domain/decimal.js';
import type { Category } from '../domain/types.js';
import { coinScale, type CoinScales } from './balances.js';

/** Who the fill's side was: `taker` removed liquidity, `maker` rested on the book. Bitget's `tradeScope`. */
export type Liquidity = 'maker' | 'taker';

/** The market fields a fee needs (a subset of src/markets/catalogue.ts `Market`). */
export interface FeeMarket {
  category: Category;
  baseCoin: string;
  quoteCoin: string;
  makerFeeRate: string;
  takerFeeRate: string;
}

/** A fee: positive amount in `feeCoin`, and the rate that produced it. */
export interface Fee {
  feeCoin: string;
  fee: string;
  rate: string;
}

/** The rate of one side of a fill. */
export function feeRate(m: FeeMarket, liquidity: Liquidity): string {
  return liquidity === 'maker' ? m.makerFeeRate : m.takerFeeRate;
}

/** True for COIN-M (inverse) futures: margin, fees and PnL are in the base coin. */
export function isInverse(category: Category): boolean {
  return category === 'COIN-FUTURES';
}

/**
 * The fee of a spot or margin fill: in base for a buy (on the base received), in quote for a
 * sell (on `size x price` received), rounded UP to the coin's scale.
 * @param size base quantity filled (decimal string)
 * @param price fill price (quote per base)
 */
export function spotFee(m: FeeMarket, side: 'buy' | 'sell', liquidity: Liquidity, size: string, price: string, scales?: CoinScales): Fee {
  const rate = feeRate(m, liquidity);
  if (side === 'buy') return { feeCoin: m.baseCoin, fee: round(mul(size, rate), coinScale(m.baseCoin, scales), 'up'), rate };
  return { feeCoin: m.quoteCoin, fee: round(mul(mul(size, price), rate), coinScale(m.quoteCoin, scales), 'up'), rate };
}

/**
 * The fee of a futures fill in `marginCoin`, rounded UP to its scale: linear
 * `size x price x rate`, inverse (COIN-M) `size x rate`.
 * @param size base quantity filled; @param price fill price
 */
export function futuresFee(m: FeeMarket, marginCoin: string, liquidity: Liquidity, size: string, price: string, scales?: CoinScales): Fee {
  const rate = feeRate(m, liquidity);
  const raw = isInverse(m.category) ? mul(size, rate) : mul(mul(size, price), rate);
  return { feeCoin: marginCoin, fee: round(raw, coinScale(marginCoin, scales), 'up'), rate };
}
