/**
 * Futures positions (issue 10 item 4): one-way and hedge mode, leverage and margin mode per
 * symbol, average open price, margin, realised PnL on reduce/close, unrealised PnL at a mark
 * price, and the liquidation rule.
 *
 * Bitget facts implemented (research-venue.md §3.2/§3.3):
 * - `posMode` (v2) / `holdMode` (v3) is per productType: `one_way_mode` or `hedge_mode`.
 *   Positions are reported with `holdSide` `long` or `short` in both modes; one-way mode has at
 *   most one of the two non-flat per symbol (v2 orders say `posSide: net`).
 * - leverage per symbol and margin mode: `crossMarginLeverage`, `isolatedLongLever`,
 *   `isolatedShortLever` (v2 `account/account`); margin mode `crossed | isolated` per symbol.
 * - a position's margin is `openPriceAvg x size / leverage` (linear) at open; it grows with
 *   each opening fill and shrinks pro rata with each reducing fill.
 *
 * Representation: a position keeps `openValue`, the exact sum of price x size of its opening
 * fills (USD for COIN-M), instead of a rounded average price; `openPriceAvg` is derived for
 * display. A reduce of s out of size S takes `openValue x s / S` (bankers' rounding to the
 * scale) and the final close takes what is left, so no value is created or lost by rounding.
 *
 * PnL (linear, USDT-M / USDC-M, in the margin coin): long `s x exit - cost`, short
 * `cost - s x exit`. COIN-M (inverse, size in base coin, cost in USD, PnL in the base coin):
 * long `s - cost / exit`, short `cost / exit - s` (the usual `face x (1/entry - 1/exit)` with
 * face = cost).
 *
 * Liquidation rule (docs/LEDGER.md): a position is liquidatable when its equity at the mark
 * price is at or below its maintenance margin (`size x mark x mmr`, inverse `size x mmr`,
 * default mmr {@link DEFAULT_MMR} = 0.4%, Bitget's first-tier keepMarginRate for BTCUSDT).
 * Isolated: equity = margin + unrealised PnL of that position. Crossed: equity = the account's
 * available + frozen + crossed margins + crossed unrealised PnL, against the sum of the crossed
 * maintenance margins. A liquidation closes at the mark price as a taker (src/ledger/settle.ts
 * with `reducing`), and any loss beyond what the account can pay is a shortfall the house
 * (Bitget's insurance fund) absorbs.
 */
import { add, cmp, divRound, isNegative, isZero, mul, round, sub, sum } from '../domain/decimal.js';
import { Errors, err } from '../domain/errors.js';
import type { MarginMode } from '../domain/types.js';
import type { FuturesProductType } from './accounts.js';

/** Position mode of a productType: Bitget's `posMode` (v2) / `holdMode` (v3). */
export type PosMode = 'one_way_mode' | 'hedge_mode';

/** Direction of a position: Bitget's `holdSide` (v2) / `posSide` (v3). */
export type HoldSide = 'long' | 'short';

/** Leverage the UI shows a new account (ordergate's choice, also the mix renderer's default). */
export const DEFAULT_LEVERAGE = '20';

/** Default maintenance margin rate (keepMarginRate) for the liquidation rule: 0.4%. */
export const DEFAULT_MMR = '0.004';

/** Per (uid, account, symbol) settings: margin mode and the three leverages Bitget keeps. */
export interface SymbolSettings {
  marginMode: MarginMode;
  /** Bitget `crossMarginLeverage`. */
  crossedLeverage: string;
  /** Bitget `isolatedLongLever`. */
  longLeverage: string;
  /** Bitget `isolatedShortLever`. */
  shortLeverage: string;
}

/** A new account's settings: crossed, {@link DEFAULT_LEVERAGE} everywhere. */
export function defaultSettings(): SymbolSettings {
  return { marginMode: 'crossed', crossedLeverage: DEFAULT_LEVERAGE, longLeverage: DEFAULT_LEVERAGE, shortLeverage: DEFAULT_LEVERAGE };
}

/** The leverage an order or position of `holdSide` uses under `s`. */
export function leverageFor(s: SymbolSettings, holdSide: HoldSide): string {
  if (s.marginMode === 'crossed') return s.crossedLeverage;
  return holdSide === 'long' ? s.longLeverage : s.shortLeverage;
}

/**
 * Applies a set-leverage request (v2 `POST /api/v2/mix/account/set-leverage`: `leverage`, or
 * `longLeverage`/`shortLeverage`, optional `holdSide`; v3 `POST /api/v3/account/set-leverage`).
 * Crossed mode sets the cross leverage (both sides); isolated sets the side named by
 * `holdSide`, or both when none is given, or long/short individually.
 * @throws BitgetError 40020 `Parameter leverage error` when a leverage is not an integer in
 *   [minLever, maxLever] of the market (src/markets/catalogue.ts).
 */
