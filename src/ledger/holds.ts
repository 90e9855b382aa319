/**
 * Funds held by open orders (issue 10 item 2).
 *
 * Placing an order moves what it could spend from available to frozen (`order_hold`); every fill
 * consumes part of that hold; a cancel releases what is left (`order_release`). Each open order
 * carries its remaining hold (`held`, in `holdCoin` of the order's account), so the invariant
 * `frozen == sum of held over the open orders` is exact by construction: a fill consumes an
 * amount that is subtracted from `held` exactly, the fill that completes an order consumes all
 * of `held`, and a cancel releases exactly `held`.
 *
 * What an order holds (docs/LEDGER.md "Holds"):
 * - spot / margin limit buy: price x size in quote. No fee headroom: Bitget takes the spot fee
 *   from the received coin (src/ledger/fees.ts), so the quote held is all the order can spend.
 * - spot / margin market buy: `size` is the quote amount (Bitget's market-buy size), held in quote.
 * - spot / margin sell (limit or market): size in base.
 * - futures opening order (linear): initial margin price x size / leverage plus open-fee
 *   headroom price x size x takerFeeRate, in the margin coin, rounded UP to the coin's scale.
 *   The headroom is at the TAKER rate so that any fill (maker or taker) can pay its fee from the
 *   hold; what is not needed goes back to available on the fill.
 * - futures inverse (COIN-M): size is in base coin, so margin is size / leverage and the fee
 *   headroom size x takerFeeRate, in the base (margin) coin; price does not enter.
 * - futures market orders: as a limit order at `refPrice` (the mark / last price the caller gives).
 * - futures closing orders (reduceOnly `YES`, hedge-mode `tradeSide: close`): hold nothing; they
 *   only lock position size (src/ledger/positions.ts). Bitget does the same: a close order needs
 *   no margin.
 * - a one-way-mode order that is not reduceOnly holds as an opening order for its whole size; the
 *   part of a fill that reduces the opposite position gets its share of the hold back.
 */
import { add, cmp, divRound, isZero, min, mul, round, sub } from '../domain/decimal.js';
import type { Category, OrderType, Side } from '../domain/types.js';
import { coinScale, entry, type CoinScales, type LedgerEntry } from './balances.js';
import { isInverse } from './fees.js';

/** The market fields a hold needs (a subset of src/markets/catalogue.ts `Market`). */
export interface HoldMarket {
  category: Category;
  baseCoin: string;
  quoteCoin: string;
  takerFeeRate: string;
}

/** The order fields a hold needs. Prices and sizes are decimal strings. */
export interface HoldOrder {
  side: Side;
  orderType: OrderType;
  /** Limit price; '' for market orders. */
  price: string;
  /** Base quantity; quote amount for a spot/margin market buy. */
  size: string;
  /** Futures: true for reduceOnly `YES` and hedge-mode `tradeSide: close` (holds nothing). */
  reducing?: boolean;
  /** Futures: the leverage the order opens at (a positive integer string, e.g. "20"). */
  leverage?: string;
  /** Futures: the margin coin (USDT, USDC, BTC...). */
  marginCoin?: string | null;
}

/** What an order holds: a non-negative amount of one coin, in the order's account. */
export interface Hold {
  coin: string;
  amount: string;
}

/**
 * What placing `order` on `market` holds.
 * @param refPrice futures market orders: the price the margin is computed at (mark or last)
 * @throws Error when a futures order lacks leverage / marginCoin or a futures market order a
 *   refPrice (the engine supplies them; never user input).
 */
export function holdFor(order: HoldOrder, market: HoldMarket, refPrice?: string, scales?: CoinScales): Hold {
  if (market.category === 'SPOT' || market.category === 'MARGIN') {
    if (order.side === 'sell') return { coin: market.baseCoin, amount: order.size };
    const q = market.quoteCoin;
    if (order.orderType === 'market') return { coin: q, amount: order.size };
    return { coin: q, amount: round(mul(order.price, order.size), coinScale(q, scales), 'up') };
  }
  const coin = order.marginCoin;
  if (!coin) throw new Error('futures hold without marginCoin');
  if (order.reducing) return { coin, amount: '0' };
  const leverage = order.leverage;
  if (!leverage || isZero(leverage)) throw new Error('futures hold without leverage');
  const dp = coinScale(coin, scales);
  if (isInverse(market.category)) {
    return { coin, amount: round(add(divRound(order.size, leverage, dp + 10, 'up'), mul(order.size, market.takerFeeRate)), dp, 'up') };
  }
  const price = order.orderType === 'market' ? refPrice : order.price;
  if (!price) throw new Error('futures market hold without refPrice');
  const notional = mul(price, order.size);
  return { coin, amount: round(add(divRound(notional, leverage, dp + 10, 'up'), mul(notional, market.takerFeeRate)), dp, 'up') };
}

/** The `order_hold` entry of a placement: available -amount, frozen +amount. Empty for a zero hold. */
export function holdEntries(uid: string, account: string, orderId: string, hold: Hold): LedgerEntry[] {
  if (isZero(hold.amount)) return [];
  return [entry(uid, account, hold.coin, 'order_hold', '-' + hold.amount, hold.amount, { orderId })];
}

/**
 * The `order_release` entry of a cancel (single, batch, cancel-all, kill switch): the order's
 * whole remaining hold back to available. Empty when nothing is held.
 * @param held the order's remaining hold (decimal string, >= 0)
 */
export function releaseEntries(uid: string, account: string, orderId: string, coin: string, held: string): LedgerEntry[] {
  if (isZero(held)) return [];
  return [entry(uid, account, coin, 'order_release', held, '-' + held, { orderId })];
}

/** The part of a hold a fill consumes and what stays held. */
export interface Consumed {
  consumed: string;
  held: string;
}

/**
 * The share of an order's remaining hold a fill consumes.
 * - The fill completes the order (`fillSize == remaining`, or `complete`): all of `held`.
 * - Otherwise `held x fillSize / remaining`, rounded UP to the coin's scale and capped at `held`
 *   (so the hold left for the rest is never more than proportional).
 * For a spot market buy, whose size is quote: pass `remaining` and `fillSize` in quote (the
 * fill's size x price) and the consumed part is exactly the quote spent.
 * @param held the order's remaining hold; @param remaining its unfilled size before this fill
 * @param fillSize this fill's size (same unit as remaining, 0 < fillSize <= remaining)
 * @throws Error when fillSize is not in (0, remaining] (the engine checks fills first: 40020)
 */
export function consume(held: string, remaining: string, fillSize: string, coin: string, complete = false, scales?: CoinScales): Consumed {
  if (isZero(fillSize) || cmp(fillSize, remaining) > 0) throw new Error('consume: fill size outside (0, remaining]');
  if (complete || cmp(fillSize, remaining) === 0) return { consumed: held, held: '0' };
  const share = min(held, divRound(mul(held, fillSize), remaining, coinScale(coin, scales), 'up'));
  return { consumed: share, held: sub(held, share) };
}
