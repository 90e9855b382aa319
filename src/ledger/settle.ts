/**
 * A fill settles (issue 10 item 3): the ledger entries, position changes and trade record of
 * one side of one fill. A match of two orders is two calls, taker then maker (or any order),
 * each with its own side's order state; when both sides belong to the same UID and account,
 * apply the first side's entries before settling the second (futures settlement reads the
 * account's available balance).
 *
 * Spot and margin (Bitget: the fee is taken from the received coin, src/ledger/fees.ts):
 * - buy: consumes its share of the quote hold (src/ledger/holds.ts `consume`); pays
 *   `size x price` quote out of it and gets the rest (price improvement, rounding) back to
 *   available; receives `size` base and pays the fee in base.
 * - sell: consumes `size` base from the hold; receives `size x price` quote and pays the fee in quote.
 *
 * Futures (src/ledger/positions.ts): hedge mode opens (`tradeSide` open) or reduces
 * (`tradeSide` close) the side the order names; one-way mode reduces the opposite position
 * first and opens the rest (a reduceOnly order may only reduce). The order's consumed hold
 * goes back to available; the fee, then the opening margin, are paid from available; the
 * reduced share of margin and the realised PnL come back to it. Choices (docs/LEDGER.md):
 * - an isolated position never loses more than the margin it releases; a crossed one may draw
 *   on the account's available; what neither covers is the `shortfall` the house absorbs
 *   (Bitget's insurance fund) and the realised PnL recorded is what the user actually paid;
 * - the opening margin is `fillPrice x size / leverage` (inverse `size / leverage`), rounded
 *   UP to the coin's scale; if available cannot pay all of it (a short filled far above its
 *   limit with nothing spare) the position opens with what is there: a fill never fails.
 */
import { add, cmp, divRound, isNegative, isZero, min, mul, neg, round, sub } from '../domain/decimal.js';
import type { Category, OrderType, Side } from '../domain/types.js';
import { coinScale, entry, nonZero, type CoinScales, type LedgerEntry } from './balances.js';
import { futuresFee, isInverse, spotFee, type FeeMarket, type Liquidity } from './fees.js';
import { consume } from './holds.js';
import {
  pnlOf,
  positionKey,
  reduceShare,
  type HoldSide,
  type PosMode,
  type Position,
  type PositionBook,
} from './positions.js';
import type { FuturesProductType } from './accounts.js';
import type { MarginMode } from '../domain/types.js';

/** The market fields settlement needs (a subset of src/markets/catalogue.ts `Market`). */
export interface SettleMarket extends FeeMarket {
  symbol: string;
}

/**
 * The trade record of one side of a fill (Bitget `tradeId`, fills endpoints). `fee` is positive
 * (the wire shows it negative); `realisedPnl` is '0' on spot and on opening fills (Bitget `profit`).
 */
export interface TradeRecord {
  tradeId: string;
  orderId: string;
  uid: string;
  category: Category;
  symbol: string;
  side: Side;
  price: string;
  /** Base quantity (Bitget `size` / `baseVolume` / `execQty`). */
  size: string;
  /** size x price (Bitget `amount` / `quoteVolume` / `execValue`). */
  quoteVolume: string;
  fee: string;
  feeCoin: string;
  /** Bitget `tradeScope`. */
  liquidity: Liquidity;
  realisedPnl: string;
  /** Futures: `open`, `close`, or for one-way a fill that did both, `close_open`; '' on spot. */
  tradeSide: '' | 'open' | 'close' | 'close_open';
}

/** One side of a fill: which order, how much at which price, and the order's hold before it. */
export interface FillInput {
  uid: string;
  /** Canonical account id of the order (src/ledger/accounts.ts). */
  account: string;
  orderId: string;
  tradeId: string;
  market: SettleMarket;
  side: Side;
  orderType: OrderType;
  /** Base quantity filled (> 0). */
  fillSize: string;
  fillPrice: string;
  liquidity: Liquidity;
  /** The order's remaining hold before this fill (>= 0). */
  held: string;
  /** The order's unfilled size before this fill: base, or quote for a spot/margin market buy. */
  remaining: string;
  /** True when this fill completes the order (a market buy whose quote is used up; all its held is consumed). */
  complete?: boolean;
  scales?: CoinScales;
}

/** What a spot/margin fill produces. `held` is the order's remaining hold after it. */
export interface SpotFillResult {
  entries: LedgerEntry[];
  held: string;
  trade: TradeRecord;
}

/**
 * Settles one side of a spot or margin fill.
 * @throws Error when the fill size is outside (0, remaining] (the engine refuses those with
 *   40020 first). Applying the entries (src/ledger/balances.ts `applyEntries`) cannot fail for
 *   a buy filled at or below its limit price.
 */