export function setLeverage(
  s: SymbolSettings,
  req: { leverage?: string; longLeverage?: string; shortLeverage?: string; holdSide?: HoldSide },
  bounds: { minLever: string; maxLever: string },
): SymbolSettings {
  const check = (v: string | undefined): string | undefined => {
    if (v === undefined) return undefined;
    if (!/^[1-9]\d{0,3}$/.test(v) || cmp(v, bounds.minLever) < 0 || cmp(v, bounds.maxLever) > 0) throw err(Errors.PARAM_ERROR, 'leverage');
    return v;
  };
  const lev = check(req.leverage);
  const long = check(req.longLeverage) ?? (req.holdSide !== 'short' ? lev : undefined);
  const short = check(req.shortLeverage) ?? (req.holdSide !== 'long' ? lev : undefined);
  if (lev === undefined && long === undefined && short === undefined) throw err(Errors.PARAM_EMPTY, 'leverage');
  if (s.marginMode === 'crossed') return { ...s, crossedLeverage: lev ?? long ?? short ?? s.crossedLeverage };
  return { ...s, longLeverage: long ?? s.longLeverage, shortLeverage: short ?? s.shortLeverage };
}

/** One position. Sizes in base coin, values in quote (USD for COIN-M), margin and PnL in marginCoin. */
export interface Position {
  uid: string;
  /** Canonical account id (src/ledger/accounts.ts). */
  account: string;
  productType: FuturesProductType;
  symbol: string;
  marginCoin: string;
  holdSide: HoldSide;
  marginMode: MarginMode;
  leverage: string;
  /** Bitget `total`: open size in base coin (> 0 while the position exists). */
  size: string;
  /** Exact sum of price x size of the opening fills still in the position. */
  openValue: string;
  /** Margin in the position (left the balance with reason `position_margin`). */
  margin: string;
  /** Bitget `achievedProfits`: realised PnL so far (signed, fees excluded). */
  achievedProfits: string;
  /** Bitget `totalFee`: fees paid on this position's fills (positive). */
  totalFee: string;
}

/** Key of a position: `uid|account|symbol|holdSide`. */
export function positionKey(uid: string, account: string, symbol: string, holdSide: HoldSide): string {
  return `${uid}|${account}|${symbol}|${holdSide}`;
}

/** Positions by {@link positionKey}; flat positions are absent. */
export type PositionBook = ReadonlyMap<string, Position>;

/** Bitget `openPriceAvg`: openValue / size rounded half-even to `dp` decimals ('0' when flat). */
export function openPriceAvg(p: Position, dp: number): string {
  return isZero(p.size) ? '0' : divRound(p.openValue, p.size, dp, 'half_even');
}

/** Realised PnL of closing `size` whose cost is `cost` at `price` (signed, in the margin coin, half-even to `dp`). */
export function pnlOf(holdSide: HoldSide, inverse: boolean, size: string, cost: string, price: string, dp: number): string {
  const raw = inverse ? sub(size, divRound(cost, price, dp + 10, 'half_even')) : sub(mul(size, price), cost);
  const signed = holdSide === 'long' ? raw : sub('0', raw);
  return round(signed, dp, 'half_even');
}

/** Unrealised PnL of the whole position at `mark` (Bitget `unrealizedPL` / `unrealisedPnl`). */
export function unrealisedPnl(p: Position, mark: string, inverse: boolean, dp: number): string {
  return pnlOf(p.holdSide, inverse, p.size, p.openValue, mark, dp);
}

/** The cost and margin a reduce of `size` takes out of `p`: pro rata, all of it on a full close. */
export function reduceShare(p: Position, size: string, dp: number): { cost: string; margin: string } {
  if (cmp(size, p.size) > 0) throw new Error('reduce larger than the position');
  if (cmp(size, p.size) === 0) return { cost: p.openValue, margin: p.margin };
  return {
    cost: divRound(mul(p.openValue, size), p.size, dp, 'half_even'),
    margin: divRound(mul(p.margin, size), p.size, dp, 'down'),
  };
}

/** Maintenance margin at `mark`: `size x mark x mmr` (linear) or `size x mmr` (inverse), UP to `dp`. */
export function maintenanceMargin(p: Position, mark: string, inverse: boolean, dp: number, mmr = DEFAULT_MMR): string {
  return round(inverse ? mul(p.size, mmr) : mul(mul(p.size, mark), mmr), dp, 'up');
}

/** Isolated rule: margin + unrealised PnL at `mark` <= maintenance margin. */
export function isolatedLiquidatable(p: Position, mark: string, inverse: boolean, dp: number, mmr = DEFAULT_MMR): boolean {
  return cmp(add(p.margin, unrealisedPnl(p, mark, inverse, dp)), maintenanceMargin(p, mark, inverse, dp, mmr)) <= 0;
}

/**
 * Crossed rule for one account and margin coin: available + frozen + crossed margins + crossed
 * unrealised PnL <= sum of crossed maintenance margins. `marks` by symbol.
 */