export function settleSpotFill(f: FillInput): SpotFillResult {
  const m = f.market;
  const ref = { orderId: f.orderId, tradeId: f.tradeId };
  const cost = mul(f.fillSize, f.fillPrice);
  const fee = spotFee(m, f.side, f.liquidity, f.fillSize, f.fillPrice, f.scales);
  let entries: LedgerEntry[];
  let held: string;
  if (f.side === 'buy') {
    const unit = f.orderType === 'market' ? cost : f.fillSize;
    const c = consume(f.held, f.remaining, unit, m.quoteCoin, f.complete, f.scales);
    held = c.held;
    entries = [
      entry(f.uid, f.account, m.quoteCoin, 'trade', sub(c.consumed, cost), neg(c.consumed), ref),
      entry(f.uid, f.account, m.baseCoin, 'trade', f.fillSize, '0', ref),
      entry(f.uid, f.account, m.baseCoin, 'fee', neg(fee.fee), '0', ref),
    ];
  } else {
    const c = consume(f.held, f.remaining, f.fillSize, m.baseCoin, f.complete, f.scales);
    held = c.held;
    entries = [
      entry(f.uid, f.account, m.baseCoin, 'trade', sub(c.consumed, f.fillSize), neg(c.consumed), ref),
      entry(f.uid, f.account, m.quoteCoin, 'trade', cost, '0', ref),
      entry(f.uid, f.account, m.quoteCoin, 'fee', neg(fee.fee), '0', ref),
    ];
  }
  return { entries: nonZero(entries), held, trade: record(f, cost, fee.fee, fee.feeCoin, '0', '') };
}

/** Extra inputs of a futures fill. */
export interface FuturesFillInput extends FillInput {
  productType: FuturesProductType;
  marginCoin: string;
  posMode: PosMode;
  /** The margin mode and leverage an opening part uses (the symbol's settings). */
  marginMode: MarginMode;
  leverage: string;
  /** Hedge mode: `open` or `close`. Ignored in one-way mode. */
  tradeSide?: 'open' | 'close';
  /** One-way mode: reduceOnly `YES`. */
  reduceOnly?: boolean;
  positions: PositionBook;
  /** The account's available balance of marginCoin now (after any earlier entries of the unit). */
  available: string;
}

/** What a futures fill produces. `positions` maps each changed key to its new state (null = now flat). */
export interface FuturesFillResult {
  entries: LedgerEntry[];
  held: string;
  trade: TradeRecord;
  positions: Map<string, Position | null>;
  realisedPnl: string;
  /** Loss the account could not pay (absorbed by the house); '0' normally. */
  shortfall: string;
}

const other = (s: HoldSide): HoldSide => (s === 'long' ? 'short' : 'long');

/**
 * Settles one side of a futures fill: opens, adds to, reduces, closes or (one-way) flips a
 * position, charges the fee, moves margin and realised PnL.
 * @throws Error when a closing fill is larger than the position it closes or a reduceOnly
 *   fill would open (placement refuses those first), or the fill size is outside (0, remaining].
 */