export function crossedLiquidatable(
  balance: { available: string; frozen: string },
  crossed: readonly Position[],
  marks: ReadonlyMap<string, string>,
  inverse: boolean,
  dp: number,
  mmr = DEFAULT_MMR,
): boolean {
  if (crossed.length === 0) return false;
  const mark = (p: Position) => {
    const m = marks.get(p.symbol);
    if (!m) throw new Error(`no mark price for ${p.symbol}`);
    return m;
  };
  const equity = sum([balance.available, balance.frozen, ...crossed.map((p) => add(p.margin, unrealisedPnl(p, mark(p), inverse, dp)))]);
  return cmp(equity, sum(crossed.map((p) => maintenanceMargin(p, mark(p), inverse, dp, mmr)))) <= 0;
}

/**
 * Bitget `liquidationPrice` of an isolated position under the rule above, half-even to `dp`;
 * '0' when there is none (Bitget renders "0" or a negative number for "none").
 * Linear long (V - M)/(S(1 - mmr)), short (V + M)/(S(1 + mmr)); inverse long V/(M + S(1 - mmr)),
 * short V/(S(1 + mmr) - M); S size, V openValue, M margin.
 */
export function isolatedLiquidationPrice(p: Position, inverse: boolean, dp: number, mmr = DEFAULT_MMR): string {
  const S = p.size;
  const V = p.openValue;
  const M = p.margin;
  const one = (sign: 1 | -1) => (sign === 1 ? add('1', mmr) : sub('1', mmr));
  let num: string;
  let den: string;
  if (!inverse) {
    num = p.holdSide === 'long' ? sub(V, M) : add(V, M);
    den = mul(S, one(p.holdSide === 'long' ? -1 : 1));
  } else {
    num = V;
    den = p.holdSide === 'long' ? add(M, mul(S, one(-1))) : sub(mul(S, one(1)), M);
  }
  if (isZero(den) || isNegative(den) || isNegative(num) || isZero(num)) return '0';
  return divRound(num, den, dp, 'half_even');
}

/**
 * The figures Bitget's futures account endpoints show for one account and margin coin
 * (`GET /api/v2/mix/account/accounts`: `available`, `locked`, `accountEquity`, `unrealizedPL`,
 * `crossedMargin`, `isolatedMargin`, `crossedUnrealizedPL`, `isolatedUnrealizedPL`,
 * `maxTransferOut`; ccxt reads free = `maxTransferOut`, total = `accountEquity`). All in the
 * margin coin, half-even to `dp`.
 * - accountEquity = available + locked + every position's margin + unrealised PnL;
 * - maxTransferOut = available + min(0, crossed unrealised PnL) (an unrealised crossed loss
 *   cannot be transferred out; an unrealised gain cannot either), never below 0.
 * @param marks mark price by symbol; a position without one is valued at its open price (PnL 0)
 */
export function futuresAccountView(
  balance: { available: string; frozen: string },
  positions: readonly Position[],
  marks: ReadonlyMap<string, string>,
  inverse: boolean,
  dp: number,
): {
  available: string;
  locked: string;
  accountEquity: string;
  unrealizedPL: string;
  crossedMargin: string;
  isolatedMargin: string;
  crossedUnrealizedPL: string;
  isolatedUnrealizedPL: string;
  maxTransferOut: string;
} {
  const upl = (p: Position) => {
    const m = marks.get(p.symbol);
    return m ? unrealisedPnl(p, m, inverse, dp) : '0';
  };
  const crossed = positions.filter((p) => p.marginMode === 'crossed');
  const isolated = positions.filter((p) => p.marginMode === 'isolated');
  const crossedUnrealizedPL = sum(crossed.map(upl));
  const isolatedUnrealizedPL = sum(isolated.map(upl));
  const unrealizedPL = add(crossedUnrealizedPL, isolatedUnrealizedPL);
  const crossedMargin = sum(crossed.map((p) => p.margin));
  const isolatedMargin = sum(isolated.map((p) => p.margin));
  const accountEquity = sum([balance.available, balance.frozen, crossedMargin, isolatedMargin, unrealizedPL]);
  const out = add(balance.available, isNegative(crossedUnrealizedPL) ? crossedUnrealizedPL : '0');
  return {
    available: balance.available,
    locked: balance.frozen,
    accountEquity: round(accountEquity, dp, 'half_even'),
    unrealizedPL: round(unrealizedPL, dp, 'half_even'),
    crossedMargin,
    isolatedMargin,
    crossedUnrealizedPL: round(crossedUnrealizedPL, dp, 'half_even'),
    isolatedUnrealizedPL: round(isolatedUnrealizedPL, dp, 'half_even'),
    maxTransferOut: isNegative(out) ? '0' : round(out, dp, 'down'),
  };
}

/**
 * Bitget's position `available` (closeable size): `total` less `locked`, the unfilled size of
 * the open close orders (reduceOnly / hedge `tradeSide: close`) on that position; never below 0.
 * Placement of a close order must refuse one larger than this (the code Bitget answers is not
 * verified in the reference: the integration chooses it and documents it).
 * @param lockedByCloseOrders sum of the unfilled sizes of the position's open close orders
 */
export function closeableSize(p: Position | undefined, lockedByCloseOrders: string): string {
  if (!p) return '0';
  const left = sub(p.size, lockedByCloseOrders);
  return isNegative(left) ? '0' : left;
}