export function settleFuturesFill(f: FuturesFillInput): FuturesFillResult {
  const m = f.market;
  const coin = f.marginCoin;
  const dp = coinScale(coin, f.scales);
  const inverse = isInverse(m.category);
  const ref = { orderId: f.orderId, tradeId: f.tradeId };
  const key = (s: HoldSide) => positionKey(f.uid, f.account, m.symbol, s);

  let reduceSide: HoldSide | null = null;
  let openSide: HoldSide | null = null;
  let reduceSize = '0';
  let openSize = '0';
  if (f.posMode === 'hedge_mode') {
    if (f.tradeSide === 'close') {
      reduceSide = f.side === 'buy' ? 'short' : 'long';
      reduceSize = f.fillSize;
    } else {
      openSide = f.side === 'buy' ? 'long' : 'short';
      openSize = f.fillSize;
    }
  } else {
    reduceSide = f.side === 'buy' ? 'short' : 'long';
    openSide = other(reduceSide);
    reduceSize = min(f.fillSize, f.positions.get(key(reduceSide))?.size ?? '0');
    openSize = sub(f.fillSize, reduceSize);
    if (f.reduceOnly && !isZero(openSize)) throw new Error('reduce-only fill larger than the position');
  }

  const c = isZero(f.held) ? { consumed: '0', held: '0' } : consume(f.held, f.remaining, f.fillSize, coin, f.complete, f.scales);
  const fee = futuresFee(m, coin, f.liquidity, f.fillSize, f.fillPrice, f.scales);
  const changed = new Map<string, Position | null>();

  let pnl = '0';
  let released = '0';
  let shortfall = '0';
  let reduced: { pos: Position; cost: string; margin: string } | null = null;
  if (reduceSide && !isZero(reduceSize)) {
    const pos = f.positions.get(key(reduceSide));
    if (!pos || cmp(reduceSize, pos.size) > 0) throw new Error('closing fill larger than the position');
    const share = reduceShare(pos, reduceSize, dp);
    released = share.margin;
    pnl = pnlOf(reduceSide, inverse, reduceSize, share.cost, f.fillPrice, dp);
    if (pos.marginMode === 'isolated' && cmp(pnl, neg(released)) < 0) {
      shortfall = sub(neg(released), pnl);
      pnl = neg(released);
    }
    reduced = { pos, cost: share.cost, margin: share.margin };
  }
  // what available becomes before the opening margin; a loss the account cannot pay is a shortfall
  let after = add(f.available, add(add(c.consumed, released), sub(pnl, fee.fee)));
  if (isNegative(after)) {
    shortfall = add(shortfall, neg(after));
    pnl = sub(pnl, after);
    after = '0';
  }
  let margin = '0';
  if (openSide && !isZero(openSize)) {
    const need = inverse ? divRound(openSize, f.leverage, dp, 'up') : divRound(mul(f.fillPrice, openSize), f.leverage, dp, 'up');
    margin = min(need, after);
  }

  const entries = nonZero([
    entry(f.uid, f.account, coin, 'trade', c.consumed, neg(c.consumed), ref),
    entry(f.uid, f.account, coin, 'position_margin', released, '0', ref),
    entry(f.uid, f.account, coin, 'realised_pnl', pnl, '0', ref),
    entry(f.uid, f.account, coin, 'fee', neg(fee.fee), '0', ref),
    entry(f.uid, f.account, coin, 'position_margin', neg(margin), '0', ref),
  ]);

  const feeOnOpen = openSide !== null && !isZero(openSize);
  if (reduced) {
    const p = reduced.pos;
    const size = sub(p.size, reduceSize);
    changed.set(
      key(p.holdSide),
      isZero(size)
        ? null
        : {
            ...p,
            size,
            openValue: sub(p.openValue, reduced.cost),
            margin: sub(p.margin, reduced.margin),
            achievedProfits: add(p.achievedProfits, pnl),
            totalFee: feeOnOpen ? p.totalFee : add(p.totalFee, fee.fee),
          },
    );
  }
  if (openSide && feeOnOpen) {
    const k = key(openSide);
    const cur = changed.has(k) ? changed.get(k) : f.positions.get(k);
    const base: Position = cur ?? {
      uid: f.uid,
      account: f.account,
      productType: f.productType,
      symbol: m.symbol,
      marginCoin: coin,
      holdSide: openSide,
      marginMode: f.marginMode,
      leverage: f.leverage,
      size: '0',
      openValue: '0',
      margin: '0',
      achievedProfits: '0',
      totalFee: '0',
    };
    changed.set(k, {
      ...base,
      marginMode: f.marginMode,
      leverage: f.leverage,
      size: add(base.size, openSize),
      openValue: add(base.openValue, mul(f.fillPrice, openSize)),
      margin: add(base.margin, margin),
      totalFee: add(base.totalFee, fee.fee),
    });
  }

  const tradeSide: TradeRecord['tradeSide'] = isZero(reduceSize) ? 'open' : isZero(openSize) ? 'close' : 'close_open';
  return {
    entries,
    held: c.held,
    trade: record(f, mul(f.fillSize, f.fillPrice), fee.fee, fee.feeCoin, round(pnl, dp, 'half_even'), tradeSide),
    positions: changed,
    realisedPnl: pnl,
    shortfall,
  };
}

/** Applies the position changes of a fill to a book, returning a new book (flat positions removed). */
export function applyPositions(book: PositionBook, changed: ReadonlyMap<string, Position | null>): Map<string, Position> {
  const next = new Map(book);
  for (const [k, p] of changed) {
    if (p === null) next.delete(k);
    else next.set(k, p);
  }
  return next;
}

function record(f: FillInput, quoteVolume: string, fee: string, feeCoin: string, realisedPnl: string, tradeSide: TradeRecord['tradeSide']): TradeRecord {
  return {
    tradeId: f.tradeId,
    orderId: f.orderId,
    uid: f.uid,
    category: f.market.category,
    symbol: f.market.symbol,
    side: f.side,
    price: f.fillPrice,
    size: f.fillSize,
    quoteVolume,
    fee,
    feeCoin,
    liquidity: f.liquidity,
    realisedPnl,
    tradeSide,
  };
}

/**
 * Liquidates a position under the rule of src/ledger/positions.ts: closes all of it at the
 * mark price as a taker (fee at the taker rate), with no order hold. The result is that of
 * {@link settleFuturesFill}: entries, the position now flat, realised PnL (a loss capped as
 * described there) and the shortfall the house absorbs. The caller decides WHEN (the
 * `isolatedLiquidatable` / `crossedLiquidatable` checks at each mark price).
 * @param available the account's available balance of the margin coin now
 */
export function settleLiquidation(
  p: Position,
  market: SettleMarket,
  mark: string,
  available: string,
  positions: PositionBook,
  ids: { orderId: string; tradeId: string },
  scales?: CoinScales,
): FuturesFillResult {
  return settleFuturesFill({
    uid: p.uid,
    account: p.account,
    orderId: ids.orderId,
    tradeId: ids.tradeId,
    market,
    side: p.holdSide === 'long' ? 'sell' : 'buy',
    orderType: 'market',
    fillSize: p.size,
    fillPrice: mark,
    liquidity: 'taker',
    held: '0',
    remaining: p.size,
    productType: p.productType,
    marginCoin: p.marginCoin,
    // closing one named side is the hedge-mode close; in one-way mode it is the same reduce
    posMode: 'hedge_mode',
    tradeSide: 'close',
    marginMode: p.marginMode,
    leverage: p.leverage,
    positions,
    available,
    scales,
  });
}
